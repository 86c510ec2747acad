"""Partitioned publishing: months added, replaced and retracted one at a time hold exactly what
one from-scratch build of the same files holds; records are checked across months; police.uk's
archive layout is a source, and one force's month given twice is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from linkeddata.cli import main
from linkeddata.errors import StoreError
from linkeddata.store import open_store

from shared import BASE

POLICE = Path(__file__).parents[2] / "data" / "policeuk"
JAN, FEB, MAR = (POLICE / f"2019-0{m}-city-of-london-street.csv" for m in (1, 2, 3))
OWN = f"{BASE}/graph/dataset/street-crime"
SUMMARY = f"{BASE}/graph/summary/street-crime"


def build(store: Path, *sources: Path, extra: tuple[str, ...] = ()) -> int:
    args = ["build", "--store", str(store), *extra, "street-crime"]
    for source in sources:
        args += ["--source", str(source)]
    return main(args)


def published(store: Path) -> dict[str, set[tuple]]:
    """Each published partition graph of street-crime with its triples, and the summary (without
    its blank nodes' labels, compared below by isomorphism) under the key 'summary'."""
    with open_store(store, BASE, read_only=True) as opened:
        graphs = {}
        for graph in opened.graphs():
            if graph.startswith(OWN + "/"):
                rows = opened.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
                graphs[graph] = {(r["s"], r["p"], r["o"]) for r in rows}
        summary = opened.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SUMMARY}> {{ ?s ?p ?o }} }}")
    graphs["summary"] = summary  # type: ignore[assignment]
    return graphs


def assert_same(one: dict, other: dict) -> None:
    assert isomorphic(one.pop("summary"), other.pop("summary")), "the summaries differ"
    assert sorted(one) == sorted(other)
    for graph in one:
        assert one[graph] == other[graph], graph


