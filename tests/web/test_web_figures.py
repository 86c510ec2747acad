"""Every figure a page or download shows obeys the measure rules the mapping declares, and
every observation (with a value or a status) is in every table and download.

Through real HTTP on the real app, over a store holding every bundled dataset; the expected
figures are computed here from the store's observations under the rules as the mappings state
them, not by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import pytest
from rdflib import Graph, URIRef

from linkeddata.store.embedded import EmbeddedStore

from shared import BASE

DATASETS = ["asylum-applications", "asylum-decisions", "crime-outcomes", "family-reunion", "hate-crime",
            "hate-crime-monthly", "hate-crime-national",
            "police-staff", "police-workforce", "resettlement", "stop-and-search", "street-crime", "use-of-force"]
STAT = f"{BASE}/def/statistics/"
QB = "http://purl.org/linked-data/cube#"
VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"


def observations(store: EmbeddedStore, name: str, **fixed: str) -> list[tuple[dict[str, str], float | None, str | None]]:
    """Each observation of a dataset as (dimension local name -> code slug, value, status slug)."""
    rows = store.select(f"""
        SELECT ?o ?p ?v ?m ?s WHERE {{ ?o <{QB}dataSet> <{BASE}/data/{name}> ; ?p ?v .
          OPTIONAL {{ ?o <{VALUE}> ?m }} OPTIONAL {{ ?o <{STAT}observationStatus> ?s }} }}""")
    by_obs: dict[str, list] = {}
    for r in rows:
        entry = by_obs.setdefault(str(r["o"]), [{}, None, None])
        key = re.split(r"[#/]", str(r["p"]))[-1]
        entry[0][key] = str(r["v"]).rsplit("/", 1)[-1]
        if "m" in r:
            entry[1] = float(r["m"].toPython())
        if "s" in r:
            entry[2] = str(r["s"]).rsplit("/", 1)[-1]
    out = [tuple(e) for e in by_obs.values()]
    return [o for o in out if all(o[0].get(k) == v for k, v in fixed.items())]  # type: ignore[misc]


def page_text(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)).replace("&amp;", "&")


def n(value: float) -> str:
    return f"{value:,.0f}"


@pytest.mark.parametrize("name", DATASETS)
def test_the_csv_has_every_observation_with_its_status(bundled, name):
    client, store = bundled
    expected = observations(store, name)
    response = client.get(f"/download/{name}.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(expected)
    measure = [c for c in rows[0] if c not in ("observation", "status") and not c.endswith(("_code", "_label"))][-1]
    assert sorted(r["status"] for r in rows if not r[measure]) == sorted(s or "not-available" for _, m, s in expected if m is None)
    assert all(not r["status"] for r in rows if r[measure])
    # The table's own CSV twin answers the same rows.
    twin = client.get(f"/data/{name}", headers={"Accept": "text/csv"})
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(twin.text)))) == len(expected)


def test_a_filtered_download_and_table_keep_observations_without_a_value(bundled):
    client, store = bundled
    outcome = f"{BASE}/def/migration/case-outcome/administrative-outcome"
    expected = observations(store, "asylum-decisions", caseOutcome="administrative-outcome")
    unavailable = [o for o in expected if o[1] is None]
    assert unavailable, "the sample has 'NA' cells for this outcome"
    rows = list(csv.DictReader(io.StringIO(client.get("/download/asylum-decisions.csv", params={"caseOutcome": outcome}).text)))
    assert len(rows) == len(expected)
    # The page: the count above the table is what the table lists, page after page.
    text = page_text(client, "/data/asylum-decisions?caseOutcome=administrative-outcome")
    assert f"{n(len(expected))} observations match" in text
    listed = 0
    page = client.get("/data/asylum-decisions.json", params={"caseOutcome": "administrative-outcome"}).json()
    while True:
        listed += len(page["rows"])
        assert page["observations"] == len(expected)
        if not page["next"]:
            break
        page = client.get(page["next"].replace(BASE, "").replace("/data/asylum-decisions?", "/data/asylum-decisions.json?")).json()
    assert listed == len(expected)
    assert "Not available" in text


def test_hate_crime_totals_come_from_total_offences_never_from_adding_strands(bundled):
    client, store = bundled
    obs = observations(store, "hate-crime")
    total = sum(m for d, m, _ in obs if d["hateCrimeStrand"] == "total")
    everything = sum(m for _, m, _ in obs if m is not None)
    text = page_text(client, "/data/hate-crime")
    assert f"({n(total)} offences in all)" in text
    assert n(everything) not in text  # the strands added to their total: a false figure
    # A year's figure is its total offences across the areas; a strand's is across areas and years.
    by_year = defaultdict(float)
    for d, m, _ in obs:
        if d["hateCrimeStrand"] == "total":
            by_year[d["refPeriod"]] += m
    for year, value in by_year.items():
        assert client.get("/data/hate-crime.json", params={"refPeriod": year}).json()["figure"]["value"] == value
    race = sum(m for d, m, _ in obs if d["hateCrimeStrand"] == "race")
    assert f"Race 86 observations: {n(race)}" in text  # 43 force areas, two years


def test_headcounts_at_two_dates_are_never_added(bundled):
    client, store = bundled
    obs = observations(store, "police-workforce")
    text = page_text(client, "/data/police-workforce")
    assert "in all" not in text.split("Release history")[0]
    assert n(sum(m for _, m, _ in obs if m is not None)) not in text
    for month in ("2019-03", "2019-09"):
        month_total = sum(m for d, m, _ in obs if d["refPeriod"] == month)
        assert f"44 observations: {n(month_total)}" in text  # the forces add up on one date
    # A force's two dates are not added: its value lists the observations only.
    assert re.search(r"Avon and Somerset Constabulary 2 observations (?!:)", text)


def test_use_of_force_in_all_is_the_all_tactics_total(bundled):
    client, store = bundled
    obs = observations(store, "use-of-force")
    all_tactics = sum(m or 0 for d, m, _ in obs if d["useOfForceType"] == "all" and d["tactic"] == "all-tactics")
    text = page_text(client, "/data/use-of-force")
    assert f"({n(all_tactics)} tactics reported in all" in text
    assert n(sum(m or 0 for _, m, _ in obs)) not in text
    # Handcuffing (a total of three tactics) across forces and ethnic groups: one code, so it adds.
    handcuffing = [(m, s) for d, m, s in obs if d["tactic"] == "handcuffing"]
    figure = client.get("/data/use-of-force.json", params={"tactic": "handcuffing"}).json()["figure"]
    assert figure["value"] == sum(m for m, _ in handcuffing if m is not None)
    assert sum(figure["without_value"].values()) == sum(1 for m, _ in handcuffing if m is None)
    # Several tactics at once may overlap: no figure.
    both = client.get("/data/use-of-force.json", params=[("tactic", "handcuffing"), ("tactic", "compliant-handcuffing")]).json()
    assert both["figure"] is None


def test_a_category_wholly_without_values_is_not_available_never_zero(bundled):
    client, store = bundled
    obs = observations(store, "asylum-decisions")
    cells: dict[tuple[str, str], list] = defaultdict(list)
    for d, m, s in obs:
        cells[(d["nationality"], d["caseOutcome"])].append(m)
    nationality, outcome = next(k for k, values in cells.items() if all(v is None for v in values))
    page = client.get("/data/asylum-decisions.json", params=[("nationality", nationality), ("caseOutcome", outcome)]).json()
    assert page["figure"]["value"] is None and page["observations"] == len(cells[(nationality, outcome)])
    text = page_text(client, f"/data/asylum-decisions?nationality={nationality}&caseOutcome={outcome}")
    assert "match: decisions not available" in text and "match: 0 " not in text


def test_the_structure_publishes_the_rules(bundled):
    _, store = bundled
    graph = store.construct(f"""CONSTRUCT {{ ?c ?p ?v }} WHERE {{
        <{BASE}/data/hate-crime> <{QB}structure>/<{QB}component> ?c . ?c ?p ?v
        FILTER(?p IN (<{STAT}additiveOver>, <{STAT}allCode>, <{STAT}totalCode>)) }}""")
    structure = f"{BASE}/data/hate-crime/structure"
    expected = {
        (URIRef(f"{structure}/obs-value"), URIRef(f"{STAT}additiveOver"), URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea")),
        (URIRef(f"{structure}/obs-value"), URIRef(f"{STAT}additiveOver"), URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")),
        (URIRef(f"{structure}/hate-crime-strand"), URIRef(f"{STAT}allCode"), URIRef(f"{BASE}/def/crime/hate-crime-strand/total")),
        (URIRef(f"{structure}/hate-crime-strand"), URIRef(f"{STAT}totalCode"),
         URIRef(f"{BASE}/def/crime/hate-crime-strand/motivating-factors")),
    }
    assert set(graph) == expected
    assert isinstance(graph, Graph)


def test_filters_take_short_codes(bundled):
    client, _ = bundled
    by_code = client.get("/data/street-crime.json", params={"crimeType": "burglary", "refPeriod": "2019-01"}).json()
    by_iri = client.get("/data/street-crime.json", params={
        "crimeType": f"{BASE}/def/crime/crime-type/burglary", "refPeriod": f"{BASE}/id/month/2019-01"}).json()
    assert by_code["rows"] == by_iri["rows"] and by_code["rows"]
    assert by_code["filters"]["crimeType"] == [f"{BASE}/def/crime/crime-type/burglary"]
    within = client.get("/data/street-crime.json", params={"refArea.within": "E23000034"})
    assert within.status_code == 200 and within.json()["rows"]
    wrong = client.get("/data/street-crime", params={"crimeType": "not-a-crime"})
    assert wrong.status_code == 400 and "not-a-crime" in wrong.text


def test_csv_cells_cannot_be_spreadsheet_formulas():
    from linkeddata.web.downloads import spreadsheet_safe

    for cell in ("=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(cell) == "'" + cell
    assert spreadsheet_safe("-12") == "-12" and spreadsheet_safe("Burglary") == "Burglary"


def test_the_table_json_and_csv_twins_are_linked(bundled):
    client, _ = bundled
    response = client.get("/data/hate-crime.json", params={"hateCrimeStrand": "race"})
    assert response.status_code == 200
    body = json.loads(response.text)
    assert body["observations"] == 86 and 0 < len(body["rows"]) <= 86  # 43 force areas, two years
    assert all(r["hateCrimeStrand"]["label"] == "Race" for r in body["rows"])
    page = client.get("/data/hate-crime", params={"hateCrimeStrand": "race"}, headers={"Accept": "text/html"}).text
    assert "/data/hate-crime.csv?" in page and "/data/hate-crime.json?" in page and "/sparql?query=" in page


def test_the_filtered_dump_holds_every_selected_observation(bundled):
    import gzip

    client, store = bundled
    expected = observations(store, "asylum-decisions", caseOutcome="administrative-outcome")
    response = client.get("/download/asylum-decisions.nt.gz", params={"caseOutcome": "administrative-outcome"})
    graph = Graph().parse(data=gzip.decompress(response.content).decode("utf-8"), format="nt")
    assert len(set(graph.subjects(URIRef(f"{QB}dataSet"), None))) == len(expected)


@pytest.mark.parametrize("name, params", [
    ("asylum-decisions", {"caseOutcome": "administrative-outcome"}),
    ("street-crime", {"refArea.within": "E23000034", "refPeriod": "2019-01"}),
    ("use-of-force", {"tactic": "handcuffing"}),
])
def test_explore_in_sparql_returns_the_table(bundled, name, params):
    client, _ = bundled
    page = client.get(f"/data/{name}", params=params, headers={"Accept": "text/html"}).text
    href = re.search(r'href="([^"]*/sparql\?query=[^"]*)"', page).group(1).replace("&amp;", "&")
    answer = client.get(href.replace(BASE, ""), headers={"Accept": "text/csv"})
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    expected = client.get(f"/data/{name}.json", params=params).json()["observations"]
    assert len(rows) == min(expected, 1000) and len({r["obs"] for r in rows}) == len(rows)


def test_facets_count_the_selection_and_narrow_it(bundled):
    client, store = bundled
    obs = observations(store, "hate-crime", refArea="E23000034")
    page = client.get("/data/hate-crime", params={"refArea": "E23000034"}, headers={"Accept": "text/html"}).text
    text = page_text(client, "/data/hate-crime?refArea=E23000034")
    race = sum(m for d, m, _ in obs if d["hateCrimeStrand"] == "race")
    assert f"Race 2 observations: {n(race)}" in text  # 2017/18 and 2018/19
    # A facet link keeps the other filters and sets its own dimension.
    assert re.search(r'href="[^"]*refArea=[^"]*E23000034[^"]*hateCrimeStrand=[^"]*race#observations"', page.replace("&amp;", "&"))


def test_an_area_roll_up_has_its_figure(bundled):
    client, store = bundled
    rows = store.select(f"""SELECT (SUM(?m) AS ?t) (COUNT(?o) AS ?n) WHERE {{
        ?o <{QB}dataSet> <{BASE}/data/street-crime> ; <http://purl.org/linked-data/sdmx/2009/dimension#refArea> ?a .
        ?a <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/within> <{BASE}/id/police-force-area/E23000034> .
        ?o <{VALUE}> ?m }}""")
    page = client.get("/data/street-crime.json", params={"refArea.within": "E23000034"}).json()
    assert page["observations"] == int(rows[0]["n"]) and page["figure"]["value"] == float(rows[0]["t"])
    area = page_text(client, "/doc/police-force-area/E23000034")
    assert f"for the areas within this one: {int(rows[0]['n']):,} observations, {int(rows[0]['t']):,} crimes" in area


def test_the_table_sorts_by_a_column_or_the_value(bundled):
    client, store = bundled
    obs = observations(store, "asylum-decisions", nationality="afg")
    rows = client.get("/data/asylum-decisions.json", params={"nationality": "afg", "sort": "-value"}).json()["rows"]
    values = [float(r["value"]) for r in rows if r["value"] is not None]
    assert values == sorted((m for _, m, _ in obs if m is not None), reverse=True)[:len(values)]
    assert all(r["value"] is None for r in rows[len(values):])  # no value: last, never a 0
    by_outcome = client.get("/data/asylum-decisions.json", params={"nationality": "afg", "sort": "caseOutcome"}).json()["rows"]
    codes = [r["caseOutcome"]["code"] for r in by_outcome]
    assert codes == sorted(codes)
