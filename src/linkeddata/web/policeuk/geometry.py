"""Where police.uk looks: within one mile of a point, or inside a polygon of lat/lng pairs."""

from __future__ import annotations

import math
from dataclasses import dataclass

MILE_M = 1609.344
EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine).

    >>> round(distance_m(51.5, -0.1, 51.5 + 1609.344 / 111_195, -0.1))
    1609
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def mile_box(lat: float, lng: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within a mile (a little more)."""
    dlat = math.degrees(MILE_M / EARTH_RADIUS_M) * 1.001
    dlng = dlat / max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 1e-6)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def within_mile(lat: float, lng: float, plat: float, plng: float) -> bool:
    return distance_m(lat, lng, plat, plng) <= MILE_M


@dataclass(frozen=True)
class Polygon:
    """A polygon of (lat, lng) corners; the last joins the first, as police.uk does."""

    corners: tuple[tuple[float, float], ...]

    def box(self) -> tuple[float, float, float, float]:
        lats = [c[0] for c in self.corners]
        lngs = [c[1] for c in self.corners]
        return min(lats), max(lats), min(lngs), max(lngs)

    def contains(self, lat: float, lng: float) -> bool:
        """Even-odd rule: a ray to the east crosses the edges an odd number of times.

        >>> Polygon(((0, 0), (0, 2), (2, 2), (2, 0))).contains(1, 1)
        True
        >>> Polygon(((0, 0), (0, 2), (2, 2), (2, 0))).contains(3, 1)
        False
        """
        inside = False
        corners = self.corners
        j = len(corners) - 1
        for i in range(len(corners)):
            (ai, bi), (aj, bj) = corners[i], corners[j]
            if (ai > lat) != (aj > lat) and lng < (bj - bi) * (lat - ai) / (aj - ai) + bi:
                inside = not inside
            j = i
        return inside
