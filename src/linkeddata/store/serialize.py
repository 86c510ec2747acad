"""Write a QueryResult in a requested media type."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.query import Result

from ..errors import QueryError
from ..formats import OX_RDF, RDF_FORMATS, RDFLIB_RESULTS, RESULT_FORMATS, by_media_type
from .convert import to_oxigraph

if TYPE_CHECKING:
    from .base import QueryResult


def serialize_result(result: "QueryResult", media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    if result.kind == "graph":
        fmt = by_media_type(media_type, RDF_FORMATS)
        if fmt is None:
            raise QueryError(f"a graph cannot be written as {media_type}", status=406)
        assert result.graph is not None
        triples = [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in result.graph
        ]
        kwargs = {"prefixes": prefixes} if prefixes and fmt.key in ("ttl", "rdf") else {}
        return ox.serialize(triples, format=OX_RDF[fmt.key], **kwargs)
    fmt = by_media_type(media_type, RESULT_FORMATS)
    if fmt is None:
        raise QueryError(f"{result.kind} results cannot be written as {media_type}", status=406)
    rdflib_result = Result("SELECT" if result.kind == "solutions" else "ASK")
    if result.kind == "boolean":
        rdflib_result.askAnswer = bool(result.boolean)
    else:
        from rdflib import Variable

        rdflib_result.vars = [Variable(v) for v in result.variables]
        rdflib_result.bindings = [{Variable(k): v for k, v in row.items()} for row in result.rows]
    body = rdflib_result.serialize(format=RDFLIB_RESULTS[fmt.key], encoding="utf-8")
    assert body is not None
    return body
