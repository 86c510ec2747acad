"""The per-force hate crime mapping (the BBC extract of the Home Office table): a column per
strand unpivoted, both totals published, force areas by name, and bad input refused where it is."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from linkeddata.settings import resource_dir

from dataset_checks import build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

SOURCE = resource_dir("data") / "crime" / "hate-crime-by-force-2017-2019-bbc.csv"
HEADER = ["Force", "Year", "Race", "Total Religion", "Sexual orientation", "Disability", "Transgender",
          "Total number of motivating factors", "Total number of offences", "Population", "Offences per 100,000 pop"]
ROWS = [["London, City of", "2018-19", "123", "12", "15", "1", "3", "154", "141", "#N/A", "#N/A"]]
STRANDS = {"Race": "race", "Total Religion": "religion", "Sexual orientation": "sexual-orientation",
           "Disability": "disability", "Transgender": "transgender",
           "Total number of motivating factors": "motivating-factors", "Total number of offences": "total"}
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")


def expected_observations() -> Graph:
    turtle = [
        "@prefix qb: <http://purl.org/linked-data/cube#> .",
        "@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .",
        "@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .",
    ]
    for column, slug in STRANDS.items():
        turtle.append(f"""
<{BASE}/data/hate-crime/E23000034/2018-2019/{slug}> a qb:Observation ;
    qb:dataSet <{BASE}/data/hate-crime> ;
    sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000034> ;
    sdmx-dimension:refPeriod <{BASE}/id/government-year/2018-2019> ;
    <{BASE}/def/crime/hateCrimeStrand> <{BASE}/def/crime/hate-crime-strand/{slug}> ;
    sdmx-measure:obsValue {ROWS[0][HEADER.index(column)]} .""")
    return Graph().parse(data="\n".join(turtle), format="turtle")


def test_a_row_gives_every_strand_and_both_totals(tmp_path):
    result, graph = build("hate-crime", write_table(tmp_path / "h.csv", HEADER, ROWS), tmp_path)
    assert result.errors == [] and result.observations == 7
    assert_isomorphic(observations(graph), expected_observations())


def test_population_and_rates_are_not_published(tmp_path):
    # Their source is not stated in the extract: no figure built on them is published.
    _, graph = build("hate-crime", write_table(tmp_path / "h.csv", HEADER, ROWS), tmp_path)
    assert not any("#N/A" in str(o) or "population" in str(p).lower() for _, p, o in graph)
    numbers = {o.toPython() for o in graph.objects(None, SDMX_MEASURE.obsValue)}
    assert numbers == {123, 12, 15, 1, 3, 154, 141}


def test_every_published_figure_equals_the_source_file(tmp_path):
    result, graph = build("hate-crime", SOURCE, tmp_path)
    assert result.errors == []
    with SOURCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 86 and result.observations == 86 * 7
    published = {str(s): o.toPython() for s, o in graph.subject_objects(SDMX_MEASURE.obsValue)}
    areas = {"London, City of": "E23000034", "Metropolitan Police": "E23000001", "Dyfed-Powys": "W15000004"}
    for row in rows:
        if row["Force"] not in areas:
            continue
        year = {"2017-18": "2017-2018", "2018-19": "2018-2019"}[row["Year"]]
        for column, slug in STRANDS.items():
            uri = f"{BASE}/data/hate-crime/{areas[row['Force']]}/{year}/{slug}"
            assert published[uri] == int(row[column]), uri
    # The strands add up to the motivating factors, which are more than the offences.
    for row in rows:
        strands = sum(int(row[c]) for c in list(STRANDS)[:5])
        assert strands == int(row["Total number of motivating factors"]) >= int(row["Total number of offences"])


def test_the_structure_declares_that_strands_never_add_up_to_offences(tmp_path):
    _, graph = build("hate-crime", write_table(tmp_path / "h.csv", HEADER, ROWS), tmp_path)
    stat = Namespace(f"{BASE}/def/statistics/")
    structure = URIRef(f"{BASE}/data/hate-crime/structure")
    additive = {str(d) for d in graph.objects(None, stat.additiveOver)}
    assert f"{BASE}/def/crime/hateCrimeStrand" not in additive
    assert additive == {"http://purl.org/linked-data/sdmx/2009/dimension#refArea",
                        "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"}
    strand = URIRef(f"{structure}/hate-crime-strand")
    assert graph.value(strand, stat.allCode) == URIRef(f"{BASE}/def/crime/hate-crime-strand/total")
    assert graph.value(strand, stat.totalCode) == URIRef(f"{BASE}/def/crime/hate-crime-strand/motivating-factors")
    description = graph.value(URIRef(f"{BASE}/data/hate-crime"), URIRef("http://purl.org/dc/terms/description"))
    assert isinstance(description, Literal) and "do not add up to the total of offences" in str(description)


@pytest.mark.parametrize("column, bad, code, words", [
    ("Force", "Dyfed Powis", "VALUE-FORCE-AREA", "Did you mean 'Dyfed-Powys'"),
    ("Year", "2018-20", "VALUE-GOVERNMENT-YEAR", "'2018-20' is not a financial year"),
    ("Race", "12a", "VALUE-COUNT", "'12a' is not a whole number"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(ROWS[0]), list(ROWS[0])]
    rows[0][1] = "2017-18"
    rows[1][HEADER.index(column)] = bad
    path = write_table(tmp_path / "h.csv", HEADER, rows)
    problem = one_problem(build("hate-crime", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Total Religion" else "Religion" for h in HEADER]
    problem = one_problem(build("hate-crime", write_table(tmp_path / "h.csv", header, ROWS), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Total Religion' (found 'Religion': renamed?)" in problem.message
