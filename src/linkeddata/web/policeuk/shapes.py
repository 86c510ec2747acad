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


# The stop and search columns every stops query selects, in this order (see stop_index.SCHEMA).
STOP_COLUMNS = ("uri, datetime, type, operation, operation_name, latitude, longitude, location_id, gender, age_range, "
                "self_defined_ethnicity, officer_defined_ethnicity, legislation, object_of_search, outcome, outcome_id, "
                "outcome_linked, clothing")


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def stop(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    """A stop and search as police.uk gives it. The street's name ("On or near ...") is not in the
    published data: null. `outcome_object.id` is the outcome's code in the published code list."""
    (uri, when, kind, operation, operation_name, latitude, longitude, place, gender, age, self_defined,
     officer_defined, legislation, searched_for, outcome_name, outcome_id, linked, clothing) = row
    return {
        "age_range": age,
        "officer_defined_ethnicity": officer_defined,
        "involved_person": kind != "Vehicle search" if kind else None,
        "self_defined_ethnicity": self_defined,
        "gender": gender,
        "legislation": legislation,
        "outcome_linked_to_object_of_search": _flag(linked),
        "datetime": when,
        "outcome_object": {"id": outcome_id, "name": outcome_name} if outcome_name else None,
        "location": {"latitude": latitude, "street": {"id": place, "name": None}, "longitude": longitude}
        if latitude is not None else None,
        "object_of_search": searched_for,
        "operation": _flag(operation),
        "outcome": outcome_name,
        "type": kind,
        "operation_name": operation_name,
        "removal_of_more_than_outer_clothing": _flag(clothing),
        "uri": uri,
    }
