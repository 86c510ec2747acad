"""Reading tables: CSV, .ods and .xlsx sheets, titles above the header, notes below, total rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from linkeddata.cube import build_dataset
from linkeddata.errors import SourceError
from linkeddata.mapping import load_mapping
from linkeddata.tabular import Layout, read_table
from linkeddata.uris import Minter

from shared import BASE

# A Home Office sheet: a title, a blank row, a unit note, the header (its first cell blank),
# the rows, a source line, a blank row and footnotes.
SHEET = [
    ["Table 7: Police officers by police force area, 31 March 2019 (headcount)"],
    [],
    ["England and Wales", "", "", "Headcount"],
    ["", "Mar-19", "Sep-19"],
    ["North East", "5,484", "5,508"],
    ["Kent", "3,618", "3,615"],
    ["Surrey", "1,930", "1,947"],
    ["", "", "", "Source: Home Office"],
    [],
    ["Notes"],
    ["1. Headcount data were not collected for September 2018."],
]
REQUIRED = ["Force", "Mar-19", "Sep-19"]
LAYOUT = {"name_columns": {1: "Force"}}


def write_ods(path: Path, rows: list[list[str]], sheet: str = "Table_7") -> Path:
    """An .ods file as LibreOffice writes one: numbers with a stored value, repeated cells and rows."""
    doc = OpenDocumentSpreadsheet()
    doc.spreadsheet.addElement(Table(name="Index"))
    table = Table(name=sheet)
    for cells in rows:
        row = TableRow()
        for text in cells:
            if text.replace(",", "").isdigit():
                cell = TableCell(valuetype="float", value=text.replace(",", ""))
            else:
                cell = TableCell()
            if text:
                cell.addElement(P(text=text))
            row.addElement(cell)
        row.addElement(TableCell(numbercolumnsrepeated=16000))  # the empty rest of the row
        table.addElement(row)
    table.addElement(TableRow(numberrowsrepeated=1048000))  # the empty rest of the sheet
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_xlsx(path: Path, rows: list[list[str]], sheet: str = "Table_7") -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Index"
    ws = book.create_sheet(sheet)
    for cells in rows:
        ws.append([int(c.replace(",", "")) if c.replace(",", "").isdigit() else (c or None) for c in cells])
    book.save(path)
    return path


def rows_of(path: Path, layout: Layout, required=REQUIRED) -> list:
    return list(read_table(path, required, layout))


def refusal(path: Path, layout: Layout, required=REQUIRED):
    """The problem reading the table is refused with."""
    with pytest.raises(SourceError) as raised:
        rows_of(path, layout, required)
    return raised.value.problem


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_sheet_is_read_from_its_header_to_the_end_of_the_table(tmp_path, fmt):
    write = write_ods if fmt == "ods" else write_xlsx
    path = write(tmp_path / f"workforce.{fmt}", SHEET)
    rows = rows_of(path, Layout(fmt, "Table_7", **LAYOUT))
    assert [(r.line, r.values["Force"], r.values["Mar-19"]) for r in rows] == [
        (5, "North East", "5484"), (6, "Kent", "3618"), (7, "Surrey", "1930")]
    assert rows[0].file == f"{path} [Table_7]" and rows[0].header_line == 4
    assert rows[1].problem("X", "Sep-19", "m").where() == f"{path} [Table_7]:6:3 (Sep-19)"


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_named_header_row_is_used_and_a_wrong_one_says_where_the_header_is(tmp_path, fmt):
    write = write_ods if fmt == "ods" else write_xlsx
    path = write(tmp_path / f"workforce.{fmt}", SHEET)
    assert len(rows_of(path, Layout(fmt, "Table_7", header_row=4, **LAYOUT))) == 3
    problem = refusal(path, Layout(fmt, "Table_7", header_row=3, **LAYOUT))
    assert (problem.code, problem.file, problem.line) == ("SOURCE-COLUMNS", f"{path} [Table_7]", 3)
    assert "The header is at row 4: set source.header_row to 4" in problem.message


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_wrong_sheet_lists_the_sheets(tmp_path, fmt):
    write = write_ods if fmt == "ods" else write_xlsx
    path = write(tmp_path / f"workforce.{fmt}", SHEET)
    problem = refusal(path, Layout(fmt, "Table 7", **LAYOUT))
    assert problem.code == "SOURCE-SHEET"
    assert "no sheet named 'Table 7'; the workbook has ['Index', 'Table_7']" in problem.message


def test_merged_cells_give_their_value_to_the_first_cell_only(tmp_path):
    doc = OpenDocumentSpreadsheet()
    table = Table(name="T")
    for cells in (["Force", "Count"], ["Kent", "1"]):
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    merged = TableRow()
    first = TableCell(numbercolumnsspanned=2)
    first.addElement(P(text="Surrey"))
    merged.addElement(first)
    merged.addElement(CoveredTableCell())
    table.addElement(merged)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "merged.ods"
    doc.save(str(path))
    rows = rows_of(path, Layout("ods", "T"), ["Force", "Count"])
    assert [r.values for r in rows] == [{"Force": "Kent", "Count": "1"}, {"Force": "Surrey", "Count": ""}]


def test_a_csv_with_a_title_above_the_header_is_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Police officers, 2019\n\nForce,Count\nKent,1\nSurrey,\"1,234\"\n", encoding="utf-8")
    rows = rows_of(path, Layout(), ["Force", "Count"])
    assert [(r.line, r.values["Count"]) for r in rows] == [(4, "1"), (5, "1,234")]


def test_a_renamed_column_is_named_with_a_hint(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Title\nForce,Counts\nKent,1\n", encoding="utf-8")
    problem = refusal(path, Layout(), ["Force", "Count"])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 2)
    assert "'Count' (found 'Counts': renamed?)" in problem.message


def test_data_after_notes_below_the_table_is_an_error_not_a_silent_cut(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Force,Count\nKent,1\n,\nNotes,\nSurrey,2\n", encoding="utf-8")
    problem = refusal(path, Layout(), ["Force", "Count"])
    assert (problem.code, problem.line) == ("SOURCE-AFTER-END", 5)
    assert "notes below the table begin at row 4" in problem.message


def test_notes_below_the_table_are_not_data(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Force,Count\nKent,1\n,\nSource: Home Office,\n\n1. Provisional,\n", encoding="utf-8")
    assert len(rows_of(path, Layout(), ["Force", "Count"])) == 1


def _street_rows(blank: str) -> str:
    lines = ["Crime ID,Month"] + [f"{i:064x},2019-01" for i in range(1, 618)]
    lines[300] = blank
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("blank", ["", ",", ",,,,", " , ", "\t,"])
def test_a_blank_row_inside_the_table_is_skipped_and_counted_never_ends_it(tmp_path, blank):
    """The issue's case: a 617-row file with a blank line at row 301 published 299 rows."""
    path = tmp_path / "street.csv"
    path.write_text(_street_rows(blank), encoding="utf-8")
    warnings: list = []
    rows = list(read_table(path, ["Crime ID", "Month"], Layout(), warnings.append))
    assert len(rows) == 616 and rows[-1].line == 618
    [warning] = warnings
    assert (warning.code, warning.severity, warning.line) == ("SOURCE-BLANK-ROWS", "warning", 301)
    assert "1 blank row(s)" in warning.message and "rows 301" in warning.message


