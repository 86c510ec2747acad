"""SPARQL 1.1 Update at /sparql: only with the access token, one writer at a time.

The store applies an update as a new release (all or nothing), so readers see the store before
it or after it, never half. Relative IRIs resolve against the endpoint, `{base}/sparql`;
`using-graph-uri` / `using-named-graph-uri` become USING / USING NAMED of each DELETE/INSERT.
Updates write named graphs under `{base}/graph/`: the default graph of this endpoint is the
union of those, and cannot be written as such.

    no token configured        403 read_only
    token not presented        401, with a Bearer challenge
    a wrong token              403 bad_token
    a GET                      400 (updates are POSTed)
    using-graph-uri and USING  400 (the protocol's graphs or the update's own, not both)
    SERVICE not allowed, LOAD  403
    malformed                  400 malformed_query
    a build holds the store    503 busy
    done                       204 No Content
"""

from __future__ import annotations

from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import QueryError, StoreError
from ..store import Store
from ..store.sparqltext import UsingConflict, with_using
from . import context
from .guard import CHALLENGE, WRITES, write_refusal
from .iri import check_iri
from .problems import WebError, error_response


def refused(request: Request) -> Response | None:
    """The error response for a request that may not write, else None."""
    refusal = write_refusal(request)
    if refusal is None:
        return None
    return error_response(request, refusal, CHALLENGE if refusal.status == 401 else None)


def apply(request: Request, change: Callable[[Store], None]) -> None:
    """Run `change(store)` on a writable store, one write at a time; a busy store is a 503."""
    store = context.store(request)
    with WRITES:
        try:
            with store.writing() as writer:
                change(writer)
        except QueryError:
            raise
        except StoreError as exc:
            raise WebError(503, "busy", f"the store cannot be written just now: {exc}") from None


async def run_update(request: Request, operation: object) -> Response:
    from .sparql import ProtocolRequest, check_fetches

    assert isinstance(operation, ProtocolRequest) and operation.update is not None
    settings = context.settings(request)
    if request.method != "POST" and settings.update_token:
        raise WebError(400, "bad_request", "send an update by POST (update=... or application/sparql-update)")
    denied = refused(request)
    if denied is not None:
        return denied
    if not operation.update.strip():
        raise WebError(400, "missing_update", "the update is empty")
    await run_in_threadpool(check_fetches, operation.update, settings.service_endpoints, update=True)
    try:
        # Written into the update as <IRI>: nothing that could end the IRI gets in (BadIRI: 400).
        using = [check_iri(g) for g in operation.using_graphs]
        using_named = [check_iri(g) for g in operation.using_named_graphs]
        text = with_using(operation.update, using, using_named)
    except UsingConflict as exc:
        raise WebError(400, "bad_request", str(exc)) from None
    base_iri = context.minter(request).sparql()
    await run_in_threadpool(apply, request, lambda store: store.update(text, base_iri))
    return Response(status_code=204)
