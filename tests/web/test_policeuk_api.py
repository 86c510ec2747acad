"""The police.uk-compatible API (/api/) against what the bundled source CSVs say: through HTTP on
the real app, and with the real police.uk client libraries pointed at a real server."""

from __future__ import annotations

import doctest
import importlib
import re
import sqlite3
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

CITY = (51.515381, -0.112422)  # Star Yard, City of London: crimes in every 2019 month
CARMARTHEN = (51.674520, -4.717841)  # Dyfed-Powys, 2013-06: crimes with outcomes
SQUARE = [(51.51, -0.12), (51.52, -0.12), (51.52, -0.10), (51.51, -0.10)]


@pytest.fixture(scope="module")
def crime_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """Street-level crime and outcomes from the bundled police.uk files, published by the CLI."""
    from linkeddata.cli import main

    path = tmp_path_factory.mktemp("policeuk") / "store"
    assert main(["build", "--store", str(path), "street-crime", "crime-outcomes"]) == 0
    store = EmbeddedStore(path, BASE, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def api(crime_store: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(crime_store, Settings(base_uri=BASE, api_rate_limit=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def server(crime_store: EmbeddedStore) -> Iterator[str]:
    """The API on a real server: its root URL, as police.uk's is https://data.police.uk/api/."""
    with serving(create_app(crime_store, Settings(base_uri=BASE, api_rate_limit=0))) as root:
        yield root + "/api/"


def compare(answer: list[dict], crimes: list[expected.Crime]) -> None:
    assert len(answer) == len(crimes)
    got = {a["persistent_id"]: expected.comparable(a) for a in answer}
    assert got == {c.persistent_id: c.json() for c in crimes}
    for a in answer:
        assert a["uri"] == f"{BASE}/id/crime/{a['persistent_id']}"
        assert isinstance(a["id"], int) and a["location_subtype"] == ""


# --- Through HTTP, against the source files --------------------------------------------------------

def test_dates_are_the_published_months_newest_first(api):
    answer = api.get("/api/crimes-street-dates").json()
    assert [d["date"] for d in answer] == expected.months()
    assert answer[0]["uri"] == f"{BASE}/id/month/{answer[0]['date']}" and answer[0]["stop-and-search"] == []


def test_categories_of_a_month_start_with_all_crime(api):
    answer = api.get("/api/crime-categories", params={"date": "2019-01"}).json()
    assert answer[0]["url"] == "all-crime"
    assert {c["url"] for c in answer[1:]} >= {"burglary", "anti-social-behaviour", "violent-crime"}
    assert all(c["uri"].startswith(f"{BASE}/def/crime/crime-type") for c in answer)


def test_forces_are_the_reference_forces(api):
    answer = api.get("/api/forces").json()
    assert set(expected.forces().values()) == {f["id"] for f in answer}
    one = api.get("/api/forces/dyfed-powys").json()
    assert one["name"] == "Dyfed-Powys Police" and one["uri"] == f"{BASE}/id/police-force/dyfed-powys"


@pytest.mark.parametrize("month, category", [("2019-01", None), ("2019-03", "burglary"), ("2019-02", "violent-crime")])
def test_crimes_within_a_mile(api, month, category):
    answer = api.get(f"/api/crimes-street/{category or 'all-crime'}",
                     params={"lat": CITY[0], "lng": CITY[1], "date": month})
    assert answer.status_code == 200
    compare(answer.json(), expected.near(month, *CITY, category))
    assert answer.json(), "the case should find some crimes"


def test_the_date_defaults_to_the_latest_month(api):
    answer = api.get("/api/crimes-street/all-crime", params={"lat": CITY[0], "lng": CITY[1]}).json()
    compare(answer, expected.near(expected.months()[0], *CITY))


def test_crimes_in_a_polygon_by_get_and_post(api):
    poly = ":".join(f"{lat},{lng}" for lat, lng in SQUARE)
    by_get = api.get("/api/crimes-street/all-crime", params={"poly": poly, "date": "2019-02"}).json()
    by_post = api.post("/api/crimes-street/all-crime", data={"poly": poly, "date": "2019-02"}).json()
    compare(by_get, expected.inside("2019-02", SQUARE))
    assert by_post == by_get and by_get


def test_a_long_polygon_is_refused_by_get_and_answered_by_post(api):
    corners = [(51.51 + i * 1e-5, -0.12) for i in range(300)] + [(51.52, -0.10), (51.51, -0.10)]
    poly = ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in corners)
    refused = api.get("/api/crimes-street/all-crime", params={"poly": poly})
    assert refused.status_code == 400 and "POST" in refused.json()["error"]["message"]
    answered = api.post("/api/crimes-street/all-crime", data={"poly": poly, "date": "2019-01"})
    assert answered.status_code == 200
    compare(answered.json(), expected.inside("2019-01", corners))


def test_crimes_at_a_location_by_id_and_by_nearest_point(api):
    by_point = api.get("/api/crimes-at-location", params={"lat": CITY[0] + 0.00001, "lng": CITY[1], "date": "2019-01"})
    compare(by_point.json(), expected.at_point("2019-01", *CITY))
    location = by_point.json()[0]["location"]["street"]["id"]
    by_id = api.get("/api/crimes-at-location", params={"location_id": location, "date": "2019-01"}).json()
    assert by_id == by_point.json()
    # The same point keeps its id in another month.
    other = api.get("/api/crimes-at-location", params={"location_id": location, "date": "2019-02"}).json()
    assert all(c["location"]["street"]["id"] == location for c in other)


def test_crimes_with_no_location(api):
    answer = api.get("/api/crimes-no-location", params={"category": "all-crime", "force": "dyfed-powys", "date": "2013-06"})
    compare(answer.json(), expected.unplaced("2013-06", "dyfed-powys"))
    assert answer.json() and all(c["location"] is None and c["location_type"] is None for c in answer.json())


def test_outcomes_for_a_crime(api):
    crime = next(c for c in expected.crimes() if len([o for o in expected.outcomes() if o.crime == c.persistent_id]) > 1)
    answer = api.get(f"/api/outcomes-for-crime/{crime.persistent_id}").json()
    assert expected.comparable(answer["crime"]) == crime.json()
    want = sorted((o.month, o.name) for o in expected.outcomes() if o.crime == crime.persistent_id)
    assert sorted((o["date"], o["category"]["name"]) for o in answer["outcomes"]) == want
    for o in answer["outcomes"]:
        assert o["category"]["code"] == expected.outcome_code(o["category"]["name"]) and o["person_id"] is None
        assert o["uri"].startswith(f"{BASE}/id/crime-outcome/{crime.persistent_id}/")


def test_outcomes_near_a_point(api):
    answer = api.get("/api/outcomes-at-location", params={"lat": CARMARTHEN[0], "lng": CARMARTHEN[1], "date": "2013-06"}).json()
    crimes = {c.persistent_id for c in expected.crimes() if c.lat is not None and c.month <= "2013-06"
              and expected.within_mile(*CARMARTHEN, c.lat, c.lng)}
    want = sorted((o.crime, o.name) for o in expected.outcomes() if o.month == "2013-06" and o.crime in crimes)
    assert sorted((o["crime"]["persistent_id"], o["category"]["name"]) for o in answer) == want and want


def test_outcomes_at_a_location_and_in_a_polygon(api):
    near = api.get("/api/outcomes-at-location", params={"lat": CARMARTHEN[0], "lng": CARMARTHEN[1], "date": "2013-06"}).json()
    place = near[0]["crime"]["location"]["street"]["id"]
    at = api.get("/api/outcomes-at-location", params={"location_id": place, "date": "2013-06"}).json()
    assert at and {o["uri"] for o in at} <= {o["uri"] for o in near}
    assert all(o["crime"]["location"]["street"]["id"] == place for o in at)
    lat, lng = float(near[0]["crime"]["location"]["latitude"]), float(near[0]["crime"]["location"]["longitude"])
    square = f"{lat - 0.001},{lng - 0.001}:{lat + 0.001},{lng - 0.001}:{lat + 0.001},{lng + 0.001}:{lat - 0.001},{lng + 0.001}"
    inside = api.get("/api/outcomes-at-location", params={"poly": square, "date": "2013-06"}).json()
    assert {o["uri"] for o in at} <= {o["uri"] for o in inside} <= {o["uri"] for o in near}


def test_settings_name_a_bad_rate_limit():
    from linkeddata.errors import ConfigError

    with pytest.raises(ConfigError, match="api_rate_limit"):
        Settings(api_rate_limit=-1)
    with pytest.raises(ConfigError, match="sparql_rate_burst"):
        Settings(sparql_rate_burst=0)


# --- Bad input: police.uk's statuses, a clear message naming the parameter ----------------------------

@pytest.mark.parametrize("path, params, status, named", [
    ("/api/crimes-street/not-a-crime", {"lat": "51.5", "lng": "-0.1"}, 404, "crime category"),
    ("/api/forces/atlantis", {}, 404, "police force"),
    ("/api/crimes-no-location", {"category": "all-crime", "force": "atlantis"}, 404, "police force"),
    ("/api/crimes-no-location", {"category": "all-crime"}, 400, "?force="),
    ("/api/crimes-street/all-crime", {"lat": "51.5", "lng": "-0.1", "date": "2019-1"}, 400, "?date="),
    ("/api/crimes-street/all-crime", {"lat": "51.5", "lng": "-0.1", "date": "1999-01"}, 404, "1999-01"),
    ("/api/crimes-street/all-crime", {"lat": "north", "lng": "-0.1"}, 400, "?lat="),
    ("/api/crimes-street/all-crime", {"lat": "51.5", "lng": "200"}, 400, "?lng="),
    ("/api/crimes-street/all-crime", {"lat": "51.5"}, 400, "?lng="),
    ("/api/crimes-street/all-crime", {}, 400, "?poly="),
    ("/api/crimes-street/all-crime", {"poly": "51.5,-0.1:51.6,-0.1"}, 400, "3 different corners"),
    ("/api/crimes-street/all-crime", {"poly": "51.5,-0.1:51.6:51.6,0"}, 400, "corner 2"),
    ("/api/crimes-street/all-crime", {"poly": "51.5,-0.1:95,0:51.6,0"}, 400, "corner 2"),
    ("/api/crimes-at-location", {"location_id": "1; DROP TABLE crime"}, 400, "?location_id="),
    ("/api/outcomes-for-crime/" + "0" * 64, {}, 404, "no crime"),
])
def test_bad_requests_are_answered_clearly(api, path, params, status, named):
    answer = api.get(path, params=params)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["status"] == status and named in error["message"]


def test_a_polygon_of_too_many_corners_is_refused(api):
    poly = ":".join(f"{51 + i * 1e-4:.4f},{i % 2 * 0.01:.2f}" for i in range(1500))
    answer = api.post("/api/crimes-street/all-crime", data={"poly": poly})
    assert answer.status_code == 400 and "at most 1000" in answer.json()["error"]["message"]


def test_more_than_the_cap_is_503(api, monkeypatch):
    monkeypatch.setattr(lookup, "RESULT_CAP", 5)
    answer = api.get("/api/crimes-street/all-crime", params={"lat": CITY[0], "lng": CITY[1], "date": "2019-01"})
    assert answer.status_code == 503 and "more than the 5" in answer.json()["error"]["message"]


# --- Fair use: a leaky bucket per client, on /api/ and (configured apart) on /sparql --------------------

def test_rate_limits_answer_429_with_retry_after(crime_store):
    settings = Settings(base_uri=BASE, api_rate_limit=0.1, api_rate_burst=3, sparql_rate_limit=0.01,
                        sparql_rate_burst=2)  # slow leaks: a slow request must not make room
    with TestClient(create_app(crime_store, settings)) as client:
        statuses = [client.get("/api/forces").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/forces")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["code"] == "too_many_requests"
        ask = {"query": "ASK {}"}
        assert [client.get("/sparql", params=ask).status_code for _ in range(3)] == [200, 200, 429]
        # the reconciliation service has the same fair use as /sparql, in buckets of its own
        assert [client.get("/reconcile").status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/search.json", params={"q": "x"}).status_code == 200  # other pages are not limited


def test_rate_limits_are_off_when_set_to_0(api):
    assert all(api.get("/api/crime-last-updated").status_code == 200 for _ in range(40))


def test_the_module_docstring_examples_run():
    for name in ("index", "partitions", "geometry", "params"):
        result = doctest.testmod(importlib.import_module(f"linkeddata.web.policeuk.{name}"))
        assert result.failed == 0, name


# --- Real clients from PyPI, on a real server -----------------------------------------------------------

def test_police_api_client(server):
    from police_api import PoliceAPI

    client = PoliceAPI(base_url=server)
    assert client.get_dates() == expected.months()
    assert {f.id for f in client.get_forces()} == set(expected.forces().values())
    assert client.get_force("city-of-london").name == "City of London Police"
    assert "burglary" in {c.id for c in client.get_crime_categories(date="2019-01")}
    near = client.get_crimes_point(*CITY, date="2019-01")
    assert {c.persistent_id for c in near} == {c.persistent_id for c in expected.near("2019-01", *CITY)}
    burglaries = client.get_crimes_point(*CITY, date="2019-01", category="burglary")
    assert {c.persistent_id for c in burglaries} == {c.persistent_id for c in expected.near("2019-01", *CITY, "burglary")}
    area = client.get_crimes_area(SQUARE, date="2019-02")  # sent as a POST form
    assert {c.persistent_id for c in area} == {c.persistent_id for c in expected.inside("2019-02", SQUARE)}
    place = near[0].location
    at = client.get_crimes_location(place.id, date="2019-01")
    assert at and all(c.location.id == place.id for c in at)
    assert {c.persistent_id for c in at} == {c.persistent_id for c in expected.at_point("2019-01", float(place.latitude), float(place.longitude))}
    unplaced = client.get_crimes_no_location("dyfed-powys", date="2013-06")
    assert {c.id for c in unplaced} and len(unplaced) == len(expected.unplaced("2013-06", "dyfed-powys"))
    crime = next(c for c in expected.crimes() if c.outcome and any(o.crime == c.persistent_id for o in expected.outcomes()))
    found = client.get_crime(crime.persistent_id)
    assert found.category.id == crime.category and found.month == crime.month
    assert sorted(o.category.name for o in found.outcomes) == sorted(
        o.name for o in expected.outcomes() if o.crime == crime.persistent_id)


def test_uk_police(server):
    from uk_police.forces import Forces
    from uk_police.street_level import StreetLevelCrime

    street, forces = StreetLevelCrime(), Forces()
    for client in (street.client, forces.client):
        client.BASE_URL = server.rstrip("/")
    try:
        assert {f["id"] for f in forces.list_forces()} == set(expected.forces().values())
        assert forces.get_force_details("dyfed-powys")["name"] == "Dyfed-Powys Police"
        assert street.get_last_updated()["date"]
        assert street.get_crime_categories(date="2019-01")[0]["url"] == "all-crime"
        compare(street.get_street_crimes_at_location(*CITY, date="2019-03"), expected.near("2019-03", *CITY))
        poly = ":".join(f"{lat},{lng}" for lat, lng in SQUARE)
        compare(street.get_street_crimes_in_area(poly, date="2019-01"), expected.inside("2019-01", SQUARE))
        at = street.get_crimes_at_specific_location(lat=CITY[0], lng=CITY[1], date="2019-01")
        compare(at, expected.at_point("2019-01", *CITY))
        location = at[0]["location"]["street"]["id"]
        assert street.get_crimes_at_specific_location(location_id=str(location), date="2019-01") == at
        compare(street.get_crimes_no_location("all-crime", "dyfed-powys", date="2013-06"),
                expected.unplaced("2013-06", "dyfed-powys"))
        outcomes = street.get_outcomes_by_coordinates(*CARMARTHEN, date="2013-06")
        assert outcomes and all(o["date"] == "2013-06" for o in outcomes)
        assert street.get_outcomes_in_area(poly, date="2019-01") == []  # no outcomes file for 2019 is bundled
        crime = next(o for o in expected.outcomes() if any(c.persistent_id == o.crime for c in expected.crimes()))
        history = street.get_outcomes_for_crime(crime.crime)
        assert history["crime"]["persistent_id"] == crime.crime
        assert crime.name in {o["category"]["name"] for o in history["outcomes"]}
    finally:
        street.client.close()
        forces.client.close()


def test_the_api_page_links_a_working_example_of_each_method(api):
    page = api.get("/api/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    examples = [href.replace("&amp;", "&") for href in re.findall(r'href="(/api/[^"]+)"', page.text)]
    assert len(examples) >= 10
    for href in examples:
        answer = api.get(href)
        assert answer.status_code == 200 and answer.json(), href


def test_the_home_page_and_catalogue_link_the_api(api):
    for path in ("/", "/catalogue"):
        assert 'href="/api/"' in api.get(path, headers={"Accept": "text/html"}).text.replace(BASE, "")


def test_head_answers_as_get_without_a_body(api):
    head = api.head("/api/forces")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"] == "application/json"


def test_answers_carry_the_release_etag(api):
    first = api.get("/api/crimes-street-dates")
    again = api.get("/api/crimes-street-dates", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_new_release_reads_only_the_partitions_it_has_not_seen(crime_store, tmp_path):
    from linkeddata.web.policeuk import index

    served = index.connection(crime_store, BASE)  # built: each month's rows kept by its graph's name
    asked: list[str] = []

    class Counting:
        def __init__(self, store):
            self.store = store

        def query(self, sparql, *args, **kwargs):
            asked.append(sparql)
            return self.store.query(sparql, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.store, name)

    index.INDEX.build(Counting(crime_store), BASE, tmp_path / "next.sqlite")
    assert asked and not [q for q in asked if "/graph/dataset/street-crime/" in q or "/graph/dataset/crime-outcomes/" in q]
    rebuilt = sqlite3.connect(tmp_path / "next.sqlite")
    for sql in ("SELECT * FROM crime ORDER BY n", "SELECT * FROM outcome ORDER BY uri", "SELECT * FROM place ORDER BY n"):
        assert rebuilt.execute(sql).fetchall() == served.execute(sql).fetchall()
