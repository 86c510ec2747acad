"""The reconciliation service (W3C Entity Reconciliation Service API 0.2), through HTTP against the
real app on the street-crime store (every reference graph: forces, areas, LSOAs, nationalities,
periods).

The shapes below are the spec's JSON schemas' required fields, written from the spec text
(reconciliation-api.github.io/specs/0.2); the query batches follow the spec's own examples
(minimal, full, multiple values, no query string, and the three invalid ones).
"""

from __future__ import annotations

import csv
import doctest
import importlib
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from linkeddata.reference import tables

BASE = "http://localhost:8000"
DATA = Path(__file__).parents[2] / "data"
LSOA = f"{BASE}/id/lsoa/E01000001"


# --- the spec's shapes -------------------------------------------------------------------------

def check_type(t: object) -> None:
    assert isinstance(t, dict) and isinstance(t["id"], str) and isinstance(t["name"], str)


def check_manifest(m: dict) -> None:
    assert "0.2" in m["versions"] and all(isinstance(v, str) for v in m["versions"])
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert isinstance(m[key], str) and m[key]
    assert "{{id}}" in m["view"]["url"]
    for t in m["defaultTypes"]:
        check_type(t)
    assert len({t["id"] for t in m["defaultTypes"]}) == len(m["defaultTypes"])  # uniqueItems
    assert "{{id}}" in m["preview"]["url"]
    assert isinstance(m["preview"]["width"], int) and isinstance(m["preview"]["height"], int)
    for service in m["suggest"].values():
        assert isinstance(service["service_url"], str) and isinstance(service["service_path"], str)
    assert set(m["suggest"]) <= {"entity", "property", "type"}
    assert isinstance(m["extend"]["propose_properties"]["service_path"], str)
    assert isinstance(m["batchSize"], int)


def check_results(batch: dict, keys: set[str]) -> None:
    assert isinstance(batch, dict) and set(batch) == keys
    for answer in batch.values():
        scores = []
        for c in answer["result"]:
            assert isinstance(c["id"], str) and isinstance(c["name"], str)
            assert isinstance(c["score"], (int, float)) and not isinstance(c["score"], bool)
            assert isinstance(c["match"], bool) and isinstance(c.get("description", ""), str)
            for t in c["type"]:
                check_type(t)
            for f in c["features"]:
                assert isinstance(f["id"], str) and isinstance(f["value"], (bool, int, float))
            scores.append(c["score"])
        assert scores == sorted(scores, reverse=True)  # SHOULD be sorted by decreasing score
        assert sum(c["match"] for c in answer["result"]) <= 1


