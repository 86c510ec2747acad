"""The police.uk API's stop and search methods (/api/stops-*) against what the bundled stop and
search CSVs say: through HTTP on the real app, and with the real `uk-police` client on a real
server (`police-api-client` has no stop and search methods)."""

from __future__ import annotations

import json
import re
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app
from linkeddata.web.policeuk import lookup
from shared import BASE

from . import policeuk_expected as expected
from .live import serving

SEARCH_URI = re.compile(re.escape(BASE) + r"/id/stop-and-search/(\d{4}-\d{2})/([a-z-]+)/[0-9a-f]{16}")


def _first_point(month: str) -> tuple[float, float]:
    found = next(s for s in expected.stops() if s.month == month and s.lat is not None)
    return found.lat, found.lng


def _square(lat: float, lng: float, half: float) -> tuple[list[tuple[float, float]], str]:
    """A square around a point: its corners, and as police.uk's `poly`."""
    corners = [(lat - half, lng - half), (lat + half, lng - half), (lat + half, lng + half), (lat - half, lng + half)]
    return corners, ":".join(f"{a:.6f},{b:.6f}" for a, b in corners)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """Street-level crime, outcomes and stop and search from the bundled files, published by the CLI."""
    from linkeddata.cli import main

    path = tmp_path_factory.mktemp("policeuk-stops") / "store"
    assert main(["build", "--store", str(path), "street-crime", "crime-outcomes", "stop-and-search"]) == 0
    opened = EmbeddedStore(path, BASE, read_only=True)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def api(store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(store, Settings(base_uri=BASE, api_rate_limit=0)), raise_server_exceptions=False) as client:
        yield client


def _canonical(items: list[dict]) -> list[str]:
    return sorted(json.dumps(i, sort_keys=True) for i in items)


def compare(answer: list[dict], searches: list[expected.Stop]) -> None:
    """The same searches (as a multiset: police.uk gives them no ID), each with its own URI."""
    assert _canonical([expected.comparable_stop(a) for a in answer]) == _canonical([s.json() for s in searches])
    assert len({a["uri"] for a in answer}) == len(answer)
    for a in answer:
        match = SEARCH_URI.fullmatch(a["uri"])
        assert match and match.group(1) >= a["datetime"][:7], a["uri"]  # its month in UK time, its date UTC
        if a["location"] is not None:
            assert isinstance(a["location"]["street"]["id"], int) and a["location"]["street"]["name"] is None
        if a["outcome_object"] is not None:
            assert a["outcome_object"]["id"] == a["outcome_object"]["id"].lower() and a["outcome_object"]["id"]


# --- Through HTTP, against the source files --------------------------------------------------------

def test_dates_list_the_forces_with_stop_and_search_each_month(api):
    answer = api.get("/api/crimes-street-dates").json()
    stops = expected.stop_dates()
    assert [d["date"] for d in answer] == sorted({*expected.months(), *stops}, reverse=True)
    assert {d["date"]: d["stop-and-search"] for d in answer} == {d["date"]: stops.get(d["date"], []) for d in answer}
    assert stops["2016-06"] == ["metropolitan"]


@pytest.mark.parametrize("month", ["2016-06", "2019-01", "2020-04"])
def test_stops_within_a_mile(api, month):
    point = _first_point(month)
    answer = api.get("/api/stops-street", params={"lat": point[0], "lng": point[1], "date": month})
    assert answer.status_code == 200
    compare(answer.json(), expected.stops_near(month, *point))
    assert answer.json(), "the case should find some searches"


def test_the_date_defaults_to_the_latest_month_with_stop_and_search(api):
    latest = max(expected.stop_dates())
    point = _first_point(latest)
    answer = api.get("/api/stops-street", params={"lat": point[0], "lng": point[1]}).json()
    compare(answer, expected.stops_near(latest, *point))


def test_stops_in_a_polygon_by_get_and_post(api):
    square, poly = _square(*_first_point("2016-06"), 0.03)
    by_get = api.get("/api/stops-street", params={"poly": poly, "date": "2016-06"}).json()
    by_post = api.post("/api/stops-street", data={"poly": poly, "date": "2016-06"}).json()
    compare(by_get, expected.stops_inside("2016-06", square))
    assert by_post == by_get and by_get


def test_stops_at_a_location(api):
    point = _first_point("2019-01")
    near = api.get("/api/stops-street", params={"lat": point[0], "lng": point[1], "date": "2019-01"}).json()
    place = next(a["location"] for a in near if (float(a["location"]["latitude"]), float(a["location"]["longitude"])) == point)
    answer = api.get("/api/stops-at-location", params={"location_id": place["street"]["id"], "date": "2019-01"}).json()
    compare(answer, expected.stops_at_point("2019-01", *point))
    assert all(a["location"]["street"]["id"] == place["street"]["id"] for a in answer)


def test_a_point_has_one_location_id_for_crimes_and_searches(api):
    lat, lng = next((s.lat, s.lng) for s in expected.stops() if s.month == "2019-01" and s.lat is not None
                    and expected.at_point("2019-01", s.lat, s.lng))
    crimes = api.get("/api/crimes-at-location", params={"lat": lat, "lng": lng, "date": "2019-01"}).json()
    place = crimes[0]["location"]["street"]["id"]
    searches = api.get("/api/stops-at-location", params={"location_id": place, "date": "2019-01"}).json()
    compare(searches, expected.stops_at_point("2019-01", lat, lng))
    assert searches


@pytest.mark.parametrize("month, force", [("2016-06", "metropolitan"), ("2020-04", "city-of-london")])
def test_stops_with_no_location(api, month, force):
    answer = api.get("/api/stops-no-location", params={"force": force, "date": month}).json()
    compare(answer, expected.stops_of_force(month, force, unplaced_only=True))
    assert answer and all(a["location"] is None for a in answer)


