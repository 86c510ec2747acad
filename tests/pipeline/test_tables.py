"""Tables of counts: quarters, thousands separators, cells marked missing, disclosure control."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from linkeddata.cube import build_dataset
from linkeddata.mapping import load_mapping
from linkeddata.uris import Minter

from shared import BASE, TEST_DATA

STATUS = URIRef(f"{BASE}/def/statistics/observationStatus")
VALUE = URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")
HEADER = "Year,Quarter,Force,Count"


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(TEST_DATA / "quarterly-counts.yaml", BASE)


def build(mapping, tmp_path: Path, text: str):
    source = tmp_path / "table.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.nt"
    result = build_dataset(mapping, [source], Minter(BASE), out, modified="2026-01-01T00:00:00Z")
    return result, (Graph().parse(out, format="nt") if not result.errors else None)


def obs(quarter: str, force: str) -> URIRef:
    return URIRef(f"{BASE}/data/quarterly-counts/{quarter}/{force}")


def test_values_markers_and_disclosure(mapping, tmp_path):
    result, graph = build(mapping, tmp_path, "\n".join([
        HEADER,
        "2023,1,Kent Police,\"1,234\"",  # thousands separator: how these tables are published
        "2023,2,Kent Police,:",  # not available
        "2023,3,Kent Police,[c]",  # suppressed by the publisher
        "2023,4,Kent Police,2",  # below the disclosure threshold of 3
        "2023,4,Essex Police,0",  # zero is a value, not a disclosure risk
        "2023,4,Surrey Police,508663.0",  # spreadsheets write whole numbers like this
    ]) + "\n")
    assert result.errors == []
    assert graph.value(obs("2023-Q1", "kent"), VALUE) == Literal(1234)
    status = f"{BASE}/def/statistics/observation-status/"
    assert graph.value(obs("2023-Q2", "kent"), STATUS) == URIRef(status + "not-available")
    assert graph.value(obs("2023-Q3", "kent"), STATUS) == URIRef(status + "suppressed")
    assert graph.value(obs("2023-Q4", "kent"), STATUS) == URIRef(status + "suppressed")
    for quarter in ("2023-Q2", "2023-Q3", "2023-Q4"):
        assert graph.value(obs(quarter, "kent"), VALUE) is None, "a marked cell has no value, never 0"
    assert graph.value(obs("2023-Q4", "essex"), VALUE) == Literal(0)
    assert graph.value(obs("2023-Q4", "surrey"), VALUE) == Literal(508663)
    threshold = graph.value(URIRef(f"{BASE}/data/quarterly-counts"), URIRef(f"{BASE}/def/statistics/disclosureThreshold"))
    assert threshold == Literal(3)


@pytest.mark.parametrize(
    "row, code, column",
    [
        ("2023,5,Kent Police,1", "VALUE-QUARTER", 2),  # the Quarter column is wrong, not Year
        ("2023,1,Kent Police,12a", "VALUE-COUNT", 4),
        ("2023,1,Kent Police,-3", "VALUE-COUNT", 4),
        ("2023,1,Kent Police,1.5", "VALUE-COUNT", 4),
    ],
)
def test_bad_cells_are_located(mapping, tmp_path, row, code, column):
    result, _ = build(mapping, tmp_path, f"{HEADER}\n{row}\n")
    problem = result.errors[0]
    assert (problem.code, problem.line, problem.column) == (code, 2, column)


def test_two_rows_for_one_cell_are_an_error(mapping, tmp_path):
    result, _ = build(mapping, tmp_path, f"{HEADER}\n2023,1,Kent Police,4\n2023,1,Kent Police,5\n")
    problem = result.errors[0]
    assert problem.code == "CUBE-DUPLICATE-CELL" and problem.line == 3 and ":2" in problem.message


@pytest.mark.parametrize(
    "raw, key",
    [("2023 Q1", "2023-Q1"), ("2023-Q2", "2023-Q2"), ("Q3 2023", "2023-Q3"), ("2023-12-31", "2023-Q4"), ("2023 1", "2023-Q1")],
)
def test_quarters_are_read_in_every_published_spelling(raw, key):
    from linkeddata.reference.kinds import FieldSpec, Resolver
    from linkeddata.tabular import Row

    spec = FieldSpec("q", "Quarter", "quarter")
    value = Resolver(Minter(BASE)).parse(spec, Row("t.csv", 2, {"Quarter": raw}, {"Quarter": 1}))
    assert value.key == key and value.uri == f"{BASE}/id/quarter/{key}"


@pytest.mark.parametrize(
    "raw, key", [("2023-24", "2023-2024"), ("2023/24", "2023-2024"), ("year ending March 2024", "2023-2024"), ("2023-2024", "2023-2024")]
)
def test_financial_years_are_read_in_every_published_spelling(raw, key):
    from linkeddata.reference.kinds import FieldSpec, Resolver
    from linkeddata.tabular import Row

    spec = FieldSpec("y", "Year", "government-year")
    value = Resolver(Minter(BASE)).parse(spec, Row("t.csv", 2, {"Year": raw}, {"Year": 1}))
    assert value.key == key