def test_blank_rows_at_the_end_are_no_warning(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Force,Count\nKent,1\n,\n\n", encoding="utf-8")
    warnings: list = []
    assert len(list(read_table(path, ["Force", "Count"], Layout(), warnings.append))) == 1
    assert warnings == []


@pytest.mark.parametrize("write, fmt", [(write_ods, "ods"), (write_xlsx, "xlsx")])
def test_a_spreadsheet_row_after_an_empty_row_is_still_read(tmp_path, write, fmt):
    rows = SHEET[:6] + [[], ["", "", ""], ["Surrey", "1,930", "1,947"]] + SHEET[7:]
    path = write(tmp_path / f"t.{fmt}", rows)
    warnings: list = []
    read = list(read_table(path, REQUIRED, Layout(fmt, "Table_7", **LAYOUT), warnings.append))
    assert [r.values["Force"] for r in read] == ["North East", "Kent", "Surrey"]
    assert [w.code for w in warnings] == ["SOURCE-BLANK-ROWS"]
    assert warnings[0].line == 7


def test_the_street_crime_build_counts_every_row_after_a_blank_line(tmp_path):
    source = Path(__file__).parents[1] / "data" / "street-crime-sample.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    middle = len(lines) // 2
    gapped = tmp_path / "gapped.csv"
    gapped.write_text("\n".join(lines[:middle] + [",,,,,,,,,,,", ""] + lines[middle:]) + "\n", encoding="utf-8")
    from linkeddata.mapping import find_mapping

    mapping = load_mapping(find_mapping("street-crime"), BASE)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    whole = build_dataset(mapping, [source], Minter(BASE), tmp_path / "a", modified="2024-01-01")
    cut = build_dataset(mapping, [gapped], Minter(BASE), tmp_path / "b", modified="2024-01-01")
    assert cut.rows == whole.rows == len(lines) - 1
    assert cut.observations == whole.observations
    assert [p.code for p in cut.problems if p.code.startswith("SOURCE")] == ["SOURCE-BLANK-ROWS"]


def test_a_file_of_another_format_than_the_mapping_says_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", SHEET)
    problem = refusal(path, Layout("ods", "Table_7"))
    assert problem.code == "SOURCE-FORMAT"


# -- total rows, through the builder ---------------------------------------------------------

MAPPING = """
dataset: officers
metadata:
  title: Officers
  description: Officers by force.
  licence: http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
  publisher: https://www.gov.uk/government/organisations/home-office
  issued: 2020-01-30
  periodicity: annual
source: {format: ods, sheet: Table_7, name_columns: {1: Force}}
fields:
  force:    {column: Force, kind: police-force}
  officers: {column: Mar-19, kind: count}
totals:
  - {column: Force, values: [North East, Total], then: skip, why: regions and England and Wales}
cube:
  observation: "{base}/data/officers/{force}"
  dimensions:
    - {property: crime:reportingForce, field: force}
  measure: {property: sdmx-measure:obsValue, field: officers}
"""


def build(tmp_path: Path, rows: list[list[str]], mapping: str = MAPPING):
    path = tmp_path / "officers.yaml"
    path.write_text(mapping, encoding="utf-8")
    source = write_ods(tmp_path / "workforce.ods", rows)
    result = build_dataset(load_mapping(path, BASE), [source], Minter(BASE), tmp_path / "out.nt",
                           modified="2026-01-01T00:00:00Z")
    return result, source


def test_total_rows_are_left_out_and_counted_in_the_report(tmp_path):
    result, source = build(tmp_path, [*SHEET[:7], ["Total", "11,032", "11,070"]])
    assert result.errors == [] and result.observations == 2 and result.rows == 4
    (report,) = [p for p in result.problems if p.code == "TOTAL-ROWS"]
    assert report.severity == "warning" and (report.file, report.line) == (f"{source} [Table_7]", 5)
    assert report.message.startswith("2 row(s) with Force in ['North East', 'Total'] left out")
    assert "regions and England and Wales" in report.message


def test_an_undeclared_total_row_is_an_error_with_its_place(tmp_path):
    result, source = build(tmp_path, [*SHEET[:7], ["England and Wales", "11,032", "11,070"]])
    (problem,) = result.errors
    assert (problem.code, problem.file, problem.line, problem.column) == ("VALUE-FORCE", f"{source} [Table_7]", 8, 1)


def test_a_total_row_can_be_read_as_a_named_value(tmp_path):
    mapping = MAPPING.replace("then: skip", "then: {read_as: Kent}").replace("[North East, Total]", "[Total]")
    rows = [*SHEET[:4], ["Surrey", "1", "2"], ["Total", "7", "8"]]
    result, _ = build(tmp_path, rows, mapping)
    assert result.errors == [] and result.observations == 2
    (report,) = [p for p in result.problems if p.code == "TOTAL-ROWS"]
    assert "1 row(s) with Force in ['Total'] read as 'Kent'" in report.message


def test_first_only_tells_a_region_from_a_force_of_the_same_name(tmp_path):
    mapping = MAPPING.replace("values: [North East, Total], then: skip",
                              "values: [Kent], first_only: true, then: skip")
    rows = [*SHEET[:4], ["Kent", "10", "10"], ["Kent", "7", "8"]]
    result, _ = build(tmp_path, rows, mapping)
    assert result.errors == [] and result.observations == 1
    (report,) = [p for p in result.problems if p.code == "TOTAL-ROWS"]
    assert report.line == 5


def test_a_column_the_mapping_reads_twice_in_the_header_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Force,Count,Count\nKent,1,2\n", encoding="utf-8")
    problem = refusal(path, Layout(), ["Force", "Count"])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "['Count'] appear more than once" in problem.message


def test_dates_in_a_sheet_are_read_as_iso_dates(tmp_path):
    doc = OpenDocumentSpreadsheet()
    table = Table(name="T")
    for cells in ((("string", "Date"), ("string", "Count")), (("date", "2019-03-31"), ("float", "5"))):
        row = TableRow()
        for kind, text in cells:
            cell = TableCell(valuetype=kind, **({"datevalue": text} if kind == "date" else {"value": text} if kind == "float" else {}))
            cell.addElement(P(text="31/03/2019" if kind == "date" else text))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "dates.ods"
    doc.save(str(path))
    (row,) = rows_of(path, Layout("ods", "T"), ["Date", "Count"])
    assert row.values == {"Date": "2019-03-31", "Count": "5"}


def test_dates_in_an_excel_sheet_are_read_as_iso_dates(tmp_path):
    from datetime import datetime

    book = openpyxl.Workbook()
    book.active.title = "T"
    book.active.append(["Date", "Count"])
    book.active.append([datetime(2019, 3, 31), 5.0])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    (row,) = rows_of(path, Layout("xlsx", "T"), ["Date", "Count"])
    assert row.values == {"Date": "2019-03-31", "Count": "5"}


# -- the same source twice -----------------------------------------------------------------------

@pytest.mark.parametrize("how", ["same path", "same path spelt another way", "a copy under another name"])
def test_the_same_source_given_twice_is_refused_naming_both(tmp_path, capsys, how):
    from linkeddata.cli import main

    source = tmp_path / "street.csv"
    source.write_bytes((Path(__file__).parents[1] / "data" / "street-crime-sample.csv").read_bytes())
    second = {
        "same path": source,
        "same path spelt another way": tmp_path / "sub" / ".." / "street.csv",
        "a copy under another name": tmp_path / "copy.csv",
    }[how]
    (tmp_path / "sub").mkdir()
    if how == "a copy under another name":
        second.write_bytes(source.read_bytes())
    if how == "a copy under another name":  # once through the command line, as a publisher sees it
        assert main(["validate", "street-crime", "--source", str(source), "--source", str(second)]) == 1
        lines = capsys.readouterr().err.splitlines()
    else:  # the rest straight through the builder: quicker
        from linkeddata.mapping import find_mapping

        (tmp_path / "out").mkdir()
        mapping = load_mapping(find_mapping("street-crime"), BASE)
        result = build_dataset(mapping, [source, second], Minter(BASE), tmp_path / "out", modified="2024-01-01")
        lines = [str(p) for p in result.problems]
    [line] = [line for line in lines if "SOURCE-TWICE" in line]
    assert line.startswith(str(second)) and str(source) in line, line
    assert ("same content" if how.startswith("a copy") else "same file") in line


# -- files that are not what they say: each a clear message with its place ------------------------

def _gzip(text: bytes) -> bytes:
    import gzip

    return gzip.compress(text)


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "real.xlsx", [["Force", "Count"], ["Kent", "1"]], sheet="Sheet1").read_bytes()


