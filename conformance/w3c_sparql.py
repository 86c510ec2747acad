"""Run the W3C SPARQL 1.1 test suites against our endpoint and against Oxigraph server, in one run.

    .venv/bin/python conformance/w3c_sparql.py PATH_TO_RDF_TESTS [--only SUITE] [--verbose] [--union]

PATH_TO_RDF_TESTS is a local copy of https://github.com/w3c/rdf-tests (fetched by whoever runs
this; nothing of it is in this repository). Both servers are started here on 127.0.0.1: ours is
the real app served by uvicorn over an embedded store on disk (opened read-only, with its query
workers, as `serve` runs it), Oxigraph server is the `oxigraph` command of the test extras
(in memory). Before each test, each store is loaded with that test's data:

- ours: every data file is published as a named graph named by the file's IRI (our default
  graph is the union of the named graphs), and the query is sent with the test's dataset as the
  protocol's `default-graph-uri` / `named-graph-uri` (unless the query names its own with FROM);
- Oxigraph server: `qt:data` goes into its default graph and `qt:graphData` into named graphs.

Queries of evaluation tests are sent with `BASE <the query file's IRI>` first, as the suites
read them from their files. Solutions are compared as multisets (blank nodes up to renaming),
graphs by isomorphism, typed literals by value. Prints, per suite, the tests each server passes,
then the tests Oxigraph server passes and we fail, and the reverse. Exit status 0 unless a server
could not be started. `--union` sends our endpoint no dataset, leaving each test's to our union
default graph.

The pieces, in conformance/w3c/: manifests.py (the tests), targets.py (the servers and how each
is loaded), runners.py (how each kind of test runs), answers.py (comparing answers).

Suites (406 tests): query evaluation (the groups of manifest-sparql11-query.ttl), syntax
(syntax-query and the negative syntax tests of the groups), result formats (csv-tsv-res,
json-res), protocol, graph store protocol (graph-store-protocol and the older http-rdf-update),
service description.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path

import httpx

from w3c.manifests import SUITES, TIMEOUT, Test, load_tests
from w3c.runners import RUNNERS, Failed, run_http_test, run_prose_gsp
from w3c.targets import Oxigraph, Ours, Target


def run_all(tests: list[Test], target: Target, root: Path, verbose: bool) -> dict[str, str | None]:
    """Each test's failure (None: passed)."""
    outcome: dict[str, str | None] = {}
    state: dict[str, str] = {}
    prose_loaded = False
    for test in tests:
        # A connection per test: a server that breaks one (Oxigraph server sends a body after a
        # HEAD's 404) must not fail the tests after it.
        with httpx.Client(base_url=target.root, timeout=TIMEOUT) as http:
            try:
                if test.kind == "GraphStoreProtocolTest" and test.folder.name == "http-rdf-update":
                    if not prose_loaded:
                        target.load([], [])
                        prose_loaded = True
                    run_prose_gsp(test, target, http, root, state)
                elif test.kind == "GraphStoreProtocolTest":
                    run_http_test(test, target, http, root)
                else:
                    RUNNERS[test.kind](test, target, http, root)
                outcome[test.iri] = None
            except Failed as exc:
                outcome[test.iri] = " ".join(str(exc).split())
            except Exception as exc:  # noqa: BLE001 - a broken test is a failed test, reported
                outcome[test.iri] = " ".join(f"{type(exc).__name__}: {exc}".split())
                if verbose:
                    traceback.print_exc()
            if verbose:
                print(f"{target.label:9} {'pass' if outcome[test.iri] is None else 'FAIL'} {test.name}"
                      f"{'' if outcome[test.iri] is None else ': ' + str(outcome[test.iri])[:300]}", flush=True)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rdf_tests", type=Path, help="a local copy of github.com/w3c/rdf-tests")
    parser.add_argument("--only", choices=list(SUITES), help="run one suite")
    parser.add_argument("--verbose", action="store_true", help="print every test as it runs")
    parser.add_argument("--union", action="store_true",
                        help="send our endpoint no dataset, leaving each test's to its union default graph")
    args = parser.parse_args(argv)
    root = args.rdf_tests / "sparql" / "sparql11"
    if not (root / "manifest-sparql11-query.ttl").exists():
        parser.error(f"{args.rdf_tests} is not a copy of w3c/rdf-tests: {root}/manifest-sparql11-query.ttl is missing")
    tests = [t for t in load_tests(root) if args.only is None or t.suite == args.only]
    binary = str(Path(sys.executable).parent / "oxigraph")
    binary = binary if Path(binary).exists() else shutil.which("oxigraph") or ""
    if not binary:
        print("the oxigraph command is not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    results: dict[str, dict[str, str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="w3c-sparql-") as folder:
        Ours.names_dataset = not args.union
        for make in (lambda: Ours(Path(folder)), lambda: Oxigraph(binary, Path(folder))):
            target = make()
            try:
                started = time.monotonic()
                results[target.label] = run_all(tests, target, root, args.verbose)
                print(f"{target.label}: {len(tests)} tests in {time.monotonic() - started:.0f} s", file=sys.stderr)
            finally:
                target.close()
    ours, theirs = results["ours"], results["oxigraph"]
    by_suite: dict[str, list[Test]] = defaultdict(list)
    for test in tests:
        by_suite[test.suite].append(test)
    print(f"{'suite':24} {'tests':>5} {'ours':>5} {'oxigraph':>8}")
    for suite in SUITES:
        listed = by_suite.get(suite, [])
        if listed:
            print(f"{suite:24} {len(listed):5} {sum(ours[t.iri] is None for t in listed):5} "
                  f"{sum(theirs[t.iri] is None for t in listed):8}")
    print(f"{'all':24} {len(tests):5} {sum(v is None for v in ours.values()):5} {sum(v is None for v in theirs.values()):8}")
    behind = [t for t in tests if theirs[t.iri] is None and ours[t.iri] is not None]
    print(f"\nOxigraph server passes and we fail ({len(behind)}):")
    for test in behind:
        print(f"  {test.name}: {ours[test.iri]}")
    ahead = [t for t in tests if ours[t.iri] is None and theirs[t.iri] is not None]
    print(f"\nWe pass and Oxigraph server fails ({len(ahead)}):")
    for test in ahead:
        print(f"  {test.name}: {theirs[test.iri]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