def one_crime_fewer(source: Path, target: Path) -> tuple[Path, str]:
    """The file without the last row whose Crime ID no other row has; and that Crime ID."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    ids = [line.split(",")[0] for line in lines]
    last = max(i for i, crime in enumerate(ids) if i and crime and ids.count(crime) == 1)
    target.write_text("".join(lines[:last] + lines[last + 1:]), encoding="utf-8")
    return target, ids[last]


def test_months_added_one_by_one_equal_one_build_of_them_all(tmp_path):
    for month in (JAN, FEB, MAR):
        assert build(tmp_path / "monthly", month) == 0
    assert build(tmp_path / "whole", JAN, FEB, MAR) == 0
    monthly, whole = published(tmp_path / "monthly"), published(tmp_path / "whole")
    assert len(monthly) == 4  # three months and the summary
    assert_same(monthly, whole)


def test_a_replaced_month_leaves_nothing_of_its_old_version(tmp_path):
    revised, last_crime = one_crime_fewer(JAN, tmp_path / "2019-01-city-of-london-street.csv")
    assert build(tmp_path / "monthly", JAN) == 0
    assert build(tmp_path / "monthly", FEB) == 0
    assert build(tmp_path / "monthly", revised) == 0
    assert build(tmp_path / "whole", revised, FEB) == 0
    monthly = published(tmp_path / "monthly")
    assert not any(last_crime in str(t[0]) for g, triples in monthly.items() if g != "summary" for t in triples)
    assert_same(monthly, published(tmp_path / "whole"))
    with open_store(tmp_path / "monthly", BASE, read_only=True) as opened:
        # Nothing is left hidden in the store either: the build compacted it.
        assert not opened.ask(f"ASK {{ <{BASE}/id/crime/{last_crime}> ?p ?o }}")
        assert opened.hidden_graphs() == {}  # type: ignore[attr-defined]


def test_a_retracted_month_is_gone_and_recorded_in_the_history(tmp_path, capsys):
    assert build(tmp_path / "monthly", JAN, FEB, MAR) == 0
    assert main(["retract", "street-crime", "--period", "2019-02", "--store", str(tmp_path / "monthly")]) == 0
    assert build(tmp_path / "whole", JAN, MAR) == 0
    assert_same(published(tmp_path / "monthly"), published(tmp_path / "whole"))
    with open_store(tmp_path / "monthly", BASE, read_only=True) as opened:
        comments = [str(r["c"]) for r in opened.select(f"""
            SELECT ?c WHERE {{ GRAPH <{BASE}/graph/history/street-crime> {{
              ?r <http://www.w3.org/ns/dcat#version> "2" ; <http://www.w3.org/2000/01/rdf-schema#comment> ?c }} }}""")]
    assert comments and "retracted 2019-02" in comments[0]
    assert main(["retract", "street-crime", "--period", "2030-01", "--store", str(tmp_path / "monthly")]) == 2
    assert "no published partition 2030-01" in capsys.readouterr().err


def test_a_crime_already_published_in_another_month_is_refused_where_it_is(tmp_path, capsys):
    assert build(tmp_path / "store", JAN) == 0
    crime = next(c for line in JAN.read_text(encoding="utf-8").splitlines()[1:] if (c := line.split(",")[0]))
    lines = FEB.read_text(encoding="utf-8").splitlines(keepends=True)
    moved = tmp_path / "2019-02-city-of-london-street.csv"
    moved.write_text(lines[0] + lines[1] + crime + lines[2][lines[2].index(","):] + "".join(lines[3:]), encoding="utf-8")
    capsys.readouterr()
    assert build(tmp_path / "store", moved) == 1
    err = capsys.readouterr().err
    assert f"{moved}:3" in err and "RECORD-IN-OTHER-PARTITION" in err and "already published in 2019-01" in err
    with open_store(tmp_path / "store", BASE, read_only=True) as opened:
        assert [g for g in opened.graphs() if g.startswith(OWN + "/")] == [g for g in opened.graphs() if "/2019-01/" in g]


def test_rebuild_makes_the_dataset_exactly_its_sources(tmp_path):
    assert build(tmp_path / "monthly", JAN, FEB) == 0
    assert build(tmp_path / "monthly", MAR, extra=("--rebuild",)) == 0
    assert build(tmp_path / "whole", MAR) == 0
    assert_same(published(tmp_path / "monthly"), published(tmp_path / "whole"))


def test_the_police_uk_archive_is_a_source_as_a_folder_or_a_zip(tmp_path, capsys):
    archive = tmp_path / "archive" / "2013-06"
    archive.mkdir(parents=True)
    for name in ("2013-06-city-of-london-street.csv", "2013-06-city-of-london-outcomes.csv"):
        (archive / name).write_bytes((POLICE / name).read_bytes())
    zipped = tmp_path / "2013-06.zip"
    with zipfile.ZipFile(zipped, "w") as out:
        for path in archive.iterdir():
            out.write(path, f"2013-06/{path.name}")
    for source in (tmp_path / "archive", zipped):
        store = tmp_path / f"store-{source.suffix or 'folder'}"
        assert main(["build", "--store", str(store), "--source", str(source)]) == 0
        with open_store(store, BASE, read_only=True) as opened:
            graphs = opened.graphs()
        assert any(g.startswith(f"{OWN}/2013-06/") for g in graphs)
        assert any(g.startswith(f"{BASE}/graph/dataset/crime-outcomes/2013-06/") for g in graphs)
    # One force's month twice (a copy saved again beside the archive): refused, naming both.
    copy = tmp_path / "again" / "2013-06-city-of-london-street.csv"
    copy.parent.mkdir()
    copy.write_bytes((archive / copy.name).read_bytes())
    capsys.readouterr()
    assert main(["build", "--store", str(tmp_path / "twice"), "--source", str(tmp_path / "archive"),
                 "--source", str(copy.parent)]) == 2
    err = capsys.readouterr().err
    assert str(archive / copy.name) in err and str(copy) in err and "once" in err


def test_the_same_rows_in_two_files_are_refused_naming_both(tmp_path, capsys):
    copy = tmp_path / "january-again.csv"
    copy.write_bytes(JAN.read_bytes())
    capsys.readouterr()
    assert build(tmp_path / "store", JAN, copy) == 1
    err = capsys.readouterr().err
    assert "RECORD-IN-TWO-FILES" in err and str(JAN) in err and str(copy) in err


def test_months_given_together_are_built_a_month_at_a_time_with_the_same_result(tmp_path, capsys):
    # police.uk's names tell each file's month: one month is read, checked and staged before
    # the next, so memory holds one month. Files of other names are read in one build.
    renamed = []
    for number, month in enumerate((JAN, FEB, MAR)):
        renamed.append(tmp_path / f"file-{number}.csv")
        renamed[-1].write_bytes(month.read_bytes())
    capsys.readouterr()
    assert build(tmp_path / "by-month", JAN, FEB, MAR) == 0
    err = capsys.readouterr().err
    assert all(f"street-crime: the files of 2019-0{m}" in err for m in (1, 2, 3))
    assert build(tmp_path / "at-once", *renamed) == 0
    assert "the files of" not in capsys.readouterr().err
    by_month, at_once = published(tmp_path / "by-month"), published(tmp_path / "at-once")
    assert_same(by_month, at_once)


def test_a_crime_in_two_months_of_one_build_is_refused_where_it_is(tmp_path, capsys):
    crime = next(c for line in JAN.read_text(encoding="utf-8").splitlines()[1:] if (c := line.split(",")[0]))
    lines = FEB.read_text(encoding="utf-8").splitlines(keepends=True)
    moved = tmp_path / "2019-02-city-of-london-street.csv"
    moved.write_text(lines[0] + lines[1] + crime + lines[2][lines[2].index(","):] + "".join(lines[3:]), encoding="utf-8")
    capsys.readouterr()
    assert build(tmp_path / "store", JAN, moved) == 1
    err = capsys.readouterr().err
    assert f"{moved}:3" in err and "RECORD-IN-OTHER-PARTITION" in err and "given in this build for 2019-01" in err
    with pytest.raises(StoreError, match="no store"):  # January was not published either
        open_store(tmp_path / "store", BASE, read_only=True)


def test_a_file_with_rows_of_a_month_its_name_does_not_give_is_refused(tmp_path, capsys):
    lines = JAN.read_text(encoding="utf-8").splitlines(keepends=True)
    misnamed = tmp_path / "2019-02-city-of-london-street.csv"
    misnamed.write_text(lines[0] + lines[1], encoding="utf-8")  # a January row in February's file
    capsys.readouterr()
    assert build(tmp_path / "store", JAN, misnamed) == 1
    err = capsys.readouterr().err
    assert "PARTITION-IN-TWO-MONTHS" in err and "2019-01-city-of-london-street.csv" in err and str(misnamed) in err


def test_an_unchanged_month_given_again_with_a_revised_one_is_not_a_conflict(tmp_path):
    # Files of other names are read in one build: its unchanged month's crimes are published
    # already, in that very month, which is no conflict.
    january, february = tmp_path / "january.csv", tmp_path / "february.csv"
    january.write_bytes(JAN.read_bytes())
    february.write_bytes(FEB.read_bytes())
    assert build(tmp_path / "store", january, february) == 0
    revised, _ = one_crime_fewer(FEB, tmp_path / "february-revised.csv")
    assert build(tmp_path / "store", january, revised) == 0
    assert build(tmp_path / "whole", january, revised) == 0
    assert_same(published(tmp_path / "store"), published(tmp_path / "whole"))
