"""validate_release on a real in-memory store: chunks, cube-wide checks, the problem cap."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from linkeddata.validate import MAX_PROBLEMS, validate_release

from .conftest import BASE, REFERENCE_GRAPH, load, reference_data, release_store, update

# Cut by area (the most even dimension), the four observations fall in chunks as
# [three in E01000914] [no-location].
LAST = "<data/street-crime/no-location/2019-01/burglary/city-of-london>"
FIRST = "<data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london>"


def release(cube: Graph, tmp_path: Path, **options: int) -> list:
    store, staging = release_store(cube, reference_data(), tmp_path)
    try:
        return validate_release(store, staging, [REFERENCE_GRAPH], BASE, **options)
    finally:
        store.close()


def test_a_broken_observation_in_a_later_chunk_is_found(tmp_path: Path):
    cube = update(load("cube.ttl"), f'DELETE {{ {LAST} sdmx-measure:obsValue 2 }} INSERT {{ {LAST} sdmx-measure:obsValue -1 }} WHERE {{}}')
    problems = release(cube, tmp_path, chunk_size=2)
    assert [(p.code, p.focus) for p in problems] == [("OBS-VALUE", f"{BASE}/data/street-crime/no-location/2019-01/burglary/city-of-london")]
    assert "-1" in problems[0].message


def test_a_duplicate_is_found_across_the_whole_cube(tmp_path: Path):
    # IC-12 is not a per-chunk rule: a grouped query on the store checks every observation
    # against every other, whichever chunks they were validated in.
    cube = update(load("cube.ttl"), f"INSERT {{ <data/street-crime/zz-copy> ?p ?o }} WHERE {{ {FIRST} ?p ?o }}")
    problems = release(cube, tmp_path, chunk_size=2)
    assert {p.code for p in problems} == {"IC-12"}
    assert {p.focus for p in problems} == {f"{BASE}/data/street-crime/zz-copy", f"{BASE}/data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london"}
    assert all("has the same value for every dimension" in p.message for p in problems)


def test_every_observation_is_checked_whatever_the_chunk_size(tmp_path: Path):
    cube = update(load("cube.ttl"), "DELETE { ?obs sdmx-measure:obsValue ?v } INSERT { ?obs sdmx-measure:obsValue -5 } WHERE { ?obs sdmx-measure:obsValue ?v }")
    for size in (1, 3, 4, 5000):
        problems = release(cube, tmp_path, chunk_size=size)
        assert [p.code for p in problems] == ["OBS-VALUE"] * 4, size


def test_other_data_sets_in_the_context_are_not_this_releases(tmp_path: Path):
    store, staging = release_store(load("cube.ttl"), reference_data(), tmp_path)
    broken = update(load("measure-cube.ttl"), "DELETE WHERE { <data/arrests> dcterms:title ?t . ?obs sdmx-measure:obsValue ?v }")
    broken.serialize(tmp_path / "other.nt", format="nt", encoding="utf-8")
    other_staging = store.load_staging("other", tmp_path / "other.nt")
    try:
        assert validate_release(store, staging, [REFERENCE_GRAPH, other_staging], BASE, chunk_size=2) == []
    finally:
        store.close()


def test_a_broken_million_row_file_stops_at_the_cap(tmp_path: Path):
    many = "\n".join(
        f"<data/street-crime/bad/{i:04d}> a qb:Observation ; qb:dataSet <data/street-crime> ; sdmx-measure:obsValue -1 ."
        for i in range(MAX_PROBLEMS + 20)
    )
    cube = update(load("cube.ttl"), f"INSERT DATA {{ {many} }}")
    problems = release(cube, tmp_path, chunk_size=50)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].code == "TOO-MANY-PROBLEMS"
    assert str(MAX_PROBLEMS) in problems[-1].message


def test_the_staged_release_is_validated_from_the_store_not_published(tmp_path: Path):
    store, staging = release_store(load("cube.ttl"), reference_data(), tmp_path)
    try:
        assert validate_release(store, staging, [REFERENCE_GRAPH], BASE) == []
        assert not store.ask("ASK { ?obs a <http://purl.org/linked-data/cube#Observation> }")
    finally:
        store.close()
