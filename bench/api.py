"""police.uk API latency: crimes-street within a mile, one month, through the real app, on a built store.

    .venv/bin/python bench/api.py [--store var/store] [--base http://localhost:8000] [--points 200] [--rounds 5]

For the national-month case, build a store from bench/national.py's month first:

    .venv/bin/python bench/national.py 2024-01 /tmp/national
    .venv/bin/linkeddata build --store /tmp/national/store street-crime \\
        $(for f in /tmp/national/2024-01/*.csv; do printf -- '--source %s ' $f; done)
    .venv/bin/python bench/api.py --store /tmp/national/store

Builds the release's API index first (timed apart: it is built once per release, when the release
is served; then again as the next release would, from the partitions' kept rows), then asks
/api/crimes-street/all-crime?lat=&lng= at `--points` places drawn from the crimes' own points
(so every answer has crimes, the busiest places included), `--rounds` times each, and prints the
median (p50), 99th percentile and slowest, for the whole HTTP answer, with the number of crimes
per answer; then the same for a square around a busy point holding 5,000 crimes or more (a city
centre's mile). Run by hand; on a shared machine its numbers are upper bounds.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app
from linkeddata.web.policeuk.index import INDEX, connection


def opened(description: str) -> tuple[argparse.Namespace, EmbeddedStore, sqlite3.Connection, float]:
    """The command line, its store, and the release's API index with the seconds it took to open (or build)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--base", default="http://localhost:8000")
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    store = EmbeddedStore(Path(args.store), args.base, read_only=True)
    started = time.perf_counter()
    conn = connection(store, args.base)
    return args, store, conn, time.perf_counter() - started


def main() -> None:
    args, store, conn, seconds = opened(__doc__)
    (crimes,) = conn.execute("SELECT count(*) FROM crime").fetchone()
    print(f"index: {crimes:,} crimes, built or opened in {seconds:.2f} s")
    # The next release's build, when its partitions are all known: it copies their kept rows.
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        INDEX.build(store, args.base, Path(scratch) / "next.sqlite")
        print(f"index rebuilt from the kept partitions in {time.perf_counter() - started:.2f} s")
    (month,) = conn.execute("SELECT max(month) FROM crime").fetchone()
    places = conn.execute("SELECT lat, lng FROM place WHERE month = ?", (month,)).fetchall()
    rng = random.Random(7)
    points = rng.sample(places, min(args.points, len(places)))
    settings = Settings(base_uri=args.base, api_rate_limit=0)
    app = create_app(store, settings)
    with TestClient(app) as client:
        app.state.warmer.done.wait(600)  # the pages' per-release facts, computed at start: not timed
        within_a_mile(client, "/api/crimes-street/all-crime", month, points, args.rounds, "crimes")
        # A city centre holds more crimes within a mile than the generated month's points do: time
        # a square around a busy point, grown until it holds 5,000 crimes, as the dense case.
        lat, lng = max(points, key=lambda p: conn.execute(
            "SELECT count(*) FROM place p JOIN crime c ON c.location_id = p.location_id AND c.month = p.month "
            "WHERE p.lat = ? AND p.lng = ?", p).fetchone()[0])
        half, answer = 0.01, []
        while len(answer) < 5000 and half < 1:
            half *= 1.5
            poly = f"{lat - half},{lng - half}:{lat + half},{lng - half}:{lat + half},{lng + half}:{lat - half},{lng + half}"
            answer = client.get("/api/crimes-street/all-crime", params={"poly": poly, "date": month}).json()
        times = []
        for _ in range(args.rounds * 4):
            t = time.perf_counter()
            client.get("/api/crimes-street/all-crime", params={"poly": poly, "date": month})
            times.append((time.perf_counter() - t) * 1000)
        report(f"crimes-street {month}, a square of {len(answer):,} crimes x {len(times)}", times)
    store.close()


def within_a_mile(client: TestClient, path: str, month: str, points: list[tuple[float, float]], rounds: int,
                  what: str) -> None:
    """Time `path?lat=&lng=&date=` at each point, `rounds` times; print the times and answer sizes."""
    times, sizes = [], []
    for _ in range(rounds):
        for lat, lng in points:
            t = time.perf_counter()
            answer = client.get(path, params={"lat": lat, "lng": lng, "date": month})
            times.append((time.perf_counter() - t) * 1000)
            assert answer.status_code == 200, answer.text
            sizes.append(len(answer.json()))
    report(f"{path.split('/')[2]} {month}, 1 mile, {len(points)} places x {rounds}", times)
    print(f"{what} per answer: median {statistics.median(sizes):.0f}, max {max(sizes)}")


def report(what: str, times: list[float]) -> None:
    times.sort()
    p99 = times[max(0, int(len(times) * 0.99) - 1)]
    print(f"{what}: n={len(times)}  p50 {statistics.median(times):6.2f} ms  p99 {p99:6.2f} ms  max {times[-1]:6.2f} ms")


if __name__ == "__main__":
    main()
