"""The SPARQL 1.1 Protocol endpoint at /sparql: queries only, never updates.

GET ?query=, POST application/x-www-form-urlencoded (query=...), POST application/sparql-query
(the query is the body). `default-graph-uri` and `named-graph-uri` narrow the dataset. Results
are negotiated by kind: solutions and booleans as SPARQL JSON/XML (and CSV/TSV for solutions),
graphs as Turtle, N-Triples, JSON-LD or RDF/XML; a browser gets the query page with a table.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from fastapi import APIRouter
from rdflib import Graph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML, RDF_FORMATS, RESULT_FORMATS, Format
from ..store import QueryResult
from ..store.serialize import serialize_result
from . import context
from .caching import etag, not_modified
from .examples import examples
from .negotiate import choose, content_type, negotiate
from .pages import render
from .problems import WebError
from .view import Namer, Term

MAX_BODY = 1_000_000  # bytes; a query longer than this is a mistake or an attack

FORMATS: dict[str, list[Format]] = {
    "solutions": [*RESULT_FORMATS.values(), HTML],
    # SPARQL 1.1 CSV/TSV are defined for solutions only: a boolean has no form in them.
    "boolean": [RESULT_FORMATS["json"], RESULT_FORMATS["xml"], HTML],
    "graph": [*(RDF_FORMATS[k] for k in ("ttl", "nt", "jsonld", "rdf")), HTML],
}

_ANY_KIND: list[Format] = list({f.key: f for formats in FORMATS.values() for f in formats}.values())
HTML_ROWS = 1000  # a browser table of 100,000 rows helps nobody; the data formats carry them all

router = APIRouter()


@dataclass
class ProtocolRequest:
    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format_key: str | None = None


async def read_protocol(request: Request) -> ProtocolRequest:
    """The protocol operation a request carries; refuses updates and unknown bodies."""
    params = list(request.query_params.multi_items())
    body_query: str | None = None
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "application/sparql-update":
            raise _read_only()
        if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise WebError(
                415, "unsupported_media_type",
                f"cannot read a {media_type or 'body with no Content-Type'}: POST a query as "
                "application/x-www-form-urlencoded (query=...) or as application/sparql-query",
            )
        body = await request.body()
        if len(body) > MAX_BODY:
            raise WebError(413, "too_large", f"the request body is over {MAX_BODY} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebError(400, "bad_request", "the request body is not UTF-8") from None
        if media_type == "application/sparql-query":
            body_query = text
        else:
            params += parse_qsl(text, keep_blank_values=True)
    names = [name for name, _ in params]
    if "update" in names:
        raise _read_only()
    queries = [value for name, value in params if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if len(queries) > 1:
        raise WebError(400, "bad_request", "give exactly one query; this request has several")
    formats = [value for name, value in params if name == "format"]
    if len(formats) > 1:
        raise WebError(400, "bad_request", "give ?format= once")
    return ProtocolRequest(
        query=queries[0] if queries and queries[0].strip() else None,
        default_graphs=[value for name, value in params if name == "default-graph-uri"],
        named_graphs=[value for name, value in params if name == "named-graph-uri"],
        format_key=formats[0] if formats else None,
    )


def _read_only() -> WebError:
    return WebError(403, "read_only", "this SPARQL endpoint is read-only: updates are not accepted")


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    operation = await read_protocol(request)
    accept = request.headers.get("accept")
    if operation.query is None:
        wants_page = operation.format_key == "html" or (
            operation.format_key is None and choose(FORMATS["solutions"], accept) is HTML
        )
        if request.method != "POST" and wants_page:
            return _page(request, "", None, None)
        raise WebError(400, "missing_query", "no query: pass one as ?query=, a form field or the body")

    # Refuse what no kind of result could be written as before running the query at all.
    negotiate(_ANY_KIND, accept, format_key=operation.format_key)
    store = context.store(request)
    headers = {"Vary": "Accept"}
    if request.method != "POST":
        # A GET names its query and dataset in the URL; the release and what the client asked
        # for decide the rest, so the tag is known before the query runs.
        variant = hashlib.sha256(f"{accept}|{operation.format_key}".encode()).hexdigest()[:16]
        tag = etag(store.version(), variant)
        cached = not_modified(request, tag, headers)
        if cached is not None:
            return cached
        headers["ETag"] = tag

    limit = context.settings(request).result_limit
    result = await run_in_threadpool(
        lambda: store.query(
            operation.query or "",
            default_graph_uris=operation.default_graphs,
            named_graph_uris=operation.named_graphs,
            limit=limit,
        )
    )
    fmt = negotiate(FORMATS[result.kind], accept, format_key=operation.format_key)
    if result.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    if fmt is HTML:
        return _page(request, operation.query or "", result, headers)
    body = serialize_result(result, fmt.media_type, context.prefixes(request))
    return Response(body, media_type=content_type(fmt), headers=headers)


def _page(request: Request, query: str, result: QueryResult | None, headers: dict[str, str] | None) -> Response:
    base = context.settings(request).base_uri
    table: dict[str, object] | None = None
    if result is not None:
        table = _table(result, Namer(result.graph or Graph(), context.minter(request), context.prefixes(request)))
    html = render(request, "query.html", {
        "query": query or examples(base)[0].query,
        "examples": examples(base),
        "result": result,
        "table": table,
        "limit": context.settings(request).result_limit,
    })
    return Response(html, media_type="text/html; charset=utf-8", headers={"Vary": "Accept", **(headers or {})})


def _table(result: QueryResult, namer: Namer) -> dict[str, object]:
    """Rows of Terms for the HTML results table (at most HTML_ROWS), whatever the kind of result."""
    if result.kind == "boolean":
        return {"columns": ["answer"], "rows": [[Term("true" if result.boolean else "false")]], "total": 1}
    if result.kind == "graph":
        assert result.graph is not None
        triples = sorted(result.graph)
        rows = [[namer.term(s), namer.term(p), namer.term(o)] for s, p, o in triples[:HTML_ROWS]]
        return {"columns": ["subject", "predicate", "object"], "rows": rows, "total": len(triples)}
    rows = [
        [namer.term(row[v]) if v in row else Term("") for v in result.variables]
        for row in result.rows[:HTML_ROWS]
    ]
    return {"columns": result.variables, "rows": rows, "total": len(result.rows)}

