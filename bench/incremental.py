"""Monthly publishing at police.uk's national size: add, replace and retract months.

    python bench/incremental.py [--months 3] [--rows 500000] [--folder /tmp/national] [--verify] [--compact-each]

Generates national months (bench/national.py: one street file per force, about 500,000 rows
each), then, in one run on one store, times with `/usr/bin/time`-like figures (wall time,
CPU use, peak RSS of the build process and its workers):
  1. month 1 into an empty store, 2. each further month added, 3. month 1 replaced by a
  revised file set (one force's file changed), 4. month 2 retracted;
and with --verify checks that the store after the adds and the replace holds exactly the
partition triples a from-scratch build of the same files holds. Prints one table; disk per
month at the end. Needs GNU time (/usr/bin/time, Debian's `time`).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from national import generate_month  # noqa: E402

import pyoxigraph as ox  # noqa: E402


Step = tuple[str, float, float, float, int]  # name, wall s, CPU %, CPU s, peak MB


def run(name: str, args: list[str]) -> Step:
    """Wall seconds, CPU percent, CPU seconds (user + system, the figure least moved by other
    work on a shared machine) and peak RSS (MB) of `linkeddata ARGS`, from GNU time (the peak is
    the largest process's: the build, or one of its readers)."""
    start = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%P %U %S %M", sys.executable, "-m", "linkeddata.cli", *args],
                          capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"linkeddata {' '.join(args[:4])} ... failed:\n{done.stderr[-3000:]}")
    cpu, user, system, rss = done.stderr.strip().splitlines()[-1].split()
    step = (name, wall, float(cpu.rstrip("%")), float(user) + float(system), int(rss) // 1024)
    print(f"  {name}: {wall:.1f} s, {step[2]:.0f}% CPU, {step[3]:.1f} CPU s, {step[4]} MB", file=sys.stderr, flush=True)
    return step


def files(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.csv")):
        out += ["--source", str(path)]
    return out


def partition_triples(store: Path) -> set[str]:
    """Every triple of street-crime's partition graphs (as N-Triples lines), from the served release."""
    release = (store / "CURRENT").read_text().strip()
    oxs = ox.Store.read_only(str(store / "releases" / release))
    lines = set()
    for graph in oxs.named_graphs():
        if "/graph/dataset/street-crime/" in graph.value:
            for quad in oxs.quads_for_pattern(None, None, None, graph):
                if "versionInfo" in quad.predicate.value or "label" in quad.predicate.value and quad.subject.value == graph.value:
                    continue
                lines.add(f"{quad.subject} {quad.predicate} {quad.object}")
    return lines


def disk_use(store: Path) -> dict[str, int]:
    """Bytes on disk under `store` by top folder (releases: RocksDB; graphs: the N-Triples kept
    for downloads), each file counted once however many releases hard-link it (as `du` does)."""
    seen: set[tuple[int, int]] = set()
    use: dict[str, int] = {}
    for path in store.rglob("*"):
        stat = path.lstat()
        if not path.is_file() or (stat.st_dev, stat.st_ino) in seen:
            continue
        seen.add((stat.st_dev, stat.st_ino))
        parts = path.relative_to(store).parts
        part = parts[0] if len(parts) > 1 else "other"
        use[part] = use.get(part, 0) + stat.st_blocks * 512
    return use


def revise(month: Path, revised: Path) -> None:
    """A revised month: the same files, one force's file with one row fewer (as police.uk revises)."""
    shutil.copytree(month, revised)
    target = sorted(revised.glob("*-city-of-london-street.csv"))[0]
    rows = list(csv.reader(target.open(encoding="utf-8")))
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[:-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--folder", default="/tmp/national")
    parser.add_argument("--verify", action="store_true", help="also build from scratch and compare (slow)")
    parser.add_argument("--compact-each", action="store_true",
                        help="run `linkeddata compact` after each add, as the README advises, timed in rows of its own")
    options = parser.parse_args()
    root = Path(options.folder)
    # Months from 2023-01 on, as many as asked (13: month 13 goes into a 12-month store).
    months = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(options.months)]
    for month in months:
        if not (root / month).is_dir():
            generate_month(month, root, options.rows)
    revised = root / f"{months[0]}-revised"
    if not revised.is_dir():
        revise(root / months[0], revised)
    store = root / "store"
    shutil.rmtree(store, ignore_errors=True)
    rows: list[Step] = []
    base = ["build", "street-crime", "--store", str(store)]
    for i, month in enumerate(months):
        rows.append(run(f"add {month} ({i} months published)", [*base, *files(root / month)]))
        if options.compact_each:
            rows.append(run(f"  compact after {month}", ["compact", "--store", str(store)]))
    rows.append(run(f"replace {months[0]} (revised) of {len(months)} months", [*base, "--no-compact", *files(revised)]))
    rows.append(run("compact (removes the replaced version)", ["compact", "--store", str(store)]))
    disk = disk_use(store)
    checks = []
    if options.verify:
        incremental = partition_triples(store)
        scratch = root / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        every = [a for m in [revised.name, *months[1:]] for a in files(root / m)]
        rows.append(run(f"from scratch, {len(months)} months in one build", ["build", "street-crime", "--store", str(scratch), *every]))
        same = incremental == partition_triples(scratch)
        checks.append(f"incremental == from scratch: {same} ({len(incremental):,} triples)")
        shutil.rmtree(scratch, ignore_errors=True)
    if len(months) > 1:
        rows.append(run(f"retract {months[1]} (and compact)", ["retract", "street-crime", "--period", months[1], "--store", str(store)]))
    first = rows[0]
    print(f"{'step':52} {'wall s':>7} {'CPU %':>6} {'CPU s':>7} {'peak MB':>8} {'wall/m1':>8} {'CPU/m1':>7}")
    for name, wall, cpu, seconds, rss in rows:
        print(f"{name:52} {wall:7.1f} {cpu:6.0f} {seconds:7.1f} {rss:8d} {wall / first[1]:8.2f} {seconds / first[3]:7.2f}")
    for check in checks:
        print(check)
    total = sum(disk.values())
    print(f"store on disk after {len(months)} months, a replace and compact: {total / 1e9:.2f} GB "
          f"({total / len(months) / 1e9:.2f} GB a month: "
          + ", ".join(f"{part} {size / len(months) / 1e9:.2f} GB" for part, size in sorted(disk.items())
                      if part != "other") + ")")


if __name__ == "__main__":
    main()