@pytest.mark.parametrize("month, force", [("2016-06", "metropolitan"), ("2019-01", "city-of-london"), ("2020-04", "city-of-london")])
def test_stops_of_a_force_are_its_whole_month(api, month, force):
    answer = api.get("/api/stops-force", params={"force": force, "date": month}).json()
    compare(answer, expected.stops_of_force(month, force))
    assert all(SEARCH_URI.fullmatch(a["uri"]).group(1, 2) == (month, force) for a in answer)


def test_blank_cells_are_null(api):
    answer = api.get("/api/stops-force", params={"force": "metropolitan", "date": "2016-06"}).json()
    blank = [a for a in answer if a["age_range"] is None]
    assert blank and len(blank) == len([s for s in expected.stops_of_force("2016-06", "metropolitan") if s.age_range is None])
    assert any(a["outcome"] is None and a["outcome_object"] is None
               for a in api.get("/api/stops-force", params={"force": "city-of-london", "date": "2019-01"}).json()
               + api.get("/api/stops-force", params={"force": "city-of-london", "date": "2020-04"}).json()
               + answer)


def test_a_force_with_no_searches_that_month_has_none(api):
    assert api.get("/api/stops-force", params={"force": "dyfed-powys", "date": "2016-06"}).json() == []


def test_each_search_links_to_its_linked_data(api):
    one = api.get("/api/stops-force", params={"force": "city-of-london", "date": "2019-01"}).json()[0]
    page = api.get(one["uri"].replace(BASE, ""), headers={"Accept": "application/n-triples"})
    assert page.status_code == 200 and "StopAndSearch" in page.text


# --- Bad input: police.uk's statuses, a clear message naming the parameter ----------------------------

@pytest.mark.parametrize("path, params, status, named", [
    ("/api/stops-force", {"force": "atlantis"}, 404, "police force"),
    ("/api/stops-no-location", {"force": "atlantis", "date": "2016-06"}, 404, "police force"),
    ("/api/stops-force", {}, 400, "?force="),
    ("/api/stops-no-location", {"date": "2016-06"}, 400, "?force="),
    ("/api/stops-force", {"force": "metropolitan", "date": "2016-6"}, 400, "?date="),
    ("/api/stops-force", {"force": "metropolitan", "date": "2013-06"}, 404, "no stop and search is published for 2013-06"),
    ("/api/stops-street", {"lat": "north", "lng": "-0.1"}, 400, "?lat="),
    ("/api/stops-street", {"lat": "51.5", "lng": "181"}, 400, "?lng="),
    ("/api/stops-street", {"lat": "51.5"}, 400, "?lng="),
    ("/api/stops-street", {}, 400, "?poly="),
    ("/api/stops-street", {"poly": "51.5,-0.1:51.6,-0.1"}, 400, "3 different corners"),
    ("/api/stops-street", {"poly": "51.5,-0.1:x,y:51.6,0"}, 400, "corner 2"),
    ("/api/stops-at-location", {"date": "2019-01"}, 400, "?location_id="),
    ("/api/stops-at-location", {"location_id": "1 OR 1=1", "date": "2019-01"}, 400, "?location_id="),
])
def test_bad_requests_are_answered_clearly(api, path, params, status, named):
    answer = api.get(path, params=params)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["status"] == status and named in error["message"]


def test_more_than_the_cap_is_503(api, monkeypatch):
    monkeypatch.setattr(lookup, "RESULT_CAP", 5)
    london = "51.3,-0.5:51.7,-0.5:51.7,0.3:51.3,0.3"
    answer = api.get("/api/stops-street", params={"poly": london, "date": "2016-06"})
    assert answer.status_code == 503 and "more than the 5" in answer.json()["error"]["message"]


def test_the_api_page_links_a_working_example_of_each_stops_method(api):
    page = api.get("/api/", headers={"Accept": "text/html"}).text
    examples = [href.replace("&amp;", "&") for href in re.findall(r'href="(/api/stops-[^"]+)"', page)]
    assert {e.split("?")[0] for e in examples} == {"/api/stops-street", "/api/stops-at-location",
                                                    "/api/stops-no-location", "/api/stops-force"}
    for href in examples:
        answer = api.get(href)
        assert answer.status_code == 200 and answer.json(), href


# --- The real client, on a real server ---------------------------------------------------------------

def test_uk_police(store):
    from uk_police.stop_search import StopSearch

    with serving(create_app(store, Settings(base_uri=BASE, api_rate_limit=0))) as root:
        client = StopSearch()
        client.client.BASE_URL = root + "/api"
        try:
            point = _first_point("2019-01")
            compare(client.stop_and_search_by_area(lat=point[0], lng=point[1], date="2019-01"),
                    expected.stops_near("2019-01", *point))
            square, poly = _square(*point, 0.01)
            compare(client.stop_and_search_by_area(poly=poly, date="2019-01"), expected.stops_inside("2019-01", square))
            place = next(a for a in client.stop_and_search_by_force("city-of-london", date="2019-01") if a["location"])
            compare(client.stop_and_search_by_location(str(place["location"]["street"]["id"]), date="2019-01"),
                    expected.stops_at_point("2019-01", float(place["location"]["latitude"]),
                                            float(place["location"]["longitude"])))
            compare(client.stop_and_search_no_location("metropolitan", date="2016-06"),
                    expected.stops_of_force("2016-06", "metropolitan", unplaced_only=True))
            compare(client.stop_and_search_by_force("city-of-london", date="2020-04"),
                    expected.stops_of_force("2020-04", "city-of-london"))
        finally:
            client.client.close()
