"""The police.uk API methods the published data supports, at police.uk's paths under /api/.

    GET  /api/crime-categories?date=            GET /api/crime-last-updated
    GET  /api/crimes-street-dates               GET /api/forces, /api/forces/{id}
    GET  /api/crimes-street/{category}?lat=&lng=&date=  or ?poly=&date=   (POST: the same, as a form)
    GET  /api/crimes-at-location?date=&lat=&lng=  or ?location_id=
    GET  /api/crimes-no-location?category=&force=&date=
    GET  /api/outcomes-at-location?date=&lat=&lng=  or ?poly=  or ?location_id=
    GET  /api/outcomes-for-crime/{persistent_id}
    GET  /api/stops-street, stops-at-location, stops-no-location, stops-force   (stop_routes.py)

Errors use the platform's one JSON error shape; police.uk's statuses: 400 for a bad parameter
(and a GET longer than 4,094 characters), 404 for an unknown category, force, crime or month,
503 past 10,000 results.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import context
from ..caching import etag, not_modified
from ..guard import read_body
from ..pages import render
from ..problems import WebError
from . import lookup, params, stop_lookup
from .geometry import Polygon
from .index import connection
from .shapes import crime, outcome

router = APIRouter(prefix="/api")
ALL = "all-crime"
Query = Mapping[str, str]


def _conn(request: Request) -> sqlite3.Connection:
    return connection(context.store(request), context.minter(request).base)


async def _params(request: Request) -> Mapping[str, str]:
    """The query string (a GET longer than police.uk allows is refused), and a POST's form.

    Read here, asynchronously, so the methods themselves run in the thread pool: their SQLite
    reads (and a release's first build of the index) never hold up the event loop."""
    if request.method != "POST":
        asked = request.url.path + ("?" + request.url.query if request.url.query else "")
        if len(asked) > params.MAX_GET_CHARS:
            raise WebError(400, "bad_request", f"the request is {len(asked):,} characters, more than the "
                           f"{params.MAX_GET_CHARS:,} a GET may be: send it as a POST form (poly=...&date=...)")
        return request.query_params
    body = await read_body(request, context.settings(request).max_request_bytes)
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return {**request.query_params, **form}


def _months(conn: sqlite3.Connection) -> list[str]:
    return [m for (m,) in conn.execute("SELECT DISTINCT month FROM category_month ORDER BY month DESC")]


def _category(conn: sqlite3.Connection, value: str | None) -> str | None:
    """A category slug (None for all-crime); unknown: 404 as police.uk."""
    if value is None or value == "":
        raise params.bad("category", "is required: all-crime or a slug from /api/crime-categories")
    if value == ALL:
        return None
    if conn.execute("SELECT 1 FROM category WHERE url = ?", (value,)).fetchone() is None:
        raise WebError(404, "not_found", f"{value[:60]!r} is not a crime category: /api/crime-categories lists them")
    return value


def _force(conn: sqlite3.Connection, value: str | None) -> str:
    if value is None or value == "":
        raise params.bad("force", "is required: a force id from /api/forces")
    if conn.execute("SELECT 1 FROM force WHERE id = ?", (value,)).fetchone() is None:
        raise WebError(404, "not_found", f"{value[:60]!r} is not a police force: /api/forces lists them")
    return value


def _json(request: Request, body: Any) -> Response:
    """The answer, tagged by the release: a client that holds it revalidates for a 304."""
    tag = etag(context.store(request).version(), "policeuk")
    return not_modified(request, tag, {}) or JSONResponse(body, headers={"ETag": tag})


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def api_page(request: Request) -> Response:
    """What the API offers, for people, with an example of each method on the published data."""
    conn = _conn(request)
    months = _months(conn)
    month = months[0] if months else None
    place = conn.execute("SELECT lat, lng, location_id FROM place WHERE month = ? ORDER BY n LIMIT 1", (month,)).fetchone()
    force_id = conn.execute("SELECT force FROM crime WHERE month = ? LIMIT 1", (month,)).fetchone()
    unplaced = conn.execute("SELECT force FROM crime WHERE location_id IS NULL AND month = ? LIMIT 1", (month,)).fetchone()
    at = f"lat={place[0]}&lng={place[1]}&date={month}" if place else None
    judged = conn.execute("""SELECT c.latitude, c.longitude, o.month, c.persistent_id FROM outcome o JOIN crime c ON c.persistent_id = o.persistent_id
                             WHERE c.location_id IS NOT NULL ORDER BY o.month DESC LIMIT 1""").fetchone()
    methods = [
        ("crime-categories", "date", f"/api/crime-categories?date={month}"),
        ("crime-last-updated", "", "/api/crime-last-updated"),
        ("crimes-street-dates", "", "/api/crimes-street-dates"),
        ("forces", "", "/api/forces"),
        ("forces/{id}", "", f"/api/forces/{force_id[0]}" if force_id else None),
        ("crimes-street/{category}", "lat, lng or poly; date (GET or POST)", f"/api/crimes-street/all-crime?{at}" if at else None),
        ("crimes-at-location", "location_id, or lat, lng; date", f"/api/crimes-at-location?location_id={place[2]}&date={month}" if place else None),
        ("crimes-no-location", "category, force; date",
         f"/api/crimes-no-location?category=all-crime&force={unplaced[0]}&date={month}" if unplaced else None),
        ("outcomes-at-location", "location_id, lat, lng or poly; date",
         f"/api/outcomes-at-location?lat={judged[0]}&lng={judged[1]}&date={judged[2]}" if judged else None),
        ("outcomes-for-crime/{persistent_id}", "", f"/api/outcomes-for-crime/{judged[3]}" if judged else None),
        *_stop_examples(conn),
    ]
    settings = context.settings(request)
    html = render(request, "api.html", {
        "month": month, "stop_month": next(iter(stop_lookup.months(conn)), None),
        "rate": f"{settings.api_rate_limit:g}" if settings.api_rate_limit else None,
        "burst": settings.api_rate_burst,
        "methods": [{"path": f"/api/{p}", "params": q, "example": e} for p, q, e in methods],
    })
    return Response(html, media_type="text/html; charset=utf-8")


def _stop_examples(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    """The stops methods, each with an example on the latest month of stop and search."""
    shown = stop_lookup.example(conn)
    month, force, place, unplaced = (shown["month"], shown["force"], shown["place"], shown["unplaced"]) if shown else (None,) * 4
    return [
        ("stops-street", "lat, lng or poly; date (GET or POST)",
         f"/api/stops-street?lat={place[0]}&lng={place[1]}&date={month}" if place else None),
        ("stops-at-location", "location_id; date", f"/api/stops-at-location?location_id={place[2]}&date={month}" if place else None),
        ("stops-no-location", "force; date", f"/api/stops-no-location?force={unplaced}&date={month}" if unplaced else None),
        ("stops-force", "force; date", f"/api/stops-force?force={force}&date={month}" if force else None),
    ]


@router.api_route("/crime-categories", methods=["GET", "HEAD"])
def crime_categories(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    month = params.month(q.get("date"), _months(conn))
    rows = conn.execute("""SELECT c.url, c.name, c.uri FROM category c JOIN category_month m ON m.url = c.url
                           WHERE m.month = ? ORDER BY c.url""", (month,)).fetchall()
    scheme = context.minter(request).def_("crime", "crime-type")
    return _json(request, [{"url": ALL, "name": "All crime", "uri": scheme}] + [{"url": u, "name": n, "uri": i} for u, n, i in rows])


@router.api_route("/crime-last-updated", methods=["GET", "HEAD"])
def crime_last_updated(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    (modified,) = conn.execute("SELECT value FROM meta WHERE key = 'modified'").fetchone()
    return _json(request, {"date": modified or None, "uri": context.minter(request).data("street-crime")})


@router.api_route("/crimes-street-dates", methods=["GET", "HEAD"])
def crimes_street_dates(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    minter = context.minter(request)
    # Every month with street-level crime or stop and search; "stop-and-search" lists the forces
    # with searches that month.
    stops = stop_lookup.forces_by_month(conn)
    return _json(request, [{"date": m, "stop-and-search": stops.get(m, []), "uri": minter.id("month", m)}
                           for m in sorted({*_months(conn), *stops}, reverse=True)])


@router.api_route("/forces", methods=["GET", "HEAD"])
def forces(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    return _json(request, [{"id": i, "name": n, "uri": u} for i, n, u in conn.execute("SELECT id, name, uri FROM force ORDER BY id")])


@router.api_route("/forces/{force_id}", methods=["GET", "HEAD"])
def force(request: Request, force_id: str, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    row = conn.execute("SELECT id, name, uri FROM force WHERE id = ?", (force_id,)).fetchone()
    if row is None:
        raise WebError(404, "not_found", f"{force_id[:60]!r} is not a police force: /api/forces lists them")
    # police.uk's contact details are not in the published data.
    return _json(request, {"description": None, "url": None, "engagement_methods": [], "telephone": None,
                  "id": row[0], "name": row[1], "uri": row[2]})


@router.api_route("/crimes-street/{category}", methods=["GET", "HEAD", "POST"])
def crimes_street(request: Request, category: str, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    wanted = _category(conn, category)
    month = params.month(q.get("date"), _months(conn))
    where = params.area(q)
    rows = lookup.inside(conn, month, where, wanted) if isinstance(where, Polygon) else lookup.near(conn, month, *where, wanted)
    return _json(request, [crime(r) for r in rows])


@router.api_route("/crimes-at-location", methods=["GET", "HEAD", "POST"])
def crimes_at_location(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    month = params.month(q.get("date"), _months(conn))
    place = _location(conn, q, month)
    return _json(request, [crime(r) for r in lookup.at_location(conn, month, place)] if place is not None else [])


def _location(conn: sqlite3.Connection, q: Mapping[str, str], month: str) -> int | None:
    if "location_id" in q:
        return params.whole_number("location_id", q.get("location_id"))
    if "lat" in q or "lng" in q:
        return lookup.nearest_location(conn, month, *params.point(q.get("lat"), q.get("lng")))
    raise params.bad("location_id", "(a location id), or ?lat= and ?lng=, is required")


@router.api_route("/crimes-no-location", methods=["GET", "HEAD", "POST"])
def crimes_no_location(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    wanted = _category(conn, q.get("category"))
    force_id = _force(conn, q.get("force"))
    month = params.month(q.get("date"), _months(conn))
    return _json(request, [crime(r) for r in lookup.unplaced(conn, month, force_id, wanted)])


@router.api_route("/outcomes-at-location", methods=["GET", "HEAD", "POST"])
def outcomes_at_location(request: Request, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    month = params.month(q.get("date"), _months(conn))
    if q.get("poly"):
        places = lookup.places_inside(conn, month, params.polygon(q["poly"]), until=True)
    elif "location_id" in q:
        places = [params.whole_number("location_id", q.get("location_id"))]
    elif "lat" in q or "lng" in q:
        places = lookup.places_near(conn, month, *params.point(q.get("lat"), q.get("lng")), until=True)
    else:
        raise params.bad("location_id", "(a location id), ?lat= and ?lng=, or ?poly=, is required")
    return _json(request, [outcome(o, crime(c)) for o, c in lookup.outcomes_at(conn, month, places)])


@router.api_route("/outcomes-for-crime/{persistent_id}", methods=["GET", "HEAD"])
def outcomes_for_crime(request: Request, persistent_id: str, q: Query = Depends(_params)) -> Response:
    conn = _conn(request)
    row = lookup.by_id(conn, persistent_id)
    found = lookup.outcomes_of(conn, persistent_id)
    if row is None and not found:
        raise WebError(404, "not_found", f"no crime {persistent_id[:80]!r} is published (a Crime ID is 64 hex digits)")
    return _json(request, {"crime": crime(row) if row is not None else None, "outcomes": [outcome(o, None) for o in found]})
