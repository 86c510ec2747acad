"""SPARQL Update and the Graph Store Protocol: refused without the token, exact with it.

The store is on disk and opened read-only, as `serve` opens it; writes go through a writer on
the same folder and publish a new release, which the app's reads then see.
"""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from .conftest import BASE, GRAPH, expected_graph

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW = f"{BASE}/graph/notes"
TURTLE = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://localhost:8000/id/x> rdfs:label \"x\" ; rdfs:seeAlso [ rdfs:label \"blank\" ] .\n"


@pytest.fixture
def folder(tmp_path):
    source = tmp_path / "release.nt"
    expected_graph().serialize(source, format="nt", encoding="utf-8")
    with EmbeddedStore(tmp_path / "store", BASE) as writer:
        writer.swap({writer.load_staging("test", source): GRAPH})
    return tmp_path / "store"


@pytest.fixture
def writable(folder, settings):
    with EmbeddedStore(folder, BASE, read_only=True) as store:
        with TestClient(create_app(store, dataclasses.replace(settings, update_token=TOKEN, query_workers=1))) as client:
            yield client, store


@pytest.fixture
def read_only(folder, settings):
    with EmbeddedStore(folder, BASE, read_only=True) as store:
        with TestClient(create_app(store, dataclasses.replace(settings, query_workers=1))) as client:
            yield client, store


def ask(client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


UPDATE = f'INSERT DATA {{ GRAPH <{NEW}> {{ <{BASE}/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }} }}'
WRITES = [
    ("POST", "/sparql", {"data": {"update": UPDATE}}),
    ("POST", "/sparql", {"content": UPDATE, "headers": {"Content-Type": "application/sparql-update"}}),
    ("PUT", f"/rdf-graph-store?graph={NEW}", {"content": TURTLE, "headers": {"Content-Type": "text/turtle"}}),
    ("POST", f"/rdf-graph-store?graph={NEW}", {"content": TURTLE, "headers": {"Content-Type": "text/turtle"}}),
    ("DELETE", f"/rdf-graph-store?graph={GRAPH}", {}),
    ("PUT", "/graph/notes", {"content": TURTLE, "headers": {"Content-Type": "text/turtle"}}),
    ("DELETE", "/graph/test", {}),
]


@pytest.mark.parametrize("method, url, kwargs", WRITES)
def test_writes_are_refused_without_a_configured_token(read_only, method, url, kwargs):
    client, store = read_only
    before = store.version()
    response = client.request(method, url, **kwargs)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    assert store.version() == before


@pytest.mark.parametrize("method, url, kwargs", WRITES)
def test_writes_need_the_token(writable, method, url, kwargs):
    client, store = writable
    before = store.version()
    missing = client.request(method, url, **kwargs)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    headers = {**kwargs.get("headers", {}), "Authorization": "Bearer wrong"}
    wrong = client.request(method, url, **{**kwargs, "headers": headers})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "bad_token"
    assert store.version() == before


def test_sparql_update_with_the_token(writable):
    client, store = writable
    before = store.version()
    response = client.post("/sparql", data={"update": UPDATE}, headers=AUTH)
    assert response.status_code == 204
    assert store.version() != before
    assert NEW in store.graphs() and GRAPH in store.graphs()
    assert ask(client, f'ASK {{ GRAPH <{NEW}> {{ <{BASE}/id/x> ?p "x" }} }}')
    # And out again, by the other body form.
    delete = f'DELETE DATA {{ GRAPH <{NEW}> {{ <{BASE}/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }} }}'
    response = client.post("/sparql", content=delete, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204
    assert NEW not in store.graphs()
    assert not ask(client, f"ASK {{ <{BASE}/id/x> ?p ?o }}")


@pytest.mark.parametrize("update, code", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "malformed_query"),  # the default graph is the union
    ("INSERT DATA { GRAPH <http://elsewhere/g> { <http://a> <http://b> <http://c> } }", "malformed_query"),
    ("INSERT DATA { GRAPH <x", "malformed_query"),
    ("LOAD <http://example.org/data.ttl> INTO GRAPH <http://localhost:8000/graph/x>", "load_refused"),
])
def test_bad_updates_change_nothing(writable, update, code):
    client, store = writable
    before = store.version()
    response = client.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code in (400, 403)
    assert response.json()["error"]["code"] == code
    assert store.version() == before


