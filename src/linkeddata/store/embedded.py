"""The embedded store: pyoxigraph on disk (RocksDB), nothing to install or start.

Each release is a RocksDB store of its own, made from the served one without copying it:

    {path}/CURRENT              the id of the release being served
    {path}/releases/{id}/       one RocksDB store per release
    {path}/releases/{id}.json   its manifest: graph name -> N-Triples file, and hidden graphs
    {path}/graphs/{sha}.nt      every published graph's content, for dumps
    {path}/write.lock           held by the one process that may publish

The next release starts as a backup of the served one (a RocksDB checkpoint: hard links to its
immutable files, milliseconds whatever its size); `load_staging` bulk-loads only the graphs
that change into it, under their published names, where nobody reads them; `query_staging`
reads it; `swap` writes its manifest and replaces CURRENT with one atomic rename (the files,
the pointer and the folders fsynced first, so a power cut after a publish leaves a store that
opens). Readers (the server, in other processes) notice the new CURRENT and reopen, so a build
can publish while `serve` runs, and an interrupted build leaves CURRENT untouched.

A big graph that leaves publication (a replaced or retracted partition) is not deleted on the
publishing path, which would cost three times its load: the release hides it (queries over the
union then name the published graphs) until `compact` removes it, as another release.
With path None the store lives in a temporary folder, for tests and `validate`.
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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from .base import NOTHING, Native, QueryResult, Store, published_dataset, requested_dataset

# Bytes of N-Triples per bulk load, read from the file as the loader asks: pyoxigraph's loader
# needs memory growing with its input. Measured: a 580 MB graph took 1.5 GB loaded whole,
# 0.4 GB in 64 MB ranges (20% slower); a 5.8 GB graph (1M street-crime observations with their
# crimes) loaded in 292 s whole (build peak 2.35 GB), 367 s in 256 MB ranges (1.46 GB for the
# load alone) and 419 s in 64 MB blocks (build peak 1.5 GB, under the 2 GB target).
LOAD_BLOCK = 64 << 20
# A graph leaving publication that is larger than this (bytes of N-Triples) is hidden rather
# than deleted: removing 1M triples took 30 s here, loading them 8-10 s.
HIDE_ABOVE = 16 << 20
_NOTHING = ox.NamedNode(NOTHING)  # a default graph that names no data


class _Release:
    """One release: its store, its manifest (graph name -> N-Triples file) and the graphs its
    store still holds but no longer publishes (name -> bytes), until `compact` removes them."""

    def __init__(self, release_id: str, store: ox.Store, manifest: dict[str, str], hidden: dict[str, int] | None = None):
        self.id = release_id
        self.ox = store
        self.manifest = manifest
        self.hidden = hidden or {}

    def graph_lists(self) -> tuple[list[str], list[str]] | None:
        """The default and named graphs a query over every published graph must name: None
        when the store holds only published graphs, so that its union is exactly them."""
        if not self.hidden:
            return None
        published = sorted(self.manifest) or [_NOTHING.value]
        return published, published


def _read_manifest(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if "graphs" in data and isinstance(data["graphs"], dict):
        return data["graphs"], dict(data.get("hidden", {}))
    return data, {}  # a store made before releases could hide graphs


def _durable_write(path: Path, text: str) -> None:
    """Write a small file so that it survives a power cut once this returns."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EmbeddedStore(Store):
    def __init__(self, path: Path | None, base: str, *, read_only: bool = False):
        self.base = base.rstrip("/")
        self._graph_prefix = f"{self.base}/graph/"
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
        for attempt in range(5):
            marker = self._marker()
            if marker is None:
                self._current = _Release("0", ox.Store(), {})
                self._current_marker = marker
                return
            release_id = (self._root / "CURRENT").read_text(encoding="utf-8").strip()
            folder = self._root / "releases" / release_id
            try:
                manifest, hidden = _read_manifest(self._root / "releases" / f"{release_id}.json")
                store = ox.Store.read_only(str(folder))
            except (OSError, RuntimeError, ValueError) as exc:
                # A writer may have published again and removed this release meanwhile.
                if self._marker() != marker and attempt < 4:
                    continue
                raise StoreError(f"cannot open release {release_id} at {folder}: {exc}") from exc
            self._current = _Release(release_id, store, manifest, hidden)
            self._current_marker = marker
            return

    def _release(self) -> _Release:
        """The release to read; a reader picks up a newer one another process published."""
        with self._lock:
            if self._marker() != self._current_marker:
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
        base_iri: str | None = None,
    ) -> QueryResult:
        _, _, default, named = self.dataset_of(default_graph_uris, named_graph_uris, sparql, base_iri)
        release = self._release()
        if default is None:
            # The release's store holds only published graphs, so their union is the whole store;
            # pyoxigraph's own union mode plans joins far better than a list of graphs.
            return _run(release.ox, sparql, None, None, limit, base_iri)
        return _run(
            release.ox, sparql, [ox.NamedNode(g) for g in default], [ox.NamedNode(g) for g in named or ()], limit, base_iri,
        )

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
        self, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str], sparql: str = "",
        base_iri: str | None = None,
    ) -> tuple[str, Path | None, list[str] | None, list[str] | None]:
        """What `query` would run against: release id, its folder, and the default and named
        graphs (None and None: the union of all graphs in the store, which are all published)."""
        release = self._release()
        folder = self._root / "releases" / release.id if release.id != "0" else None
        requested = requested_dataset(sparql, default_graph_uris, named_graph_uris, base_iri)
        if requested is None:
            lists = release.graph_lists()
            return (release.id, folder, None, None) if lists is None else (release.id, folder, *lists)
        return release.id, folder, *published_dataset(requested, release.manifest)

    # -- publishing ------------------------------------------------------------------------
    # A release starts as a backup of the served one (RocksDB checkpoint: hard links to its
    # immutable files, milliseconds whatever its size) and loads only what changed. Deleting
    # triples costs about three times loading them, so a big graph that leaves publication
    # (a replaced or retracted partition) stays in the store, hidden: queries then name the
    # published graphs, until `compact` removes what is hidden, off the publishing path.
    def _writable(self) -> None:
        if self._read_only:
            raise StoreError("this store was opened read-only")

    def _next_release(self) -> _Release:
        if self._next is None:
            current = self._release()
            release_id = f"{uuid.uuid1().int >> 64:016x}"
            folder = self._root / "releases" / release_id
            if current.id == "0":
                store = ox.Store(str(folder))
            else:
                current.ox.backup(str(folder))
                store = ox.Store(str(folder))
            self._next = _Release(release_id, store, dict(current.manifest), dict(current.hidden))
        return self._next

    def _keep(self, path: Path) -> str:
        """Keep a copy of a graph's N-Triples, named by content, for dumps: copied and hashed
        in one pass (the caller may write its file again)."""
        import hashlib

        digest = hashlib.sha256()
        partial = self._root / "graphs" / f"{uuid.uuid4().hex}.partial"
        with path.open("rb") as source, partial.open("wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        name = f"{digest.hexdigest()}.nt"
        target = self._root / "graphs" / name
        if target.exists():
            partial.unlink()
        else:
            os.replace(partial, target)
        return name

    def _take_out(self, release: _Release, graph: str, hide: bool) -> None:
        """Stop publishing `graph` in `release`: removed from its store if small (or if `hide`
        is False), else hidden there until `compact`."""
        file_name = release.manifest.pop(graph, None)
        size = 0
        if file_name is not None:
            try:
                size = (self._root / "graphs" / file_name).stat().st_size
            except FileNotFoundError:
                size = HIDE_ABOVE + 1
        if hide and size > HIDE_ABOVE:
            release.hidden[graph] = size
        elif file_name is not None or graph in release.hidden:
            _remove_graph(release.ox, graph)
            release.hidden.pop(graph, None)

    def _load(self, release: _Release, graph: str, file_name: str) -> None:
        path = self._root / "graphs" / file_name
        target = ox.NamedNode(graph)
        try:
            if path.stat().st_size <= LOAD_BLOCK or _has_blank_nodes(path):
                # Blank node labels hold only within one load: such a graph goes in whole.
                release.ox.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            else:
                def load_range(start: int, end: int) -> None:
                    with io.BufferedReader(_Range(path, start, end), 1 << 20) as block:
                        try:
                            release.ox.bulk_load(block, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
                        except SyntaxError as exc:
                            raise _in_file(exc, path, start) from None

                # pyoxigraph's loader holds one core and lets go of the GIL: a range per core
                # at once (two 1M-triple loads took 7.4 s together, one alone 7.0 s).
                with ThreadPoolExecutor(max_workers=_cores()) as pool:
                    for done in [pool.submit(load_range, *r) for r in _line_ranges(path, LOAD_BLOCK)]:
                        done.result()
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"loading graph {graph} failed: {exc}") from exc
        release.manifest[graph] = file_name

    def load_staging(self, name: str, path: Path) -> str:
        """Stage under the published name: the next release's store is private until swap."""
        self._writable()
        live = f"{self._graph_prefix}{name}"
        if live in self._staged:
            raise StoreError(f"graph {live} is already staged in this release")
        release = self._next_release()
        if live in release.manifest or live in release.hidden:
            self._take_out(release, live, hide=False)  # one name never holds two versions
        try:
            self._load(release, live, self._keep(path))
        except StoreError:
            self._restore(release, live)
            raise
        self._staged[live] = live
        return live

    def _restore(self, release: _Release, graph: str) -> None:
        """Put back in the next release what the served one publishes as `graph` (or nothing),
        after what was staged under that name failed or was dropped."""
        _remove_graph(release.ox, graph)
        release.manifest.pop(graph, None)
        release.hidden.pop(graph, None)
        current = self._release()
        if graph in current.manifest:
            self._load(release, graph, current.manifest[graph])

    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        self._writable()
        names = [self._staged.get(g, g) for g in graphs]
        release = self._next_release()
        if names and set(names) >= set(release.manifest) and not release.hidden:
            # Every graph of the release: the same dataset as pyoxigraph's union default graph,
            # which it answers about twice as fast as a list of graphs (validation at 100k: 21 s -> 12 s).
            return _run(release.ox, sparql, None, None, None)
        listed = [ox.NamedNode(g) for g in names if g in release.manifest] or [_NOTHING]
        return _run(release.ox, sparql, listed, listed, None)

    def swap(self, releases: dict[str, str], retire: Sequence[str] = ()) -> None:
        """Publish the next release; it must name every staged graph (drop the others first).
        `retire`: published graphs that leave publication in the same step."""
        self._writable()
        for staging, live in releases.items():
            if self._staged.get(staging) != live:
                raise StoreError(f"{staging} is not staged as {live}")
        unnamed = set(self._staged) - set(releases)
        if unnamed:
            raise StoreError(f"swap must name every staged graph; also staged: {sorted(unnamed)}")
        both = set(retire) & set(releases.values())
        if both:  # refused before anything is taken out of the release being made
            raise StoreError(f"{sorted(both)[0]} cannot be both published and retired")
        release = self._next_release()
        for graph in retire:
            self._take_out(release, graph, hide=True)
        self._publish(release)

    def _publish(self, release: _Release) -> None:
        release.ox.flush()
        # Closed before CURRENT can name it: a reader (another thread, or `serve`) that opened
        # the release while this writable handle was still open could find RocksDB's MANIFEST
        # being rewritten ("MANIFEST may be corrupted", seen about once in six swaps in
        # tests/store/test_partition_contract.py). Readers open it read-only, like any other.
        del release.ox
        folder = self._root / "releases"
        manifest = {"graphs": release.manifest, "hidden": release.hidden}
        _durable_write(folder / f"{release.id}.json", json.dumps(manifest, indent=1, sort_keys=True))
        graphs = self._root / "graphs"
        for file_name in set(release.manifest.values()):
            with (graphs / file_name).open("rb") as handle:
                os.fsync(handle.fileno())
        _fsync_folder(graphs)
        _fsync_folder(folder / release.id)  # the release's own entries (RocksDB syncs its files)
        _fsync_folder(folder)
        _durable_write(self._root / "CURRENT.next", release.id + "\n")
        os.replace(self._root / "CURRENT.next", self._root / "CURRENT")  # the one atomic step of a publish
        _fsync_folder(self._root)
        self._next = None
        self._staged.clear()
        with self._lock:
            self._open_current()
        self._remove_old_releases()

    def compact(self) -> int:
        """Remove the graphs the served release hides and compact the store's files, as a new
        release; return how many graphs were removed. Readers are served the current release
        meanwhile; the data they see does not change. Needs free disk about the size of the
        release while it runs (the served release keeps its files until the switch)."""
        self._writable()
        if self._staged:
            raise StoreError("a release is being staged in this store; compact after it is published")
        current = self._release()
        if current.id == "0":
            return 0
        hidden = dict(current.hidden)
        release = self._next_release()
        for graph in hidden:
            _remove_graph(release.ox, graph)
        release.hidden = {}
        # Each release's bulk loads add RocksDB files that no reader ever merges (a release is
        # closed as soon as it is published): after 13 monthly loads a store had 321 SST files and
        # looking up absent keys (a new month's Crime IDs) took 0.15-0.26 s per 2,000, against
        # 0.02-0.03 s after a full compaction. So `compact` also compacts, off the publishing path.
        release.ox.optimize()
        self._publish(release)
        return len(hidden)

    def hidden_graphs(self) -> dict[str, int]:
        """Graphs the served release's store holds but does not publish (name -> bytes)."""
        return dict(self._release().hidden)

    # -- writes through the web (SPARQL Update, Graph Store Protocol) -------------------------
    # Added for the SPARQL endpoint: an update is applied to a private copy of the served release
    # (a backup, so it costs nothing to make), which is then published by `swap` like any release.
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._writable()
        if self._staged:
            raise StoreError("a release is being staged in this store; update after it is published")
        release = self._next_release()
        touched = graphs_written(sparql, self._graph_prefix, base_iri)
        try:
            release.ox.update(sparql, base_iri=base_iri)
            problem = None
            if next(iter(release.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
                problem = (
                    "the update writes to the default graph, which here is the union of the named graphs: "
                    f"name a graph under {self._graph_prefix} (GRAPH <...> or WITH <...>)"
                )
            if touched is None:  # it may write to any graph: look at all of them
                # The published ones too: after DROP ALL (and CLEAR ALL, on a store made from a
                # backup) the store lists none, and their manifest entries would stay published
                # over an empty store (tests/store/test_embedded_writes.py).
                names = sorted({g.value for g in release.ox.named_graphs()} | set(release.manifest))
                names = [n for n in names if n not in release.hidden]
            else:
                names = sorted(touched)
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
        for name in names:
            dumped = self._root / "graphs" / f"{uuid.uuid4().hex}.partial"
            release.ox.dump(str(dumped), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            if dumped.stat().st_size:
                release.manifest[name] = self._keep(dumped)
            else:  # a graph left empty is no longer published
                release.manifest.pop(name, None)
            dumped.unlink()
        self._publish(release)

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
        if not self._staged:
            self._discard_next()
        elif self._next is not None:
            self._restore(self._next, staging)

    def _discard_next(self) -> None:
        release, self._next = self._next, None
        self._staged.clear()
        if release is None:
            return
        vars(release).pop("ox", None)  # closed already if a publish failed part way
        shutil.rmtree(self._root / "releases" / release.id, ignore_errors=True)

    def drop_abandoned_staging(self) -> int:
        """Remove releases a killed build left half made, and graph files no release uses."""
        return self._remove_old_releases()

    def _remove_old_releases(self) -> int:
        if self._current is None or self._current.id == "0":
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


def graphs_written(update: str, prefix: str, base_iri: str | None = None) -> set[str] | None:
    """The graphs a SPARQL Update may write, read from its parsed form: the graph IRIs it names
    (inside `prefix` or not: the caller refuses the others); None when it may write to graphs it
    does not name (a graph variable, ALL, NAMED, DEFAULT)."""
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.plugins.sparql.algebra import translateUpdate

    try:
        parsed = translateUpdate(parseUpdate(update), base=base_iri)
    except Exception:  # noqa: BLE001 - pyoxigraph's own parser gives the user the message
        return None
    named: set[str] = set()
    unbounded = False

    # Not "iri": in an update's algebra that is LOAD's source document and a function's name
    # (FILTER(<fn>(?x))), neither of which is written; taking them for graphs refused such
    # updates as writing outside the prefix.
    graph_keys = ("graph", "graphiri", "term", "source", "target", "withClause")

    def walk(node: object, in_graph: bool = False) -> None:
        """`in_graph`: `node` stands where a graph is named (a variable there may be any graph)."""
        nonlocal unbounded
        if isinstance(node, URIRef):
            if in_graph:
                named.add(str(node))
        elif isinstance(node, Variable):
            unbounded = unbounded or in_graph
        elif isinstance(node, str):
            if in_graph and node.upper() in ("ALL", "NAMED", "DEFAULT"):
                unbounded = True
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "quads" and isinstance(value, dict):
                    for graph, quads in value.items():
                        walk(graph, True)
                        walk(quads)
                else:
                    walk(value, key in graph_keys)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, in_graph)

    for request in parsed.algebra:
        walk(request)
        if getattr(request, "name", "") in ("Clear", "Drop") and not named:
            unbounded = True
    return None if unbounded else named


REMOVE_CHUNK = 50_000


def _remove_graph(store: ox.Store, graph: str) -> None:
    """Delete a graph's triples in transactions of REMOVE_CHUNK: pyoxigraph's `remove_graph` is
    one transaction that held 5.6 GB for a 7.2M-triple month; in chunks it stays under 1 GB, at
    the same speed (about 30k triples a second here). A graph with blank nodes, which DELETE DATA
    cannot name, is removed whole (only small graphs have them: summaries)."""
    target = ox.NamedNode(graph)
    while True:
        chunk = []
        for quad in store.quads_for_pattern(None, None, None, target):
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                store.remove_graph(target)
                return
            chunk.append(f"{quad.subject} {quad.predicate} {quad.object} .")
            if len(chunk) >= REMOVE_CHUNK:
                break
        if not chunk:
            store.remove_graph(target)  # the graph's own name goes too
            return
        store.update(f"DELETE DATA {{ GRAPH {target} {{ {' '.join(chunk)} }} }}")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


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
    store: ox.Store, sparql: str, default: list[ox.NamedNode] | None, named: list[ox.NamedNode] | None,
    limit: int | None, base_iri: str | None = None,
) -> QueryResult:
    """Run a query; with no graphs given, the default graph is the union of all graphs."""
    try:
        if default is None:
            native = store.query(sparql, use_default_graph_as_union=True, base_iri=base_iri)
        else:
            native = store.query(sparql, default_graph=default, named_graphs=named, base_iri=base_iri)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the query could not be evaluated: {exc}", status=500) from None
    except (RuntimeError, ValueError, TypeError) as exc:
        raise _refused(exc) from None
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


def _refused(exc: Exception) -> QueryError:
    """What the engine refuses while evaluating (an unsupported function, a bad argument), in its
    own words, which tell the client what to change. pyoxigraph evaluates lazily: this comes from
    `query` or from writing the result."""
    return QueryError(f"the query could not be evaluated: {exc}", code="query_failed")


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
    except (RuntimeError, ValueError, TypeError) as exc:
        raise _refused(exc) from None
    return b"".join(out.parts), False


run_query = _run  # the query workers' entry point (store/workers.py)
