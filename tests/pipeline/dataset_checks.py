"""What the dataset tests share: write a small table, change one cell, build it, and check a bad
file is refused with one problem at its file, line and column and publishes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rdflib import RDF, Graph, Namespace

from linkeddata.cli import main
from linkeddata.cube import BuildResult, build_dataset
from linkeddata.errors import Problem
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.store import open_store
from linkeddata.uris import Minter

from shared import BASE

QB = Namespace("http://purl.org/linked-data/cube#")


_PUBLISHED: dict[tuple[str, ...], Path] = {}  # built once a session, read by every module that asks


def publish_bundled(tmp_path_factory, *mappings: str) -> Path:
    """A store with these mappings' bundled samples published by the CLI (built and validated);
    the tests that ask only read it, so one build serves the session."""
    if mappings not in _PUBLISHED:
        path = tmp_path_factory.mktemp("-".join(mappings)) / "store"
        assert main(["build", "--store", str(path), *mappings]) == 0
        _PUBLISHED[mappings] = path
    return _PUBLISHED[mappings]


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV as a spreadsheet saves it (cells with commas quoted)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def build(dataset: str, source: Path, tmp_path: Path) -> tuple[BuildResult, Graph]:
    mapping = load_mapping(find_mapping(dataset), BASE)
    out = tmp_path / f"{dataset}.nt"
    result = build_dataset(mapping, [source], Minter(BASE), out, modified="2026-01-01T00:00:00Z")
    graph = Graph()
    for path in result.files:  # a partitioned dataset's own graph, then each partition's
        if path.exists():
            graph.parse(path, format="nt")
    return result, graph


def observations(graph: Graph) -> Graph:
    """Only the observations' own triples, to compare with an expected graph."""
    got = Graph()
    for obs in graph.subjects(RDF.type, QB.Observation):
        for triple in graph.triples((obs, None, None)):
            got.add(triple)
    return got


def one_problem(result: BuildResult) -> Problem:
    """A bad file gives exactly one error, and no observation is written."""
    assert result.observations == 0
    (problem,) = result.errors
    return problem


def assert_refused(dataset: str, bad: Path, tmp_path: Path, where: str, capsys) -> None:
    """`linkeddata build` refuses the file (exit 1), prints where, and the store stays empty."""
    store = tmp_path / "store"
    assert main(["build", "--store", str(store), dataset, "--source", str(bad)]) == 1
    err = capsys.readouterr().err
    assert where in err and "nothing was published" in err, err
    with open_store(store, BASE) as opened:
        assert opened.graphs() == []
