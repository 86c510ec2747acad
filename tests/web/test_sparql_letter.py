"""SPARQL 1.1 Protocol and Graph Store Protocol to the letter, over real HTTP (uvicorn on
127.0.0.1) against the real app on a store on disk, opened read-only as `serve` opens it, with
its query workers: the base of relative IRIs, the dataset of a query, using-graph-uri, graph
names read back as written, POST to the Graph Store root, the engine's own error messages, and
HAVING with an alias.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from .conftest import BASE
from .live import serving

TOKEN = "letter-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ONE, TWO = f"{BASE}/graph/one", f"{BASE}/graph/two"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
# The triple <shared> is in both graphs: the union default graph holds it once as a set.
CONTENT = {
    "one": f'<{BASE}/id/x> {LABEL} "x" .\n<{BASE}/id/shared> {LABEL} "shared" .\n',
    "two": f'<{BASE}/id/y> {LABEL} "y" .\n<{BASE}/id/shared> {LABEL} "shared" .\n',
}
PERSON = '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<http://www.example/person/1> a foaf:Person ; foaf:name "John Doe" .\n'


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, settings) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("letter")
    with EmbeddedStore(folder / "store", BASE) as writer:
        staged = {}
        for name, text in CONTENT.items():
            (folder / f"{name}.nt").write_text(text, encoding="utf-8")
            staged[writer.load_staging(name, folder / f"{name}.nt")] = f"{BASE}/graph/{name}"
        writer.swap(staged)
    with EmbeddedStore(folder / "store", BASE, read_only=True) as store:
        app = create_app(store, dataclasses.replace(settings, update_token=TOKEN, query_workers=1))
        with serving(app) as root, httpx.Client(base_url=root, timeout=60) as client:
            yield client


def select(client: httpx.Client, query: str, **params: str | list[str]) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query, **params}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def values(client: httpx.Client, query: str, **params: str | list[str]) -> list[str]:
    return sorted(row["o"] for row in select(client, query, **params))


def update(client: httpx.Client, text: str, **params: str | list[str]) -> httpx.Response:
    return client.post("/sparql", params=params, content=text, headers={**AUTH, "Content-Type": "application/sparql-update"})


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    assert values(endpoint, "SELECT ?o WHERE { <id/x> ?p ?o }") == ["x"]
    assert values(endpoint, "SELECT ?o WHERE { <../id/x> ?p ?o }") == ["x"]  # against {base}/sparql
    assert update(endpoint, 'INSERT DATA { GRAPH <graph/relative> { <id/r> <p> "r" } }').status_code == 204
    assert values(endpoint, f"SELECT ?o WHERE {{ GRAPH <{BASE}/graph/relative> {{ <{BASE}/id/r> <{BASE}/p> ?o }} }}") == ["r"]


def test_a_querys_from_is_its_dataset(endpoint):
    every = "SELECT ?o WHERE { ?s ?p ?o }"
    assert values(endpoint, f"SELECT DISTINCT ?o WHERE {{ ?s {LABEL} ?o }}") == ["shared", "x", "y"]
    assert values(endpoint, f"SELECT ?o FROM <{ONE}> WHERE {{ ?s ?p ?o }}") == ["shared", "x"]
    assert values(endpoint, "SELECT ?o FROM <graph/two> WHERE { ?s ?p ?o }") == ["shared", "y"]
    # The protocol's default-graph-uri replaces the query's FROM, and alone names no named graphs.
    assert values(endpoint, f"SELECT ?o FROM <{ONE}> WHERE {{ ?s ?p ?o }}", **{"default-graph-uri": TWO}) == ["shared", "y"]
    assert values(endpoint, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", **{"default-graph-uri": TWO}) == []
    named = select(endpoint, f"SELECT DISTINCT ?g FROM NAMED <{TWO}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert named == [{"g": TWO}]
    assert values(endpoint, f"SELECT ?o FROM NAMED <{TWO}> WHERE {{ ?s ?p ?o }}") == []
    assert values(endpoint, every, **{"default-graph-uri": [ONE, TWO]}) == ["shared", "shared", "x", "y"]


def test_using_graph_uri_is_the_where_clauses_dataset(endpoint):
    copy = f"INSERT {{ GRAPH <{BASE}/graph/copied> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    assert update(endpoint, copy, **{"using-graph-uri": ONE}).status_code == 204
    assert values(endpoint, f"SELECT ?o WHERE {{ GRAPH <{BASE}/graph/copied> {{ ?s ?p ?o }} }}") == ["shared", "x"]
    from_named = f"INSERT {{ GRAPH <{BASE}/graph/named> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert update(endpoint, from_named, **{"using-named-graph-uri": TWO}).status_code == 204
    assert values(endpoint, f"SELECT ?o WHERE {{ GRAPH <{BASE}/graph/named> {{ ?s ?p ?o }} }}") == ["shared", "y"]
    # The protocol's graphs or the update's own USING, not both (Protocol 2.2.3).
    both = f"INSERT {{ GRAPH <{BASE}/graph/both> {{ ?s ?p ?o }} }} USING <{TWO}> WHERE {{ ?s ?p ?o }}"
    refused = update(endpoint, both, **{"using-graph-uri": ONE})
    assert refused.status_code == 400 and "USING" in refused.json()["error"]["message"]


def test_a_graph_is_read_back_under_the_name_it_was_written_with(endpoint):
    put = endpoint.put("/graph/person/1.ttl", content=PERSON, headers={**AUTH, "Content-Type": "text/turtle"})
    assert put.status_code == 201
    got = endpoint.get("/graph/person/1.ttl", headers={"Accept": "text/turtle"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=got.text, format="turtle"), Graph().parse(data=PERSON, format="turtle"))
    # Where no graph has the whole name, the suffix is still a format.
    suffixed = endpoint.get("/graph/one.nt")
    assert suffixed.status_code == 200 and suffixed.headers["content-type"].startswith("application/n-triples")
    assert isomorphic(Graph().parse(data=suffixed.text, format="nt"), Graph().parse(data=CONTENT["one"], format="nt"))


@pytest.mark.parametrize("path", ["/rdf-graph-store", "/graph"])
def test_post_to_the_graph_store_creates_a_graph(endpoint, path):
    created = endpoint.post(path, content=PERSON, headers={**AUTH, "Content-Type": "text/turtle"})
    assert created.status_code == 201
    location = created.headers["location"]
    assert location.startswith(f"{BASE}/graph/")
    got = endpoint.get(urlsplit(location).path, headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=got.text, format="turtle"), Graph().parse(data=PERSON, format="turtle"))
    again = endpoint.get("/rdf-graph-store", params={"graph": location}, headers={"Accept": "text/turtle"})
    assert again.status_code == 200
    unauthorised = endpoint.post(path, content=PERSON, headers={"Content-Type": "text/turtle"})
    assert unauthorised.status_code == 401


def test_the_engines_error_message_passes_through_in_the_one_shape(endpoint):
    response = endpoint.get(
        "/sparql", params={"query": "SELECT ?x WHERE { BIND(<http://example.org/fn>(1) AS ?x) }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message"} and error["code"] == "query_failed"
    assert "<http://example.org/fn> is not supported" in error["message"]
    assert "RuntimeError" not in error["message"]


def test_having_with_a_select_alias_is_a_clear_error(endpoint):
    alias = f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s {LABEL} ?o }} GROUP BY ?s HAVING (?n > 1)"
    response = endpoint.get("/sparql", params={"query": alias})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "having_alias" and "HAVING (COUNT(*) > ...)" in error["message"]
    written_out = f"SELECT ?s (COUNT(*) AS ?n) FROM <{ONE}> WHERE {{ ?s ?p ?o }} GROUP BY ?s HAVING (COUNT(*) >= 1)"
    assert sorted(r["s"] for r in select(endpoint, written_out)) == [f"{BASE}/id/shared", f"{BASE}/id/x"]


def test_a_body_declared_in_another_charset_is_refused(endpoint):
    response = endpoint.post(
        "/sparql", content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert response.status_code == 400 and "UTF-8" in response.json()["error"]["message"]


def test_a_using_graph_uri_that_is_no_iri_is_refused(endpoint):
    copy = f"INSERT {{ GRAPH <{BASE}/graph/x> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    response = update(endpoint, copy, **{"using-graph-uri": f"{ONE}> WHERE {{}} ; DROP ALL ; #"})
    assert response.status_code == 400
    assert values(endpoint, f"SELECT ?o FROM <{ONE}> WHERE {{ ?s ?p ?o }}") == ["shared", "x"]


def test_a_multipart_post_merges_every_part(endpoint):
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    parts = [
        ("text/turtle", '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<http://www.example/person/2> foaf:familyName "Doe" .\n'),
        ("application/n-triples", '<http://www.example/person/2> <http://xmlns.com/foaf/0.1/givenName> "Jane" .\n'),
    ]
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"; filename="f{i}"\r\nContent-Type: {media_type}\r\n\r\n{text}\r\n'
        for i, (media_type, text) in enumerate(parts)
    ) + f"--{boundary}--\r\n"
    headers = {**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert endpoint.post("/graph/people", content=body, headers=headers).status_code == 201
    got = endpoint.get("/graph/people", headers={"Accept": "application/n-triples"})
    expected = Graph().parse(data=parts[0][1], format="turtle").parse(data=parts[1][1], format="nt")
    assert isomorphic(Graph().parse(data=got.text, format="nt"), expected)
    bad = body.replace("text/turtle", "text/html", 1)
    assert endpoint.post("/graph/people", content=bad, headers=headers).status_code == 415


def test_a_graph_and_its_suffixed_namesake_are_both_readable(endpoint):
    first = '<http://www.example/a> <http://www.example/p> "plain" .\n'
    second = '<http://www.example/a> <http://www.example/p> "suffixed" .\n'
    for path, text in (("/graph/doc", first), ("/graph/doc.ttl", second)):
        assert endpoint.put(path, content=text, headers={**AUTH, "Content-Type": "application/n-triples"}).status_code == 201
    whole = endpoint.get("/graph/doc.ttl", headers={"Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=whole.text, format="nt"), Graph().parse(data=second, format="nt"))
    plain = endpoint.get("/graph/doc", params={"format": "ttl"})
    assert plain.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=plain.text, format="turtle"), Graph().parse(data=first, format="nt"))
