"""The reference graphs every dataset links to, written as N-Triples files.

One named graph per scheme: vocabularies, code lists, police forces, geography, time,
nationalities and their regions.
They are built from the shipped tables, so they are the same on every build.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib.compare import to_canonical_graph

from ..namespaces import (
    INTERVALS, ONS_GEOGRAPHY, OWL, RDF, RDFS, REFERENCE_TIME, SKOS, SR, TIME, XSD,
    load_shipped_turtle, ontology_files, vocabularies,
)
from ..ntriples import TripleWriter
from ..settings import resource_dir
from ..uris import Minter
from . import tables
from .kinds import FIRST_YEAR, LAST_YEAR, UNKNOWN_LOCAL_AUTHORITY

EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@dataclass(frozen=True)
class ReferenceGraph:
    name: str  # graph name under {base}/graph/
    write: Callable[[TripleWriter, Minter], None]


def _vocabulary(paths: list[Path]) -> Callable[[TripleWriter, Minter], None]:
    def write(out: TripleWriter, minter: Minter) -> None:
        for path in paths:
            # Canonical blank node labels and sorted lines: the same files give the same bytes,
            # so an unchanged vocabulary is recognised and not republished.
            graph = to_canonical_graph(load_shipped_turtle(path, minter.base))
            lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
            out.raw("\n".join(sorted(lines)))
    return write


def _code_list(name: str) -> Callable[[TripleWriter, Minter], None]:
    def write(out: TripleWriter, minter: Minter) -> None:
        vocab = tables.CODE_LISTS[name][0]
        scheme = minter.code_list(vocab, name)
        out.link(scheme, str(RDF.type), str(SKOS.ConceptScheme))
        for code in tables.code_list(name):
            uri = minter.def_(vocab, name, code.slug)
            _concept(out, uri, scheme, code.label, code.slug, code.other_names)
            if code.description:
                out.text(uri, str(SKOS.definition), code.description, "en")
            if code.broader:
                # Rolls up to a code of this or another list (a detailed ethnicity to its 5+1 group).
                target, _, target_slug = code.broader.partition("/")
                broader = minter.def_(tables.CODE_LISTS[target][0], target, target_slug)
                out.link(uri, str(SKOS.broader), broader)
                out.link(broader, str(SKOS.narrower), uri)
    return write


def _concept(out: TripleWriter, uri: str, scheme: str, label: str, notation: str,
             other_names: tuple[str, ...]) -> None:
    out.link(uri, str(RDF.type), str(SKOS.Concept))
    out.link(uri, str(SKOS.inScheme), scheme)
    out.link(uri, str(SKOS.topConceptOf), scheme)
    out.link(scheme, str(SKOS.hasTopConcept), uri)
    out.text(uri, str(SKOS.prefLabel), label, "en")
    out.text(uri, str(RDFS.label), label, "en")
    out.text(uri, str(SKOS.notation), notation)
    for other in other_names:
        out.text(uri, str(SKOS.altLabel), other, "en")


def _nationality_regions(out: TripleWriter, minter: Minter) -> None:
    """The Home Office's geographical regions, the broader concepts of nationalities."""
    scheme = minter.code_list("migration", "region")
    out.link(scheme, str(RDF.type), str(SKOS.ConceptScheme))
    for region in tables.nationality_regions():
        uri = minter.def_("migration", "region", region.slug)
        _concept(out, uri, scheme, region.label, region.slug, region.other_names)
        if region.description:
            out.text(uri, str(SKOS.definition), region.description, "en")


def _nationalities(out: TripleWriter, minter: Minter) -> None:
    """Nationalities as Home Office tables name them; ISO 3166-1 alpha-3 notations where ISO
    codes the country or territory (exactMatch the EU country authority), local codes where not."""
    scheme = minter.code_list("migration", "nationality")
    out.link(scheme, str(RDF.type), str(SKOS.ConceptScheme))
    for nationality in tables.nationalities():
        uri = minter.def_("migration", "nationality", nationality.slug)
        _concept(out, uri, scheme, nationality.name, nationality.notation, nationality.other_names)
        if nationality.alpha3:
            out.link(uri, str(SKOS.exactMatch), EU_COUNTRY + nationality.alpha3)
        if nationality.comment:
            out.text(uri, str(RDFS.comment), nationality.comment, "en")
        region = minter.def_("migration", "region", nationality.region)
        out.link(uri, str(SKOS.broader), region)
        out.link(region, str(SKOS.narrower), uri)


