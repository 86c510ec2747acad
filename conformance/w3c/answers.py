"""Answers as comparable data: solutions as multisets of rows (blank nodes up to renaming, typed
literals by value), booleans, and graphs by isomorphism."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from .manifests import RS

# -- data and results ----------------------------------------------------------------------------
def as_ntriples(path: Path, iri: str) -> bytes:
    """A data file as N-Triples, relative IRIs resolved against its IRI."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    out = io.BytesIO()
    ox.serialize(ox.parse(path=str(path), format=fmt, base_iri=iri), out, format=ox.RdfFormat.N_TRIPLES)
    return out.getvalue()


Term = tuple[str, ...]
Row = dict[str, Term]


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                             "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                             "unsignedLong", "unsignedShort", "unsignedByte")}


def literal(value: str, datatype: str, language: str) -> Term:
    """A literal by its value where its datatype has canonical forms (the suites write "3.21E4"
    where an engine writes "32100.0", "0" where it writes "false"); else as written."""
    try:
        if datatype in NUMBERS:
            value = str(Decimal(value.strip()).normalize())
        elif datatype in (XSD + "double", XSD + "float"):
            value = repr(float(value.strip()))
        elif datatype == XSD + "boolean":
            value = {"1": "true", "0": "false"}.get(value.strip(), value.strip())
    except (InvalidOperation, ValueError):
        pass
    return ("literal", value, datatype, language.lower())


def ox_term(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, term.datatype.value, term.language or "")
    return ("triple", str(term))


def rdflib_term(term: Any) -> Term:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype else (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" if term.language else "http://www.w3.org/2001/XMLSchema#string")
    return literal(str(term), datatype, term.language or "")


RESULT_FORMATS = {
    ".srx": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ".srj": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ".csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    ".tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}


@dataclass
class Answer:
    boolean: bool | None = None
    rows: list[Row] | None = None
    graph: Graph | None = None


def parse_results(data: bytes, fmt: ox.QueryResultsFormat) -> Answer:
    parsed = ox.parse_query_results(data, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return Answer(boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    rows = []
    for solution in parsed:
        row = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                row[name] = ox_term(value)
        rows.append(row)
    return Answer(rows=rows)


def rs_answer(graph: Graph) -> Answer | None:
    """A result set written in the DAWG result-set vocabulary, if the graph is one."""
    sets = list(graph.subjects(RDF.type, RS.ResultSet))
    if not sets:
        return None
    boolean = graph.value(sets[0], RS.boolean)
    if boolean is not None:
        return Answer(boolean=bool(boolean.toPython()))
    rows = []
    for solution in graph.objects(sets[0], RS.solution):
        row = {}
        for binding in graph.objects(solution, RS.binding):
            row[str(graph.value(binding, RS.variable))] = rdflib_term(graph.value(binding, RS.value))
        rows.append(row)
    return Answer(rows=rows)


def csv_rows(data: bytes) -> list[Row]:
    """SPARQL CSV results as cells of text (the format keeps no types), blank nodes as such."""
    import csv

    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader, [])
    return [
        {name: ("bnode", cell[2:]) if cell.startswith("_:") else ("text", cell) for name, cell in zip(header, row) if cell}
        for row in reader
    ]


def expected_answer(path: Path, iri: str) -> Answer:
    if path.suffix == ".csv":
        return Answer(rows=csv_rows(path.read_bytes()))
    if path.suffix in RESULT_FORMATS:
        return parse_results(path.read_bytes(), RESULT_FORMATS[path.suffix][0])
    graph = Graph()
    graph.parse(path, format="turtle" if path.suffix == ".ttl" else "xml", publicID=iri)
    return rs_answer(graph) or Answer(graph=graph)


def same_rows(expected: list[Row], actual: list[Row]) -> bool:
    """Equal as multisets, blank nodes matched by a consistent renaming."""
    if len(expected) != len(actual):
        return False
    key = lambda row: tuple(sorted((k, v) for k, v in row.items() if v[0] != "bnode"))  # noqa: E731
    if Counter(map(key, expected)) != Counter(map(key, actual)):
        return False
    if not any(v[0] == "bnode" for row in expected + actual for v in row.values()):
        return True
    budget = [200_000]

    def match(i: int, used: set[int], mapping: dict[str, str]) -> bool:
        if i == len(expected):
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        row = expected[i]
        for j, other in enumerate(actual):
            if j in used or other.keys() != row.keys():
                continue
            extended = dict(mapping)
            ok = True
            for name, value in row.items():
                theirs = other[name]
                if value[0] == "bnode" and theirs[0] == "bnode":
                    if extended.setdefault(value[1], theirs[1]) != theirs[1] or (
                        theirs[1] in {v for k, v in extended.items() if k != value[1]}):
                        ok = False
                        break
                elif value != theirs:
                    ok = False
                    break
            if ok and match(i + 1, used | {j}, extended):
                return True
        return False

    return match(0, set(), {})


def same_answer(expected: Answer, actual: Answer) -> bool:
    if expected.boolean is not None:
        return actual.boolean == expected.boolean
    if expected.graph is not None:
        return actual.graph is not None and isomorphic(expected.graph, actual.graph)
    return actual.rows is not None and same_rows(expected.rows or [], actual.rows)
