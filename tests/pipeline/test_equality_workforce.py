"""Police workforce: officers from the CSV extract, staff read directly from the original .ods."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from odf import teletype
from odf.opendocument import OpenDocumentSpreadsheet, load
from odf.table import Table, TableCell, TableRow
from odf.text import P

from linkeddata.cube import build_dataset
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.reference import tables
from linkeddata.settings import resource_dir
from linkeddata.store import open_store
from linkeddata.tabular import Layout, read_table
from linkeddata.uris import Minter

from dataset_checks import publish_bundled
from shared import BASE

CSV = resource_dir("data") / "equality" / "officer-headcount-2019.csv"
ODS = resource_dir("data") / "equality" / "police-workforce-sep19-tables.ods"
REGIONS = {"North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands", "Eastern",
           "London", "South East", "South West", "Wales"}


def force_slug(name: str) -> str:
    known = {tables.normalise(n): f.slug for f in tables.police_forces() for n in (f.name, f.slug, *f.other_names)}
    return known[tables.normalise(name)]


def displayed_sheet(name: str) -> list[list[str]]:
    """A sheet's cells as LibreOffice shows them, read with odfpy alone (not our reader)."""
    sheet = next(t for t in load(str(ODS)).spreadsheet.getElementsByType(Table) if t.getAttribute("name") == name)
    rows = []
    for row in sheet.getElementsByType(TableRow)[:80]:
        rows.append([teletype.extractText(c).strip() for c in row.getElementsByType(TableCell)[:6]])
    return rows


def counts(store, dataset: str) -> dict[tuple[str, str], int]:
    query = f"""
        SELECT ?month ?force ?n WHERE {{
            ?obs <http://purl.org/linked-data/cube#dataSet> <{BASE}/data/{dataset}> ;
                 <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod> ?month ;
                 <{BASE}/def/equality/policeForce> ?force ;
                 <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?n .
        }}"""
    return {(str(r["month"]).rsplit("/", 1)[1], str(r["force"]).rsplit("/", 1)[1]): int(r["n"])
            for r in store.select(query)}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish_bundled(tmp_path_factory, "police-workforce", "police-staff")


def test_officers_are_the_csv_forces_and_the_regions_are_their_sums(published):
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected, region, regions = {}, None, {}
    for i, row in enumerate(rows):
        name = row["Force/Region"]
        is_region = name in REGIONS and (name != "West Midlands" or rows[i + 1]["Force/Region"] == "Staffordshire")
        if is_region:
            region = name
            regions[region] = [0.0, float(row["March 2019"])]
        elif name != "Central Service Secondments":
            expected[("2019-03", force_slug(name))] = int(float(row["March 2019"]))
            expected[("2019-09", force_slug(name))] = int(float(row["September 2019"]))
            if name != "British Transport Police":
                regions[region][0] += float(row["March 2019"])
        # "increase" is derived: September minus March.
        assert float(row["increase"]) == pytest.approx(float(row["September 2019"]) - float(row["March 2019"]))
    assert all(total == pytest.approx(given) for total, given in regions.values())  # skipping loses nothing
    with open_store(published, BASE) as store:
        got = counts(store, "police-workforce")
    assert got == expected and len(got) == 88 and got[("2019-03", "kent")] == 3618


def test_staff_are_read_from_the_spreadsheet_as_it_shows_them(published):
    shown = displayed_sheet("Table_8")
    # The header's first cell is covered by a merged range above, so odfpy lists no cell for it.
    header = next(i for i, row in enumerate(shown) if row[:2] == ["Mar-19", "Sep-19"])
    expected = {}
    body = shown[header + 1:]
    for i, row in enumerate(body):
        if not row or not row[0]:
            break
        # Regions are sums of the forces after them; the West Midlands region is followed by Staffordshire.
        region = row[0] in REGIONS and (row[0] != "West Midlands" or body[i + 1][0] == "Staffordshire")
        if region or row[0].startswith("Total"):
            continue
        for column, month in ((1, "2019-03"), (2, "2019-09")):
            expected[(month, force_slug(row[0]))] = int(row[column].replace(",", ""))
    with open_store(published, BASE) as store:
        got = counts(store, "police-staff")
    assert got == expected and len(got) == 88
    assert got[("2019-03", "city-of-london")] == expected[("2019-03", "city-of-london")]


