"""Time limits that hold, and the answer cache: on the bundled store, through a real server.

The embedded store on disk answers queries in worker processes; a query past the limit has its
worker killed. These tests run a cross product over the cube with a 2 s limit and check that it
is stopped at the limit, that other queries are answered meanwhile, and that the endpoint goes
on answering afterwards.
"""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from linkeddata.settings import Settings
from linkeddata.store import open_store
from linkeddata.web.app import create_app

from .conftest import BASE
from .live import serving

LIMIT = 2.0
# How late a stopped query may answer: generous for a busy 2-core machine (a loaded run measured
# 3.28 s), yet far below what RUNAWAY takes unstopped (minutes on the bundled store), so a limit
# that does not hold still fails.
MARGIN = 3.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = f"ASK {{ <{BASE}/id/month/2019-01> ?p ?o }}"


@pytest.fixture(scope="module")
def server(bundled_store):
    settings = Settings(base_uri=BASE, query_timeout=LIMIT, query_workers=3)
    with open_store(bundled_store, BASE, read_only=True) as store:
        app = create_app(store, settings)
        with serving(app) as root:
            # Warm the workers up: the first query of each waits for it to start.
            with httpx.Client(timeout=30) as client:
                for _ in range(3):
                    client.get(f"{root}/sparql", params={"query": CHEAP})
            yield root


def test_a_runaway_query_is_stopped_at_the_limit_while_others_are_answered(server):
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(timeout=30) as client:
            response = client.get(f"{server}/sparql", params={"query": RUNAWAY})
        outcome["runaway"] = (response, time.monotonic() - started)
        outcome["runaway_done"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway query is running now
    cheap_times = []
    with httpx.Client(timeout=30) as client:
        for i in range(3):
            started = time.monotonic()
            # A new query each time, so the answer cache cannot help.
            response = client.get(f"{server}/sparql", params={"query": CHEAP + f" # {i}"})
            cheap_times.append(time.monotonic() - started)
            assert response.json()["boolean"] is True
    cheap_done = time.monotonic()
    thread.join()
    response, elapsed = outcome["runaway"]
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "query_stopped"
    assert "2 seconds" in error["message"]
    assert LIMIT - 0.1 <= elapsed <= LIMIT + MARGIN, elapsed
    # Answered while the runaway ran, not queued behind it.
    assert cheap_done < outcome["runaway_done"], (cheap_times, elapsed)
    assert max(cheap_times) < LIMIT / 2, cheap_times
    # The worker that was killed has been replaced: the endpoint goes on answering.
    with httpx.Client(timeout=30) as client:
        assert client.get(f"{server}/sparql", params={"query": CHEAP + " # after"}).json()["boolean"] is True


def test_two_runaway_queries_do_not_queue_behind_each_other(server):
    times: list[float] = []

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(timeout=30) as client:
            assert client.get(f"{server}/sparql", params={"query": RUNAWAY + " # two"}).status_code == 503
        times.append(time.monotonic() - started)

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert max(times) <= LIMIT + MARGIN, times


def test_a_repeated_query_is_answered_from_the_cache_in_under_a_millisecond(server):
    query = f"SELECT ?p ?o WHERE {{ <{BASE}/id/month/2019-01> ?p ?o }}"
    with httpx.Client(timeout=30) as client:
        first = client.get(f"{server}/sparql", params={"query": query})
        assert first.headers["server-timing"].startswith("query;")
        durations = []
        for _ in range(20):
            again = client.get(f"{server}/sparql", params={"query": query})
            assert again.content == first.content
            timing = again.headers["server-timing"]
            assert timing.startswith("cache;desc=hit;")
            durations.append(float(re.search(r"dur=([0-9.]+)", timing).group(1)))
        assert sorted(durations)[len(durations) // 2] < 1.0, durations  # milliseconds, in the handler
        revalidated = client.get(f"{server}/sparql", params={"query": query}, headers={"If-None-Match": first.headers["etag"]})
        assert revalidated.status_code == 304
