"""The SPARQL 1.1 Service Description of /sparql: what an RDF client gets from a GET with no query.

It names the endpoint, the languages (Update only when a token is configured), the result
formats, the default dataset (the union of the published graphs) and each named graph.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from ..settings import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

_RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
_INPUT_FORMATS = ["Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def service_description(endpoint: str, settings: Settings, graphs: list[str]) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
        for name in _INPUT_FORMATS:
            graph.add((service, SD.inputFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_endpoints:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    # sd: has no terms for limits; what a developer asks first is said in a comment.
    graph.add((service, RDFS.comment, Literal(
        f"Queries are stopped after {settings.query_timeout:g} seconds; answers hold at most "
        f"{settings.result_limit:,} rows or triples (the header X-SPARQL-Truncated says when cut). "
        + ("SERVICE may call: " + ", ".join(sorted(settings.service_endpoints)) + "."
           if settings.service_endpoints else "SERVICE is not allowed."),
        lang="en",
    )))
    return graph
