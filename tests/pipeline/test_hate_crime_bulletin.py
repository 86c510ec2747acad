"""The hate crime bulletin tables (.ods), read straight from the published workbook: the national
series by strand and year (Table_2) and the monthly series (Figure_2). Published figures are
checked against the cells as the workbook's XML stores them, read here without the project's
reader; bad workbooks a user could give are refused where the problem is."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal, Namespace, URIRef

from linkeddata.settings import resource_dir

from dataset_checks import assert_refused, build, one_problem
from ods_cells import cells
from shared import BASE
from test_sources import write_ods

WORKBOOK = resource_dir("data") / "crime" / "hate-crime-1819-hosb2419-tables.ods"
MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
STAT = Namespace(f"{BASE}/def/statistics/")
YEARS = ["2011/12", "2012/13", "2013/14", "2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
STRANDS = {"Race": "race", "Religion": "religion", "Sexual orientation": "sexual-orientation",
           "Disability": "disability", "Transgender": "transgender",
           "Total number of motivating factors": "motivating-factors", "Total number of offences": "total"}
REVISED = "Merseyside police have revised figures for 2017/18."


def published(graph: Graph) -> dict[str, int]:
    return {str(s): o.toPython() for s, o in graph.subject_objects(MEASURE.obsValue)}


def test_the_national_series_equals_the_cells_of_table_2(tmp_path):
    result, graph = build("hate-crime-national", WORKBOOK, tmp_path)
    assert result.errors == [] and result.observations == 7 * 8
    sheet = cells(WORKBOOK, "Table_2")
    assert sheet[(4, 8)] == "2017/183"  # the footnote marker the reader splits off
    rows = {sheet[(r, 1)]: r for r in range(6, 15) if (r, 1) in sheet}
    figures = published(graph)
    for label, slug in STRANDS.items():
        for offset, year in enumerate(YEARS):
            uri = f"{BASE}/data/hate-crime-national/{year[:4]}-{int(year[:4]) + 1}/{slug}"
            cell = sheet[(rows[label], 2 + offset)]
            if cell == "N/A":
                assert uri not in figures
                status = graph.value(URIRef(uri), STAT.observationStatus)
                assert status == URIRef(f"{BASE}/def/statistics/observation-status/not-available")
            else:
                assert figures[uri] == int(cell), uri
    assert figures[f"{BASE}/data/hate-crime-national/2018-2019/total"] == 103379


def test_the_footnote_on_2017_18_is_a_comment_on_each_of_its_observations(tmp_path):
    _, graph = build("hate-crime-national", WORKBOOK, tmp_path)
    commented = {str(s) for s in graph.subjects(RDFS.comment, Literal(REVISED, lang="en"))}
    assert commented == {f"{BASE}/data/hate-crime-national/2017-2018/{slug}" for slug in STRANDS.values()}


def test_the_monthly_series_equals_the_cells_of_figure_2(tmp_path):
    result, graph = build("hate-crime-monthly", WORKBOOK, tmp_path)
    assert result.errors == [] and result.observations == 72  # April 2013 to March 2019
    sheet = cells(WORKBOOK, "Figure_2")
    years = {int(sheet[(4, c)]): c for c in range(3, 10)}
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    rows = {sheet[(r, 1)]: r for r in range(6, 18)}
    expected = {}
    for year, column in years.items():
        for number, name in enumerate(months, start=1):
            if (rows[name], column) in sheet:
                expected[f"{BASE}/data/hate-crime-monthly/{year}-{number:02d}"] = int(sheet[(rows[name], column)])
    assert published(graph) == expected
    assert min(expected) .endswith("2013-04") and max(expected).endswith("2019-03")


# A small bulletin sheet in Table 2's layout: title with markers, units line, header with a
# marked year, the Source line right under the table, numbered notes.
HEADER = ["Hate crime strand", *YEARS[:6], "2017/183", "2018/19", "% change 2017/18 to 2018/19"]


def sheet(header: list[str] = HEADER, race: str = "Race", name: str = "Table_2") -> list[list[str]]:
    return [
        ["Table 2: Hate crimes recorded by the police, by monitored strand1,2, 2011/12 to 2018/19"],
        [],
        ["Numbers and percentages", "", "", "", "", "England and Wales, recorded crime"],
        header,
        [],
        [race, "35944", "35845", "37575", "42862", "49419", "62685", "71264", "78991", "10.8"],
        ["Total number of offences", "N/A", "42255", "44577", "52465", "62518", "80393", "94121", "103379", "9.8"],
        ["Source: Police recorded crime, Home Office"],
        ["1. Hate crimes are taken to mean any crime where ..."],
        ["2. Data were collected from 44 police forces."],
        ["3. " + REVISED],
    ]


def test_a_small_sheet_in_the_bulletin_layout_is_read(tmp_path):
    result, graph = build("hate-crime-national", write_ods(tmp_path / "t.ods", sheet(), "Table_2"), tmp_path)
    assert result.errors == [] and result.observations == 16
    assert graph.value(URIRef(f"{BASE}/data/hate-crime-national/2017-2018/race"), RDFS.comment) == Literal(REVISED, lang="en")
    assert graph.value(URIRef(f"{BASE}/data/hate-crime-national/2016-2017/race"), RDFS.comment) is None


def test_a_marker_that_is_no_note_is_not_split_off(tmp_path):
    header = [h if h != "2017/183" else "2017/184" for h in HEADER]  # there is no note 4
    path = write_ods(tmp_path / "t.ods", sheet(header), "Table_2")
    problem = one_problem(build("hate-crime-national", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line) == ("SOURCE-COLUMNS", f"{path} [Table_2]", 4)
    assert "'2017/18' (found '2017/184': renamed?)" in problem.message


@pytest.mark.parametrize("header, missing", [
    (["Strand", *HEADER[1:]], "'Hate crime strand' (found 'Strand': renamed?)"),
    ([*HEADER[:8], "2018/20", HEADER[9]], "'2018/19' (found '2018/20': renamed?)"),
])
def test_a_renamed_column_or_a_malformed_year_is_refused_at_the_header(tmp_path, header, missing):
    path = write_ods(tmp_path / "t.ods", sheet(header), "Table_2")
    problem = one_problem(build("hate-crime-national", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line) == ("SOURCE-COLUMNS", f"{path} [Table_2]", 4)
    assert missing in problem.message


def test_a_misspelt_strand_is_refused_at_its_sheet_row_and_column(tmp_path):
    path = write_ods(tmp_path / "t.ods", sheet(race="Raec"), "Table_2")
    problem = one_problem(build("hate-crime-national", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == ("VALUE-CODE", f"{path} [Table_2]", 6, 1)
    assert "Did you mean 'Race'" in problem.message


def test_a_missing_sheet_is_refused_and_nothing_is_published(tmp_path, capsys):
    path = write_ods(tmp_path / "t.ods", sheet(), "Table 2")
    assert_refused("hate-crime-national", path, tmp_path, "no sheet named 'Table_2'", capsys)


def test_a_malformed_month_is_refused_at_its_row_and_column(tmp_path):
    rows = [
        ["Figure 2: Number of racially or religiously aggravated offences recorded by the police1 by month"],
        [],
        ["Numbers", "", "", "", "", "", "", "", "England and Wales, recorded crime"],
        ["", "", "2013", "2014", "2015", "2016", "2017", "2018", "2019"],
        [],
        ["January", "", "", "2409", "2899", "3052", "3364", "4040", "4039"],
        ["Apirl", "", "2391", "2563", "3435", "3354", "4321", "4613"],
        [],
        ["Source: Police recorded crime, Home Office"],
    ]
    path = write_ods(tmp_path / "f.ods", rows, "Figure_2")
    result, _ = build("hate-crime-monthly", path, tmp_path)
    assert result.observations == 0 and result.errors
    first = result.errors[0]
    assert (first.code, first.file, first.line, first.column) == ("VALUE-MONTH", f"{path} [Figure_2]", 7, 3)
    assert "'Apirl 2013' is not a month" in first.message


def test_with_column_must_name_a_column_of_row_labels(tmp_path):
    from linkeddata.errors import ConfigError
    from linkeddata.mapping import find_mapping, load_mapping

    text = find_mapping("hate-crime-monthly").read_text(encoding="utf-8").replace("with_column: Month", "with_column: 2013")
    path = tmp_path / "hate-crime-monthly.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_mapping(path, BASE)
    assert f"{path}:" in str(raised.value) and "unpivot.with_column: '2013' is one of the unpivoted columns" in str(raised.value)
