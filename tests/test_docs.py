"""The README cannot drift: every setting and every command is documented."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from linkeddata.cli import _parser
from linkeddata.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    for field in dataclasses.fields(Settings):
        assert f"LINKEDDATA_{field.name.upper()}" in README, field.name


def test_every_command_is_in_the_readme():
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"linkeddata {name}" in README, name


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ".venv/bin/python -m pytest"
    line = next(line.strip() for line in README.splitlines() if line.strip().endswith(command))
    assert line in ci
