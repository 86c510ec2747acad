"""The set-oriented release check: every observation of a large cube is checked by queries on
the store, and what it finds is what plain pySHACL (validate_graph) finds."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from linkeddata.store.embedded import EmbeddedStore
from linkeddata.validate import validate_graph, validate_release
from linkeddata.validate.normalise import normalise_graph

from .conftest import BASE, REFERENCE_GRAPH, load, reference_data, write_nt

QB = "http://purl.org/linked-data/cube#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
GEOG = f"{BASE}/def/geography/"
CRIME = f"{BASE}/def/crime/"
TYPES = ("burglary", "bicycle-theft")
MONTHS = ("2019-01", "2019-02")


def obs_iri(area: int, month: str, crime_type: str) -> str:
    return f"{BASE}/data/street-crime/A{area:05d}/{month}/{crime_type}/city-of-london"


def cube_text(areas: int, value=lambda iri: 1) -> str:
    """The test cube's data set and structure with areas x 2 months x 2 crime types observations."""
    lines = []
    for a in range(areas):
        for month in MONTHS:
            for crime_type in TYPES:
                iri = obs_iri(a, month, crime_type)
                obs = f"<{iri}>"
                lines.append(
                    f"{obs} <{TYPE}> <{QB}Observation> .\n{obs} <{QB}dataSet> <{BASE}/data/street-crime> .\n"
                    f"{obs} <{DIM}refArea> <{BASE}/id/lsoa/A{a:05d}> .\n{obs} <{DIM}refPeriod> <{BASE}/id/month/{month}> .\n"
                    f"{obs} <{CRIME}crimeType> <{CRIME}crime-type/{crime_type}> .\n"
                    f"{obs} <{CRIME}reportingForce> <{BASE}/id/police-force/city-of-london> .\n"
                    f"{obs} <{VALUE}> {value(iri)} .\n"
                )
    return "".join(lines)


def reference_text(areas: int) -> str:
    return "".join(f"<{BASE}/id/lsoa/A{a:05d}> <{TYPE}> <{GEOG}LowerLayerSuperOutputArea> .\n" for a in range(areas))


def structure() -> Graph:
    """The test cube without its observations."""
    cube = load("cube.ttl")
    for obs in list(cube.subjects(None, None)):
        if "/data/street-crime/" in str(obs) and "/structure" not in str(obs):
            cube.remove((obs, None, None))
    return cube


def stage(tmp_path: Path, cube: str, reference: Graph) -> tuple[EmbeddedStore, str]:
    store = EmbeddedStore(None, BASE)
    ref = store.load_staging("reference", write_nt(reference, tmp_path / "reference.nt"))
    store.swap({ref: REFERENCE_GRAPH})
    path = tmp_path / "cube.nt"
    path.write_text(structure().serialize(format="nt") + cube, encoding="utf-8")
    return store, store.load_staging("dataset", path)


def test_a_broken_observation_deep_in_a_large_cube_is_found(tmp_path: Path):
    areas = 5000  # 20,000 observations
    deep = obs_iri(4321, "2019-02", "bicycle-theft")
    cube = cube_text(areas, lambda iri: '"3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' if iri == deep else f'"2"^^<{INTEGER}>')
    reference = reference_data()
    reference.parse(data=reference_text(areas), format="nt")
    store, staging = stage(tmp_path, cube, reference)
    try:
        problems = validate_release(store, staging, [REFERENCE_GRAPH], BASE)
    finally:
        store.close()
    assert [(p.code, p.focus) for p in problems] == [("OBS-VALUE", deep)]
    assert "3.5" in problems[0].message and problems[0].shape.endswith("/def/shapes/obs-value")


def _breakages(areas: int) -> str:
    """Several kinds of breakage of the generated cube, as SPARQL Update."""
    o = [f"<{obs_iri(a, '2019-01', 'burglary')}>" for a in range(areas)]
    ds = f"<{BASE}/data/street-crime>"
    return ";\n".join([
        f"DELETE {{ {o[1]} <{VALUE}> ?v }} INSERT {{ {o[1]} <{VALUE}> -4 }} WHERE {{ {o[1]} <{VALUE}> ?v }}",  # OBS-VALUE
        f"INSERT DATA {{ {o[2]} <{VALUE}> 9 }}",  # two counts: OBS-VALUE
        f"DELETE {{ {o[3]} <{DIM}refArea> ?v }} INSERT {{ {o[3]} <{DIM}refArea> <{BASE}/id/lsoa/E99999999> }} "
        f"WHERE {{ {o[3]} <{DIM}refArea> ?v }}",  # DIM-AREA
        f"DELETE {{ {o[4]} <{CRIME}crimeType> ?v }} INSERT {{ {o[4]} <{CRIME}crimeType> <{CRIME}crime-type/jaywalking> }} "
        f"WHERE {{ {o[4]} <{CRIME}crimeType> ?v }}",  # IC-19
        f"DELETE WHERE {{ {o[5]} <{QB}dataSet> ?d }}",  # IC-1 (and out of every data set)
        f"DELETE WHERE {{ {o[6]} <{CRIME}reportingForce> ?f }}",  # IC-11
        f"DELETE WHERE {{ {o[7]} <{CRIME}crimeType> ?t }}",  # IC-11, and IC-12 with its bicycle-theft twin
        f"INSERT {{ <{BASE}/data/street-crime/copy> ?p ?o }} WHERE {{ {o[8]} ?p ?o }}",  # IC-12
        f"DELETE {{ {o[9]} <{DIM}refPeriod> ?v }} INSERT {{ {o[9]} <{DIM}refPeriod> <{BASE}/id/month/2019-13> }} "
        f"WHERE {{ {o[9]} <{DIM}refPeriod> ?v }}",  # DIM-PERIOD
        f"INSERT DATA {{ {o[10]} <{QB}dataSet> <{BASE}/data/nowhere> }}",  # IC-1: two data sets
        f"DELETE {{ {o[11]} <{VALUE}> ?v }} INSERT {{ {o[11]} <{VALUE}> \"many\" }} WHERE {{ {o[11]} <{VALUE}> ?v }}",
        f"INSERT DATA {{ {ds} <{QB}structure> <{BASE}/data/street-crime/structure> }}",  # nothing: the same
    ])


def test_the_release_check_finds_what_plain_pyshacl_finds(tmp_path: Path):
    areas = 14
    cube = Graph()
    cube.parse(data=cube_text(areas, lambda iri: f'"1"^^<{INTEGER}>'), format="nt")
    cube += structure()
    cube.update(_breakages(areas))
    reference = reference_data()
    reference.parse(data=reference_text(areas), format="nt")

    expected = {(p.code, p.focus) for p in validate_graph(cube + reference, BASE)}
    normal = normalise_graph(cube + reference) - reference  # staged in normal form, as a release is
    store, staging = stage(tmp_path, normal.serialize(format="nt"), reference)
    try:
        found = {(p.code, p.focus) for p in validate_release(store, staging, [REFERENCE_GRAPH], BASE, chunk_size=3)}
    finally:
        store.close()
    assert {code for code, _ in expected} >= {"OBS-VALUE", "DIM-AREA", "DIM-PERIOD", "IC-1", "IC-11", "IC-12", "IC-19"}
    assert found == expected
