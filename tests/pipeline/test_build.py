"""Mapping rows to a Data Cube, and every kind of bad input a user actually produces."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from linkeddata.cube import build_dataset
from linkeddata.mapping import find_mapping, load_mapping

from shared import BASE, TEST_DATA, assert_isomorphic

QB = Namespace("http://purl.org/linked-data/cube#")
HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
GOOD = "320930473d454d613ead909a28008a91a607c93f8b74339623a4cec4a252b0dd,2019-01,City of London Police,City of London Police,-0.112422,51.515381,On or near Star Yard,E01000914,Camden 028B,Bicycle theft,Under investigation,"


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(find_mapping("street-crime"), BASE)


def build(mapping, tmp_path: Path, *files: Path):
    from linkeddata.uris import Minter

    out = tmp_path / "out.nt"
    result = build_dataset(mapping, list(files), Minter(BASE), out, modified="2026-01-01T00:00:00Z")
    # street-crime is partitioned by month: what was built is its own graph and each month's
    everything = tmp_path / "everything.nt"
    everything.write_bytes(b"".join(path.read_bytes() for path in result.files if path.exists()))
    return result, everything


def write(tmp_path: Path, text: str | bytes, name: str = "street.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_sample_rows_give_the_expected_observations_and_crimes(mapping, tmp_path):
    result, out = build(mapping, tmp_path, TEST_DATA / "street-crime-sample.csv")
    assert result.errors == []
    graph = Graph().parse(out, format="nt")
    # Compare the observations and crime records; the dataset and structure are checked below.
    subjects = {s for s in graph.subjects() if "/id/crime/" in s or (s, RDF.type, QB.Observation) in graph}
    got = Graph()
    for s in subjects:
        for triple in graph.triples((s, None, None)):
            got.add(triple)
    expected = Graph().parse(TEST_DATA / "street-crime-expected.ttl")
    assert_isomorphic(got, expected)
    assert (result.rows, result.observations, result.records) == (4, 3, 2)


def test_structure_has_four_dimensions_in_order_and_one_measure(mapping, tmp_path):
    _, out = build(mapping, tmp_path, TEST_DATA / "street-crime-sample.csv")
    graph = Graph().parse(out, format="nt")
    dsd = URIRef(f"{BASE}/data/street-crime/structure")
    assert (URIRef(f"{BASE}/data/street-crime"), QB.structure, dsd) in graph
    dims = sorted((int(graph.value(c, QB.order)), str(graph.value(c, QB.dimension)))
                  for c in graph.objects(dsd, QB.component) if graph.value(c, QB.dimension))
    assert [d for _, d in dims] == [
        "http://purl.org/linked-data/sdmx/2009/dimension#refArea",
        "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod",
        f"{BASE}/def/crime/crimeType",
        f"{BASE}/def/crime/reportingForce",
    ]
    measures = [graph.value(c, QB.measure) for c in graph.objects(dsd, QB.component) if graph.value(c, QB.measure)]
    assert measures == [URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")]


def test_rebuilding_the_same_input_gives_the_same_graph(mapping, tmp_path):
    _, first = build(mapping, tmp_path, TEST_DATA / "street-crime-sample.csv")
    g1 = Graph().parse(first, format="nt")
    _, second = build(mapping, tmp_path, TEST_DATA / "street-crime-sample.csv")
    assert_isomorphic(Graph().parse(second, format="nt"), g1)


def only_error(result) -> object:
    assert result.errors, "expected an error"
    return result.errors[0]


@pytest.mark.parametrize(
    "change, code, line, column, words",
    [
        (lambda row: row.replace("Bicycle theft", "Bicycle thieving"), "VALUE-CODE", 2, 10, "Bicycle theft"),
        (lambda row: row.replace(",2019-01,", ",2019-13,"), "VALUE-MONTH", 2, 2, "YYYY-MM"),
        (lambda row: row.replace(",2019-01,", ",Jan 2019,"), "VALUE-MONTH", 2, 2, "YYYY-MM"),
        (lambda row: row.replace("E01000914", "E0100091"), "VALUE-LSOA", 2, 8, "E01 or W01"),
        (lambda row: row.replace("E01000914", "X01000914"), "VALUE-LSOA", 2, 8, "LSOA"),
        (lambda row: row.replace("City of London Police,City", "City of Londn Police,City"), "VALUE-FORCE", 2, 3, "City of London Police"),
        (lambda row: row.replace("51.515381", "151.515381"), "VALUE-RANGE", 2, 6, "outside"),
        (lambda row: row.replace("-0.112422", "west"), "VALUE-DECIMAL", 2, 5, "decimal"),
    ],
)
def test_a_bad_value_is_reported_with_file_line_and_column(mapping, tmp_path, change, code, line, column, words):
    path = write(tmp_path, f"{HEADER}\n{change(GOOD)}\n")
    result, _ = build(mapping, tmp_path, path)
    problem = only_error(result)
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), line, column)
    assert words in problem.message
    assert result.observations == 0


def test_a_missing_column_names_it(mapping, tmp_path):
    header = HEADER.replace(",Context", "")
    row = GOOD[: GOOD.rindex(",")]
    path = write(tmp_path, f"{header}\n{row}\n")
    problem = only_error(build(mapping, tmp_path, path)[0])
    assert problem.code == "SOURCE-COLUMNS" and problem.line == 1 and "'Context'" in problem.message


def test_a_renamed_column_is_recognised_as_renamed(mapping, tmp_path):
    path = write(tmp_path, f"{HEADER.replace('Crime type', 'Crime Category')}\n{GOOD}\n")
    problem = only_error(build(mapping, tmp_path, path)[0])
    assert problem.code == "SOURCE-COLUMNS" and "'Crime type'" in problem.message and "Crime Category" in problem.message


def test_blank_coordinates_are_valid_and_give_no_point(mapping, tmp_path):
    row = GOOD.replace("-0.112422,51.515381", ",")
    result, out = build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{row}\n"))
    assert result.errors == []
    graph = Graph().parse(out, format="nt")
    crime = URIRef(f"{BASE}/id/crime/{GOOD.split(',')[0]}")
    assert (crime, None, None) in graph
    assert not list(graph.triples((crime, URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"), None)))


def test_bytes_that_are_not_utf8_are_located(mapping, tmp_path):
    body = f"{HEADER}\n{GOOD}\n".encode() + GOOD.replace("Star Yard", "St\xe6r Yard").encode("latin-1") + b"\n"
    problem = only_error(build(mapping, tmp_path, write(tmp_path, body))[0])
    assert (problem.code, problem.line) == ("SOURCE-ENCODING", 3)
    assert problem.column == GOOD.index("Star Yard") + 3
    assert "UTF-8" in problem.message


@pytest.mark.parametrize("text", ["", f"{HEADER}\n"])
def test_an_empty_file_is_an_error(mapping, tmp_path, text):
    problem = only_error(build(mapping, tmp_path, write(tmp_path, text))[0])
    assert problem.code == "SOURCE-EMPTY"


def test_a_row_with_too_few_cells_is_located(mapping, tmp_path):
    problem = only_error(build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{GOOD}\n{GOOD[:60]}\n"))[0])
    assert (problem.code, problem.line) == ("SOURCE-RAGGED", 3)


def test_a_crime_id_in_two_months_is_an_error_naming_both_lines(mapping, tmp_path):
    other = GOOD.replace(",2019-01,", ",2019-02,")
    result, _ = build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{GOOD}\n{other}\n"))
    problem = only_error(result)
    assert (problem.code, problem.line, problem.column) == ("RECORD-CONFLICT", 3, 1)
    assert ":2 " in problem.message and "Month" in problem.message


def test_a_crime_id_reused_with_another_outcome_warns_and_keeps_the_first(mapping, tmp_path):
    # police.uk does this (58 times in the bundled files): every row counts, the record keeps the first.
    other = GOOD.replace("Under investigation", "Offender given a caution")
    result, out = build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{GOOD}\n{other}\n"))
    assert result.errors == []
    assert [p.code for p in result.problems] == ["RECORD-DUPLICATE"]
    graph = Graph().parse(out, format="nt")
    outcomes = set(graph.objects(URIRef(f"{BASE}/id/crime/{GOOD.split(',')[0]}"), URIRef(f"{BASE}/def/crime/lastOutcomeCategory")))
    assert outcomes == {URIRef(f"{BASE}/def/crime/outcome-category/under-investigation")}
    assert result.observations == 1


def test_a_mapping_that_forbids_conflicts_rejects_a_reused_id(mapping, tmp_path):
    strict = dataclasses.replace(mapping, records=dataclasses.replace(mapping.records, conflicts="error"))
    other = GOOD.replace("Under investigation", "Offender given a caution")
    problem = only_error(build(strict, tmp_path, write(tmp_path, f"{HEADER}\n{GOOD}\n{other}\n"))[0])
    assert problem.code == "RECORD-CONFLICT" and problem.line == 3


def test_exact_duplicate_rows_without_an_id_count_twice(mapping, tmp_path):
    asb = ",2019-01,City of London Police,City of London Police,-0.1,51.5,On or near X,E01000914,Camden 028B,Anti-social behaviour,,"
    result, out = build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{asb}\n{asb}\n"))
    graph = Graph().parse(out, format="nt")
    values = list(graph.objects(None, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")))
    assert [v.toPython() for v in values] == [2]


def test_a_byte_order_mark_and_crlf_are_read(mapping, tmp_path):
    body = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n").encode("utf-8")
    result, _ = build(mapping, tmp_path, write(tmp_path, body))
    assert result.errors == [] and result.observations == 1


def test_an_lsoa_newer_than_the_lookup_is_published_with_a_warning(mapping, tmp_path):
    row = GOOD.replace("E01000914", "E01099999").replace("Camden 028B", "Camden 099Z")
    result, out = build(mapping, tmp_path, write(tmp_path, f"{HEADER}\n{row}\n"))
    assert result.errors == [] and [p.code for p in result.problems] == ["LSOA-NOT-IN-LOOKUP"]
    graph = Graph().parse(out, format="nt")
    assert str(graph.value(URIRef(f"{BASE}/id/lsoa/E01099999"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Camden 099Z"


def test_many_warnings_do_not_fail_a_build(mapping, tmp_path):
    rows = [GOOD.replace(",Under investigation,", f",{outcome},") for outcome in ["Under investigation", "Offender fined"] * 110]
    result, _ = build(mapping, tmp_path, write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert result.errors == [] and result.observations == 1
    assert result.problems[-1].code == "TOO-MANY-PROBLEMS" and result.problems[-1].severity == "warning"


def test_errors_stop_being_listed_after_a_hundred(mapping, tmp_path):
    rows = [GOOD.replace("Bicycle theft", "Bike") for _ in range(150)]
    result, _ = build(mapping, tmp_path, write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert len(result.errors) == 101 and result.errors[-1].code == "TOO-MANY-PROBLEMS"
