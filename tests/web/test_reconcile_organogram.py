"""Reconciling an organogram's organisations, units and posts, through HTTP against the real app
on the bundled senior organogram files (the Home Office on two dates, two agencies on one).

Every name and reference checked comes from the CSVs in data/organogram/; the URIs expected are
minted from them here (`uris.slug`), not read back from the service.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from linkeddata.cli import main
from linkeddata.settings import Settings, resource_dir
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.uris import slug
from linkeddata.web.app import create_app

from .conftest import BASE
from .test_reconcile import ask, check_error, check_manifest

ORGANOGRAM = resource_dir("data") / "organogram"
HOME_OFFICE = f"{BASE}/id/organisation/home-office"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("organogram-reconcile") / "store"
    assert main(["build", "--store", str(path), "organogram-senior-posts"]) == 0
    store = EmbeddedStore(path, BASE, read_only=True)
    with TestClient(create_app(store, Settings(base_uri=BASE)), raise_server_exceptions=False) as c:
        yield c
    store.close()


def senior_rows() -> list[dict[str, str]]:
    rows = []
    for path in sorted(ORGANOGRAM.glob("*-senior.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def organisation(name: str) -> str:
    return f"{BASE}/id/organisation/{slug(name)}"


def matches(client: TestClient, queries: list[dict]) -> list[list[str]]:
    """The ids each query matches (at most one), in batches of the manifest's size."""
    out: list[list[str]] = []
    for start in range(0, len(queries), 100):
        chunk = queries[start:start + 100]
        answer = ask(client, {f"q{i}": q for i, q in enumerate(chunk)}, post=True)
        out += [[c["id"] for c in answer[f"q{i}"]["result"] if c["match"]] for i in range(len(chunk))]
    return out


def test_organisations_units_and_posts_are_types(client):
    manifest = client.get("/reconcile").json()
    check_manifest(manifest)
    assert {"organisation", "organisation-unit", "post", "civil-service-grade"} <= {t["id"] for t in manifest["defaultTypes"]}
    proposed = client.get("/reconcile/properties", params={"type": "post"}).json()
    assert {"unit", "grade", "reports-to", "organisation", "national-uri", "code"} <= {p["id"] for p in proposed["properties"]}


def test_every_post_reference_of_the_files_is_a_certain_match(client):
    posts = sorted({(r["Organisation"], r["Post Unique Reference"]) for r in senior_rows()})
    queries = [{"query": ref, "type": "post", "properties": [{"pid": "organisation", "v": org}]} for org, ref in posts]
    expected = [[f"{organisation(org)}/post/{ref}"] for org, ref in posts]
    got = matches(client, queries)
    wrong = [(p, g) for p, g, e in zip(posts, got, expected) if g != e]
    assert not wrong, f"{len(wrong)} of {len(posts)}: {wrong[:5]}"
    assert len(posts) > 200


def test_a_reference_two_organisations_use_needs_the_organisation(client):
    # 1FC27 is a post of the Home Office and of the Identity & Passport Service in the files.
    alone = ask(client, {"q": {"query": "1FC27", "type": "post"}})["q"]["result"]
    assert len(alone) == 2 and not any(c["match"] for c in alone) and {c["score"] for c in alone} == {100}
    (ips,) = matches(client, [{"query": "1FC27", "properties": [{"pid": "organisation", "v": "Identity and Passport Service"}]}])
    assert ips == [f"{BASE}/id/organisation/identity-passport-service/post/1FC27"]


