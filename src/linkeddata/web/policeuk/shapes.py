"""police.uk's JSON objects from index rows, each with `uri`: its linked data resource.

Clients ignore keys they do not know, so `uri` is the one addition to police.uk's shapes.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .index import crime_number

# The crime columns every query selects, in this order (see index._SCHEMA).
CRIME_COLUMNS = "uri, persistent_id, month, category, force, latitude, longitude, location_id, street, context, outcome, outcome_date"


def crime(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    uri, persistent_id, month, category, force, latitude, longitude, place, street, context, outcome, when = row
    located = latitude is not None
    return {
        "category": category,
        "location_type": ("BTP" if force == "btp" else "Force") if located else None,
        "location": {"latitude": latitude, "street": {"id": place, "name": street}, "longitude": longitude}
        if located else None,
        "context": context or "",
        "outcome_status": {"category": outcome, "date": when} if outcome else None,
        "persistent_id": persistent_id,
        "id": crime_number(persistent_id),
        "location_subtype": "",
        "month": month,
        "uri": uri,
    }


def outcome(row: tuple[Any, ...], of_crime: dict[str, Any] | None) -> dict[str, Any]:
    """An outcome; `of_crime` is its crime's object (outcomes-at-location) or None (outcomes-for-crime)."""
    uri, month, code, name = row[:4]
    shaped: dict[str, Any] = {"category": {"code": code, "name": name}, "date": month, "person_id": None}
    if of_crime is not None:
        shaped["crime"] = of_crime
    shaped["uri"] = uri
    return shaped
