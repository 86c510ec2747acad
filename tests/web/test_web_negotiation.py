"""Content negotiation through HTTP: Accept with lists and q-values, suffixes, ?format=, 406."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from .conftest import BASE
from .rdfcheck import assert_contains, parse

LSOA = URIRef(f"{BASE}/id/lsoa/E01000914")
DOC = "/doc/lsoa/E01000914"
LABEL = (LSOA, RDFS.label, Literal("Camden 028B", lang="en"))


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
        ("text/html;q=0.5, application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
        ("text/*;q=0.9, text/html;q=0.1", "text/turtle"),  # the specific range wins for html
        ("text/html;q=0, */*", "text/turtle"),  # q=0 means "not html"
        ("application/xhtml+xml", "text/html"),
        ("*/*", "text/html"),
        ("", "text/html"),
    ],
)
def test_accept_picks_the_format(client, accept, media_type):
    response = client.get(DOC, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"] == "Accept"
    if media_type != "text/html":
        assert_contains(parse(response), _graph(LABEL))


@pytest.mark.parametrize("key, media_type", [
    ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml"), ("html", "text/html"),
])
def test_suffix_and_format_parameter_pick_the_format(client, key, media_type):
    by_suffix = client.get(f"{DOC}.{key}", headers={"Accept": "text/html"})
    by_param = client.get(f"{DOC}?format={key}", headers={"Accept": "text/html"})
    for response in (by_suffix, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        if key != "html":
            assert_contains(parse(response), _graph(LABEL))


def test_every_document_links_its_alternates(client):
    response = client.get(DOC, headers={"Accept": "text/turtle"})
    link = response.headers["link"]
    for key, media_type in [("html", "text/html"), ("nt", "application/n-triples"),
                            ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml")]:
        assert f'<{BASE}{DOC}.{key}>; rel="alternate"; type="{media_type}"' in link
    assert 'type="text/turtle"' not in link  # the one served is not its own alternate


@pytest.mark.parametrize("request_", [
    ("/doc/lsoa/E01000914", {"Accept": "image/png"}),
    ("/doc/lsoa/E01000914", {"Accept": "text/turtle;q=0, text/html;q=0, */*;q=0"}),
    ("/doc/lsoa/E01000914?format=csv", {}),
])
def test_unacceptable_is_406_listing_what_is_offered(client, request_):
    url, headers = request_
    response = client.get(url, headers={**headers})
    assert response.status_code == 406
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    for media_type in ("text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"):
        assert media_type in error["message"]


def test_unknown_suffix_is_part_of_the_name(client):
    # Only format keys are suffixes; anything else names a (here missing) resource.
    assert client.get("/doc/lsoa/E01000914.png").status_code == 404


def _graph(*triples):
    from rdflib import Graph

    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph
