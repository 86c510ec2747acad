"""HTTP errors: one JSON body shape for every error, and an HTML page for people.

    WebError(status, code, message)   raised by routes, answered by `error_response`
    negotiate.NotAcceptable           answered as a 406 whose message lists what is offered
    errors.QueryError                 answered with its own status (400 malformed, 503 stopped)
    anything else                     a 500 that says nothing about the code

Every JSON error is `{"error": {"status": int, "code": str, "message": str}}`; a test pins it.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML, Format
from .negotiate import choose
from .pages import render

JSON = Format("json", "application/json", "JSON")

# Stable codes for statuses Starlette and FastAPI raise on their own.
CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    500: "internal_error",
    503: "unavailable",
}


class WebError(Exception):
    """An error the client can act on; its message is shown to them as it is."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, object]]:
    return {"error": {"status": status, "code": code, "message": message}}


def error_response(request: Request, error: WebError, headers: dict[str, str] | None = None) -> Response:
    """The error as HTML when the client prefers HTML to JSON, else in the JSON shape."""
    headers = {"Vary": "Accept", **(headers or {})}
    if choose([JSON, HTML], request.headers.get("accept")) is HTML:
        context = {"status": error.status, "code": error.code, "message": error.message}
        html = render(request, "error.html", context)
        return Response(html, status_code=error.status, media_type="text/html; charset=utf-8", headers=headers)
    body = json.dumps(error_body(error.status, error.code, error.message)).encode("utf-8")
    return Response(body, status_code=error.status, media_type="application/json", headers=headers)
