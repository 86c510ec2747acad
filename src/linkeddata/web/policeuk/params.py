"""The query parameters police.uk defines, read and checked: a bad one is a 400 naming it.

    date          YYYY-MM, a published month; absent: the latest published month
    lat, lng      decimal degrees (latitude -90..90, longitude -180..180)
    poly          lat,lng:lat,lng:... at least 3 distinct corners, at most MAX_CORNERS
    location_id   a location id this API gave (a whole number)
"""

from __future__ import annotations

import re
from typing import Mapping

from ..problems import WebError
from .geometry import Polygon

MAX_CORNERS = 1000  # a polygon with more corners is refused: each crime in its box is tested against them
MAX_GET_CHARS = 4094  # police.uk answers a longer GET with 400
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def bad(parameter: str, message: str) -> WebError:
    return WebError(400, "bad_request", f"?{parameter}= {message}")


def month(value: str | None, published: list[str], what: str = "street-level crime") -> str:
    """The month asked for (YYYY-MM), else the latest published; 404 if none of `what` is published then.

    `published` is newest first, as crimes-street-dates lists them.
    """
    if value is None or value == "":
        if not published:
            raise WebError(404, "not_found", f"no {what} is published yet")
        return published[0]
    if not _MONTH.fullmatch(value):
        raise bad("date", f"must be a month as YYYY-MM, such as 2019-01 (got {value[:40]!r})")
    if value not in published:
        raise WebError(404, "not_found", f"no {what} is published for {value}; "
                       "/api/crimes-street-dates lists the months that are")
    return value


def coordinate(name: str, value: str | None, limit: float) -> float:
    if value is None or value == "":
        raise bad(name, "is required (decimal degrees)")
    if not _NUMBER.fullmatch(value.strip()):
        raise bad(name, f"must be a number of decimal degrees (got {value[:40]!r})")
    number = float(value)
    if not -limit <= number <= limit:
        raise bad(name, f"must be between {-limit:g} and {limit:g} (got {value[:40]!r})")
    return number


def point(lat: str | None, lng: str | None) -> tuple[float, float]:
    return coordinate("lat", lat, 90), coordinate("lng", lng, 180)


def polygon(value: str) -> Polygon:
    """`lat,lng:lat,lng:...`; closed for the caller (the first corner need not be repeated).

    >>> polygon("52.268,0.543:52.794,0.238:52.130,0.478").corners[0]
    (52.268, 0.543)
    """
    pairs = value.strip().strip(":").split(":")
    if len(pairs) > MAX_CORNERS + 1:
        raise bad("poly", f"has {len(pairs)} corners; at most {MAX_CORNERS} are allowed (draw a simpler area, "
                  "or ask for several)")
    corners = []
    for n, pair in enumerate(pairs, 1):
        parts = pair.split(",")
        if len(parts) != 2 or not all(_NUMBER.fullmatch(p.strip()) for p in parts):
            raise bad("poly", f"corner {n} ({pair[:40]!r}) is not lat,lng: write lat,lng:lat,lng:lat,lng")
        lat, lng = float(parts[0]), float(parts[1])
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise bad("poly", f"corner {n} ({pair[:40]!r}) is not a place: latitude is -90..90, longitude -180..180")
        corners.append((lat, lng))
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()  # closed by the caller: the same
    if len(set(corners)) < 3:
        raise bad("poly", "needs at least 3 different corners to close an area")
    return Polygon(tuple(corners))


def area(q: Mapping[str, str]) -> Polygon | tuple[float, float]:
    """Where to look: ?poly= (inside a polygon), else ?lat= and ?lng= (within a mile of the point)."""
    if q.get("poly"):
        return polygon(q["poly"])
    if "lat" in q or "lng" in q:
        return point(q.get("lat"), q.get("lng"))
    raise bad("lat", "and ?lng= (within a mile of a point), or ?poly= (an area), is required")


def whole_number(name: str, value: str | None) -> int:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 18:
        raise bad(name, f"must be a location id this API gave, a whole number (got {(value or '')[:40]!r})")
    return int(value)
