"""Oxigraph server (the `oxigraph` command from the PyPI package `oxigraph`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .process import Server, answers, free_port, launch


def find_oxigraph() -> str | None:
    # Beside the running Python first: a venv's bin is often not on PATH.
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def start_oxigraph(binary: str, workdir: Path, timeout: float = 30.0) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    log = workdir / "oxigraph.log"
    process = launch(
        [binary, "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{port}"], log, workdir
    )
    server = Server("Oxigraph server", process, log, f"{root}/query", f"{root}/update", f"{root}/store")
    server.wait_until_ready(answers(server.query_endpoint, query="ASK {}"), timeout)
    return server
