"""The shipped reference tables (data/reference, data/lookups), read once."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..settings import resource_dir
from ..uris import slug


def normalise(text: str) -> str:
    """Fold case, '&' and punctuation so 'Dyfed Powys Police' meets 'Dyfed-Powys Police'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Code:
    slug: str
    label: str
    description: str = ""
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    other_names: tuple[str, ...]
    area: str | None  # GSS code of its police force area; None for BTP and PSNI


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    police_force_area: str | None = None


def _reference(name: str) -> Path:
    return resource_dir("data") / "reference" / name


def _lookup(name: str) -> Path:
    return resource_dir("data") / "lookups" / name


# Code list id -> (vocabulary it lives under in /def/, its table in data/reference/).
CODE_LISTS: dict[str, tuple[str, str]] = {
    "crime-type": ("crime", "crime-types.csv"),
    "outcome-category": ("crime", "outcome-categories.csv"),
}


@lru_cache(maxsize=None)
def code_list(name: str) -> tuple[Code, ...]:
    """A code list's table: columns label, and optionally slug and description."""
    rows = _rows(_reference(CODE_LISTS[name][1]))
    return tuple(
        Code(r.get("slug") or slug(r["label"]), r["label"], r.get("description", "") or "")
        for r in rows
    )


@lru_cache(maxsize=None)
def police_forces() -> tuple[Force, ...]:
    return tuple(
        Force(
            r["slug"], r["name"],
            tuple(n.strip() for n in r["other_names"].split("|") if n.strip()),
            r["police_force_area"] or None,
        )
        for r in _rows(_reference("police-forces.csv"))
    )


@lru_cache(maxsize=None)
def police_force_areas() -> tuple[Area, ...]:
    """The 43 police force areas of England and Wales (GSS E23, W15)."""
    return tuple(
        Area(r["PFA19CD"], r["PFA19NM"])
        for r in _rows(_lookup("pfa19-names-codes.csv"))
        if r["PFA19CD"][:3] in ("E23", "W15")
    )


@lru_cache(maxsize=None)
def lsoas() -> dict[str, Area]:
    """2011 LSOAs of England and Wales, each within its police force area (via its LAD)."""
    lad_to_pfa = {r["LAD19CD"]: r["PFA19CD"] for r in _rows(_lookup("lad19-csp19-pfa19.csv"))}
    areas: dict[str, Area] = {}
    for r in _rows(_lookup("lsoa11-lad19-imd19-england.csv")):
        areas[r["LSOA11CD"]] = Area(r["LSOA11CD"], r["LSOA11NM"], lad_to_pfa.get(r["LAD19CD"]))
    for r in _rows(_lookup("lsoa11-lad-wimd19-wales.csv")):
        areas[r["lsoa11cd"]] = Area(r["lsoa11cd"], r["lsoa11nm"], lad_to_pfa.get(r["ladcd"]))
    return areas