def test_every_unit_name_of_the_files_is_a_certain_match_with_its_organisation(client):
    units = sorted({(r["Organisation"], r["Unit"]) for r in senior_rows()})
    queries = [{"query": unit, "type": "organisation-unit", "properties": [{"pid": "organisation", "v": org}]}
               for org, unit in units]
    got = matches(client, queries)
    wrong = [(u, g) for u, g in zip(units, got) if g != [f"{organisation(u[0])}/unit/{slug(u[1])}"]]
    assert not wrong, f"{len(wrong)} of {len(units)}: {wrong[:5]}"
    # A unit name one organisation alone has needs no organisation.
    owners = defaultdict(set)
    for org, unit in units:
        owners[unit].add(org)
    alone = [(org, unit) for org, unit in units if len(owners[unit]) == 1]
    got = matches(client, [{"query": unit, "type": "organisation-unit"} for _, unit in alone])
    assert got == [[f"{organisation(org)}/unit/{slug(unit)}"] for org, unit in alone]
    shared = next(unit for unit, orgs in sorted(owners.items()) if len(orgs) > 1)  # "Operations"
    assert matches(client, [{"query": shared, "type": "organisation-unit"}]) == [[]]


def test_a_job_title_with_its_unit_is_a_certain_match(client):
    """A title several posts share is no match alone; with the unit, where that leaves one post
    (on any of its dates), it is."""
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in senior_rows():
        post = (r["Organisation"], r["Post Unique Reference"])
        titles[post].add(r["Job Title"])
        units[post].add(r["Unit"])
    cases = []
    for title, unit in sorted({(t, u) for p in titles for t in titles[p] for u in units[p]}):
        posts = [p for p in titles if title in titles[p] and unit in units[p]]
        if len(posts) == 1 and len([p for p in titles if title in titles[p]]) > 1:
            cases.append((title, unit, posts[0]))
    assert ("Programme Director", "Programme Office", ("Home Office", "2OSCT04")) in cases
    got = matches(client, [{"query": t, "type": "post", "properties": [{"pid": "unit", "v": u}]} for t, u, _ in cases])
    assert got == [[f"{organisation(org)}/post/{ref}"] for _, _, (org, ref) in cases]
    assert matches(client, [{"query": t, "type": "post"} for t, _, _ in cases]) == [[] for _ in cases]


def test_the_posts_reporting_to_a_post_by_the_property_alone(client):
    # Any date's line counts: the posts that reported to the Director General of OSCT on either date.
    expected = {f"{HOME_OFFICE}/post/{r['Post Unique Reference']}" for r in senior_rows()
                if r["Organisation"] == "Home Office" and r["Reports to Senior Post"] == "3OSCT01"}
    query = {"type": "post", "limit": 100, "properties": [{"pid": "reports-to", "v": "3OSCT01"}]}
    result = ask(client, {"q": query})["q"]["result"]
    assert {c["id"] for c in result} == expected and len(expected) >= 6


@pytest.mark.parametrize("text, type_id, expected", [
    ("Home Office", "organisation", HOME_OFFICE),
    ("Identity and Passport Service", "organisation", f"{BASE}/id/organisation/identity-passport-service"),
    ("Director Prevent", "post", f"{HOME_OFFICE}/post/2OSCT03"),
    ("2osct03", None, f"{HOME_OFFICE}/post/2OSCT03"),  # a reference however cased
    ("http://reference.data.gov.uk/id/department/ho/post/2OSCT03", "post", f"{HOME_OFFICE}/post/2OSCT03"),
    ("Border Security Unit", "organisation-unit", f"{HOME_OFFICE}/unit/border-security-unit"),
    ("SCS2", "civil-service-grade", f"{BASE}/def/organogram/civil-service-grade/scs2"),
])
def test_names_and_references_people_write(client, text, type_id, expected):
    query = {"query": text, **({"type": type_id} if type_id else {})}
    assert matches(client, [query]) == [[expected]]


def test_a_post_on_one_date_is_not_a_candidate(client):
    # The post across dates is what other datasets link to; its dated versions are not offered.
    for text in ("Director Prevent", "Director Prevent (30 September 2012)", "2OSCT03"):
        result = ask(client, {"q": {"query": text}})["q"]["result"]
        assert result and all(c["id"].count("/") == 7 for c in result if "/post/" in c["id"]), result