def check_suggest(body: dict, entity: bool = False) -> None:
    for item in body["result"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
        for t in item.get("notable", []) if entity else []:
            check_type(t)


def check_error(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and "Traceback" not in response.text


def ask(client, queries: dict, post: bool = False) -> dict:
    if post:
        response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    else:
        response = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    check_results(response.json(), set(queries))
    return response.json()


def best(client, query: dict) -> dict:
    result = ask(client, {"q": query})["q"]["result"]
    assert result, f"no candidate for {query}"
    return result[0]


# --- the manifest and the spec's example batches --------------------------------------------------

def test_the_manifest_has_the_shape_the_spec_requires(street_crime):
    response = street_crime.get("/reconcile")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"  # the spec makes CORS a MUST
    manifest = response.json()
    check_manifest(manifest)
    assert manifest["name"] == "Home Office reference data (localhost:8000)"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {
        "lsoa", "police-force-area", "police-force", "local-authority", "nationality", "crime-type",
        "month", "quarter", "financial-year"}


def test_the_spec_example_batches_are_answered(street_crime):
    minimal = {"q0": {"query": "Camden"}, "q1": {"query": "Burglary"}}
    full = {
        "q0": {"query": "Camden 028B", "type": "lsoa", "limit": 5, "type_strict": "should",
               "properties": [{"pid": "local-authority", "v": "Camden"},
                              {"pid": "police-force-area", "v": f"{BASE}/id/police-force-area/E23000001"}]},
        "q1": {"query": "Westminster 001A", "type": ["lsoa"], "limit": 5, "type_strict": "should",
               "properties": [{"pid": "local-authority", "v": "Westminster"}]},
    }
    multi = {"q0": {"query": "Camden 028B", "type": "lsoa", "limit": 5,
                    "properties": [{"pid": "local-authority", "v": ["Camden", {"id": f"{BASE}/id/local-authority/E09000007", "name": "Camden"}]}]}}
    no_query = {"q1": {"properties": [{"pid": "code", "v": "E01000001"}]},
                "q2": {"properties": [{"pid": "code", "v": "E23000034"}]}}
    for batch in (minimal, full, multi, no_query):
        ask(street_crime, batch)
        assert ask(street_crime, batch, post=True) == ask(street_crime, batch)
    answer = ask(street_crime, full)
    assert [c["id"] for c in answer["q0"]["result"] if c["match"]] == [f"{BASE}/id/lsoa/E01000914"]
    assert len(answer["q0"]["result"]) <= 5
    assert [c["id"] for c in ask(street_crime, no_query)["q1"]["result"]] == [LSOA]


@pytest.mark.parametrize("batch, names", [
    ({"q1": {"properties": []}}, "query string or at least one property"),  # empty-properties
    ({"q1": {"limit": 1}}, "query string or at least one property"),  # empty-query
    ({"q0": {"query": "Camden", "props": [{"pid": "code", "v": "x"}]}}, "unknown field 'props'"),  # misnamed
    ({}, "JSON object of queries"),
    ([{"query": "Camden"}], "JSON object of queries"),
    ({"q0": "Camden"}, "must be an object"),
    ({"q0": {"query": ""}}, "non-empty string"),
    ({"q0": {"query": "Camden", "limit": 0}}, "positive whole number"),
    ({"q0": {"query": "Camden", "type": {"id": "lsoa"}}}, "type id or a list of them"),
    ({"q0": {"query": "Camden", "properties": [{"pid": "code"}]}}, 'with "pid" and "v"'),
    ({"q0": {"query": "Camden", "properties": [{"pid": "code", "v": [["E09000007"]]}]}}, "a boolean or an entity"),
    ({"q0": {"query": "Camden", "properties": [{"pid": "code", "v": {"name": "Camden"}}]}}, "a boolean or an entity"),
    ({"q0": {"properties": [{"pid": "code", "v": []}]}}, "query string or at least one property"),
    ({"q0": {"query": "x" * 5000}}, "at most 500 are read"),
])
def test_a_bad_batch_is_a_clear_400(street_crime, batch, names):
    for response in (street_crime.get("/reconcile", params={"queries": json.dumps(batch)}),
                     street_crime.post("/reconcile", data={"queries": json.dumps(batch)})):
        check_error(response, 400)
        assert names in response.json()["error"]["message"]


def test_types_and_properties_of_other_services_are_no_error(street_crime):
    """The spec's valid examples name a type and properties this service has not: a valid batch
    is answered, with no candidates of an unknown type and no certain match on an unknown property."""
    answer = ask(street_crime, {"q0": {"query": "Camden", "type": "DifferentiatedPerson", "limit": 5,
                                       "properties": [{"pid": "professionOrOccupation", "v": "Politik*"}]},
                                "q1": {"query": "Camden", "type": "local-authority",
                                       "properties": [{"pid": "professionOrOccupation", "v": "Politik*"}]},
                                "q2": {"properties": [{"pid": "uid", "v": "27eb892afbb2"}]}})
    assert answer["q0"]["result"] == [] and answer["q2"]["result"] == []
    top = answer["q1"]["result"][0]
    assert top["name"] == "Camden" and not top["match"]
    assert {"id": "property:professionOrOccupation", "value": False} in top["features"]


def test_malformed_oversized_and_unreadable_requests(street_crime):
    response = street_crime.get("/reconcile", params={"queries": '{"q0": {"query": "Camden"'})
    check_error(response, 400)
    assert "not JSON" in response.json()["error"]["message"] and "column" in response.json()["error"]["message"]
    check_error(street_crime.post("/reconcile", data={"queries": "[" * 100000}), 400)
    for limit in ("NaN", "Infinity", "1.5", "9" * 5000):  # Python's json reads the first three, not the last
        check_error(street_crime.post("/reconcile", data={"queries": '{"q0": {"query": "Camden", "limit": %s}}' % limit}), 400)
    too_many = {f"q{i}": {"query": "Camden"} for i in range(101)}
    check_error(street_crime.post("/reconcile", data={"queries": json.dumps(too_many)}), 413)
    check_error(street_crime.post("/reconcile", content=b"queries=" + b"a" * (2 << 20),
                                  headers={"content-type": "application/x-www-form-urlencoded"}), 413)
    check_error(street_crime.post("/reconcile", content=b"\xff\xfe", headers={"content-type": "application/x-www-form-urlencoded"}), 400)
    check_error(street_crime.post("/reconcile", data={"nothing": "here"}), 400)
    check_error(street_crime.post("/reconcile", content=b"&".join([b"a=1"] * 5000),
                                  headers={"content-type": "application/x-www-form-urlencoded"}), 400)
    check_error(street_crime.post("/reconcile", json={"queries": {}}), 415)
    check_error(street_crime.get("/reconcile", params={"extend": '{"ids": "x"}'}), 400)
    check_error(street_crime.get("/reconcile", params={"extend": json.dumps({"ids": [LSOA], "properties": [{"id": "colour"}]})}), 400)
    check_error(street_crime.get("/reconcile/preview", params={"id": f"{BASE}/id/lsoa/nowhere"}, headers={"accept": "application/json"}), 404)
    check_error(street_crime.get("/reconcile/suggest/entity", params={"prefix": "x", "cursor": "two"}), 400)
    check_error(street_crime.get("/reconcile/properties", params={"type": "county"}), 400)


# --- what people write ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, type_id, expected", [
    ("Devon & Cornwall Police", "police-force-area", "/id/police-force-area/E23000035"),
    ("Devon and Cornwall", "police-force-area", "/id/police-force-area/E23000035"),
    ("Devon & Cornwall Police", "police-force", "/id/police-force/devon-and-cornwall"),
    ("Metropolitan Police Service", "police-force-area", "/id/police-force-area/E23000001"),
    ("Metropolitan Police Service", "police-force", "/id/police-force/metropolitan"),
    ("avon-and-somerset", "police-force", "/id/police-force/avon-and-somerset"),
    ("avon-and-somerset", "police-force-area", "/id/police-force-area/E23000036"),
    ("E23000001", None, "/id/police-force-area/E23000001"),
    ("W15000004", None, "/id/police-force-area/W15000004"),
    ("E01000001", None, "/id/lsoa/E01000001"),
    ("Camden", "local-authority", "/id/local-authority/E09000007"),
    ("E09000007", None, "/id/local-authority/E09000007"),
    ("AFG", None, "/def/migration/nationality/afg"),
    ("Ivory Coast", "nationality", "/def/migration/nationality/civ"),
    ("Czechia", "nationality", "/def/migration/nationality/cze"),
    ("burglary", None, "/def/crime/crime-type/burglary"),
    ("Violence & sexual offences", "crime-type", "/def/crime/crime-type/violent-crime"),
    ("2018/19", None, "/id/government-year/2018-2019"),
    ("2018-19", "financial-year", "/id/government-year/2018-2019"),
    ("FY 2018/19", "financial-year", "/id/government-year/2018-2019"),
    ("Financial year 2018 to 2019", "financial-year", "/id/government-year/2018-2019"),
    ("2019-01", "month", "/id/month/2019-01"),
    ("Jan 2019", None, "/id/month/2019-01"),
    ("2019 Q1", None, "/id/quarter/2019-Q1"),
    ("Q1 2019", "quarter", "/id/quarter/2019-Q1"),
    (f"{BASE}/id/lsoa/E01000914", None, "/id/lsoa/E01000914"),
])
def test_variants_people_write_are_certain_matches(street_crime, text, type_id, expected):
    query = {"query": text, **({"type": type_id} if type_id else {})}
    top = best(street_crime, query)
    assert top["id"] == BASE + expected and top["match"] is True and top["score"] == 100


