"""The police.uk stop and search methods, at police.uk's paths under /api/.

    GET  /api/stops-street?lat=&lng=&date=  or ?poly=&date=   (POST: the same, as a form)
    GET  /api/stops-at-location?location_id=&date=
    GET  /api/stops-no-location?force=&date=
    GET  /api/stops-force?force=&date=

`date` defaults to the latest month with stop and search published; a month with none is 404.
The months and their forces are in /api/crimes-street-dates (its `stop-and-search` lists).
"""

from __future__ import annotations

import sqlite3

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from . import params, stop_lookup
from .geometry import Polygon
from .routes import Query, _conn, _force, _json, _params
from .shapes import stop

router = APIRouter(prefix="/api")


def _month(conn: sqlite3.Connection, q: Query) -> str:
    return params.month(q.get("date"), stop_lookup.months(conn), "stop and search")


@router.api_route("/stops-street", methods=["GET", "HEAD", "POST"])
def stops_street(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    month = _month(conn, q)
    where = params.area(q)
    rows = stop_lookup.inside(conn, month, where) if isinstance(where, Polygon) else stop_lookup.near(conn, month, *where)
    return _json(request, [stop(r) for r in rows])


@router.api_route("/stops-at-location", methods=["GET", "HEAD", "POST"])
def stops_at_location(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    place = params.whole_number("location_id", q.get("location_id"))
    return _json(request, [stop(r) for r in stop_lookup.at_location(conn, _month(conn, q), place)])


@router.api_route("/stops-no-location", methods=["GET", "HEAD", "POST"])
def stops_no_location(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    force_id = _force(conn, q.get("force"))
    return _json(request, [stop(r) for r in stop_lookup.of_force(conn, _month(conn, q), force_id, unplaced_only=True)])


@router.api_route("/stops-force", methods=["GET", "HEAD", "POST"])
def stops_force(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    force_id = _force(conn, q.get("force"))
    return _json(request, [stop(r) for r in stop_lookup.of_force(conn, _month(conn, q), force_id, unplaced_only=False)])