def test_data_extension_gives_a_posts_unit_grade_and_whom_it_reports_to_on_its_latest_date(client):
    # EQV03 was in Animal Scientific Procedures on 2011-03-31, Animals in Science Regulation Unit on 2012-09-30.
    eqv03, prevent = f"{HOME_OFFICE}/post/EQV03", f"{HOME_OFFICE}/post/2OSCT03"
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for date in ("2011-03-31", "2012-09-30"):
        with (ORGANOGRAM / f"home_office-{date}-senior.csv").open(encoding="utf-8") as handle:
            rows.update({(r["Post Unique Reference"], date): r for r in csv.DictReader(handle)})
    latest = rows["EQV03", "2012-09-30"]
    query = {"ids": [eqv03, prevent, f"{BASE}/id/lsoa/none"],
             "properties": [{"id": "unit"}, {"id": "grade"}, {"id": "reports-to"}, {"id": "organisation"}, {"id": "national-uri"}]}
    body = client.get("/reconcile", params={"extend": json.dumps(query)}).json()
    assert [m.get("type", {}).get("id") for m in body["meta"]] == [
        "organisation-unit", "civil-service-grade", "post", "organisation", None]
    row = body["rows"][eqv03]
    assert row["unit"] == [{"id": f"{HOME_OFFICE}/unit/{slug(latest['Unit'])}", "name": latest["Unit"]}]
    assert row["grade"][0]["id"] == f"{BASE}/def/organogram/civil-service-grade/{latest['Grade (or equivalent)'].lower()}"
    assert [v["id"] for v in row["reports-to"]] == [f"{HOME_OFFICE}/post/{latest['Reports to Senior Post']}"]
    assert row["organisation"] == [{"id": HOME_OFFICE, "name": "Home Office"}]
    assert row["national-uri"] == [{"str": latest["URI"]}]
    assert body["rows"][prevent]["reports-to"] == [{"id": f"{HOME_OFFICE}/post/3OSCT01",
                                                   "name": rows["3OSCT01", "2012-09-30"]["Job Title"]}]
    assert body["rows"][f"{BASE}/id/lsoa/none"] == {p["id"]: [] for p in query["properties"]}
    # In a query, the unit of any date agrees: the 2011 unit narrows as the 2012 one does.
    older = rows["EQV03", "2011-03-31"]["Unit"]
    result = ask(client, {"q": {"query": "EQV03", "properties": [{"pid": "unit", "v": older}]}})["q"]["result"]
    assert result[0]["id"] == eqv03 and result[0]["match"]


def test_a_posts_preview_shows_its_unit_grade_and_line_on_its_latest_date(client):
    page = client.get("/reconcile/preview", params={"id": f"{HOME_OFFICE}/post/2OSCT03"})
    assert page.status_code == 200 and page.headers["content-security-policy"].endswith("frame-ancestors *")
    for text in ("Director Prevent", "2OSCT03", "Prevent", "SCS2", f"{HOME_OFFICE}/post/3OSCT01", "2012-09-30"):
        assert text in page.text
    unit = client.get("/reconcile/preview", params={"id": f"{HOME_OFFICE}/unit/prevent"})
    assert unit.status_code == 200 and f'href="{HOME_OFFICE}"' in unit.text


def test_suggest_and_bad_values(client):
    found = client.get("/reconcile/suggest/entity", params={"prefix": "prev", "type": "organisation-unit"}).json()
    assert found["result"][0]["id"] == f"{HOME_OFFICE}/unit/prevent"
    props = client.get("/reconcile/suggest/property", params={"prefix": "rep", "type": "post"}).json()
    assert [p["id"] for p in props["result"]] == ["reports-to"]
    # A value naming nothing narrows to nothing; a malformed one is a clear 400.
    result = ask(client, {"q": {"query": "2OSCT03", "properties": [{"pid": "unit", "v": "No Such Unit"}]}})["q"]["result"]
    assert result and not result[0]["match"] and result[0]["score"] == 50
    check_error(client.get("/reconcile", params={"queries": json.dumps(
        {"q": {"query": "2OSCT03", "properties": [{"pid": "unit", "v": [["x"]]}]}})}), 400)
