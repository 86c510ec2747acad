"""Benchmark release validation against plain pySHACL on the same data and shapes.

    python bench/validation.py [OBSERVATIONS] [--pyshacl N] [--break K]

Generates OBSERVATIONS (default 100000) street-crime observations (area x month x crime type,
each area reported by one force) with the reference items and vocabularies they need, stages
them in an in-memory EmbeddedStore and times `validate_release`. Then times plain pySHACL
(`validate_graph`: every shape as written, on one rdflib Graph) on the first N observations
(default 200: pySHACL's SPARQL constraints run per focus node, IC-12 against every other
observation, so it cannot run at full size). Prints triples per second for both.

With --break K, K observations spread through the cube get a negative count, and the
problems found are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from linkeddata.namespaces import load_shipped_turtle, ontology_files
from linkeddata.settings import resource_dir
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.validate import validate_graph, validate_release

BASE = "http://localhost:8000"
DATASET_GRAPH = "dataset/street-crime"
REFERENCE_GRAPH = f"{BASE}/graph/reference"

QB = "http://purl.org/linked-data/cube#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
CRIME = f"{BASE}/def/crime/"
GEOG = f"{BASE}/def/geography/"
TIME = "http://www.w3.org/2006/time#"
INTERVALS = "http://reference.data.gov.uk/def/intervals/"

CRIME_TYPES = [
    "anti-social-behaviour", "bicycle-theft", "burglary", "criminal-damage-arson", "drugs",
    "other-crime", "other-theft", "possession-of-weapons", "public-order", "robbery",
    "shoplifting", "theft-from-the-person", "vehicle-crime", "violent-crime",
]
MONTHS = 12
FORCES = 43

STRUCTURE = """
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix qb:      <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure:   <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix crime:   <def/crime/> .
@prefix sc:      <data/street-crime/> .

<data/street-crime> a qb:DataSet, dcat:Dataset ;
    rdfs:label "Street-level crime"@en ;
    dcterms:title "Street-level crime"@en ;
    dcterms:description "Crimes recorded by police forces, counted by LSOA, month, crime type and force."@en ;
    dcterms:license <http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/> ;
    dcterms:publisher <https://www.gov.uk/government/organisations/home-office> ;
    dcterms:issued "2019-02-01"^^xsd:date ;
    dcterms:modified "2024-05-01T12:00:00Z"^^xsd:dateTime ;
    dcterms:accrualPeriodicity <http://purl.org/cld/freq/monthly> ;
    dcat:keyword "crime"@en ;
    qb:structure sc:structure .

sc:structure a qb:DataStructureDefinition ;
    rdfs:label "Structure of Street-level crime"@en ;
    qb:component sc:structure\\/ref-area, sc:structure\\/ref-period, sc:structure\\/crime-type,
                 sc:structure\\/reporting-force, sc:structure\\/obs-value .

