"""The document about a resource, gathered with SPARQL only.

The document about R holds R's outgoing triples, the labels of every URI they link to (the
properties too, so pages can name them), and up to INCOMING_LIMIT incoming links `?s ?p R` with
the labels of their subjects. Incoming links are counted per property in full, so a page can
say how many there are even when it shows only the first ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..store import Store
from .iri import sparql_iri
from .labels import LABEL_PROPERTIES

INCOMING_LIMIT = 200

_LABELS = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)

_OUTGOING = """
CONSTRUCT {{ {r} ?p ?o . ?o ?ol ?olabel . ?p ?pl ?plabel . }}
WHERE {{
  {r} ?p ?o .
  OPTIONAL {{ ?o ?ol ?olabel . VALUES ?ol {{ {labels} }} }}
  OPTIONAL {{ ?p ?pl ?plabel . VALUES ?pl {{ {labels} }} }}
}}
"""

# No ORDER BY inside: sorting a million qb:dataSet links to show 200 would cost more than the
# page is worth; the store's index order is stable between requests.
_INCOMING = """
SELECT ?s ?p ?sl ?slabel WHERE {{
  {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {r} }} LIMIT {limit} }}
  OPTIONAL {{ ?s ?sl ?slabel . VALUES ?sl {{ {labels} }} }}
}}
"""

_INCOMING_COUNTS = """
SELECT ?p ?n ?pl ?plabel WHERE {{
  {{ SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p {r} }} GROUP BY ?p }}
  OPTIONAL {{ ?p ?pl ?plabel . VALUES ?pl {{ {labels} }} }}
}}
"""


@dataclass
class Description:
    uri: URIRef
    graph: Graph
    incoming_counts: dict[URIRef, int] = field(default_factory=dict)
    incoming_truncated: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.incoming_counts) or (self.uri, None, None) in self.graph

    @property
    def incoming_total(self) -> int:
        return sum(self.incoming_counts.values())


def describe(store: Store, uri: str) -> Description:
    """Everything the document about `uri` says; raises BadIRI for a URI we cannot query."""
    r = sparql_iri(uri)
    node = URIRef(uri)
    graph = store.construct(_OUTGOING.format(r=r, labels=_LABELS))

    counts: dict[URIRef, int] = {}
    for row in store.select(_INCOMING_COUNTS.format(r=r, labels=_LABELS)):
        prop, n = row["p"], row["n"]
        assert isinstance(prop, URIRef) and isinstance(n, Literal)
        counts[prop] = int(n.toPython())
        if "plabel" in row:
            graph.add((prop, row["pl"], row["plabel"]))

    rows = store.select(_INCOMING.format(r=r, limit=INCOMING_LIMIT + 1, labels=_LABELS))
    pairs = list(dict.fromkeys((row["s"], row["p"]) for row in rows))  # distinct, in order
    shown = set(pairs[:INCOMING_LIMIT])  # the one extra pair only tells us there are more
    for row in rows:
        if (row["s"], row["p"]) in shown:
            graph.add((row["s"], row["p"], node))
            if "slabel" in row:
                graph.add((row["s"], row["sl"], row["slabel"]))
    return Description(node, graph, counts, len(pairs) > INCOMING_LIMIT)


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
