"""Validate a release staged in the store without holding the cube in memory.

    1. structure: the data sets, structures and component properties -> pySHACL, once
    2. every observation, set-oriented: each constraint of shapes/observations.ttl and of
       shapes/cube.ttl (as generated from each data set's structure) is one query on the
       store over the whole staged graph, answering only with the observations that break
       it (at most the problem cap)                                     -> store queries
    3. the observations the queries flagged, with the types and code lists of their values
       -> pySHACL, with shapes/observations.ttl + Core shapes generated from the structure,
       in chunks of `chunk_size`; so a problem is pySHACL's report of it. What pySHACL
       cannot see in that extract (IC-12 and IC-17 compare observations; a data set typed
       in another graph) is reported from the query, with the shape's code and message.

Stops after MAX_PROBLEMS problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import Problem
from ..namespaces import DCTERMS, QB, RDF, RDFS, SDMX_ATTRIBUTE, SH
from ..store.base import Store
from . import queries
from .generated import code_list_kind, observation_shapes, structure_dimensions, structure_measures
from .hierarchy import off_hierarchy
from .report import MAX_PROBLEMS, Collector, _order, coded_problem, run_shacl
from .shapes import HOMEOFFICE, Profile, shapes_graph
from .slices import slice_findings


def validate_release(
    store: Store,
    staging_graph: str,
    context_graphs: list[str],
    base: str,
    chunk_size: int = 5000,
    max_problems: int = MAX_PROBLEMS,
    structure_graph: str | None = None,
    profile: Profile = HOMEOFFICE,
) -> list[Problem]:
    """Problems of the release in `staging_graph`; reference data comes from `context_graphs`.

    `chunk_size` bounds how many flagged observations one pySHACL run looks at.
    `structure_graph`: where the data sets and their structures are, when not with the
    observations (a partition of a data set is checked against its data set's own graph).
    `profile`: which rules (shapes.SPEC: the Data Cube integrity constraints alone).
    The staged data is read as written: stage it in the Data Cube's normal form (normalise.py).
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size {chunk_size!r} must be at least 1")
    graphs = [staging_graph, *context_graphs]
    check = _Release(store, staging_graph, graphs, base, chunk_size, max_problems, structure_graph or staging_graph,
                     profile)
    return check.run()


SDMX_OBS_STATUS = SDMX_ATTRIBUTE.obsStatus


@dataclass(frozen=True)
class Finding:
    """A focus node a query found breaking the rule with `code`."""

    code: str
    focus: Node
    values: tuple[tuple[str, Node], ...] = ()  # the message's {?name} values
    value: Node | None = None  # the offending value, shown as pySHACL shows it
    dataset: Node | None = None  # the data set whose structure the rule came from


# What a shape of shapes/observations.ttl may say for its query to be generated here.
_SUPPORTED = {
    SH.path, SH.targetClass, SH.targetSubjectsOf, SH.minCount, SH.maxCount, SH["class"],
    SH.datatype, SH.minInclusive, SH.message,
}
_ANNOTATIONS = {RDF.type, DCTERMS.identifier, RDFS.label, RDFS.comment}


class _Release:
    def __init__(
        self, store: Store, staging: str, graphs: list[str], base: str, chunk_size: int, limit: int, structure: str,
        profile: Profile,
    ):
        self.store = store
        self.staging = staging
        self.structure_graph = structure
        self.graphs = graphs
        self.chunk_size = chunk_size
        self.found = Collector(limit)
        self.contract = shapes_graph(base, profile.cube)
        self.observation_contract = shapes_graph(base, profile.observations)
        self.structure_shapes = shapes_graph(base, profile.structure)
        self.messages = self.contract + self.observation_contract
        self.findings: dict[tuple, Finding] = {}
        self.budget = limit  # problems the findings may still become

    # -- the run ---------------------------------------------------------------------------
    def run(self) -> list[Problem]:
        structure = self._graph(queries.structure(self.structure_graph))
        structure_problems = run_shacl(structure, self.structure_shapes, own_data=True)
        self.found.add(structure_problems)
        self.budget -= len(structure_problems)
        datasets = sorted(s for s in structure.subjects(RDF.type, QB.DataSet) if isinstance(s, URIRef))
        counts = {row["dataset"]: int(row["n"]) for row in self._rows(queries.data_sets(self.staging))}  # type: ignore[call-overload]
        self._observation_shapes()
        for dataset in datasets:
            if self.full:
                break
            self._data_set(structure, dataset, counts.get(dataset, 0))
        for finding in slice_findings(self._rows, self.limit):
            self._find(Finding(finding.code, finding.focus, finding.values))
        if not self.full:
            for found in off_hierarchy(self._rows, self.limit, self.staging, self.structure_graph):
                self._find(Finding(found.code, found.observation, (("dim", found.dimension), ("list", found.code_list)),
                                   value=found.value, dataset=found.dataset))
        self.found.add(sorted(self._report(structure, set(datasets)), key=_order))
        return self.found.problems()

    @property
    def full(self) -> bool:
        return len(self.findings) > self.budget

    @property
    def limit(self) -> int:
        """Rows a query need return: one past what would fill the cap."""
        return max(self.budget - len(self.findings), 0) + 1

    def _graph(self, sparql: str) -> Graph:
        result = self.store.query_staging(sparql, self.graphs)
        assert result.graph is not None, "a CONSTRUCT query answers with a graph"
        return result.graph

    def _rows(self, sparql: str) -> list[dict[str, Node]]:
        return self.store.query_staging(sparql, self.graphs).rows

    def _find(self, finding: Finding) -> None:
        self.findings.setdefault((finding.code, finding.focus, finding.values), finding)

    # -- shapes/observations.ttl: SHACL Core property shapes as queries -----------------------
    def _observation_shapes(self) -> None:
        shapes = self.observation_contract
        for shape in sorted(s for s in shapes.subjects(DCTERMS.identifier, None) if isinstance(s, URIRef)):
            if self.full:
                return
            code = str(shapes.value(shape, DCTERMS.identifier))
            unknown = {p for p, _ in shapes.predicate_objects(shape)} - _SUPPORTED - _ANNOTATIONS
            path = shapes.value(shape, SH.path)
            if unknown or not isinstance(path, URIRef):
                raise ValueError(f"shape {shape} ({code}): the release check has no query for "
                                 f"{', '.join(sorted(map(str, unknown))) or 'a path that is not a property'}")
            classes = sorted(shapes.objects(shape, SH.targetClass))
            subjects_of = sorted(shapes.objects(shape, SH.targetSubjectsOf))
            focus = queries.targets(self.staging, classes, subjects_of)
            self._min_count(code, shapes.value(shape, SH.minCount), classes, subjects_of, path)
            self._max_count(code, shapes.value(shape, SH.maxCount), focus, path)
            cls = shapes.value(shape, SH["class"])
            members = [row["c"] for row in self._rows(queries.subclasses(cls))] if cls is not None else []
            test = queries.value_test(members, shapes.value(shape, SH.datatype),
                                      shapes.value(shape, SH.minInclusive))  # type: ignore[arg-type]
            if test is not None and not self.full:
                for row in self._bad(path, test, focus):
                    self._find(Finding(code, row["f"], value=row["v"]))

    def _bad(self, path: Node, test: str, focus: str) -> list[dict[str, Node]]:
        """Focus nodes with a value on `path` for which `test` holds."""
        used = [row["v"] for row in self._rows(queries.distinct_values(self.staging, path))]
        values = [row["v"] for start in range(0, len(used), 1000)
                  for row in self._rows(queries.failing(used[start:start + 1000], test))]
        rows: list[dict[str, Node]] = []
        for start in range(0, len(values), 500):
            if len(rows) >= self.limit:
                break
            rows += self._rows(queries.using(self.staging, focus, path, values[start:start + 500], self.limit))
        return rows[:self.limit]

    def _min_count(self, code: str, least: Node | None, classes: list[Node], subjects_of: list[Node], path: URIRef) -> None:
        if least is None or self.full:
            return
        if int(least) != 1:  # type: ignore[call-overload]
            raise ValueError(f"{code}: the release check has a query for sh:minCount 1 only")
        # Subjects of the path itself have a value for it; the other targets may not.
        others = [p for p in subjects_of if p != path]
        if classes or others:
            focus = queries.targets(self.staging, classes, others)
            for row in self._rows(queries.lacking(self.staging, focus, path, self.limit)):
                self._find(Finding(code, row["f"]))

    def _max_count(self, code: str, most: Node | None, focus: str, path: URIRef) -> None:
        if most is None or self.full:
            return
        counts = self._rows(queries.value_counts(self.staging, path))[0]
        if counts["triples"] == counts["subjects"] and int(most) >= 1:  # type: ignore[call-overload]
            return  # no subject has two values
        for row in self._rows(queries.too_many(self.staging, focus, path, int(most), self.limit)):  # type: ignore[call-overload]
            self._find(Finding(code, row["f"]))

    # -- shapes/cube.ttl: per data set, from its structure ----------------------------------
    def _data_set(self, structure: Graph, dataset: URIRef, observations: int) -> None:
        dsd = structure.value(dataset, QB.structure)
        if dsd is None or observations == 0:
            return  # IC-2 reports a data set without structure
        dimensions = structure_dimensions(structure, dataset)
        measures = structure_measures(structure, dataset)
        attributes = sorted({
            a for spec in structure.objects(dsd, QB.component)
            if structure.value(spec, QB.componentRequired) == Literal(True)
            for a in structure.objects(spec, QB.attribute)
        })
        measure_dimension = QB.measureType in dimensions
        required = [("IC-11", "dim", d) for d in dimensions] + [("IC-13", "attribute", a) for a in attributes]
        # An observation status (a sub-property of sdmx-attribute:obsStatus) excuses a missing
        # measure: the table marked the cell, and we publish no invented value (see IC-14).
        statuses = [
            a for spec in structure.objects(dsd, QB.component) for a in structure.objects(spec, QB.attribute)
            if a == SDMX_OBS_STATUS or (a, RDFS.subPropertyOf, SDMX_OBS_STATUS) in structure
        ]
        if not measure_dimension and not statuses:
            required += [("IC-14", "measure", m) for m in measures]
        elif not measure_dimension:
            for measure in measures:
                for row in self._rows(queries.missing(self.staging, dataset, measure, self.limit, statuses)):
                    self._find(Finding("IC-14", row["obs"], (("measure", measure),), dataset=dataset))
        threshold = next((int(t) for p, t in structure.predicate_objects(dataset)
                          if str(p).endswith("/def/statistics/disclosureThreshold")), None)
        if threshold is not None:
            for measure in measures:
                for row in self._rows(queries.below_threshold(self.staging, dataset, measure, threshold, self.limit)):
                    self._find(Finding("DISCLOSURE", row["obs"], (("value", row["value"]), ("threshold", Literal(threshold))),
                                       dataset=dataset))
        incomplete: dict[Node, list[URIRef]] = {}
        # One query per component: on pyoxigraph, five of these cost a third of counting the
        # observations that have every component (the guard they replaced, measured at 100k).
        for code, name, component in required:
            if self.full:
                return
            for row in self._rows(queries.missing(self.staging, dataset, component, self.limit)):
                self._find(Finding(code, row["obs"], ((name, component),), dataset=dataset))
                if code == "IC-11" and isinstance(row["obs"], URIRef):
                    incomplete.setdefault(component, []).append(row["obs"])
        if dimensions and not self.full:
            self._duplicates(dataset, dimensions, incomplete)
        for dimension in dimensions:
            for code_list in sorted(structure.objects(dimension, QB.codeList)):
                kind = code_list_kind(structure, code_list)
                if self.full:
                    return
                if kind is None:
                    continue  # not a list IC-19 checks (hierarchical, or not in the data)
                focus = f"GRAPH <{self.staging}> {{ ?f qb:dataSet {dataset.n3()} }}"
                for row in self._bad(dimension, queries.not_in_list(code_list, kind), focus):
                    self._find(Finding("IC-19", row["f"], (("dim", dimension), ("list", code_list)),
                                       value=row["v"], dataset=dataset))
        if measure_dimension and not self.full:
            for row in self._rows(queries.measure_type_unmet(self.staging, dataset, self.limit)):
                self._find(Finding("IC-15", row["obs"], (("measure", row["measure"]),), dataset=dataset))
            if not self.full:
                for row in self._rows(queries.other_measures(self.staging, dataset, measures, self.limit)):
                    self._find(Finding("IC-16", row["obs"], (("measureType", row["measureType"]), ("measure", row["measure"])),
                                       dataset=dataset))
            if len(measures) > 1 and not self.full:
                sparql = queries.missing_measures(self.staging, dataset, dimensions, measures, self.limit)
                for row in self._rows(sparql):
                    self._find(Finding("IC-17", row["obs"], (("measure", row["measure"]),), dataset=dataset))

    def _duplicates(self, dataset: URIRef, dimensions: list[Node], incomplete: dict[Node, list[URIRef]]) -> None:
        """IC-12: observations of one cell (grouped, across the whole cube); and, for each
        observation lacking a dimension, those it does not differ from (the contract's rule)."""
        names = [f"v{i}" for i in range(len(dimensions))]
        cells = [[row[n] for n in names] for row in self._rows(queries.duplicate_cells(self.staging, dataset, dimensions, self.limit))]
        members: dict[tuple, list[Node]] = {}
        for start in range(0, len(cells), 50):
            rows = self._rows(queries.cell_members(self.staging, dataset, dimensions, cells[start:start + 50]))
            for row in rows:
                members.setdefault(tuple(row[n] for n in names), []).append(row["obs"])
        for group in members.values():
            group.sort(key=str)
            for obs in group:
                other = group[1] if obs == group[0] else group[0]
                self._find(Finding("IC-12", obs, (("other", other),), dataset=dataset))
        lacking = sorted({o for found in incomplete.values() for o in found}, key=str)
        for obs in lacking:
            if self.full:
                return
            values = {row["dim"]: row["v"] for row in self._rows(
                queries.PREFIXES + f"SELECT ?dim ?v WHERE {{ VALUES ?dim {{ {' '.join(d.n3() for d in dimensions)} }} "
                f"GRAPH <{self.staging}> {{ {obs.n3()} ?dim ?v }} }}")}
            present = next((d for d in dimensions if d in values), None)
            if present is None:
                continue  # no dimension to compare: the spec's IC-12 finds no duplicate of it
            sparql = queries.duplicates_of_incomplete(
                self.staging, dataset, obs, dimensions, present, values.get(present) if present is not None else None,
                incomplete.get(present, []) if present is not None else [], self.limit)
            for row in self._rows(sparql):
                self._find(Finding("IC-12", obs, (("other", row["other"]),), dataset=dataset))
                self._find(Finding("IC-12", row["other"], (("other", obs),), dataset=dataset))

    # -- the report: pySHACL on what the queries flagged --------------------------------------
    def _report(self, structure: Graph, datasets: set[URIRef]) -> list[Problem]:
        flagged = sorted({f.focus for f in self.findings.values() if isinstance(f.focus, URIRef)}, key=str)
        problems: list[Problem] = []
        shapes: dict[Node | None, Graph] = {None: self.observation_contract}
        for start in range(0, len(flagged), self.chunk_size):
            batch = flagged[start:start + self.chunk_size]
            extract = self._graph(queries.extract(self.staging, batch))
            groups: dict[Node | None, list[URIRef]] = {}
            for obs in batch:
                own = sorted(set(extract.objects(obs, QB.dataSet)) & datasets, key=str)
                groups.setdefault(own[0] if own else None, []).append(obs)
            for dataset, observations in sorted(groups.items(), key=lambda kv: str(kv[0])):
                if dataset not in shapes:
                    shapes[dataset] = self.observation_contract + observation_shapes(structure, dataset, self.contract)
                graph = extract if len(groups) == 1 else _only(extract, set(observations), set(batch))
                # A result on a value (a nested shape's own report) is not a problem of its own.
                names = {str(o) for o in observations}
                problems += [p for p in run_shacl(graph, shapes[dataset], own_data=True) if p.focus in names]
        seen = {(p.code, p.focus) for p in problems}
        for finding in self.findings.values():
            problem = self._problem(finding)
            if (problem.code, problem.focus) not in seen:
                problems.append(problem)
        return problems

    def _problem(self, finding: Finding) -> Problem:
        return coded_problem(self.messages, finding.code, finding.focus, dict(finding.values), finding.value)


def _only(extract: Graph, keep: set[URIRef], batch: set[URIRef]) -> Graph:
    """The extract without the triples of the batch's other observations."""
    graph = Graph()
    for triple in extract:
        if triple[0] in keep or triple[0] not in batch:
            graph.add(triple)
    return graph

