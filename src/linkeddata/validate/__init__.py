"""Validation: the SHACL shapes in `shapes/` (pySHACL is the engine of record) -> Problems.

    validate_graph(graph, base)        a small graph, every shape, as written
    validate_release(store, staging, context_graphs, base, chunk_size)
                                       a staged release of any size, in bounded chunks

A problem's code is its shape's `dcterms:identifier` (shapes/README.md lists them).
"""

from __future__ import annotations

from rdflib import Graph

from ..errors import Problem
from .release import validate_release
from .report import MAX_PROBLEMS, run_shacl
from .shapes import shapes_graph

__all__ = ["MAX_PROBLEMS", "validate_graph", "validate_release"]


def validate_graph(data: Graph, base: str) -> list[Problem]:
    """Validate one graph (data, structure, reference and vocabulary triples together)
    against every shipped shape; return its problems, errors first."""
    return run_shacl(data, shapes_graph(base))
