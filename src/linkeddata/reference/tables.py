"""The shipped reference tables (data/reference, data/lookups), read once."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..settings import resource_dir
from ..uris import slug


def normalise(text: str) -> str:
    """Fold case, accents, '&' and punctuation so 'Dyfed Powys Police' meets 'Dyfed-Powys Police'.

    >>> normalise("St Vincent & the Grenadines") == normalise("St Vincent and the Grenadines")
    True
    >>> normalise("São Tomé and Príncipe")
    'sao tome and principe'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.lower().replace("&", " and ")).split())


def _names(cell: str | None) -> tuple[str, ...]:
    """Other names: a cell of names separated by '|'."""
    return tuple(n.strip() for n in (cell or "").split("|") if n.strip())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Code:
    slug: str
    label: str
    description: str = ""
    other_names: tuple[str, ...] = ()
    broader: str = ""  # "LIST/SLUG": a code this one rolls up to, in this or another code list


@dataclass(frozen=True)
class Nationality:
    """A nationality as Home Office tables name it: a country or territory, or a local code."""

    name: str  # the Home Office's spelling, the preferred label
    alpha3: str | None  # ISO 3166-1 alpha-3, for countries and territories ISO codes
    local_code: str | None  # for rows that are not an ISO country (Stateless, Kosovo, ...)
    region: str  # slug of its Home Office region
    other_names: tuple[str, ...] = ()
    comment: str = ""

    @property
    def slug(self) -> str:
        """Its key in URIs: the lower-case alpha-3, or the local code."""
        return self.alpha3.lower() if self.alpha3 else str(self.local_code)

    @property
    def notation(self) -> str:
        return self.alpha3 or str(self.local_code)


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
    other_names: tuple[str, ...] = ()
    comment: str = ""  # why it has no police force area, or where its area came from
    local_authority: str | None = None  # an LSOA's local authority (GSS LAD code)


def _reference(name: str) -> Path:
    return resource_dir("data") / "reference" / name


def _lookup(name: str) -> Path:
    return resource_dir("data") / "lookups" / name


# Code list id -> (vocabulary it lives under in /def/, its table in data/reference/).
CODE_LISTS: dict[str, tuple[str, str]] = {
    "crime-type": ("crime", "crime-types.csv"),
    "outcome-category": ("crime", "outcome-categories.csv"),
    "asylum-applicant-type": ("migration", "asylum-applicant-types.csv"),
    "uasc-status": ("migration", "uasc-statuses.csv"),
    "age-group": ("migration", "age-groups.csv"),
    "asylum-application-raised": ("migration", "asylum-application-raised.csv"),
    "case-outcome": ("migration", "case-outcomes.csv"),
    "resettlement-scheme": ("migration", "resettlement-schemes.csv"),
    "hate-crime-strand": ("crime", "hate-crime-strands.csv"),
    "ethnicity": ("equality", "ethnicities.csv"),
    "use-of-force-type": ("equality", "use-of-force-types.csv"),
    "use-of-force-tactic": ("equality", "use-of-force-tactics.csv"),
    "civil-service-grade": ("organogram", "civil-service-grades.csv"),
    # police.uk stop and search (mappings/stop-and-search.yaml)
    "stop-search-type": ("equality", "stop-search-types.csv"),
    "stop-search-gender": ("equality", "stop-search-genders.csv"),
    "stop-search-age-range": ("equality", "stop-search-age-ranges.csv"),
    "stop-search-ethnicity": ("equality", "stop-search-ethnicities.csv"),
    "stop-search-legislation": ("equality", "stop-search-legislation.csv"),
    "stop-search-object": ("equality", "stop-search-objects.csv"),
    "stop-search-outcome": ("equality", "stop-search-outcomes.csv"),
}


@lru_cache(maxsize=None)
def code_list(name: str) -> tuple[Code, ...]:
    """A code list's table: columns label, and optionally slug, description, other_names and
    broader (`LIST/SLUG`, e.g. `ethnicity/black`: the code it rolls up to)."""
    rows = _rows(_reference(CODE_LISTS[name][1]))
    codes = tuple(
        Code(r.get("slug") or slug(r["label"]), r["label"], r.get("description", "") or "",
             _names(r.get("other_names")), r.get("broader", "") or "")
        for r in rows
    )
    for code in codes:
        if code.broader:
            target, _, wanted = code.broader.partition("/")
            known = codes if target == name else code_list(target) if target in CODE_LISTS else ()
            if wanted not in {c.slug for c in known}:
                raise ValueError(f"{CODE_LISTS[name][1]}: {code.slug}: broader {code.broader!r} is not LIST/SLUG of a known code")
    return codes


@lru_cache(maxsize=None)
def nationality_regions() -> tuple[Code, ...]:
    """The Home Office's geographical regions that nationalities are grouped in."""
    return tuple(
        Code(r["slug"], r["label"], r["description"], _names(r["other_names"]))
        for r in _rows(_reference("nationality-regions.csv"))
    )


@lru_cache(maxsize=None)
def nationalities() -> tuple[Nationality, ...]:
    """Every nationality the Home Office immigration tables name, with its region."""
    regions = {normalise(name): region.slug for region in nationality_regions()
               for name in (region.label, *region.other_names)}
    return tuple(
        Nationality(r["name"], r["alpha3"] or None, r["local_code"] or None, regions[normalise(r["region"])],
                    _names(r["other_names"]), r["comment"])
        for r in _rows(_reference("nationalities.csv"))
    )


@lru_cache(maxsize=None)
def police_forces() -> tuple[Force, ...]:
    return tuple(
        Force(
            r["slug"], r["name"], _names(r["other_names"]),
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
    """2011 LSOAs of England and Wales, each with its local authority (LAD 2019) and, via that,
    its police force area."""
    lad_to_pfa = {r["LAD19CD"]: r["PFA19CD"] for r in _rows(_lookup("lad19-csp19-pfa19.csv"))}
    areas: dict[str, Area] = {}
    for r in _rows(_lookup("lsoa11-lad19-imd19-england.csv")):
        areas[r["LSOA11CD"]] = Area(r["LSOA11CD"], r["LSOA11NM"], lad_to_pfa.get(r["LAD19CD"]),
                                    local_authority=r["LAD19CD"])
    for r in _rows(_lookup("lsoa11-lad-wimd19-wales.csv")):
        areas[r["lsoa11cd"]] = Area(r["lsoa11cd"], r["lsoa11nm"], lad_to_pfa.get(r["ladcd"]),
                                    local_authority=r["ladcd"])
    return areas


@lru_cache(maxsize=None)
def local_authorities() -> dict[str, Area]:
    """Local authorities by GSS code (E06-E09, W06; S12 and N09 with no police force area).

    England and Wales from the LAD 2019 and 2016 lookups, each within its police force area;
    the authorities made since 2019, and the Scottish and Northern Irish councils the Home
    Office tables name, by hand (data/reference/local-authorities.csv says which and why).
    """
    return {
        r["code"]: Area(r["code"], r["name"], r["police_force_area"] or None, _names(r["other_names"]), r["comment"])
        for r in _rows(_reference("local-authorities.csv"))
    }
