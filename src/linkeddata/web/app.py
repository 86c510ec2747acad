"""The app factory: wires the routers, the error handlers and the middleware. Nothing else.

    create_app(store, settings) -> FastAPI

The store and settings live on `app.state`; there is no module-level app, so tests build one
around a small store and the CLI builds one around the store on disk.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from ..errors import QueryError
from ..settings import Settings
from ..store import Store
from . import catalogue, context, downloads, graphstore, home, resources, sparql
from .iri import BadIRI
from .middleware import BaseAndPolicy, HeadWithoutBody, OpenCors
from .negotiate import NotAcceptable
from .pages import STATIC
from .policeuk import routes as policeuk
from .policeuk import stop_routes as policeuk_stops
from .ratelimit import RateLimit, limits
from .search import routes as search
from .reconcile import routes as reconcile
from .problems import CODES, WebError, error_response
from .warm import Warmer

log = logging.getLogger(__name__)

_QUERY_CODES = {400: "malformed_query", 406: "not_acceptable", 503: "query_stopped"}


def create_app(store: Store, settings: Settings) -> FastAPI:
    # No /docs or /redoc: they load their scripts from a CDN, and the query page documents the API.
    app = FastAPI(title="Linked data", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    context.install(app.state, store, settings)
    app.include_router(home.router)
    app.include_router(sparql.router)
    app.include_router(graphstore.router)  # before resources: it adds writes to /graph/{name}
    app.include_router(catalogue.router)
    app.include_router(downloads.router)
    app.include_router(search.router)
    app.include_router(reconcile.router)
    app.include_router(policeuk.router)
    app.include_router(policeuk_stops.router)
    app.include_router(resources.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_error_handlers(app)
    app.add_middleware(OpenCors)
    app.add_middleware(HeadWithoutBody)
    app.add_middleware(BaseAndPolicy, base=settings.base_uri)
    app.add_middleware(RateLimit, limits=limits(settings.api_rate_limit, settings.api_rate_burst,
                                                settings.sparql_rate_limit, settings.sparql_rate_burst))
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    sparql.start(app)  # the query workers, started before the first query
    warmer = app.state.warmer = Warmer(app.state.store, app.state.minter)
    warmer.start()
    try:
        yield
    finally:
        warmer.stop()
        sparql.stop(app)


def _install_error_handlers(app: FastAPI) -> None:
    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return error_response(request, exc)

    async def not_acceptable(request: Request, exc: Exception) -> Response:
        return error_response(request, WebError(406, "not_acceptable", str(exc)))

    async def bad_iri(request: Request, exc: Exception) -> Response:
        return error_response(request, WebError(400, "bad_uri", str(exc)))

    async def query_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, QueryError)
        return error_response(request, WebError(exc.status, exc.code or _QUERY_CODES.get(exc.status, "query_failed"), str(exc)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = f"{request.url.path} is not a page here" if exc.status_code == 404 else str(exc.detail)
        headers = dict(exc.headers or {})  # a 405 says which methods are allowed
        return error_response(request, WebError(exc.status_code, CODES.get(exc.status_code, "error"), message), headers)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        return error_response(request, WebError(400, "bad_request", "the request's parameters are not valid"))

    async def unexpected(request: Request, exc: Exception) -> Response:
        # Logged in full for the operator; the client learns only that it was our fault.
        log.exception("unexpected error answering %s %s", request.method, request.url.path)
        return error_response(request, WebError(500, "internal_error", "something went wrong on our side"))

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(NotAcceptable, not_acceptable)
    app.add_exception_handler(BadIRI, bad_iri)
    app.add_exception_handler(QueryError, query_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, unexpected)
