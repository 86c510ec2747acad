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
from typing import Any, Callable, TypeVar

from rdflib.namespace import DCTERMS, QB
from starlette.requests import Request
from starlette.responses import Response

from ..store import Store
from .caching import etag, matches

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
    """Add ETag and Last-Modified to `headers`; a 304 when the client's copy is current, else None.

    If-None-Match wins over If-Modified-Since, as RFC 9110 says.
    """
    tag = etag(store.version(), variant)
    headers["ETag"] = tag
    modified = last_modified(store)
    if modified is not None:
        headers["Last-Modified"] = http_date(modified)
    inm = request.headers.get("if-none-match")
    fresh = matches(inm, tag) if inm else (
        modified is not None and not_modified_since(request.headers.get("if-modified-since"), modified)
    )
    if fresh:
        return Response(status_code=304, headers=headers)
    return None
