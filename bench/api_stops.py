"""police.uk API latency for stop and search: stops-street within a mile, and stops-force (a whole
force month), one month, through the real app, on a built store.

    .venv/bin/python bench/api_stops.py [--store var/store] [--base http://localhost:8000] [--points 200] [--rounds 5]

For a real force month, build a store from police.uk's file of it (the Metropolitan Police's
July 2023 has 13,073 searches), for example:

    .venv/bin/linkeddata build --store /tmp/met/store stop-and-search --source 2023-07-metropolitan-stop-and-search.csv
    .venv/bin/python bench/api_stops.py --store /tmp/met/store

Opens (or builds, timed) the release's API index, then asks /api/stops-street?lat=&lng= at
`--points` places drawn from the searches' own points, `--rounds` times each, and prints p50,
p99 and slowest for the whole HTTP answer, with the searches per answer; then stops-force for
the busiest force of the month. Run by hand; on a shared machine its numbers are upper bounds.
"""

from __future__ import annotations

import random
import time

from fastapi.testclient import TestClient

from api import opened, report, within_a_mile
from linkeddata.settings import Settings
from linkeddata.web.app import create_app


def main() -> None:
    args, store, conn, seconds = opened(__doc__)
    (searches,) = conn.execute("SELECT count(*) FROM stop").fetchone()
    print(f"index: {searches:,} searches, built or opened in {seconds:.2f} s")
    (month,) = conn.execute("SELECT max(month) FROM stop").fetchone()
    places = conn.execute("SELECT lat, lng FROM stop_place WHERE month = ?", (month,)).fetchall()
    points = random.Random(7).sample(places, min(args.points, len(places)))
    app = create_app(store, Settings(base_uri=args.base, api_rate_limit=0))
    with TestClient(app) as client:
        app.state.warmer.done.wait(600)  # the pages' per-release facts, computed at start: not timed
        within_a_mile(client, "/api/stops-street", month, points, args.rounds, "searches")
        force, count = conn.execute("SELECT force, count(*) FROM stop WHERE month = ? GROUP BY force "
                                    "ORDER BY count(*) DESC LIMIT 1", (month,)).fetchone()
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            answer = client.get("/api/stops-force", params={"force": force, "date": month})
            times.append((time.perf_counter() - t) * 1000)
            assert answer.status_code == 200 and len(answer.json()) == count
        report(f"stops-force {force} {month}, {count:,} searches x {len(times)}", times)
    store.close()


if __name__ == "__main__":
    main()
