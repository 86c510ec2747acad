"""The use of force mapping: the bundled table published, checked against the table itself."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from linkeddata.cli import main
from linkeddata.cube import build_dataset
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.settings import resource_dir
from linkeddata.store import open_store
from linkeddata.uris import Minter

from dataset_checks import publish_bundled
from shared import BASE

SAMPLE = resource_dir("data") / "equality" / "use-of-force-by-ethnicity-force-apr2019-mar2020.csv"
ETHNICITIES = {"White": "white", "Black (or Black British)": "black", "Asian (or Asian British)": "asian",
               "Mixed": "mixed", "Other": "other", "Not reported": "unknown"}
PREFIXES = f"""
    PREFIX qb: <http://purl.org/linked-data/cube#>
    PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
    PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX equality: <{BASE}/def/equality/>
"""


def table() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish_bundled(tmp_path_factory, "use-of-force")


def test_cells_are_the_tables_numbers(published):
    rows = {(r["Police Force"], r["Tactic"]): r for r in table()}
    checks = [("Kent", "Compliant handcuffing", "compliant-handcuffing", "kent"),
              ("Metropolitan", "CED discharge", "ced-discharge", "metropolitan"),
              ("Dyfed-Powys", "Ground restraint", "ground-restraint", "dyfed-powys")]
    with open_store(published, BASE) as store:
        for force_name, tactic_name, tactic, force in checks:
            query = PREFIXES + f"""
                SELECT ?ethnicity ?n WHERE {{
                    ?obs qb:dataSet <{BASE}/data/use-of-force> ;
                         equality:policeForce <{BASE}/id/police-force/{force}> ;
                         equality:tactic <{BASE}/def/equality/use-of-force-tactic/{tactic}> ;
                         sdmx-dimension:refPeriod <{BASE}/id/government-year/2019-2020> ;
                         equality:ethnicity/skos:notation ?ethnicity ;
                         sdmx-measure:obsValue ?n .
                }}"""
            got = {str(r["ethnicity"]): int(r["n"]) for r in store.select(query)}
            row = rows[(force_name, tactic_name)]
            assert got == {code: int(float(row[header])) for header, code in ETHNICITIES.items()}


def test_the_total_rows_are_left_out_and_are_the_sums_of_the_forces(published):
    """The skipped England and Wales rows lose nothing: the published forces add up to them."""
    expected: dict[tuple[str, str], int] = {}
    for row in table():
        if row["Police Force"] == "Total England and Wales" and row["White"]:
            for header, code in ETHNICITIES.items():
                expected[(row["Tactic"], code)] = int(float(row[header]))
    query = PREFIXES + f"""
        SELECT ?tactic ?ethnicity (SUM(?n) AS ?times) WHERE {{
            ?obs qb:dataSet <{BASE}/data/use-of-force> ;
                 equality:policeForce ?force ;
                 equality:tactic/skos:altLabel|equality:tactic/skos:prefLabel ?tactic ;
                 equality:ethnicity/skos:notation ?ethnicity ;
                 sdmx-measure:obsValue ?n .
        }} GROUP BY ?tactic ?ethnicity"""
    with open_store(published, BASE) as store:
        got = {(str(r["tactic"]), str(r["ethnicity"])): int(r["times"]) for r in store.select(query)}
        forces = store.select(PREFIXES + f"""SELECT (COUNT(DISTINCT ?force) AS ?n) WHERE {{
            ?obs qb:dataSet <{BASE}/data/use-of-force> ; equality:policeForce ?force }}""")
    assert int(forces[0]["n"]) == 43  # the 43 forces, and no "Total England and Wales"
    assert len(expected) == 38 * 6 and all(got[key] == value for key, value in expected.items())


def test_empty_cells_are_not_available_never_zero(published):
    empty = sum(1 for row in table() if row["Police Force"] != "Total England and Wales"
                for header in ETHNICITIES if not row[header])
    query = PREFIXES + f"""
        SELECT (COUNT(?obs) AS ?n) WHERE {{
            ?obs qb:dataSet <{BASE}/data/use-of-force> ;
                 <{BASE}/def/statistics/observationStatus> <{BASE}/def/statistics/observation-status/not-available> .
            FILTER NOT EXISTS {{ ?obs sdmx-measure:obsValue ?v }}
        }}"""
    with open_store(published, BASE) as store:
        assert int(store.select(query)[0]["n"]) == empty > 200


def test_the_derived_total_column_is_the_sum_of_the_ethnicities():
    """Why "Number of times tactic reported" is not read: it says nothing the six columns do not."""
    for row in table():
        if row["White"]:
            assert sum(float(row[h]) for h in ETHNICITIES) == float(row["Number of times tactic reported"])


# -- bad input -------------------------------------------------------------------------------

HEADER = ("Police Force,Type of force,Tactic,White,Black (or Black British),Asian (or Asian British),Mixed,"
          "Other,Not reported,Number of times tactic reported")


def build(tmp_path: Path, text: str):
    mapping = load_mapping(find_mapping("use-of-force"), BASE)
    source = tmp_path / "use-of-force.csv"
    source.write_text(text, encoding="utf-8")
    return build_dataset(mapping, [source], Minter(BASE), tmp_path / "out.nt", modified="2026-01-01T00:00:00Z"), source


def test_a_title_above_the_header_is_skipped_and_1234_is_read(tmp_path):
    text = ("Police use of force, April 2019 to March 2020\n\n" + HEADER + "\n"
            'Kent,Restraint,Ground restraint,"2,234",155,65,47,45,0,"2,546"\n')
    result, _ = build(tmp_path, text)
    assert result.errors == [] and result.observations == 6


@pytest.mark.parametrize("old, new, code, line, column", [
    (",155,", ",12a,", "VALUE-COUNT", 2, 5),
    (",155,", ",15.5,", "VALUE-COUNT", 2, 5),
    ("Ground restraint", "Ground restrain", "VALUE-CODE", 2, 3),
    ("Kent,", "Kentt,", "VALUE-FORCE", 2, 1),
])
def test_bad_cells_are_rejected_with_file_line_and_column(tmp_path, old, new, code, line, column):
    text = HEADER + "\nKent,Restraint,Ground restraint,2234,155,65,47,45,0,2546\n"
    result, source = build(tmp_path, text.replace(old, new, 1))
    assert result.observations == 0
    (problem,) = result.errors
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(source), line, column)


def test_a_renamed_column_is_rejected_and_nothing_is_published(published, tmp_path, capsys):
    bad = tmp_path / "renamed.csv"
    bad.write_text(HEADER.replace("Black (or Black British)", "Black") + "\nKent,Restraint,Ground restraint,1,1,1,1,1,0,5\n",
                   encoding="utf-8")
    count = PREFIXES + f"SELECT (COUNT(?obs) AS ?n) WHERE {{ ?obs qb:dataSet <{BASE}/data/use-of-force> }}"
    with open_store(published, BASE) as store:
        before = int(store.select(count)[0]["n"])
    assert main(["build", "--store", str(published), "use-of-force", "--source", str(bad)]) == 1
    out = capsys.readouterr()
    assert f"{bad}:1: error SOURCE-COLUMNS" in out.out + out.err
    assert "'Black (or Black British)' (found 'Black': renamed?)" in out.out + out.err
    with open_store(published, BASE) as store:
        assert int(store.select(count)[0]["n"]) == before == 9804  # the previous release, untouched
