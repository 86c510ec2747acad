"""The document about a resource, gathered with SPARQL only.

The document about R holds R's outgoing triples, the labels of every URI they link to (the
properties too, so pages can name them), and incoming links `?s ?p R` grouped by property:
every property is counted in full, and the first INCOMING_PREVIEW subjects of each are shown
with their labels. A crime type is the value of millions of observations, so the rest are
paged: `?incoming={property}&page=N` is the document with INCOMING_PAGE subjects of that one
property (N counts from 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..store import Store
from .iri import sparql_iri
from .labels import label_pattern

INCOMING_PREVIEW = 20  # subjects shown per property in the document itself
INCOMING_PAGE = 100  # subjects per page when one property's links are paged

_O_LABEL = label_pattern("?o", "?ol", "?olabel")
_P_LABEL = label_pattern("?p", "?pl", "?plabel")
_S_LABEL = label_pattern("?s", "?sl", "?slabel")

_OUTGOING = """
CONSTRUCT {{ {r} ?p ?o . ?o ?ol ?olabel . ?p ?pl ?plabel . }}
WHERE {{
  {r} ?p ?o .
  OPTIONAL {{ {o_label} }}
  OPTIONAL {{ {p_label} }}
}}
"""

# No ORDER BY inside: sorting a million qb:dataSet links to show 20 would cost more than the
# page is worth; the store's index order is stable within a release, so OFFSET pages are too.
_ONE_PROPERTY = "{{ SELECT ?s ({p} AS ?p) WHERE {{ ?s {p} {r} }} LIMIT {limit} OFFSET {offset} }}"

_INCOMING = """
SELECT ?s ?p ?sl ?slabel WHERE {{
  {{ {union} }}
  OPTIONAL {{ {s_label} }}
}}
"""

_INCOMING_COUNTS = """
SELECT ?p ?n ?pl ?plabel WHERE {{
  {{ SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p {r} }} GROUP BY ?p }}
  OPTIONAL {{ {p_label} }}
}}
"""


@dataclass
class Description:
    uri: URIRef
    graph: Graph
    incoming_counts: dict[URIRef, int] = field(default_factory=dict)
    incoming_shown: dict[URIRef, int] = field(default_factory=dict)  # subjects in `graph` per property
    paged: URIRef | None = None  # the one property whose links this document pages through
    page: int = 1

    @property
    def exists(self) -> bool:
        return bool(self.incoming_counts) or (self.uri, None, None) in self.graph

    @property
    def incoming_total(self) -> int:
        return sum(self.incoming_counts.values())

    @property
    def incoming_truncated(self) -> bool:
        return any(self.incoming_shown.get(p, 0) < n for p, n in self.incoming_counts.items())

    @property
    def more(self) -> bool:
        """A paged document that has a next page."""
        if self.paged is None:
            return False
        return self.page * INCOMING_PAGE < self.incoming_counts.get(self.paged, 0)


def describe(store: Store, uri: str, *, paged: str | None = None, page: int = 1) -> Description:
    """Everything the document about `uri` says; raises BadIRI for a URI we cannot query.

    With `paged`, the incoming links are page `page` of that property's only."""
    r = sparql_iri(uri)
    node = URIRef(uri)
    graph = store.construct(_OUTGOING.format(r=r, o_label=_O_LABEL, p_label=_P_LABEL))

    counts: dict[URIRef, int] = {}
    for row in store.select(_INCOMING_COUNTS.format(r=r, p_label=_P_LABEL)):
        prop, n = row["p"], row["n"]
        assert isinstance(prop, URIRef) and isinstance(n, Literal)
        counts[prop] = int(n.toPython())
        if "plabel" in row:
            graph.add((prop, row["pl"], row["plabel"]))

    description = Description(node, graph, counts, page=page)
    if paged is not None:
        description.paged = URIRef(paged)
        wanted = {description.paged: (INCOMING_PAGE, (page - 1) * INCOMING_PAGE)} if description.paged in counts else {}
    else:
        wanted = {p: (INCOMING_PREVIEW, 0) for p in counts}
    if wanted:
        union = " UNION ".join(
            _ONE_PROPERTY.format(p=sparql_iri(str(p)), r=r, limit=limit, offset=offset)
            for p, (limit, offset) in sorted(wanted.items())
        )
        for row in store.select(_INCOMING.format(union=union, s_label=_S_LABEL)):
            graph.add((row["s"], row["p"], node))
            if "slabel" in row:
                graph.add((row["s"], row["sl"], row["slabel"]))
    for prop in wanted:
        description.incoming_shown[prop] = len(set(graph.subjects(prop, node)))
    return description


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
