"""The SPARQL 1.1 Protocol at /sparql: every way to send a query, every result format, errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from .conftest import BASE, GRAPH
from .rdfcheck import assert_contains, parse

SELECT = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE {{ <{BASE}/id/lsoa/E01000914> rdfs:label ?label }}
"""
ASK = f"ASK {{ <{BASE}/id/lsoa/E01000914> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{BASE}/id/lsoa/E01000914> ?p ?o }} WHERE {{ <{BASE}/id/lsoa/E01000914> ?p ?o }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def labels_from_json(body: bytes) -> list[str]:
    return [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_select_defaults_to_sparql_json(client):
    response = client.get("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert labels_from_json(response.content) == ["Camden 028B"]
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["vary"] == "Accept"


def test_post_form(client):
    response = client.post("/sparql", data={"query": SELECT})
    assert response.status_code == 200
    assert labels_from_json(response.content) == ["Camden 028B"]


def test_post_direct(client):
    response = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert labels_from_json(response.content) == ["Camden 028B"]


def test_select_as_xml(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(response.content)
    literals = [el.text for el in root.iter(f"{SRX}literal")]
    assert literals == ["Camden 028B"]


def test_select_as_csv(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows == [{"label": "Camden 028B"}]


def test_select_as_tsv(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    # TSV is not CSV with tabs: quotes belong to the terms, so split by hand.
    rows = [line.split("\t") for line in response.text.splitlines()]
    assert rows == [["?label"], ['"Camden 028B"@en']]


def test_ask_as_json_and_xml(client):
    as_json = client.get("/sparql", params={"query": ASK})
    assert json.loads(as_json.content)["boolean"] is True
    as_xml = client.get("/sparql", params={"query": ASK, "format": "xml"})
    assert ET.fromstring(as_xml.content).find(f"{SRX}boolean").text == "true"


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_construct_in_every_graph_format(client, accept):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = parse(response)
    assert (URIRef(f"{BASE}/id/lsoa/E01000914"), RDFS.label, Literal("Camden 028B", lang="en")) in graph


def test_construct_defaults_to_turtle(client):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(parse(response)) == 4


def test_dataset_parameters_reach_the_store(client):
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{BASE}/id/lsoa/E01000914> ?p ?o }} }} LIMIT 1"
    response = client.get("/sparql?" + urlencode({"query": query, "named-graph-uri": GRAPH}))
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [GRAPH]
    nothing = client.get("/sparql?" + urlencode({"query": SELECT, "default-graph-uri": f"{BASE}/graph/none"}))
    assert labels_from_json(nothing.content) == []


def test_malformed_query_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_query"
    assert "1:" in error["message"]  # the parser says where


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"query": "", "format": "json"}),  # a bare GET is the service description
    lambda c: c.get("/sparql", params={"query": "  "}),
    lambda c: c.post("/sparql", data={"other": "x"}),
])
def test_missing_query_is_400(client, send):
    response = send(client)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_query"


def test_two_queries_are_400(client):
    response = client.get("/sparql?" + urlencode([("query", ASK), ("query", ASK)]))
    assert response.status_code == 400
    assert "one query" in response.json()["error"]["message"]


def test_other_post_bodies_are_400(client):
    response = client.post("/sparql", content=b'{"query": "ASK {}"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "application/sparql-query" in response.json()["error"]["message"]


@pytest.mark.parametrize("send", [
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.get("/sparql", params={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
])
def test_updates_are_refused(client, send, store):
    before = store.version()
    response = send(client)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    assert store.version() == before
    assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


def test_unacceptable_result_format_is_406(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    message = response.json()["error"]["message"]
    assert "application/sparql-results+json" in message and "text/csv" in message


def test_truncated_results_say_so(store, settings):
    import dataclasses

    from fastapi.testclient import TestClient

    from linkeddata.web.app import create_app

    small = TestClient(create_app(store, dataclasses.replace(settings, result_limit=2)))
    response = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.headers["x-sparql-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 2
    page = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/html"})
    assert "cut at 2 rows" in page.text
    whole = small.get("/sparql", params={"query": ASK})
    assert "x-sparql-truncated" not in whole.headers


def test_conditional_get(client):
    first = client.get("/sparql", params={"query": SELECT})
    again = client.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_cors_preflight(client):
    response = client.options("/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
