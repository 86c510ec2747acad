"""A proxy on 127.0.0.1 in front of a real server that fails chosen requests: for testing what a
store does when a load breaks part-way (a server error, a dropped connection).

    with FailingProxy("http://127.0.0.1:7878", fails=lambda body: b"marker" in body) as proxy:
        proxy.url("http://127.0.0.1:7878/store")   # the same endpoint, through the proxy

`fails(body)` is asked for every request; when it answers "503" the proxy answers 503 itself,
"drop" closes the connection without an answer, "slow" forwards it after `delay` seconds, None
forwards the request.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Literal

import httpx

Failure = Literal["503", "drop", "slow"] | None
_HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class FailingProxy:
    def __init__(self, upstream: str, fails: Callable[[bytes], Failure], delay: float = 3.0):
        self.upstream = upstream.rstrip("/")
        self.fails = fails
        self.delay = delay
        self.failed = 0
        self._client = httpx.Client(timeout=120)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                failure = proxy.fails(body)
                if failure == "slow":
                    time.sleep(proxy.delay)
                elif failure is not None:
                    proxy.failed += 1
                    if failure == "drop":
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                answer = proxy._client.request(self.command, proxy.upstream + self.path, headers=headers, content=body)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, endpoint: str) -> str:
        """`endpoint` of the upstream server, reached through the proxy."""
        assert endpoint.startswith(self.upstream), endpoint
        return f"http://127.0.0.1:{self._server.server_address[1]}{endpoint[len(self.upstream):]}"

    def __enter__(self) -> "FailingProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()
