"""ETags from the published release and the variant, so a client revalidates cheaply.

A release changes `store.version()`; the same URL answers differently per format, so the
format key is part of the tag.

>>> tag = etag("abc", "ttl")
>>> tag
'"abc-ttl"'
>>> matches('W/"abc-ttl", "other"', tag), matches("*", tag), matches('"abc-nt"', tag)
(True, True, False)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


def etag(version: str, variant: str) -> str:
    return f'"{version}-{variant}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def not_modified(request: Request, tag: str, headers: dict[str, str]) -> Response | None:
    """A 304 when the client already holds this variant of this release, else None."""
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={**headers, "ETag": tag})
    return None
