"""Helpers for tests: parse an RDF response with rdflib and compare graphs, not strings."""

from __future__ import annotations

import httpx
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def parse(response: httpx.Response) -> Graph:
    media_type = response.headers["content-type"].split(";")[0].strip()
    graph = Graph()
    graph.parse(data=response.content, format=RDFLIB_FORMATS[media_type])
    return graph


def assert_contains(graph: Graph, expected: Graph) -> None:
    """Every triple of `expected` is in `graph`; on failure, show what is missing."""
    missing = [t for t in expected if t not in graph]
    assert not missing, "missing triples:\n" + "\n".join(" ".join(n.n3() for n in t) for t in missing)


def assert_isomorphic(graph: Graph, expected: Graph) -> None:
    if to_isomorphic(graph) != to_isomorphic(expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        raise AssertionError(
            "graphs differ\nonly in response:\n" + only_got.serialize(format="nt")
            + "\nonly expected:\n" + only_expected.serialize(format="nt")
        )
