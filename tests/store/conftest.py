"""Stores for the contract suite: embedded, and real servers started on 127.0.0.1 for the session.

A server that is not installed skips its tests on a developer's machine, and fails them in CI
(when the CI environment variable is set), so CI cannot pass by testing nothing.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from linkeddata.store.base import Store
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.store.remote import RemoteStore
from servers.oxigraph_server import find_oxigraph, start_oxigraph
from servers.process import Server
from servers.virtuoso_server import find_virtuoso, start_virtuoso

IMPLEMENTATIONS = ["embedded", "oxigraph-server", "virtuoso"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _require(binary: str | None, what: str, install: str) -> str:
    if binary is None:
        message = f"{what} is not installed ({install})"
        if _in_ci():
            pytest.fail(f"{message}, and CI is set: the contract must run against every store")
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    binary = _require(find_oxigraph(), "the oxigraph server", "pip install oxigraph")
    server = start_oxigraph(binary, tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    binary = _require(find_virtuoso(), "Virtuoso (virtuoso-t)", "apt-get install virtuoso-opensource")
    server = start_virtuoso(binary, tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def remote_store(server: Server, base: str) -> RemoteStore:
    return RemoteStore(
        base,
        server.query_endpoint,
        server.update_endpoint,
        server.store_endpoint,
        credentials=server.credentials,
        auth="digest" if server.auth == "digest" else "basic",
        # The limit is there to stop a hang (a test fails instead of CI running out), not to
        # time anything: the slowest query of the suite takes a few seconds.
        timeout=120,
    )


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    # A base of its own per test: the servers live for the session, and a store only ever
    # sees the graphs under its base, so tests cannot see each other's releases.
    base = f"http://test-{uuid.uuid4().hex[:12]}.example.org"
    if request.param == "embedded":
        opened: Store = EmbeddedStore(tmp_path / "store", base)
    else:
        fixture = "oxigraph_server" if request.param == "oxigraph-server" else "virtuoso_server"
        opened = remote_store(request.getfixturevalue(fixture), base)
    yield opened
    opened.close()


@pytest.fixture(params=IMPLEMENTATIONS[1:])
def remote(request: pytest.FixtureRequest) -> Iterator[RemoteStore]:
    """Each real server, with a base of its own (as `store` gives)."""
    fixture = "oxigraph_server" if request.param == "oxigraph-server" else "virtuoso_server"
    opened = remote_store(request.getfixturevalue(fixture), f"http://test-{uuid.uuid4().hex[:12]}.example.org")
    yield opened
    opened.close()
