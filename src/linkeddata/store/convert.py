"""Terms between pyoxigraph and rdflib (pages and tests use rdflib; the store is pyoxigraph)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:
    from .base import Native

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype and str(term.datatype) not in (_XSD_STRING, _RDF_LANG):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def rows_of(native: "Native") -> list[dict[str, Node]]:
    """Solutions pyoxigraph wrote as TSV, with rdflib terms."""
    solutions = ox.parse_query_results(native.body, format=ox.QueryResultsFormat.TSV)
    variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [
        {v: to_rdflib(solution[v]) for v in variables if solution[v] is not None}
        for solution in solutions  # type: ignore[union-attr]
    ]


def graph_of(native: "Native") -> Graph:
    """Triples pyoxigraph wrote as N-Triples, as an rdflib Graph."""
    graph = Graph()
    for t in ox.parse(native.body, format=ox.RdfFormat.N_TRIPLES):
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph
