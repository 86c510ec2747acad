"""Writes cost what they touch (issue 11, item 6): on the embedded store a SPARQL Update (the
Graph Store Protocol's writes are updates too) starts from a checkpoint of the served release
and dumps only the graphs the parsed update names; an update with a graph variable, ALL or
NAMED may touch any graph, so every graph is dumped, and it still works."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.store.embedded import EmbeddedStore, graphs_written

BASE = "http://example.org"
G = f"{BASE}/graph/"


def kept(store: EmbeddedStore) -> dict[str, tuple[str, int, int]]:
    """Each published graph's kept N-Triples file: its name, inode and modification time."""
    out = {}
    for graph, name in store._release().manifest.items():
        stat = (store._root / "graphs" / name).stat()
        out[graph] = (name, stat.st_ino, stat.st_mtime_ns)
    return out


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    opened = EmbeddedStore(tmp_path / "store", BASE)
    staged = {}
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.nt"
        path.write_text("".join(f'<{BASE}/id/{name}/{i}> <{BASE}/def/v> "{i}" .\n' for i in range(200)), encoding="utf-8")
        staged[opened.load_staging(name, path)] = G + name
    opened.swap(staged)
    dumped: list[str] = []
    keep = EmbeddedStore._keep

    def counting(self: EmbeddedStore, path: Path) -> str:
        dumped.append(path.name)
        return keep(self, path)

    monkeypatch.setattr(EmbeddedStore, "_keep", counting)
    opened.dumped = dumped  # type: ignore[attr-defined]
    yield opened
    opened.close()


def test_an_update_naming_one_graph_leaves_the_others_kept_files_untouched(store: EmbeddedStore) -> None:
    before = kept(store)
    version = store.version()
    store.update(f'INSERT DATA {{ GRAPH <{G}a> {{ <{BASE}/id/a/new> <{BASE}/def/v> "new" }} }}')
    after = kept(store)
    assert store.version() != version
    assert len(store.dumped) == 1  # type: ignore[attr-defined]  # only `a` was dumped
    assert after[G + "a"][0] != before[G + "a"][0]
    assert after[G + "b"] == before[G + "b"] and after[G + "c"] == before[G + "c"]  # same file, not rewritten
    assert store.select(f"SELECT ?v WHERE {{ GRAPH <{G}a> {{ <{BASE}/id/a/new> ?p ?v }} }}")[0]["v"].value == "new"
    assert b"/id/a/new>" in b"".join(store.dump(G + "a"))
    # WITH, DELETE/INSERT WHERE and a Graph Store PUT's spelling (DROP + INSERT DATA) alike
    store.dumped.clear()  # type: ignore[attr-defined]
    store.update(f'WITH <{G}b> DELETE {{ ?s ?p "1" }} WHERE {{ ?s ?p "1" }}')
    store.update(f'DROP SILENT GRAPH <{G}c> ; INSERT DATA {{ GRAPH <{G}c> {{ <{BASE}/id/c/x> <{BASE}/def/v> "x" }} }}')
    assert len(store.dumped) == 2  # type: ignore[attr-defined]
    assert kept(store)[G + "a"] == after[G + "a"]
    assert store.select(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}c> {{ ?s ?p ?o }} }}')[0]["n"].value == 1


def lines(store: EmbeddedStore, graph: str) -> set[bytes]:
    return set(b"".join(store.dump(graph)).splitlines())


def test_an_update_with_a_graph_variable_dumps_every_graph_and_works(store: EmbeddedStore) -> None:
    before = kept(store)
    original = {name: lines(store, G + name) for name in "abc"}
    store.update(f'INSERT {{ GRAPH ?g {{ <{BASE}/id/marker> <{BASE}/def/v> "m" }} }} '
                 f'WHERE {{ GRAPH ?g {{ ?s ?p "7" }} FILTER(?g != <{G}c>) }}')
    assert len(store.dumped) == 3  # type: ignore[attr-defined]  # it could have written anywhere
    marked = {str(r["g"]) for r in store.select(f'SELECT ?g WHERE {{ GRAPH ?g {{ <{BASE}/id/marker> ?p ?o }} }}')}
    assert marked == {G + "a", G + "b"}
    after = kept(store)
    assert lines(store, G + "c") == original["c"]  # dumped again (in the store's order): the same triples
    assert after[G + "a"][0] != before[G + "a"][0]
    for graph in (G + "a", G + "b"):
        assert b"/id/marker>" in b"".join(store.dump(graph))
    store.dumped.clear()  # type: ignore[attr-defined]
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}/id/marker> ?p ?o }} }}")
    assert len(store.dumped) == 3  # type: ignore[attr-defined]
    assert {name: lines(store, G + name) for name in "abc"} == original
    store.update("CLEAR ALL")  # every graph left empty is no longer published
    assert store.graphs() == [] and store.select("SELECT * WHERE { ?s ?p ?o }") == []


@pytest.mark.parametrize("update", ["DROP ALL", "DROP NAMED", "CLEAR NAMED"])
def test_an_update_emptying_every_graph_unpublishes_them(store: EmbeddedStore, update: str) -> None:
    store.update(update)
    assert store.graphs() == []
    with pytest.raises(Exception):
        b"".join(store.dump(G + "a"))


@pytest.mark.parametrize(("update", "graphs"), [
    (f'INSERT DATA {{ GRAPH <{G}a> {{ <x:s> <x:p> "o" }} }}', {G + "a"}),
    (f'WITH <{G}a> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p "n" }} WHERE {{ ?s ?p ?o }}', {G + "a"}),
    (f"DROP GRAPH <{G}a> ; COPY <{G}b> TO <{G}c>", {G + "a", G + "b", G + "c"}),
    (f"LOAD <http://example.org/x.ttl> INTO GRAPH <{G}a>", {G + "a"}),
    (f'PREFIX ex: <http://example.org/def/> WITH <{G}a> DELETE {{ ?s ex:p ?o }} WHERE {{ ?s ex:p ?o '
     f'FILTER(<http://www.w3.org/2001/XMLSchema#integer>(?o) > 1) }}', {G + "a"}),  # a prefix and a function are no graphs
    (f'INSERT {{ GRAPH ?g {{ <x:s> <x:p> "o" }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}', None),
    ("CLEAR ALL", None),
    ("DROP NAMED", None),
    ('INSERT DATA { <x:s> <x:p> "o" }', set()),  # the default graph: refused by update() itself
])
def test_graphs_written_reads_the_parsed_update(update: str, graphs: set[str] | None) -> None:
    assert graphs_written(update, G) == graphs
