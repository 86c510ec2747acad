"""Validation gives the same problems on every store: each broken cube of the constraint tests
(tests/validate/test_constraints.py), staged in a real server, against the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from linkeddata.errors import Problem
from linkeddata.store.base import Store
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.store.remote import RemoteStore
from linkeddata.validate import validate_release
from validate.conftest import BASE, load, reference_data, update, write_nt
from validate.test_constraints import CUBE_CASES, MEASURE_CASES

# (case id, cube file, which graph the update breaks, the update)
CASES = [("valid cube", "cube.ttl", "cube", ""), ("valid measure dimension cube", "measure-cube.ttl", "cube", "")]
CASES += [(name, "cube.ttl", where, sparql) for name, where, sparql, _ in CUBE_CASES]
CASES += [(name, "measure-cube.ttl", "cube", sparql) for name, sparql, _ in MEASURE_CASES]


def problems_in(store: Store, cube: Graph, reference: Graph, folder: Path) -> list[tuple[str, str, str, str]]:
    """Publish `reference`, stage `cube`, validate; the problems as comparable tuples."""
    live = f"{store.base}/graph/reference"
    store.swap({store.load_staging("reference", write_nt(reference, folder / "reference.nt")): live})
    staging = store.load_staging("dataset", write_nt(cube, folder / "cube.nt"))
    try:
        found = validate_release(store, staging, [live], BASE, chunk_size=2)
    finally:
        store.drop_staging(staging)
    return [_comparable(p) for p in found]


def _comparable(problem: Problem) -> tuple[str, str, str, str]:
    return problem.code, str(problem.focus), problem.message, problem.severity


@pytest.mark.parametrize("name, cube_file, where, sparql", CASES, ids=[c[0] for c in CASES])
def test_a_server_finds_the_problems_the_embedded_store_finds(
    remote: RemoteStore, tmp_path: Path, name: str, cube_file: str, where: str, sparql: str,
    request: pytest.FixtureRequest,
) -> None:
    if name == "observation of two data sets" and request.node.callspec.params.get("remote") == "virtuoso":
        # Known gap (issue 14 follow-up): since validation reads the normalised cube, Virtuoso's
        # extract of this observation gives pySHACL one IC-1 result where pyoxigraph's gives two
        # (one naming the value <data/other>). Both find the problem; the messages differ.
        pytest.xfail("Virtuoso reports one IC-1 for an observation of two data sets, the embedded store two")
    cube, reference = load(cube_file), reference_data()
    if sparql:
        update(cube if where == "cube" else reference, sparql)
    with EmbeddedStore(None, BASE) as embedded:
        expected = problems_in(embedded, cube, reference, tmp_path)
    assert problems_in(remote, cube, reference, tmp_path) == expected
