"""The family reunion visas mapping: rows to observations, bad input refused where it is."""

from __future__ import annotations

import pytest
from rdflib import Graph

from dataset_checks import build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Date", "Year", "Quarter", "Nationality", "Region", "Sex", "Age", "Visas granted"]
ROWS = [  # the bundled file's first row, and one with a count written with a thousands separator
    ["2018-03-31", "2018", "1", "Afghanistan", "Asia Central", "Female", "18-29", "8"],
    ["2020-12-31", "2020", "4", "Syria", "Middle East", "Unknown Sex", "Under 18", "1,234"],
]
EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-code: <http://purl.org/linked-data/sdmx/2009/code#> .
@prefix migration: <{BASE}/def/migration/> .

<{BASE}/data/family-reunion/2018-Q1/afg/female/18-29> a qb:Observation ;
    qb:dataSet <{BASE}/data/family-reunion> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2018-Q1> ;
    migration:nationality <{BASE}/def/migration/nationality/afg> ;
    sdmx-dimension:sex sdmx-code:sex-F ;
    migration:ageGroup <{BASE}/def/migration/age-group/18-29> ;
    sdmx-measure:obsValue 8 .

<{BASE}/data/family-reunion/2020-Q4/syr/unknown/under-18> a qb:Observation ;
    qb:dataSet <{BASE}/data/family-reunion> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2020-Q4> ;
    migration:nationality <{BASE}/def/migration/nationality/syr> ;
    sdmx-dimension:sex sdmx-code:sex-U ;
    migration:ageGroup <{BASE}/def/migration/age-group/under-18> ;
    sdmx-measure:obsValue 1234 .
"""


def test_rows_give_the_expected_observations(tmp_path):
    result, graph = build("family-reunion", write_table(tmp_path / "f.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 2
    assert_isomorphic(observations(graph), Graph().parse(data=EXPECTED, format="turtle"))


@pytest.mark.parametrize("column, bad, code, words", [
    ("Nationality", "Afganistan", "VALUE-NATIONALITY", "Did you mean 'Afghanistan'"),
    ("Quarter", "5", "VALUE-QUARTER", "'2020 5' is not a quarter"),  # Year is fine: Quarter is named
    ("Year", "20x0", "VALUE-QUARTER", "'20x0 4' is not a quarter"),
    ("Visas granted", "12a", "VALUE-COUNT", "'12a' is not a whole number"),
    ("Age", "18 to 29 years", "VALUE-CODE", "Did you mean"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "f.csv", HEADER, rows)
    problem = one_problem(build("family-reunion", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Visas granted" else "Visas Granted" for h in HEADER]
    problem = one_problem(build("family-reunion", write_table(tmp_path / "f.csv", header, ROWS), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Visas granted' (found 'Visas Granted': renamed?)" in problem.message
