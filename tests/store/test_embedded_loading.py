"""The embedded store loads a large graph in blocks of lines (bounded memory), and loads whole
any graph with blank nodes, whose labels hold only within one load."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from linkeddata.errors import StoreError
from linkeddata.store import embedded
from linkeddata.store.embedded import EmbeddedStore

from shared import assert_isomorphic

BASE = "http://localhost:8000"


def lines(n: int) -> str:
    return "".join(f'<{BASE}/id/thing/{i}> <{BASE}/def/p> "value {i}" .\n' for i in range(n))


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "LOAD_BLOCK", 1000)  # about 15 lines a block


def published(store: EmbeddedStore, tmp_path: Path, text: str) -> Graph:
    path = tmp_path / "g.nt"
    path.write_text(text, encoding="utf-8")
    store.swap({store.load_staging("g", path): f"{BASE}/graph/g"})
    return Graph().parse(data=b"".join(store.dump(f"{BASE}/graph/g")).decode(), format="nt")


def test_a_graph_larger_than_a_block_arrives_whole(small_blocks, tmp_path: Path) -> None:
    text = lines(500)
    with EmbeddedStore(tmp_path / "store", BASE) as store:
        got = published(store, tmp_path, text)
        rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}/graph/g> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == 500
    assert_isomorphic(got, Graph().parse(data=text, format="nt"))


def test_blank_nodes_stay_one_node_across_what_would_be_blocks(small_blocks, tmp_path: Path) -> None:
    # The same label at both ends of a file many blocks long: split, it would be two nodes.
    text = f"<{BASE}/id/a> <{BASE}/def/p> _:shared .\n" + lines(300) + f'_:shared <{BASE}/def/q> "end" .\n'
    with EmbeddedStore(tmp_path / "store", BASE) as store:
        got = published(store, tmp_path, text)
        rows = store.select(f"SELECT ?o WHERE {{ <{BASE}/id/a> <{BASE}/def/p> ?b . ?b <{BASE}/def/q> ?o }}")
    assert [str(r["o"]) for r in rows] == ["end"]
    assert_isomorphic(got, Graph().parse(data=text, format="nt"))


def test_a_bad_line_in_a_later_block_fails_the_load_and_leaves_nothing_of_it(small_blocks, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text(lines(200) + "<not an iri> <x> <y> .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "store", BASE) as store:
        good = tmp_path / "good.nt"
        good.write_text(lines(3), encoding="utf-8")
        kept = store.load_staging("good", good)
        with pytest.raises(StoreError, match=r"graph .*/graph/bad failed: Parser error at line 201 .*Invalid IRI"):
            store.load_staging("bad", bad)
        # The blocks loaded before the bad one are not in the release being made.
        rows = store.query_staging("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", [kept, f"{BASE}/graph/bad"])
        assert int(rows.rows[0]["n"]) == 3
        store.swap({kept: f"{BASE}/graph/good"})
        assert store.graphs() == [f"{BASE}/graph/good"]