def test_every_other_code_list_is_a_type(street_crime):
    types = {t["id"]: t["name"] for t in street_crime.get("/reconcile").json()["defaultTypes"]}
    assert {"ethnicity", "region", "outcome-category", "age-group"} <= set(types)
    top = best(street_crime, {"query": "Asia Central", "type": "region"})
    assert top["id"] == f"{BASE}/def/migration/region/asia-central" and top["match"]
    assert best(street_crime, {"query": "White", "type": "ethnicity"})["match"]
    coded = best(street_crime, {"type": "ethnicity", "properties": [{"pid": "code", "v": "white"}]})
    assert coded["name"] == "White" and {"id": "property:code", "value": True} in coded["features"]


def test_a_name_two_things_share_is_no_certain_match(street_crime):
    result = ask(street_crime, {"q": {"query": "City of London"}})["q"]["result"]
    assert {c["type"][0]["id"] for c in result[:3]} == {"local-authority", "police-force-area", "police-force"}
    assert not any(c["match"] for c in result)
    top = best(street_crime, {"query": "City of London", "type": "local-authority"})
    assert top["id"] == f"{BASE}/id/local-authority/E09000001" and top["match"]


def test_a_name_an_area_kept_when_recoded_is_the_newest_codes(street_crime):
    result = ask(street_crime, {"q": {"query": "Fife", "type": "local-authority"}})["q"]["result"]
    assert [(c["id"], c["score"], c["match"]) for c in result] == [
        (f"{BASE}/id/local-authority/S12000047", 100, True), (f"{BASE}/id/local-authority/S12000015", 95, False)]
    assert best(street_crime, {"query": "S12000015"})["match"]  # the old code is still certain


