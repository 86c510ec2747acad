"""Shared fixtures: the base URI, a minter, and paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.uris import Minter

BASE = "http://localhost:8000"
TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture
def base() -> str:
    return BASE


@pytest.fixture
def minter() -> Minter:
    return Minter(BASE)