def graph_of(client, graph: str) -> Graph:
    response = client.get("/rdf-graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="nt")


def test_graph_store_put_get_post_delete(writable):
    client, store = writable
    assert client.get("/rdf-graph-store", params={"graph": NEW}).status_code == 404
    created = client.put("/rdf-graph-store", params={"graph": NEW}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    assert created.status_code == 201
    assert isomorphic(graph_of(client, NEW), Graph().parse(data=TURTLE, format="turtle"))

    replaced = client.put("/rdf-graph-store", params={"graph": NEW}, content=f"<{BASE}/id/y> <{BASE}/def/p> \"y\" .\n",
                          headers={**AUTH, "Content-Type": "application/n-triples"})
    assert replaced.status_code == 204
    assert set(graph_of(client, NEW)) == {(URIRef(f"{BASE}/id/y"), URIRef(f"{BASE}/def/p"), Literal("y"))}

    merged = client.post("/rdf-graph-store", params={"graph": NEW}, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    assert merged.status_code == 204
    expected = Graph().parse(data=TURTLE, format="turtle")
    expected.add((URIRef(f"{BASE}/id/y"), URIRef(f"{BASE}/def/p"), Literal("y")))
    assert isomorphic(graph_of(client, NEW), expected)

    assert client.delete("/rdf-graph-store", params={"graph": NEW}, headers=AUTH).status_code == 204
    assert client.get("/rdf-graph-store", params={"graph": NEW}).status_code == 404
    assert client.delete("/rdf-graph-store", params={"graph": NEW}, headers=AUTH).status_code == 404
    assert GRAPH in store.graphs()  # the other graph untouched


def test_graph_store_direct_identification(writable):
    client, store = writable
    response = client.put("/graph/notes", content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 201
    assert isomorphic(graph_of(client, NEW), Graph().parse(data=TURTLE, format="turtle"))
    assert client.delete("/graph/notes", headers=AUTH).status_code == 204
    assert NEW not in store.graphs()


@pytest.mark.parametrize("method, params, kwargs, status", [
    ("GET", {}, {}, 400),
    ("GET", {"graph": NEW, "default": ""}, {}, 400),
    ("PUT", {"default": ""}, {"content": TURTLE, "headers": {**AUTH, "Content-Type": "text/turtle"}}, 405),
    ("PUT", {"graph": "http://elsewhere/g"}, {"content": TURTLE, "headers": {**AUTH, "Content-Type": "text/turtle"}}, 400),
    ("PUT", {"graph": NEW}, {"content": TURTLE, "headers": {**AUTH, "Content-Type": "text/html"}}, 415),
    ("PUT", {"graph": NEW}, {"content": "<a> <b", "headers": {**AUTH, "Content-Type": "text/turtle"}}, 400),
    ("GET", {"graph": NEW}, {"headers": {"Accept": "image/png"}}, 406),
])
def test_graph_store_bad_requests(writable, method, params, kwargs, status):
    client, _ = writable
    response = client.request(method, "/rdf-graph-store", params=params, **kwargs)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"status", "code", "message"}


def test_graph_store_default_graph_is_the_union(writable):
    client, _ = writable
    response = client.get("/rdf-graph-store?default", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert isomorphic(Graph().parse(data=response.text, format="turtle"), expected_graph())


# Graph names that would break out of `<...>` in a generated update, and their encodings.
INJECTED = [
    "x> } } ; DROP ALL ; INSERT DATA { GRAPH <http://localhost:8000/graph/y",
    "x>%20%7D",
    "x%3E%20%7D%20%7D%20%3B%20DROP%20ALL%20%3B%20%23",
    "a b",
    "x\\u003E",
    "x%5Cu003E",
    'x"y',
    "x{y}",
    "x|y",
    "x^y",
    "x`y",
]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize("name", INJECTED)
def test_a_graph_store_path_an_iri_cannot_hold_is_refused(writable, method, name):
    client, store = writable
    before = store.version()
    kwargs = {} if method == "DELETE" else {"content": TURTLE, "headers": {**AUTH, "Content-Type": "text/turtle"}}
    response = client.request(method, f"/graph/{name}", **({"headers": AUTH} | kwargs))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "bad_uri"
    assert store.version() == before
    assert GRAPH in store.graphs()


@pytest.mark.parametrize("name", [n for n in INJECTED if "%" not in n])  # %3E in a parameter is three characters
def test_a_graph_store_iri_parameter_an_iri_cannot_hold_is_refused(writable, name):
    client, store = writable
    before = store.version()
    response = client.post("/rdf-graph-store", params={"graph": f"{BASE}/graph/{name}"}, content=TURTLE,
                           headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 400 and store.version() == before
