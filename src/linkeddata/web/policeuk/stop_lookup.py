"""The questions the stops methods ask of a release's index: searches near a point, in a polygon,
at a location, of a force. Each reads only an R*Tree box or a B-tree index."""

from __future__ import annotations

import sqlite3
from typing import Any

from .geometry import Polygon
from .lookup import Row, places_inside, places_near, rows_at
from .shapes import STOP_COLUMNS

_SELECT = f"SELECT {STOP_COLUMNS} FROM stop"


def months(conn: sqlite3.Connection) -> list[str]:
    """The months with stop and search, newest first."""
    return [m for (m,) in conn.execute("SELECT DISTINCT month FROM stop ORDER BY month DESC")]


def forces_by_month(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The forces with searches each month (police.uk's `stop-and-search` list of a date)."""
    found: dict[str, list[str]] = {}
    for month, force in conn.execute("SELECT DISTINCT month, force FROM stop ORDER BY month, force"):
        found.setdefault(month, []).append(force)
    return found


def near(conn: sqlite3.Connection, month: str, lat: float, lng: float) -> list[Row]:
    """Searches of a month within one mile of a point."""
    return rows_at(conn, _SELECT, month, places_near(conn, month, lat, lng, table="stop_place"))


def inside(conn: sqlite3.Connection, month: str, polygon: Polygon) -> list[Row]:
    return rows_at(conn, _SELECT, month, places_inside(conn, month, polygon, table="stop_place"))


def at_location(conn: sqlite3.Connection, month: str, location: int) -> list[Row]:
    return rows_at(conn, _SELECT, month, [location])


def of_force(conn: sqlite3.Connection, month: str, force: str, unplaced_only: bool) -> list[Row]:
    """A force's searches of a month: all of them, or only those with no location."""
    also = " AND location_id IS NULL" if unplaced_only else ""
    return conn.execute(f"{_SELECT} WHERE month = ? AND force = ?{also} ORDER BY n", (month, force)).fetchall()


def example(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """A month, force, point and unmapped search to show on the API page (None: none published)."""
    found = conn.execute("SELECT month, force FROM stop ORDER BY month DESC, n LIMIT 1").fetchone()
    if found is None:
        return None
    month, force = found
    place = conn.execute("SELECT lat, lng, location_id FROM stop_place WHERE month = ? ORDER BY n LIMIT 1", (month,)).fetchone()
    unplaced = conn.execute("SELECT force FROM stop WHERE month = ? AND location_id IS NULL LIMIT 1", (month,)).fetchone()
    return {"month": month, "force": force, "place": place, "unplaced": unplaced[0] if unplaced else None}
