"""`unpivot`: a column per value of a dimension, read as one logical row per column."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from linkeddata.cube import build_dataset
from linkeddata.errors import ConfigError
from linkeddata.mapping import load_mapping
from linkeddata.uris import Minter

from shared import BASE

QB = Namespace("http://purl.org/linked-data/cube#")
OBS_VALUE = URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")
STATUS = URIRef(f"{BASE}/def/statistics/observationStatus")

MAPPING = """
dataset: officers-by-sex
metadata:
  title: Officers by sex
  description: Officers by force and sex, one column per sex.
  licence: http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
  publisher: https://www.gov.uk/government/organisations/home-office
  issued: 2020-01-30
  periodicity: annual
source:
  format: csv
fields:
  force:    {column: Force, kind: police-force}
  sex:      {kind: sex}
  officers: {kind: count}
unpivot: {columns: [Male, Female, Not stated], into: sex, value: officers}
cube:
  observation: "{base}/data/officers-by-sex/{force}/{sex}"
  dimensions:
    - {property: crime:reportingForce, field: force}
    - {property: sdmx-dimension:sex, field: sex}
  measure: {property: sdmx-measure:obsValue, field: officers}
"""


def mapping_file(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "officers-by-sex.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build(tmp_path: Path, table: str, text: str = MAPPING):
    mapping = load_mapping(mapping_file(tmp_path, text), BASE)
    source = tmp_path / "officers.csv"
    source.write_text(table, encoding="utf-8")
    out = tmp_path / "out.nt"
    result = build_dataset(mapping, [source], Minter(BASE), out, modified="2026-01-01T00:00:00Z")
    return result, out, source


def cell(force: str, sex: str) -> URIRef:
    return URIRef(f"{BASE}/data/officers-by-sex/{force}/{sex}")


def test_each_column_becomes_one_observation_with_the_header_as_its_dimension_value(tmp_path):
    table = "Force,Male,Female,Not stated\nKent,\"2,436\",1194,[c]\nSurrey Police,1200,700,3\n"
    result, out, _ = build(tmp_path, table)
    assert result.errors == [] and result.rows == 2 and result.observations == 6
    graph = Graph().parse(out, format="nt")
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 6
    assert graph.value(cell("kent", "male"), OBS_VALUE) == Literal(2436)
    assert graph.value(cell("kent", "female"), OBS_VALUE) == Literal(1194)
    assert graph.value(cell("surrey", "unknown"), OBS_VALUE) == Literal(3)
    # The header resolved through the field's kind, as a cell would: "Not stated" is SDMX sex-U.
    assert graph.value(cell("kent", "male"), URIRef("http://purl.org/linked-data/sdmx/2009/dimension#sex")) == \
        URIRef("http://purl.org/linked-data/sdmx/2009/code#sex-M")
    # A marked cell is an observation with a status and no value.
    assert graph.value(cell("kent", "unknown"), OBS_VALUE) is None
    assert graph.value(cell("kent", "unknown"), STATUS) == URIRef(f"{BASE}/def/statistics/observation-status/suppressed")


def test_a_bad_cell_names_its_real_column(tmp_path):
    table = "Force,Male,Female,Not stated\nKent,2436,12a,1\n"
    result, _, source = build(tmp_path, table)
    (problem,) = result.errors
    assert (problem.code, problem.file, problem.line, problem.column, problem.column_name) == \
        ("VALUE-COUNT", str(source), 2, 3, "Female")
    assert "'12a'" in problem.message and result.observations == 0


def test_a_header_that_is_not_a_value_of_the_kind_is_reported_once_at_the_header(tmp_path):
    text = MAPPING.replace("[Male, Female, Not stated]", "[Male, Femail]")
    table = "Force,Male,Femail\nKent,1,2\nSurrey,3,4\n"
    result, _, source = build(tmp_path, table, text)
    (problem,) = result.errors
    assert (problem.code, problem.line, problem.column, problem.column_name) == ("VALUE-SEX", 1, 3, "Femail")
    assert result.observations == 0


def test_a_missing_unpivot_column_is_named_with_a_hint(tmp_path):
    table = "Force,Male,Females,Not stated\nKent,1,2,3\n"
    result, _, source = build(tmp_path, table)
    (problem,) = result.errors
    assert problem.code == "SOURCE-COLUMNS" and "'Female' (found 'Females': renamed?)" in problem.message


@pytest.mark.parametrize("old, new, words", [
    ("into: sex", "into: nosuch", "'nosuch' is not a field"),
    ("value: officers", "value: force", "'force' reads column 'Force'"),
    ("[Male, Female, Not stated]", "[]", "at least one column"),
    ("  sex:      {kind: sex}\n", "  sex:      {kind: sex}\n  other:    {kind: text}\n", "fields.other"),
])
def test_the_mapping_is_checked(tmp_path, old, new, words):
    with pytest.raises(ConfigError) as raised:
        load_mapping(mapping_file(tmp_path, MAPPING.replace(old, new)), BASE)
    assert words in str(raised.value)
