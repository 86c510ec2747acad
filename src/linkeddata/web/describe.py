"""The document about a resource, gathered with SPARQL only.

The document about R holds R's outgoing triples, the labels of every URI they link to (the
properties too, so pages can name them), and incoming links `?s ?p R` grouped by property:
every property is counted in full, and the first INCOMING_PREVIEW subjects of each are shown
with their labels. A crime type is the value of millions of observations, so the rest are
paged: `?incoming={property}&page=N` is the document with INCOMING_PAGE subjects of that one
property (N counts from 1).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from ..store import QueryResult, Store
from .iri import sparql_iri
from .labels import label_pattern

INCOMING_PREVIEW = 20  # subjects shown per property in the document itself
INCOMING_PAGE = 100  # subjects per page when one property's links are paged

_O_LABEL = label_pattern("?o", "?ol", "?olabel")
_P_LABEL = label_pattern("?p", "?pl", "?plabel")
_S_LABEL = label_pattern("?s", "?sl", "?slabel")
_IP_LABEL = label_pattern("?ip", "?ipl", "?iplabel")

# One query answers the whole document: outgoing triples with the labels of their objects and
# properties, and (second branch) the incoming links shown with the labels of their subjects
# and properties. pyoxigraph writes the answer; an RDF document is re-written from that
# without a Python object per term.
_DOCUMENT = """
CONSTRUCT {{ {r} ?p ?o . ?o ?ol ?olabel . ?p ?pl ?plabel . ?s ?ip {r} . ?s ?sl ?slabel . ?ip ?ipl ?iplabel . }}
WHERE {{
  {{ {r} ?p ?o . OPTIONAL {{ {o_label} }} OPTIONAL {{ {p_label} }} }}
  {incoming}
}}
"""
_INCOMING = """UNION {{ {{ {union} }} OPTIONAL {{ {s_label} }} OPTIONAL {{ {ip_label} }} }}"""

# No ORDER BY inside: sorting a million qb:dataSet links to show 20 would cost more than the
# page is worth; the store's index order is stable within a release, so OFFSET pages are too.
# Blank nodes are left out: they are the publish-time summary's workings (a count per value),
# nothing a person or a crawler can follow.
_ONE_PROPERTY = "{{ SELECT ?s ({p} AS ?ip) WHERE {{ ?s {p} {r} FILTER(!isBlank(?s)) }} LIMIT {limit} OFFSET {offset} }}"

_INCOMING_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p {r} FILTER(!isBlank(?s)) }} GROUP BY ?p"


class Description:
    """The document about one resource: the store's answer (`result`, written by the store),
    its triples as an rdflib graph on demand (`graph`, for pages), and the incoming counts."""

    def __init__(self, uri: URIRef, result: QueryResult, incoming_counts: dict[URIRef, int],
                 paged: URIRef | None = None, page: int = 1):
        self.uri = uri
        self.result = result
        self.incoming_counts = incoming_counts
        self.paged = paged
        self.page = page

    @property
    def graph(self) -> Graph:
        graph = self.result.graph
        assert graph is not None, "a CONSTRUCT answers with a graph"
        return graph

    @property
    def exists(self) -> bool:
        if self.incoming_counts:
            return True
        # With nothing incoming the answer is outgoing triples only: any triple says it exists.
        if self.result.native is not None:
            return bool(self.result.native.body.strip())
        return len(self.graph) > 0

    @property
    def incoming_total(self) -> int:
        return sum(self.incoming_counts.values())

    @property
    def incoming_shown(self) -> dict[URIRef, int]:
        return {p: len(set(self.graph.subjects(p, self.uri))) for p in self.incoming_counts}

    @property
    def incoming_truncated(self) -> bool:
        shown = self.incoming_shown
        return any(shown.get(p, 0) < n for p, n in self.incoming_counts.items())

    @property
    def more(self) -> bool:
        """A paged document that has a next page."""
        if self.paged is None:
            return False
        return self.page * INCOMING_PAGE < self.incoming_counts.get(self.paged, 0)


def describe(store: Store, uri: str, *, paged: str | None = None, page: int = 1) -> Description:
    """Everything the document about `uri` says, in two queries (the incoming counts, then the
    document); raises BadIRI for a URI we cannot query.

    With `paged`, the incoming links are page `page` of that property's only."""
    r = sparql_iri(uri)
    counts: dict[URIRef, int] = {}
    for row in store.select(_INCOMING_COUNTS.format(r=r)):
        prop, n = row["p"], row["n"]
        assert isinstance(prop, URIRef) and isinstance(n, Literal)
        counts[prop] = int(n.toPython())

    if paged is not None:
        wanted = {URIRef(paged): (INCOMING_PAGE, (page - 1) * INCOMING_PAGE)} if URIRef(paged) in counts else {}
    else:
        wanted = {p: (INCOMING_PREVIEW, 0) for p in counts}
    incoming = ""
    if wanted:
        union = " UNION ".join(
            _ONE_PROPERTY.format(p=sparql_iri(str(p)), r=r, limit=limit, offset=offset)
            for p, (limit, offset) in sorted(wanted.items())
        )
        incoming = _INCOMING.format(union=union, s_label=_S_LABEL, ip_label=_IP_LABEL)
    result = store.query(_DOCUMENT.format(r=r, o_label=_O_LABEL, p_label=_P_LABEL, incoming=incoming))
    return Description(URIRef(uri), result, counts, URIRef(paged) if paged is not None else None, page)


def graph_triples(store: Store, graph_uri: str, limit: int) -> tuple[Graph, bool]:
    """The triples of one published graph, at most `limit` of them, and whether there were more."""
    g = sparql_iri(graph_uri)
    result = store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} LIMIT {limit + 1} }} }}"
    )
    if len(result) <= limit:
        return result, False
    trimmed = Graph()
    for i, triple in enumerate(result):
        if i == limit:
            break
        trimmed.add(triple)
    return trimmed, True


def graph_size(store: Store, graph_uri: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_iri(graph_uri)} {{ ?s ?p ?o }} }}")
    n = rows[0]["n"] if rows else None
    return int(n.toPython()) if isinstance(n, Literal) else 0
