"""Shared fixtures: the base URI, a minter, and paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.uris import Minter

from shared import BASE, TEST_DATA  # noqa: F401  (re-exported for fixtures below)


@pytest.fixture
def base() -> str:
    return BASE


@pytest.fixture
def minter() -> Minter:
    return Minter(BASE)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    """A store with every bundled dataset published, built once per test session by the CLI."""
    from linkeddata.cli import main

    path = tmp_path_factory.mktemp("bundled") / "store"
    assert main(["build", "--store", str(path)]) == 0
    return path
