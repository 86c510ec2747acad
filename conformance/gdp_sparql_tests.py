"""Run GSS-Cogs' gdp-sparql-tests (Data Cube ICs, SKOS, ...) against a published store.

    python conformance/gdp_sparql_tests.py PATH STORE [--suite qb --suite skos]

PATH: a local copy of https://github.com/GSS-Cogs/gdp-sparql-tests (fetched by whoever runs
this); STORE: a store folder `linkeddata build` made. Every `tests/{suite}/**/*.sparql` is run
on the store's union default graph: a SELECT that answers rows, or an ASK that answers true,
has found something. Prints one line per query and exits 1 if any found something.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from linkeddata.store import open_store

BASE = "http://localhost:8000"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--suite", action="append", help="folders under tests/ (default: qb and skos)")
    args = parser.parse_args()
    queries = sorted(q for suite in args.suite or ["qb", "skos"] for q in (args.path / "tests" / suite).rglob("*.sparql"))
    if not queries:
        sys.exit(f"{args.path}: no tests/*/**.sparql here; give a copy of GSS-Cogs/gdp-sparql-tests")
    found_any = 0
    with open_store(args.store, BASE, read_only=True) as store:
        for path in queries:
            text = path.read_text(encoding="utf-8")
            started = time.monotonic()
            result = store.query(text)
            found = (1 if result.boolean else 0) if result.kind == "boolean" else len(result.rows)
            found_any += found > 0
            print(f"{'FOUND' if found else 'ok   '} {found:6} {time.monotonic() - started:6.1f} s  {path.relative_to(args.path)}")
    print(f"{len(queries) - found_any} of {len(queries)} queries find nothing")
    return 1 if found_any else 0


if __name__ == "__main__":
    sys.exit(main())
