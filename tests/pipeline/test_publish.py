"""Publishing through the CLI into a real on-disk store: all or nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.cli import main
from linkeddata.store import open_store

from shared import BASE, TEST_DATA

DATASET_GRAPH = f"{BASE}/graph/dataset/street-crime"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://purl.org/linked-data/cube#Observation> }"
TOTAL = "SELECT (SUM(?v) AS ?n) WHERE { ?o <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }"


def scalar(store, query: str) -> int:
    return int(store.select(query)[0]["n"])


def snapshot(path: Path) -> tuple[str, int, int]:
    with open_store(path, BASE) as store:
        return store.version(), scalar(store, COUNT), scalar(store, TOTAL)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A store with the sample (4 rows) published."""
    path = tmp_path_factory.mktemp("store") / "store"
    assert main(["build", "--store", str(path), "street-crime", "--source", str(TEST_DATA / "street-crime-sample.csv")]) == 0
    return path


def test_build_publishes_the_dataset_and_reference_graphs(published):
    with open_store(published, BASE) as store:
        graphs = store.graphs()
        assert DATASET_GRAPH in graphs
        assert f"{BASE}/graph/reference/geography" in graphs
        assert scalar(store, COUNT) == 3 and scalar(store, TOTAL) == 4
        # LSOA -> force area comes from the reference graph: the union default graph joins them.
        rows = store.select(
            "SELECT ?pfa WHERE { ?o <http://purl.org/linked-data/sdmx/2009/dimension#refArea>/"
            "<http://data.ordnancesurvey.co.uk/ontology/spatialrelations/within> ?pfa } LIMIT 1"
        )
        assert str(rows[0]["pfa"]) == f"{BASE}/id/police-force-area/E23000001"


def test_the_same_input_again_changes_nothing(published, capsys):
    before = snapshot(published)
    assert main(["build", "--store", str(published), "street-crime", "--source", str(TEST_DATA / "street-crime-sample.csv")]) == 0
    assert "unchanged" in capsys.readouterr().err
    assert snapshot(published) == before


def test_a_bad_file_publishes_nothing_and_says_where(published, tmp_path, capsys):
    before = snapshot(published)
    bad = tmp_path / "bad.csv"
    text = (TEST_DATA / "street-crime-sample.csv").read_text().replace("Bicycle theft", "Bike theft")
    bad.write_text(text)
    assert main(["build", "--store", str(published), "street-crime", "--source", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3:10 (Crime type): error VALUE-CODE" in err and "nothing was published" in err
    assert snapshot(published) == before


def test_a_new_file_replaces_the_release_and_validate_publishes_nothing(tmp_path):
    path = tmp_path / "store"
    sample = TEST_DATA / "street-crime-sample.csv"
    assert main(["build", "--store", str(path), "street-crime", "--source", str(sample)]) == 0
    lines = sample.read_text().splitlines()
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("\n".join(lines[:2]) + "\n")  # header and one anti-social behaviour row
    assert main(["validate", "street-crime", "--source", str(smaller)]) == 0
    assert snapshot(path)[1:] == (3, 4)
    assert main(["build", "--store", str(path), "street-crime", "--source", str(smaller)]) == 0
    assert snapshot(path)[1:] == (1, 1)


def test_a_failure_during_validation_leaves_no_staging_behind(published, monkeypatch):
    import linkeddata.pipeline as pipeline

    def explode(*args, **kwargs):
        raise RuntimeError("killed mid-validation")

    monkeypatch.setattr(pipeline, "validate_release", explode)
    before = snapshot(published)
    with pytest.raises(RuntimeError):
        main(["build", "--store", str(published), "--force", "street-crime", "--source", str(TEST_DATA / "street-crime-sample.csv")])
    assert snapshot(published) == before
    # The half-made release was thrown away: only the served one is left on disk.
    current = (published / "CURRENT").read_text().strip()
    assert sorted(p.name for p in (published / "releases").iterdir()) == [current, f"{current}.json"]


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["build", "--store", str(tmp_path / "s"), "no-such-mapping"]) == 2
    err = capsys.readouterr().err
    assert "known mappings:" in err and "street-crime" in err
    assert main(["build", "--store", str(tmp_path / "s"), "--source", "x.csv"]) == 2
