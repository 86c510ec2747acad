"""What answering the default graph as a set would cost: DISTINCT against the plain query.

    nice .venv/bin/python bench/default_graph_set.py [TRIPLES] [GRAPHS]
    nice .venv/bin/python bench/default_graph_set.py --store var/store   # a built store instead

The default graph is pyoxigraph's union of the named graphs, which matches a triple once per
graph that holds it (as does a list of default graphs). No engine option makes it a set, and a
query cannot be rewritten to one in general (a duplicate inside a join multiplies), so the one
form that gives a set is DISTINCT on the query's own solutions. This times a full scan, a
join and a count, each plain and DISTINCT, over TRIPLES triples spread over GRAPHS graphs with
1 in 1,000 held by two graphs (the demo build: 14 duplicates in 535,083).
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox

QUERIES = {
    "scan": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "join": "SELECT ?s ?o ?o2 WHERE { ?s <http://example.org/p0> ?o . ?s <http://example.org/p1> ?o2 }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}
DISTINCT = {
    "scan": "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }",
    "join": "SELECT DISTINCT ?s ?o ?o2 WHERE { ?s <http://example.org/p0> ?o . ?s <http://example.org/p1> ?o2 }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
}


LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def build(triples: int, graphs: int) -> ox.Store:
    store = ox.Store()
    quads = []
    for i in range(triples):
        s = ox.NamedNode(f"http://example.org/id/{i // 4}")
        p = ox.NamedNode(f"http://example.org/p{i % 4}")
        o = ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        quads.append(ox.Quad(s, p, o, ox.NamedNode(f"http://example.org/graph/{i % graphs}")))
        if i % 1000 == 0:  # also in the next graph
            quads.append(ox.Quad(s, p, o, ox.NamedNode(f"http://example.org/graph/{(i + 1) % graphs}")))
    store.bulk_extend(quads)
    return store


def timed(store: ox.Store, query: str) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        rows = sum(1 for _ in store.query(query, use_default_graph_as_union=True))  # type: ignore[union-attr]
        best = min(best, time.perf_counter() - started)
    return best, rows


def served(folder: str) -> ox.Store:
    """The release a built store serves, read-only (the layout of store/embedded.py)."""
    from pathlib import Path

    root = Path(folder)
    return ox.Store.read_only(str(root / "releases" / (root / "CURRENT").read_text().strip()))


def main() -> None:
    if sys.argv[1:2] == ["--store"]:
        store = served(sys.argv[2])
        # A join the published data has: things with a type and a label.
        QUERIES["join"] = f"SELECT ?s ?t ?l WHERE {{ ?s a ?t . ?s <{LABEL}> ?l }}"
        DISTINCT["join"] = f"SELECT DISTINCT ?s ?t ?l WHERE {{ ?s a ?t . ?s <{LABEL}> ?l }}"
        print(f"the store in {sys.argv[2]}; best of 3, seconds")
    else:
        triples = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
        graphs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
        store = build(triples, graphs)
        print(f"{triples:,} triples in {graphs} graphs (1 in 1,000 in two); best of 3, seconds")
    print(f"{'query':6} {'plain':>8} {'rows':>9} {'DISTINCT':>9} {'rows':>9} {'cost':>6}")
    for name, query in QUERIES.items():
        plain, plain_rows = timed(store, query)
        distinct, distinct_rows = timed(store, DISTINCT[name])
        print(f"{name:6} {plain:8.2f} {plain_rows:9,} {distinct:9.2f} {distinct_rows:9,} {distinct / plain:5.1f}x")


if __name__ == "__main__":
    main()
