"""Query workers bound their memory and die with the server.

- The issue's query (a sort of a cross product) on a small store with a small memory limit:
  answered 503 `query_too_large` in the one error shape, its worker replaced, while the other
  worker keeps answering.
- `linkeddata serve` killed with SIGKILL while a worker runs a runaway query: the worker goes too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from .conftest import BASE, GRAPH
from .live import free_port

HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 10"  # the query
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { ?s ?p ?o }"
LIMIT_MB = 512  # a worker needs about 130 MB of data before its first query


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 triples: the cross product is 9 million rows, more than 512 MB to sort."""
    root = tmp_path_factory.mktemp("workers")
    graph = Graph()
    for i in range(3000):
        graph.add((URIRef(f"{BASE}/id/thing/{i}"), URIRef(f"{BASE}/def/p"), Literal(i)))
    data = root / "release.nt"
    graph.serialize(data, format="nt", encoding="utf-8")
    store = EmbeddedStore(root / "store", BASE)
    store.swap({store.load_staging("test", data): GRAPH})
    store.close()
    return root / "store"


@pytest.fixture(scope="module")
def client(disk_store: Path) -> Iterator[TestClient]:
    settings = Settings(base_uri=BASE, query_timeout=60, query_workers=2, query_worker_memory_mb=LIMIT_MB)
    store = EmbeddedStore(disk_store, BASE, read_only=True)
    with TestClient(create_app(store, settings), raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_a_query_past_the_memory_limit_is_stopped_with_a_503_and_others_answer(client):
    assert client.get("/sparql", params={"query": CHEAP}).json()["boolean"] is True
    cheap: list[int] = []

    def ask_meanwhile() -> None:
        for i in range(5):
            cheap.append(client.get("/sparql", params={"query": f"{CHEAP} # {i}"}).status_code)

    thread = threading.Thread(target=ask_meanwhile)
    started = time.monotonic()
    thread.start()
    response = client.get("/sparql", params={"query": HUNGRY})
    thread.join()
    assert response.status_code == 503, response.text
    assert response.json() == {"error": {
        "status": 503, "code": "query_too_large", "message": response.json()["error"]["message"],
    }}
    assert f"{LIMIT_MB} MB" in response.json()["error"]["message"]
    assert time.monotonic() - started < 30  # stopped by memory, long before the time limit
    assert cheap == [200] * 5
    # The worker was replaced: both answer again, the hungry query as often as asked.
    for i in range(3):
        assert client.get("/sparql", params={"query": f"{CHEAP} # after {i}"}).json()["boolean"] is True
    assert client.get("/sparql", params={"query": HUNGRY + " # again"}).status_code == 503


def test_the_memory_limit_is_a_setting_with_a_safe_default():
    settings = Settings()
    assert settings.query_worker_memory_mb * settings.query_workers <= 12 * 1024  # half of 24 GB
    with pytest.raises(Exception, match="query_worker_memory_mb"):
        Settings(query_worker_memory_mb=-1)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_when_the_server_is_killed(disk_store):
    port = free_port()
    linkeddata = Path(sys.executable).parent / "linkeddata"
    env = {**os.environ, "LINKEDDATA_QUERY_WORKERS": "2", "LINKEDDATA_QUERY_TIMEOUT": "120"}
    server = subprocess.Popen(
        [str(linkeddata), "serve", "--store", str(disk_store), "--port", str(port), "--base", BASE],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        root = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{root}/sparql", params={"query": CHEAP}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        def runaway() -> None:
            try:
                httpx.get(f"{root}/sparql", params={"query": RUNAWAY}, timeout=10)
            except httpx.HTTPError:
                pass  # the server is killed under it

        threading.Thread(target=runaway, daemon=True).start()
        time.sleep(1.5)  # the runaway query is running in a worker now
        workers = _children(server.pid)
        assert len(workers) >= 2, workers
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for pid in left:  # clean up before failing, so no runaway outlives the test
        os.kill(pid, signal.SIGKILL)
    assert left == []
