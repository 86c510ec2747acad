"""The cells of an .ods sheet as its content.xml stores them, read with the standard library only:
the figures a test expects come from the workbook itself, not from the reader under test."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """(row, column) -> the cell's stored value (numbers) or text, 1-based; empty cells left out."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    table = next(t for t in root.iter(f"{{{TABLE}}}table") if t.get(f"{{{TABLE}}}name") == sheet)
    found: dict[tuple[int, int], str] = {}
    row_number = 0
    for row in table.iter(f"{{{TABLE}}}table-row"):
        first = row_number + 1
        row_number += int(row.get(f"{{{TABLE}}}number-rows-repeated", "1"))
        column = 0
        for cell in row:
            start = column + 1
            column += int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
            value = cell.get(f"{{{OFFICE}}}value") or "".join("".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p"))
            if value:  # a value repeated over rows or columns is in each of them
                for r in range(first, row_number + 1):
                    for c in range(start, column + 1):
                        found[(r, c)] = value
    return found
