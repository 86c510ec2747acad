"""Read source tables as rows, with the file and line of every row. Knows nothing of RDF.

Rows stream: a large file is never held in memory. Problems that make a file unreadable
(not there, empty, not UTF-8, a column missing) raise SourceError naming file, line, column.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .errors import Problem, SourceError


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]
    columns: dict[str, int]  # header -> 1-based column number
    header_line: int = 1  # where the header is, for problems with a header

    def problem(self, code: str, column: str, message: str, severity: str = "error") -> Problem:
        return Problem(
            code, message, file=self.file, line=self.line,
            column=self.columns.get(column), column_name=column, severity=severity,
        )


def _decoded_lines(path: Path, shown: str) -> Iterator[str]:
    """Lines of a UTF-8 file; a byte that is not UTF-8 stops with its line and column."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
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


def read_csv(path: Path, required: Sequence[str]) -> Iterator[Row]:
    """Rows of a CSV file whose header has every `required` column (extra columns are kept)."""
    shown = str(path)
    if not path.is_file():
        raise SourceError(Problem("SOURCE-MISSING", "no such file; check the path", file=shown))
    if path.stat().st_size == 0:
        raise SourceError(Problem(
            "SOURCE-EMPTY", "the file is empty: expected a header row and data rows", file=shown, line=1,
        ))
    reader = csv.reader(_decoded_lines(path, shown))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SourceError(Problem("SOURCE-EMPTY", "the file has no header row", file=shown, line=1)) from None
    except csv.Error as exc:
        raise SourceError(Problem("SOURCE-CSV", f"not readable as CSV: {exc}", file=shown, line=1)) from None
    columns = {name: i + 1 for i, name in enumerate(header)}
    missing = [c for c in required if c not in columns]
    if missing:
        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, header, n=1, cutoff=0.6)
            hints.append(f"{name!r}" + (f" (found {close[0]!r}: renamed?)" if close else ""))
        raise SourceError(Problem(
            "SOURCE-COLUMNS",
            f"missing column(s) {', '.join(hints)}. The header has {header}; "
            f"this layout needs {list(required)}",
            file=shown, line=1,
        ))
    seen_rows = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SourceError(Problem("SOURCE-CSV", f"not readable as CSV: {exc}", file=shown, line=reader.line_num)) from None
        if not cells or all(not c.strip() for c in cells):
            continue  # blank line, as spreadsheets leave at the end
        if len(cells) != len(header):
            raise SourceError(Problem(
                "SOURCE-RAGGED",
                f"{len(cells)} cells where the header has {len(header)} columns; "
                "check for an unquoted comma or a missing cell",
                file=shown, line=reader.line_num,
            ))
        seen_rows += 1
        yield Row(shown, reader.line_num, {h: c.strip() for h, c in zip(header, cells)}, columns)
    if seen_rows == 0:
        raise SourceError(Problem("SOURCE-EMPTY", "the file has a header but no data rows", file=shown, line=2))
