"""kill -9 during a monthly publish (issue 11, "Failure and bad input"): a `linkeddata build`
adding a month, one replacing a month and a `linkeddata retract`, each killed with SIGKILL (the
build and its worker processes) at several moments, leave the previous release served whole,
the same graphs with the same triples, and the next publish succeeds.

Moments: after the Nth progress line on stderr (reference data ready, building, read, staging,
release, validating, the change, published) and after random delays. Killed once it has said
"published", the store must serve the new release whole instead; after a random delay, one or
the other. Embedded store (the remote stores' swap is one request: the server's transaction).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from linkeddata.cli import main
from linkeddata.store import open_store

from shared import BASE

POLICE = Path(__file__).parents[2] / "data" / "policeuk"
JAN, FEB, MAR = (POLICE / f"2019-0{m}-city-of-london-street.csv" for m in (1, 2, 3))
LINKEDDATA = Path(sys.executable).parent / "linkeddata"
CHANGING = tuple(f"{BASE}/graph/{kind}/" for kind in ("dataset", "summary", "history"))
LINES = (1, 4, 7)  # kill after this many progress lines (a build says 8 before its swap is done)
DELAYS = 2  # and after this many random delays


def served(store: Path) -> tuple[list[str], dict[str, int], frozenset[bytes]]:
    """What a reader is served: the graphs, their sizes, and every triple (with its graph) of the
    graphs a publish of street-crime changes (the reference data's only by size, to stay fast)."""
    with open_store(store, BASE, read_only=True) as opened:
        graphs = opened.graphs()
        sizes = {str(r["g"]): int(r["n"]) for r in opened.select(  # type: ignore[call-overload]
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
        values = " ".join(f"<{g}>" for g in graphs if g.startswith(CHANGING))
        body = opened.query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}").native
        assert body is not None
        lines = frozenset(body.body.split(b"\n")[1:])
    assert sorted(sizes) == graphs
    return graphs, sizes, lines


def start(args: list[str]) -> subprocess.Popen[bytes]:
    # A session of its own, so that kill -9 reaches the build's worker processes too.
    return subprocess.Popen([str(LINKEDDATA), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "LINKEDDATA_BASE_URI": BASE})


def kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)
    assert process.stderr is not None
    process.stderr.close()


def killed_after_lines(args: list[str], lines: int) -> bool:
    """Run, kill -9 after `lines` progress lines; whether it had said it published."""
    process = start(args)
    assert process.stderr is not None
    said: list[bytes] = []
    while len(said) < lines and (line := process.stderr.readline()):
        said.append(line)
    kill(process)
    return any(b"published" in line for line in said)


def killed_after(args: list[str], seconds: float) -> None:
    process = start(args)
    time.sleep(seconds)
    kill(process)


def crash_then_publish(store: Path, args: list[str], seed: int, moments: tuple[int, ...] = LINES) -> None:
    before = served(store)
    outcomes = []
    interrupted = 0  # kills that left a half-made release behind: the moments were real
    for lines in moments:
        published = killed_after_lines(args, lines)
        interrupted += len(list((store / "releases").iterdir())) > 2
        now = served(store)
        if published:
            outcomes.append(now)
        else:
            assert now == before, f"killed after {lines} progress lines, the store serves something else"
    assert interrupted, "no kill came while a release was being made"
    randomly = random.Random(seed)
    for _ in range(DELAYS):
        killed_after(args, randomly.uniform(0.3, 3.0))
        outcomes.append(served(store))
    # Each kill left its leftovers; the next publish clears them and succeeds. (If a kill came
    # after the swap, the change is published already: a build then finds it unchanged, and a
    # retract finds no such month, as it should.)
    done = served(store) != before
    code = subprocess.run([str(LINKEDDATA), *args], capture_output=True, env={**os.environ, "LINKEDDATA_BASE_URI": BASE})
    if done and args[0] == "retract":
        assert code.returncode == 2 and b"no published partition" in code.stderr, code.stderr.decode()
    else:
        assert code.returncode == 0, code.stderr.decode()
    after = served(store)
    assert after != before
    for outcome in outcomes:
        assert outcome in (before, after), "a kill left the store serving neither release whole"
    leftovers = [p.name for p in (store / "releases").iterdir()]
    assert len(leftovers) == 2, leftovers  # the served release and its manifest


def months(store: Path) -> list[str]:
    own = f"{BASE}/graph/dataset/street-crime/"
    return sorted(g[len(own):].split("/")[0] for g in served(store)[0] if g.startswith(own))


def test_kill_9_during_add_replace_and_retract_leaves_the_previous_release_whole(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert main(["build", "--store", str(store), "--base", BASE, "street-crime",
                 "--source", str(JAN), "--source", str(FEB)]) == 0
    build = ["build", "--store", str(store), "street-crime", "--source"]

    crash_then_publish(store, build + [str(MAR)], seed=1)  # add a month
    assert months(store) == ["2019-01", "2019-02", "2019-03"]

    revised = tmp_path / "revised" / FEB.name
    revised.parent.mkdir()
    revised.write_text("".join(FEB.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    february = served(store)[0]
    crash_then_publish(store, build + [str(revised)], seed=2)  # replace a month
    assert months(store) == ["2019-01", "2019-02", "2019-03"] and served(store)[0] != february

    crash_then_publish(store, ["retract", "--store", str(store), "street-crime", "--period", "2019-01"], seed=3,
                       moments=(1, 2, 3))  # a retract says 4 lines, the 4th once published
    assert months(store) == ["2019-02", "2019-03"]
