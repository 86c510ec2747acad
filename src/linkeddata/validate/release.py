"""Validate a release staged in the store without holding the cube in memory.

    1. structure: the data sets, structures and component properties -> pySHACL, once
    2. IC-1: observations that belong to no data set of the release    -> store query
    3. per data set, observations in chunks of about `chunk_size`, cut by the values of one
       dimension                                                         -> pySHACL with
       shapes/observations.ttl + Core shapes generated from the structure
    4. per data set, cube-wide rules (IC-12, IC-17)                     -> store queries

Stops after MAX_PROBLEMS problems.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import Problem
from ..namespaces import QB, RDF
from ..store.base import Store
from . import queries
from .generated import observation_shapes, structure_dimensions, structure_measures
from .report import MAX_PROBLEMS, Collector, run_shacl
from .shapes import CUBE, OBSERVATIONS, STRUCTURE, message_of, shape_with_code, shapes_graph


def validate_release(
    store: Store,
    staging_graph: str,
    context_graphs: list[str],
    base: str,
    chunk_size: int = 5000,
    max_problems: int = MAX_PROBLEMS,
) -> list[Problem]:
    """Problems of the release in `staging_graph`; reference data comes from `context_graphs`."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size {chunk_size!r} must be at least 1")
    check = _Release(store, staging_graph, [staging_graph, *context_graphs], base, chunk_size, max_problems)
    return check.run()


class _Release:
    def __init__(self, store: Store, staging: str, graphs: list[str], base: str, chunk_size: int, limit: int):
        self.store = store
        self.staging = staging
        self.graphs = graphs
        self.chunk_size = chunk_size
        self.found = Collector(limit)
        self.contract = shapes_graph(base, CUBE)
        self.observation_contract = shapes_graph(base, OBSERVATIONS)
        self.structure_shapes = shapes_graph(base, STRUCTURE)

    def run(self) -> list[Problem]:
        structure = self._graph(queries.structure(self.staging))
        self.found.add(run_shacl(structure, self.structure_shapes, own_data=True))
        self.found.add(self._orphans())
        datasets = sorted(s for s in structure.subjects(RDF.type, QB.DataSet) if isinstance(s, URIRef))
        for dataset in datasets:
            if self.found.full:
                break
            self._observations(structure, dataset)
            dimensions = structure_dimensions(structure, dataset)
            if dimensions and not self.found.full:
                self._duplicates(dataset, dimensions)
            measures = structure_measures(structure, dataset)
            if QB.measureType in dimensions and len(measures) > 1 and not self.found.full:
                self._missing_measures(dataset, dimensions, measures)
        return self.found.problems()

    def _graph(self, sparql: str) -> Graph:
        result = self.store.query_staging(sparql, self.graphs)
        assert result.graph is not None, "a CONSTRUCT query answers with a graph"
        return result.graph

    def _rows(self, sparql: str) -> list[dict[str, Node]]:
        return self.store.query_staging(sparql, self.graphs).rows

    def _observations(self, structure: Graph, dataset: URIRef) -> None:
        shapes = self.observation_contract + observation_shapes(structure, dataset, self.contract)
        key, batches = self._partition(dataset, structure_dimensions(structure, dataset))
        for batch in batches:
            if self.found.full:
                return
            self.found.add(run_shacl(self._graph(queries.chunk_by_key(self.staging, dataset, key, batch)), shapes, own_data=True))
        # Observations without a value for the key dimension (each an IC-11 problem, so the
        # cap bounds this), or every observation when the structure names no dimension.
        after = ""
        while not self.found.full:
            chunk = self._graph(queries.chunk_after(self.staging, dataset, after, self.chunk_size, key))
            members = [str(s) for s in chunk.subjects(QB.dataSet, dataset, unique=True)]
            if not members:
                return
            self.found.add(run_shacl(chunk, shapes, own_data=True))
            if len(members) < self.chunk_size:
                return
            after = max(members)

    def _partition(self, dataset: URIRef, dimensions: list[Node]) -> tuple[Node | None, list[list[Node]]]:
        """Cut the observations into chunks by the values of one dimension.

        Paging through a sorted list of observations would sort the whole cube for every
        page; looking observations up by dimension value uses the store's indexes. The
        dimension whose most common value covers the fewest observations gives the most even
        chunks; a chunk holds about `chunk_size` observations (more only when one value
        alone has more).
        """
        best: tuple[int, Node, list[tuple[Node, int]]] | None = None
        for dimension in dimensions:
            rows = self._rows(queries.key_counts(self.staging, dataset, dimension))
            counts = [(row["key"], int(row["n"])) for row in rows]  # type: ignore[call-overload]
            largest = max((n for _, n in counts), default=0)
            if counts and (best is None or largest < best[0]):
                best = (largest, dimension, counts)
        if best is None:
            return None, []
        batches: list[list[Node]] = [[]]
        size = 0
        for key, n in best[2]:
            if batches[-1] and size + n > self.chunk_size:
                batches.append([])
                size = 0
            batches[-1].append(key)
            size += n
        return best[1], batches

    def _orphans(self) -> list[Problem]:
        rows = self._rows(queries.orphans(self.staging, self.found.limit + 1))
        return [self._problem("IC-1", row["obs"], self.observation_contract) for row in rows]

    def _duplicates(self, dataset: URIRef, dimensions: list[Node]) -> None:
        rows = self._rows(queries.duplicates(self.staging, dataset, dimensions, self.found.limit + 1))
        self.found.add([self._problem("IC-12", row["obs"], self.contract, other=row["other"]) for row in rows])

    def _missing_measures(self, dataset: URIRef, dimensions: list[Node], measures: list[Node]) -> None:
        sparql = queries.missing_measures(self.staging, dataset, dimensions, measures, self.found.limit + 1)
        rows = self._rows(sparql)
        self.found.add([self._problem("IC-17", row["obs"], self.contract, measure=row["measure"]) for row in rows])

    @staticmethod
    def _problem(code: str, focus: Node, shapes: Graph, **values: Node) -> Problem:
        return Problem(code, message_of(shapes, code, **values), focus=str(focus), shape=str(shape_with_code(shapes, code)))
