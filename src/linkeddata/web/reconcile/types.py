"""The kinds of reference item the service reconciles against, and the properties each has.

A type is the URIs under one folder of the URI space (`/id/lsoa/`, `/def/migration/nationality/`):
what the search index holds there is what is reconciled. A type is offered only when the
served release has items of it, so a type for data not published yet (organisation units and
posts of an organogram) is one more line in `TYPES` and appears with its first release; one
published as a code list (a SKOS concept scheme under /def/) needs no line (`names.py`).

Properties (`PROPERTIES`) are links the store holds between reference items: a query may name
them to narrow its candidates (an LSOA's local authority), and data extension returns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.namespace import OWL, SKOS

from ...namespaces import SR
from .variants import AUTHORITY_NOISE, FORCE_NOISE


@dataclass(frozen=True)
class EntityType:
    id: str  # what queries name in `type`
    name: str
    folder: str  # the path under the base its items' URIs begin with
    description: str
    noise: frozenset[str] = frozenset()  # words a name may carry or lack (Police, Council)
    period: str | None = None  # a kind of period `variants.period_key` reads
    gss: bool = False  # its codes are GSS codes (a name two share is one area, recoded)
    example: str = ""  # a way people write one, shown on /reconcile/about with what it finds


TYPES: tuple[EntityType, ...] = (
    EntityType("police-force-area", "Police force area", "/id/police-force-area/",
               "The area a territorial police force polices (GSS code E23, W15)", FORCE_NOISE, gss=True, example="Devon & Cornwall Police"),
    EntityType("police-force", "Police force", "/id/police-force/",
               "A police force, with its police.uk id (avon-and-somerset)", FORCE_NOISE, example="Metropolitan Police Service"),
    EntityType("local-authority", "Local authority", "/id/local-authority/",
               "A local authority district or council (GSS code E06-E09, W06, S12, N09)", AUTHORITY_NOISE, gss=True, example="E09000007"),
    EntityType("lsoa", "Lower layer super output area", "/id/lsoa/",
               "A 2011 census LSOA (GSS code E01, W01; name like 'Camden 028B')", gss=True, example="Camden 028B"),
    EntityType("nationality", "Nationality", "/def/migration/nationality/",
               "A nationality as Home Office tables name it (ISO 3166-1 alpha-3 code)", example="AFG"),
    EntityType("crime-type", "Crime type", "/def/crime/crime-type/",
               "A police.uk crime category (burglary, anti-social-behaviour)", example="Violence & sexual offences"),
    EntityType("month", "Month", "/id/month/", "A calendar month (2019-01, January 2019)", period="month", example="Jan 2019"),
    EntityType("quarter", "Quarter", "/id/quarter/", "A calendar quarter (2019-Q1, 2019 Q1)", period="quarter", example="Q1 2019"),
    EntityType("financial-year", "Financial year", "/id/government-year/",
               "An April to March year (2018-2019, 2018/19, FY 2018/19)", period="financial-year", example="FY 2018/19"),
    EntityType("year", "Calendar year", "/id/year/", "A calendar year (2019)", period="year", example="2019"),
)
BY_ID = {t.id: t for t in TYPES}


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    predicates: tuple[tuple[str, str], ...]  # (entity type, the predicate that links its items)
    target: str | None = None  # the entity type of the items it links to, if one of ours

    def predicate(self, type_id: str) -> str | None:
        held = dict(self.predicates)
        return held.get(type_id, held.get("*"))


def properties(base: str) -> tuple[Property, ...]:
    geog = f"{base}/def/geography/"
    national = ("police-force-area", "local-authority", "lsoa", "month", "quarter", "financial-year", "year")
    return (
        Property("police-force-area", "Police force area",
                 (("lsoa", str(SR.within)), ("local-authority", str(SR.within)),
                  ("police-force", f"{geog}policeForceArea")), "police-force-area"),
        Property("local-authority", "Local authority", (("lsoa", f"{geog}localAuthority"),), "local-authority"),
        Property("region", "Region", (("nationality", str(SKOS.broader)),)),
        Property("code", "Code", (("*", str(SKOS.notation)),)),
        Property("national-uri", "National URI",
                 (*((t, str(OWL.sameAs)) for t in national), ("nationality", str(SKOS.exactMatch)))),
    )
