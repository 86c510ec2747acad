"""Test cubes and the two ways to validate them: one graph, or a release in a real store."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest
from rdflib import Graph

from linkeddata.errors import Problem
from linkeddata.namespaces import all_prefixes, load_shipped_turtle, ontology_files
from linkeddata.settings import resource_dir
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.validate import validate_graph, validate_release
from linkeddata.validate.normalise import normalise_graph

BASE = "http://localhost:8000"
HERE = Path(__file__).parent
REFERENCE_GRAPH = BASE + "/graph/reference"
PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in all_prefixes(BASE).items()) + (
    f"PREFIX ct: <{BASE}/def/crime/crime-type/>\nPREFIX sc: <{BASE}/data/street-crime/>\n"
    f"PREFIX ar: <{BASE}/data/arrests/>\nPREFIX test: <{BASE}/def/test/>\nBASE <{BASE}/>\n"
)

Validator = Callable[[Graph, Graph], list[Problem]]


def load(name: str) -> Graph:
    return load_shipped_turtle(HERE / name, BASE)


# The shipped vocabularies the test cubes use; the SDMX code, concept and attribute files
# are left out only to keep the tests fast (nothing in the cubes needs them).
VOCABULARY = ("cube.ttl", "sdmx-dimension.ttl", "sdmx-measure.ttl")


@lru_cache(maxsize=1)
def _vocabulary() -> Graph:
    graph = Graph()
    external = resource_dir("ontology") / "external"
    for path in [*ontology_files(), *(external / name for name in VOCABULARY)]:
        graph += load_shipped_turtle(path, BASE)
    return graph


def reference_data() -> Graph:
    """The reference items of tests/validate/reference.ttl and the shipped vocabularies."""
    return load("reference.ttl") + _vocabulary()


def update(graph: Graph, sparql: str) -> Graph:
    graph.update(PREFIXES + sparql)
    return graph


def write_nt(graph: Graph, path: Path) -> Path:
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def release_store(cube: Graph, reference: Graph, folder: Path) -> tuple[EmbeddedStore, str]:
    """A real in-memory store with the reference data published and `cube` staged."""
    store = EmbeddedStore(None, BASE)
    ref = store.load_staging("reference", write_nt(reference, folder / "reference.nt"))
    store.swap({ref: REFERENCE_GRAPH})
    # staged in the Data Cube's normal form, as validate_release expects (the types of the
    # component properties may be in the reference graph)
    normal = normalise_graph(cube + reference) - reference
    return store, store.load_staging("dataset", write_nt(normal, folder / "cube.nt"))


@pytest.fixture(params=["graph", "release"])
def validate(request: pytest.FixtureRequest, tmp_path: Path) -> Validator:
    """Each broken cube goes through both paths, which must agree on the codes."""

    def by_graph(cube: Graph, reference: Graph) -> list[Problem]:
        return validate_graph(cube + reference, BASE)

    def by_release(cube: Graph, reference: Graph) -> list[Problem]:
        store, staging = release_store(cube, reference, tmp_path)
        try:
            return validate_release(store, staging, [REFERENCE_GRAPH], BASE, chunk_size=2)
        finally:
            store.close()

    return by_graph if request.param == "graph" else by_release
