"""Partitions on every store (issue 11, item 5): `swap(releases, retire=[...])` publishes and
retires in one step, and a partitioned dataset published month by month through the real
pipeline holds, after each add, replace and retract, exactly what a from-scratch publish of the
same files holds on the same kind of store, while only the changed month is sent."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from linkeddata.errors import StoreError
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.namespaces import OWL, QB, SDO, VOID
from linkeddata.pipeline import Publisher
from linkeddata.store import embedded as embedded_module
from linkeddata.store.base import Store
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.uris import Minter


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.nt"
    path.write_text(text, encoding="utf-8")
    return path


def triples(subject: str, n: int, marker: str) -> str:
    return "".join(f'<http://example.org/id/{subject}/{i}> <http://example.org/def/v> "{marker}" .\n' for i in range(n))


def values(store: Store) -> dict[str, int]:
    rows = store.select("SELECT ?v (COUNT(*) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v")
    return {str(r["v"]): int(r["n"]) for r in rows}  # type: ignore[call-overload]


@pytest.fixture(params=[False, True], ids=["removed", "hidden"])
def hiding(request: pytest.FixtureRequest, store: Store, monkeypatch: pytest.MonkeyPatch) -> bool:
    """On the embedded store a retired graph is removed (small) or hidden until compact (big):
    both ways are tried, hiding by making every graph count as big."""
    if request.param:
        if not isinstance(store, EmbeddedStore):
            pytest.skip("only the embedded store hides retired graphs")
        monkeypatch.setattr(embedded_module, "HIDE_ABOVE", 0)
    return bool(request.param)


# -- swap with retire ----------------------------------------------------------------------------
def test_swap_retires_in_the_same_step_as_it_publishes(store: Store, tmp_path: Path, hiding: bool) -> None:
    # Each release publishes partition n and the summary of n, and retires partition n-1: a
    # reader counting by marker must see one release whole (partition + summary of one n),
    # never the old partition beside the new one, nor a summary without its partition.
    size = 1_500
    summary = f"{store.base}/graph/summary"

    def release(n: int) -> dict[str, str]:
        return {
            store.load_staging(f"part/{n}", write(tmp_path, f"p{n}", triples(f"p{n}", size, f"r{n}"))):
                f"{store.base}/graph/part/{n}",
            store.load_staging("summary", write(tmp_path, f"s{n}", triples("s", size, f"r{n}"))): summary,
        }

    store.swap(release(0))
    seen: list[tuple[tuple[str, int], ...]] = []
    done = threading.Event()
    problems: list[BaseException] = []

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(tuple(sorted(values(store).items())))
                done.wait(0.005)  # a busy reader, not a tight loop that starves the swap
        except BaseException as exc:  # shown by the main thread
            problems.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 4):
            store.swap(release(n), retire=[f"{store.base}/graph/part/{n - 1}"])
    finally:
        done.set()
        reader.join(timeout=60)
    assert not problems, problems
    assert seen, "the reader never ran"
    mixed = {s for s in seen if len(s) != 1 or s[0][1] != 2 * size}
    assert not mixed, f"a reader saw a mix of releases: {sorted(mixed)[:5]}"
    assert values(store) == {"r3": 2 * size}
    assert store.graphs() == [f"{store.base}/graph/part/3", summary]
    for n in range(3):  # a retired graph is gone from GRAPH patterns and dumps too
        gone = f"{store.base}/graph/part/{n}"
        # SELECT, not ASK: Virtuoso 7 answers ASK { GRAPH <g> {...} } true for a graph outside
        # the named graphs it is sent (even one that does not exist), where SELECT finds nothing.
        assert store.select(f"SELECT ?s WHERE {{ GRAPH <{gone}> {{ ?s ?p ?o }} }}") == []
        with pytest.raises(StoreError):
            b"".join(store.dump(gone))
    if hiding:
        assert set(store.hidden_graphs()) == {f"{store.base}/graph/part/{n}" for n in range(3)}  # type: ignore[attr-defined]
        assert store.compact() == 3
        assert store.hidden_graphs() == {} and values(store) == {"r3": 2 * size}  # type: ignore[attr-defined]


def test_retiring_alone_is_a_release(store: Store, tmp_path: Path, hiding: bool) -> None:
    a, b = f"{store.base}/graph/a", f"{store.base}/graph/b"
    store.swap({
        store.load_staging("a", write(tmp_path, "a", triples("a", 3, "a"))): a,
        store.load_staging("b", write(tmp_path, "b", triples("b", 2, "b"))): b,
    })
    version = store.version()
    store.swap({}, retire=[a])
    assert store.version() != version
    assert store.graphs() == [b] and values(store) == {"b": 2}
    assert store.select(f"SELECT ?s WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} }}") == []


def test_a_graph_cannot_be_both_published_and_retired(store: Store, tmp_path: Path, hiding: bool) -> None:
    a, b = f"{store.base}/graph/a", f"{store.base}/graph/b"
    store.swap({
        store.load_staging("a", write(tmp_path, "a0", triples("a", 3, "a0"))): a,
        store.load_staging("b", write(tmp_path, "b0", triples("b", 2, "b0"))): b,
    })
    version = store.version()
    staged = store.load_staging("a", write(tmp_path, "a1", triples("a", 4, "a1")))
    # `b` first: a store must refuse before retiring anything, not half way through the list.
    with pytest.raises(StoreError, match="both published and retired"):
        store.swap({staged: a}, retire=[b, a])
    assert store.version() == version
    assert store.graphs() == [a, b] and values(store) == {"a0": 3, "b0": 2}
    # The refused swap changed nothing in the release being made either: `b` is still in it.
    store.swap({staged: a})
    assert store.graphs() == [a, b] and values(store) == {"a1": 4, "b0": 2}


def test_retiring_a_graph_that_is_not_published_is_harmless(store: Store, tmp_path: Path, hiding: bool) -> None:
    a = f"{store.base}/graph/a"
    store.swap({store.load_staging("a", write(tmp_path, "a0", triples("a", 3, "a0"))): a})
    staged = store.load_staging("a", write(tmp_path, "a1", triples("a", 2, "a1")))
    store.swap({staged: a}, retire=[f"{store.base}/graph/never-published", f"{store.base}/graph/a/old"])
    assert store.graphs() == [a] and values(store) == {"a1": 2}
    store.swap({}, retire=[f"{store.base}/graph/never-published"])  # nothing at all to retire
    assert store.graphs() == [a] and values(store) == {"a1": 2}


# -- a partitioned dataset through the real pipeline -------------------------------------------------
POLICE = Path(__file__).parents[2] / "data" / "policeuk"
JAN, FEB, MAR = (POLICE / f"2019-0{m}-city-of-london-street.csv" for m in (1, 2, 3))


def publish(store: Store, sources: list[Path] | None = None, retract: list[str] | None = None) -> list[str]:
    """Publish (or retract) with the real Publisher; return the names of the graphs staged."""
    mapping = load_mapping(find_mapping("street-crime"), store.base)
    staged: list[str] = []
    load = store.load_staging

    def counting(name: str, path: Path) -> str:
        staged.append(name)
        return load(name, path)

    store.load_staging = counting  # type: ignore[method-assign]
    try:
        publisher = Publisher(store, Minter(store.base), workers=1)
        report = publisher.retract(mapping, retract) if retract else publisher.run([(mapping, sources or [])])
    finally:
        del store.load_staging  # the class's own again
    assert [p for p in report.problems if p.severity == "error"] == []
    return staged


def partitions(store: Store) -> dict[str, set[str]]:
    """Each published partition of street-crime by its key (2019-01), as its set of N-Triples
    lines (as the store dumps it) with the store's base taken out. The graph's version (the last
    segment of its name, and its owl:versionInfo) digests the base too, so it is compared by
    shape only. The store's own count of each graph must agree with its dump."""
    own = f"{store.base}/graph/dataset/street-crime/"
    found: dict[str, set[str]] = {}
    for graph in store.graphs():
        if not graph.startswith(own):
            continue
        key, version = graph[len(own):].split("/")
        assert len(version) == 16 and int(version, 16) >= 0
        text = b"".join(store.dump(graph)).decode("utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        counted = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"]
        assert len(lines) == int(counted) > 0, graph  # type: ignore[call-overload]
        held = set()
        for line in lines:
            if line.startswith(f"<{graph}>") and f"<{OWL.versionInfo}>" in line:  # Virtuoso writes tabs
                line = "<GRAPH> versionInfo"
            held.add(line.replace(store.base, "{base}").replace(version, "VERSION"))
        assert len(held) == len(lines), f"{graph} holds a triple twice"
        assert key not in found, f"two graphs publish {key}"
        found[key] = held
    return found


