"""SHACL Core shapes generated from one data set's structure definition.

The contract (`shapes/cube.ttl`) states IC-11, IC-13..IC-16 and IC-19 as SPARQL, which
pySHACL runs once per focus node: fine for a small graph, far too slow for a million
observations. For a release, the same rules are written out per structure as Core
constraints on named properties (fast in pySHACL), carrying the contract's codes, shape
IRIs and messages. The tests run every broken cube through both paths.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import DCTERMS, QB, RDF, RDFS, SH, SKOS
from .shapes import message_of, shape_with_code


class _Writer:
    def __init__(self, contract: Graph):
        self.contract = contract
        self.shapes = Graph()

    def shape(self, code: str, message: str, **constraints: Node | list[Node]) -> BNode:
        """One coded shape on every observation of the chunk (they all share the data set)."""
        node = BNode()
        g = self.shapes
        g.add((node, RDF.type, SH.PropertyShape if "path" in constraints else SH.NodeShape))
        g.add((node, SH.targetSubjectsOf, QB.dataSet))
        g.add((node, DCTERMS.identifier, Literal(code)))
        g.add((node, RDFS.isDefinedBy, shape_with_code(self.contract, code)))
        g.add((node, SH.message, Literal(message, lang="en")))
        for name, value in constraints.items():
            g.add((node, SH[name], self.list(value) if isinstance(value, list) else value))
        return node

    def list(self, items: list[Node]) -> BNode:
        head = BNode()
        Collection(self.shapes, head, items)
        return head

    def member(self, **constraints: Node) -> BNode:
        """An anonymous shape inside sh:or / sh:not."""
        node = BNode()
        for name, value in constraints.items():
            self.shapes.add((node, SH[name], value))
        return node

    def unless_measure_type(self, measure: Node) -> BNode:
        """Holds when the observation's qb:measureType is not `measure`."""
        return self.member(path=QB.measureType, **{"not": self.member(hasValue=measure)})


def _components(structure: Graph, dsd: Node, kind: URIRef) -> list[Node]:
    return sorted({p for spec in structure.objects(dsd, QB.component) for p in structure.objects(spec, kind)})


def code_list_kind(structure: Graph, code_list: Node) -> URIRef | None:
    """What IC-19 checks a value against: skos:ConceptScheme or skos:Collection, as the list
    is typed in `structure` (None: a hierarchical list, IC-20/21's, or one not in the data)."""
    for kind in (SKOS.ConceptScheme, SKOS.Collection):
        if (code_list, RDF.type, kind) in structure:
            return kind
    return None


def structure_dimensions(structure: Graph, dataset: Node) -> list[Node]:
    dsd = structure.value(dataset, QB.structure)
    return _components(structure, dsd, QB.dimension) if dsd is not None else []


def structure_measures(structure: Graph, dataset: Node) -> list[Node]:
    dsd = structure.value(dataset, QB.structure)
    return _components(structure, dsd, QB.measure) if dsd is not None else []


def observation_shapes(structure: Graph, dataset: Node, contract: Graph) -> Graph:
    """Core shapes for the observations of `dataset`, from its structure in `structure`.

    `contract` is the shapes graph holding `shapes/cube.ttl` (codes and messages).
    """
    dsd = structure.value(dataset, QB.structure)
    w = _Writer(contract)
    if dsd is None:  # IC-2 reports it; nothing to generate from
        return w.shapes
    dimensions = _components(structure, dsd, QB.dimension)
    measures = _components(structure, dsd, QB.measure)
    for dim in dimensions:
        w.shape("IC-11", message_of(contract, "IC-11", dim=dim), path=dim, minCount=Literal(1))
        for code_list in sorted(structure.objects(dim, QB.codeList)):
            # One test, chosen by the list's type: an sh:or of both costs pySHACL twice as
            # much and builds a discarded report per value for the branch that fails.
            kind = code_list_kind(structure, code_list)
            if kind == SKOS.Collection:
                members = w.member(inversePath=w.member(oneOrMorePath=SKOS.member))
                in_list = w.member(path=members, hasValue=code_list)
            elif kind == SKOS.ConceptScheme:
                in_list = w.member(path=SKOS.inScheme, hasValue=code_list)
            else:
                continue
            w.shape("IC-19", message_of(contract, "IC-19", dim=dim, list=code_list), path=dim,
                    node=w.member(property=in_list))
    for spec in sorted(structure.objects(dsd, QB.component)):
        if structure.value(spec, QB.componentRequired) == Literal(True):
            for attribute in sorted(structure.objects(spec, QB.attribute)):
                w.shape("IC-13", message_of(contract, "IC-13", attribute=attribute),
                        path=attribute, minCount=Literal(1))
    if QB.measureType not in dimensions:
        for measure in measures:
            w.shape("IC-14", message_of(contract, "IC-14", measure=measure), path=measure, minCount=Literal(1))
        return w.shapes
    for measure in measures:
        w.shape("IC-15", message_of(contract, "IC-15", measure=measure),
                **{"or": [w.unless_measure_type(measure), w.member(path=measure, minCount=Literal(1))]})
        for other in measures:
            if other != measure:
                w.shape("IC-16", message_of(contract, "IC-16", measureType=measure, measure=other),
                        **{"or": [w.unless_measure_type(measure), w.member(path=other, maxCount=Literal(0))]})
    return w.shapes
