"""`compact` merges the files that release after release of bulk loads leave in the embedded
store (each monthly publish adds its own), without changing what readers see."""

from __future__ import annotations

from pathlib import Path

from linkeddata.store.embedded import EmbeddedStore

BASE = "http://localhost:8000"


def _sst_files(root: Path) -> int:
    release = (root / "CURRENT").read_text().strip()
    return len(list((root / "releases" / release).glob("*.sst")))


def _triples(store: EmbeddedStore) -> set[tuple[str, str, str, str]]:
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {(str(r["g"]), str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def test_compact_merges_the_files_of_many_loads_and_keeps_every_triple(tmp_path):
    root = tmp_path / "store"
    store = EmbeddedStore(root, BASE)
    for month in range(6):  # six publishes, one graph each, as months are added
        data = tmp_path / f"m{month}.nt"
        data.write_text("".join(f"<{BASE}/id/c{month}-{i}> <{BASE}/def/p> \"{i}\" .\n" for i in range(200)),
                        encoding="utf-8")
        store.swap({store.load_staging(f"dataset/x/{month}", data): f"{BASE}/graph/dataset/x/{month}"})
    before, files_before, version = _triples(store), _sst_files(root), store.version()
    assert len(before) == 6 * 200
    assert files_before >= 6  # at least one file per load, never merged by the publishes

    assert store.compact() == 0  # no hidden graph to remove; the files are compacted all the same
    assert store.version() != version  # a new release
    assert _triples(store) == before
    assert _sst_files(root) < files_before
    store.close()