def assert_summary_matches(store: Store) -> None:
    """The summary's counts and totals per value of every dimension, and in all, are those of
    the published observations (as tests/pipeline/test_summary.py checks the bundled store)."""
    ds = f"{store.base}/data/street-crime"
    summary = f"{store.base}/graph/summary/street-crime"
    dims = [str(r["d"]) for r in store.select(
        f"SELECT ?d WHERE {{ <{ds}> <{QB.structure}>/<{QB.component}>/<{QB.dimension}> ?d }}")]
    measure = str(store.select(f"SELECT ?m WHERE {{ <{ds}> <{QB.structure}>/<{QB.component}>/<{QB.measure}> ?m }}")[0]["m"])
    value = f"OPTIONAL {{ ?o <{measure}> ?x }}"
    assert len(dims) >= 3
    for dimension in dims:
        expected = {str(r["v"]): (int(r["n"]), int(r["t"])) for r in store.select(f"""
            SELECT ?v (COUNT(*) AS ?n) (SUM(COALESCE(?x, 0)) AS ?t) WHERE {{
              ?o <{QB.dataSet}> <{ds}> ; <{dimension}> ?v . {value} }} GROUP BY ?v""")}
        said = {str(r["v"]): (int(r["n"]), int(r["t"])) for r in store.select(f"""
            SELECT ?v ?n ?t WHERE {{ GRAPH <{summary}> {{
              <{ds}> <{VOID.propertyPartition}> ?p . ?p <{VOID.property}> <{dimension}> ; <{VOID.subset}> ?s .
              ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?v ; <{VOID.entities}> ?n ; <{SDO.value}> ?t }} }}""")}
        assert said == expected and expected, dimension
    total = store.select(f"SELECT (COUNT(*) AS ?n) (SUM(COALESCE(?x, 0)) AS ?t) WHERE {{ ?o <{QB.dataSet}> <{ds}> . {value} }}")[0]
    figures = store.select(f"SELECT ?n ?t WHERE {{ GRAPH <{summary}> {{ <{ds}> <{VOID.entities}> ?n ; <{SDO.value}> ?t }} }}")
    assert [(int(r["n"]), int(r["t"])) for r in figures] == [(int(total["n"]), int(total["t"]))]  # type: ignore[call-overload]


