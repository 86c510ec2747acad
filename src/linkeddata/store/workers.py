"""Queries run where they can be stopped: a query time limit that really holds.

pyoxigraph has no query timeout, and a thread cannot be stopped. So the embedded store on disk
answers queries in a small pool of worker processes; each opens the served release read-only
(`{store}/releases/{id}`) and keeps it open until a newer release is served. A query that passes
the limit has its worker killed (the query stops with it) and a fresh worker started in its place,
so one runaway query costs one worker for `timeout` seconds and never blocks the others.

Each worker limits itself before its first query (`sandbox.py`, on Linux): its memory
to `memory_mb` of data (a query that needs more kills its worker, which is replaced, and is answered
503 `query_too_large`), no network unless SERVICE has an allow-list, and death with the server
(every worker is started by one long-lived thread, since the kernel's parent-death signal
follows the starting thread, not the process).

    runner = query_runner(store, timeout=30, workers=4)   # once, at start-up
    runner.query(sparql, default_graph_uris=..., named_graph_uris=..., limit=...)  # blocks
    runner.close()

Stores that are not on disk are run differently, by the same interface:

- a remote store stops its queries itself: its HTTP requests carry the time limit;
- an in-memory embedded store (tests, `validate`) cannot be shared with another process: its
  queries run in a thread and are *answered* 503 at the limit, but run on to the end.

Errors: `QueryError` (status 503) when a query is stopped; the store's own `QueryError`s
(400 malformed, 500 failed) pass through as they are.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.connection import Connection
from typing import Any, Protocol, Sequence

from ..errors import QueryError
from .base import Native, QueryResult, Store

log = logging.getLogger(__name__)


class QueryRunner(Protocol):
    def query(
        self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
        limit: int | None = None, base_iri: str | None = None,
    ) -> QueryResult: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class WorkerLimits:
    memory_mb: int = 0
    """memory (allocated data) a worker may use, in MB; 0: no limit"""
    network: bool = False
    """whether a worker may open network sockets (needed only for allowed SERVICE endpoints)"""


def query_runner(store: Store, *, timeout: float, workers: int, limits: WorkerLimits = WorkerLimits()) -> QueryRunner:
    """The runner that enforces `timeout` for this store (see the module docs)."""
    from .embedded import EmbeddedStore

    if isinstance(store, EmbeddedStore) and store.dataset_of((), ())[1] is not None:
        return ProcessRunner(store, timeout=timeout, workers=workers, limits=limits)
    return ThreadRunner(store, timeout=timeout, workers=workers)


def stopped(timeout: float) -> QueryError:
    return QueryError(
        f"the query was stopped after {timeout:g} seconds, the time limit of this endpoint: "
        "narrow it (a more selective pattern, LIMIT) or ask for less",
        status=503,
    )


class ThreadRunner:
    """Queries in threads: for stores that stop queries themselves, or cannot be shared."""

    def __init__(self, store: Store, *, timeout: float, workers: int):
        self._store = store
        self._timeout = timeout
        self._threads = ThreadPoolExecutor(max_workers=max(workers, 1) * 2, thread_name_prefix="sparql")

    def query(
        self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
        limit: int | None = None, base_iri: str | None = None,
    ) -> QueryResult:
        future = self._threads.submit(
            self._store.query, sparql, default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris, limit=limit, base_iri=base_iri,
        )
        try:
            # A little over the limit: a remote store's own timeout should speak first.
            return future.result(timeout=self._timeout + 1)
        except FutureTimeout:
            raise stopped(self._timeout) from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def too_large(megabytes: int) -> QueryError:
    return QueryError(
        f"the query was stopped: it needed more than {megabytes} MB of memory, the limit of this "
        "endpoint: narrow it (a more selective pattern, fewer variables to sort by) or ask for less",
        status=503, code="query_too_large",
    )


class _Worker:
    def __init__(self, context: Any, limits: WorkerLimits):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_work, args=(child, os.getpid(), limits), daemon=True, name="linkeddata-query",
        )
        self.process.start()
        child.close()

    def died_of_memory(self) -> bool:
        """Whether the worker ended the way an allocation failure ends it (Rust aborts)."""
        self.process.join(timeout=5)
        return self.process.exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, 134)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ProcessRunner:
    """A fixed pool of worker processes over an embedded store on disk."""

    def __init__(self, store: Store, *, timeout: float, workers: int, limits: WorkerLimits = WorkerLimits()):
        self._store = store
        self._timeout = timeout
        self._limits = limits
        # spawn, not fork: the server has threads and an open RocksDB, which a fork would copy.
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        # Workers are started by this one thread, which lives as long as the runner: a worker
        # dies with the thread that started it (see the module docs).
        self._starts: queue.Queue[bool] = queue.Queue()
        threading.Thread(target=self._starter, daemon=True, name="linkeddata-query-starter").start()
        for _ in range(max(workers, 1)):
            self._starts.put(True)

    def _starter(self) -> None:
        while self._starts.get():
            try:
                self._add()
            except Exception:  # noqa: BLE001  (the pool runs one short; the next start may work)
                log.exception("could not start a query worker")

    def _add(self) -> None:
        worker = _Worker(self._context, self._limits)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.append(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        # The replacement starts in the background: the answer to this request need not wait.
        self._starts.put(True)

    def query(
        self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
        limit: int | None = None, base_iri: str | None = None,
    ) -> QueryResult:
        from .embedded import EmbeddedStore

        assert isinstance(self._store, EmbeddedStore)
        release_id, folder, default, named = self._store.dataset_of(default_graph_uris, named_graph_uris, sparql, base_iri)
        job = (release_id, str(folder), sparql, default, named, limit, base_iri)
        # Time spent waiting for a free worker counts: the limit is what the client waits.
        deadline = _now() + self._timeout
        try:
            worker = self._idle.get(timeout=self._timeout)
        except queue.Empty:
            raise stopped(self._timeout) from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(deadline - _now(), 0)):
                self._retire(worker)  # the one way to stop a pyoxigraph query
                raise stopped(self._timeout)
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            memory = worker.died_of_memory()
            self._retire(worker)
            if memory and self._limits.memory_mb:
                raise too_large(self._limits.memory_mb) from None
            raise QueryError("the query worker failed; try again", status=503) from None
        self._idle.put(worker)
        if status == "error":
            message, status_code, code = payload
            raise QueryError(message, status=status_code, code=code)
        return _from_wire(payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        self._starts.put(False)
        for worker in workers:
            worker.kill()


def _now() -> float:
    import time

    return time.monotonic()


# -- in the worker process ---------------------------------------------------------------------

def _work(conn: Connection, parent_pid: int, limits: WorkerLimits) -> None:
    """Answer jobs until the pipe closes; keep the newest release open between them."""
    from . import sandbox

    # Before anything else runs here, and before any other thread exists (a seccomp filter
    # binds the threads started after it).
    sandbox.die_with_parent(parent_pid)
    if not limits.network:
        sandbox.deny_network()
    sandbox.limit_memory(limits.memory_mb)

    import pyoxigraph as ox

    from .embedded import run_query

    opened: tuple[str, Any] | None = None
    while True:
        try:
            release_id, folder, sparql, default, named, limit, base_iri = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            if opened is None or opened[0] != release_id:
                opened = None  # drop the old release before opening the new
                opened = (release_id, ox.Store.read_only(folder))
            result = run_query(
                opened[1], sparql,
                None if default is None else [ox.NamedNode(g) for g in default],
                None if named is None else [ox.NamedNode(g) for g in named],
                limit, base_iri,
            )
            reply: tuple[str, Any] = ("ok", _to_wire(result))
        except QueryError as exc:
            reply = ("error", (str(exc), exc.status, exc.code))
        except MemoryError:
            error = too_large(limits.memory_mb)
            reply = ("error", (str(error), error.status, error.code))
        except Exception as exc:  # noqa: BLE001  (reported, never raised: the worker lives on)
            reply = ("error", (f"the query could not be evaluated: {type(exc).__name__}: {exc}", 500, None))
        try:
            conn.send(reply)
        except (OSError, BrokenPipeError):
            return


def _to_wire(result: QueryResult) -> tuple[Any, ...]:
    """A QueryResult as plain data: pyoxigraph's own writing of it (bytes), never rdflib terms."""
    native = (result.native.syntax, result.native.body) if result.native is not None else None
    return result.kind, result.variables, result.boolean, native, result.truncated


def _from_wire(data: tuple[Any, ...]) -> QueryResult:
    kind, variables, boolean, native, truncated = data
    return QueryResult(
        kind, variables=variables, boolean=boolean, truncated=truncated,
        native=Native(*native) if native is not None else None,
    )
