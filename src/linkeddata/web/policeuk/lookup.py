"""The questions the API asks of a release's index: crimes near a point, in a polygon, at a
location, with no location; their outcomes. Each reads only an R*Tree box or a B-tree index."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterable

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
            until: bool) -> list[tuple[int, float, float]]:
    """(location id, lat, lng) of the points in the box with crimes that month (`until`: that
    month or any before)."""
    south, north, west, east = box
    number = month_number(month)
    return conn.execute(
        """SELECT p.location_id, p.lat, p.lng FROM place_at a JOIN place p ON p.n = a.n
           WHERE a.month_lo >= ? AND a.month_hi <= ? AND a.lat_lo >= ? AND a.lat_hi <= ?
             AND a.lng_lo >= ? AND a.lng_hi <= ?""",
        (0 if until else number, number, south, north, west, east),
    ).fetchall()


def _crimes_at(conn: sqlite3.Connection, month: str, places: Iterable[int], category: str | None,
               until: bool) -> list[Row]:
    """The crimes at these locations that month (`until`: that month or any before)."""
    ids = sorted(set(places))
    also = " AND category = ?" if category else ""
    found: list[Row] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        found += conn.execute(
            f"""SELECT {CRIME_COLUMNS} FROM crime WHERE location_id IN ({', '.join('?' * len(chunk))})
                AND month {'<=' if until else '='} ?{also} ORDER BY n""",
            (*chunk, month, *([category] if category else []))).fetchall()
        if not until and len(found) > RESULT_CAP:
            raise too_many(len(found))
    return found


def _where(conn: sqlite3.Connection, month: str, box: tuple[float, float, float, float],
           keep: Callable[[float, float], bool], category: str | None, until: bool) -> list[Row]:
    places = [place for place, lat, lng in _places(conn, month, box, until) if keep(lat, lng)]
    return _crimes_at(conn, month, places, category, until)


def near(conn: sqlite3.Connection, month: str, lat: float, lng: float, category: str | None,
         until: bool = False) -> list[Row]:
    """Crimes of a month within one mile of a point (police.uk's "near")."""
    return _where(conn, month, mile_box(lat, lng), lambda a, b: distance_m(lat, lng, a, b) <= MILE_M, category, until)


def inside(conn: sqlite3.Connection, month: str, polygon: Polygon, category: str | None,
           until: bool = False) -> list[Row]:
    """Crimes of a month inside a polygon."""
    return _where(conn, month, polygon.box(), polygon.contains, category, until)


def at_location(conn: sqlite3.Connection, month: str, location: int, until: bool = False) -> list[Row]:
    return _crimes_at(conn, month, [location], None, until)


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


def outcomes_for(conn: sqlite3.Connection, month: str, crimes: list[Row]) -> list[tuple[Row, Row]]:
    """The outcomes recorded in a month of these crimes (of that month or earlier), each with its crime."""
    by_crime = {r[1]: r for r in crimes}
    ids = sorted(by_crime)
    found = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for uri, month_, code, name, persistent_id in conn.execute(
            f"""SELECT uri, month, code, name, persistent_id FROM outcome
                WHERE persistent_id IN ({', '.join('?' * len(chunk))}) AND month = ?""", (*chunk, month)):
            found.append(((uri, month_, code, name), by_crime[persistent_id]))
        if len(found) > RESULT_CAP:
            raise too_many(len(found))
    found.sort(key=lambda pair: (pair[1][1], pair[0][2]))
    return found
