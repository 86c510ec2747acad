"""The reconciliation service's endpoints (W3C Entity Reconciliation Service API 0.2).

    GET  /reconcile                      the service manifest
    GET  /reconcile?queries={...}        a query batch -> a result batch (POST: the form field queries)
    GET  /reconcile?extend={...}         data extension (POST: the form field extend)
    GET  /reconcile/preview?id=URI       an HTML preview of an entity, for an iframe
    GET  /reconcile/suggest/entity?prefix=&type=&cursor=    type-ahead for entities
    GET  /reconcile/suggest/type?prefix=                    ... for types
    GET  /reconcile/suggest/property?prefix=&type=          ... for properties
    GET  /reconcile/properties?type=&limit=                 properties data extension offers
    GET  /reconcile/about                a page for people: what it offers, how to use it
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ...formats import HTML
from .. import context
from ..guard import read_body
from ..middleware import content_security_policy
from ..negotiate import content_type
from ..pages import render
from ..problems import WebError
from ..search.index import connection, search
from .extend import extension
from .match import Query, reconcile
from .names import Table, table
from .protocol import MAX_QUERIES, MAX_TEXT, parse_batch, parse_extension
from .types import BY_ID

router = APIRouter()
MAX_BODY = 1 << 20  # bytes of a POSTed form: a full batch of long queries is a few tens of kB
PREVIEW = {"width": 420, "height": 160}


_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")


def _json(request: Request, body: Any) -> Response:
    """JSON, or JSONP when asked with ?callback= (the spec's MAY, for clients older than CORS)."""
    callback = request.query_params.get("callback")
    if callback is None:
        return JSONResponse(body)
    if len(callback) > 100 or not _CALLBACK.fullmatch(callback):
        raise WebError(400, "bad_request", "?callback= must be a JavaScript function name, like handle or jQuery123.cb")
    script = f"/**/{callback}({json.dumps(body)});"  # the comment: no content sniffing as other types
    return Response(script, media_type="application/javascript")


def _table(request: Request) -> Table:
    return table(context.store(request), context.minter(request).base)


def manifest(request: Request) -> dict[str, Any]:
    base = context.minter(request).base
    service = {"service_url": base}
    return {
        "versions": ["0.2"],
        # The host in the name tells a local copy from the published service in OpenRefine's list.
        "name": f"Home Office reference data ({urlsplit(base).netloc})",
        "identifierSpace": f"{base}/",
        "schemaSpace": f"{base}/def/",
        "documentation": f"{base}/reconcile/about",
        "view": {"url": "{{id}}"},
        "batchSize": MAX_QUERIES,
        "defaultTypes": [{"id": t.id, "name": t.name} for t in _table(request).offered()],
        "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}", **PREVIEW},
        "suggest": {
            "entity": {**service, "service_path": "/reconcile/suggest/entity"},
            "type": {**service, "service_path": "/reconcile/suggest/type"},
            "property": {**service, "service_path": "/reconcile/suggest/property"},
        },
        "extend": {"propose_properties": {**service, "service_path": "/reconcile/properties"}},
    }


def _answer(request: Request, fields: dict[str, str]) -> Response:
    if "queries" in fields:
        names = _table(request)
        batch = parse_batch(fields["queries"], names)
        index = connection(context.store(request), context.minter(request).base)
        return _json(request, {key: {"result": [c.as_json() for c in reconcile(names, index, q)]}
                             for key, q in batch.items()})
    if "extend" in fields:
        names = _table(request)
        return _json(request, extension(names, *parse_extension(fields["extend"], names)))
    return _json(request, manifest(request))


@router.api_route("/reconcile", methods=["GET", "HEAD"], include_in_schema=False)
def reconcile_get(request: Request) -> Response:
    return _answer(request, dict(request.query_params))


@router.post("/reconcile", include_in_schema=False)
async def reconcile_post(request: Request) -> Response:
    body = await read_body(request, MAX_BODY)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", ""):
        raise WebError(415, "unsupported_media_type",
                       "send queries= or extend= as an application/x-www-form-urlencoded form")
    try:
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), max_num_fields=20).items()}
    except UnicodeDecodeError:
        raise WebError(400, "bad_request", "the form is not UTF-8") from None
    except ValueError:
        raise WebError(400, "bad_request", "the form has more than 20 fields; send queries= or extend=") from None
    if not {"queries", "extend"} & set(fields):
        raise WebError(400, "bad_request", "POST a form with queries= (a query batch) or extend= (a data extension query)")
    # Off the event loop: a batch of a hundred queries takes up to a second or two.
    return await run_in_threadpool(_answer, request, dict(request.query_params) | fields)


def _prefix(request: Request) -> str:
    prefix = request.query_params.get("prefix", "").strip()
    if len(prefix) > MAX_TEXT:
        raise WebError(400, "bad_request", f"?prefix= is at most {MAX_TEXT} characters")
    return prefix


