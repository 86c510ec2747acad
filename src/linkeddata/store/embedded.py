"""The embedded store: pyoxigraph on disk (RocksDB), nothing to install or start.

A publish never copies or deletes triples in the served store (pyoxigraph does both at a few
thousand triples a second inside one transaction). Instead each release is a new store:

    {path}/CURRENT              the id of the release being served
    {path}/releases/{id}/       one RocksDB store per release
    {path}/releases/{id}.json   its manifest: graph name -> N-Triples file
    {path}/graphs/{sha}.nt      every published graph's content, kept to build the next release
    {path}/write.lock           held by the one process that may publish

`load_staging` bulk-loads a new graph, under its published name, into the next release's
store, which nobody reads; `query_staging` reads it, with the unchanged graphs loaded on
demand from their files; `swap` loads what is still missing and replaces CURRENT with one
atomic rename. Readers (the server, in another process) notice the new CURRENT and reopen,
so a build can publish while `serve` runs, and an interrupted build leaves CURRENT untouched.
With path None everything lives in memory and a temporary folder, for tests and `validate`.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import shutil
import tempfile
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from .base import STAGING_PREFIX, Native, QueryResult, Store

# Bytes of N-Triples per bulk load, read from the file as the loader asks: pyoxigraph's loader
# needs memory growing with its input. Measured: a 580 MB graph took 1.5 GB loaded whole,
# 0.4 GB in 64 MB ranges (20% slower); a 5.8 GB graph (1M street-crime observations with their
# crimes) loaded in 292 s whole (build peak 2.35 GB), 367 s in 256 MB ranges (1.46 GB for the
# load alone) and 419 s in 64 MB blocks (build peak 1.5 GB, under the 2 GB target).
LOAD_BLOCK = 64 << 20
_NOTHING = ox.NamedNode(STAGING_PREFIX + "none")  # a default graph that names no data


class _Release:
    """One release: its store and its manifest (graph name -> N-Triples file)."""

    def __init__(self, release_id: str, store: ox.Store, manifest: dict[str, str]):
        self.id = release_id
        self.ox = store
        self.manifest = manifest


class EmbeddedStore(Store):
    def __init__(self, path: Path | None, base: str, *, read_only: bool = False):
        self.base = base.rstrip("/")
        self._graph_prefix = f"{self.base}/graph/"
        self._memory = path is None
        self._tmp = tempfile.TemporaryDirectory(prefix="linkeddata-store-") if path is None else None
        self._root = Path(self._tmp.name) if self._tmp else Path(path)  # type: ignore[arg-type]
        self._read_only = read_only
        self._lock = threading.Lock()
        self._lock_file = None
        if not read_only:
            (self._root / "releases").mkdir(parents=True, exist_ok=True)
            (self._root / "graphs").mkdir(exist_ok=True)
            self._take_write_lock()
        elif not (self._root / "CURRENT").is_file():
            raise StoreError(f"no store at {self._root}: run `linkeddata build` first")
        self._current: _Release | None = None
        self._current_marker: tuple[int, int] | None = None
        self._next: _Release | None = None
        self._leaving: set[str] = set()  # graphs to take out of the next release before its next use
        self._staged: dict[str, str] = {}  # staged name (the published name) -> published name
        self._open_current()

    # -- releases on disk ------------------------------------------------------------------
    def _take_write_lock(self) -> None:
        handle = open(self._root / "write.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreError(
                f"another `linkeddata build` is publishing into {self._root}; wait for it to finish"
            ) from None
        self._lock_file = handle

    def _marker(self) -> tuple[int, int] | None:
        try:
            stat = (self._root / "CURRENT").stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_ino

    def _open_current(self) -> None:
        """Open the release CURRENT names (or an empty one)."""
        if self._memory and self._current is not None:
            return
        marker = self._marker()
        if marker is None:
            self._current = _Release("0", ox.Store(), {})
        else:
            release_id = (self._root / "CURRENT").read_text(encoding="utf-8").strip()
            folder = self._root / "releases" / release_id
            manifest = json.loads((self._root / "releases" / f"{release_id}.json").read_text(encoding="utf-8"))
            try:
                store = ox.Store.read_only(str(folder))
            except OSError as exc:
                raise StoreError(f"cannot open release {release_id} at {folder}: {exc}") from exc
            self._current = _Release(release_id, store, manifest)
        self._current_marker = marker

    def _release(self) -> _Release:
        """The release to read; a reader picks up a newer one another process published."""
        with self._lock:
            if not self._memory and self._marker() != self._current_marker:
                self._open_current()
            assert self._current is not None
            return self._current

    # -- reading ---------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        return sorted(self._release().manifest)

    def version(self) -> str:
        return self._release().id

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        limit: int | None = None,
    ) -> QueryResult:
        release = self._release()
        if not default_graph_uris and not named_graph_uris:
            # A release store holds only published graphs, so their union is the whole store;
            # pyoxigraph's own union mode plans joins far better than a list of graphs.
            return _run(release.ox, sparql, None, None, limit)
        allowed = set(release.manifest)
        published = [ox.NamedNode(g) for g in sorted(allowed)]
        default = [ox.NamedNode(u) for u in default_graph_uris if u in allowed] if default_graph_uris else published
        named = [ox.NamedNode(u) for u in named_graph_uris if u in allowed] if named_graph_uris else published
        # pyoxigraph reads an empty list as "no restriction"; a graph that names nothing does not.
        return _run(release.ox, sparql, default or [_NOTHING], named or [_NOTHING], limit)

    def dump(self, graph: str) -> Iterator[bytes]:
        # The release's own N-Triples file of the graph, which is exactly what was loaded: no
        # store read or serialisation at all. The file is opened before returning, so a release
        # swapped in meanwhile (which deletes files no longer used) cannot take it away: on POSIX
        # an open file lives on.
        for _ in range(3):
            release = self._release()
            if graph not in release.manifest:
                raise StoreError(f"{graph} is not a published graph")
            try:
                handle = (self._root / "graphs" / release.manifest[graph]).open("rb")
            except FileNotFoundError:
                continue  # another process published just now; read its release instead
            return _chunks(handle)
        raise StoreError(f"{graph} could not be read: releases are being published faster than it opens")

    # Added for the web's query workers (store/workers.py): they open the served release
    # read-only in other processes, so that a query past the time limit can be stopped.
    def dataset_of(
        self, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
    ) -> tuple[str, Path | None, list[str] | None, list[str] | None]:
        """What `query` would run against: release id, its folder (None in memory), and the
        default and named graphs (None and None: the union of all, as `query` does)."""
        release = self._release()
        folder = None if self._memory else self._root / "releases" / release.id
        if not default_graph_uris and not named_graph_uris:
            return release.id, folder, None, None
        allowed = set(release.manifest)
        default = [u for u in default_graph_uris if u in allowed] if default_graph_uris else sorted(allowed)
        named = [u for u in named_graph_uris if u in allowed] if named_graph_uris else sorted(allowed)
        return release.id, folder, default or [_NOTHING.value], named or [_NOTHING.value]

    # -- publishing ------------------------------------------------------------------------
    def _writable(self) -> None:
        if self._read_only:
            raise StoreError("this store was opened read-only")

    def _next_release(self) -> _Release:
        if self._next is not None and self._leaving:
            # Rebuilt once for all the graphs taken out since its last use: dropping the staged
            # graphs of a failed publish one by one must not reload the rest each time.
            keep = {g: f for g, f in self._next.manifest.items() if g not in self._leaving}
            self._discard_next()
            rebuilt = self._next_release()
            for name, file_name in keep.items():
                self._load(rebuilt, name, file_name)
        if self._next is None:
            release_id = f"{uuid.uuid1().int >> 64:016x}"
            if self._memory:
                store = ox.Store()
            else:
                store = ox.Store(str(self._root / "releases" / release_id))
            self._next = _Release(release_id, store, {})
        return self._next

    def _keep(self, path: Path) -> str:
        """Keep a copy of a graph's N-Triples, named by content, for later releases."""
        import hashlib

        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        name = f"{digest.hexdigest()}.nt"
        target = self._root / "graphs" / name
        if not target.exists():
            partial = target.with_suffix(".partial")
            shutil.copyfile(path, partial)
            os.replace(partial, target)
        return name

    def _load(self, release: _Release, graph: str, file_name: str) -> None:
        path = self._root / "graphs" / file_name
        target = ox.NamedNode(graph)
        try:
            if path.stat().st_size <= LOAD_BLOCK or _has_blank_nodes(path):
                # Blank node labels hold only within one load: such a graph goes in whole.
                release.ox.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            else:
                for start, end in _line_ranges(path, LOAD_BLOCK):
                    with io.BufferedReader(_Range(path, start, end), 1 << 20) as block:
                        try:
                            release.ox.bulk_load(block, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
                        except SyntaxError as exc:
                            raise _in_file(exc, path, start) from None
        except (OSError, SyntaxError) as exc:
            if release is self._next:  # what was loaded of it goes when the release is next used
                release.manifest[graph] = file_name
                self._leaving.add(graph)
            raise StoreError(f"loading graph {graph} failed: {exc}") from exc
        release.manifest[graph] = file_name

    def load_staging(self, name: str, path: Path) -> str:
        """Stage under the published name: the next release's store is private until swap."""
        self._writable()
        live = f"{self._graph_prefix}{name}"
        if live in self._staged:
            raise StoreError(f"graph {live} is already staged in this release")
        self._remove_from_next(live)  # its published version, read for a validation earlier
        self._load(self._next_release(), live, self._keep(path))
        self._staged[live] = live
        return live

    def _fill_from_current(self, graphs: Sequence[str]) -> None:
        """Load unchanged published graphs into the next release, from their kept files."""
        current = self._release()
        release = self._next_release()
        replaced = set(self._staged.values())
        for graph in graphs:
            if graph in current.manifest and graph not in release.manifest and graph not in replaced:
                self._load(release, graph, current.manifest[graph])

    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        self._writable()
        names = [self._staged.get(g, g) for g in graphs]
        self._fill_from_current(names)
        release = self._next_release()
        if names and set(names) >= set(release.manifest):
            # Every graph of the release: the same dataset as pyoxigraph's union default graph,
            # which it answers about twice as fast as a list of graphs (validation at 100k: 21 s -> 12 s).
            return _run(release.ox, sparql, None, None, None)
        return _run(release.ox, sparql, [ox.NamedNode(g) for g in names] or [_NOTHING],
                    [ox.NamedNode(g) for g in names] or [_NOTHING], None)

    def swap(self, releases: dict[str, str]) -> None:
        """Publish the next release; it must name every staged graph (drop the others first)."""
        self._writable()
        for staging, live in releases.items():
            if self._staged.get(staging) != live:
                raise StoreError(f"{staging} is not staged as {live}")
        unnamed = set(self._staged) - set(releases)
        if unnamed:
            raise StoreError(f"swap must name every staged graph; also staged: {sorted(unnamed)}")
        self._fill_from_current(self._release().manifest)
        release = self._next_release()
        if self._memory:
            with self._lock:
                self._current = release
        else:
            release.ox.flush()
            manifest = self._root / "releases" / f"{release.id}.json"
            manifest.write_text(json.dumps(release.manifest, indent=1, sort_keys=True), encoding="utf-8")
            pointer = self._root / "CURRENT.next"
            pointer.write_text(release.id + "\n", encoding="utf-8")
            os.replace(pointer, self._root / "CURRENT")  # the one atomic step of a publish
            del release.ox  # readers open it read-only, like every other reader
            with self._lock:
                self._open_current()
            self._remove_old_releases()
        self._next = None
        self._staged.clear()

    # -- writes through the web (SPARQL Update, Graph Store Protocol) -------------------------
    # Added for the SPARQL endpoint: an update is applied to a private copy of the served release,
    # which is then published by `swap` like any release (one atomic flip of CURRENT).
    def update(self, sparql: str) -> None:
        self._writable()
        if self._staged:
            raise StoreError("a release is being staged in this store; update after it is published")
        before = set(self._release().manifest)
        self._fill_from_current(sorted(before))
        release = self._next_release()
        try:
            release.ox.update(sparql)
            names = sorted(g.value for g in release.ox.named_graphs())
            problem = None
            if next(iter(release.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
                problem = (
                    "the update writes to the default graph, which here is the union of the named graphs: "
                    f"name a graph under {self._graph_prefix} (GRAPH <...> or WITH <...>)"
                )
            outside = [n for n in names if not n.startswith(self._graph_prefix)]
            if outside:
                problem = f"graphs live under {self._graph_prefix}: the update writes to <{outside[0]}>"
        except SyntaxError as exc:
            self._discard_next()
            raise QueryError(f"malformed update: {exc}") from None
        except OSError as exc:
            self._discard_next()
            raise QueryError(f"the update could not be applied: {exc}", status=500) from None
        if problem:
            self._discard_next()
            raise QueryError(problem)
        manifest = {}
        for name in names:
            dumped = self._root / "graphs" / f"{uuid.uuid4().hex}.partial"
            release.ox.dump(str(dumped), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            if dumped.stat().st_size:  # a graph left empty is no longer published
                manifest[name] = self._keep(dumped)
            dumped.unlink()
        release.manifest = manifest
        # Every graph, kept or gone, counts as staged, so swap reloads none from the old release.
        self._staged = {g: g for g in before | set(manifest)}
        self.swap(dict(self._staged))

    @contextmanager
    def writing(self) -> Iterator["EmbeddedStore"]:
        """This store, or (when opened read-only, as `serve` does) a writer on the same folder."""
        if not self._read_only:
            yield self
            return
        writer = EmbeddedStore(self._root, self.base)  # takes the write lock, or StoreError
        try:
            yield writer
        finally:
            writer.close()

    def drop_staging(self, staging: str) -> None:
        if staging not in self._staged:
            raise StoreError(f"{staging} is not staged")
        self._staged.pop(staging)
        if not self._staged and self._next is not None:
            self._discard_next()
        else:
            self._remove_from_next(staging)

    def _remove_from_next(self, graph: str) -> None:
        """Take a graph out of the next release: it is rebuilt from the kept files without that
        graph when next used (reloading files is fast; deleting triples from RocksDB is not)."""
        if self._next is not None and graph in self._next.manifest:
            self._leaving.add(graph)

    def _discard_next(self) -> None:
        release, self._next = self._next, None
        self._leaving = set()
        if release is None:
            return
        del release.ox
        if not self._memory:
            shutil.rmtree(self._root / "releases" / release.id, ignore_errors=True)

    def drop_abandoned_staging(self) -> int:
        """Remove releases a killed build left half made, and graph files no release uses."""
        return self._remove_old_releases()

    def _remove_old_releases(self) -> int:
        if self._memory or self._current is None:
            return 0
        keep = self._current.id
        removed = 0
        for entry in (self._root / "releases").iterdir():
            release_id = entry.name.removesuffix(".json")
            if release_id != keep and (self._next is None or release_id != self._next.id):
                # A server may still be reading an old release: on POSIX its open files live on.
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                    removed += 1
                else:
                    entry.unlink(missing_ok=True)
        used = set(self._current.manifest.values())
        for kept in (self._root / "graphs").iterdir():
            if kept.name not in used:
                kept.unlink(missing_ok=True)
        return removed

    def close(self) -> None:
        if self._next is not None:
            self._discard_next()
        self._current = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        if self._tmp is not None:
            self._tmp.cleanup()


def _line_ranges(path: Path, size: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about `size` covering the file, each ending at the end of a line."""
    total = path.stat().st_size
    with path.open("rb") as handle:
        start = 0
        while start < total:
            handle.seek(min(start + size, total))
            handle.readline()
            end = min(handle.tell(), total)
            yield start, end
            start = end


class _Range(io.RawIOBase):
    """Bytes `start` to `end` of a file, read as the loader asks: no block is held in memory."""

    def __init__(self, path: Path, start: int, end: int):
        self._handle = path.open("rb")
        self._handle.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        # Straight into the loader's buffer: this runs for every MB of a multi-GB graph.
        read = self._handle.readinto(memoryview(buffer)[:min(len(buffer), self._left)]) or 0
        self._left -= read
        return read

    def close(self) -> None:
        self._handle.close()
        super().close()


def _in_file(error: SyntaxError, path: Path, start: int) -> SyntaxError:
    """The loader's error for a range, with the line counted from the start of the file."""
    if not error.lineno:
        return SyntaxError(f"{error.msg} (after byte {start})")
    before = sum(block.count(b"\n") for block in _chunks(path.open("rb"), most=start))
    return SyntaxError(re.sub(r"\bline \d+", f"line {before + error.lineno}", error.msg, count=1))


def _has_blank_nodes(path: Path) -> bool:
    """Whether `_:` occurs anywhere (in a literal too: then the graph is loaded whole, which is safe)."""
    last = b""
    for block in _chunks(path.open("rb"), LOAD_BLOCK):
        if b"_:" in last + block:
            return True
        last = block[-1:]
    return False


def _chunks(handle: BinaryIO, size: int = 1 << 20, most: int | None = None) -> Iterator[bytes]:
    """The file in blocks, to its end or its first `most` bytes; closes it."""
    with handle:
        left = -1 if most is None else most
        while left and (block := handle.read(size if left < 0 else min(size, left))):
            left = left - len(block) if left > 0 else left
            yield block


def _run(
    store: ox.Store, sparql: str, default: list[ox.NamedNode] | None, named: list[ox.NamedNode] | None, limit: int | None
) -> QueryResult:
    """Run a query; with no graphs given, the default graph is the union of all graphs."""
    try:
        if default is None:
            native = store.query(sparql, use_default_graph_as_union=True)
        else:
            native = store.query(sparql, default_graph=default, named_graphs=named)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the query could not be evaluated: {exc}", status=500) from None
    if isinstance(native, ox.QueryBoolean):
        return QueryResult("boolean", boolean=bool(native))
    # Written by pyoxigraph, never a Python object per term: rdflib terms are made only if
    # asked for (QueryResult.rows/graph), and the endpoint re-writes this in Rust.
    if isinstance(native, ox.QuerySolutions):
        variables = [v.value for v in native.variables]
        body, truncated = _written(native, "tsv", None if limit is None else limit + 1)  # + the header
        return QueryResult("solutions", variables=variables, truncated=truncated, native=Native("tsv", body))
    # `limit` caps the triples of a CONSTRUCT/DESCRIBE too (added with the query workers).
    body, truncated = _written(native, "nt", limit)
    return QueryResult("graph", truncated=truncated, native=Native("nt", body))


class _Enough(Exception):
    """Raised from inside pyoxigraph's writer to stop a result at its cap."""


class _Lines:
    """A file pyoxigraph writes into that stops it after `most` lines."""

    def __init__(self, most: int | None):
        self.parts: list[bytes] = []
        self.lines = 0
        self.most = most

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.lines += data.count(b"\n")
        if self.most is not None and self.lines > self.most:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass


def _written(native: ox.QuerySolutions | ox.QueryTriples, syntax: str, most: int | None) -> tuple[bytes, bool]:
    """The result written as TSV or N-Triples (one line per solution or triple), cut to `most`
    lines; and whether it was cut."""
    out = _Lines(most)
    try:
        if syntax == "tsv":
            native.serialize(out, format=ox.QueryResultsFormat.TSV)  # type: ignore[call-arg, union-attr]
        else:
            native.serialize(out, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[call-arg, union-attr]
    except _Enough:
        body = b"".join(out.parts)
        cut = -1
        for _ in range(out.most or 0):
            cut = body.index(b"\n", cut + 1)
        return body[: cut + 1], True
    except OSError as exc:
        raise QueryError(f"the query could not be evaluated: {exc}", status=500) from None
    return b"".join(out.parts), False


run_query = _run  # the query workers' entry point (store/workers.py)
