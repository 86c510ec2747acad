"""The asylum initial decisions mapping: a column per outcome unpivoted into a dimension, "NA"
cells published with a status and no value, the derived grant rate left out, bad input refused."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph

from dataset_checks import build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Date", "Year", "Quarter", "Nationality", "Region", "Grant", "Refused", "Administrative Outcome",
          "Initial grant rate"]
ROWS = [  # the bundled file's first row, and one with a thousands separator
    ["2018-03-31", "2018", "2018 Q1", "Afghanistan", "Asia Central", "123", "229", "NA", "0.3494318181818182"],
    ["2020-12-31", "2020", "2020 Q4", "Iran", "Middle East", "1,234", "NA", "5", "NA"],
]
OUTCOME = f"{BASE}/def/migration/case-outcome"
NOT_AVAILABLE = f"{BASE}/def/statistics/observation-status/not-available"


def expected_observation(quarter: str, nationality: str, outcome: str, value: str) -> str:
    measured = (f"<{BASE}/def/statistics/observationStatus> <{NOT_AVAILABLE}>" if value == "NA"
                else f"sdmx-measure:obsValue {value}")
    return f"""
<{BASE}/data/asylum-decisions/{quarter}/{nationality}/{outcome}> a qb:Observation ;
    qb:dataSet <{BASE}/data/asylum-decisions> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/{quarter}> ;
    migration:nationality <{BASE}/def/migration/nationality/{nationality}> ;
    migration:caseOutcome <{OUTCOME}/{outcome}> ;
    {measured} .
"""


EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix migration: <{BASE}/def/migration/> .
""" + "".join(expected_observation(*cell) for cell in [
    ("2018-Q1", "afg", "grant", "123"), ("2018-Q1", "afg", "refused", "229"),
    ("2018-Q1", "afg", "administrative-outcome", "NA"),
    ("2020-Q4", "irn", "grant", "1234"), ("2020-Q4", "irn", "refused", "NA"),
    ("2020-Q4", "irn", "administrative-outcome", "5"),
])


def test_each_outcome_column_is_an_observation_and_na_is_a_status_never_zero(tmp_path):
    result, graph = build("asylum-decisions", write_table(tmp_path / "d.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 6
    assert_isomorphic(observations(graph), Graph().parse(data=EXPECTED, format="turtle"))


@pytest.mark.parametrize("column, bad, code, words", [
    ("Nationality", "Irann", "VALUE-NATIONALITY", "Did you mean 'Iran'"),
    ("Nationality", "Afganistan", "VALUE-NATIONALITY", "Did you mean 'Afghanistan'"),
    ("Quarter", "2023 Q5", "VALUE-QUARTER", "'2023 Q5' is not a quarter"),
    ("Refused", "12a", "VALUE-COUNT", "'12a' is not a whole number"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "d.csv", HEADER, rows)
    problem = one_problem(build("asylum-decisions", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_outcome_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Refused" else "Refusals" for h in HEADER]
    problem = one_problem(build("asylum-decisions", write_table(tmp_path / "d.csv", header, ROWS), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Refused'" in problem.message and "Refusals" in problem.message


def test_the_bundled_sample_keeps_every_cell_and_every_na(tmp_path):
    from rdflib import URIRef

    from linkeddata.settings import resource_dir

    sample = resource_dir("data") / "immigration" / "grant_rates_initial_quarterly.csv"
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    marked = sum([r["Grant"], r["Refused"], r["Administrative Outcome"]].count("NA") for r in rows)
    result, graph = build("asylum-decisions", sample, tmp_path)
    assert result.errors == [] and result.observations == 3 * len(rows)
    status = URIRef(f"{BASE}/def/statistics/observationStatus")
    assert len(set(graph.subjects(status, URIRef(NOT_AVAILABLE)))) == marked == 1873
