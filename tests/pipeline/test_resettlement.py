"""The resettlement mapping: local authorities by GSS code, 'Unknown' counted, bad input refused."""

from __future__ import annotations

import pytest
from rdflib import Graph

from dataset_checks import build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Date", "Year", "Quarter", "UK Region", "LAD Code", "Local Authority", "Resettlement Scheme", "Persons"]
ROWS = [  # real rows of the bundled file: an English district, a Scottish council, and "Unknown"
    ["2014-03-31", "2014", "1", "Yorkshire and The Humber", "E08000032", "Bradford", "Vulnerable Persons Resettlement Scheme", "13"],
    ["2014-12-31", "2014", "4", "Scotland", "S12000046", "Glasgow City", "Vulnerable Persons Resettlement Scheme", "37"],
    ["2021-06-30", "2021", "2", "Unknown", "Unknown", "Unknown", "Relocation - ARAP", "159"],
]
SCHEME = f"{BASE}/def/migration/resettlement-scheme"
EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix migration: <{BASE}/def/migration/> .

<{BASE}/data/resettlement/E08000032/2014-Q1/vprs> a qb:Observation ;
    qb:dataSet <{BASE}/data/resettlement> ;
    sdmx-dimension:refArea <{BASE}/id/local-authority/E08000032> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2014-Q1> ;
    migration:resettlementScheme <{SCHEME}/vprs> ;
    sdmx-measure:obsValue 13 .

<{BASE}/data/resettlement/S12000046/2014-Q4/vprs> a qb:Observation ;
    qb:dataSet <{BASE}/data/resettlement> ;
    sdmx-dimension:refArea <{BASE}/id/local-authority/S12000046> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2014-Q4> ;
    migration:resettlementScheme <{SCHEME}/vprs> ;
    sdmx-measure:obsValue 37 .

<{BASE}/data/resettlement/local-authority-not-known/2021-Q2/arap> a qb:Observation ;
    qb:dataSet <{BASE}/data/resettlement> ;
    sdmx-dimension:refArea <{BASE}/id/area/local-authority-not-known> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2021-Q2> ;
    migration:resettlementScheme <{SCHEME}/arap> ;
    sdmx-measure:obsValue 159 .
"""


def test_rows_give_the_expected_observations(tmp_path):
    result, graph = build("resettlement", write_table(tmp_path / "r.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 3
    assert_isomorphic(observations(graph), Graph().parse(data=EXPECTED, format="turtle"))


@pytest.mark.parametrize("column, bad, code, words", [
    ("LAD Code", "E08000O32", "VALUE-LOCAL-AUTHORITY", "Did you mean 'E08000032'"),
    ("Quarter", "5", "VALUE-QUARTER", "'2014 5' is not a quarter"),
    ("Persons", "12a", "VALUE-COUNT", "'12a' is not a whole number"),
    ("Resettlement Scheme", "Vulnerable Person Resettlement Scheme", "VALUE-CODE",
     "Did you mean 'Vulnerable Persons Resettlement Scheme'"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "r.csv", HEADER, rows)
    problem = one_problem(build("resettlement", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_thousands_separators_are_read(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][7] = "1,234"
    result, graph = build("resettlement", write_table(tmp_path / "r.csv", HEADER, rows), tmp_path)
    assert result.errors == []
    assert 1234 in {o.toPython() for o in graph.objects(None, None) if getattr(o, "datatype", None)}


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "LAD Code" else "LA Code" for h in HEADER]
    problem = one_problem(build("resettlement", write_table(tmp_path / "r.csv", header, ROWS), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'LAD Code' (found 'LA Code': renamed?)" in problem.message