def test_a_misspelt_name_is_ranked_but_not_matched(street_crime):
    top = best(street_crime, {"query": "Afganistan", "type": "nationality"})
    assert top["id"] == f"{BASE}/def/migration/nationality/afg" and not top["match"] and 50 < top["score"] < 100
    top = best(street_crime, {"query": "Camden 028", "type": "lsoa"})
    assert top["name"].startswith("Camden 028") and not top["match"]


def test_properties_narrow_and_a_disagreeing_one_stops_a_match(street_crime):
    agrees = best(street_crime, {"query": "Camden 028B", "properties": [{"pid": "local-authority", "v": "Camden"}]})
    assert agrees["match"] and {"id": "property:local-authority", "value": True} in agrees["features"]
    disagrees = best(street_crime, {"query": "Camden 028B", "properties": [{"pid": "local-authority", "v": "Westminster"}]})
    assert not disagrees["match"] and disagrees["score"] == 50
    in_area = ask(street_crime, {"q": {"type": "lsoa", "limit": 3, "properties": [{"pid": "local-authority", "v": "E09000001"}]}})
    assert [c["name"] for c in in_area["q"]["result"]] == ["City of London 001A", "City of London 001B", "City of London 001C"]


def test_police_uk_force_names_from_the_bundled_files_match(street_crime):
    """Every force name the bundled police.uk CSVs carry ("Reported by", "Falls within") matches
    the force the file is named after (police.uk's own force id)."""
    queries, expected = {}, {}
    for path in sorted((DATA / "policeuk").glob("*.csv")):
        if path.name.endswith("-stop-and-search.csv"):
            continue  # names no force in its rows (only in its file name)
        force = path.stem.split("-", 2)[2].rsplit("-", 1)[0]  # 2013-06-city-of-london-street
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for name in (row["Reported by"], row["Falls within"]):
                    key = f"q{len(queries)}"
                    if name not in {q["query"] for q in queries.values()}:
                        queries[key] = {"query": name, "type": "police-force"}
                        expected[key] = f"{BASE}/id/police-force/{force}"
    assert len(queries) >= 3
    answer = ask(street_crime, queries, post=True)
    for key, uri in expected.items():
        matched = [c["id"] for c in answer[key]["result"] if c["match"]]
        assert matched == [uri], (queries[key], answer[key]["result"][:2])


def test_nationalities_from_the_immigration_tables_match(street_crime):
    """Every nationality the bundled immigration tables name matches the nationality the
    pipeline gives it."""
    slugs = {name: n.slug for n in tables.nationalities() for name in (n.name, *n.other_names)}
    names = {row["Nationality"] for row in rows_of("immigration/*.csv") if "Nationality" in row}
    assert len(names) > 150
    all_match(street_crime, "nationality", {n: f"{BASE}/def/migration/nationality/{slugs[n]}" for n in names})


