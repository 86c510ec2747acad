"""The asylum applications mapping: rows to observations, bad input, and a roll-up by region."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace

from linkeddata.cube import build_dataset
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.reference import tables
from linkeddata.settings import resource_dir
from linkeddata.store import open_store
from linkeddata.uris import Minter

from dataset_checks import publish_bundled
from shared import BASE, assert_isomorphic

QB = Namespace("http://purl.org/linked-data/cube#")
HEADER = "Date,Year,Quarter,Asylum application,Nationality,Region,Applicant type,UASC,Sex,Age Group,Applications"
ROWS = [  # two real rows of the bundled file (lines 2 and 5), and a third with a count of 1,234
    "2018-03-31,2018,1,Asylum application raised,Albania,Europe Other,Main applicant,Non-UASC,Female,18 to 24,1",
    "2018-03-31,2018,1,No asylum application raised,Albania,Europe Other,N/A - No asylum application,Non-UASC,Male,18 to 24,1",
    "2022-09-30,2022,3,Asylum application raised,Iran,Middle East,Dependant,UASC,Unknown,17 and under,1,234",
]
SAMPLE = resource_dir("data") / "immigration" / "small_boat_asylum_applications.csv"

EXPECTED = f"""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-code: <http://purl.org/linked-data/sdmx/2009/code#> .
@prefix migration: <{BASE}/def/migration/> .
@prefix obs: <{BASE}/data/asylum-applications/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

obs:2018-Q1\\/alb\\/raised\\/main-applicant\\/non-uasc\\/female\\/18-24 a qb:Observation ;
    qb:dataSet <{BASE}/data/asylum-applications> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2018-Q1> ;
    migration:nationality <{BASE}/def/migration/nationality/alb> ;
    migration:asylumApplication <{BASE}/def/migration/asylum-application-raised/raised> ;
    migration:applicantType <{BASE}/def/migration/asylum-applicant-type/main-applicant> ;
    migration:uascStatus <{BASE}/def/migration/uasc-status/non-uasc> ;
    sdmx-dimension:sex sdmx-code:sex-F ;
    migration:ageGroup <{BASE}/def/migration/age-group/18-24> ;
    sdmx-measure:obsValue 1 .

obs:2018-Q1\\/alb\\/not-raised\\/no-asylum-application\\/non-uasc\\/male\\/18-24 a qb:Observation ;
    qb:dataSet <{BASE}/data/asylum-applications> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2018-Q1> ;
    migration:nationality <{BASE}/def/migration/nationality/alb> ;
    migration:asylumApplication <{BASE}/def/migration/asylum-application-raised/not-raised> ;
    migration:applicantType <{BASE}/def/migration/asylum-applicant-type/no-asylum-application> ;
    migration:uascStatus <{BASE}/def/migration/uasc-status/non-uasc> ;
    sdmx-dimension:sex sdmx-code:sex-M ;
    migration:ageGroup <{BASE}/def/migration/age-group/18-24> ;
    sdmx-measure:obsValue 1 .

obs:2022-Q3\\/irn\\/raised\\/dependant\\/uasc\\/unknown\\/under-18 a qb:Observation ;
    qb:dataSet <{BASE}/data/asylum-applications> ;
    sdmx-dimension:refPeriod <{BASE}/id/quarter/2022-Q3> ;
    migration:nationality <{BASE}/def/migration/nationality/irn> ;
    migration:asylumApplication <{BASE}/def/migration/asylum-application-raised/raised> ;
    migration:applicantType <{BASE}/def/migration/asylum-applicant-type/dependant> ;
    migration:uascStatus <{BASE}/def/migration/uasc-status/uasc> ;
    sdmx-dimension:sex sdmx-code:sex-U ;
    migration:ageGroup <{BASE}/def/migration/age-group/under-18> ;
    sdmx-measure:obsValue 1234 .
