"""The SPARQL 1.1 Graph Store HTTP Protocol.

Indirect identification at `/rdf-graph-store?graph={IRI}` (or `?default`), all methods; direct
identification at `/graph/{name}` for PUT, POST and DELETE (GET and HEAD there are the graph's
document pages, which give a graph back under the exact name it was written with). Reads are
open; writes need the access token, as SPARQL Update does.

    GET/HEAD   200 the graph, negotiated (Turtle, N-Triples, JSON-LD, RDF/XML); 404 no such graph
    PUT        replace the graph: 201 Created when it is new, 204 when it was there
    POST       merge into the graph: 201 when it is new, 204 when it was there; a
               multipart/form-data body merges every part (each an RDF document)
    POST to the store itself (/rdf-graph-store with no ?graph, or /graph): a new graph
               `{base}/graph/{random hex}`, 201 Created with its IRI in Location
    DELETE     204; 404 when there is no such graph
    ?default   the union of the published graphs: read-only here (405 for writes)

Graphs that can be written live under `{base}/graph/`. A write is a new release of the store,
so readers see the graph before or after, never half of it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..formats import OX_RDF, RDF_FORMATS, Format, by_media_type
from ..store import Store
from ..store.serialize import serialize_result
from . import context
from .guard import read_body
from .iri import check_iri, sparql_iri
from .negotiate import content_type, negotiate
from .problems import WebError
from .sparql import TRUNCATED, runner_of
from .update import apply, refused

router = APIRouter()
GRAPH_FORMATS = [RDF_FORMATS[k] for k in ("ttl", "nt", "jsonld", "rdf")]
_READ_ONLY_DEFAULT = "the default graph is the union of the published graphs and cannot be written: name a graph"


def _target(request: Request) -> str | None:
    """The graph IRI the request names, or None for the default graph."""
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise WebError(400, "bad_request", "name ?graph= or ?default, not both")
    if "default" in params:
        return None
    if len(graphs) != 1 or not graphs[0].strip():
        raise WebError(400, "bad_request", "name one graph: ?graph=IRI, or ?default for the default graph")
    return _checked(graphs[0])


def _checked(graph: str) -> str:
    """The graph IRI when it is one an update may be built around; 400 otherwise. Nothing a
    client sends is pasted into an update without passing here."""
    try:
        return check_iri(ox.NamedNode(graph).value)
    except ValueError:
        raise WebError(400, "bad_uri", f"{graph!r} is not an IRI: it holds characters an IRI cannot") from None


@router.api_route("/rdf-graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"], include_in_schema=False)
async def indirect(request: Request) -> Response:
    if request.method == "POST" and not {"graph", "default"} & set(request.query_params):
        return await create(request)
    graph = _target(request)
    if request.method in ("GET", "HEAD"):
        return await _read(request, graph)
    if graph is None:
        raise WebError(405, "method_not_allowed", _READ_ONLY_DEFAULT)
    return await _write(request, graph)


@router.api_route("/graph/{name:path}", methods=["PUT", "POST", "DELETE"], include_in_schema=False)
async def direct(request: Request, name: str) -> Response:
    if request.method == "POST" and not name:
        return await create(request)
    return await _write(request, context.minter(request).graph(name))


@router.post("/graph", include_in_schema=False)
async def create(request: Request) -> Response:
    """POST to the Graph Store itself: a new graph of the payload, named by the server
    (201 Created, its IRI in Location), as the Graph Store Protocol says."""
    return await _write(request, context.minter(request).graph(uuid.uuid4().hex))


async def _read(request: Request, graph: str | None) -> Response:
    fmt = negotiate(GRAPH_FORMATS, request.headers.get("accept"), format_key=request.query_params.get("format"))
    store = context.store(request)
    if graph is not None and graph not in store.graphs():
        raise WebError(404, "not_found", f"there is no graph <{graph}> in this store")
    runner, _ = runner_of(request)
    if graph is None:
        sparql, named = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", []
    else:
        sparql, named = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }} }}", [graph]
    limit = context.settings(request).result_limit
    result = await run_in_threadpool(runner.query, sparql, named_graph_uris=named, limit=limit)
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED] = "true"
    body = serialize_result(result, fmt.media_type, context.prefixes(request))
    return Response(body, media_type=content_type(fmt), headers=headers)


async def _write(request: Request, graph: str) -> Response:
    denied = refused(request)
    if denied is not None:
        return denied
    graph = _checked(graph)
    prefix = f"{context.settings(request).base_uri}/graph/"
    if not graph.startswith(prefix) or graph == prefix:
        raise WebError(400, "bad_request", f"graphs that can be written live under {prefix}; <{graph}> does not")
    existed = graph in context.store(request).graphs()
    if request.method == "DELETE":
        if not existed:
            raise WebError(404, "not_found", f"there is no graph <{graph}> in this store")
        await run_in_threadpool(apply, request, lambda store: store.update(f"DROP GRAPH {sparql_iri(graph)}"))
        return Response(status_code=204)

    content_type = request.headers.get("content-type", "")
    if _media_type(content_type) != "multipart/form-data":
        _graph_format(content_type)  # 415 before the body is read
    body = await read_body(request, context.settings(request).max_upload_bytes)
    path = await run_in_threadpool(_as_ntriples, _documents(content_type, body), graph)
    try:
        if request.method == "PUT":
            name = graph[len(prefix):]
            await run_in_threadpool(apply, request, lambda store: _replace(store, name, graph, path))
        else:
            triples = path.read_text(encoding="utf-8")
            await run_in_threadpool(apply, request, lambda store: store.update(f"INSERT DATA {{ GRAPH {sparql_iri(graph)} {{\n{triples}\n}} }}"))
    finally:
        path.unlink(missing_ok=True)
    return Response(status_code=204 if existed else 201, headers={} if existed else {"Location": graph})


def _replace(store: Store, name: str, graph: str, path: Path) -> None:
    staged = store.load_staging(name, path)
    store.swap({staged: graph})


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _graph_format(content_type: str) -> Format:
    """The RDF format a Content-Type names; 415 for any other."""
    media_type = _media_type(content_type)
    fmt = by_media_type(media_type, RDF_FORMATS) if media_type else None
    if fmt is None or fmt not in GRAPH_FORMATS:
        offered = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise WebError(
            415, "unsupported_media_type",
            f"send the graph as one of {offered} (or several as multipart/form-data), not {media_type or 'no Content-Type'}",
        )
    return fmt


def _documents(content_type: str, body: bytes) -> list[tuple[bytes, Format]]:
    """The RDF documents of a request: its body, or each part of a multipart/form-data body
    (the Graph Store Protocol's way to send several documents at once, merged)."""
    if _media_type(content_type) != "multipart/form-data":
        return [(body, _graph_format(content_type))]
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts:
        raise WebError(400, "bad_rdf", "the multipart/form-data body holds no parts: is its boundary the one the Content-Type names?")
    return [(part.get_payload(decode=True) or b"", _graph_format(part.get("content-type", ""))) for part in parts]


def _as_ntriples(documents: list[tuple[bytes, Format]], graph: str) -> Path:
    """The uploaded documents as one N-Triples file (relative IRIs resolved against the graph;
    blank nodes of different documents kept apart, as a merge does)."""
    handle, name = tempfile.mkstemp(prefix="linkeddata-upload-", suffix=".nt")
    os.close(handle)
    path = Path(name)
    with path.open("wb") as out:
        for number, (body, fmt) in enumerate(documents, 1):
            where = f"part {number} ({fmt.key})" if len(documents) > 1 else f"the {fmt.key} document"
            try:
                ox.serialize(ox.parse(body, format=OX_RDF[fmt.key], base_iri=graph), out, format=ox.RdfFormat.N_TRIPLES)
            except (SyntaxError, ValueError) as exc:
                out.close()
                path.unlink(missing_ok=True)
                raise WebError(400, "bad_rdf", f"{where} cannot be read: {exc}") from None
    return path