def _whole(request: Request, name: str, default: int, most: int) -> int:
    try:
        return min(most, max(0, int(request.query_params.get(name, str(default)))))
    except ValueError:
        raise WebError(400, "bad_request", f"?{name}= must be a whole number") from None


@router.api_route("/reconcile/suggest/entity", methods=["GET", "HEAD"], include_in_schema=False)
def suggest_entity(request: Request) -> Response:
    prefix, cursor = _prefix(request), _whole(request, "cursor", 0, 1000)
    names = _table(request)
    types = names.offered()
    asked = names.type(request.query_params.get("type", ""))
    if asked in types:
        types = [asked]
    wanted = {t.id for t in types}
    coded, named = names.exact(prefix, types) if prefix else ([], [])
    hits = search(connection(context.store(request), names.base), prefix, 200) if prefix else []
    uris = list(dict.fromkeys([*coded, *named, *(h.uri for h in hits)]))
    items = [names.items[u] for u in uris if u in names.items and names.items[u].type.id in wanted]
    return _json(request, {"result": [
        {"id": i.uri, "name": i.label, "description": f"{i.type.name} {i.code}".strip(),
         "notable": [{"id": i.type.id, "name": i.type.name}]}
        for i in items[cursor:cursor + 10]]})


@router.api_route("/reconcile/suggest/type", methods=["GET", "HEAD"], include_in_schema=False)
def suggest_type(request: Request) -> Response:
    prefix = _prefix(request).lower()
    return _json(request, {"result": [
        {"id": t.id, "name": t.name, "description": t.description} for t in _table(request).offered()
        if prefix in t.id or prefix in t.name.lower()]})


@router.api_route("/reconcile/suggest/property", methods=["GET", "HEAD"], include_in_schema=False)
def suggest_property(request: Request) -> Response:
    prefix, type_id = _prefix(request).lower(), request.query_params.get("type")
    return _json(request, {"result": [
        {"id": p.id, "name": p.name, "description": "for " + ", ".join(
            "every type" if t == "*" else BY_ID[t].name for t, _ in p.predicates)}
        for p in _table(request).properties
        if (prefix in p.id or prefix in p.name.lower()) and (not type_id or p.predicate(type_id))]})


@router.api_route("/reconcile/properties", methods=["GET", "HEAD"], include_in_schema=False)
def propose_properties(request: Request) -> Response:
    type_id = request.query_params.get("type", "")
    names = _table(request)
    if type_id not in {t.id for t in names.offered()}:
        offered = ", ".join(t.id for t in names.offered())
        raise WebError(400, "bad_request", f"?type= must name a type; the types are {offered}")
    limit = _whole(request, "limit", 50, 50)
    props = [{"id": p.id, "name": p.name} for p in names.properties if p.predicate(type_id)][:limit]
    return _json(request, {"type": type_id, "properties": props, **({"limit": limit} if "limit" in request.query_params else {})})


@router.api_route("/reconcile/preview", methods=["GET", "HEAD"], include_in_schema=False)
def preview(request: Request) -> Response:
    names = _table(request)
    item = names.items.get(request.query_params.get("id", ""))
    if item is None:
        raise WebError(404, "not_found", "?id= must be the URI of an entity this service reconciles")
    # What changes between dates first (a post's unit, grade, line): OpenRefine shows 160 pixels.
    ordered = sorted(names.properties, key=lambda prop: not prop.dated)
    links = [(prop.name, value, names.labels.get(value, value))
             for prop in ordered if prop.id != "code"
             for value in names.values(prop.id, item.uri)]
    html = render(request, "reconcile-preview.html", {"item": item, "links": links, "as_of": names.as_of.get(item.uri)})
    # Made to be framed by OpenRefine, wherever it runs: the one page that may be.
    policy = content_security_policy(context.minter(request).base, frame_ancestors="*")
    return Response(html, media_type=content_type(HTML), headers={"Content-Security-Policy": policy})


@router.api_route("/reconcile/about", methods=["GET", "HEAD"], include_in_schema=False)
def about(request: Request) -> Response:
    names = _table(request)
    index = connection(context.store(request), names.base)
    examples = {}
    for t in names.offered():
        # What a person might write, and what it finds; a code list's first code's name else.
        text = t.example or next(i.label for i in names.items.values() if i.type.id == t.id)
        found = reconcile(names, index, Query(text, (t,), 1))
        examples[t.id] = (text, found[0].item) if found else None
    html = render(request, "reconcile.html", {
        "types": names.offered(), "properties": names.properties, "batch": MAX_QUERIES, "examples": examples})
    return Response(html, media_type=content_type(HTML), headers={"Link": '</reconcile>; rel="alternate"; type="application/json"'})