def _police_forces(out: TripleWriter, minter: Minter) -> None:
    geog = vocabularies(minter.base).geography
    scheme = minter.def_("geography", "police-force")
    for force in tables.police_forces():
        uri = minter.id("police-force", force.slug)
        out.link(uri, str(RDF.type), str(geog.PoliceForce))
        _concept(out, uri, scheme, force.name, force.slug, force.other_names)
        if force.area:
            out.link(uri, str(geog.policeForceArea), minter.id("police-force-area", force.area))
        else:
            out.text(uri, str(RDFS.comment),
                     "A force with no police force area of its own: it has no GSS code, and "
                     "its crimes fall in the areas of the territorial forces.", "en")


def _area(out: TripleWriter, uri: str, cls: str, code: str, name: str, geog_area: str) -> None:
    out.link(uri, str(RDF.type), cls)
    out.link(uri, str(RDF.type), geog_area)
    out.text(uri, str(RDFS.label), name, "en")
    out.text(uri, str(SKOS.prefLabel), name, "en")
    out.text(uri, str(SKOS.notation), code)
    out.link(uri, str(OWL.sameAs), ONS_GEOGRAPHY + code)


def _geography(out: TripleWriter, minter: Minter) -> None:
    geog = vocabularies(minter.base).geography
    for pfa in tables.police_force_areas():
        uri = minter.id("police-force-area", pfa.code)
        _area(out, uri, str(geog.PoliceForceArea), pfa.code, pfa.name, str(geog.Area))
    for lsoa in tables.lsoas().values():
        uri = minter.id("lsoa", lsoa.code)
        _area(out, uri, str(geog.LowerLayerSuperOutputArea), lsoa.code, lsoa.name, str(geog.Area))
        if lsoa.police_force_area:
            out.link(uri, str(SR.within), minter.id("police-force-area", lsoa.police_force_area))
        if lsoa.local_authority:  # not sr:within: that rolls an LSOA's counts up to force areas only
            out.link(uri, str(geog.localAuthority), minter.id("local-authority", lsoa.local_authority))
    nowhere = minter.id("area", "no-location")
    out.link(nowhere, str(RDF.type), str(geog.UnlocatedArea))
    out.link(nowhere, str(RDF.type), str(geog.Area))
    out.text(nowhere, str(RDFS.label), "No location recorded", "en")
    out.text(nowhere, str(RDFS.comment),
             "Records published with no location (police.uk 'No location') are counted here, "
             "not dropped.", "en")


def _local_authorities(out: TripleWriter, minter: Minter) -> None:
    """Local authorities (GSS LAD codes), each sr:within its police force area where it has one.

    Scottish and Northern Irish councils lie in no police force area of England and Wales; they
    say so in an rdfs:comment instead of being given a guessed one.
    """
    geog = vocabularies(minter.base).geography
    for la in tables.local_authorities().values():
        uri = minter.id("local-authority", la.code)
        _area(out, uri, str(geog.LocalAuthority), la.code, la.name, str(geog.Area))
        for other in la.other_names:
            out.text(uri, str(SKOS.altLabel), other, "en")
        if la.police_force_area:
            out.link(uri, str(SR.within), minter.id("police-force-area", la.police_force_area))
        if la.comment:
            out.text(uri, str(RDFS.comment), la.comment, "en")
    key, label = UNKNOWN_LOCAL_AUTHORITY
    unknown = minter.id("area", key)
    out.link(unknown, str(RDF.type), str(geog.UnlocatedArea))
    out.link(unknown, str(RDF.type), str(geog.Area))
    out.text(unknown, str(RDFS.label), label, "en")
    out.text(unknown, str(RDFS.comment),
             "Counts a table gives for local authority 'Unknown' are published here, not dropped.", "en")


def _instant(out: TripleWriter, minter: Minter, stamp: str) -> str:
    uri = minter.id("instant", stamp)
    out.link(uri, str(RDF.type), str(TIME.Instant))
    out.typed(uri, str(TIME.inXSDDateTime), stamp, str(XSD.dateTime))
    return uri


