"""Writes cost what they touch (issue 11, item 6): one authorised single-triple write through the
real HTTP endpoint, against the time to publish the store it writes into.

    python bench/writes.py [--rows 100000] [--writes 5] [--folder /tmp/writes]

Generates a national street-crime month of about ROWS rows (bench/national.py), publishes it
into an empty embedded store with `linkeddata build` (timed), serves the store with
`linkeddata serve` and LINKEDDATA_UPDATE_TOKEN set, and times WRITES single-triple
`INSERT DATA` updates (POST /sparql, Authorization: Bearer) into a small graph of their own,
then one into the month's partition graph (the biggest graph: that write dumps it, which is
what it touches). Prints the publish time beside each write's, and checks each write is served.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's port finder
from national import generate_month  # noqa: E402
from servers.process import free_port  # noqa: E402

BASE = "http://localhost:8000"
TOKEN = "bench-writes-token"
MONTH = "2024-01"


def publish(store: Path, sources: list[Path]) -> float:
    args = [sys.executable, "-m", "linkeddata.cli", "build", "--store", str(store), "--base", BASE, "street-crime"]
    for source in sources:
        args += ["--source", str(source)]
    start = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stderr[-3000:]}")
    return time.monotonic() - start


def serve(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "LINKEDDATA_UPDATE_TOKEN": TOKEN, "LINKEDDATA_BASE_URI": BASE}
    process = subprocess.Popen([sys.executable, "-m", "linkeddata.cli", "serve", "--store", str(store),
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    sys.exit("`linkeddata serve` did not answer within 120 s")


def write(url: str, graph: str, n: int) -> float:
    subject = f"{BASE}/id/bench/write-{n}-{time.time_ns()}"
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{subject}> <http://www.w3.org/2000/01/rdf-schema#label> "write {n}" }} }}'
    start = time.monotonic()
    response = httpx.post(url + "/sparql", data={"update": update}, timeout=600,
                          headers={"Authorization": f"Bearer {TOKEN}"})
    took = time.monotonic() - start
    if response.status_code >= 300:
        sys.exit(f"the write was refused: HTTP {response.status_code} {response.text[:500]}")
    # served: the server reopens the new release on its next request
    seen = httpx.get(url + "/sparql", params={"query": f"ASK {{ GRAPH <{graph}> {{ <{subject}> ?p ?o }} }}"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    if not seen.get("boolean"):
        sys.exit(f"the write into {graph} is not served")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/linkeddata-bench-writes"))
    args = parser.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    sources = generate_month(MONTH, args.folder / "sources", args.rows)
    store = args.folder / "store"
    published = publish(store, sources)
    graphs = sorted(p.name for p in (store / "graphs").iterdir())
    size = sum((store / "graphs" / g).stat().st_size for g in graphs)
    process, url = serve(store)
    try:
        rows = httpx.get(url + "/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { } }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=120).json()
        names = [b["g"]["value"] for b in rows["results"]["bindings"]]
        partition = next(g for g in names if g.startswith(f"{BASE}/graph/dataset/street-crime/{MONTH}/"))
        small = [write(url, f"{BASE}/graph/bench/notes", n) for n in range(args.writes)]
        big = write(url, partition, args.writes)
    finally:
        process.terminate()
        process.wait(30)
    print(f"store: street-crime {MONTH}, {args.rows:,} rows generated, {len(graphs)} graph files, "
          f"{size / 1e6:,.0f} MB of N-Triples")
    print(f"publish (linkeddata build into an empty store):   {published:8.2f} s")
    print(f"single-triple INSERT DATA into a new small graph: {statistics.median(small):8.2f} s median "
          f"of {len(small)} (min {min(small):.2f}, max {max(small):.2f}), "
          f"{100 * statistics.median(small) / published:.1f}% of the publish")
    print(f"single-triple INSERT DATA into the month's graph: {big:8.2f} s (dumps that graph: what it touches)")


if __name__ == "__main__":
    main()