def _ods_bytes(tmp_path: Path) -> bytes:
    return write_ods(tmp_path / "real.ods", [["Force", "Count"], ["Kent", "1"]], sheet="Sheet1").read_bytes()


GOOD = b"Force,Count\nKent,1\nSurrey,2\n"
BAD_FILES = [
    # (name, the file's bytes (or a function of tmp_path), code, line, column, words of the message)
    ("CR-only line endings", GOOD.replace(b"\n", b"\r"), "SOURCE-LINE-ENDINGS", 1, 12, "carriage return"),
    ("semicolons", GOOD.replace(b",", b";"), "SOURCE-DELIMITER", 1, None, "semicolons"),
    ("tabs", GOOD.replace(b",", b"\t"), "SOURCE-DELIMITER", 1, None, "tabs"),
    ("gzip renamed .csv", _gzip(GOOD), "SOURCE-NOT-CSV", 1, None, "gzip"),
    ("xlsx renamed .csv", _xlsx_bytes, "SOURCE-NOT-CSV", 1, None, "xlsx"),
    ("ods renamed .csv", _ods_bytes, "SOURCE-NOT-CSV", 1, None, "ods"),
    ("old .xls renamed .csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "SOURCE-NOT-CSV", 1, None, ".xls"),
    ("PDF renamed .csv", b"%PDF-1.7\n...", "SOURCE-NOT-CSV", 1, None, "PDF"),
    ("UTF-16 with a byte order mark", "\ufeffForce,Count\nKent,1\n".encode("utf-16-le"), "SOURCE-NOT-CSV", 1, None, "UTF-16"),
    ("UTF-16 without a byte order mark", "Force,Count\nKent,1\n".encode("utf-16-le"), "SOURCE-CONTROL", 1, 1, "UTF-16"),
    ("Latin-1", "Force,Count\nK\xe9nt,1\n".encode("latin-1"), "SOURCE-ENCODING", 2, 2, "not UTF-8"),
    ("a NUL in a cell", b"Force,Count\nKe\x00nt,1\n", "SOURCE-CONTROL", 2, 1, "U+0000"),
    ("an escape in a cell", b"Force,Count\nKent,\x1b[31m1\n", "SOURCE-CONTROL", 2, 2, "U+001B"),
    ("a form feed in the header", b"Force,Co\x0cunt\nKent,1\n", "SOURCE-CONTROL", 1, 2, "U+000C"),
    ("a bell after a blank row", b"Force,Count\nKent,1\n,\nSurrey,\x072\n", "SOURCE-CONTROL", 4, 2, "U+0007"),
    ("a 100 MB single line", lambda tmp_path: b"Force,Count\n" + b"x" * (100 << 20), "SOURCE-LINE-LONG", 2, None, "longer than 1 MB"),
]


@pytest.mark.parametrize("name, content, code, line, column, words", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_is_not_a_csv_table_is_named_for_what_it_is(tmp_path, name, content, code, line, column, words):
    path = tmp_path / "street.csv"
    path.write_bytes(content(tmp_path) if callable(content) else content)
    problem = refusal(path, Layout(), ["Force", "Count"])
    assert (problem.code, problem.line) == (code, line), str(problem)
    if column is not None:
        assert problem.column == column, str(problem)
    assert words in problem.message and problem.file == str(path), problem.message


def test_the_bad_file_corpus_is_large_enough():
    assert len(BAD_FILES) >= 15


def test_a_tab_inside_a_cell_is_text_not_a_control_character(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'Force,Count\n"Kent\tPolice",1\n')
    assert rows_of(path, Layout(), ["Force", "Count"])[0].values["Force"] == "Kent\tPolice"
