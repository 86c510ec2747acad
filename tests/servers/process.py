"""A server process on a free local port: start, wait until it answers, stop."""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx


class ServerFailed(RuntimeError):
    """The server did not start, or did not answer in time; the message carries its log."""


def free_port() -> int:
    # The port is free now; another process could take it before the server does, which is
    # rare enough on a test machine that a retry is not worth its code.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running SPARQL server and how to reach it."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    query_endpoint: str
    update_endpoint: str
    store_endpoint: str
    credentials: tuple[str, str] | None = None
    auth: str = "basic"
    extra: dict[str, str] = field(default_factory=dict)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_until_ready(self, ready: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"{self.name} exited with status {self.process.returncode} while starting:\n{self.log_tail()}"
                )
            try:
                if ready():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerFailed(f"{self.name} did not answer within {timeout:g} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)


def _die_with_parent() -> None:
    # If pytest is killed before its teardown runs, the kernel stops the server too (Linux only).
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def launch(command: list[str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    try:
        return subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    finally:
        out.close()


def answers(url: str, **params: str) -> Callable[[], bool]:
    def check() -> bool:
        return httpx.get(url, params=params, timeout=2.0).status_code == 200

    return check
