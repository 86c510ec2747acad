"""Incoming links grouped by property with counts, and paged beyond the first few (bundled data)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.describe import INCOMING_PAGE, INCOMING_PREVIEW

from shared import BASE

BURGLARY = f"{BASE}/def/crime/crime-type/burglary"
CRIME_TYPE = f"{BASE}/def/crime/crimeType"
DOC = "/doc/def/crime/crime-type/burglary"


@pytest.fixture(scope="module")
def store(street_crime_store) -> EmbeddedStore:
    return street_crime_store


@pytest.fixture(scope="module")
def web(street_crime) -> TestClient:
    return street_crime


def _subjects(store, prop: str) -> set[str]:
    return {str(r["s"]) for r in store.select(f"SELECT ?s WHERE {{ ?s <{prop}> <{BURGLARY}> }}")}


def _next(response) -> str | None:
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


def test_the_page_shows_a_few_links_per_property_with_the_full_count_and_a_link_to_all(web, store):
    expected = _subjects(store, CRIME_TYPE)
    assert len(expected) > INCOMING_PAGE * 2  # enough for three pages
    page = web.get(DOC, headers={"Accept": "text/html"}).text
    section = page.split('<section class="incoming">', 1)[1].split("</section>", 1)[0]
    group = next(g for g in section.split("<details")[1:] if ">crime type</a>" in g.split("</summary>")[0])
    assert f'<span class="count">({len(expected):,})</span>' in group
    assert len(re.findall(r"<li>", group)) == INCOMING_PREVIEW
    all_href = f"{BASE}{DOC}?{urlencode({'incoming': CRIME_TYPE})}"
    assert f'<a class="all" href="{html.escape(all_href)}">All {len(expected):,}, a page at a time</a>' in group


def test_following_next_pages_visits_every_link_once(web, store):
    expected = _subjects(store, CRIME_TYPE)
    url: str | None = f"{BASE}{DOC}?{urlencode({'incoming': CRIME_TYPE})}"
    seen: list[str] = []
    pages = 0
    while url:
        response = web.get(url[len(BASE):], headers={"Accept": "text/html"})
        assert response.status_code == 200
        pages += 1
        listing = response.text.split('<section class="incoming paged">', 1)[1].split("</section>", 1)[0]
        seen += [html.unescape(h) for h in re.findall(r'<li><a href="([^"]+)"', listing)]
        assert len(re.findall(r"<li>", listing)) <= INCOMING_PAGE
        url = _next(response)
        if url:
            assert f'<a rel="next" href="{html.escape(url)}">' in response.text
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert pages == -(-len(expected) // INCOMING_PAGE)


def test_rdf_documents_page_the_same_way(web, store):
    expected = _subjects(store, CRIME_TYPE)
    query = urlencode({"incoming": CRIME_TYPE, "page": 2})
    response = web.get(f"{DOC}.ttl?{query}")
    assert response.status_code == 200
    assert response.headers["content-location"] == f"{BASE}{DOC}.ttl?{query}"
    graph = Graph().parse(data=response.text, format="turtle")
    page = {str(s) for s in graph.subjects(URIRef(CRIME_TYPE), URIRef(BURGLARY))}
    assert len(page) == INCOMING_PAGE and page <= expected
    assert _next(response) == f"{BASE}{DOC}.ttl?{urlencode({'incoming': CRIME_TYPE, 'page': 3})}"
    assert f'<{BASE}{DOC}.ttl?{urlencode({"incoming": CRIME_TYPE})}>; rel="prev"' in response.headers["link"]
    first = Graph().parse(data=web.get(f"{DOC}.ttl?{urlencode({'incoming': CRIME_TYPE})}").text, format="turtle")
    assert not page & {str(s) for s in first.subjects(URIRef(CRIME_TYPE), URIRef(BURGLARY))}
    # Each page is its own variant for caches.
    assert response.headers["etag"] != web.get(f"{DOC}.ttl").headers["etag"]


@pytest.mark.parametrize("query", ["page=2", "incoming=x%3Ey&page=1", f"incoming={CRIME_TYPE}&page=0",
                                   f"incoming={CRIME_TYPE}&page=two"])
def test_bad_paging_is_a_400(web, query):
    response = web.get(f"{DOC}.ttl?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("bad_request", "bad_uri")
