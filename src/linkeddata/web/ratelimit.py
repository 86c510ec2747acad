"""Fair use, as police.uk limits its API: a leaky bucket per client address.

Each request pours one unit into its client's bucket, which drains at `rate` units a second and
holds `burst`: on average fewer than `rate` requests a second, up to `burst` at once. A request
that would overflow it is answered 429 with Retry-After (whole seconds until it would fit).
`LeakyBuckets` is the bookkeeping; `RateLimit` is the ASGI middleware that applies one set of
buckets to each path prefix (/api/, and /sparql and /reconcile, configured apart). The buckets live in the
process: behind several workers or a proxy, limit at the proxy instead.
"""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import error_body

_FORGET_AFTER = 4096  # buckets kept before the drained ones are dropped


class LeakyBuckets:
    """Buckets by key; `take(key)` is 0 if the request fits, else the seconds to wait.

    >>> clock = iter([0.0, 0.0, 0.0, 0.5]).__next__
    >>> b = LeakyBuckets(rate=2, burst=2, clock=clock)
    >>> b.take("a"), b.take("a"), b.take("a"), b.take("a")
    (0.0, 0.0, 0.5, 0.0)
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (level, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            level, when = self._levels.get(key, (0.0, now))
            level = max(0.0, level - (now - when) * self.rate)
            if level + 1 > self.burst:
                self._levels[key] = (level, now)
                return (level + 1 - self.burst) / self.rate
            self._levels[key] = (level + 1, now)
            if len(self._levels) > _FORGET_AFTER:
                self._forget(now)
            return 0.0

    def _forget(self, now: float) -> None:
        for key, (level, when) in list(self._levels.items()):
            if level - (now - when) * self.rate <= 0:
                del self._levels[key]


class RateLimit:
    """Applies `limits` (path prefix -> buckets) to every request under each prefix."""

    def __init__(self, app: ASGIApp, limits: dict[str, LeakyBuckets]):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            for prefix, buckets in self.limits.items():
                if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                    client = scope.get("client")
                    wait = buckets.take(client[0] if client else "")
                    if wait > 0:
                        await _too_many(send, math.ceil(wait), buckets)
                        return
                    break
        await self.app(scope, receive, send)


async def _too_many(send: Send, seconds: int, buckets: LeakyBuckets) -> None:
    message = (f"more than {buckets.rate:g} requests a second (bursts of up to {buckets.burst}) from one "
               f"address: wait {seconds} s and send it again")
    body = json.dumps(error_body(429, "too_many_requests", message)).encode("utf-8")
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(seconds).encode()), (b"access-control-allow-origin", b"*"),
    ]})
    await send({"type": "http.response.body", "body": body})


def limits(api_rate: float, api_burst: int, sparql_rate: float, sparql_burst: int) -> dict[str, LeakyBuckets]:
    """The configured limits; a rate of 0 turns that one off."""
    found = {}
    if api_rate > 0:
        found["/api/"] = LeakyBuckets(api_rate, api_burst)
    if sparql_rate > 0:
        # The reconciliation service answers batches of queries over the same store: the same
        # fair use as /sparql, in buckets of its own.
        found["/sparql"] = LeakyBuckets(sparql_rate, sparql_burst)
        found["/reconcile"] = LeakyBuckets(sparql_rate, sparql_burst)
    return found
