"""The README's example queries, run on the bundled data, give the answers the CSVs give."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.reference import tables
from linkeddata.store import open_store

from shared import BASE

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def readme_query(marker: str, end: str) -> str:
    match = re.search(re.escape(marker) + r"(.*?)" + re.escape(end), README, re.S)
    assert match, f"README has no query after {marker!r}"
    return match.group(1)


CURL_QUERY = readme_query("--data-urlencode 'query=", "'")
WRAPPER_QUERY = readme_query('sparql.setQuery("""', '""")')


def sample_rows() -> list[dict[str, str]]:
    mapping = load_mapping(find_mapping("street-crime"), BASE)
    rows = []
    for path in mapping.samples:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def store(bundled_store):
    with open_store(bundled_store, BASE, read_only=True) as opened:
        yield opened


def test_crimes_by_type_in_one_lsoa(store):
    expected = Counter(r["Crime type"] for r in sample_rows() if r["LSOA code"] == "E01000001")
    assert expected, "the sample should have crimes in E01000001"
    got = {str(r["type"]): int(r["crimes"]) for r in store.select(CURL_QUERY)}
    assert got == dict(expected)


def test_street_crime_rolled_up_to_police_force_areas(store):
    lsoas = tables.lsoas()
    expected = Counter(
        lsoas[r["LSOA code"]].police_force_area for r in sample_rows() if r["LSOA code"] in lsoas
    )
    got = {str(r["area"]).rsplit("/", 1)[1]: int(r["crimes"]) for r in store.select(WRAPPER_QUERY)}
    assert got == dict(expected)
    names = {str(r["name"]) for r in store.select(WRAPPER_QUERY)}
    assert "Dyfed-Powys" in names