def test_the_ods_table_7_read_directly_gives_the_csv_extract(tmp_path):
    """Our reader of the original spreadsheet agrees with the CSV someone made from it."""
    rows = read_table(ODS, ["Force", "2019-03-31", "2019-09-30"], Layout("ods", "Table_7", 6, {1: "Force"}))
    from_ods = {r.values["Force"]: float(r.values["2019-03-31"]) for r in rows}
    with CSV.open(encoding="utf-8", newline="") as handle:
        from_csv = {r["Force/Region"]: float(r["March 2019"]) for r in csv.DictReader(handle)}
    assert from_ods["Kent"] == from_csv["Kent"] == 3618
    assert from_ods["Central Service Secondments"] == from_csv["Central Service Secondments"] == 311.2075
    assert from_ods["Metropolitan Police"] == from_csv["Metropolitan"]


def test_the_total_rows_are_reported(tmp_path):
    mapping = load_mapping(find_mapping("police-staff"), BASE)
    result = build_dataset(mapping, [ODS], Minter(BASE), tmp_path / "out.nt", modified="2026-01-01T00:00:00Z")
    reports = {p.line: p.message for p in result.problems if p.code == "TOTAL-ROWS"}
    assert result.errors == [] and sorted(reports) == [7, 28, 60]
    assert reports[60].startswith("2 row(s) with Police force in ['Total 43 forces', 'Total'] left out")


# -- bad input -------------------------------------------------------------------------------

def staff_sheet(path: Path, cells: list[list[str]], name: str = "Table_8") -> Path:
    """A sheet in the Home Office layout: title, blank row, unit, the header with a blank first cell.

    The real sheet's month headers are date cells, read as ISO dates; text cells read the same."""
    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for values in [["Table 8: Police staff by police force area"], [], ["England and Wales", "", "", "Headcount"],
                   [], [], ["", "2019-03-31", "2019-09-30"], *cells]:
        row = TableRow()
        for value in values:
            cell = TableCell()
            if value:
                cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def build(tmp_path: Path, source: Path, mapping_text: str | None = None):
    path = find_mapping("police-staff")
    if mapping_text is not None:
        path = tmp_path / "police-staff.yaml"
        path.write_text(mapping_text, encoding="utf-8")
    return build_dataset(load_mapping(path, BASE), [source], Minter(BASE), tmp_path / "out.nt",
                         modified="2026-01-01T00:00:00Z")


def test_a_thousands_separator_is_read_and_12a_is_rejected_with_its_cell(tmp_path):
    good = staff_sheet(tmp_path / "good.ods", [["Kent", "1,234", "1,240"], ["Surrey", "12", "13"]])
    result = build(tmp_path, good)
    assert result.errors == [] and result.observations == 4
    bad = staff_sheet(tmp_path / "bad.ods", [["Kent", "1,234", "1,240"], ["Surrey", "12", "12a"]])
    result = build(tmp_path, bad)
    (problem,) = result.errors
    assert (problem.code, problem.file, problem.line, problem.column) == ("VALUE-COUNT", f"{bad} [Table_8]", 8, 3)
    assert problem.where() == f"{bad} [Table_8]:8:3 (2019-09-30)"


def test_a_wrong_sheet_is_rejected_with_the_sheets_named(tmp_path):
    result = build(tmp_path, ODS, find_mapping("police-staff").read_text(encoding="utf-8").replace(
        "sheet: Table_8", "sheet: Table 8"))
    (problem,) = result.errors
    assert problem.code == "SOURCE-SHEET" and "'Table_7', 'Table_8'" in problem.message


def test_a_wrong_header_row_says_where_the_header_is(tmp_path):
    result = build(tmp_path, ODS, find_mapping("police-staff").read_text(encoding="utf-8").replace(
        "header_row: 6", "header_row: 4"))
    (problem,) = result.errors
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 4)
    assert "The header is at row 6" in problem.message


def test_a_renamed_column_is_rejected(tmp_path):
    sheet = staff_sheet(tmp_path / "renamed.ods", [["Kent", "1", "2"]])
    result = build(tmp_path, sheet, find_mapping("police-staff").read_text(encoding="utf-8").replace(
        "2019-09-30: 2019-09", "2019-9-30: 2019-09"))
    (problem,) = result.errors
    assert problem.code == "SOURCE-COLUMNS" and "'2019-9-30' (found '2019-09-30': renamed?)" in problem.message
