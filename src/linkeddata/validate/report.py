"""Run pySHACL and turn its report into Problems; cap how many a release may produce."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ..errors import Problem
from ..namespaces import RDF, SH, XSD
from .shapes import identify, message_of, shape_with_code

MAX_PROBLEMS = 100
TOO_MANY = "TOO-MANY-PROBLEMS"

_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "warning"}


def show(term: Node) -> str:
    """A term as a person reads it in a message: <iri>, "text", "3.5"^^xsd:decimal."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype).startswith(str(XSD)):
        return f'"{term}"^^xsd:{term.datatype[len(str(XSD)):]}'
    return term.n3()


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class QueryCachingGraph(Graph):
    """A Graph that parses each distinct SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node with the same text (only the
    bindings differ) and rdflib parses it every time: ~40 ms a parse, most of the run.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        init_ns = args[2] if len(args) > 2 else kwargs.get("initNs")
        if isinstance(query_object, str) and not init_ns:
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def run_shacl(data: Graph, shapes: Graph, *, own_data: bool = False) -> list[Problem]:
    """Validate `data` with `shapes`; `own_data` lets pySHACL use a graph we built in place."""
    if not own_data:
        copy = QueryCachingGraph()
        copy += data
        data = copy
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inplace=True, allow_warnings=True)
    assert isinstance(results, Graph)
    return sorted(problems_from_results(results, shapes), key=_order)


def problems_from_results(results: Graph, shapes: Graph) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        code, shape = identify(shapes, results.value(result, SH.sourceShape))
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        message = messages[0] if messages else f"does not conform to shape {shape}"
        if value is not None and value != focus:
            message += f" (value: {show(value)})"
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "error")  # type: ignore[arg-type]
        problem = Problem(code, message, focus=_name(focus), shape=shape, severity=severity)
        # One value can break two constraints of one shape (a string is neither an integer nor >= 0).
        problems.setdefault((code, problem.focus, shape, message), problem)
    return list(problems.values())


def coded_problem(shapes: Graph, code: str, focus: Node, values: dict[str, Node], value: Node | None = None) -> Problem:
    """A problem a query found (not pySHACL), with the code's shape, message and severity."""
    message = message_of(shapes, code, **values)
    if value is not None and value != focus:
        message += f" (value: {show(value)})"
    return Problem(code, message, focus=_name(focus), shape=str(shape_with_code(shapes, code)))


def _name(term: Node | None) -> str | None:
    if term is None:
        return None
    return str(term) if isinstance(term, URIRef) else term.n3()


def _order(problem: Problem) -> tuple:
    return (problem.severity != "error", problem.code, problem.focus or "", problem.message)


class Collector:
    """Problems of a release, deduplicated, stopping at `limit` so a broken million-row
    file says what is wrong in a page rather than a million lines."""

    def __init__(self, limit: int = MAX_PROBLEMS):
        self.limit = limit
        self._problems: dict[tuple, Problem] = {}
        self.overflowed = False

    @property
    def full(self) -> bool:
        return self.overflowed

    def add(self, problems: list[Problem]) -> None:
        for problem in problems:
            key = (problem.code, problem.focus, problem.shape, problem.message)
            if key in self._problems:
                continue
            if len(self._problems) >= self.limit:
                self.overflowed = True
                return
            self._problems[key] = problem

    def problems(self) -> list[Problem]:
        found = list(self._problems.values())
        if self.overflowed:
            found.append(Problem(
                TOO_MANY,
                f"stopped after {self.limit} problems; there are more. Fix these and validate again",
            ))
        return found
