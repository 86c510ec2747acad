"""The questions the API asks of a release's index: crimes near a point, in a polygon, at a
location, with no location; their outcomes. Each reads only an R*Tree box or a B-tree index."""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from ..problems import WebError
from .geometry import MILE_M, Polygon, distance_m, mile_box
from .index import month_number
from .shapes import CRIME_COLUMNS

RESULT_CAP = 10_000  # police.uk answers 503 past this many
_CHUNK = 500  # ids per IN (...) list
Row = tuple[Any, ...]


def too_many(count: int) -> WebError:
    return WebError(503, "too_many_results", f"the area holds {count:,} results, more than the {RESULT_CAP:,} "
                    "one request may return: ask for a smaller area or one category")


def _places(conn: sqlite3.Connection, month: str, box: tuple[float, float, float, float],
            until: bool, table: str = "place") -> list[tuple[int, float, float]]:
    """(location id, lat, lng) of the points in the box with crimes that month (`until`: that
    month or any before); `table`: "stop_place" for the points with searches."""
    south, north, west, east = box
    number = month_number(month)
    return conn.execute(
        f"""SELECT p.location_id, p.lat, p.lng FROM {table}_at a JOIN {table} p ON p.n = a.n
           WHERE a.month_lo >= ? AND a.month_hi <= ? AND a.lat_lo >= ? AND a.lat_hi <= ?
             AND a.lng_lo >= ? AND a.lng_hi <= ?""",
        (0 if until else number, number, south, north, west, east),
    ).fetchall()


def rows_at(conn: sqlite3.Connection, select: str, month: str, places: Iterable[int],
            also: str = "", extra: tuple[Any, ...] = ()) -> list[Row]:
    """The rows of `select` (crimes or searches) at these locations that month, at most RESULT_CAP."""
    ids = sorted(set(places))
    found: list[Row] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        found += conn.execute(
            f"""{select} WHERE location_id IN ({', '.join('?' * len(chunk))}) AND month = ?{also} ORDER BY n""",
            (*chunk, month, *extra)).fetchall()
        if len(found) > RESULT_CAP:
            raise too_many(len(found))
    return found


def _crimes_at(conn: sqlite3.Connection, month: str, places: Iterable[int], category: str | None) -> list[Row]:
    """The crimes at these locations that month."""
    return rows_at(conn, f"SELECT {CRIME_COLUMNS} FROM crime", month, places,
                   " AND category = ?" if category else "", (category,) if category else ())


def places_near(conn: sqlite3.Connection, month: str, lat: float, lng: float, until: bool = False,
                table: str = "place") -> list[int]:
    """The locations within a mile of a point with crimes that month (`until`: or before)."""
    return [p for p, a, b in _places(conn, month, mile_box(lat, lng), until, table) if distance_m(lat, lng, a, b) <= MILE_M]


def places_inside(conn: sqlite3.Connection, month: str, polygon: Polygon, until: bool = False,
                  table: str = "place") -> list[int]:
    """The locations inside a polygon with crimes that month (`until`: or before)."""
    return [p for p, a, b in _places(conn, month, polygon.box(), until, table) if polygon.contains(a, b)]


def near(conn: sqlite3.Connection, month: str, lat: float, lng: float, category: str | None) -> list[Row]:
    """Crimes of a month within one mile of a point (police.uk's "near")."""
    return _crimes_at(conn, month, places_near(conn, month, lat, lng), category)


def inside(conn: sqlite3.Connection, month: str, polygon: Polygon, category: str | None) -> list[Row]:
    """Crimes of a month inside a polygon."""
    return _crimes_at(conn, month, places_inside(conn, month, polygon), category)


def at_location(conn: sqlite3.Connection, month: str, location: int) -> list[Row]:
    return _crimes_at(conn, month, [location], None)


def nearest_location(conn: sqlite3.Connection, month: str, lat: float, lng: float) -> int | None:
    """The location nearest a point, among those with crimes that month, within a mile."""
    scored = [(distance_m(lat, lng, a, b), place) for place, a, b in _places(conn, month, mile_box(lat, lng), False)]
    best = min((s for s in scored if s[0] <= MILE_M), default=None)
    return best[1] if best else None


def unplaced(conn: sqlite3.Connection, month: str, force: str, category: str | None) -> list[Row]:
    also = "AND category = ?" if category else ""
    return conn.execute(
        f"SELECT {CRIME_COLUMNS} FROM crime WHERE location_id IS NULL AND month = ? AND force = ? {also} ORDER BY n",
        (month, force, *([category] if category else [])),
    ).fetchall()


def by_id(conn: sqlite3.Connection, persistent_id: str) -> Row | None:
    row: Row | None = conn.execute(f"SELECT {CRIME_COLUMNS} FROM crime WHERE persistent_id = ?", (persistent_id,)).fetchone()
    return row


def outcomes_of(conn: sqlite3.Connection, persistent_id: str) -> list[Row]:
    return conn.execute("SELECT uri, month, code, name FROM outcome WHERE persistent_id = ? ORDER BY month, code",
                        (persistent_id,)).fetchall()


def outcomes_at(conn: sqlite3.Connection, month: str, places: Iterable[int]) -> list[tuple[Row, Row]]:
    """The outcomes recorded in a month of crimes at these locations (crimes of that month or
    before), each as (outcome, its crime)."""
    ids = sorted(set(places))
    crime_columns = ", ".join("c." + c.strip() for c in CRIME_COLUMNS.split(","))
    found = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in conn.execute(
            f"""SELECT o.uri, o.month, o.code, o.name, {crime_columns} FROM outcome o
                JOIN crime c ON c.persistent_id = o.persistent_id
                WHERE o.location_id IN ({', '.join('?' * len(chunk))}) AND o.month = ?""", (*chunk, month)):
            found.append((row[:4], row[4:]))
        if len(found) > RESULT_CAP:
            raise too_many(len(found))
    found.sort(key=lambda pair: (pair[1][1], pair[0][2]))
    return found
