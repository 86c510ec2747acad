"""The hate crime mapping: strands and the total as separate series, force areas by name, and
bad input refused where it is."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph, URIRef

from linkeddata.settings import resource_dir

from dataset_checks import build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Financial Year", "Force Name", "Motivating Factor", "Number of Offences"]
ROWS = [
    ["2018/19", "City of London", "Race", "121"],
    ["2018/19", "City of London", "Total offences", "1,149"],
]
EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix crime: <{BASE}/def/crime/> .

<{BASE}/data/hate-crime/E23000034/2018-2019/race> a qb:Observation ;
    qb:dataSet <{BASE}/data/hate-crime> ;
    sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000034> ;
    sdmx-dimension:refPeriod <{BASE}/id/government-year/2018-2019> ;
    crime:hateCrimeStrand <{BASE}/def/crime/hate-crime-strand/race> ;
    sdmx-measure:obsValue 121 .

<{BASE}/data/hate-crime/E23000034/2018-2019/total> a qb:Observation ;
    qb:dataSet <{BASE}/data/hate-crime> ;
    sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000034> ;
    sdmx-dimension:refPeriod <{BASE}/id/government-year/2018-2019> ;
    crime:hateCrimeStrand <{BASE}/def/crime/hate-crime-strand/total> ;
    sdmx-measure:obsValue 1149 .
"""


def test_rows_give_the_expected_observations(tmp_path):
    result, graph = build("hate-crime", write_table(tmp_path / "h.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 2
    assert_isomorphic(observations(graph), Graph().parse(data=EXPECTED, format="turtle"))


def test_the_description_says_strands_do_not_add_up_to_the_total(tmp_path):
    _, graph = build("hate-crime", write_table(tmp_path / "h.csv", HEADER, ROWS), tmp_path)
    description = str(graph.value(URIRef(f"{BASE}/data/hate-crime"), URIRef("http://purl.org/dc/terms/description")))
    assert "do not add up to the total" in description and "not official statistics" in description


def test_the_sample_has_strands_that_add_up_to_more_than_the_total():
    # The point of the separate total series: in the sample, as in the real tables, offences
    # with several strands make the strands' sum larger than the total.
    sums: dict[tuple[str, str], int] = {}
    totals: dict[tuple[str, str], int] = {}
    with (resource_dir("data") / "crime" / "hate-crime-sample.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["Financial Year"], row["Force Name"])
            n = int(row["Number of Offences"])
            if row["Motivating Factor"] == "Total offences":
                totals[key] = n
            else:
                sums[key] = sums.get(key, 0) + n
    assert set(sums) == set(totals) and all(sums[k] > totals[k] for k in totals)


@pytest.mark.parametrize("column, bad, code, words", [
    ("Force Name", "Dyfed Powis", "VALUE-FORCE-AREA", "Did you mean 'Dyfed-Powys'"),
    ("Financial Year", "2018/20", "VALUE-GOVERNMENT-YEAR", "'2018/20' is not a financial year"),
    ("Motivating Factor", "Sexual orientaton", "VALUE-CODE", "Did you mean 'Sexual orientation'"),
    ("Number of Offences", "12a", "VALUE-COUNT", "'12a' is not a whole number"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "h.csv", HEADER, rows)
    problem = one_problem(build("hate-crime", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Force Name" else "Force name" for h in HEADER]
    problem = one_problem(build("hate-crime", write_table(tmp_path / "h.csv", header, ROWS), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Force Name' (found 'Force name': renamed?)" in problem.message