sc:structure\\/ref-area a qb:ComponentSpecification ; qb:dimension sdmx-dimension:refArea ; qb:order 1 .
sc:structure\\/ref-period a qb:ComponentSpecification ; qb:dimension sdmx-dimension:refPeriod ; qb:order 2 .
sc:structure\\/crime-type a qb:ComponentSpecification ; qb:dimension crime:crimeType ; qb:order 3 .
sc:structure\\/reporting-force a qb:ComponentSpecification ; qb:dimension crime:reportingForce ; qb:order 4 .
sc:structure\\/obs-value a qb:ComponentSpecification ; qb:measure sdmx-measure:obsValue .
"""


def _areas(observations: int) -> int:
    return max(1, -(-observations // (MONTHS * len(CRIME_TYPES))))


def _area(i: int) -> str:
    return f"E{1000000 + i:08d}"


def _month(m: int) -> str:
    return f"2019-{m + 1:02d}"


def _force(i: int) -> str:
    return f"force-{i % FORCES:02d}"


def _triples(graph: Graph) -> str:
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def cube_ntriples(observations: int, broken: int = 0) -> tuple[str, int]:
    """The data set, its structure and `observations` observations as N-Triples; with
    `broken` > 0, that many observations (spread evenly) have the count -1."""
    lines = [_triples(Graph().parse(data=STRUCTURE, format="turtle", publicID=BASE + "/"))]
    dataset = f"<{BASE}/data/street-crime>"
    every = observations // broken if broken else 0
    made = 0
    areas = _areas(observations)
    for a in range(areas):
        for m in range(MONTHS):
            for crime_type in CRIME_TYPES:
                if made == observations:
                    break
                area, month, force = _area(a), _month(m), _force(a)
                obs = f"<{BASE}/data/street-crime/{area}/{month}/{crime_type}/{force}>"
                value = -1 if every and made % every == every // 2 else (made * 7) % 23
                lines.append(
                    f"{obs} <{RDF_TYPE}> <{QB}Observation> .\n"
                    f"{obs} <{QB}dataSet> {dataset} .\n"
                    f"{obs} <{DIM}refArea> <{BASE}/id/lsoa/{area}> .\n"
                    f"{obs} <{DIM}refPeriod> <{BASE}/id/month/{month}> .\n"
                    f"{obs} <{CRIME}crimeType> <{CRIME}crime-type/{crime_type}> .\n"
                    f"{obs} <{CRIME}reportingForce> <{BASE}/id/police-force/{force}> .\n"
                    f"{obs} <{MEASURE}obsValue> \"{value}\"^^<{XSD}integer> .\n"
                )
                made += 1
    text = "".join(lines)
    return text, text.count("\n")


def reference_ntriples(observations: int) -> tuple[str, int]:
    """The areas, months, crime types and forces the cube uses, and the vocabularies."""
    vocabulary = Graph()
    external = resource_dir("ontology") / "external"
    for path in [*ontology_files(), *(external / n for n in ("cube.ttl", "sdmx-dimension.ttl", "sdmx-measure.ttl"))]:
        vocabulary += load_shipped_turtle(path, BASE)
    lines = [_triples(vocabulary)]
    scheme = f"<{CRIME}crime-type>"
    lines.append(f"{scheme} <{RDF_TYPE}> <{SKOS}ConceptScheme> .\n")
    for crime_type in CRIME_TYPES:
        code = f"<{CRIME}crime-type/{crime_type}>"
        lines.append(f"{code} <{RDF_TYPE}> <{SKOS}Concept> .\n{code} <{SKOS}inScheme> {scheme} .\n")
    forces = f"<{GEOG}police-force>"
    for i in range(FORCES):
        force = f"<{BASE}/id/police-force/{_force(i)}>"
        lines.append(f"{force} <{RDF_TYPE}> <{GEOG}PoliceForce> .\n{force} <{RDF_TYPE}> <{SKOS}Concept> .\n"
                     f"{force} <{SKOS}inScheme> {forces} .\n")
    for a in range(_areas(observations)):
        area = f"<{BASE}/id/lsoa/{_area(a)}>"
        lines.append(f"{area} <{RDF_TYPE}> <{GEOG}LowerLayerSuperOutputArea> .\n{area} <{RDF_TYPE}> <{GEOG}Area> .\n"
                     f"{area} <{RDFS}label> \"Area {a}\"@en .\n")
    for m in range(MONTHS):
        month = f"<{BASE}/id/month/{_month(m)}>"
        lines.append(f"{month} <{RDF_TYPE}> <{INTERVALS}CalendarMonth> .\n{month} <{RDF_TYPE}> <{TIME}ProperInterval> .\n")
    text = "".join(lines)
    return text, text.count("\n")


def bench_release(observations: int, broken: int, folder: Path) -> tuple[float, int, list]:
    cube, cube_triples = cube_ntriples(observations, broken)
    reference, _ = reference_ntriples(observations)
    (folder / "cube.nt").write_text(cube, encoding="utf-8")
    (folder / "reference.nt").write_text(reference, encoding="utf-8")
    store = EmbeddedStore(None, BASE)
    try:
        staged_reference = store.load_staging("reference", folder / "reference.nt")
        store.swap({staged_reference: REFERENCE_GRAPH})
        started = time.perf_counter()
        staging = store.load_staging(DATASET_GRAPH, folder / "cube.nt")
        loaded = time.perf_counter() - started
        print(f"  staged {cube_triples:,} triples in {loaded:.1f} s (not counted)")
        started = time.perf_counter()
        problems = validate_release(store, staging, [REFERENCE_GRAPH], BASE)
        return time.perf_counter() - started, cube_triples, problems
    finally:
        store.close()


def bench_pyshacl(observations: int, broken: int) -> tuple[float, int, list]:
    cube, cube_triples = cube_ntriples(observations, broken)
    reference, _ = reference_ntriples(observations)
    graph = Graph()
    graph.parse(data=cube, format="nt")
    graph.parse(data=reference, format="nt")
    started = time.perf_counter()
    problems = validate_graph(graph, BASE)
    return time.perf_counter() - started, cube_triples, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("observations", nargs="?", type=int, default=100_000)
    parser.add_argument("--pyshacl", type=int, default=200, metavar="N",
                        help="observations for plain pySHACL (0: skip)")
    parser.add_argument("--break", dest="broken", type=int, default=0, metavar="K",
                        help="observations given a negative count")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-validation-") as tmp:
        print(f"validate_release, {args.observations:,} observations:")
        seconds, triples, problems = bench_release(args.observations, args.broken, Path(tmp))
    release_rate = triples / seconds
    print(f"  {seconds:.2f} s, {release_rate:,.0f} triples/s, {len(problems)} problem(s)")
    for problem in problems[:5]:
        print(f"    {problem.code} {problem.focus}")

    if args.pyshacl:
        size = min(args.pyshacl, args.observations)
        print(f"plain pySHACL (validate_graph), {size:,} observations:")
        seconds, triples, problems = bench_pyshacl(size, min(args.broken, size))
        shacl_rate = triples / seconds
        print(f"  {seconds:.2f} s, {shacl_rate:,.0f} triples/s, {len(problems)} problem(s)")
        print(f"validate_release is {release_rate / shacl_rate:,.0f}x plain pySHACL's triples/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
