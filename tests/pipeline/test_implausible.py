"""Implausible data is named with its file and line: points outside the UK (latitude and
longitude swapped), months after today (warnings), periods outside the time reference (one
source error per row, not a SHACL message per observation)."""

from __future__ import annotations

import datetime
from pathlib import Path

from linkeddata.cli import main
from linkeddata.cube import build_dataset
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.uris import Minter

from shared import BASE

SAMPLE = Path(__file__).parents[1] / "data" / "street-crime-sample.csv"


def _street(tmp_path: Path, change) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[2] = change(lines[2])
    path = tmp_path / "street.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _validate(path: Path, capsys) -> tuple[int, list[str]]:
    status = main(["validate", "street-crime", "--source", str(path)])
    return status, capsys.readouterr().err.splitlines()


def _build(path: Path) -> list[str]:
    """The builder's problems, as the command line prints them (quicker than a validation)."""
    out = path.parent / "out"
    out.mkdir()
    mapping = load_mapping(find_mapping("street-crime"), BASE)
    return [str(p) for p in build_dataset(mapping, [path], Minter(BASE), out, modified="2024-01-01").problems]


def test_a_point_outside_the_uk_is_a_warning_with_its_line(tmp_path, capsys):
    swapped = _street(tmp_path, lambda line: line.replace("-0.112422,51.515381", "51.515381,-0.112422"))
    lines = _build(swapped)
    assert not [line for line in lines if ": error " in line]  # published, with the warning
    [warning] = [line for line in lines if "POINT-OUTSIDE-UK" in line]
    assert warning.startswith(f"{swapped}:3:6 (Latitude): warning"), warning
    assert "swapped?" in warning


def test_a_month_after_today_is_a_warning_with_its_line(tmp_path, capsys):
    future = f"{datetime.date.today().year + 1}-01"
    path = _street(tmp_path, lambda line: line.replace(",2019-01,", f",{future},"))
    lines = _build(path)
    assert not [line for line in lines if ": error " in line]
    [warning] = [line for line in lines if "VALUE-FUTURE" in line]
    assert warning.startswith(f"{path}:3:2 (Month): warning") and future in warning, warning


def test_a_month_outside_the_time_reference_is_one_source_error_not_shacl_per_observation(tmp_path, capsys):
    path = _street(tmp_path, lambda line: line.replace(",2019-01,", ",1999-12,"))
    status, lines = _validate(path, capsys)
    assert status == 1
    errors = [line for line in lines if ": error " in line]
    assert len(errors) == 1, lines
    assert errors[0].startswith(f"{path}:3:2 (Month): error VALUE-PERIOD-RANGE"), errors[0]
    assert "2000 to 2030" in errors[0]
    assert not [line for line in lines if "shape" in line.lower()]
