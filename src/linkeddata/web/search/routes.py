"""/search?q=...: a page of results for people, /search.json for machines and the type-ahead.

    q           what to look for: a name, part of one, or a code (E01000001, 2019-01, burglary)
    limit       at most this many results (20; 100 at most)
    within      with `dimension`: only values of that dimension of that dataset (the type-ahead
                of a dataset page's filter: `?within=street-crime&dimension=refArea`)
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ...formats import HTML
from .. import context
from ..datasets import dataset_info
from ..negotiate import content_type
from ..pages import render
from ..problems import WebError
from .index import connection, search

router = APIRouter()


def _results(request: Request) -> tuple[str, list, float]:
    q = request.query_params.get("q", "").strip()
    if len(q) > 200:
        raise WebError(400, "bad_request", "?q= is at most 200 characters")
    try:
        limit = min(100, max(1, int(request.query_params.get("limit", "20"))))
    except ValueError:
        raise WebError(400, "bad_request", "?limit= must be a whole number") from None
    within = None
    dataset, key = request.query_params.get("within"), request.query_params.get("dimension")
    if dataset:
        info = dataset_info(context.store(request), context.minter(request), dataset)
        dim = info.dimension(key or "") if info else None
        if dim is None:
            raise WebError(400, "bad_request", "?within= names a dataset and ?dimension= one of its dimensions")
        within = {v.uri for v in dim.values}
    started = time.perf_counter()
    conn = connection(context.store(request), context.minter(request).base)
    hits = search(conn, q, limit, within) if q else []
    return q, hits, (time.perf_counter() - started) * 1000


@router.get("/search.json", include_in_schema=False)
def search_json(request: Request) -> Response:
    q, hits, took = _results(request)
    return JSONResponse({
        "query": q,
        "results": [{"uri": h.uri, "label": h.label, "code": h.notation or None, "kind": h.kind or None} for h in hits],
        "took_ms": round(took, 2),
    })


@router.get("/search", include_in_schema=False)
def search_page(request: Request) -> Response:
    if "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", ""):
        return search_json(request)
    q, hits, took = _results(request)
    twin = "/search.json" + (("?" + urlencode(list(request.query_params.multi_items()))) if request.query_params else "")
    html = render(request, "search.html", {"q": q, "hits": hits, "took": took, "twin": twin})
    return Response(html, media_type=content_type(HTML), headers={"Link": f'<{twin}>; rel="alternate"; type="application/json"'})
