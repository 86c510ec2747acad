"""Search over everything minted, by name or code: ranked, fast, on every page, and the
type-ahead of the dataset pages' area filter. Through HTTP on the bundled data."""

from __future__ import annotations

import statistics
import time

import pytest

from shared import BASE

HTML = {"Accept": "text/html"}


def first(client, q: str, **params) -> dict:
    body = client.get("/search.json", params={"q": q, **params}).json()
    assert body["results"], f"nothing found for {q!r}"
    return body["results"][0]


@pytest.mark.parametrize("q, uri", [
    ("E01000001", "/id/lsoa/E01000001"),
    ("camden", "/id/local-authority/E09000007"),
    ("Camden 028B", "/id/lsoa/E01000914"),
    ("burglary", "/def/crime/crime-type/burglary"),
    ("2019-01", "/id/month/2019-01"),
    ("afghanistan", "/def/migration/nationality/afg"),
    ("AFG", "/def/migration/nationality/afg"),
    ("hate crime", "/data/hate-crime"),
    ("dyfed", "/id/police-force/dyfed-powys"),
    ("E23000034", "/id/police-force-area/E23000034"),
])
def test_names_and_codes_find_what_they_name(bundled, q, uri):
    client, _ = bundled
    assert first(client, q)["uri"] == BASE + uri


def test_results_say_what_each_thing_is_and_leave_out_records(bundled):
    client, _ = bundled
    hits = client.get("/search.json", params={"q": "city of london", "limit": 50}).json()["results"]
    assert {"Police force area", "Police forces"} <= {h["kind"] for h in hits}
    assert not [h for h in hits if "/id/crime/" in h["uri"] or "/graph/" in h["uri"]]


def test_the_search_page_and_box_on_every_page(bundled):
    client, _ = bundled
    for path in ("/", "/data/street-crime", "/doc/lsoa/E01000001", "/catalogue", "/sparql", "/search"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200 and '<form class="search"' in page.text, path
    page = client.get("/search", params={"q": "burglary"}, headers=HTML).text
    assert f'<a href="{BASE}/def/crime/crime-type/burglary">Burglary</a>' in page
    assert client.get("/search", params={"q": "burglary"}, headers={"Accept": "application/json"}).json()["results"]
    assert client.get("/search.json", params={"q": "x" * 201}).status_code == 400


def test_the_area_type_ahead_offers_only_the_datasets_areas(bundled):
    client, _ = bundled
    hits = client.get("/search.json", params={"q": "city of london", "within": "street-crime", "dimension": "refArea"}).json()["results"]
    assert hits and all(h["uri"].startswith((f"{BASE}/id/lsoa/", f"{BASE}/id/area/")) for h in hits)
    page = client.get("/data/street-crime", headers=HTML).text
    assert 'data-suggest="/search.json?within=street-crime&amp;dimension=refArea"' in page
    # Without the script, the field takes an exact name too.
    by_name = client.get("/data/street-crime.json", params={"refArea": "City of London 001A"}).json()
    assert by_name["filters"]["refArea"] == [f"{BASE}/id/lsoa/E01000001"]


def test_answers_in_under_50_ms(bundled):
    client, _ = bundled
    client.get("/search.json", params={"q": "warm"})
    took = []
    for q in ("camden", "E01000001", "city of lon", "burglary", "2019", "afg", "police force", "w"):
        started = time.perf_counter()
        assert client.get("/search.json", params={"q": q}).status_code == 200
        took.append((time.perf_counter() - started) * 1000)
    assert statistics.median(took) < 50, took
