"""What the police.uk API should answer, computed straight from the bundled source CSVs.

The API reads the store; these read the files the store was built from (the street-crime and
crime-outcomes mappings' samples), so a test comparing the two checks the whole path.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from linkeddata.uris import slug
from linkeddata.web.policeuk.geometry import Polygon, within_mile

ROOT = Path(__file__).resolve().parents[2]


def _samples(mapping: str) -> list[Path]:
    spec = yaml.safe_load((ROOT / "mappings" / f"{mapping}.yaml").read_text(encoding="utf-8"))
    return [ROOT / p for p in spec["source"]["samples"]]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _outcome_names() -> dict[str, str]:
    """Every way the files write an outcome category -> the code list's name for it."""
    names = {}
    for row in _rows(ROOT / "data" / "reference" / "outcome-categories.csv"):
        names[row["label"]] = row["label"]
        for other in filter(None, (row.get("other_names") or "").split("|")):
            names[other.strip()] = row["label"]
    return names


@lru_cache(maxsize=1)
def forces() -> dict[str, str]:
    """Force name (and other names) -> police.uk force id."""
    found = {}
    for row in _rows(ROOT / "data" / "reference" / "police-forces.csv"):
        for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
            found[name.strip()] = row["slug"]
    return found


@lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    return {row["label"]: row["slug"] for row in _rows(ROOT / "data" / "reference" / "crime-types.csv")}


@dataclass(frozen=True)
class Outcome:
    crime: str
    month: str
    name: str


@lru_cache(maxsize=1)
def outcomes() -> list[Outcome]:
    """One per (crime, month, outcome), as the records are (police.uk repeats a row per suspect)."""
    seen = {}
    for path in _samples("crime-outcomes"):
        for row in _rows(path):
            o = Outcome(row["Crime ID"], row["Month"], _outcome_names()[row["Outcome type"]])
            seen.setdefault(o, None)
    return list(seen)


@dataclass(frozen=True)
class Crime:
    persistent_id: str
    month: str
    category: str
    force: str
    lat: float | None
    lng: float | None
    street: str
    context: str
    outcome: str | None

    def json(self) -> dict:
        """The police.uk object, less the keys derived here (`id`, `street.id`, `uri`)."""
        dates = [o.month for o in outcomes() if o.crime == self.persistent_id]
        return {
            "category": self.category,
            "persistent_id": self.persistent_id,
            "month": self.month,
            "location_type": ("BTP" if self.force == "btp" else "Force") if self.lat is not None else None,
            "latitude": f"{self.lat:.6f}" if self.lat is not None else None,
            "longitude": f"{self.lng:.6f}" if self.lng is not None else None,
            "street": self.street if self.lat is not None else None,
            "context": self.context,
            "outcome_status": {"category": self.outcome, "date": max(dates, default=self.month)}
            if self.outcome else None,
        }


@lru_cache(maxsize=1)
def crimes() -> list[Crime]:
    """Every row with a Crime ID; a repeated ID keeps its first row (as the build does)."""
    found: dict[str, Crime] = {}
    for path in _samples("street-crime"):
        for row in _rows(path):
            if not row["Crime ID"] or row["Crime ID"] in found:
                continue
            placed = bool(row["Latitude"] and row["Longitude"])
            found[row["Crime ID"]] = Crime(
                row["Crime ID"], row["Month"], _categories()[row["Crime type"]], forces()[row["Reported by"]],
                _six(row["Latitude"]) if placed else None, _six(row["Longitude"]) if placed else None,
                row["Location"], row["Context"],
                _outcome_names()[row["Last outcome category"]] if row["Last outcome category"] else None,
            )
    return list(found.values())


def _six(text: str) -> float:
    """A coordinate at the six decimal places police.uk publishes (older files give more)."""
    return float(f"{float(text):.6f}")


def months() -> list[str]:
    """Every month with street-level rows (anti-social behaviour too), newest first."""
    return sorted({row["Month"] for path in _samples("street-crime") for row in _rows(path)}, reverse=True)


def near(month: str, lat: float, lng: float, category: str | None = None) -> list[Crime]:
    return [c for c in crimes() if c.month == month and c.lat is not None and (category in (None, c.category))
            and within_mile(lat, lng, c.lat, c.lng)]


def inside(month: str, corners: list[tuple[float, float]]) -> list[Crime]:
    polygon = Polygon(tuple(corners))
    return [c for c in crimes() if c.month == month and c.lat is not None and polygon.contains(c.lat, c.lng)]


def at_point(month: str, lat: float, lng: float) -> list[Crime]:
    return [c for c in crimes() if c.month == month and c.lat == lat and c.lng == lng]


def unplaced(month: str, force: str, category: str | None = None) -> list[Crime]:
    return [c for c in crimes() if c.month == month and c.lat is None and c.force == force
            and category in (None, c.category)]


def outcome_code(name: str) -> str:
    return slug(name)


