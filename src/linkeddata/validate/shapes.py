"""The shipped SHACL shapes (`shapes/*.ttl`), loaded under a base URI, and what they say.

Each top-level shape carries its stable problem code as `dcterms:identifier`; a shape may
name the contract shape it stands for with `rdfs:isDefinedBy` (the generated ones do).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import DCTERMS, RDF, RDFS, SH, load_shipped_turtle
from ..settings import resource_dir



@dataclass(frozen=True)
class Profile:
    """Which files run where. validate_graph runs all of them; a release runs `structure`
    once, `observations` as set-oriented queries, and checks `cube` with generated shapes
    and store queries instead."""

    name: str
    structure: tuple[str, ...]
    observations: tuple[str, ...]
    cube: tuple[str, ...] = ("cube.ttl",)

    @property
    def files(self) -> tuple[str, ...]:
        return self.structure + self.observations + self.cube


# The Data Cube integrity constraints alone (a third party's cube), and with our own rules:
# catalogue metadata (OGL licence, publisher, ...) and observation values (counts, areas, periods).
SPEC = Profile("spec", ("structure.ttl",), ("observations.ttl",))
HOMEOFFICE = Profile("homeoffice", ("structure.ttl", "catalogue.ttl"), ("observations.ttl", "values.ttl", "posts.ttl"))
PROFILES = {p.name: p for p in (SPEC, HOMEOFFICE)}
STRUCTURE, OBSERVATIONS, CUBE, ALL = HOMEOFFICE.structure, HOMEOFFICE.observations, HOMEOFFICE.cube, HOMEOFFICE.files

UNKNOWN_CODE = "SHACL"


@lru_cache(maxsize=32)
def _load(base: str, names: tuple[str, ...]) -> Graph:
    graph = Graph()
    folder = resource_dir("shapes")
    for name in names:
        graph += load_shipped_turtle(folder / name, base.rstrip("/"))
    return graph


def shapes_graph(base: str, names: tuple[str, ...] = ALL) -> Graph:
    """A fresh copy of the named shape files under `base` (callers may add to it)."""
    copy = Graph()
    copy += _load(base, names)
    return copy


def shape_with_code(shapes: Graph, code: str) -> URIRef:
    for shape in shapes.subjects(DCTERMS.identifier, Literal(code)):
        if isinstance(shape, URIRef):
            return shape
    raise KeyError(f"no shape has the code {code!r}")


def message_of(shapes: Graph, code: str, **values: Node | str) -> str:
    """The contract message for `code`, with `{?name}` filled in as pySHACL would."""
    shape = shape_with_code(shapes, code)
    constraint = shapes.value(shape, SH.sparql)
    message = str(shapes.value(constraint, SH.message) if constraint is not None else shapes.value(shape, SH.message))
    for name, value in values.items():
        message = message.replace("{?" + name + "}", str(value))
    return message


def identify(shapes: Graph, source: Node | None) -> tuple[str, str | None]:
    """(problem code, shape IRI) of a result's source shape.

    The source may be a blank node inside a coded shape (an sh:or member, a nested property
    shape), so walk up the shapes graph to the nearest node that has a code.
    """
    seen: set[Node] = set()
    frontier = [source] if source is not None else []
    while frontier:
        node = frontier.pop(0)
        if node in seen:
            continue
        seen.add(node)
        code = shapes.value(node, DCTERMS.identifier)
        if code is not None:
            contract = shapes.value(node, RDFS.isDefinedBy)
            return str(code), str(contract if contract is not None else node)
        frontier.extend(s for s, p in shapes.subject_predicates(node) if p != RDF.type)
    return UNKNOWN_CODE, str(source) if source is not None else None