def forget(store: Store) -> None:
    """Stop publishing street-crime (its own graph, months, summary and history) in one release."""
    mine = [g for g in store.graphs() if any(g.startswith(f"{store.base}/graph/{kind}/street-crime")
                                             for kind in ("dataset", "summary", "history"))]
    if mine:
        store.swap({}, retire=mine)


def from_scratch(store: Store, sources: list[Path]) -> tuple[list[str], dict[str, set[str]]]:
    """Publish street-crime from `sources` alone into a store that holds nothing of it, and what
    that gives: its month graphs' names and their triples; then forget it again."""
    forget(store)
    publish(store, sources)
    names = sorted(g for g in store.graphs() if g.startswith(f"{store.base}/graph/dataset/street-crime/"))
    held = partitions(store)
    forget(store)
    return names, held


def test_months_added_replaced_and_retracted_hold_what_a_fresh_publish_holds(store: Store, tmp_path: Path) -> None:
    lines = FEB.read_text(encoding="utf-8").splitlines(keepends=True)
    revised = tmp_path / "revised" / FEB.name
    revised.parent.mkdir()
    revised.write_text("".join(lines[:-1]), encoding="utf-8")  # police.uk revised February: one row fewer
    month_graphs = "dataset/street-crime/"

    def sent(staged: list[str]) -> list[str]:
        return sorted(name[len(month_graphs):].split("/")[0] for name in staged if name.startswith(month_graphs))

    # The same store first publishes from scratch, and forgets it again (the reference data
    # stays: loading it into a second remote store would double this file's time): every original
    # month (the state after step 2), then the revised February with March (after step 4). A
    # month's graph depends on its own files only (its name is their digest), so steps 1 and 3
    # are checked month by month against these. Same store, same base: the same graph names.
    names_all, everything = from_scratch(store, [JAN, FEB, MAR])
    names_last, revised_and_march = from_scratch(store, [revised, MAR])
    first = dict(zip(["2019-01", "2019-02", "2019-03"], names_all))
    last = {**first, **dict(zip(["2019-02", "2019-03"], names_last))}
    assert len(first) == 3 and len(names_last) == 2 and last["2019-02"] != first["2019-02"]
    steps = [
        ("add two months", [JAN, FEB], None, ["2019-01", "2019-02"], everything, first),
        ("add a third", [MAR], None, ["2019-03"], everything, first),
        ("replace one", [revised], None, ["2019-02"], {**everything, **revised_and_march}, last),
        ("retract one", None, ["2019-01"], [], revised_and_march, last),
    ]
    months = [["2019-01", "2019-02"], ["2019-01", "2019-02", "2019-03"], ["2019-01", "2019-02", "2019-03"],
              ["2019-02", "2019-03"]]
    for (what, sources, retract, changed, reference, names), keys in zip(steps, months):
        staged = publish(store, sources, retract)
        assert sent(staged) == changed, f"{what}: sent {sent(staged)}"
        got = partitions(store)
        assert sorted(got) == keys, what
        published = sorted(g for g in store.graphs() if g.startswith(f"{store.base}/graph/{month_graphs}"))
        assert published == sorted(names[k] for k in keys), what
        for key in got:
            assert got[key] == reference[key], (
                f"{what}: {key} differs; only here: {sorted(got[key] - reference[key])[:3]}, "
                f"only from scratch: {sorted(reference[key] - got[key])[:3]}")
        assert_summary_matches(store)
    # Nothing of the retracted month, nor of February's dropped row, is served.
    crime = lines[-1].split(",")[0]
    assert crime and store.select(f"SELECT ?p WHERE {{ <{store.base}/id/crime/{crime}> ?p ?o }}") == []
    month = f"SELECT ?o WHERE {{ ?o <{QB.dataSet}> <{store.base}/data/street-crime> ; ?p <{store.base}/id/month/%s> }} LIMIT 1"
    assert store.select(month % "2019-01") == [] and store.select(month % "2019-03") != []
