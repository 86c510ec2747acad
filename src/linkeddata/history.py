"""Release history: every publish of a dataset is remembered, as W3C PROV-O, in its own graph.

`{base}/graph/history/{dataset}` survives the next publish: the pipeline reads it from the store,
carries every earlier release forward and adds the new one, and the result is swapped in with
the dataset graph it describes (so it never names a release that was not published).

    <ds> dcat:version "2" ; dcat:hasCurrentVersion <ds/release/2> ; dcat:hasVersion <ds/release/1>, ... .
    <ds/release/2> a prov:Entity ; dcat:isVersionOf <ds> ; prov:specializationOf <ds> ;
        dcat:version "2" ; prov:generatedAtTime "..."^^xsd:dateTime ; owl:versionInfo "{checksum}" ;
        void:entities N ; void:triples T ; rdfs:comment "what changed since release 1" ;
        prov:wasRevisionOf <ds/release/1> ; dcat:previousVersion <ds/release/1> ;
        prov:wasGeneratedBy <ds/release/2/publication> .
    <ds/release/2/publication> a prov:Activity ; prov:used <ds/source/{sha256}>, ... ;
        prov:endedAtTime "..."^^xsd:dateTime ; prov:generated <ds/release/2> .
    <ds/source/{sha256}> a prov:Entity ; rdfs:label "file.csv" ; spdx:checksum <...#sha256> .

A source is named by its content, so the same file used by two releases is one entity, and an
old file's checksum stays in the history after a newer file replaced it. No blank nodes: the
history is copied from release to release, and IRIs keep it comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .namespaces import DCAT, OWL, PROV, RDF, RDFS, VOID, XSD
from .ntriples import TripleWriter, integer
from .store import Store
from .uris import Minter

# DCAT 3 versioning and SPDX checksums: rdflib's DCAT namespace predates them.
DCAT_VERSION = f"{DCAT}version"
DCAT_HAS_VERSION = f"{DCAT}hasVersion"
DCAT_CURRENT = f"{DCAT}hasCurrentVersion"
DCAT_PREVIOUS = f"{DCAT}previousVersion"
DCAT_VERSION_OF = f"{DCAT}isVersionOf"
SPDX = "http://spdx.org/rdf/terms#"


@dataclass(frozen=True)
class Source:
    """One input file of a release: its name (never the local path) and its SHA-256."""

    name: str
    sha256: str


@dataclass
class Release:
    number: int
    checksum: str
    published: str  # xsd:dateTime
    observations: int
    triples: int
    sources: list[Source] = field(default_factory=list)
    # What a partitioned publish did ("added 2024-02; replaced 2024-01"): its sources are only
    # the files of the partitions it changed, so comparing them with the last release's says nothing.
    change: str | None = None


def history_graph(minter: Minter, dataset: str) -> str:
    return minter.graph(f"history/{dataset}")


def release_uri(minter: Minter, dataset: str, number: int) -> str:
    return minter.data(dataset, "release", str(number))


def source_uri(minter: Minter, dataset: str, sha256: str) -> str:
    return minter.data(dataset, "source", sha256)


def read_releases(store: Store, minter: Minter, dataset: str) -> list[Release]:
    """The published releases of `dataset`, oldest first (empty before the first publish)."""
    graph, ds = history_graph(minter, dataset), minter.data(dataset)
    rows = store.select(f"""
        SELECT ?v ?sum ?when ?n ?t ?name ?sha WHERE {{ GRAPH <{graph}> {{
          <{ds}> <{DCAT_HAS_VERSION}> ?r .
          ?r <{DCAT_VERSION}> ?v ; <{OWL.versionInfo}> ?sum ; <{PROV.generatedAtTime}> ?when ;
             <{VOID.entities}> ?n ; <{VOID.triples}> ?t .
          OPTIONAL {{ ?r <{PROV.wasGeneratedBy}>/<{PROV.used}> ?src .
                     ?src <{RDFS.label}> ?name ; <{SPDX}checksum>/<{SPDX}checksumValue> ?sha }}
        }} }}""")
    releases: dict[int, Release] = {}
    for row in rows:
        number = int(row["v"])
        release = releases.setdefault(number, Release(
            number, str(row["sum"]), str(row["when"]), int(row["n"]), int(row["t"])))
        if "sha" in row:
            release.sources.append(Source(str(row["name"]), str(row["sha"])))
    for release in releases.values():
        release.sources.sort(key=lambda s: (s.name, s.sha256))
    return [releases[n] for n in sorted(releases)]


def _change(before: Release | None, after: Release) -> str:
    """What a person wants to know about a new release, in one sentence."""
    if before is None:
        did = f" ({after.change})" if after.change else ""
        return f"First release{did}: {after.observations:,} observations, {after.triples:,} triples."
    parts = [
        f"{after.observations:,} observations (was {before.observations:,})",
        f"{after.triples:,} triples (was {before.triples:,})",
    ]
    if after.change:
        return f"Since release {before.number}: {after.change}; " + "; ".join(parts) + "."
    old, new = {s.sha256: s.name for s in before.sources}, {s.sha256: s.name for s in after.sources}
    added = sorted(new[s] for s in new.keys() - old.keys())
    removed = sorted(old[s] for s in old.keys() - new.keys())
    if added:
        parts.append("new or changed sources: " + ", ".join(added))
    if removed:
        parts.append("sources no longer used: " + ", ".join(removed))
    return f"Since release {before.number}: " + "; ".join(parts) + "."


def write_history(store: Store, minter: Minter, dataset: str, title: str, release: Release, output: Path) -> bool:
    """Write the history with `release` added (its number is set here) to `output`.

    False, and nothing written, when the newest published release already has this checksum:
    an unchanged rebuild adds no release.
    """
    releases = read_releases(store, minter, dataset)
    previous = releases[-1] if releases else None
    if previous is not None and previous.checksum == release.checksum:
        return False
    release.number = previous.number + 1 if previous else 1
    graph, ds = history_graph(minter, dataset), minter.data(dataset)
    # Every earlier release, activity and source as published; what is said about the dataset
    # itself (its current version) and about the graph is written anew below.
    kept = store.query(f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(?s NOT IN (<{ds}>, <{graph}>)) }} }}""")
    with output.open("w", encoding="utf-8") as handle:
        out = TripleWriter(handle)
        out.raw(kept.serialize("application/n-triples").decode("utf-8"))
        here = release_uri(minter, dataset, release.number)
        activity = f"{here}/publication"
        for old in releases:
            out.link(ds, DCAT_HAS_VERSION, release_uri(minter, dataset, old.number))
        out.link(ds, DCAT_HAS_VERSION, here)
        out.link(ds, DCAT_CURRENT, here)
        out.text(ds, DCAT_VERSION, str(release.number))

        out.link(here, str(RDF.type), str(PROV.Entity))
        out.text(here, str(RDFS.label), f"{title}, release {release.number}", "en")
        out.link(here, DCAT_VERSION_OF, ds)
        out.link(here, str(PROV.specializationOf), ds)
        out.text(here, DCAT_VERSION, str(release.number))
        out.typed(here, str(PROV.generatedAtTime), release.published, str(XSD.dateTime))
        out.text(here, str(OWL.versionInfo), release.checksum)
        out.add(here, str(VOID.entities), integer(release.observations))
        out.add(here, str(VOID.triples), integer(release.triples))
        out.text(here, str(RDFS.comment), _change(previous, release), "en")
        out.link(here, str(PROV.wasGeneratedBy), activity)
        if previous is not None:
            before = release_uri(minter, dataset, previous.number)
            out.link(here, str(PROV.wasRevisionOf), before)
            out.link(here, DCAT_PREVIOUS, before)

        out.link(activity, str(RDF.type), str(PROV.Activity))
        out.text(activity, str(RDFS.label), f"Publication of release {release.number} of {title}", "en")
        out.typed(activity, str(PROV.endedAtTime), release.published, str(XSD.dateTime))
        out.link(activity, str(PROV.generated), here)
        for source in release.sources:
            entity = source_uri(minter, dataset, source.sha256)
            checksum = f"{entity}#sha256"
            out.link(activity, str(PROV.used), entity)
            out.link(entity, str(RDF.type), str(PROV.Entity))
            out.text(entity, str(RDFS.label), source.name)
            out.link(entity, f"{SPDX}checksum", checksum)
            out.link(checksum, str(RDF.type), f"{SPDX}Checksum")
            out.text(checksum, str(RDFS.label), f"SHA-256 {source.sha256}")
            out.link(checksum, f"{SPDX}algorithm", f"{SPDX}checksumAlgorithm_sha256")
            out.typed(checksum, f"{SPDX}checksumValue", source.sha256, str(XSD.hexBinary))
    return True
