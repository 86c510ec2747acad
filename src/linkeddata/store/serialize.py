"""Write a QueryResult in a requested media type.

A result pyoxigraph wrote (`QueryResult.native`) is re-written by pyoxigraph in every format.
Others (a remote store's, read into rdflib terms): graphs go through pyoxigraph; SPARQL JSON,
XML and CSV through rdflib; TSV is written here, as rdflib has no serializer for it. CSV and TSV follow "SPARQL 1.1 Query Results CSV and TSV
Formats" (W3C, 2013), which defines them for solutions only: a boolean cannot be written so.

>>> from rdflib import BNode, Literal, URIRef
>>> from .base import QueryResult
>>> rows = [{"s": URIRef("http://e/x"), "o": Literal("a\\tb", lang="en")}, {"o": BNode("b1")}]
>>> serialize_result(QueryResult("solutions", ["s", "o"], rows), "text/tab-separated-values")
b'?s\\t?o\\n<http://e/x>\\t"a\\\\tb"@en\\n\\t_:b1\\n'
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from ..errors import QueryError
from ..formats import OX_RDF, RDF_FORMATS, RDFLIB_RESULTS, RESULT_FORMATS, by_media_type
from .convert import to_oxigraph

if TYPE_CHECKING:
    from .base import QueryResult

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Literals Turtle may write bare, with the lexical forms its grammar takes for them (so the
# bare form reads back as exactly the same literal).
_BARE = {
    f"{_XSD}integer": re.compile(r"[+-]?[0-9]+"),
    f"{_XSD}decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    f"{_XSD}double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    f"{_XSD}boolean": re.compile(r"true|false"),
}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_OX_RESULTS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
}
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def serialize_result(result: "QueryResult", media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    native = result.native
    if result.kind == "graph":
        fmt = by_media_type(media_type, RDF_FORMATS)
        if fmt is None:
            raise QueryError(f"a graph cannot be written as {media_type}", status=406)
        kwargs = {"prefixes": prefixes} if prefixes and fmt.key in ("ttl", "rdf") else {}
        if native is not None:
            if fmt.key == "nt":
                return native.body
            return ox.serialize(ox.parse(native.body, format=ox.RdfFormat.N_TRIPLES), format=OX_RDF[fmt.key], **kwargs)
        assert result.graph is not None
        triples = [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in result.graph
        ]
        return ox.serialize(triples, format=OX_RDF[fmt.key], **kwargs)
    fmt = by_media_type(media_type, RESULT_FORMATS)
    if fmt is None:
        raise QueryError(f"{result.kind} results cannot be written as {media_type}", status=406)
    if fmt.key in ("csv", "tsv") and result.kind != "solutions":
        raise QueryError(f"{fmt.label} holds solutions only, not a {result.kind} answer: ask for JSON or XML", status=406)
    if native is not None and result.kind == "solutions":
        # pyoxigraph wrote it (as TSV): it re-writes it, with no Python object per term.
        if fmt.key == "tsv":
            return native.body
        solutions = ox.parse_query_results(native.body, format=ox.QueryResultsFormat.TSV)
        return solutions.serialize(format=_OX_RESULTS[fmt.key])  # type: ignore[union-attr]
    if fmt.key == "tsv":
        return _tsv(result.variables, result.rows)
    rdflib_result = Result("SELECT" if result.kind == "solutions" else "ASK")
    if result.kind == "boolean":
        rdflib_result.askAnswer = bool(result.boolean)
    else:
        # Columns in the order the query's SELECT names them, as every format wants.
        rdflib_result.vars = [Variable(v) for v in result.variables]
        rdflib_result.bindings = [{Variable(k): v for k, v in row.items()} for row in result.rows]
    body = rdflib_result.serialize(format=RDFLIB_RESULTS[fmt.key], encoding="utf-8")
    assert body is not None
    return body


def _tsv(variables: list[str], rows: list[dict[str, Node]]) -> bytes:
    """Solutions as TSV: `?name` headers, terms in Turtle syntax, an empty field when unbound."""
    blanks: dict[str, str] = {}
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_term(row.get(v), blanks) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: Node | None, blanks: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        label = str(term)
        if not _BLANK_LABEL.fullmatch(label):
            # A server's own label (Virtuoso's `nodeID://b10001`) that Turtle cannot spell:
            # renamed, the same node keeping the same new name throughout the result.
            label = blanks.setdefault(label, "n" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:20])
        return f"_:{label}"
    if isinstance(term, Literal):
        lexical = str(term)
        datatype = str(term.datatype) if term.datatype is not None else None
        if term.language:
            return f'"{lexical.translate(_ESCAPES)}"@{term.language}'
        if datatype in _BARE and _BARE[datatype].fullmatch(lexical):
            return lexical
        if datatype is None or datatype == f"{_XSD}string":
            return f'"{lexical.translate(_ESCAPES)}"'
        return f'"{lexical.translate(_ESCAPES)}"^^<{datatype}>'
    return str(term)
