"""What a response knows about the release it comes from: ETag, Last-Modified, 304s.

The store has no release timestamp of its own; a release is as new as the newest
`dcterms:modified` of the datasets it serves. Facts like that are read once per release
(`per_release`), so a page never pays for them twice.

>>> from datetime import datetime, timezone
>>> http_date(datetime(2019, 1, 31, 12, 0, tzinfo=timezone.utc))
'Thu, 31 Jan 2019 12:00:00 GMT'
>>> not_modified_since("Thu, 31 Jan 2019 12:00:00 GMT", datetime(2019, 1, 31, 12, 0, tzinfo=timezone.utc))
True
>>> not_modified_since("Wed, 30 Jan 2019 12:00:00 GMT", datetime(2019, 1, 31, 12, 0, tzinfo=timezone.utc))
False
>>> not_modified_since("yesterday", datetime(2019, 1, 31, tzinfo=timezone.utc))
False
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Awaitable, Callable, TypeVar

from rdflib.namespace import DCTERMS, QB
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..store import Store
from .caching import AnswerCache, etag, matches

T = TypeVar("T")

_lock = threading.Lock()
_cache: dict[tuple[int, str], tuple[str, Any]] = {}  # (store, key) -> (version, value)


def per_release(store: Store, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per published release of `store` (recomputed when a release is swapped in)."""
    version = store.version()
    slot = (id(store), key)
    with _lock:
        held = _cache.get(slot)
    if held is not None and held[0] == version:
        return held[1]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        if len(_cache) > 512:
            _cache.clear()
        _cache[slot] = (version, value)
    return value


def last_modified(store: Store) -> datetime | None:
    """When the served release last changed: the newest dcterms:modified of a dataset."""

    def compute() -> datetime | None:
        rows = store.select(f"SELECT (MAX(STR(?m)) AS ?m) WHERE {{ ?d a <{QB.DataSet}> ; <{DCTERMS.modified}> ?m }}")
        value = rows[0].get("m") if rows else None
        if value is None:
            return None
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
        return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)

    return per_release(store, "last-modified", compute)


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(timezone.utc), usegmt=True)


def not_modified_since(header: str | None, modified: datetime) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since is None:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return modified.replace(microsecond=0) <= since


def validators(request: Request, store: Store, variant: str, headers: dict[str, str]) -> Response | None:
    """Add ETag and Last-Modified to `headers`; a 304 when the client's copy is current, else None."""
    tag = etag(store.version(), variant)
    headers["ETag"] = tag
    modified = last_modified(store)
    if modified is not None:
        headers["Last-Modified"] = http_date(modified)
    if _fresh(request, tag, modified):
        return Response(status_code=304, headers=headers)
    return None


def _fresh(request: Request, tag: str | None, modified: datetime | None) -> bool:
    """If-None-Match wins over If-Modified-Since, as RFC 9110 says."""
    inm = request.headers.get("if-none-match")
    if inm:
        return tag is not None and matches(inm, tag)
    return modified is not None and not_modified_since(request.headers.get("if-modified-since"), modified)


# Documents kept per release: a release never changes, so a document rendered once is the
# document until the next release (which empties the cache). Bounded by bytes, LRU.
DOCUMENT_CACHE_BYTES = 64_000_000
_NOT_KEPT = {"content-length", "content-type"}

Handler = Callable[[Request], Response]


def _documents(request: Request) -> AnswerCache:
    state = request.app.state
    cache = getattr(state, "documents", None)
    if cache is None:
        cache = state.documents = AnswerCache(DOCUMENT_CACHE_BYTES)
    return cache  # type: ignore[no-any-return]


def per_release_document(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Serve `handler`'s 200 answers from memory for the rest of the release.

    The key is what chose the answer: the raw path, the query and the Accept header. A hit is
    answered on the event loop (no thread, no query); a miss runs `handler` in the thread pool
    as a plain route would. 304s are decided from the kept ETag and Last-Modified.
    """

    async def route(request: Request) -> Response:
        store = request.app.state.store
        version = store.version()
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        key = f"{raw!r}?{request.url.query}|{request.headers.get('accept', '')}"
        cache = _documents(request)
        hit = cache.get(version, key)
        if hit is not None:
            modified = last_modified(store)
            if _fresh(request, hit.headers.get("etag"), modified):
                return Response(status_code=304, headers=hit.headers)
            return Response(hit.body, media_type=hit.media_type, headers=hit.headers)
        response = await run_in_threadpool(handler, request)
        if response.status_code == 200 and not isinstance(response, StreamingResponse):
            headers = {k: v for k, v in response.headers.items() if k not in _NOT_KEPT}
            cache.put(version, key, bytes(response.body), response.headers.get("content-type", ""), headers)
        return response

    route.__name__ = handler.__name__
    route.__doc__ = handler.__doc__
    return route
