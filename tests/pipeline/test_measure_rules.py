"""`cube.measure.additive_over` and `cube.totals`: how a measure may be combined, checked when
the mapping is loaded and published on the structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.errors import ConfigError
from linkeddata.mapping import find_mapping, load_mapping

from shared import BASE

HATE = find_mapping("hate-crime").read_text(encoding="utf-8")
SDMX = "http://purl.org/linked-data/sdmx/2009/dimension#"


def load(tmp_path: Path, text: str):
    path = tmp_path / "hate-crime.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path, BASE)


def test_the_bundled_rules_are_read(tmp_path):
    cube = load(tmp_path, HATE).cube
    assert set(cube.additive_over) == {f"{SDMX}refArea", f"{SDMX}refPeriod"}
    (rule,) = cube.totals
    assert rule.all == f"{BASE}/def/crime/hate-crime-strand/total"
    assert rule.codes == (f"{BASE}/def/crime/hate-crime-strand/motivating-factors", rule.all)
    assert cube.measure_label == "Offences"


def test_counting_rows_adds_across_every_dimension_unless_told():
    cube = load_mapping(find_mapping("street-crime"), BASE).cube
    assert set(cube.additive_over) == {d.property for d in cube.dimensions}


def test_a_value_read_from_a_table_adds_across_nothing_unless_told(tmp_path):
    cube = load(tmp_path, HATE.replace(", additive_over: [area, year]", "")).cube
    assert cube.additive_over == ()


@pytest.mark.parametrize("old, new, words", [
    ("additive_over: [area, year]", "additive_over: [area, offences]", "['offences'] are not dimension fields"),
    ("codes: [motivating-factors], all: total}", "codes: [motivating-factors], all: totl}", "cube.totals[0].all"),
    ("codes: [motivating-factors], all: total}", "codes: [motivating-factor], all: total}", "cube.totals[0].codes"),
    ("{field: strand, codes", "{field: offences, codes", "'offences' is not a dimension's field"),
    ("{field: strand, codes: [motivating-factors], all: total}", "{field: strand}", "name the total codes"),
])
def test_the_rules_are_checked(tmp_path, old, new, words):
    assert old in HATE
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, HATE.replace(old, new))
    assert words in str(raised.value)
