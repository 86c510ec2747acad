"""Two small ASGI wrappers every response passes through.

- `OpenCors`: everything here is a read, so any origin may read it (and preflights succeed).
- `HeadWithoutBody`: GET routes also answer HEAD; this drops the body but keeps the headers
  (Content-Length included), whatever server runs the app.
- `BaseAndPolicy`: a redirect Starlette builds from the request's Host header (`/id` -> `/id/`,
  `/sparql/` -> `/sparql`) is pointed at the configured base instead, so a forged Host never
  comes back in a Location; and every HTML page carries a strict Content-Security-Policy (the
  pages load nothing from elsewhere and run no inline script).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_EXPOSED = "Link, ETag, Location, X-SPARQL-Truncated, X-Truncated"


class OpenCors:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            asked = _header(scope, b"access-control-request-headers") or b"Accept, Content-Type, If-None-Match"
            await send({"type": "http.response.start", "status": 204, "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", b"GET, HEAD, POST, OPTIONS"),
                (b"access-control-allow-headers", asked),
                (b"access-control-max-age", b"86400"),
            ]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_open(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", _EXPOSED.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_open)


class HeadWithoutBody:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_headers_only)


def content_security_policy(base: str, frame_ancestors: str = "'none'") -> str:
    # Forms submit to our own pages, which the base names when it is not the serving origin.
    # A page made to be framed elsewhere (the reconciliation preview) sets its own, framable.
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; form-action 'self' {base}/; base-uri 'none'; frame-ancestors {frame_ancestors}"
    )


class BaseAndPolicy:
    def __init__(self, app: ASGIApp, base: str):
        self.app = app
        self.base = urlsplit(base)
        self.policy = content_security_policy(base).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or b"").decode("latin-1").lower()

        async def send_safe(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                html = False
                policy = self.policy
                for name, value in message.get("headers", []):
                    if name.lower() == b"location":
                        value = self._from_base(value.decode("latin-1"), host).encode("latin-1")
                    elif name.lower() == b"content-type" and value.lower().startswith(b"text/html"):
                        html = True
                    elif name.lower() == b"content-security-policy":
                        policy = value  # the route's own (it may only loosen frame-ancestors)
                        continue
                    headers.append((name, value))
                if html:
                    headers.append((b"content-security-policy", policy))
                    headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_safe)

    def _from_base(self, location: str, host: str) -> str:
        """An absolute Location on the host the client named, moved onto the configured base."""
        parts = urlsplit(location)
        if not parts.netloc or parts.netloc.lower() == self.base.netloc.lower() or parts.netloc.lower() != host:
            return location
        path = self.base.path.rstrip("/") + parts.path
        return urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, parts.fragment))


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None
