"""Publishing through the real pipeline works the same on every store: a good release goes in
with no problems, and a broken cube staged beside it gets the problems it gets on embedded."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from linkeddata.errors import Problem
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.namespaces import QB, SDMX_MEASURE
from linkeddata.pipeline import Publisher
from linkeddata.store.base import Store
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.uris import Minter
from linkeddata.validate import validate_release
from shared import TEST_DATA

OBSERVATIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"


def publish_sample(store: Store) -> list[str]:
    mapping = load_mapping(find_mapping("street-crime"), store.base)
    report = Publisher(store, Minter(store.base)).run([(mapping, [TEST_DATA / "street-crime-sample.csv"])])
    assert [p for p in report.problems if p.severity == "error"] == []
    return report.published


def broken(text: bytes) -> Graph:
    """The published cube with one count negative, one crime type gone and one observation twice."""
    cube = Graph().parse(data=text, format="nt")
    observations = sorted(cube.subjects(QB.dataSet, None))
    first, last = observations[0], observations[-1]
    cube.set((first, SDMX_MEASURE.obsValue, Literal(-1)))
    crime_type = next(p for p in cube.predicates(last) if str(p).endswith("/def/crime/crimeType"))
    cube.remove((last, crime_type, None))
    for p, o in list(cube.predicate_objects(observations[1])):
        cube.add((URIRef(f"{observations[1]}-copy"), p, o))
    return cube


def problems_of(store: Store, cube: Path, published: list[str]) -> list[tuple[str, str, str]]:
    staging = store.load_staging("dataset/street-crime", cube)
    context = [g for g in published if "/dataset/street-crime" not in g]
    try:
        found = validate_release(store, staging, context, store.base)
    finally:
        store.drop_staging(staging)
    return sorted(_comparable(p, store.base) for p in found)


def _comparable(problem: Problem, base: str) -> tuple[str, str, str]:
    return problem.code, str(problem.focus).replace(base, "{base}"), problem.message.replace(base, "{base}")


def broken_release(store: Store, folder: Path) -> list[tuple[str, str, str]]:
    """Publish the sample, then stage a broken copy of its cube and validate it."""
    published = publish_sample(store)
    dataset = f"{store.base}/graph/dataset/street-crime"
    assert dataset in published and dataset in store.graphs()
    assert int(store.select(OBSERVATIONS)[0]["n"]) == 3  # type: ignore[call-overload]
    cube = folder / "broken.nt"
    # The dataset's own graph and its month's (street crime is partitioned by month), as one cube.
    graphs = [g for g in store.graphs() if g == dataset or g.startswith(dataset + "/")]
    assert len(graphs) == 2
    broken(b"".join(chunk for g in graphs for chunk in store.dump(g))).serialize(cube, format="nt", encoding="utf-8")
    return problems_of(store, cube, published)


@pytest.fixture(scope="module")
def on_embedded(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    with EmbeddedStore(None, "http://embedded.example.org") as embedded:
        return broken_release(embedded, tmp_path_factory.mktemp("embedded"))


def test_the_pipeline_publishes_and_validates_alike_on_every_store(
    store: Store, tmp_path: Path, on_embedded: list[tuple[str, str, str]]
) -> None:
    assert {code for code, _, _ in on_embedded} == {"OBS-VALUE", "IC-11", "IC-12"}
    assert broken_release(store, tmp_path) == on_embedded
    # and the broken cube never reached the readers
    assert int(store.select(OBSERVATIONS)[0]["n"]) == 3  # type: ignore[call-overload]