def _interval(out: TripleWriter, minter: Minter, concept: str, key: str, label: str,
              classes: tuple[str, ...], begin: tuple[int, int], end: tuple[int, int]) -> str:
    """One calendar interval, from the first instant of `begin` (year, month) to that of `end`."""
    uri = minter.id(concept, key)
    for cls in (*classes, str(TIME.ProperInterval)):
        out.link(uri, str(RDF.type), cls)
    out.text(uri, str(RDFS.label), label, "en")
    out.text(uri, str(SKOS.notation), key)
    out.link(uri, str(TIME.hasBeginning), _instant(out, minter, f"{begin[0]}-{begin[1]:02d}-01T00:00:00"))
    out.link(uri, str(TIME.hasEnd), _instant(out, minter, f"{end[0]}-{end[1]:02d}-01T00:00:00"))
    out.link(uri, str(OWL.sameAs), f"{REFERENCE_TIME}{concept}/{key}")
    return uri


def _month_after(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _contains(out: TripleWriter, big: str, small: str) -> None:
    """Both directions, so a query can roll up (intervalDuring) or drill down (intervalContains)."""
    out.link(small, str(TIME.intervalDuring), big)
    out.link(big, str(TIME.intervalContains), small)


def _time(out: TripleWriter, minter: Minter) -> None:
    """Months, quarters, calendar years and government (financial, April-March) years."""
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        year_uri = _interval(out, minter, "year", str(year), str(year), (str(INTERVALS.CalendarYear),),
                             (year, 1), (year + 1, 1))
        gov_key = f"{year}-{year + 1}"
        gov_uri = _interval(out, minter, "government-year", gov_key, f"Financial year {year} to {year + 1}",
                            (), (year, 4), (year + 1, 4))
        for quarter in range(1, 5):
            first = 3 * quarter - 2
            q_key = f"{year}-Q{quarter}"
            q_uri = _interval(out, minter, "quarter", q_key, f"{year} Q{quarter}",
                              (str(INTERVALS.CalendarQuarter),), (year, first), _month_after(year, first, 3))
            _contains(out, year_uri, q_uri)
            if quarter > 1:
                _contains(out, gov_uri, q_uri)
            else:  # January to March belongs to the government year that began the April before
                _contains(out, minter.id("government-year", f"{year - 1}-{year}"), q_uri)
            for month in range(first, first + 3):
                m_uri = _interval(out, minter, "month", f"{year}-{month:02d}", f"{calendar.month_name[month]} {year}",
                                  (str(INTERVALS.CalendarMonth),), (year, month), _month_after(year, month, 1))
                _contains(out, q_uri, m_uri)


def reference_graphs() -> list[ReferenceGraph]:
    ontology = ontology_files()
    external = sorted((resource_dir("ontology") / "external").glob("*.ttl"))
    graphs = [ReferenceGraph(f"vocabulary/{p.stem}", _vocabulary([p])) for p in ontology]
    graphs.append(ReferenceGraph("vocabulary/external", _vocabulary(external)))
    # The shapes are the published contract: their IRIs under /def/shapes/ dereference too.
    graphs.append(ReferenceGraph("vocabulary/shapes", _vocabulary(sorted(resource_dir("shapes").glob("*.ttl")))))
    graphs += [ReferenceGraph(f"codelist/{name}", _code_list(name)) for name in tables.CODE_LISTS]
    graphs += [
        ReferenceGraph("reference/police-force", _police_forces),
        ReferenceGraph("reference/geography", _geography),
        ReferenceGraph("reference/local-authority", _local_authorities),
        ReferenceGraph("reference/time", _time),
        ReferenceGraph("reference/nationality", _nationalities),
        ReferenceGraph("reference/nationality-region", _nationality_regions),
    ]
    return graphs


def write_reference(folder: Path, minter: Minter) -> dict[str, Path]:
    """Write every reference graph to an N-Triples file in `folder`; return graph name -> file."""
    files = {}
    for ref in reference_graphs():
        path = folder / (ref.name.replace("/", "--") + ".nt")
        with path.open("w", encoding="utf-8") as handle:
            ref.write(TripleWriter(handle), minter)
        files[ref.name] = path
    return files
