"""A real server on a real port, asked by a real SPARQL client (SPARQLWrapper)."""

from __future__ import annotations

from typing import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from linkeddata.web.app import create_app

from .conftest import BASE
from .live import serving


@pytest.fixture
def endpoint(store, settings) -> Iterator[str]:
    with serving(create_app(store, settings)) as root:
        yield f"{root}/sparql"


def test_sparqlwrapper_select_ask_construct(endpoint):
    client = SPARQLWrapper(endpoint)

    client.setQuery(f"SELECT ?label WHERE {{ <{BASE}/id/lsoa/E01000914> <{RDFS.label}> ?label }}")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [b["label"]["value"] for b in bindings] == ["Camden 028B"]

    client.setQuery(f"ASK {{ <{BASE}/id/month/2019-01> ?p ?o }}")
    assert client.query().convert()["boolean"] is True  # type: ignore[index]

    client.setQuery(f"CONSTRUCT {{ <{BASE}/id/month/2019-01> ?p ?o }} WHERE {{ <{BASE}/id/month/2019-01> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef(f"{BASE}/id/month/2019-01"), RDFS.label, Literal("January 2019", lang="en")) in graph


def test_sparqlwrapper_post(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery(f"ASK {{ <{BASE}/id/lsoa/E01000914> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True  # type: ignore[index]
