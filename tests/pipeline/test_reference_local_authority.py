"""The local authority reference data: GSS codes, names, the police force area each is within,
and no guessed area for Scottish and Northern Irish councils."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, URIRef

from linkeddata.ntriples import TripleWriter
from linkeddata.reference import tables
from linkeddata.reference.graphs import reference_graphs
from linkeddata.settings import resource_dir
from linkeddata.uris import Minter

from shared import BASE, assert_isomorphic

LA = f"{BASE}/id/local-authority/"
SR_WITHIN = URIRef("http://data.ordnancesurvey.co.uk/ontology/spatialrelations/within")


@pytest.fixture(scope="module")
def graph() -> Graph:
    (ref,) = [r for r in reference_graphs() if r.name == "reference/local-authority"]
    text = io.StringIO()
    ref.write(TripleWriter(text), Minter(BASE))
    return Graph().parse(data=text.getvalue(), format="nt")


def about(graph: Graph, uri: str) -> Graph:
    got = Graph()
    for triple in graph.triples((URIRef(uri), None, None)):
        got.add(triple)
    return got


def test_an_english_district_is_within_its_police_force_area(graph):
    expected = f"""
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix sr: <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/> .
    @prefix geog: <{BASE}/def/geography/> .
    <{LA}E08000032> a geog:LocalAuthority, geog:Area ;
        rdfs:label "Bradford"@en ; skos:prefLabel "Bradford"@en ; skos:notation "E08000032" ;
        owl:sameAs <http://statistics.data.gov.uk/id/statistical-geography/E08000032> ;
        sr:within <{BASE}/id/police-force-area/E23000010> .
    """
    assert_isomorphic(about(graph, f"{LA}E08000032"), Graph().parse(data=expected, format="turtle"))


def test_scottish_and_northern_irish_councils_are_within_no_police_force_area_and_say_why(graph):
    others = [la for la in tables.local_authorities().values() if la.code[0] in "SN"]
    assert len(others) == 47
    for la in others:
        assert graph.value(URIRef(LA + la.code), SR_WITHIN) is None
        assert "cover England and Wales only" in str(graph.value(URIRef(LA + la.code), URIRef(
            "http://www.w3.org/2000/01/rdf-schema#comment")))


def test_every_english_and_welsh_authority_is_within_a_real_police_force_area():
    areas = {a.code for a in tables.police_force_areas()}
    england_wales = [la for la in tables.local_authorities().values() if la.code[0] in "EW"]
    assert len(england_wales) > 350
    assert [la.code for la in england_wales if la.police_force_area not in areas] == []


def test_authorities_made_since_2019_are_placed_from_their_former_districts():
    # Buckinghamshire (2020) replaced four districts, all in Thames Valley.
    lad16 = {}
    with (resource_dir("data") / "lookups" / "lad16-csp16-pfa16.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            lad16[row["LAD16NM"]] = row["PFA16CD"]
    former = {lad16[n] for n in ("Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe")}
    assert former == {tables.local_authorities()["E06000060"].police_force_area} == {"E23000029"}


def test_every_code_the_resettlement_table_uses_is_known():
    with (resource_dir("data") / "immigration" / "local_authority_resettlement.csv").open(encoding="utf-8-sig") as handle:
        codes = {row["LAD Code"] for row in csv.DictReader(handle)} - {"Unknown"}
    assert len(codes) > 300 and codes <= set(tables.local_authorities())
