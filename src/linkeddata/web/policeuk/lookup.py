"""The questions the API asks of a release's index: crimes near a point, in a polygon, at a
location, with no location; their outcomes. Each reads only the R*Tree box or an index."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..problems import WebError
from .geometry import MILE_M, Polygon, distance_m, mile_box
from .index import month_number
from .shapes import CRIME_COLUMNS

RESULT_CAP = 10_000  # police.uk answers 503 past this many
Row = tuple[Any, ...]


def too_many(count: int) -> WebError:
    return WebError(503, "too_many_results", f"the area holds {count:,} results, more than the {RESULT_CAP:,} "
                    "one request may return: ask for a smaller area or one category")


def _in_box(conn: sqlite3.Connection, month: str, box: tuple[float, float, float, float],
            category: str | None, until: bool = False) -> list[Row]:
    """Crimes of the month (`until`: of it and every month before) with a point in the box."""
    south, north, west, east = box
    number = month_number(month)
    also = "AND c.category = ?" if category else ""
    rows = conn.execute(
        f"""SELECT {', '.join('c.' + c.strip() for c in CRIME_COLUMNS.split(','))} FROM crime_at a
            JOIN crime c ON c.n = a.n
            WHERE a.month_lo >= ? AND a.month_hi <= ? AND a.lat_lo >= ? AND a.lat_hi <= ?
              AND a.lng_lo >= ? AND a.lng_hi <= ? {also} ORDER BY c.n""",
        (0 if until else number, number, south, north, west, east, *([category] if category else [])),
    ).fetchall()
    return rows


def near(conn: sqlite3.Connection, month: str, lat: float, lng: float, category: str | None,
         until: bool = False) -> list[Row]:
    """Crimes of a month within one mile of a point (police.uk's "near")."""
    rows = [r for r in _in_box(conn, month, mile_box(lat, lng), category, until) if distance_m(lat, lng, r[7], r[8]) <= MILE_M]
    if not until and len(rows) > RESULT_CAP:
        raise too_many(len(rows))
    return rows


def inside(conn: sqlite3.Connection, month: str, polygon: Polygon, category: str | None,
           until: bool = False) -> list[Row]:
    """Crimes of a month inside a polygon; each distinct point is tested once."""
    rows = _in_box(conn, month, polygon.box(), category, until)
    verdict: dict[tuple[float, float], bool] = {}
    kept = []
    for r in rows:
        where = (r[7], r[8])
        if where not in verdict:
            verdict[where] = polygon.contains(*where)
        if verdict[where]:
            kept.append(r)
    if not until and len(kept) > RESULT_CAP:
        raise too_many(len(kept))
    return kept


def at_location(conn: sqlite3.Connection, month: str, location: int, until: bool = False) -> list[Row]:
    return conn.execute(f"SELECT {CRIME_COLUMNS} FROM crime WHERE location_id = ? AND month {'<=' if until else '='} ? "
                        "ORDER BY n", (location, month)).fetchall()


def nearest_location(conn: sqlite3.Connection, month: str, lat: float, lng: float) -> int | None:
    """The location nearest a point, among those with crimes that month, within a mile."""
    best: tuple[float, int] | None = None
    for r in _in_box(conn, month, mile_box(lat, lng), None):
        d = distance_m(lat, lng, r[7], r[8])
        if d <= MILE_M and (best is None or d < best[0]):
            best = (d, r[9])
    return best[1] if best else None


def unplaced(conn: sqlite3.Connection, month: str, force: str, category: str | None) -> list[Row]:
    also = "AND category = ?" if category else ""
    return conn.execute(
        f"SELECT {CRIME_COLUMNS} FROM crime WHERE lat IS NULL AND month = ? AND force = ? {also} ORDER BY n",
        (month, force, *([category] if category else [])),
    ).fetchall()


def by_id(conn: sqlite3.Connection, persistent_id: str) -> Row | None:
    row: Row | None = conn.execute(f"SELECT {CRIME_COLUMNS} FROM crime WHERE persistent_id = ?", (persistent_id,)).fetchone()
    return row


def outcomes_of(conn: sqlite3.Connection, persistent_id: str) -> list[Row]:
    return conn.execute("SELECT uri, month, code, name FROM outcome WHERE persistent_id = ? ORDER BY month, code",
                        (persistent_id,)).fetchall()


def outcomes_for(conn: sqlite3.Connection, month: str, crimes: list[Row]) -> list[tuple[Row, Row]]:
    """The outcomes recorded in a month of these crimes (of that month or earlier), each with its crime."""
    by_crime = {r[1]: r for r in crimes}
    ids = sorted(by_crime)
    found = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for uri, month_, code, name, persistent_id in conn.execute(
            f"""SELECT uri, month, code, name, persistent_id FROM outcome
                WHERE persistent_id IN ({', '.join('?' * len(chunk))}) AND month = ?""", (*chunk, month)):
            found.append(((uri, month_, code, name), by_crime[persistent_id]))
        if len(found) > RESULT_CAP:
            raise too_many(len(found))
    found.sort(key=lambda pair: (pair[1][1], pair[0][2]))
    return found