def comparable(answer: dict) -> dict:
    """An API crime object in the shape `Crime.json` gives."""
    location = answer["location"] or {}
    return {
        "category": answer["category"], "persistent_id": answer["persistent_id"], "month": answer["month"],
        "location_type": answer["location_type"], "latitude": location.get("latitude"),
        "longitude": location.get("longitude"), "street": (location.get("street") or {}).get("name"),
        "context": answer["context"], "outcome_status": answer["outcome_status"],
    }


def by_id(items: list[dict]) -> dict[str, dict]:
    return {i["persistent_id"]: i for i in items}


# --- Stop and search ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stop_outcome_names() -> dict[str, str]:
    """Every way the files write a stop and search outcome -> the code list's name for it."""
    names = {}
    for row in _rows(ROOT / "data" / "reference" / "stop-search-outcomes.csv"):
        for name in [row["label"], *filter(None, (row.get("other_names") or "").split("|"))]:
            names[name.strip()] = row["label"]
    return names


def _flag(text: str) -> bool | None:
    return None if not text else text == "True"


@dataclass(frozen=True)
class Stop:
    month: str
    force: str
    datetime: str
    type: str
    operation: bool | None
    operation_name: str | None
    lat: float | None
    lng: float | None
    gender: str | None
    age_range: str | None
    self_defined_ethnicity: str | None
    officer_defined_ethnicity: str | None
    legislation: str | None
    object_of_search: str | None
    outcome: str | None
    outcome_linked: bool | None
    clothing: bool | None

    def json(self) -> dict:
        """The police.uk object, less the keys derived here (`street.id`, `outcome_object.id`, `uri`)."""
        return {
            "type": self.type, "involved_person": self.type != "Vehicle search", "datetime": self.datetime,
            "operation": self.operation, "operation_name": self.operation_name,
            "latitude": f"{self.lat:.6f}" if self.lat is not None else None,
            "longitude": f"{self.lng:.6f}" if self.lng is not None else None,
            "gender": self.gender, "age_range": self.age_range, "self_defined_ethnicity": self.self_defined_ethnicity,
            "officer_defined_ethnicity": self.officer_defined_ethnicity, "legislation": self.legislation,
            "object_of_search": self.object_of_search, "outcome": self.outcome, "outcome_object_name": self.outcome,
            "outcome_linked_to_object_of_search": self.outcome_linked,
            "removal_of_more_than_outer_clothing": self.clothing,
        }


@lru_cache(maxsize=1)
def stops() -> list[Stop]:
    """Every row of the bundled stop and search files; the month and force are in the file's name."""
    found = []
    for path in _samples("stop-and-search"):
        month, force = path.name[:7], path.name[8:-len("-stop-and-search.csv")]
        for row in _rows(path):
            placed = bool(row["Latitude"] and row["Longitude"])
            found.append(Stop(
                month, force, row["Date"], row["Type"], _flag(row["Part of a policing operation"]),
                row["Policing operation"] or None, _six(row["Latitude"]) if placed else None,
                _six(row["Longitude"]) if placed else None, row["Gender"] or None, row["Age range"] or None,
                row["Self-defined ethnicity"] or None, row["Officer-defined ethnicity"] or None,
                row["Legislation"] or None, row["Object of search"] or None,
                _stop_outcome_names()[row["Outcome"]] if row["Outcome"] else None,
                _flag(row["Outcome linked to object of search"]), _flag(row["Removal of more than just outer clothing"]),
            ))
    return found


def stop_dates() -> dict[str, list[str]]:
    """The forces with stop and search each month."""
    found: dict[str, set[str]] = {}
    for s in stops():
        found.setdefault(s.month, set()).add(s.force)
    return {month: sorted(forces) for month, forces in found.items()}


def stops_near(month: str, lat: float, lng: float) -> list[Stop]:
    return [s for s in stops() if s.month == month and s.lat is not None and within_mile(lat, lng, s.lat, s.lng)]


def stops_inside(month: str, corners: list[tuple[float, float]]) -> list[Stop]:
    polygon = Polygon(tuple(corners))
    return [s for s in stops() if s.month == month and s.lat is not None and polygon.contains(s.lat, s.lng)]


def stops_at_point(month: str, lat: float, lng: float) -> list[Stop]:
    return [s for s in stops() if s.month == month and s.lat == lat and s.lng == lng]


def stops_of_force(month: str, force: str, unplaced_only: bool = False) -> list[Stop]:
    return [s for s in stops() if s.month == month and s.force == force and not (unplaced_only and s.lat is not None)]


def comparable_stop(answer: dict) -> dict:
    """An API stop and search object in the shape `Stop.json` gives."""
    location = answer["location"] or {}
    shaped = {key: answer[key] for key in (
        "type", "involved_person", "datetime", "operation", "operation_name", "gender", "age_range",
        "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "object_of_search", "outcome",
        "outcome_linked_to_object_of_search", "removal_of_more_than_outer_clothing")}
    return {**shaped, "latitude": location.get("latitude"), "longitude": location.get("longitude"),
            "outcome_object_name": (answer["outcome_object"] or {}).get("name")}
