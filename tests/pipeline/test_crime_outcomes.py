"""The crime outcomes mapping: outcome counts by force area, month and category, each outcome a
record linked to its crime, the links landing on published crimes, and bad input refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from linkeddata.settings import resource_dir
from linkeddata.store import open_store

from dataset_checks import assert_refused, build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Outcome type"]
CHARGED_TWICE = "459ac8b99d16eea3a36c31c016d0ee002ad42586901dbf5a06b72c4307eabcec"
IMPRISONED = "8450a0fd4f0641bb7e1a7f9e1394cb0f2209bf637939e8555f8e8ba64d2926bd"
COL = "City of London Police"
ROWS = [  # real rows of the bundled City of London file: one crime charged twice (two suspects),
    # and a crime charged and then imprisoned, in police.uk's 2013 wording
    [CHARGED_TWICE, "2013-06", COL, COL, "", "", "No location", "", "", "Suspect charged"],
    [CHARGED_TWICE, "2013-06", COL, COL, "", "", "No location", "", "", "Suspect charged"],
    [IMPRISONED, "2013-06", COL, COL, "", "", "No location", "", "", "Suspect charged"],
    [IMPRISONED, "2013-06", COL, COL, "", "", "No location", "", "", "Offender imprisoned"],
]
OUTCOMES = [resource_dir("data") / "policeuk" / f"2013-06-{force}-outcomes.csv" for force in ("city-of-london", "dyfed-powys")]

EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix crime: <{BASE}/def/crime/> .
@prefix obs: <{BASE}/data/crime-outcomes/E23000034/2013-06/> .

obs:suspect-charged a qb:Observation ;
    qb:dataSet <{BASE}/data/crime-outcomes> ;
    sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000034> ;
    sdmx-dimension:refPeriod <{BASE}/id/month/2013-06> ;
    crime:outcomeCategory <{BASE}/def/crime/outcome-category/suspect-charged> ;
    sdmx-measure:obsValue 3 .

obs:offender-sent-to-prison a qb:Observation ;
    qb:dataSet <{BASE}/data/crime-outcomes> ;
    sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000034> ;
    sdmx-dimension:refPeriod <{BASE}/id/month/2013-06> ;
    crime:outcomeCategory <{BASE}/def/crime/outcome-category/offender-sent-to-prison> ;
    sdmx-measure:obsValue 1 .
"""

RECORD = f"""
@prefix crime: <{BASE}/def/crime/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{BASE}/id/crime-outcome/{IMPRISONED}/2013-06/offender-sent-to-prison> a crime:Outcome ;
    rdfs:label "Offender sent to prison, June 2013"@en ;
    crime:crime <{BASE}/id/crime/{IMPRISONED}> ;
    crime:month <{BASE}/id/month/2013-06> ;
    crime:outcomeCategory <{BASE}/def/crime/outcome-category/offender-sent-to-prison> ;
    crime:reportingForce <{BASE}/id/police-force/city-of-london> .
"""


def test_rows_are_counted_by_area_month_and_category(tmp_path):
    result, graph = build("crime-outcomes", write_table(tmp_path / "o.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 2
    assert_isomorphic(observations(graph), Graph().parse(data=EXPECTED, format="turtle"))


def test_each_outcome_is_one_record_linked_to_its_crime(tmp_path):
    result, graph = build("crime-outcomes", write_table(tmp_path / "o.csv", HEADER, ROWS), tmp_path)
    # Two suspects charged for one crime: two rows, one record; three outcomes in all.
    assert result.records == 3
    record = URIRef(f"{BASE}/id/crime-outcome/{IMPRISONED}/2013-06/offender-sent-to-prison")
    got = Graph()
    for triple in graph.triples((record, None, None)):
        got.add(triple)
    assert_isomorphic(got, Graph().parse(data=RECORD, format="turtle"))


def test_outcomes_link_to_the_published_crimes_the_street_files_give(bundled_store):
    street = resource_dir("data") / "policeuk"
    published_ids = set()
    for path in street.glob("*-street.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            published_ids |= {r["Crime ID"] for r in csv.DictReader(handle) if r["Crime ID"]}
    outcome_ids = set()
    for path in OUTCOMES:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            outcome_ids |= {r["Crime ID"] for r in csv.DictReader(handle)}
    query = f"""
        PREFIX crime: <{BASE}/def/crime/>
        SELECT (COUNT(DISTINCT ?crime) AS ?all) (COUNT(DISTINCT ?known) AS ?published) WHERE {{
          ?outcome a crime:Outcome ; crime:crime ?crime .
          OPTIONAL {{ ?crime a crime:Crime ; crime:month ?m . BIND(?crime AS ?known) }}
        }}"""
    with open_store(bundled_store, BASE, read_only=True) as store:
        (row,) = store.select(query)
    # 1,485 crimes have outcomes in June 2013; 1,041 of them were recorded that month and are
    # published by the street-level crime dataset, the rest were recorded earlier.
    assert (int(row["all"]), int(row["published"])) == (len(outcome_ids), len(outcome_ids & published_ids))
    assert (len(outcome_ids), len(outcome_ids & published_ids)) == (1485, 1041)


@pytest.mark.parametrize("column, bad, code, words", [
    ("Outcome type", "Suspect chargd", "VALUE-CODE", "Did you mean 'Suspect charged'"),
    ("Crime ID", "59a1137825dc", "VALUE-CRIME-ID", "not a police.uk Crime ID"),
    ("Month", "2013-13", "VALUE-MONTH", "'2013-13' is not a month"),
    ("Falls within", "British Transport Police", "VALUE-FORCE-AREA", "polices no police force area"),
    ("Falls within", "Dyfed Powis Police", "VALUE-FORCE-AREA", "Did you mean"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "o.csv", HEADER, rows)
    result, _ = build("crime-outcomes", path, tmp_path)
    problem = one_problem(result)
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Outcome type" else "Outcome" for h in HEADER]
    path = write_table(tmp_path / "o.csv", header, ROWS)
    problem = one_problem(build("crime-outcomes", path, tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Outcome type' (found 'Outcome': renamed?)" in problem.message


def test_a_bad_file_publishes_nothing(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[2][9] = "Suspect chargd"
    bad = write_table(tmp_path / "bad.csv", HEADER, rows)
    assert_refused("crime-outcomes", bad, tmp_path, f"{bad}:4:10 (Outcome type): error VALUE-CODE", capsys)
