"""Publish-time statistics about a dataset, so pages stay fast on a million observations.

Made from the counts the builder kept as it wrote the observations (cube.builder.Tally) and
what the reference graphs say of the values (areas within areas, when periods begin and end),
written as N-Triples, and staged as `{base}/graph/summary/{dataset}`: it is swapped in
with the release it describes, or not at all.

What it says about a dataset `<ds>` (VoID, DCAT and Dublin Core terms only):

    <ds> void:entities N                                  observations
    <ds> schema:value T                                   the measure summed over them
    <ds> dcterms:temporal [ dcat:startDate ; dcat:endDate ]
    <ds> dcterms:spatial <area>                           each area the data's areas are within
    <ds> void:propertyPartition [                         one per dimension
        void:property <dim> ; void:distinctObjects K ;
        void:subset [ rdf:value <code> ; void:entities n ; schema:value t ] ,   each value
                    [ sr:within <area> ; void:entities n ; schema:value t ] ]   each containing area
    <ds> dcat:distribution <ds/distribution/csv> , <ds/distribution/nt>
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .cube.builder import Tally
from .namespaces import DCAT, DCTERMS, OGL_V3, RDF, RDFS, SDO, SR, TIME, VOID, XSD
from .ntriples import TripleWriter, integer, iri, literal
from .store import Store
from .namespaces import vocabularies
from .uris import Minter

IANA = "https://www.iana.org/assignments/media-types/"
CSVW = "http://www.w3.org/ns/csvw"
# Totals are schema:value, never the measure itself: a query summing the measure over the
# default graph must count observations only.
TOTAL = str(SDO.value)
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"


def _iri_of(term: str) -> str | None:
    return term[1:-1] if term.startswith("<") else None


@dataclass
class PartitionFigures:
    """What one published partition holds: its graph, triples and tally."""

    graph: str
    triples: int
    tally: Tally


def _tally_json(tally: Tally) -> str:
    return json.dumps({"observations": tally.observations, "total": tally.total, "values": tally.values},
                      separators=(",", ":"), sort_keys=True)


def read_partitions(store: Store, minter: Minter, dataset: str) -> dict[str, PartitionFigures]:
    """The published partitions of `dataset` with their figures, from its summary graph."""
    ds, graph = minter.data(dataset), minter.graph(f"summary/{dataset}")
    stat = vocabularies(minter.base).statistics
    rows = store.select(f"""
        SELECT ?key ?source ?triples ?tally WHERE {{ GRAPH <{graph}> {{
          <{ds}> <{VOID.subset}> ?p . ?p <{RDFS.label}> ?key ; <{DCTERMS.source}> ?source ;
             <{VOID.triples}> ?triples ; <{stat.partitionTally}> ?tally }} }}""")
    figures = {}
    for row in rows:
        data = json.loads(str(row["tally"]))
        tally = Tally(data["observations"], data["total"], data["values"])
        figures[str(row["key"])] = PartitionFigures(str(row["source"]), int(row["triples"]), tally)
    return figures


def summarise(
    store: Store,
    minter: Minter,
    dataset: str,
    tally: Tally,
    reference: Sequence[str],
    output: Path,
    partitions: dict[str, PartitionFigures] | None = None,
    sums: bool = True,
) -> int:
    """Write the summary of `dataset` (its name, e.g. `street-crime`) to `output`; return its triples.

    The counts come from the build's `tally`; the store answers only what the reference graphs
    (`reference`) say of the values: which areas each is within, and when each period begins
    and ends. Those are small queries whatever the size of the cube.

    With `sums` false (the mapping's measure may not be added across every dimension, or some
    codes are totals of others: `cube.measure.additive_over`, `cube.totals`) no `schema:value`
    is written: a sum over a value's or the dataset's observations would add what may not be
    added (hate crime's strands and their total; headcounts on two dates).
    """

    def select(query: str) -> list[dict]:
        return store.query_staging(query, reference).rows

    ds = minter.data(dataset)
    used = {uri for values in tally.values.values() for term in values if (uri := _iri_of(term))}
    parents: dict[str, list[str]] = {}
    for row in select(f"SELECT ?v ?w WHERE {{ ?v <{SR.within}> ?w }}"):
        if str(row["v"]) in used:
            parents.setdefault(str(row["v"]), []).append(str(row["w"]))
    begins, ends = [], []
    for row in select(f"""
        SELECT ?v ?b ?e WHERE {{
          ?v <{TIME.hasBeginning}>/<{TIME.inXSDDateTime}> ?b ; <{TIME.hasEnd}>/<{TIME.inXSDDateTime}> ?e }}"""):
        if str(row["v"]) in used:
            begins.append(str(row["b"]))
            ends.append(str(row["e"]))

    with output.open("w", encoding="utf-8") as handle:
        out = TripleWriter(handle)
        out.add(ds, str(VOID.entities), integer(tally.observations))
        if sums:
            out.add(ds, TOTAL, integer(tally.total))
        if begins:
            start, end = min(begins)[:10], max(ends)[:10]
            node = "_:temporal"
            out.lines([
                f"{iri(ds)} {iri(str(DCTERMS.temporal))} {node} .\n",
                f"{node} {iri(str(RDF.type))} {iri(str(DCTERMS.PeriodOfTime))} .\n",
                f"{node} {iri(str(DCAT.startDate))} {literal(start, datatype=str(XSD.date))} .\n",
                # hasEnd is the first instant after the period: the last day is the one before.
                f"{node} {iri(str(DCAT.endDate))} {literal(_day_before(end), datatype=str(XSD.date))} .\n",
            ])
        spatial = set()
        for i, (dimension, values) in enumerate(tally.values.items()):
            node = f"_:p{i}"
            lines = [
                f"{iri(ds)} {iri(str(VOID.propertyPartition))} {node} .\n",
                f"{node} {iri(str(VOID.property))} {iri(dimension)} .\n",
                f"{node} {iri(str(VOID.distinctObjects))} {integer(len(values))} .\n",
            ]
            within: dict[str, list[int]] = {}  # area -> [observations, total, values within it]
            for j, (term, (n, t)) in enumerate(sorted(values.items())):
                sub = f"_:p{i}v{j}"
                lines += [
                    f"{node} {iri(str(VOID.subset))} {sub} .\n",
                    f"{sub} {iri(str(RDF.value))} {term} .\n",
                    f"{sub} {iri(str(VOID.entities))} {integer(n)} .\n",
                    *([f"{sub} {iri(TOTAL)} {integer(t)} .\n"] if sums else []),
                ]
                for area in parents.get(_iri_of(term) or "", ()):
                    counted = within.setdefault(area, [0, 0, 0])
                    counted[0] += n
                    counted[1] += t
                    counted[2] += 1
            for j, (area, (n, t, k)) in enumerate(sorted(within.items())):
                sub = f"_:p{i}w{j}"
                spatial.add(area)
                lines += [
                    f"{node} {iri(str(VOID.subset))} {sub} .\n",
                    f"{sub} {iri(str(SR.within))} {iri(area)} .\n",
                    f"{sub} {iri(str(VOID.entities))} {integer(n)} .\n",
                    f"{sub} {iri(str(VOID.distinctObjects))} {integer(k)} .\n",
                    *([f"{sub} {iri(TOTAL)} {integer(t)} .\n"] if sums else []),
                ]
            out.lines(lines)
        for area in sorted(spatial):
            out.link(ds, str(DCTERMS.spatial), area)
        stat = vocabularies(minter.base).statistics
        for key, figures in sorted((partitions or {}).items()):
            part = minter.data(dataset, "partition", key)
            out.link(ds, str(VOID.subset), part)
            out.link(part, str(RDF.type), str(VOID.Dataset))
            out.text(part, str(RDFS.label), key)
            out.link(part, str(DCTERMS.source), figures.graph)
            out.add(part, str(VOID.entities), integer(figures.tally.observations))
            out.add(part, str(VOID.triples), integer(figures.triples))
            if sums:
                out.add(part, TOTAL, integer(figures.tally.total))
            out.add(part, str(stat.partitionTally), literal(_tally_json(figures.tally), datatype=RDF_JSON))
        _distributions(out, minter, dataset)
        return out.count


def _day_before(date: str) -> str:
    from datetime import date as Date, timedelta

    try:
        return (Date.fromisoformat(date) - timedelta(days=1)).isoformat()
    except ValueError:
        return date


def _distributions(out: TripleWriter, minter: Minter, dataset: str) -> None:
    """The downloads the web layer serves, described as DCAT distributions."""
    ds = minter.data(dataset)
    for key, title, media_type, suffix in (
        ("csv", "CSV, one row per observation, with CSVW metadata", "text/csv", "csv"),
        ("nt", "N-Triples, gzipped: the whole dataset graph", "application/n-triples", "nt.gz"),
    ):
        dist = f"{ds}/distribution/{key}"
        download = f"{minter.base}/download/{dataset}.{suffix}"
        out.link(ds, str(DCAT.distribution), dist)
        out.link(dist, str(RDF.type), str(DCAT.Distribution))
        out.text(dist, str(DCTERMS.title), title, "en")
        out.text(dist, str(RDFS.label), title, "en")
        out.link(dist, str(DCAT.downloadURL), download)
        out.link(dist, str(DCAT.accessURL), download)
        out.link(dist, str(DCAT.mediaType), IANA + media_type)
        out.link(dist, str(DCTERMS.license), str(OGL_V3))
        if key == "csv":
            out.link(dist, str(DCTERMS.conformsTo), CSVW)
            out.link(dist, str(DCTERMS.hasPart), f"{minter.base}/download/{dataset}.csv-metadata.json")
        else:
            out.link(dist, str(DCAT.compressFormat), IANA + "application/gzip")
