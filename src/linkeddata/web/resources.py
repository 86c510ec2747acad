"""Dereferencing: /id/ and /def/ answer 303 See Other; /doc/, /data/ and /graph/ answer documents.

Paths are read raw (still percent-encoded) because the URIs we mint keep their escapes:
`/id/x/a%20b` names `{base}/id/x/a%20b`, not `{base}/id/x/a b`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter
from rdflib.namespace import QB
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..formats import HTML, RDF_FORMATS, Format
from ..store import QueryResult
from . import context
from .describe import Description, describe, graph_size, graph_triples
from .usage import dataset_usage
from .iri import check_iri
from .negotiate import alternates, content_type, negotiate, split_suffix
from .organogram import organogram_context
from .pages import render
from .problems import WebError
from .release import per_release_document, validators
from .describe import INCOMING_PAGE
from .rdfdoc import context as jsonld_prefixes, incoming_collection, ntriples, write
from .view import ResourceView, incoming_href, resource_view

# JSON-LD is JSON: a client that asks for application/json about a resource gets it.
_JSONLD = replace(RDF_FORMATS["jsonld"], aliases=(*RDF_FORMATS["jsonld"].aliases, "application/json"))
# HTML first: a client that says nothing, or */*, gets the page; RDF clients name their format.
DOCUMENT_FORMATS: list[Format] = [HTML, RDF_FORMATS["ttl"], RDF_FORMATS["nt"], _JSONLD, RDF_FORMATS["rdf"]]
_KEYS = [f.key for f in DOCUMENT_FORMATS]

router = APIRouter()


def _raw_path(request: Request) -> str:
    raw: bytes = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebError(400, "bad_uri", "the request path is not UTF-8") from None


def _format_param(request: Request) -> str | None:
    values = request.query_params.getlist("format")
    if len(values) > 1:
        raise WebError(400, "bad_request", "give ?format= once")
    return values[0] if values else None


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/def/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def see_other(request: Request) -> Response:
    """A thing is not a document: send the client to the document about it, in the format asked."""
    minter = context.minter(request)
    path, suffix = split_suffix(_raw_path(request), _KEYS)
    document = minter.document_for(minter.base + path)
    if document is None:  # cannot happen for these two routes, but never redirect to None
        raise WebError(404, "not_found", f"{minter.base}{path} names nothing here")
    location = document + (f".{suffix}" if suffix else "")
    fmt = _format_param(request)
    if fmt is not None:
        location += "?" + urlencode({"format": fmt})
    # The Location depends on the path only, but caches should keep the answer per Accept too.
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
@per_release_document
def doc(request: Request) -> Response:
    minter = context.minter(request)
    path, suffix = split_suffix(_raw_path(request), _KEYS)
    thing = minter.thing_for(minter.base + path)
    if thing is None or thing.endswith("/"):
        raise WebError(404, "not_found", f"{minter.base}{path} is not a document we publish")
    return _document(request, thing, minter.base + path, suffix)


@router.api_route("/data/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
@per_release_document
def data(request: Request) -> Response:
    """Datasets and observations are their own documents: no redirect. A dataset's page for
    people is the dataset view (filters, table, chart, downloads)."""
    from .dataset import TABLE_FORMATS, dataset_page  # late: the dataset view is a page of its own

    minter = context.minter(request)
    path, suffix = split_suffix(_raw_path(request), [f.key for f in TABLE_FORMATS])
    name = path[len("/data/"):]
    if name and "/" not in name and "incoming" not in request.query_params:
        # A dataset: its page, or its table as CSV or JSON (filtered like the page). With
        # ?incoming= it is the document's paged list of links to it, as for any resource.
        fmt = negotiate(TABLE_FORMATS, request.headers.get("accept"), suffix=suffix, format_key=_format_param(request))
        if fmt is HTML or fmt.key in ("csv", "json"):
            page = dataset_page(request, name, minter.base + path, fmt)
            if page is not None:
                return page
    elif suffix in ("csv", "json"):
        raise WebError(404, "not_found", f"{minter.base}{path}.{suffix}: only a dataset has a table to download")
    return _document(request, minter.base + path, minter.base + path, suffix)


def variant_headers(document_url: str, fmt: Format) -> dict[str, str]:
    """Vary, the variant chosen (Content-Location) and every other variant (Link)."""
    return {
        "Vary": "Accept",
        "Content-Location": f"{document_url}.{fmt.key}",
        "Link": alternates(document_url, DOCUMENT_FORMATS, fmt),
    }


def _paging(request: Request) -> tuple[str | None, int]:
    """`?incoming={property}&page=N`: which property's links to page through, and the page."""
    prop = request.query_params.get("incoming")
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        raise WebError(400, "bad_request", "?page= must be a whole number from 1") from None
    if page < 1:
        raise WebError(400, "bad_request", "?page= must be a whole number from 1")
    if prop is not None:
        check_iri(prop)
    elif page != 1:
        raise WebError(400, "bad_request", "?page= pages the links of one property: give ?incoming= too")
    return prop, page


