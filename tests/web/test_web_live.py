"""A real server on a real port, asked by a real SPARQL client (SPARQLWrapper)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Iterator

import pytest
import uvicorn
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from linkeddata.web.app import create_app

from .conftest import BASE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def endpoint(store, settings) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(store, settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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