def test_lsoa_names_from_the_police_uk_files_match_their_codes(street_crime):
    """English LSOAs by the names police.uk gives them; Welsh ones by code, since the shipped Welsh
    lookup names them as the WIMD does ("Sirhowy 3"), not "Blaenau Gwent 003C" (data/SOURCES.md)."""
    rows = [row for row in rows_of("policeuk/*-street.csv") if row["LSOA code"]]
    english = {row["LSOA name"]: f"{BASE}/id/lsoa/{row['LSOA code']}" for row in rows if row["LSOA code"][0] == "E"}
    welsh = {row["LSOA code"]: f"{BASE}/id/lsoa/{row['LSOA code']}" for row in rows if row["LSOA code"][0] == "W"}
    assert len(english) > 900 and len(welsh) > 300
    all_match(street_crime, "lsoa", english)
    all_match(street_crime, "lsoa", welsh)


def test_local_authority_names_from_the_resettlement_table_match_their_codes(street_crime):
    """Including a council's old name (Shepway) and the Scottish councils recoded in 2018 and 2019
    under their old names (Fife: S12000015, then S12000047), which the table gives the new codes."""
    pairs = {row["Local Authority"]: f"{BASE}/id/local-authority/{row['LAD Code']}"
             for row in rows_of("immigration/local_authority_resettlement.csv") if row["LAD Code"] != "Unknown"}
    assert len(pairs) > 300
    all_match(street_crime, "local-authority", pairs)


def test_crime_types_from_the_police_uk_files_match(street_crime):
    slugs = {row["label"]: row["slug"] for row in rows_of("reference/crime-types.csv")}
    types = {row["Crime type"] for row in rows_of("policeuk/*-street.csv")}
    all_match(street_crime, "crime-type", {t: f"{BASE}/def/crime/crime-type/{slugs[t]}" for t in types})


def rows_of(pattern: str) -> list[dict[str, str]]:
    rows = []
    for path in sorted(DATA.glob(pattern)):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def all_match(client, type_id: str, expected: dict[str, str]) -> None:
    """Each name, reconciled as `type_id` in batches of the manifest's size, is a certain match
    of the URI expected and of nothing else."""
    names = sorted(expected)
    wrong = []
    for start in range(0, len(names), 100):
        chunk = names[start:start + 100]
        answer = ask(client, {f"q{i}": {"query": n, "type": type_id} for i, n in enumerate(chunk)}, post=True)
        for i, name in enumerate(chunk):
            matched = [c["id"] for c in answer[f"q{i}"]["result"] if c["match"]]
            if matched != [expected[name]]:
                wrong.append((name, expected[name], answer[f"q{i}"]["result"][:2]))
    assert not wrong, f"{len(wrong)} of {len(names)} do not match: {wrong[:5]}"


# --- preview, suggest, data extension -----------------------------------------------------------------

def test_preview_is_a_small_html_page(street_crime):
    manifest = street_crime.get("/reconcile").json()
    url = manifest["preview"]["url"].replace("{{id}}", LSOA).removeprefix(BASE)
    page = street_crime.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "City of London 001A" in page.text and "E01000001" in page.text and "City of London" in page.text
    # OpenRefine frames it from its own origin; every other page stays unframable.
    assert page.headers["content-security-policy"].endswith("frame-ancestors *")
    assert "frame-ancestors 'none'" in street_crime.get("/reconcile/about").headers["content-security-policy"]


