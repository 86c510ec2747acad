"""A publish is on disk when swap returns: the graph files it loads from, its manifest, the
release's folder, the CURRENT pointer and the folder holding the pointer are fsynced around
the one rename."""

from __future__ import annotations

import os
from pathlib import Path

from linkeddata.store.embedded import EmbeddedStore

BASE = "http://localhost:8000"


def test_the_release_switch_is_durable(tmp_path, monkeypatch):
    data = tmp_path / "g.nt"
    data.write_text(f"<{BASE}/id/a> <{BASE}/def/p> \"1\" .\n", encoding="utf-8")
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source, target) -> None:
        events.append(("replace", str(target)))
        real_replace(source, target)

    store = EmbeddedStore(tmp_path / "store", BASE)
    staged = store.load_staging("test", data)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.swap({staged: f"{BASE}/graph/test"})
    monkeypatch.undo()
    store.close()

    root = str((tmp_path / "store").resolve())
    current = events.index(("replace", str(tmp_path / "store" / "CURRENT")))  # the store's pointer, not RocksDB's
    before, after = [p for _, p in events[:current]], [p for _, p in events[current + 1:]]
    release = (tmp_path / "store" / "CURRENT").read_text().strip()
    assert before[-1] == f"{root}/CURRENT.next"  # the pointer's content, just before the rename
    assert f"{root}/CURRENT.next" in before  # the pointer's content
    assert f"{root}/releases/{release}.json" in before  # the manifest
    assert any(p.startswith(f"{root}/graphs/") and p.endswith(".nt") for p in before)  # the kept graph
    assert f"{root}/releases/{release}" in before  # the release's entries
    assert f"{root}/releases" in before
    assert root in after  # the rename itself
