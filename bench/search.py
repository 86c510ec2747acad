"""Search latency: /search.json through the real app, in process, on a built store.

    .venv/bin/python bench/search.py [--store var/store] [--base http://localhost:8000] [--rounds 20]

Builds the release's search index first (timed apart: it is built once per release, when the
release is served), then asks a mix of names, codes and prefixes `--rounds` times each and
prints the median, 95th percentile and slowest, for the whole HTTP answer and for the index
alone (the `took_ms` the answer reports). Run by hand; on a shared machine its numbers are
upper bounds. The bundled demo holds every LSOA of England and Wales (34,753), so the demo is
also the full-size case the issue names.
"""

from __future__ import annotations

import statistics
import time

from fastapi.testclient import TestClient

from linkeddata.settings import Settings
from linkeddata.web.app import create_app
from linkeddata.web.search.index import connection, entries
from served import served_store  # bench/served.py

QUERIES = ["camden", "Camden 028B", "E01000914", "E01000001", "city of lon", "burglary", "violence",
           "2019-01", "2019 Q1", "afghanistan", "AFG", "metropolitan", "hate crime", "police force",
           "dyfed", "w", "london 0", "anti-social"]


def main() -> None:
    store, args = served_store(__doc__, rounds=20)
    started = time.perf_counter()
    count = len(entries(store, args.base))
    connection(store, args.base)
    print(f"index: {count:,} entries, built or opened in {time.perf_counter() - started:.2f} s")
    with TestClient(create_app(store, Settings(base_uri=args.base))) as client:
        http, index = [], []
        slowest: dict[str, float] = {}
        for _ in range(args.rounds):
            for q in QUERIES:
                t = time.perf_counter()
                body = client.get("/search.json", params={"q": q}).json()
                http.append((time.perf_counter() - t) * 1000)
                index.append(body["took_ms"])
                slowest[q] = max(slowest.get(q, 0.0), body["took_ms"])
    for name, values in (("HTTP answer", http), ("index query", index)):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{name:12} n={len(values)}  median {statistics.median(values):6.2f} ms  "
              f"p95 {p95:6.2f} ms  max {values[-1]:6.2f} ms")
    worst = sorted(slowest.items(), key=lambda kv: -kv[1])[:3]
    print("slowest queries (index, worst round): " + ", ".join(f"{q!r} {ms:.1f} ms" for q, ms in worst))
    store.close()


if __name__ == "__main__":
    main()
