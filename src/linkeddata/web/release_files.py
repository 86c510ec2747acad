"""SQLite files derived from a release (the search index, the police.uk index), shared by workers.

A file is named by what it holds (a name and a format number), the base URI and the release
(`Store.version()`), so it is never stale: a new release gets a new file. It is built from the
store on first use, written beside its final name and renamed into place, so a half-written
file is never opened; it lives in the system's temporary folder, as losing it costs one build.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Callable

from ..store import Store

Builder = Callable[[sqlite3.Connection, Store, str], None]


class ReleaseFile:
    """One kind of file: `connection(store, base)` opens the served release's, built if missing."""

    def __init__(self, name: str, version: int, fill: Builder):
        self.name = name
        self.version = version
        self.fill = fill
        self._lock = threading.Lock()
        self._open: dict[str, sqlite3.Connection] = {}  # file -> connection (read-only, shared)

    def folder(self) -> Path:
        return Path(tempfile.gettempdir()) / f"linkeddata-{self.name}"

    def path(self, store: Store, base: str) -> Path:
        key = hashlib.sha256(f"{self.version}\n{base}\n{store.version()}".encode()).hexdigest()[:24]
        return self.folder() / f"{self.name}-{key}.sqlite"

    def connection(self, store: Store, base: str) -> sqlite3.Connection:
        path = self.path(store, base)
        with self._lock:
            held = self._open.get(str(path))
            if held is not None:
                return held
            if not path.exists():
                self.build(store, base, path)
            # One connection per file shared by the threads: reads only, so check_same_thread off.
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            for stale in [k for k in self._open if k != str(path)]:
                self._open.pop(stale).close()
            self._open[str(path)] = conn
            return conn

    def build(self, store: Store, base: str, path: Path) -> None:
        """Write the release's file to `path`, atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.unlink(missing_ok=True)
        conn = sqlite3.connect(partial)
        try:
            self.fill(conn, store, base)
            conn.commit()
        finally:
            conn.close()
        os.replace(partial, path)


def table(store: Store, sparql: str) -> list[list[str]]:
    """A SELECT's rows as plain strings (IRIs bare, literals' lexical forms), read straight from
    the store's TSV when it gives one: a hundred thousand rdflib terms cost seconds."""
    result = store.query(sparql)
    if result.native is not None:
        lines = result.native.body.decode("utf-8").split("\n")[1:]
        return [[_plain(cell) for cell in line.split("\t")] for line in lines if line]
    return [[str(row.get(v, "")) for v in result.variables] for row in result.rows]


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _plain(cell: str) -> str:
    """A TSV cell's term as text: `<iri>` -> iri, `"x"@en` -> x and its language after a NUL,
    a bare number as it is.

    >>> _plain('<http://x/a>'), _plain('"City of London"@en'), _plain('"a \\"b\\""'), _plain('1')
    ('http://x/a', 'City of London\\x00en', 'a "b"', '1')
    """
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    if cell.startswith('"'):
        end = cell.rfind('"')
        body = cell[1:end]
        if "\\" in body:
            body = _ESCAPE.sub(lambda m: chr(int(m[1][1:], 16)) if m[1][0] in "uU" and len(m[1]) > 1
                               else _UNESCAPE.get(m[1], m[1]), body)
        tail = cell[end + 1:]
        return body + ("\x00" + tail[1:] if tail.startswith("@") else "")
    return cell