def test_jsonp_for_clients_older_than_cors(street_crime):
    response = street_crime.get("/reconcile/suggest/entity", params={"prefix": "camd", "callback": "jQuery123.cb"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("/**/jQuery123.cb({") and response.text.endswith("});")
    body = json.loads(response.text[len("/**/jQuery123.cb("):-2])
    assert body["result"][0]["name"] == "Camden"
    for bad in ("alert(1)//", "a b", "<script>", "x" * 200):
        check_error(street_crime.get("/reconcile", params={"callback": bad}), 400)


def test_suggest_services(street_crime):
    manifest = street_crime.get("/reconcile").json()
    path = manifest["suggest"]["entity"]["service_path"]
    body = street_crime.get(path, params={"prefix": "camd"}).json()
    check_suggest(body, entity=True)
    assert body["result"][0]["name"] == "Camden"
    by_code = street_crime.get(path, params={"prefix": "E01000001"}).json()  # an identifier finds its entity
    assert by_code["result"][0]["id"] == LSOA
    only = street_crime.get(path, params={"prefix": "camd", "type": "lsoa"}).json()
    assert only["result"] and all(r["notable"][0]["id"] == "lsoa" for r in only["result"])
    more = street_crime.get(path, params={"prefix": "camd", "type": "lsoa", "cursor": 10}).json()
    assert more["result"] and not {r["id"] for r in more["result"]} & {r["id"] for r in only["result"]}
    types = street_crime.get(manifest["suggest"]["type"]["service_path"], params={"prefix": "force"}).json()
    check_suggest(types)
    assert {"police-force-area", "police-force"} <= {t["id"] for t in types["result"]}
    props = street_crime.get(manifest["suggest"]["property"]["service_path"], params={"prefix": "local", "type": "lsoa"}).json()
    check_suggest(props)
    assert [p["id"] for p in props["result"]] == ["local-authority"]


def test_data_extension_gives_an_lsoas_force_area_and_local_authority(street_crime):
    manifest = street_crime.get("/reconcile").json()
    proposed = street_crime.get(manifest["extend"]["propose_properties"]["service_path"], params={"type": "lsoa"}).json()
    assert proposed["type"] == "lsoa" and {"police-force-area", "local-authority"} <= {p["id"] for p in proposed["properties"]}
    query = {"ids": [LSOA, f"{BASE}/def/migration/nationality/afg", f"{BASE}/id/lsoa/unknown"],
             "properties": [{"id": "police-force-area"}, {"id": "local-authority"}, {"id": "code"}, {"id": "region"}]}
    for response in (street_crime.get("/reconcile", params={"extend": json.dumps(query)}),
                     street_crime.post("/reconcile", data={"extend": json.dumps(query)})):
        assert response.status_code == 200
        body = response.json()
        assert [m["id"] for m in body["meta"]] == ["police-force-area", "local-authority", "code", "region"]
        assert all(isinstance(m["name"], str) for m in body["meta"])
        rows = body["rows"]
        assert rows[LSOA]["police-force-area"] == [{"id": f"{BASE}/id/police-force-area/E23000034", "name": "City of London"}]
        assert rows[LSOA]["local-authority"] == [{"id": f"{BASE}/id/local-authority/E09000001", "name": "City of London"}]
        assert rows[LSOA]["code"] == [{"str": "E01000001"}] and rows[LSOA]["region"] == []
        afg = rows[f"{BASE}/def/migration/nationality/afg"]
        assert afg["code"] == [{"str": "AFG"}] and afg["region"][0]["name"] == "Asia Central"
        assert rows[f"{BASE}/id/lsoa/unknown"] == {p: [] for p in ("police-force-area", "local-authority", "code", "region")}
        for values in (v for row in rows.values() for v in row.values()):
            for value in values:  # each one of the spec's value shapes
                assert set(value) in ({"id", "name"}, {"str"}, set())


def test_the_about_page_is_linked_from_home_and_catalogue(street_crime):
    page = street_crime.get("/reconcile/about")
    assert page.status_code == 200 and "Add standard service" in page.text and f"{BASE}/reconcile" in page.text
    assert f'href="{BASE}/id/police-force-area/E23000035"' in page.text  # what "Devon & Cornwall Police" finds
    assert street_crime.head("/reconcile/about").status_code == 200 and street_crime.head("/reconcile").status_code == 200
    assert 'href="/reconcile/about"' in street_crime.get("/").text
    assert 'href="/reconcile/about"' in street_crime.get("/catalogue", headers={"accept": "text/html"}).text
    catalogue = Graph().parse(data=street_crime.get("/catalogue", headers={"accept": "text/turtle"}).text, format="turtle")
    service = URIRef(f"{BASE}/reconcile")
    assert (URIRef(f"{BASE}/catalogue"), DCAT.service, service) in catalogue
    assert (service, RDF.type, DCAT.DataService) in catalogue and (service, DCAT.endpointURL, service) in catalogue


@pytest.mark.parametrize("name", ["variants", "types", "names", "match", "protocol", "extend", "routes"])
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(f"linkeddata.web.reconcile.{name}"))
    assert result.failed == 0
