"""The two servers under test, started on 127.0.0.1, each loaded with a test's data before it."""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx

from .manifests import TIMEOUT, TOKEN

# -- servers -------------------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Target:
    """One server under test: how to load a dataset, and where its endpoints are."""

    label: str
    root: str
    query_path: str
    update_path: str
    store_path: str  # Graph Store Protocol, indirect identification
    direct_path: str  # Graph Store Protocol, direct identification
    auth: dict[str, str] = {}
    names_dataset = False  # whether queries must name the test's dataset (our union default graph)

    def load(self, default: list[tuple[str, bytes]], named: list[tuple[str, bytes]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class Ours(Target):
    label = "ours"
    query_path = update_path = "/sparql"
    store_path = "/rdf-graph-store"
    direct_path = "/graph"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    names_dataset = True

    def __init__(self, workdir: Path):
        import uvicorn

        from linkeddata.settings import Settings
        from linkeddata.store.embedded import EmbeddedStore
        from linkeddata.web.app import create_app

        port = free_port()
        self.root = f"http://127.0.0.1:{port}"
        self.folder = workdir / "ours"
        self.base = self.root  # minted IRIs (a new graph's Location) resolve on this server
        self.load([], [])  # a first, empty release to serve
        self.store = EmbeddedStore(self.folder, self.base, read_only=True)
        settings = Settings(base_uri=self.base, update_token=TOKEN, query_workers=2, query_timeout=TIMEOUT)
        app = create_app(self.store, settings)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("our app did not start")
            time.sleep(0.05)

    def load(self, default: list[tuple[str, bytes]], named: list[tuple[str, bytes]]) -> None:
        """Publish exactly these graphs, as one release, under the names given (the store's own
        publishing names graphs under {base}/graph/ only, so its release is made here directly)."""
        from linkeddata.store.embedded import EmbeddedStore

        with EmbeddedStore(self.folder, self.base) as writer:
            release = writer._next_release()
            for graph in list(release.manifest):
                writer._take_out(release, graph, hide=False)
            for name, ntriples in dict([*default, *named]).items():
                with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as handle:
                    handle.write(ntriples)
                path = Path(handle.name)
                if ntriples.strip():
                    writer._load(release, name, writer._keep(path))
                path.unlink()
            writer._publish(release)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()


class Oxigraph(Target):
    label = "oxigraph"
    query_path = "/query"
    update_path = "/update"
    store_path = "/store"
    direct_path = "/store"

    def __init__(self, binary: str, workdir: Path):
        port = free_port()
        self.root = f"http://127.0.0.1:{port}"
        self.log = (workdir / "oxigraph.log").open("wb")
        self.process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.root}/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("Oxigraph server did not start")
            time.sleep(0.1)
        self.http = httpx.Client(base_url=self.root, timeout=TIMEOUT)

    def load(self, default: list[tuple[str, bytes]], named: list[tuple[str, bytes]]) -> None:
        self.http.post("/update", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}).raise_for_status()
        for _, ntriples in default:
            self.http.post("/store?default", content=ntriples, headers={"Content-Type": "application/n-triples"}).raise_for_status()
        for name, ntriples in named:
            self.http.post("/store", params={"graph": name}, content=ntriples,
                           headers={"Content-Type": "application/n-triples"}).raise_for_status()

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
