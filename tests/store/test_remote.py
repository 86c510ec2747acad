"""What only a remote store can get wrong: reaching the server, and reading its answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from linkeddata.errors import QueryError, StoreError
from linkeddata.store.ntchunks import pieces
from linkeddata.store.remote import RemoteStore
from linkeddata.store.remote_results import read_response
from servers.process import free_port


def test_a_server_that_is_not_running_is_a_store_error_naming_the_url(tmp_path: Path) -> None:
    root = f"http://127.0.0.1:{free_port()}"
    store = RemoteStore("http://example.org", f"{root}/query", f"{root}/update", f"{root}/store", retries=1)
    with pytest.raises(StoreError) as caught:
        store.query("ASK {}")
    assert not isinstance(caught.value, QueryError)
    assert f"{root}/query" in str(caught.value) and "running" in str(caught.value)
    path = tmp_path / "x.nt"
    path.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    with pytest.raises(StoreError, match=f"{root}/store"):
        store.load_staging("x", path)


def test_virtuoso_ask_tables_are_booleans() -> None:
    table = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    assert read_response("application/sparql-results+json", table, ask=True).boolean is True
    empty = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}'
    assert read_response("application/sparql-results+json", empty, ask=True).boolean is False


def test_explicit_xsd_string_is_a_plain_literal() -> None:
    body = b'{"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "a", "datatype": "http://www.w3.org/2001/XMLSchema#string"}}]}}'
    term = read_response("application/sparql-results+json", body).rows[0]["o"]
    assert term == Literal("a") and term.datatype is None  # type: ignore[union-attr]


def test_pieces_keep_blank_nodes_together_and_last(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    path.write_text(
        "_:a <http://e/p> <http://e/1> .\n"
        + "".join(f"<http://e/{i}> <http://e/p> <http://e/o> .\n" for i in range(5))
        + "<http://e/9> <http://e/p> _:a ."  # no newline at the end
    )
    got = list(pieces(path, 2))
    assert [(p.first_line, p.lines, p.has_blank_nodes) for p in got] == [(2, 2, False), (4, 2, False), (6, 1, False), (0, 2, True)]
    assert got[-1].body.endswith(b"_:a .\n")
