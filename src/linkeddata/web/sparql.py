"""The SPARQL 1.1 Protocol endpoint at /sparql.

Queries: GET ?query=, POST application/x-www-form-urlencoded (query=...), POST
application/sparql-query (the query is the body). The dataset is the request's
`default-graph-uri` / `named-graph-uri` when it gives any, else the query's FROM / FROM NAMED,
else the union of the published graphs (store/base.py). Relative IRIs resolve against this
endpoint's IRI, `{base}/sparql`. A HAVING that reads a SELECT alias is refused (400
having_alias): the alias is unbound where HAVING is evaluated, so the answer would be empty
whatever the data. Results are negotiated by kind: solutions and booleans as SPARQL JSON/XML
(and CSV/TSV for solutions), graphs as Turtle, N-Triples, JSON-LD or RDF/XML; a browser gets
the query page with a table. Updates (POST update=..., application/sparql-update) go to
`update.py`, and only with the access token.

GET /sparql with no parameters: the query page for a browser, the service description
(`service.py`) for anyone else.

Every query runs through the app's query runner (`store.workers`): the time limit stops it,
and a slow query never holds up the others. Answers are kept per store version in an
`AnswerCache`, so a repeated query is answered without running it again; its ETag is made of
the version and the request, so a client revalidates with a 304.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from threading import Lock
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter
from rdflib import Graph
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML, RDF_FORMATS, RESULT_FORMATS, Format
from ..store import QueryResult
from ..store.serialize import serialize_result
from ..store.sparqltext import having_alias
from ..store.workers import QueryRunner, WorkerLimits, query_runner
from . import context
from .caching import AnswerCache, etag, not_modified
from .examples import by_dataset, default_query
from .federation import CHECK_LIMIT, fetched
from .guard import read_body
from .negotiate import by_format_name, choose, content_type, negotiate
from .pages import render
from .problems import WebError
from .service import service_description
from .view import Namer, Term

FORMATS: dict[str, list[Format]] = {
    "solutions": [*RESULT_FORMATS.values(), HTML],
    # SPARQL 1.1 CSV/TSV are defined for solutions only: a boolean has no form in them.
    "boolean": [RESULT_FORMATS["json"], RESULT_FORMATS["xml"], HTML],
    "graph": [*(RDF_FORMATS[k] for k in ("ttl", "nt", "jsonld", "rdf")), HTML],
}
# What GET /sparql with no query is offered as: the service description, or the page.
DESCRIPTION_FORMATS: list[Format] = [*(RDF_FORMATS[k] for k in ("ttl", "nt", "jsonld", "rdf")), HTML]

_ANY_KIND: list[Format] = list({f.key: f for formats in FORMATS.values() for f in formats}.values())
HTML_ROWS = 1000  # a browser table of 100,000 rows helps nobody; the data formats carry them all
TRUNCATED = "X-SPARQL-Truncated"

router = APIRouter()


# -- the app's query runner and answer cache (started with the app, or on first use) ----------
_START = Lock()


def start(app: object) -> None:
    state = app.state  # type: ignore[attr-defined]
    with _START:
        if getattr(state, "query_runner", None) is None:
            settings = state.settings
            limits = WorkerLimits(memory_mb=settings.query_worker_memory_mb, network=bool(settings.service_endpoints))
            state.query_runner = query_runner(
                state.store, timeout=settings.query_timeout, workers=settings.query_workers, limits=limits,
            )
            state.answers = AnswerCache(settings.query_cache_mb * 1_000_000)


def stop(app: object) -> None:
    state = app.state  # type: ignore[attr-defined]
    runner = getattr(state, "query_runner", None)
    if runner is not None:
        runner.close()
        state.query_runner = None


def runner_of(request: Request) -> tuple[QueryRunner, AnswerCache]:
    if getattr(request.app.state, "query_runner", None) is None:
        start(request.app)
    return request.app.state.query_runner, request.app.state.answers


# -- reading the protocol operation ---------------------------------------------------------
@dataclass
class ProtocolRequest:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)
    format_key: str | None = None
    bare: bool = False  # a GET with no parameters but ?format=: a GET of the service itself


_N3 = {"n3": "ttl", "text/n3": "ttl", "text/rdf+n3": "ttl"}
_QUERY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update")


async def read_protocol(request: Request) -> ProtocolRequest:
    """The one operation a request carries; 400 for anything ambiguous or unreadable, 413 for size."""
    params = list(request.query_params.multi_items())
    queries: list[str] = []
    updates: list[str] = []
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in _QUERY_TYPES:
            # The issue and the W3C protocol tests ask for a 400 here (the Graph Store answers 415).
            raise WebError(
                400, "unsupported_media_type",
                f"cannot read a {media_type or 'body with no Content-Type'}: POST a query as "
                "application/x-www-form-urlencoded (query=...) or as application/sparql-query, "
                "an update as update=... or application/sparql-update",
            )
        charset = _charset(request.headers.get("content-type", ""))
        if charset not in (None, "utf-8", "utf8"):
            raise WebError(400, "bad_request", f"the body is declared {charset}: send it as UTF-8, as the SPARQL Protocol asks")
        body = await read_body(request, context.settings(request).max_request_bytes)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebError(400, "bad_request", "the request body is not UTF-8") from None
        if media_type == "application/sparql-query":
            queries.append(text)
        elif media_type == "application/sparql-update":
            updates.append(text)
        else:
            params += parse_qsl(text, keep_blank_values=True)
    queries += [value for name, value in params if name == "query"]
    updates += [value for name, value in params if name == "update"]
    values = {name: [v for n, v in params if n == name] for name in {n for n, _ in params}}
    if len(queries) > 1:
        raise WebError(400, "bad_request", "give exactly one query; this request has several")
    if len(updates) > 1:
        raise WebError(400, "bad_request", "give exactly one update; this request has several")
    if queries and updates:
        raise WebError(400, "bad_request", "a request is a query or an update, not both")
    if queries and ("using-graph-uri" in values or "using-named-graph-uri" in values):
        raise WebError(400, "bad_request", "using-graph-uri and using-named-graph-uri go with an update, not a query")
    if updates and ("default-graph-uri" in values or "named-graph-uri" in values):
        raise WebError(400, "bad_request", "default-graph-uri and named-graph-uri go with a query; an update takes using-graph-uri")
    # Some clients name one format twice (SPARQLWrapper: format=tsv&format=text/tab-separated-values),
    # or as N3, which Turtle is a part of. Values that name nothing here are left to the first.
    formats = [_N3.get(f.strip().lower(), f) for f in values.get("format", [])]
    known = [f for f in formats if by_format_name(f, _ANY_KIND) is not None]
    if len({by_format_name(f, _ANY_KIND).key for f in known}) > 1:  # type: ignore[union-attr]
        raise WebError(400, "bad_request", "give ?format= once")
    formats = known or formats
    return ProtocolRequest(
        query=queries[0] if queries and queries[0].strip() else None,
        update=updates[0] if updates else None,
        default_graphs=values.get("default-graph-uri", []),
        named_graphs=values.get("named-graph-uri", []),
        using_graphs=values.get("using-graph-uri", []),
        using_named_graphs=values.get("using-named-graph-uri", []),
        format_key=formats[0] if formats else None,
        bare=request.method != "POST" and all(name == "format" for name, _ in params),
    )


def _charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type, lower-cased; None when it names none."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def check_fetches(text: str, allowed: frozenset[str], *, update: bool = False) -> None:
    """Refuse SERVICE to an endpoint not on the allow-list, and LOAD: the server fetches for nobody."""
    found = fetched(text, update=update)
    if found.load:
        raise WebError(403, "load_refused", "LOAD is not accepted: this server fetches no URLs; PUT the data to /rdf-graph-store instead")
    if found.services and not found.checked:
        raise WebError(
            403, "service_refused",
            "this query holds the word SERVICE but could not be checked for the endpoints it would call: "
            f"write it in plain SPARQL 1.1, under {CHECK_LIMIT:,} characters, with the endpoint's full IRI "
            "and no BASE",
        )
    listing = ", ".join(sorted(allowed)) if allowed else "none is allowed here"
    for endpoint in found.services:
        if endpoint is None:
            raise WebError(403, "service_refused", f"SERVICE with a variable endpoint is refused: name one of the allowed endpoints ({listing})")
        if endpoint not in allowed:
            raise WebError(
                403, "service_refused",
                f"SERVICE {endpoint} is refused: this endpoint calls only the SPARQL endpoints its operator "
                f"allows ({listing})",
            )


def check_query(text: str, allowed: frozenset[str]) -> None:
    """What is refused before a query runs: SERVICE not allowed, and a HAVING that could only
    ever answer nothing (it reads a SELECT alias, unbound where HAVING is evaluated)."""
    check_fetches(text, allowed)
    alias = having_alias(text)
    if alias is not None:
        raise WebError(400, "having_alias", alias.message())


# -- the route --------------------------------------------------------------------------------
@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    started = time.perf_counter()
    operation = await read_protocol(request)
    if operation.update is not None:
        from .update import run_update

        return await run_update(request, operation)
    accept = request.headers.get("accept")
    if operation.query is None:
        return _no_query(request, operation, accept)
    settings = context.settings(request)

    # Refuse what no kind of result could be written as before running the query at all.
    negotiate(_ANY_KIND, accept, format_key=operation.format_key)
    store = context.store(request)
    runner, answers = runner_of(request)
    version = store.version()
    key = "\x1f".join([
        operation.query, "\x1e".join(operation.default_graphs), "\x1e".join(operation.named_graphs),
        accept or "", operation.format_key or "",
    ])
    tag = etag(version, hashlib.sha256(key.encode()).hexdigest()[:20])
    headers = {"Vary": "Accept", "ETag": tag}
    cached = not_modified(request, tag, headers)
    if cached is not None:
        return cached
    answer = answers.get(version, key)
    if answer is not None:
        timing = f"cache;desc=hit;dur={(time.perf_counter() - started) * 1000:.3f}"
        return Response(answer.body, media_type=answer.media_type, headers={**headers, **answer.headers, "Server-Timing": timing})

    # After the cache: an answer was only kept once its query had passed this check, and parsing
    # costs milliseconds a repeated query need not pay.
    await run_in_threadpool(check_query, operation.query, settings.service_endpoints)
    result = await run_in_threadpool(
        runner.query, operation.query, default_graph_uris=operation.default_graphs,
        named_graph_uris=operation.named_graphs, limit=settings.result_limit,
        base_iri=context.minter(request).sparql(),
    )
    fmt = negotiate(FORMATS[result.kind], accept, format_key=operation.format_key)
    extra = {TRUNCATED: "true"} if result.truncated else {}
    if fmt is HTML:
        body = _page(request, operation.query, result).encode("utf-8")
        media_type = "text/html; charset=utf-8"
    else:
        body = serialize_result(result, fmt.media_type, context.prefixes(request))
        media_type = content_type(fmt)
    answers.put(version, key, body, media_type, extra)
    timing = f"query;dur={(time.perf_counter() - started) * 1000:.1f}"
    return Response(body, media_type=media_type, headers={**headers, **extra, "Server-Timing": timing})


def _no_query(request: Request, operation: ProtocolRequest, accept: str | None) -> Response:
    """The page for a browser; the service description for an RDF client on a bare GET."""
    if request.method == "POST":
        raise WebError(400, "missing_query", "no query: pass one as ?query=, a form field or the body")
    if operation.format_key == "html" or (operation.format_key is None and choose(DESCRIPTION_FORMATS, accept) is HTML):
        html = _page(request, "", None)
        return Response(html, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    if not operation.bare:
        raise WebError(400, "missing_query", "no query: pass one as ?query=, a form field or the body")
    fmt = negotiate(DESCRIPTION_FORMATS, accept, format_key=operation.format_key)
    store = context.store(request)
    endpoint = context.minter(request).sparql()
    graph = service_description(endpoint, context.settings(request), store.graphs())
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix in ("sd", "formats", "rdfs")}
    body = serialize_result(QueryResult("graph", graph=graph), fmt.media_type, prefixes)
    return Response(body, media_type=content_type(fmt), headers={"Vary": "Accept", "ETag": etag(store.version(), "sd-" + fmt.key)})


# -- the query page ---------------------------------------------------------------------------
def _page(request: Request, query: str, result: QueryResult | None) -> str:
    settings = context.settings(request)
    base = settings.base_uri
    table: dict[str, object] | None = None
    downloads: list[tuple[str, str]] = []
    if result is not None:
        table = _table(result, Namer(result.graph or Graph(), context.minter(request), context.prefixes(request)))
        keys = {"solutions": ["csv", "json", "tsv", "xml"], "boolean": ["json", "xml"], "graph": ["ttl", "nt", "jsonld", "rdf"]}[result.kind]
        labels = {f.key: f.label for f in _ANY_KIND}
        downloads = [(labels[k], "/sparql?" + urlencode({"query": query, "format": k})) for k in keys]
    return render(request, "query.html", {
        "query": query or default_query(base),
        "groups": by_dataset(base),
        "result": result,
        "table": table,
        "downloads": downloads,
        "limit": settings.result_limit,
        "timeout": settings.query_timeout,
        "writable": bool(settings.update_token),
    })


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
