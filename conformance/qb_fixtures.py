"""Run the RDF Data Cube spec's own fixtures through both validation paths.

    python conformance/qb_fixtures.py PATH

PATH: a local copy of https://github.com/UKGovLD/publishing-statistical-data (or its
src/test/resources folder), fetched by whoever runs this: the fixtures are not ours to ship.
Each case loads the files as written (a good cube and, for a negative case, a one-defect
overlay), checks them with the integrity constraints alone (profile spec) by
validate --cube's path (store, set-oriented) and by validate_graph's (rdflib + pySHACL), and
compares the verdict on that one constraint with what the suite expects. Prints one line per
case and a total per constraint; exits 1 if any verdict is wrong or the two paths disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from linkeddata.validate import SPEC
from linkeddata.validate.cube_files import check_cube_files, check_cube_files_as_graph

BASE = "http://localhost:8000"
GOOD, BAD = True, False

# (constraint, files, whether the constraint holds): the suite's expectations, per IC we claim.
CASES: list[tuple[str, tuple[str, ...], bool]] = [
    ("IC-1", ("abbrv-cube.ttl",), GOOD),
    ("IC-1", ("abbrv-cube.ttl", "missing-ds.ttl"), BAD),
    ("IC-1", ("abbrv-cube.ttl", "extra-ds.ttl"), BAD),
    ("IC-2", ("abbrv-cube.ttl",), GOOD),
    ("IC-2", ("abbrv-cube.ttl", "missing-dsd.ttl"), BAD),
    ("IC-2", ("abbrv-cube.ttl", "extra-dsd.ttl"), BAD),
    ("IC-3", ("abbrv-cube.ttl",), GOOD),
    ("IC-3", ("missing-measure.ttl",), BAD),
    ("IC-4", ("abbrv-cube.ttl",), GOOD),
    ("IC-4", ("missing-range.ttl",), BAD),
    ("IC-5", ("abbrv-cube.ttl",), GOOD),
    ("IC-5", ("missing-codelist.ttl",), BAD),
    ("IC-6", ("abbrv-cube.ttl",), GOOD),
    ("IC-6", ("bad-component-required.ttl",), BAD),
    ("IC-7", ("abbrv-cube.ttl",), GOOD),
    ("IC-7", ("abbrv-cube.ttl", "bad-slicekey.ttl"), BAD),
    ("IC-8", ("abbrv-cube.ttl",), GOOD),
    ("IC-8", ("abbrv-cube.ttl", "bad-slicekey2.ttl"), BAD),
    ("IC-9", ("abbrv-cube.ttl",), GOOD),
    ("IC-9", ("abbrv-cube.ttl", "missing-slicekey.ttl"), BAD),
    ("IC-9", ("abbrv-cube.ttl", "duplicate-slicekey.ttl"), BAD),
    ("IC-10", ("abbrv-cube.ttl",), GOOD),
    ("IC-10", ("abbrv-cube.ttl", "missing-slicedim.ttl"), BAD),
    ("IC-11", ("abbrv-cube.ttl",), GOOD),
    ("IC-11", ("abbrv-cube.ttl", "missing-obs-dim-value.ttl"), BAD),
    ("IC-12", ("abbrv-cube.ttl",), GOOD),
    ("IC-12", ("abbrv-cube.ttl", "duplicate-observation.ttl"), BAD),
    ("IC-13", ("abbrv-cube.ttl",), GOOD),
    ("IC-13", ("abbrv-cube.ttl", "missing-required-attr.ttl"), BAD),
    ("IC-14", ("abbrv-cube.ttl",), GOOD),
    ("IC-14", ("abbrv-cube.ttl", "missing-measure-on-obs.ttl"), BAD),
    ("IC-14", ("mt-cube.ttl",), GOOD),
    ("IC-15", ("mt-cube.ttl",), GOOD),
    ("IC-15", ("mt-cube.ttl", "mt-missing-measure.ttl"), BAD),
    ("IC-16", ("mt-cube.ttl",), GOOD),
    ("IC-16", ("mt-cube.ttl", "mt-extra-measure.ttl"), BAD),
    ("IC-17", ("mt-cube.ttl",), GOOD),
    ("IC-17", ("mt-cube-3-measures.ttl",), GOOD),
    ("IC-17", ("mt-cube-with-missing-points.ttl",), BAD),
    ("IC-18", ("abbrv-cube.ttl",), GOOD),
    ("IC-18", ("abbrv-cube.ttl", "observation-bad-dataset.ttl"), BAD),
    ("IC-19", ("abbrv-cube.ttl", "codelist-complete.ttl"), GOOD),
    ("IC-19", ("abbrv-cube.ttl", "codelist-partial.ttl"), BAD),
    ("IC-19", ("abbrv-cube.ttl", "collection-complete.ttl"), GOOD),
    ("IC-19", ("abbrv-cube.ttl", "collection-partial.ttl"), BAD),
    ("IC-20", ("abbrv-cube.ttl", "hierarchy-good.ttl"), GOOD),
    ("IC-20", ("abbrv-cube.ttl", "hierarchy-good-multiroot.ttl"), GOOD),
    ("IC-20", ("abbrv-cube.ttl", "hierarchy-bad.ttl"), BAD),
    ("IC-21", ("abbrv-cube.ttl", "hierarchy-good-inverse.ttl"), GOOD),
    ("IC-21", ("abbrv-cube.ttl", "hierarchy-bad-inverse.ttl"), BAD),
]


def _named(focus: str | None) -> str | None:
    """A blank node's label differs from one reading to the next: compare them as one."""
    return "_:blank" if focus and focus.startswith("_:") else focus


def fixtures_folder(path: Path) -> Path:
    for folder in (path, path / "src" / "test" / "resources"):
        if (folder / "abbrv-cube.ttl").is_file():
            return folder
    sys.exit(f"{path}: no abbrv-cube.ttl here or in src/test/resources; give a copy of "
             "UKGovLD/publishing-statistical-data")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.exit(__doc__)
    folder = fixtures_folder(Path(argv[0]))
    totals: dict[str, list[int]] = {}
    failures = 0
    for code, names, holds in CASES:
        files = [folder / n for n in names]
        store_found = {(p.code, _named(p.focus)) for p in check_cube_files(files, BASE, SPEC)}
        graph_found = {(p.code, _named(p.focus)) for p in check_cube_files_as_graph(files, BASE, SPEC)}
        by_store = code not in {c for c, _ in store_found}
        by_graph = code not in {c for c, _ in graph_found}
        if store_found != graph_found:  # the paths must agree on every problem, not only this one
            print(f"    the paths disagree: store only {sorted(store_found - graph_found)}, "
                  f"graph only {sorted(graph_found - store_found)}")
        right = by_store == holds and by_graph == holds and store_found == graph_found
        failures += not right
        total = totals.setdefault(code, [0, 0])
        total[0] += right
        total[1] += 1
        verdict = lambda ok: "holds" if ok else "broken"  # noqa: E731
        print(f"{'ok ' if right else 'BAD'} {code:6} {' + '.join(names):55} expected {verdict(holds):6} "
              f"got {verdict(by_store)} (store) / {verdict(by_graph)} (graph)")
    print()
    for code, (right, all_) in totals.items():
        print(f"{code:6} {right}/{all_}")
    print(f"total  {sum(t[0] for t in totals.values())}/{len(CASES)} expectations right on the files as written")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
