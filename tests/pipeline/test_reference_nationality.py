"""The nationality reference data: every Home Office spelling matches, and the scheme links out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from linkeddata.reference import tables
from linkeddata.reference.graphs import reference_graphs
from linkeddata.reference.kinds import FieldSpec, Problems, Resolver
from linkeddata.ntriples import TripleWriter
from linkeddata.settings import resource_dir
from linkeddata.tabular import read_csv
from linkeddata.uris import Minter

from shared import BASE

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
NATIONALITY = f"{BASE}/def/migration/nationality/"
REGION = f"{BASE}/def/migration/region/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
SPEC = FieldSpec("nationality", "Nationality", "nationality")
# The local codes chosen for the rows that ISO 3166-1 gives no code (see data/SOURCES.md).
LOCAL = {
    "Kosovo": "kosovo", "Stateless": "stateless", "Refugee": "refugee",
    "Other and unknown": "other-and-unknown", "British overseas citizens": "british-overseas-citizens",
    "Former Yugoslavia": "former-yugoslavia", "Serbia and Montenegro": "serbia-and-montenegro",
    "Cyprus (Northern part of)": "cyprus-northern-part",
}


def rows(tmp_path: Path, *names: str):
    path = tmp_path / "nationalities.csv"
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["Year", "Nationality"])
    writer.writerows(["2023", n] for n in names)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path, list(read_csv(path, ["Year", "Nationality"]))


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Minter(BASE))


@pytest.fixture(scope="module")
def scheme() -> Graph:
    graph = Graph()
    for ref in reference_graphs():
        if ref.name in ("reference/nationality", "reference/nationality-region"):
            text = io.StringIO()
            ref.write(TripleWriter(text), Minter(BASE))
            graph.parse(data=text.getvalue(), format="nt")
    return graph


def test_every_nationality_the_home_office_tables_use_is_known(resolver):
    # The shipped table was made from the Nationality columns of the Home Office tables in the
    # project's shared data folder (when it is beside the checkout) and the bundled samples.
    shared = resource_dir("data").parent.parent / "shared" / "data" / "ho-immigration"
    files = sorted(shared.glob("*.csv")) + sorted((resource_dir("data") / "immigration").glob("*.csv"))
    names = set()
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("Nationality") not in (None, "NA"):  # "NA" is a missing cell, not a country
                    names.add(row["Nationality"])
    assert len(names) >= 80
    index = {tables.normalise(n) for nat in tables.nationalities() for n in (nat.name, *nat.other_names)}
    assert sorted(n for n in names if tables.normalise(n) not in index) == []


def test_codes_are_iso_alpha3_or_local_and_unique():
    nationalities = tables.nationalities()
    assert len(nationalities) > 200
    slugs = [n.slug for n in nationalities]
    assert len(slugs) == len(set(slugs))
    by_name = {n.name: n for n in nationalities}
    for name, code in LOCAL.items():
        assert (by_name[name].alpha3, by_name[name].local_code) == (None, code)
    assert by_name["Congo (Democratic Republic)"].alpha3 == "COD"
    assert by_name["Ivory Coast"].alpha3 == "CIV"
    assert by_name["Occupied Palestinian Territories"].alpha3 == "PSE"
    assert by_name["Bahamas, The"].alpha3 == "BHS"
    assert all(n.alpha3 is None or (len(n.alpha3) == 3 and n.alpha3.isupper()) for n in nationalities)


@pytest.mark.parametrize("raw, slug, label", [
    ("Afghanistan", "afg", "Afghanistan"),
    ("St Vincent & the Grenadines", "vct", "St Vincent and the Grenadines"),
    ("st vincent and the grenadines", "vct", "St Vincent and the Grenadines"),
    ("Iran, Islamic Republic of", "irn", "Iran"),  # the ISO name is an alternative spelling
    ("São Tomé and Príncipe", "stp", "Sao Tome and Principe"),
    ("SYR", "syr", "Syria"),
    ("Stateless", "stateless", "Stateless"),
    ("Kosovo", "kosovo", "Kosovo"),
])
def test_a_nationality_matches_by_name_variant_or_code(resolver, tmp_path, raw, slug, label):
    _, (row,) = rows(tmp_path, raw)
    value = resolver.parse(SPEC, row)
    assert (value.key, value.uri, value.label) == (slug, NATIONALITY + slug, label)


def test_an_unknown_spelling_is_located_and_the_nearest_names_suggested(resolver, tmp_path):
    path, (_, row) = rows(tmp_path, "Albania", "Afganistan")
    with pytest.raises(Problems) as raised:
        resolver.parse(SPEC, row)
    problem = raised.value.problem
    assert (problem.code, problem.file, problem.line, problem.column) == ("VALUE-NATIONALITY", str(path), 3, 2)
    assert "'Afganistan'" in problem.message and "Did you mean 'Afghanistan'" in problem.message
    assert "data/reference/nationalities.csv" in problem.message


def test_the_scheme_links_to_iso_and_to_its_region(scheme):
    afg = URIRef(NATIONALITY + "afg")
    assert (afg, SKOS.notation, Literal("AFG")) in scheme
    assert (afg, SKOS.prefLabel, Literal("Afghanistan", lang="en")) in scheme
    assert (afg, SKOS.exactMatch, URIRef(EU_COUNTRY + "AFG")) in scheme
    assert (afg, SKOS.broader, URIRef(REGION + "asia-central")) in scheme
    assert (afg, SKOS.inScheme, URIRef(f"{BASE}/def/migration/nationalities")) in scheme
    assert (URIRef(REGION + "asia-central"), SKOS.inScheme, URIRef(f"{BASE}/def/migration/region")) in scheme
    vct = URIRef(NATIONALITY + "vct")
    assert (vct, SKOS.altLabel, Literal("St Vincent & the Grenadines", lang="en")) in scheme


def test_rows_that_are_not_countries_have_local_codes_and_no_iso_link(scheme):
    for code in LOCAL.values():
        uri = URIRef(NATIONALITY + code)
        assert (uri, SKOS.notation, Literal(code)) in scheme
        assert list(scheme.objects(uri, SKOS.exactMatch)) == []
        assert len(list(scheme.objects(uri, SKOS.broader))) == 1


def test_every_nationality_has_exactly_one_region_in_the_region_scheme(scheme):
    regions = set(scheme.subjects(SKOS.inScheme, URIRef(f"{BASE}/def/migration/region")))
    nationalities = set(scheme.subjects(SKOS.inScheme, URIRef(f"{BASE}/def/migration/nationalities")))
    assert len(nationalities) == len(tables.nationalities())
    for uri in nationalities:
        broader = list(scheme.objects(uri, SKOS.broader))
        assert len(broader) == 1 and broader[0] in regions, uri


@pytest.mark.parametrize("raw, key, code", [
    ("Male", "male", "sex-M"), ("female", "female", "sex-F"), ("Unknown", "unknown", "sex-U"),
])
def test_sex_is_the_sdmx_code(resolver, tmp_path, raw, key, code):
    _, (row,) = rows(tmp_path, raw)
    value = resolver.parse(FieldSpec("sex", "Nationality", "sex"), row)
    assert (value.key, value.uri) == (key, f"http://purl.org/linked-data/sdmx/2009/code#{code}")


def test_an_unknown_sex_is_located(resolver, tmp_path):
    path, (row,) = rows(tmp_path, "Mail")
    with pytest.raises(Problems) as raised:
        resolver.parse(FieldSpec("sex", "Nationality", "sex"), row)
    assert (raised.value.problem.code, raised.value.problem.line, raised.value.problem.column) == ("VALUE-SEX", 2, 2)
