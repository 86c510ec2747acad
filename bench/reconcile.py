"""Reconciliation latency: POST /reconcile through the real app, in process, on a built store.

    .venv/bin/python bench/reconcile.py [--store var/store] [--base http://localhost:8000] [--rounds 10]

Builds the release's name table first (timed apart: it is built once per release, when the
release is served), then sends each batch `--rounds` times and prints the median and slowest
answer: ten names as people write them, ten misspelt, a hundred LSOA names, a hundred post
references and job titles (when the organogram is published), and batches a careless or hostile
client might send (a hundred queries of one-letter words or of 500 characters). Run by hand; on a shared machine its numbers are upper bounds.
"""

from __future__ import annotations

import json
import statistics
import time

from fastapi.testclient import TestClient

from linkeddata.settings import Settings
from linkeddata.store import Store
from linkeddata.web.app import create_app
from linkeddata.web.reconcile.names import table
from served import served_store  # bench/served.py

NAMES = ["Camden", "Devon & Cornwall Police", "AFG", "2018/19", "Jan 2019", "Burglary", "Camden 028B",
         "E01000001", "Metropolitan Police Service", "Afghanistan"]
MISSPELT = ["Camdn", "Devn Cornwal", "Afganistan", "Westminstr 001", "Barking Dagenham", "Violence and sexual",
            "Hackney 01", "Leeds 00", "Cardif", "Swansae"]


def batches(store: Store, base: str) -> dict[str, dict]:
    items = table(store, base).items.values()
    lsoas = [i.label for i in items if i.type.id == "lsoa"][:100]
    posts = [i for i in items if i.type.id == "post"][:100]  # none unless the organogram is published
    organogram = {
        "100 post references": {f"q{i}": {"query": p.code, "type": "post"} for i, p in enumerate(posts)},
        "100 job titles": {f"q{i}": {"query": p.label, "type": "post"} for i, p in enumerate(posts)},
        "100 job titles, misspelt": {f"q{i}": {"query": p.label[1:] + "x", "type": "post"} for i, p in enumerate(posts)},
    } if posts else {}
    return {
        "10 names as written": {f"q{i}": {"query": n} for i, n in enumerate(NAMES)},
        "10 misspelt": {f"q{i}": {"query": n} for i, n in enumerate(MISSPELT)},
        "100 LSOA names, typed": {f"q{i}": {"query": n, "type": "lsoa"} for i, n in enumerate(lsoas)},
        "100 x 12 one-letter words": {f"q{i}": {"query": " ".join("abcdefghijkl")} for i in range(100)},
        "100 x 500 characters": {f"q{i}": {"query": ("and the of " * 50)[:500]} for i in range(100)},
        "100 x common words": {f"q{i}": {"query": f"city london barking dagenham camden westminster {i}"} for i in range(100)},
        **organogram,
    }


def main() -> None:
    store, args = served_store(__doc__, rounds=10)
    with TestClient(create_app(store, Settings(base_uri=args.base))) as client:
        client.app.state.warmer.done.wait(600)  # the search index and name table of the release
        started = time.perf_counter()
        names = table(store, args.base)
        print(f"name table: {len(names.items):,} items, {(time.perf_counter() - started) * 1000:.0f} ms (once per release, warmed)")
        for name, batch in batches(store, args.base).items():
            form = {"queries": json.dumps(batch)}
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                response = client.post("/reconcile", data=form)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
            print(f"{name:28} median {statistics.median(times):6.0f} ms   slowest {max(times):6.0f} ms   per batch")


if __name__ == "__main__":
    main()
