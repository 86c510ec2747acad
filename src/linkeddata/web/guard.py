"""What every write and every body passes: the access token, the size limits, one writer at a time.

    read_body(request, limit)   the body, or a 413 as soon as it is known to be too large
    write_refusal(request)      None when the request may write, else the error to answer:
                                403 read_only (no token configured), 401 (no token presented,
                                with a WWW-Authenticate challenge), 403 bad_token (a wrong one)
    WRITES                      the lock a write holds: the store publishes one release at a time
"""

from __future__ import annotations

import hmac
import threading

from starlette.requests import Request

from . import context
from .problems import WebError

WRITES = threading.Lock()
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="linkeddata"'}


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> WebError:
    return WebError(413, "too_large", f"the request body is over the limit of {limit:,} bytes")


def write_refusal(request: Request) -> WebError | None:
    token = context.settings(request).update_token
    if not token:
        return WebError(
            403, "read_only",
            "this SPARQL endpoint is read-only: updates and graph store writes are not accepted",
        )
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return WebError(401, "unauthorized", "writes need the access token: send Authorization: Bearer TOKEN")
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        return WebError(403, "bad_token", "the access token presented is not the one that allows writes")
    return None
