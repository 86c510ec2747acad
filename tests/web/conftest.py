"""A small in-memory store holding the street-crime sample and hand-written reference data,
published the way the pipeline publishes (staging graph, then swap), and the real app on it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

BASE = "http://localhost:8000"
HERE = Path(__file__).parent
DATA = HERE.parent / "data" / "street-crime-expected.ttl"
REFERENCE = HERE / "reference.ttl"
GRAPH = f"{BASE}/graph/test"


def expected_graph() -> Graph:
    graph = Graph()
    graph.parse(DATA, format="turtle")
    graph.parse(REFERENCE, format="turtle")
    return graph


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    path = tmp_path_factory.mktemp("web") / "release.nt"
    expected_graph().serialize(path, format="nt", encoding="utf-8")
    the_store = EmbeddedStore(None, BASE)
    # Staged as "test": the store may stage under the published name, and then swap checks it.
    staging = the_store.load_staging("test", path)
    the_store.swap({staging: GRAPH})
    yield the_store
    the_store.close()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(base_uri=BASE)


@pytest.fixture(scope="session")
def client(store: EmbeddedStore, settings: Settings) -> Iterator[TestClient]:
    # raise_server_exceptions off: a 500 must reach the test as the response a client sees.
    with TestClient(create_app(store, settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def street_crime_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The street-crime mapping's bundled police.uk extracts, published by the CLI (one dataset:
    quicker than every mapping, and independent of the others' data)."""
    from linkeddata.cli import main

    path = tmp_path_factory.mktemp("street-crime") / "store"
    assert main(["build", "--store", str(path), "street-crime"]) == 0
    the_store = EmbeddedStore(path, BASE, read_only=True)
    yield the_store
    the_store.close()


@pytest.fixture(scope="session")
def street_crime(street_crime_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(street_crime_store, Settings(base_uri=BASE)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def bundled(bundled_store: Path) -> Iterator[tuple[TestClient, EmbeddedStore]]:
    """Every bundled dataset, published by the CLI, and the real app on it (client, store)."""
    the_store = EmbeddedStore(bundled_store, BASE, read_only=True)
    with TestClient(create_app(the_store, Settings(base_uri=BASE)), raise_server_exceptions=False) as c:
        yield c, the_store
    the_store.close()
