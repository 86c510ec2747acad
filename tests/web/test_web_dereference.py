"""Dereferencing: /id/ and /def/ 303 to their documents; documents say what the store says."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from linkeddata.namespaces import SDMX_DIMENSION, SR

from .conftest import BASE, GRAPH, expected_graph
from .rdfcheck import assert_contains, parse

LSOA = URIRef(f"{BASE}/id/lsoa/E01000914")
FORCE_AREA = URIRef(f"{BASE}/id/police-force-area/E23000001")
CRIME = URIRef(f"{BASE}/id/crime/320930473d454d613ead909a28008a91a607c93f8b74339623a4cec4a252b0dd")
CRIME_TYPE = URIRef(f"{BASE}/def/crime/crimeType")
OBSERVATION = URIRef(f"{BASE}/data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london")


def graph_of(*triples) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph


@pytest.mark.parametrize("path, location", [
    ("/id/lsoa/E01000914", f"{BASE}/doc/lsoa/E01000914"),
    ("/id/lsoa/E01000914.ttl", f"{BASE}/doc/lsoa/E01000914.ttl"),
    ("/id/lsoa/E01000914?format=jsonld", f"{BASE}/doc/lsoa/E01000914?format=jsonld"),
    ("/def/crime/crimeType", f"{BASE}/doc/def/crime/crimeType"),
    ("/def/crime/crime-type/bicycle-theft.nt", f"{BASE}/doc/def/crime/crime-type/bicycle-theft.nt"),
])
def test_things_303_to_their_documents(client, path, location):
    for method in ("GET", "HEAD"):
        response = client.request(method, path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == location


def test_following_the_303_gets_the_document(client):
    response = client.get("/id/lsoa/E01000914", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert str(response.url).endswith("/doc/lsoa/E01000914")
    assert_contains(parse(response), graph_of((LSOA, RDFS.label, Literal("Camden 028B", lang="en"))))


def test_document_has_outgoing_links_labels_of_linked_uris_and_incoming_links(client):
    graph = parse(client.get("/doc/lsoa/E01000914.ttl"))
    assert_contains(graph, graph_of(
        (LSOA, SR.within, FORCE_AREA),
        (LSOA, OWL.sameAs, URIRef("http://statistics.data.gov.uk/id/statistical-geography/E01000914")),
        (FORCE_AREA, RDFS.label, Literal("Metropolitan Police", lang="en")),  # label of a linked URI
        (OBSERVATION, SDMX_DIMENSION.refArea, LSOA),  # incoming
        (CRIME, URIRef(f"{BASE}/def/crime/lsoa"), LSOA),  # incoming
        (CRIME, RDFS.label, Literal("Bicycle theft, On or near Star Yard, January 2019", lang="en")),
    ))


def test_def_document_is_about_the_def_uri(client):
    graph = parse(client.get("/doc/def/crime/crimeType", headers={"Accept": "application/n-triples"}))
    assert_contains(graph, graph_of((CRIME_TYPE, RDFS.label, Literal("crime type", lang="en"))))
    # and its incoming links: every observation and crime uses it... as a predicate, not an object
    assert (CRIME_TYPE, None, None) in graph


def test_data_uris_are_their_own_documents(client):
    response = client.get("/data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london.jsonld")
    assert response.status_code == 200
    expected = expected_graph()
    graph = parse(response)
    assert_contains(graph, graph_of(*expected.triples((OBSERVATION, None, None))))


def test_named_graph_document_holds_the_graph(client):
    response = client.get("/graph/test", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(parse(response)) == len(expected_graph())
    page = client.get("/graph/test", headers={"Accept": "text/html"})
    assert page.status_code == 200 and f"{len(expected_graph())} triples" in page.text
    assert client.get("/graph/nothing").status_code == 404
    assert GRAPH.endswith("/graph/test")


def test_uri_that_names_nothing_is_404(client):
    response = client.get("/doc/lsoa/E99999999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    page = client.get("/id/lsoa/E99999999", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "E99999999" in page.text


def test_head_answers_like_get_without_a_body(client):
    get = client.get("/doc/lsoa/E01000914.ttl")
    head = client.head("/doc/lsoa/E01000914.ttl")
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "etag", "link", "vary", "content-length"):
        assert head.headers[name] == get.headers[name]


def test_etag_and_if_none_match_give_304(client):
    first = client.get("/doc/lsoa/E01000914", headers={"Accept": "text/turtle"})
    tag = first.headers["etag"]
    again = client.get("/doc/lsoa/E01000914", headers={"Accept": "text/turtle", "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    # Another variant of the same URL has another tag, so it is not "not modified".
    html = client.get("/doc/lsoa/E01000914", headers={"Accept": "text/html", "If-None-Match": tag})
    assert html.status_code == 200 and html.headers["etag"] != tag


@pytest.mark.parametrize("path", ["/doc/a|b", "/data/a^b", "/doc/a\\b", "/graph/a|b"])
def test_characters_illegal_in_iris_never_reach_the_store(client, path):
    # httpx sends these as they are (it escapes the rest), so the server sees them raw.
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 400, path
    assert response.json()["error"]["code"] == "bad_uri"


def test_escaped_characters_stay_escaped_in_the_uri(client):
    # %3E is legal in an IRI: the URI ".../x%3E%20%7B" is well formed and names nothing.
    response = client.get("/doc/x%3E%20%7B")
    assert response.status_code == 404
    assert "/id/x%3E%20%7B" in response.json()["error"]["message"]


def test_reads_are_open_to_every_origin(client):
    response = client.get("/doc/lsoa/E01000914", headers={"Origin": "http://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
