"""Read a SPARQL 1.1 Protocol response body into a QueryResult with rdflib terms.

Solutions and booleans come as SPARQL JSON results; graphs as N-Triples (or whatever RDF
syntax the server chose instead, named by its Content-Type).

>>> r = read_response("application/sparql-results+json", b'{"head": {}, "boolean": true}')
>>> r.kind, r.boolean
('boolean', True)
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import StoreError
from .base import QueryResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Content-Type (without parameters) -> rdflib parser name.
_GRAPH_PARSERS = {
    "application/n-triples": "nt",
    "text/plain": "nt",  # the N-Triples media type before 2014; some servers still send it
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_VIRTUOSO_ASK = "__ASK_RETVAL"
_RESULTS_TYPES = ("application/sparql-results+json", "application/json")

RESULTS_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"


def read_response(content_type: str, body: bytes, limit: int | None = None, *, ask: bool = False) -> QueryResult:
    """`ask` says the query was an ASK, for servers that answer it as a table (see below)."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in _RESULTS_TYPES:
        doc = json.loads(body)
        if ask and "boolean" not in doc and doc.get("head", {}).get("vars") == [_VIRTUOSO_ASK]:
            # Virtuoso 7 may answer ASK as a one-column table: a row `1` for true, none for false.
            rows = doc.get("results", {}).get("bindings", [])
            return QueryResult("boolean", boolean=any(r.get(_VIRTUOSO_ASK, {}).get("value") == "1" for r in rows))
        return _read_json(doc, limit)
    parser = _GRAPH_PARSERS.get(media_type)
    if parser is None:
        raise StoreError(f"the SPARQL endpoint answered in {content_type!r}, which this store cannot read")
    graph = Graph()
    graph.parse(data=body, format=parser)
    return QueryResult("graph", graph=graph)


def _read_json(doc: dict[str, Any], limit: int | None) -> QueryResult:
    if "boolean" in doc:
        return QueryResult("boolean", boolean=bool(doc["boolean"]))
    variables = list(doc.get("head", {}).get("vars", []))
    bindings = doc.get("results", {}).get("bindings", [])
    truncated = limit is not None and len(bindings) > limit
    if truncated:
        bindings = bindings[:limit]
    rows = [{name: json_term(term) for name, term in binding.items()} for binding in bindings]
    return QueryResult("solutions", variables=variables, rows=rows, truncated=truncated)


def json_term(term: dict[str, str]) -> Node:
    """One RDF term of SPARQL JSON results as an rdflib term.

    >>> json_term({"type": "typed-literal", "value": "7",
    ...            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}).toPython()
    7
    """
    kind = term["type"]
    value = term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    # "typed-literal" is the 2008 draft's name that Virtuoso still sends.
    if kind in ("literal", "typed-literal"):
        lang = term.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        datatype = term.get("datatype")
        # Some servers spell out xsd:string; rdflib (and the embedded store) leave it implicit.
        if datatype and datatype != _XSD_STRING:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise StoreError(f"the SPARQL endpoint sent a term of unknown type {kind!r}")
