"""The kinds of reference item the service reconciles against, and the properties each has.

A type is the URIs under one folder of the URI space (`/id/lsoa/`, `/def/migration/nationality/`;
a `*` in a folder stands for one segment: `/id/organisation/*/unit/`): what the search index
holds there is what is reconciled. A type is offered only when the served release has items of
it, so a type for data not published yet is one more line in `TYPES` and appears with its first
release; one published as a code list (a SKOS concept scheme under /def/) needs no line (`names.py`).

An organogram's post is reconciled as the post across dates (`/id/organisation/home-office/post/2OSCT03`),
not as the post on one date (`.../2OSCT03/2012-09-30`): the post across dates is what other
datasets link to (it is `owl:sameAs` the URI data.gov.uk minted, and a spreadsheet's post
reference names it whatever the date), and it stays when a new organogram adds a date. What
changes between dates (unit, grade, reporting line) are `dated` properties, read from its dated
versions (`versions.py`).

Properties (`properties`) are links the store holds between reference items: a query may name
them to narrow its candidates (an LSOA's local authority), and data extension returns them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib.namespace import DCTERMS, ORG, OWL, SKOS

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

    @property
    def prefix(self) -> str:
        """The folder up to its first `*`: what every item's path begins with."""
        return self.folder.split("*")[0]

    def pattern(self, base: str) -> re.Pattern[str]:
        """The URIs of its items: the folder (a `*` one segment), then one segment.

        >>> t = EntityType("unit", "Unit", "/id/organisation/*/unit/", "")
        >>> [bool(t.pattern("http://x").fullmatch(u)) for u in (
        ...     "http://x/id/organisation/home-office/unit/prevent", "http://x/id/organisation/home-office")]
        [True, False]
        """
        folder = re.escape(base + self.folder).replace(r"\*", "[^/]+")
        return re.compile(f"{folder}[^/]+")


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
    EntityType("organisation", "Organisation", "/id/organisation/",
               "The Home Office or one of its agencies, as its organogram names it", example="Identity and Passport Service"),
    EntityType("organisation-unit", "Organisation unit", "/id/organisation/*/unit/",
               "A unit of an organisation's organogram (Prevent, Border Security Unit)", example="Border Security Unit"),
    EntityType("post", "Post", "/id/organisation/*/post/",
               "A senior post of an organogram, across its dates: its job title or its post reference (2OSCT03)", example="2OSCT03"),
)
BY_ID = {t.id: t for t in TYPES}


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    predicates: tuple[tuple[str, str], ...]  # (entity type, the predicate that links its items)
    target: str | None = None  # the entity type of the items it links to, if one of ours
    # Read from the item's dated versions (`versions.py`), the predicate a path from a version:
    # a query agrees with any date's value; extension and preview give the latest date's.
    dated: bool = False

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
                 (*((t, str(OWL.sameAs)) for t in national), ("nationality", str(SKOS.exactMatch)),
                  ("post", str(OWL.sameAs)))),  # the post's data.gov.uk URI
        Property("organisation", "Organisation",
                 (("organisation-unit", str(ORG.unitOf)), ("post", str(ORG.postIn))), "organisation"),
        Property("unit", "Unit", (("post", f"<{ORG.postIn}>"),), "organisation-unit", dated=True),
        Property("grade", "Grade", (("post", f"<{base}/def/organogram/grade>"),), "civil-service-grade", dated=True),
        Property("reports-to", "Reports to",
                 (("post", f"<{ORG.reportsTo}>/<{DCTERMS.isVersionOf}>"),), "post", dated=True),
    )
