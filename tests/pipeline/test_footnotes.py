"""Bulletin tables in the tabular reader: footnote markers split off headers and labels (with
their notes kept on the rows), and the table ending at its "Source:" line. CSV and .ods alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.errors import SourceError
from linkeddata.tabular import Layout, read_table

from dataset_checks import write_table
from test_sources import write_ods

ROWS = [
    ["Strand", "2016/17", "2017/183"],
    ["Race", "62685", "71264"],
    ["Other notifiable offences1,2", "9", "10"],
    ["Source: Police recorded crime, Home Office", "", ""],
    ["1. Theft, burglary and sexual offences.", "", ""],
    ["2. Excludes 3 forces.", "", ""],
    ["3. Merseyside police have revised figures for 2017/18.", "", ""],
]
REQUIRED = ["Strand", "2016/17", "2017/18"]
BULLETIN = Layout(ends_at="Source:", footnotes=True)


@pytest.mark.parametrize("kind", ["csv", "ods"])
def test_markers_are_split_off_and_their_notes_kept(tmp_path: Path, kind: str):
    if kind == "csv":
        path, layout = write_table(tmp_path / "t.csv", ROWS[0], ROWS[1:]), BULLETIN
    else:
        path, layout = write_ods(tmp_path / "t.ods", ROWS, "T"), Layout("ods", "T", ends_at="Source:", footnotes=True)
    race, other = list(read_table(path, REQUIRED, layout))
    assert race.values["2017/18"] == "71264" and race.notes == {"2017/18": ("Merseyside police have revised figures for 2017/18.",)}
    assert other.values["Strand"] == "Other notifiable offences"
    assert other.notes["Strand"] == ("Theft, burglary and sexual offences.", "Excludes 3 forces.")
    assert other.notes["2017/18"] and "2016/17" not in other.notes


def test_without_footnotes_a_marked_header_is_a_missing_column(tmp_path: Path):
    path = write_table(tmp_path / "t.csv", ROWS[0], ROWS[1:])
    with pytest.raises(SourceError) as raised:
        list(read_table(path, REQUIRED, Layout(ends_at="Source:")))
    assert "'2017/18' (found '2017/183': renamed?)" in raised.value.problem.message


def test_a_year_is_never_cut_without_a_note(tmp_path: Path):
    # 2017/18 has no marker: "8" is a note number here, but the header already is a column.
    rows = [["Strand", "2016/17", "2017/18"], ["Race", "1", "2"], ["Source: x", "", ""], ["8. A note.", "", ""]]
    (row,) = read_table(write_table(tmp_path / "t.csv", rows[0], rows[1:]), REQUIRED, BULLETIN)
    assert row.values["2017/18"] == "2" and not row.notes


def test_data_after_the_source_line_is_an_error(tmp_path: Path):
    rows = [*ROWS[:4], ["Religion", "5949", "8339"], ROWS[6]]
    path = write_table(tmp_path / "t.csv", rows[0], rows[1:])
    with pytest.raises(SourceError) as raised:
        list(read_table(path, REQUIRED, BULLETIN))
    assert (raised.value.problem.code, raised.value.problem.line) == ("SOURCE-AFTER-END", 5)