def _document(request: Request, uri: str, document_url: str, suffix: str | None) -> Response:
    check_iri(uri)  # a URI we could never query is a 400, whatever format was asked for
    fmt = negotiate(DOCUMENT_FORMATS, request.headers.get("accept"), suffix=suffix, format_key=_format_param(request))
    paged, page = _paging(request)
    store = context.store(request)
    headers = variant_headers(document_url, fmt)
    if paged is not None:
        query = "?" + urlencode({"incoming": paged, **({"page": page} if page > 1 else {})})
        headers["Content-Location"] += query
    cached = validators(request, store, fmt.key + (f"-{request.url.query}" if paged else ""), headers)
    if cached is not None:
        return cached
    description = describe(store, uri, paged=paged, page=page)
    if not description.exists:
        raise WebError(404, "not_found", f"{uri} names nothing published here")
    if paged is not None:
        here = f"{document_url}.{fmt.key}" if suffix else document_url
        links = [headers["Link"]]
        if description.more:
            links.append(f'<{incoming_href(here, paged, page + 1)}>; rel="next"')
        if page > 1:
            links.append(f'<{incoming_href(here, paged, page - 1)}>; rel="prev"')
        headers["Link"] = ", ".join(links)
    if fmt is HTML:
        view = resource_view(description, context.minter(request), context.prefixes(request), document_url)
        view.alternates = [(f, f"{document_url}.{f.key}") for f in DOCUMENT_FORMATS if f is not HTML]
        _name_the_measure(request, description, view)
        usage = dataset_usage(store, uri, context.minter(request)) if paged is None else []
        tree = organogram_context(store, context.minter(request), uri) if paged is None else {}
        html = render(request, "resource.html", {"view": view, "usage": usage, **tree})
        return Response(html, media_type=content_type(fmt), headers=headers)
    lines = ntriples(description.result)
    for prop, count in sorted(description.incoming_counts.items()):
        shown = description.incoming_shown.get(prop, 0)
        if (paged is None and shown < count) or (paged is not None and str(prop) == paged):
            # The RDF says the links were cut, how many there are and where they are listed.
            first = incoming_href(document_url, str(prop))
            last = incoming_href(document_url, str(prop), max(1, -(-count // INCOMING_PAGE)))
            where = None
            if paged is not None:
                here = incoming_href(document_url, str(prop), page)
                after = incoming_href(document_url, str(prop), page + 1) if description.more else None
                before = incoming_href(document_url, str(prop), page - 1) if page > 1 else None
                where = (here, after, before, last)
            lines += incoming_collection(uri, str(prop), count, first, f"Links to {uri} by {prop}", where)
    body = write(lines, fmt, context.prefixes(request))
    return Response(body, media_type=content_type(fmt), headers=headers)


def _name_the_measure(request: Request, description: Description, view: ResourceView) -> None:
    """On an observation's page, its value is named by what its dataset counts ("Decisions"),
    not by the shared measure property's label ("Observation")."""
    from .datasets import dataset_info  # late: the dataset view's facts are a page of their own

    minter = context.minter(request)
    dataset = description.graph.value(description.uri, QB.dataSet)
    prefix = minter.data("")
    if dataset is None or not str(dataset).startswith(prefix):
        return
    info = dataset_info(context.store(request), minter, str(dataset)[len(prefix):])
    for row in view.rows if info is not None and info.measure else ():
        if row.prop.uri == info.measure:
            row.prop = replace(row.prop, text=info.measure_label)


@router.api_route("/graph/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
@per_release_document
def graph(request: Request) -> Response:
    """A named graph: its contents for RDF clients (capped), a summary page for people.

    A graph is read back under the very name it was written with: a format suffix (`.ttl`) is
    one only when no graph has the whole name (PUT /graph/person/1.ttl, then GET it)."""
    minter = context.minter(request)
    store = context.store(request)
    raw = _raw_path(request)
    path, suffix = (raw, None) if minter.base + raw in store.graphs() else split_suffix(raw, _KEYS)
    uri = check_iri(minter.base + path)
    fmt = negotiate(DOCUMENT_FORMATS, request.headers.get("accept"), suffix=suffix, format_key=_format_param(request))
    if uri not in store.graphs():
        raise WebError(404, "not_found", f"{uri} is not a published graph")
    headers = variant_headers(uri, fmt)
    cached = validators(request, store, fmt.key, headers)
    if cached is not None:
        return cached
    limit = context.settings(request).result_limit
    if fmt is HTML:
        description = describe(store, uri)
        view = resource_view(description, minter, context.prefixes(request))
        view.alternates = [(f, f"{uri}.{f.key}") for f in DOCUMENT_FORMATS if f is not HTML]
        size = graph_size(store, uri)
        html = render(request, "resource.html", {"view": view, "graph_size": size, "graph_limit": limit})
        return Response(html, media_type=content_type(fmt), headers=headers)
    triples, truncated = graph_triples(store, uri, limit)
    if truncated:
        headers["X-Truncated"] = "true"
    body = write(ntriples(QueryResult("graph", graph=triples)), fmt, context.prefixes(request))
    return Response(body, media_type=content_type(fmt), headers=headers)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"], include_in_schema=False)
def jsonld_context(request: Request) -> Response:
    """The JSON-LD context every document uses (and inlines): the platform's prefixes."""
    body = json.dumps({"@context": jsonld_prefixes(context.prefixes(request))}, indent=1)
    return Response(body, media_type="application/ld+json", headers={"Access-Control-Allow-Origin": "*"})
