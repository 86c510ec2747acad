"""Publish-time statistics about a dataset, so pages stay fast on a million observations.

Computed with SPARQL over the dataset graph as it is staged (with the reference graphs beside
it), written as N-Triples, and staged as `{base}/graph/summary/{dataset}`: it is swapped in
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

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from .namespaces import DCAT, DCTERMS, OGL_V3, QB, RDF, RDFS, SDO, SR, TIME, VOID, XSD
from .ntriples import TripleWriter, integer, iri, literal
from .store import Store
from .uris import Minter

IANA = "https://www.iana.org/assignments/media-types/"
CSVW = "http://www.w3.org/ns/csvw"
# Totals are schema:value, never the measure itself: a query summing the measure over the
# default graph must count observations only.
TOTAL = str(SDO.value)


@dataclass
class Partition:
    dimension: str
    values: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # code -> (observations, total)
    within: dict[str, tuple[int, Decimal, int]] = field(default_factory=dict)  # area -> (obs, total, codes)


def _number(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001 - a measure we cannot add up counts as nothing
        return Decimal(0)


def _total(value: Decimal) -> str:
    if value == value.to_integral_value():
        return integer(int(value))
    return literal(str(value), datatype=str(XSD.decimal))


def summarise(store: Store, minter: Minter, dataset: str, graphs: Sequence[str], output: Path) -> int:
    """Write the summary of `dataset` (its name, e.g. `street-crime`) to `output`; return its triples.

    `graphs` are the graphs to read (the dataset's, staged or live, and the reference graphs).
    """

    def select(query: str) -> list[dict]:
        return store.query_staging(query, graphs).rows

    ds = minter.data(dataset)
    structure = select(f"""
        SELECT ?dim ?measure WHERE {{
          <{ds}> <{QB.structure}>/<{QB.component}> ?c .
          OPTIONAL {{ ?c <{QB.dimension}> ?dim }} OPTIONAL {{ ?c <{QB.measure}> ?measure }}
          OPTIONAL {{ ?c <{QB.order}> ?order }}
        }} ORDER BY ?order""")
    dimensions = [str(r["dim"]) for r in structure if "dim" in r]
    measures = [str(r["measure"]) for r in structure if "measure" in r]
    measure = measures[0] if measures else None
    value = f"; <{measure}> ?x" if measure else ""
    total = "(SUM(?x) AS ?t)" if measure else ""

    overall = select(f"SELECT (COUNT(*) AS ?n) {total} WHERE {{ ?o <{QB.dataSet}> <{ds}> {value} }}")
    observations = int(overall[0]["n"]) if overall else 0
    grand = _number(overall[0].get("t", 0)) if overall else Decimal(0)

    partitions = []
    for dim in dimensions:
        part = Partition(dim)
        for row in select(f"""
            SELECT ?v (COUNT(*) AS ?n) {total} WHERE {{ ?o <{QB.dataSet}> <{ds}> ; <{dim}> ?v {value} }}
            GROUP BY ?v"""):
            part.values[str(row["v"])] = (int(row["n"]), _number(row.get("t", 0)))
        for row in select(f"""
            SELECT ?w (COUNT(*) AS ?n) {total} (COUNT(DISTINCT ?v) AS ?k) WHERE {{
              ?o <{QB.dataSet}> <{ds}> ; <{dim}> ?v {value} . ?v <{SR.within}> ?w }}
            GROUP BY ?w"""):
            part.within[str(row["w"])] = (int(row["n"]), _number(row.get("t", 0)), int(row["k"]))
        partitions.append(part)

    period = select(f"""
        SELECT (MIN(?b) AS ?start) (MAX(?e) AS ?end) WHERE {{
          {{ SELECT DISTINCT ?v WHERE {{ ?o <{QB.dataSet}> <{ds}> ; ?dim ?v . FILTER(isIRI(?v)) }} }}
          ?v <{TIME.hasBeginning}>/<{TIME.inXSDDateTime}> ?b ; <{TIME.hasEnd}>/<{TIME.inXSDDateTime}> ?e .
        }}""")

    with output.open("w", encoding="utf-8") as handle:
        out = TripleWriter(handle)
        out.add(ds, str(VOID.entities), integer(observations))
        if measure:
            out.add(ds, TOTAL, _total(grand))
        if period and "start" in period[0] and "end" in period[0]:
            start, end = str(period[0]["start"])[:10], str(period[0]["end"])[:10]
            node = "_:temporal"
            out.lines([
                f"{iri(ds)} {iri(str(DCTERMS.temporal))} {node} .\n",
                f"{node} {iri(str(RDF.type))} {iri(str(DCTERMS.PeriodOfTime))} .\n",
                f"{node} {iri(str(DCAT.startDate))} {literal(start, datatype=str(XSD.date))} .\n",
                # hasEnd is the first instant after the period: the last day is the one before.
                f"{node} {iri(str(DCAT.endDate))} {literal(_day_before(end), datatype=str(XSD.date))} .\n",
            ])
        spatial = set()
        for i, part in enumerate(partitions):
            node = f"_:p{i}"
            lines = [
                f"{iri(ds)} {iri(str(VOID.propertyPartition))} {node} .\n",
                f"{node} {iri(str(VOID.property))} {iri(part.dimension)} .\n",
                f"{node} {iri(str(VOID.distinctObjects))} {integer(len(part.values))} .\n",
            ]
            for j, (code, (n, t)) in enumerate(sorted(part.values.items())):
                sub = f"_:p{i}v{j}"
                lines += [
                    f"{node} {iri(str(VOID.subset))} {sub} .\n",
                    f"{sub} {iri(str(RDF.value))} {_term(code)} .\n",
                    f"{sub} {iri(str(VOID.entities))} {integer(n)} .\n",
                ]
                if measure:
                    lines.append(f"{sub} {iri(TOTAL)} {_total(t)} .\n")
            for j, (area, (n, t, k)) in enumerate(sorted(part.within.items())):
                sub = f"_:p{i}w{j}"
                spatial.add(area)
                lines += [
                    f"{node} {iri(str(VOID.subset))} {sub} .\n",
                    f"{sub} {iri(str(SR.within))} {iri(area)} .\n",
                    f"{sub} {iri(str(VOID.entities))} {integer(n)} .\n",
                    f"{sub} {iri(str(VOID.distinctObjects))} {integer(k)} .\n",
                ]
                if measure:
                    lines.append(f"{sub} {iri(TOTAL)} {_total(t)} .\n")
            out.lines(lines)
        for area in sorted(spatial):
            out.link(ds, str(DCTERMS.spatial), area)
        _distributions(out, minter, dataset)
        return out.count


def _term(value: str) -> str:
    return iri(value) if ":" in value else literal(value)


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
