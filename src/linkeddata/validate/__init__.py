"""Validation: the SHACL shapes in `shapes/` (pySHACL is the engine of record) -> Problems.

    validate_graph(graph, base)        a small graph, every shape, after the Data Cube's
                                       normalisation (normalise.py)
    validate_release(store, staging, context_graphs, base, chunk_size)
                                       a staged release of any size, in bounded chunks
                                       (staged in normal form: the builder writes it so,
                                       cube_files.py normalises a third party's files first)

A problem's code is its shape's `dcterms:identifier` (shapes/README.md lists them). The
`profile` says which rules: SPEC (the Data Cube integrity constraints) or HOMEOFFICE (also
our catalogue metadata and value rules; the default).
"""

from __future__ import annotations

from rdflib import Graph

from ..errors import Problem
from .hierarchy import off_hierarchy
from .normalise import normalise_graph
from .release import validate_release
from .slices import slice_findings
from .report import MAX_PROBLEMS, _order, coded_problem, run_shacl
from .shapes import HOMEOFFICE, PROFILES, SPEC, Profile, shapes_graph

__all__ = ["HOMEOFFICE", "MAX_PROBLEMS", "PROFILES", "SPEC", "Profile", "validate_graph", "validate_release"]


def validate_graph(data: Graph, base: str, profile: Profile = HOMEOFFICE) -> list[Problem]:
    """Validate one graph (data, structure, reference and vocabulary triples together)
    against every shape of `profile`; return its problems, errors first."""
    copy = Graph()  # rdflib updates only a plain Graph in place
    copy += data
    normalise_graph(copy)
    shapes = shapes_graph(base, profile.files)
    problems = run_shacl(copy, shapes)

    def select(sparql: str) -> list[dict]:
        return [row.asdict() for row in copy.query(sparql)]  # type: ignore[union-attr]

    for finding in slice_findings(select, MAX_PROBLEMS):
        problems.append(coded_problem(shapes, finding.code, finding.focus, dict(finding.values)))
    for found in off_hierarchy(select, MAX_PROBLEMS):
        problems.append(coded_problem(shapes, found.code, found.observation,
                                      {"dim": found.dimension, "list": found.code_list}, found.value))
    return sorted(problems, key=_order)
