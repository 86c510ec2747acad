"""Read source tables as rows, with the file and line of every row. Knows nothing of RDF.

CSV files, and sheets of OpenDocument (.ods, odfpy) and Excel (.xlsx, openpyxl) workbooks.
Problems that make a table unreadable (not there, empty, not UTF-8, a column missing, no
such sheet) raise SourceError naming file, line, column; a sheet is shown as `file [Sheet]`.

Government tables put a title and notes above the header, and notes below the table:
- the header is the row `header_row` names, or else the first of the first HEADER_SEARCH rows
  that has every required column (a wrong `header_row` is an error that says where it is);
- a row with every required column empty (a blank row, a row of commas, a "Source:" line in
  another column) is skipped; it never ends the table. Blank rows with data below them are
  counted in a warning with their rows;
- after a blank row, a row with text in the first required column only ("Notes", "1. ...")
  begins the notes below the table; a row below that with any other required column filled is
  an error, never data silently dropped.

Bulletin tables (`footnotes`, `ends_at` in the layout):
- `ends_at`: the table ends at the first row whose first required column begins with this text
  (the "Source: ..." line right under a bulletin table, with no blank row before it);
- `footnotes`: numbered notes ("3. Merseyside police have revised figures") are read from the
  rows of the sheet, and a marker stuck to a header or label is split off: the header
  `2017/183` is the column `2017/18` with note 3, the label `Total4` is `Total` with note 4 (a
  marker is split off only when every number in it is a note the table gives). Each Row carries
  the notes of its cells (`Row.notes`). The notes are below the table, so such a table is read
  whole before its first row is given.

CSV rows stream and .xlsx sheets are read row by row (openpyxl read-only); odfpy has no
streaming reader, so an .ods workbook is parsed whole (they are small).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .errors import Problem, SourceError


_NO_NOTES: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]
    columns: dict[str, int]  # header -> 1-based column number
    header_line: int = 1  # where the header is, for problems with a header
    # column -> the texts of the footnotes its header or this row's cell is marked with
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _NO_NOTES)

    def problem(self, code: str, column: str, message: str, severity: str = "error") -> Problem:
        return Problem(
            code, message, file=self.file, line=self.line,
            column=self.columns.get(column), column_name=column, severity=severity,
        )


MAX_LINE = 1 << 20  # a table row is a few hundred bytes; a megabyte is not a row

# What a file that is not CSV text starts with, and what to do about it.
_NOT_TEXT = [
    (b"\x1f\x8b", "a gzip-compressed file, not CSV text: decompress it first (gunzip), then give the .csv"),
    (b"PK\x03\x04", "a zip file (an .xlsx or .ods workbook saved under a .csv name?), not CSV text: give it its "
                    "real extension and set source.format (xlsx or ods) in the mapping, or save it as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook, not CSV text: save it as .xlsx or as CSV UTF-8"),
    (b"%PDF", "a PDF document, not CSV text: download the table itself (CSV or spreadsheet)"),
    (b"\xff\xfe", "text saved as UTF-16, not UTF-8: save it as CSV UTF-8"),
    (b"\xfe\xff", "text saved as UTF-16, not UTF-8: save it as CSV UTF-8"),
]


def _not_text(path: Path, shown: str) -> None:
    with path.open("rb") as handle:
        start = handle.read(8)
    for magic, what in _NOT_TEXT:
        if start.startswith(magic):
            raise SourceError(Problem("SOURCE-NOT-CSV", f"this is {what}", file=shown, line=1))


def _decoded_lines(path: Path, shown: str) -> Iterator[str]:
    """Lines of a UTF-8 file; a byte that is not UTF-8 stops with its line and column, and so do
    old Mac line endings (CR alone) and a line too long to be a row."""
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE + 1):
            number += 1
            if b"\r" in raw.rstrip(b"\r\n"):
                raise SourceError(Problem(
                    "SOURCE-LINE-ENDINGS",
                    "lines end with a carriage return (CR) alone, the old Mac format, so the file reads as "
                    "one line: save it with Windows (CRLF) or Unix (LF) line endings",
                    file=shown, line=number, column=raw.index(b"\r") + 1,
                ))
            if len(raw) > MAX_LINE:
                raise SourceError(Problem(
                    "SOURCE-LINE-LONG",
                    f"this line is longer than {MAX_LINE >> 20} MB, so it is not a row of a table: a file with "
                    "no line breaks, or a quote (\") opened and never closed",
                    file=shown, line=number,
                ))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
                raise SourceError(Problem(
                    "SOURCE-ENCODING",
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8. Save the file as UTF-8 "
                    "(in Excel: Save As > CSV UTF-8) and try again",
                    file=shown, line=number, column=column,
                )) from None
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]  # a byte order mark is not part of the first header
            yield text


# C0 control characters but tab, line feed and carriage return: no table means them, and they
# make XML outputs (RDF/XML, SPARQL XML) malformed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _no_control(cells: list[str], shown: str, number: int) -> None:
    for column, cell in enumerate(cells, start=1):
        bad = _CONTROL.search(cell)
        if bad:
            code = ord(bad.group())
            utf16 = " (the file may be UTF-16: save it as UTF-8)" if code == 0 else ""
            raise SourceError(Problem(
                "SOURCE-CONTROL",
                f"the cell holds the control character U+{code:04X} at character {bad.start() + 1}{utf16}; "
                "no table means one: remove it",
                file=shown, line=number, column=column,
            ))


HEADER_SEARCH = 30
FORMATS = ("csv", "ods", "xlsx")


@dataclass(frozen=True)
class Layout:
    """Where a table is in its file: the format, the sheet of a workbook, the header row."""

    format: str = "csv"
    sheet: str | None = None
    header_row: int | None = None  # 1-based; None: found by looking for the required columns
    # Headers for columns the sheet leaves blank (1-based column number -> header), such as
    # the column of force names under an empty top-left cell.
    name_columns: dict[int, str] = field(default_factory=dict)
    ends_at: str | None = None  # a row whose first required column begins with this ends the table
    footnotes: bool = False  # split footnote markers off headers and labels (see the module docstring)


def read_csv(path: Path, required: Sequence[str]) -> Iterator[Row]:
    """Rows of a CSV file whose header has every `required` column (extra columns are kept)."""
    return read_table(path, required, Layout())


OnProblem = Callable[[Problem], None]


def read_table(path: Path, required: Sequence[str], layout: Layout, on_problem: OnProblem | None = None) -> Iterator[Row]:
    """Rows of the table in `path` laid out as `layout` says, with every `required` column.
    Warnings (blank rows skipped) go to `on_problem` once the table has been read."""
    shown = str(path)
    if not path.is_file():
        raise SourceError(Problem("SOURCE-MISSING", "no such file; check the path", file=shown))
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS and suffix != layout.format:
        raise SourceError(Problem(
            "SOURCE-FORMAT", f"a .{suffix} file, but the mapping reads {layout.format}: give a .{layout.format} file",
            file=shown,
        ))
    if path.stat().st_size == 0:
        raise SourceError(Problem(
            "SOURCE-EMPTY", "the file is empty: expected a header row and data rows", file=shown, line=1,
        ))
    if layout.format == "csv":
        _not_text(path, shown)
        return _table(_csv_lines(path, shown), required, layout, shown, strict_width=True, on_problem=on_problem)
    if layout.format == "ods":
        shown = f"{path} [{layout.sheet}]"
        return _table(_ods_rows(path, layout.sheet, str(path)), required, layout, shown, strict_width=False, on_problem=on_problem)
    if layout.format == "xlsx":
        shown = f"{path} [{layout.sheet}]"
        return _table(_xlsx_rows(path, layout.sheet, str(path)), required, layout, shown, strict_width=False, on_problem=on_problem)
    raise SourceError(Problem("SOURCE-FORMAT", f"{layout.format!r} is not a format; use one of {FORMATS}", file=shown))


def _csv_lines(path: Path, shown: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(_decoded_lines(path, shown))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(Problem("SOURCE-CSV", f"not readable as CSV: {exc}", file=shown, line=reader.line_num)) from None
        yield reader.line_num, cells


def _no_sheet(file: str, sheet: str | None, sheets: list[str]) -> SourceError:
    return SourceError(Problem(
        "SOURCE-SHEET", f"no sheet named {sheet!r}; the workbook has {sheets}. Name one in the mapping's source.sheet",
        file=file,
    ))


def _ods_rows(path: Path, sheet: str | None, file: str) -> Iterator[tuple[int, list[str]]]:
    from odf.namespaces import OFFICENS, TABLENS, TEXTNS
    from odf.opendocument import load
    from odf.table import Table

    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises zipfile and XML errors of several kinds
        raise SourceError(Problem("SOURCE-ODS", f"not readable as an OpenDocument spreadsheet: {exc}", file=file)) from None
    tables = document.spreadsheet.getElementsByType(Table)
    names = [t.getAttribute("name") for t in tables]
    if sheet not in names:
        raise _no_sheet(file, sheet, names)
    table = tables[names.index(sheet)]

    def text(cell) -> str:
        # Numbers by their stored value, not as displayed: "1,224" may show an FTE of 1224.37.
        kind = cell.attributes.get((OFFICENS, "value-type"))
        if kind in ("float", "percentage", "currency"):
            return cell.attributes.get((OFFICENS, "value"), "")
        if kind == "date":  # 2019-03-31 (or with a time), whatever format the sheet shows
            stamp = cell.attributes.get((OFFICENS, "date-value"), "")
            return stamp.removesuffix("T00:00:00")  # a date, as the .xlsx reader gives it
        paragraphs = [_node_text(p) for p in cell.childNodes if p.qname == (TEXTNS, "p")]
        return " ".join(p for p in paragraphs if p)

    line = 0
    for row in _ods_table_rows(table, TABLENS):
        repeated = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
        cells: list[str] = []
        gap = 0  # empty cells not yet added: a row ends in thousands of repeated empty cells
        for cell in row.childNodes:
            if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                continue
            times = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
            # A merged range keeps its value in its first cell; the covered cells are empty.
            value = text(cell).strip() if cell.qname == (TABLENS, "table-cell") else ""
            if not value:
                gap += times
                continue
            cells.extend([""] * gap + [value] * min(times, 1000))
            gap = 0
        if not cells:
            line += repeated  # blank rows, often a million repeated to the sheet's end
            yield line - repeated + 1, []
            continue
        for _ in range(min(repeated, 1000)):
            line += 1
            yield line, cells


def _ods_table_rows(node, tablens: str):
    """The rows of a sheet, including those inside row groups and header-row blocks."""
    for child in node.childNodes:
        if child.qname == (tablens, "table-row"):
            yield child
        elif child.qname in ((tablens, "table-row-group"), (tablens, "table-header-rows"), (tablens, "table-rows")):
            yield from _ods_table_rows(child, tablens)


def _node_text(node) -> str:
    """The text of a paragraph, with its spaces (text:s) and tabs, as one line."""
    from odf.namespaces import TEXTNS

    if node.nodeType == node.TEXT_NODE:
        return str(node.data)
    if node.qname == (TEXTNS, "s"):
        return " " * int(node.attributes.get((TEXTNS, "c"), 1))
    if node.qname in ((TEXTNS, "tab"), (TEXTNS, "line-break")):
        return " "
    return "".join(_node_text(child) for child in node.childNodes)


def _xlsx_rows(path: Path, sheet: str | None, file: str) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML and its own errors
        raise SourceError(Problem("SOURCE-XLSX", f"not readable as an Excel workbook: {exc}", file=file)) from None
    try:
        if sheet not in workbook.sheetnames:
            raise _no_sheet(file, sheet, workbook.sheetnames)
        for number, values in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            yield number, cells
    finally:
        workbook.close()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()  # a date cell: Excel stores dates as midnight
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value).strip()


def _missing(required: Sequence[str], header: list[str]) -> list[str]:
    return [c for c in required if c not in header]


def _named(cells: list[str], layout: Layout) -> list[str]:
    header = [c.strip() for c in cells]
    for number, name in layout.name_columns.items():
        if number > len(header):
            header.extend([""] * (number - len(header)))
        if not header[number - 1]:
            header[number - 1] = name
    return header


def _table(
    lines: Iterable[tuple[int, list[str]]], required: Sequence[str], layout: Layout, shown: str, *, strict_width: bool,
    on_problem: OnProblem | None,
) -> Iterator[Row]:
    lines = iter(lines)
    footnotes: dict[str, str] = {}
    if layout.footnotes:
        held = list(lines)  # the notes are below the table: read it whole first
        footnotes = _numbered_notes(held)
        lines = iter(held)
    header, header_line, header_notes = _find_header(lines, required, layout, shown, footnotes)
    _no_control(header, shown, header_line)
    columns = {name: i + 1 for i, name in enumerate(header) if name}
    twice = [c for c in required if header.count(c) > 1]
    if twice:
        raise SourceError(Problem(
            "SOURCE-COLUMNS", f"column(s) {twice} appear more than once in the header; rename one so each "
            "column the mapping reads is one column", file=shown, line=header_line,
        ))
    indexes = [columns[c] - 1 for c in required]
    first = min(indexes)  # where a note below the table is written
    seen_rows = 0
    blank: list[int] = []  # blank rows not yet known to be inside the table or below it
    inside: list[int] = []  # blank rows with data below them: skipped, and said so
    notes_at: int | None = None
    for number, cells in lines:
        filled = [i for i in indexes if i < len(cells) and cells[i].strip()]
        if layout.ends_at and notes_at is None and first < len(cells) and cells[first].strip().startswith(layout.ends_at):
            notes_at = number  # "Source: ..." right under the table
            continue
        if notes_at is not None:
            if any(i != first for i in filled):
                raise SourceError(Problem(
                    "SOURCE-AFTER-END",
                    f"this row has data, but the notes below the table begin at row {notes_at} (a row "
                    "after a blank row with text in its first column only). Remove the note from "
                    "within the table, or move the data above it",
                    file=shown, line=number,
                ))
            continue
        if not filled:
            blank.append(number)  # a blank row, a row of commas, or a "Source:" line in another column
            continue
        if blank and filled == [first] and len(indexes) > 1:
            notes_at = number  # "Notes", "1. Figures are provisional": below the table
            continue
        inside += blank
        blank = []
        _no_control(cells, shown, number)
        if strict_width and len(cells) != len(header):
            raise SourceError(Problem(
                "SOURCE-RAGGED",
                f"{len(cells)} cells where the header has {len(header)} columns; "
                "check for an unquoted comma or a missing cell",
                file=shown, line=number,
            ))
        seen_rows += 1
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        notes = header_notes
        if footnotes:
            notes = dict(header_notes)
            for column in required:
                text, marked = _split_marker(values[column], footnotes, lambda rest: rest[-1].isalpha())
                if marked:
                    values[column] = text
                    notes[column] = notes.get(column, ()) + marked
        yield Row(shown, number, values, columns, header_line, notes)
    if seen_rows == 0:
        raise SourceError(Problem("SOURCE-EMPTY", "the table has a header but no data rows", file=shown, line=header_line + 1))
    if inside and on_problem is not None:
        listed = ", ".join(str(n) for n in inside[:10]) + (", ..." if len(inside) > 10 else "")
        on_problem(Problem(
            "SOURCE-BLANK-ROWS",
            f"{len(inside)} blank row(s) inside the table were skipped (rows {listed}); the rows after "
            "them were read",
            file=shown, line=inside[0], severity="warning",
        ))


_NOTE = re.compile(r"^(\d+)\.\s*(\S.*)$")
_MARKS = re.compile(r"^\d+(,\d+)*$")


def _numbered_notes(rows: list[tuple[int, list[str]]]) -> dict[str, str]:
    """The numbered notes of a sheet ("3. Merseyside police have revised ..."): number -> text.
    A note is a row with one filled cell that begins with its number and a full stop."""
    notes: dict[str, str] = {}
    for _, cells in rows:
        filled = [c.strip() for c in cells if c.strip()]
        match = _NOTE.match(filled[0]) if len(filled) == 1 else None
        if match:
            notes.setdefault(match.group(1), match.group(2))
    return notes


def _split_marker(text: str, notes: Mapping[str, str], fits: Callable[[str], bool]) -> tuple[str, tuple[str, ...]]:
    """`text` without the footnote marker stuck to its end, and the texts of the notes it marks:
    `2017/183` -> `2017/18` and note 3 when `fits("2017/18")`. Unchanged (and no notes) unless
    every number of the marker is a note and the rest fits: `2017/18` alone stays as it is."""
    for cut in range(len(text) - 1, 0, -1):  # the shortest marker first: 2017/18|3, not 2017/1|83
        rest, marks = text[:cut], text[cut:]
        if marks[0] not in "0123456789,":
            break
        if not _MARKS.match(marks):
            continue  # ",2" of "strand1,2"
        numbers = marks.split(",")
        if all(n in notes for n in numbers) and fits(rest):
            return rest, tuple(notes[n] for n in numbers)
    return text, ()


def _unmarked_header(header: list[str], required: Sequence[str], notes: Mapping[str, str]) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """The header with footnote markers split off the names the table needs, and their notes."""
    if not notes:
        return header, {}
    named, marked = [], {}
    for name in header:
        if name and name not in required:
            rest, texts = _split_marker(name, notes, lambda rest: rest in required)
            if texts:
                name = rest
                marked[name] = texts
        named.append(name)
    return named, marked


def _find_header(
    lines: Iterator[tuple[int, list[str]]], required: Sequence[str], layout: Layout, shown: str,
    notes: Mapping[str, str] | None = None,
) -> tuple[list[str], int, Mapping[str, tuple[str, ...]]]:
    """The header, its line and the notes its names are marked with; reading stops at the header,
    so the rows after it still stream."""
    looked: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        header, marked = _unmarked_header(_named(cells, layout), required, notes or {})
        if layout.header_row is not None:
            if number < layout.header_row:
                looked.append((number, header))
                continue
            if number == layout.header_row and not _missing(required, header):
                return header, number, MappingProxyType(marked)
        elif not _missing(required, header):
            return header, number, MappingProxyType(marked)
        looked.append((number, header))
        if len(looked) >= HEADER_SEARCH and number >= (layout.header_row or 0):
            break
    if not looked:
        raise SourceError(Problem("SOURCE-EMPTY", "the file has no header row", file=shown, line=1))
    if layout.header_row is not None:
        found = next((n for n, h in looked if not _missing(required, h)), None)
        where = f" The header is at row {found}: set source.header_row to {found}, or leave it out" if found else ""
        given = next((h for n, h in looked if n == layout.header_row), None)
        if given is None:
            raise SourceError(Problem(
                "SOURCE-HEADER", f"the mapping says the header is row {layout.header_row}, but the table "
                f"has only {looked[-1][0]} rows.{where}", file=shown, line=layout.header_row,
            ))
        raise SourceError(_columns_problem(required, given, shown, layout.header_row, where))
    for number, header in looked:
        _no_control(header, shown, number)  # a header not found for a control character in it
        for delimiter, name in ((";", "semicolons (;)"), ("\t", "tabs")):
            cells = [c.strip() for c in delimiter.join(header).split(delimiter)]
            if delimiter in "".join(header) and not _missing(required, cells):
                raise SourceError(Problem(
                    "SOURCE-DELIMITER",
                    f"the columns are separated by {name}, not commas: save the file as CSV with commas "
                    "(in Excel: Save As > CSV UTF-8 (Comma delimited))",
                    file=shown, line=number,
                ))
    # No row has every column: name what is missing from the row most like a header.
    number, header = max(looked, key=lambda item: (len(required) - len(_missing(required, item[1])), -item[0]))
    raise SourceError(_columns_problem(required, header, shown, number, ""))


def _columns_problem(required: Sequence[str], header: list[str], shown: str, line: int, where: str) -> Problem:
    hints = []
    unused = [h for h in header if h and h not in required]
    for name in _missing(required, header):
        # A close spelling, or a header the name was shortened to or lengthened from.
        close = difflib.get_close_matches(name, unused, n=1, cutoff=0.6) or [
            h for h in unused if h.lower() in name.lower() or name.lower() in h.lower()][:1]
        hints.append(f"{name!r}" + (f" (found {close[0]!r}: renamed?)" if close else ""))
    shown_header = list(header)
    while shown_header and not shown_header[-1]:
        shown_header.pop()
    return Problem(
        "SOURCE-COLUMNS",
        f"missing column(s) {', '.join(hints)}. The header has {shown_header}; "
        f"this layout needs {list(required)}.{where}",
        file=shown, line=line,
    )
