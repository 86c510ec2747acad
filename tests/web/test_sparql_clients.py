"""Real SPARQL clients against a real server: SPARQLWrapper in every return format, rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from linkeddata.web.app import create_app

from .conftest import BASE
from .live import serving

LSOA = f"{BASE}/id/lsoa/E01000914"
SELECT = f"SELECT ?label WHERE {{ <{LSOA}> <{RDFS.label}> ?label }}"
ASK = f"ASK {{ <{LSOA}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{LSOA}> ?p ?o }} WHERE {{ <{LSOA}> ?p ?o }}"
LABEL = (URIRef(LSOA), RDFS.label, Literal("Camden 028B", lang="en"))


@pytest.fixture(scope="module")
def endpoint(store, settings):
    with serving(create_app(store, settings)) as root:
        yield f"{root}/sparql"


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_in_every_results_format(endpoint, method):
    as_json = wrapper(endpoint, SELECT, JSON, method).queryAndConvert()
    assert [b["label"]["value"] for b in as_json["results"]["bindings"]] == ["Camden 028B"]
    as_xml = wrapper(endpoint, SELECT, XML, method).queryAndConvert()
    assert [n.firstChild.data for n in as_xml.getElementsByTagName("literal")] == ["Camden 028B"]
    as_csv = wrapper(endpoint, SELECT, CSV, method).queryAndConvert()
    assert list(csv.DictReader(io.StringIO(as_csv.decode()))) == [{"label": "Camden 028B"}]
    as_tsv = wrapper(endpoint, SELECT, TSV, method).queryAndConvert()
    assert as_tsv.decode().splitlines() == ["?label", '"Camden 028B"@en']


def test_ask_in_json_and_xml(endpoint):
    assert wrapper(endpoint, ASK, JSON).queryAndConvert()["boolean"] is True
    as_xml = wrapper(endpoint, ASK, XML).queryAndConvert()
    assert as_xml.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_in_every_graph_format(endpoint, fmt):
    converted = wrapper(endpoint, CONSTRUCT, fmt).queryAndConvert()
    if isinstance(converted, Graph):  # RDF/XML and JSON-LD come parsed
        graph = converted
    else:
        graph = Graph().parse(data=converted, format="turtle")
    assert LABEL in graph
    assert len(graph) == 4


def test_rdflib_sparqlstore(endpoint):
    # rdflib's default return format (XML) asks for SPARQL XML or RDF/XML, which covers every query form.
    graph = Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(SELECT))
    assert [str(row.label) for row in rows] == ["Camden 028B"]
    assert graph.query(ASK).askAnswer is True
    assert LABEL in graph.query(CONSTRUCT).graph
    assert LABEL in graph  # a triple pattern, which the store sends as a query
    assert len(list(graph.triples((URIRef(LSOA), None, None)))) == 4


def test_rdflib_sparqlstore_with_json(endpoint):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    assert [str(row.label) for row in graph.query(SELECT)] == ["Camden 028B"]
