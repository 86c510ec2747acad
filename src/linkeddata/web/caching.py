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


class AnswerCache:
    """Answers to queries, kept for one store version, least recently used first out.

    A publish changes the version, and the first answer for the new version drops the old ones.
    The size counts the bodies' bytes; an answer larger than a quarter of it is not kept.

    >>> cache = AnswerCache(max_bytes=100)
    >>> cache.put("v1", "q", b"12345", "text/csv", {})
    >>> cache.get("v1", "q").body, cache.get("v2", "q")
    (b'12345', None)
    >>> cache.put("v2", "q", b"1", "text/csv", {})
    >>> cache.get("v1", "q") is None, len(cache)
    (True, 1)
    """

    def __init__(self, max_bytes: int):
        from collections import OrderedDict
        from threading import Lock

        self.max_bytes = max_bytes
        self._version: str | None = None
        self._answers: "OrderedDict[str, CachedAnswer]" = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, version: str, key: str) -> "CachedAnswer | None":
        with self._lock:
            if version != self._version:
                return None
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, version: str, key: str, body: bytes, media_type: str, headers: dict[str, str]) -> None:
        if len(body) * 4 > self.max_bytes:
            return
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._bytes = 0
                self._version = version
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = CachedAnswer(body, media_type, dict(headers))
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)


class CachedAnswer:
    __slots__ = ("body", "media_type", "headers")

    def __init__(self, body: bytes, media_type: str, headers: dict[str, str]):
        self.body = body
        self.media_type = media_type
        self.headers = headers
