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
    """One command: the README gives it, CI runs it (with CI set), and it installs the servers
    and shows skipped tests' reasons in the summary."""
    root = Path(__file__).parent.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    command = "bash tests/run"
    assert f"    {command}\n" in README
    assert f"exec {command}" in ci and 'export CI="${CI:-true}"' in ci
    script = (root / "tests" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in script and "virtuoso-opensource" in script
    assert "-m pytest -rs" in script
