"""Redirects never echo a forged Host; hostile IRIs are never clickable; HTML pages carry a CSP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from .conftest import BASE, GRAPH

HOSTILE = ["javascript:alert(1)", "JavaScript:alert(2)", "data:text/html,%3Cscript%3Ealert(3)%3C/script%3E", "vbscript:x"]
THING = URIRef(f"{BASE}/id/thing/x")
LINK = URIRef(f"{BASE}/def/test/link")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    graph = Graph()
    graph.add((THING, RDFS.label, Literal("A thing")))
    for i, iri in enumerate(HOSTILE):
        graph.add((THING, RDFS.seeAlso, URIRef(iri)))  # outgoing
        graph.add((URIRef(iri), LINK, THING))  # incoming
    graph.add((THING, RDFS.seeAlso, URIRef("mailto:stats@example.org")))
    path = Path(tmp_path_factory.mktemp("security")) / "release.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    store = EmbeddedStore(None, BASE)
    store.swap({store.load_staging("test", path): GRAPH})
    with TestClient(create_app(store, Settings(base_uri=BASE)), raise_server_exceptions=False) as c:
        yield c
    store.close()


@pytest.mark.parametrize("path", ["/id", "/doc", "/data", "/graph", "/static", "/def", "/sparql/", "/catalogue/", "/id/thing/x"])
def test_redirects_are_built_from_the_base_never_the_host_header(client, path):
    response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    location = response.headers.get("location")
    if 300 <= response.status_code < 400:
        assert location and (location.startswith(BASE + "/") or location.startswith("/")), location
    assert "evil.example" not in (location or "")


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


@pytest.mark.parametrize("page, params", [
    ("/doc/thing/x", {}),
    ("/doc/thing/x", {"incoming": str(LINK)}),
    ("/sparql", {"query": f"SELECT * WHERE {{ <{THING}> ?p ?o }}"}),
    ("/sparql", {"query": f"SELECT * WHERE {{ ?s ?p <{THING}> }}"}),
    ("/sparql", {"query": f"CONSTRUCT WHERE {{ ?s ?p <{THING}> }}"}),
])
def test_only_http_and_mailto_iris_are_links(client, page, params):
    response = client.get(page, params=params, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    hrefs = [h.lower().replace("&#58;", ":") for h in _hrefs(response.text)]
    assert not [h for h in hrefs if h.strip().startswith(("javascript:", "data:", "vbscript:"))], hrefs
    if page == "/doc/thing/x" and not params:
        assert "mailto:stats@example.org" in hrefs  # a mailto IRI stays a link
        assert "javascript:alert(1)" in response.text  # shown, as text


@pytest.mark.parametrize("page", ["/", "/sparql", "/catalogue", "/doc/thing/x", "/no/such/page"])
def test_html_pages_carry_a_strict_content_security_policy(client, page):
    response = client.get(page, headers={"Accept": "text/html"})
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "http:" not in policy.replace(BASE, "")
    # The pages work under it: no inline script, handler or style attribute, nothing from elsewhere.
    html = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html) and not re.search(r"\sstyle=", html)
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//(?!localhost:8000)', html)


def test_json_answers_need_no_policy(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert "content-security-policy" not in response.headers