"""


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(find_mapping("asylum-applications"), BASE)


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "asylum.csv"
    # The count 1,234 is quoted, as a spreadsheet writes it.
    body = [line if not line.endswith(",1,234") else line[: -len("1,234")] + '"1,234"' for line in lines]
    path.write_text("\n".join([HEADER, *body]) + "\n", encoding="utf-8")
    return path


def build(mapping, tmp_path: Path, path: Path):
    out = tmp_path / "out.nt"
    return build_dataset(mapping, [path], Minter(BASE), out, modified="2026-01-01T00:00:00Z"), out


def test_rows_give_the_expected_observations(mapping, tmp_path):
    result, out = build(mapping, tmp_path, write(tmp_path, *ROWS))
    assert result.errors == [] and result.observations == 3
    graph = Graph().parse(out, format="nt")
    got = Graph()
    for obs in graph.subjects(RDF.type, QB.Observation):
        for triple in graph.triples((obs, None, None)):
            got.add(triple)
    assert_isomorphic(got, Graph().parse(data=EXPECTED, format="turtle"))


def test_the_structure_has_seven_dimensions_and_the_count_measure(mapping, tmp_path):
    _, out = build(mapping, tmp_path, write(tmp_path, *ROWS))
    graph = Graph().parse(out, format="nt")
    dimensions = set(graph.objects(None, QB.dimension))
    assert len(dimensions) == 7
    assert set(graph.objects(None, QB.measure)) == {
        Namespace("http://purl.org/linked-data/sdmx/2009/measure#").obsValue}


@pytest.mark.parametrize("old, new, code, column, words", [
    # Year and Quarter are read as one value; the problem points at the one that is wrong.
    (",2018,1,", ",2023,5,", "VALUE-QUARTER", 3, "'2023 5' is not a quarter"),
    (",2018,1,", ",218,1,", "VALUE-QUARTER", 2, "'218 1' is not a quarter"),
    ("Albania", "Albnia", "VALUE-NATIONALITY", 5, "Did you mean 'Albania'"),
    (",Male,", ",Mail,", "VALUE-SEX", 9, "'Mail'"),
    ("18 to 24", "18 to 25", "VALUE-CODE", 10, "age-group"),
    (",1\n", ",12a\n", "VALUE-COUNT", 11, "'12a'"),
])
def test_bad_input_is_rejected_with_file_line_and_column(mapping, tmp_path, old, new, code, column, words):
    path = write(tmp_path, *ROWS)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[2]
    lines[2] = lines[2].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    result, _ = build(mapping, tmp_path, path)
    assert result.observations == 0
    (problem,) = result.errors
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, column)
    assert words in problem.message


def test_a_quarter_written_2023_q5_is_rejected(tmp_path):
    from linkeddata.reference.kinds import FieldSpec, Problems, Resolver
    from linkeddata.tabular import read_csv

    path = tmp_path / "q.csv"
    path.write_text("Period,Nationality\n2023 Q4,Iran\n2023 Q5,Iran\n", encoding="utf-8")
    row = list(read_csv(path, ["Period"]))[1]
    with pytest.raises(Problems) as raised:
        Resolver(Minter(BASE)).parse(FieldSpec("quarter", "Period", "quarter"), row)
    problem = raised.value.problem
    assert (problem.code, problem.file, problem.line, problem.column) == ("VALUE-QUARTER", str(path), 3, 1)
    assert "'2023 Q5' is not a quarter" in problem.message


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A store with the bundled asylum applications sample published (built and validated)."""
    return publish_bundled(tmp_path_factory, "asylum-applications")


def test_applications_roll_up_from_nationality_to_region_as_the_table_adds_them(published):
    expected: Counter[str] = Counter()
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Asylum application"] == "Asylum application raised" and row["Quarter"] == "3" and row["Year"] == "2022":
                expected[row["Region"]] += int(row["Applications"].replace(",", ""))
    query = f"""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX migration: <{BASE}/def/migration/>
        SELECT ?region (SUM(?n) AS ?applications) WHERE {{
            ?obs qb:dataSet <{BASE}/data/asylum-applications> ;
                 sdmx-dimension:refPeriod <{BASE}/id/quarter/2022-Q3> ;
                 migration:asylumApplication <{BASE}/def/migration/asylum-application-raised/raised> ;
                 migration:nationality/skos:broader/skos:prefLabel ?region ;
                 sdmx-measure:obsValue ?n .
        }} GROUP BY ?region
    """
    with open_store(published, BASE) as store:
        got = {str(r["region"]): int(r["applications"]) for r in store.select(query)}
    assert got == dict(expected) and sum(got.values()) > 10_000


def test_every_region_total_over_all_quarters_matches_the_table(published):
    expected: Counter[str] = Counter()
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            expected[row["Region"]] += int(row["Applications"].replace(",", ""))
    query = f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?region (SUM(?n) AS ?applications) WHERE {{
            ?obs <http://purl.org/linked-data/cube#dataSet> <{BASE}/data/asylum-applications> ;
                 <{BASE}/def/migration/nationality> ?nationality ;
                 <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?n .
            ?nationality skos:broader ?r . ?r skos:prefLabel ?region .
        }} GROUP BY ?region
    """
    with open_store(published, BASE) as store:
        got = {str(r["region"]): int(r["applications"]) for r in store.select(query)}
    regions = {r.label for r in tables.nationality_regions()}
    assert set(got) <= regions
    assert got == dict(expected)
