"""Mapping files are checked against one schema: a typo is an error with file:line:column.

Each case changes the bundled street-crime mapping the way a careless publisher would; before,
most were ignored (`disclosre:` published small counts, `patern:` let bad IDs through, `mn:`
let longitude -500 through, `recrods:` dropped every crime record), all with exit 0.
"""

from __future__ import annotations

import pytest

from linkeddata.cli import main
from linkeddata.errors import ConfigError
from linkeddata.mapping import find_mapping, load_mapping, mapping_files

from shared import BASE

STREET = find_mapping("street-crime").read_text(encoding="utf-8")
DISCLOSURE = "  measure: {property: sdmx-measure:obsValue, label: Crimes and anti-social behaviour, count: rows}\n"

# (change from, change to, the key path the error names, a text the message must hold)
CASES = [
    (DISCLOSURE, DISCLOSURE + "  disclosre: {suppress_below: 50}\n", "cube.disclosre", "did you mean 'disclosure'"),
    ('pattern: "[0-9a-f]{64}"', 'patern: "[0-9a-f]{64}"', "fields.crime_id.patern", "did you mean 'pattern'"),
    ("min: -180, max: 180", "mn: -180, max: 180", "fields.longitude.mn", "did you mean 'min'"),
    ("min: -180, max: 180", "min: -180, mx: 180", "fields.longitude.mx", "did you mean 'max'"),
    ("records:\n", "recrods:\n", "recrods", "did you mean 'records'"),
    ("metadata:\n", "metdata:\n", "metdata", "did you mean 'metadata'"),
    ("source:\n", "sorce:\n", "sorce", "did you mean 'source'"),
    ("  format: csv", "  fromat: csv", "source.fromat", "did you mean 'format'"),
    ("  samples:", "  sample:", "source.sample", "did you mean 'samples'"),
    ("  keywords:", "  keyword:", "metadata.keyword", "did you mean 'keywords'"),
    ("  issued:", "  isued:", "metadata.isued", "did you mean 'issued'"),
    ("{property: crime:crimeType, field: crime_type}", "{property: crime:crimeType, feild: crime_type}",
     "cube.dimensions[2].feild", "did you mean 'field'"),
    ("{property: crime:crimeType, field: crime_type}", "{propery: crime:crimeType, field: crime_type}",
     "cube.dimensions[2].propery", "did you mean 'property'"),
    ("  class: crime:Crime", "  clas: crime:Crime", "records.clas", "did you mean 'class'"),
    ("  conflicts: first", "  conflict: first", "records.conflict", "did you mean 'conflicts'"),
    ("  identity: [month, force]", "  identiy: [month, force]", "records.identiy", "did you mean 'identity'"),
    ("kind: code, codelist: crime-type}", "kind: code, code_list: crime-type}", "fields.crime_type.code_list", "did you mean 'codelist'"),
    ("kind: lsoa, missing: no-location", "kind: lsoa, mising: no-location", "fields.area.mising", "did you mean 'missing'"),
    ("{column: Month, kind: month}", "{colum: Month, kind: month}", "fields.month.colum", "did you mean 'column'"),
    ("{column: Context, kind: text, optional: true}", "{column: Context, kind: text, optinal: true}",
     "fields.context.optinal", "did you mean 'optional'"),
    ("observation: ", "observaton: ", "cube.observaton", "did you mean 'observation'"),
    # wrong types
    ("{column: Context, kind: text, optional: true}", "{column: Context, kind: text, optional: maybe}",
     "fields.context.optional", "'maybe'"),
    ("min: -180, max: 180", "min: low, max: 180", "fields.longitude.min", "'low'"),
    ("  keywords: [crime, police, anti-social behaviour, police.uk]", "  keywords: crime", "metadata.keywords", "'crime'"),
    ("count: rows}", "count: row}", "cube.measure.count", "'row'"),
    ("  conflicts: first", "  conflicts: last", "records.conflicts", "'last'"),
    ("  dimensions:\n", "  dimensions: {}\n  old_dimensions:\n", "cube.old_dimensions", "not a key here"),
    ("  format: csv", "  format: csv\n  header_row: first", "source.header_row", "'first'"),
    # missing keys
    ("  observation: \"{base}/data/street-crime/{area}/{month}/{crime_type}/{force}\"\n", "", "cube.observation", "is required"),
    ("{column: Month, kind: month}", "{column: Month}", "fields.month.kind", "is required"),
    ("  title: Street-level crime\n", "", "metadata.title", "is required"),
    # the same key twice, which YAML would otherwise resolve silently to the last
    ("  format: csv", "  format: csv\n  format: ods", "source.format", "given twice"),
]


@pytest.mark.parametrize("old, new, key, hint", CASES, ids=[c[2] + ":" + c[3][:20] for c in CASES])
def test_a_typo_in_a_mapping_is_an_error_with_its_place_and_the_nearest_key(tmp_path, old, new, key, hint):
    assert old in STREET, old
    text = STREET.replace(old, new, 1)
    path = tmp_path / "street-crime.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_mapping(path, BASE)
    message = str(raised.value)
    assert hint in message, message
    line = [m for m in message.splitlines() if f": {key}: " in m][0]
    assert line.startswith(f"{path}:"), line
    number = int(line.split(":")[1])
    if hint == "is required":  # shown at the dictionary that lacks it
        anchor = "\n" + key.split(".")[-2] + ":" if key.count(".") == 1 else "\n  " + key.split(".")[-2]
    else:
        anchor = new.rstrip("\n").rsplit("\n", 1)[-1]
    expected = text[: text.index(anchor) + (1 if anchor.startswith("\n") else 0)].count("\n") + 1
    assert number == expected, (number, expected, line)
    assert "Traceback" not in message


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_every_bundled_mapping_fits_the_schema():
    for path in mapping_files():
        load_mapping(path, BASE)


@pytest.mark.parametrize("old, new, why", [
    ("  issued: 2011-02-01", "  issued: 2011-13-45", "'2011-13-45' must be a date"),
    ('observation: "{base}/data/street-crime/{area}', 'observation: "{base}/data/street crime/{area}', "a URI cannot hold"),
    ('uri: "{base}/id/crime/{crime_id}"', 'uri: "{base}/id/<crime>/{crime_id}"', "a URI cannot hold"),
    ("  format: csv", "  format: [csv", "not valid YAML"),
    ('pattern: "[0-9a-f]{64}"', 'pattern: "[0-9a-f"', "fields.crime_id.pattern: '[0-9a-f' is not a regular expression"),
    ("licence: http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", "licence: open government licence",
     "metadata.licence: 'open government licence' holds ' '"),
    ("publisher: https://www.gov.uk/government/organisations/home-office", "publisher: https://www.gov.uk/home office",
     "metadata.publisher"),
    ("periodicity: monthly", "periodicity: every month", "metadata.periodicity"),
    ("property: crime:crimeType", "property: crime:crime Type", "cube.dimensions[2].property"),
    ("class: crime:Crime", "class: crime:<Crime>", "records.class"),
])
def test_a_configuration_mistake_exits_2_naming_file_key_and_value(tmp_path, capsys, old, new, why):
    path = tmp_path / "street-crime.yaml"
    path.write_text(STREET.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", str(path), "--source", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(path) in err and why in err, err


@pytest.mark.parametrize("base", ["http://local host:8000", "http://localhost:8000/<x>", 'http://localhost:8000/"'])
def test_a_base_uri_a_uri_cannot_hold_exits_2_naming_it(capsys, base):
    assert main(["validate", "street-crime", "--base", base]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "base_uri" in err and repr(base) in err, err
