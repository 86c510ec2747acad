"""The Data Cube normal form (W3C RDF Data Cube, section 10.1), which the integrity
constraints are stated against: a cube may be written in an abbreviated form and means
the same as its normal form.

    closure     types implied by the qb properties (an observation of a data set is a
                qb:Observation, a property named by qb:dimension a qb:DimensionProperty, ...),
                and qb:componentProperty beside each qb:dimension/qb:measure/qb:attribute
    flattening  what a structure attaches to a data set or a slice (an attribute with
                qb:componentAttachment, a dimension fixed by a slice key) is copied onto each
                of its observations

One step of our own, so the checks need read one form: a component specification written
only with qb:componentProperty gets the specific property (qb:dimension, qb:measure,
qb:attribute) its property's type says.

The same SPARQL Update text runs on an rdflib Graph (validate_graph) and on a graph of a
pyoxigraph store (a third party's files, before they are staged: cube_files.py).
"""

from __future__ import annotations

from rdflib import Graph

from ..namespaces import QB, RDF

_P = f"PREFIX qb: <{QB}>\nPREFIX rdf: <{RDF}>\n"

CLOSURE = [
    "INSERT { ?obs a qb:Observation } WHERE { [] qb:observation ?obs }",
    # The spec also types each subject of qb:dataSet a qb:Observation; every check here takes
    # a subject of qb:dataSet for an observation already, so that is left out (a million
    # inserts, and the memory of one transaction holding them, for a million observations).
    "INSERT { ?dataset a qb:DataSet } WHERE { SELECT DISTINCT ?dataset { [] qb:dataSet ?dataset } }",
    "INSERT { ?slice a qb:Slice } WHERE { [] qb:slice ?slice }",
    "INSERT { ?key a qb:SliceKey } WHERE { [] qb:sliceStructure ?key }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:DimensionProperty } WHERE { ?spec qb:dimension ?p }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:MeasureProperty } WHERE { ?spec qb:measure ?p }",
    "INSERT { ?spec qb:componentProperty ?p . ?p a qb:AttributeProperty } WHERE { ?spec qb:attribute ?p }",
]

# Ours: the specific property of a component written with qb:componentProperty alone (only
# on component specifications: a slice key names its dimensions with qb:componentProperty).
SPECIFIC = [
    f"INSERT {{ ?spec qb:{specific} ?p }} WHERE {{ [] qb:component ?spec . ?spec qb:componentProperty ?p . ?p a qb:{cls} }}"
    for specific, cls in (("dimension", "DimensionProperty"), ("measure", "MeasureProperty"),
                          ("attribute", "AttributeProperty"))
]

FLATTENING = [
    # attached to the data set
    """INSERT { ?obs ?p ?value } WHERE {
        ?spec qb:componentProperty ?p ; qb:componentAttachment qb:DataSet .
        ?dataset qb:structure/qb:component ?spec ; ?p ?value .
        ?obs qb:dataSet ?dataset }""",
    # attached to a slice
    """INSERT { ?obs ?p ?value } WHERE {
        ?spec qb:componentProperty ?p ; qb:componentAttachment qb:Slice .
        ?dataset qb:structure/qb:component ?spec ; qb:slice ?slice .
        ?slice ?p ?value ; qb:observation ?obs }""",
    # attached to a measure: on each observation with a value for that measure
    """INSERT { ?obs ?p ?value } WHERE {
        ?spec qb:componentProperty ?p ; qb:componentAttachment qb:MeasureProperty .
        ?dataset qb:structure/qb:component ?spec .
        ?dataset qb:structure/qb:component/qb:componentProperty ?measure .
        ?measure a qb:MeasureProperty ; ?p ?value .
        ?obs qb:dataSet ?dataset ; ?measure [] }""",
    # a dimension a slice fixes
    """INSERT { ?obs ?p ?value } WHERE {
        ?spec qb:componentProperty ?p .
        ?p a qb:DimensionProperty .
        ?dataset qb:structure/qb:component ?spec ; qb:slice ?slice .
        ?slice ?p ?value ; qb:observation ?obs }""",
]

_BODIES = (*CLOSURE, *SPECIFIC, *FLATTENING)
UPDATES = [_P + u for u in _BODIES]


def normalise_graph(graph: Graph) -> Graph:
    """Bring `graph` to the normal form, in place; returns it."""
    for update in UPDATES:
        graph.update(update)
    return graph


def normalise_store(store: "object", graph: str) -> None:
    """Bring the named `graph` of a pyoxigraph Store to the normal form, in place."""
    for body in _BODIES:
        store.update(f"{_P}WITH <{graph}>\n{body}")  # type: ignore[attr-defined]
