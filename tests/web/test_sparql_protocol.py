"""Raw protocol requests to /sparql: the service description, the page, and the bad cases."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from linkeddata.web.app import create_app
from linkeddata.web.examples import examples

from .conftest import BASE, GRAPH

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ASK = f"ASK {{ <{BASE}/id/lsoa/E01000914> ?p ?o }}"
README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_bare_get_is_the_service_description_for_rdf_clients(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(f"{BASE}/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    assert URIRef(GRAPH) in set(graph.objects(None, SD.name))
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    linked = client.get("/sparql?format=ttl", headers={"Accept": "text/html"})  # the page's alternate link
    assert linked.status_code == 200 and linked.headers["content-type"].startswith("text/turtle")


def test_bare_get_is_the_query_page_for_browsers(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and "<textarea" in response.text
    assert "PREFIX crime: &lt;http://localhost:8000/def/crime/&gt;" in response.text
    assert "cdn" not in response.text.lower()


def test_the_readme_examples_are_on_the_page():
    def squash(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    readme = [
        re.search(r"--data-urlencode 'query=(.*?)'", README, re.S).group(1),
        re.search(r'sparql.setQuery\("""(.*?)"""\)', README, re.S).group(1),
    ]
    ours = [squash(e.query) for e in examples(BASE)]
    for query in readme:
        assert squash(query) in ours


def test_results_page_links_uris_and_offers_downloads(client):
    query = f"SELECT ?area WHERE {{ <{BASE}/id/lsoa/E01000914> ?p ?area }} LIMIT 5"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert f'href="{BASE}/' in response.text
    assert "format=csv" in response.text and "format=json" in response.text
    assert "Download CSV" in response.text


@pytest.mark.parametrize("accept, expected", [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("text/*;q=0.5, text/csv;q=0", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_accept_lists_and_q_values(client, accept, expected):
    query = f"SELECT ?p WHERE {{ <{BASE}/id/lsoa/E01000914> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(expected)


def test_format_overrides_accept(client):
    response = client.get("/sparql", params={"query": ASK, "format": "xml"}, headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize("method, url, kwargs, status, code", [
    ("GET", "/sparql?" + urlencode([("query", ASK), ("update", "DROP ALL")]), {}, 400, "bad_request"),
    ("GET", "/sparql?" + urlencode({"query": ASK, "using-graph-uri": GRAPH}), {}, 400, "bad_request"),
    ("GET", "/sparql?" + urlencode([("query", ASK), ("format", "json"), ("format", "csv")]), {}, 400, "bad_request"),
    ("POST", "/sparql", {"content": ASK, "headers": {"Content-Type": "text/plain"}}, 400, "unsupported_media_type"),
    ("POST", "/sparql", {"content": b"", "headers": {"Content-Type": "application/sparql-query"}}, 400, "missing_query"),
    ("POST", "/sparql?" + urlencode({"query": ASK}), {"content": ASK, "headers": {"Content-Type": "application/sparql-query"}}, 400, "bad_request"),
    ("GET", "/sparql?" + urlencode({"query": ASK, "format": "csv"}), {}, 406, "not_acceptable"),
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"}), {}, 403, "service_refused"),
    ("GET", "/sparql?" + urlencode({"query": "PREFIX e: <http://evil.example/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }"}), {}, 403, "service_refused"),
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"}), {}, 403, "service_refused"),
])
def test_bad_requests(client, method, url, kwargs, status, code):
    response = client.request(method, url, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert "Traceback" not in response.text


def test_service_in_a_string_or_comment_is_not_service(client):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://evil.example/>" AS ?x) } # SERVICE <http://evil.example/>'
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_allowed_service_passes_the_check(store, settings):
    allowed = dataclasses.replace(settings, service_allow="http://127.0.0.1:1/sparql")
    with TestClient(create_app(store, allowed), raise_server_exceptions=False) as client:
        query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
        response = client.get("/sparql", params={"query": query})
        assert response.status_code != 403  # let through to the store (which cannot reach it)
        refused = client.get("/sparql", params={"query": query.replace("127.0.0.1:1", "127.0.0.1:2")})
        assert refused.status_code == 403


def test_too_large_bodies_are_413(store, settings):
    small = dataclasses.replace(settings, max_request_bytes=100)
    with TestClient(create_app(store, small)) as client:
        big = "ASK { ?s ?p ?o } #" + "x" * 200
        response = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
        assert client.post("/sparql", data={"query": big}).status_code == 413


def test_construct_results_are_capped_too(store, settings):
    with TestClient(create_app(store, dataclasses.replace(settings, result_limit=3))) as client:
        response = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"})
        assert response.headers["x-sparql-truncated"] == "true"
        assert len(response.text.strip().splitlines()) == 3


def test_cors_is_open_for_reads(client):
    response = client.get("/sparql", params={"query": ASK}, headers={"Origin": "http://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "X-SPARQL-Truncated" in response.headers["access-control-expose-headers"]
