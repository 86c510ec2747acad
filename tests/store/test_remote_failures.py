"""A load that breaks part-way, against real servers: a piece the server fails once is sent
again; a piece it keeps failing or rejects fails the load, drops what was staged, and leaves
the previous release served."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from linkeddata.errors import StoreError
from linkeddata.store.base import STAGING_PREFIX
from linkeddata.store.remote import RemoteStore
from servers.proxy import Failure, FailingProxy

LINES = 1_000  # lines per request here, so a small file makes several pieces
MARKER = b"<http://example.org/id/marked>"


def nt(path: Path, subject: str, n: int, marker: str = "x", extra: str = "") -> Path:
    lines = [f'<http://example.org/id/{subject}/{i}> <http://example.org/def/v> "{marker}" .\n' for i in range(n)]
    lines.insert(n // 2, f'{MARKER.decode()} <http://example.org/def/v> "{marker}" .\n{extra}')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def through(store: RemoteStore, proxy: FailingProxy) -> RemoteStore:
    """The same store reached through the proxy."""
    return RemoteStore(
        store.base, proxy.url(store.query_endpoint), proxy.url(store.update_endpoint),
        proxy.url(store.store_endpoint), credentials=store._credentials, auth=store._auth, chunk_lines=LINES,
        retries=2,
    )


def root(endpoint: str) -> str:
    return "/".join(endpoint.split("/")[:3])


def staged_triples(store: RemoteStore, name: str) -> int:
    """Triples in any staging graph of `name`, asked of the server itself (not through the store)."""
    sparql = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
              f'FILTER (STRSTARTS(STR(?g), "{STAGING_PREFIX}{name}:")) }}')
    answer = httpx.get(store.query_endpoint, params={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def served(store: RemoteStore, live: str) -> tuple[str, set[str]]:
    rows = store.select(f"SELECT DISTINCT ?v WHERE {{ GRAPH <{live}> {{ ?s ?p ?v }} }}")
    return store.version(), {str(r["v"]) for r in rows}


def publish_old(store: RemoteStore, tmp_path: Path, name: str) -> str:
    live = f"{store.base}/graph/{name}"
    store.swap({store.load_staging(name, nt(tmp_path / "old.nt", "old", 10, "old")): live})
    return live


def once_each(failure: Failure, *markers: bytes):
    """Fail the first request carrying each marker, once."""
    pending = set(markers)

    def fails(body: bytes) -> Failure:
        hit = next((m for m in pending if m in body), None)
        if hit is None:
            return None
        pending.discard(hit)
        return failure

    return fails


@pytest.mark.parametrize("failure", ["503", "drop"])
def test_a_piece_that_fails_once_is_sent_again(remote: RemoteStore, tmp_path: Path, failure: Failure) -> None:
    name = f"retried-{uuid.uuid4().hex[:8]}"
    path = nt(tmp_path / "new.nt", "new", 3 * LINES)
    with FailingProxy(root(remote.store_endpoint), once_each(failure, MARKER, b"/new/2999>")) as proxy:
        store = through(remote, proxy)
        live = f"{store.base}/graph/{name}"
        store.swap({store.load_staging(name, path): live})
        assert proxy.failed == 2
    count = remote.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{live}> {{ ?s ?p ?o }} }}")
    assert int(count[0]["n"]) == 3 * LINES + 1  # type: ignore[call-overload]


def test_a_piece_that_keeps_failing_leaves_the_previous_release_served(remote: RemoteStore, tmp_path: Path) -> None:
    name = f"failing-{uuid.uuid4().hex[:8]}"
    live = publish_old(remote, tmp_path, name)
    before = served(remote, live)
    with FailingProxy(root(remote.store_endpoint), lambda body: "503" if MARKER in body else None) as proxy:
        store = through(remote, proxy)
        with pytest.raises(StoreError, match=r"new\.nt lines 1001-2000 .*HTTP 503"):
            store.load_staging(name, nt(tmp_path / "new.nt", "new", 3 * LINES, "new"))
        assert proxy.failed == 3  # the first try and two retries
    assert served(remote, live) == before
    assert staged_triples(remote, name) == 0  # the pieces sent before it were dropped


def test_a_piece_the_server_rejects_fails_the_load_and_leaves_nothing(remote: RemoteStore, tmp_path: Path) -> None:
    name = f"rejected-{uuid.uuid4().hex[:8]}"
    live = publish_old(remote, tmp_path, name)
    before = served(remote, live)
    bad = '<http://example.org/id/a b> <http://example.org/def/v> "an IRI with a space" .\n'
    store = RemoteStore(
        remote.base, remote.query_endpoint, remote.update_endpoint, remote.store_endpoint,
        credentials=remote._credentials, auth=remote._auth, chunk_lines=LINES,
    )
    with pytest.raises(StoreError, match=r"new\.nt lines 1001-2000"):
        store.load_staging(name, nt(tmp_path / "new.nt", "new", 3 * LINES, "new", extra=bad))
    assert served(remote, live) == before
    assert staged_triples(remote, name) == 0


def test_a_swap_that_fails_changes_nothing(remote: RemoteStore, tmp_path: Path) -> None:
    name = f"swap-{uuid.uuid4().hex[:8]}"
    live = publish_old(remote, tmp_path, name)
    before = served(remote, live)
    with FailingProxy(root(remote.store_endpoint), lambda body: "503" if b"ADD+SILENT" in body else None) as proxy:
        store = through(remote, proxy)
        staging = store.load_staging(name, nt(tmp_path / "new.nt", "new", 10, "new"))
        with pytest.raises(StoreError, match="HTTP 503"):
            store.swap({staging: live})
        assert served(remote, live) == before
        store.drop_staging(staging)
    assert staged_triples(remote, name) == 0


def test_a_swap_that_outlasts_the_write_timeout_says_what_to_do(remote: RemoteStore, tmp_path: Path) -> None:
    name = f"slow-{uuid.uuid4().hex[:8]}"
    live = publish_old(remote, tmp_path, name)
    with FailingProxy(root(remote.store_endpoint), lambda body: "slow" if b"ADD+SILENT" in body else None, delay=3) as proxy:
        store = RemoteStore(
            remote.base, proxy.url(remote.query_endpoint), proxy.url(remote.update_endpoint),
            proxy.url(remote.store_endpoint), credentials=remote._credentials, auth=remote._auth, write_timeout=1,
        )
        staging = store.load_staging(name, nt(tmp_path / "new.nt", "new", 10, "new"))
        with pytest.raises(StoreError) as caught:
            store.swap({staging: live})
    message = str(caught.value)
    assert "did not answer within 1 s" in message and "LINKEDDATA_STORE_WRITE_TIMEOUT" in message
    assert "may still complete" in message  # not "cannot reach": the server has the request
