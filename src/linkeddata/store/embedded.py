"""The embedded store: pyoxigraph on disk (RocksDB), nothing to install or start."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, StoreError
from .base import STAGING_PREFIX, SYSTEM_GRAPH, QueryResult, Store, staging_graph
from .convert import to_rdflib

_VERSION = ox.NamedNode("urn:x-linkeddata:version")
_SYSTEM = ox.NamedNode(SYSTEM_GRAPH)


class EmbeddedStore(Store):
    def __init__(self, path: Path | None, base: str, *, read_only: bool = False):
        self.base = base.rstrip("/")
        self._graph_prefix = f"{self.base}/graph/"
        try:
            if path is None:
                self._ox = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {path}: {exc}. Is another `linkeddata` process "
                "(build or serve) using it? Stop it, or pass --store with another folder."
            ) from exc
        self._lock = threading.Lock()
        self._published: list[ox.NamedNode] | None = None

    # -- reading ---------------------------------------------------------------------------
    def _published_graphs(self) -> list[ox.NamedNode]:
        with self._lock:
            if self._published is None:
                self._published = sorted(
                    (g for g in self._ox.named_graphs()
                     if isinstance(g, ox.NamedNode) and g.value.startswith(self._graph_prefix)),
                    key=lambda g: g.value,
                )
            return self._published

    def graphs(self) -> list[str]:
        return [g.value for g in self._published_graphs()]

    def version(self) -> str:
        for quad in self._ox.quads_for_pattern(_VERSION, _VERSION, None, _SYSTEM):
            return quad.object.value
        return "0"

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        limit: int | None = None,
    ) -> QueryResult:
        published = self._published_graphs()
        allowed = {g.value for g in published}
        default = [ox.NamedNode(u) for u in default_graph_uris if u in allowed] if default_graph_uris else published
        named = [ox.NamedNode(u) for u in named_graph_uris if u in allowed] if named_graph_uris else published
        if not default:
            # pyoxigraph reads an empty list as "no restriction"; a graph that names nothing does not.
            default = [ox.NamedNode(STAGING_PREFIX + "none")]
        return self._run(sparql, default, named, limit)

    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        nodes = [ox.NamedNode(g) for g in graphs]
        return self._run(sparql, nodes, nodes, None)

    def _run(
        self, sparql: str, default: list[ox.NamedNode], named: list[ox.NamedNode], limit: int | None
    ) -> QueryResult:
        try:
            native = self._ox.query(sparql, default_graph=default, named_graphs=named)
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from None
        except OSError as exc:
            raise QueryError(f"the query could not be evaluated: {exc}", status=500) from None
        if isinstance(native, ox.QueryBoolean):
            return QueryResult("boolean", boolean=bool(native))
        if isinstance(native, ox.QuerySolutions):
            variables = [v.value for v in native.variables]
            rows = []
            truncated = False
            for solution in native:
                if limit is not None and len(rows) >= limit:
                    truncated = True
                    break
                rows.append({v: to_rdflib(solution[v]) for v in variables if solution[v] is not None})
            return QueryResult("solutions", variables=variables, rows=rows, truncated=truncated)
        graph = Graph()
        for triple in native:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult("graph", graph=graph)

    # -- writing ---------------------------------------------------------------------------
    def load_staging(self, name: str, path: Path) -> str:
        staging = staging_graph(f"{name}:{uuid.uuid4().hex}")
        try:
            self._ox.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(staging))
        except (OSError, SyntaxError) as exc:
            self.drop_staging(staging)
            raise StoreError(f"loading {path} into the store failed: {exc}") from exc
        return staging

    def swap(self, releases: dict[str, str]) -> None:
        for live in releases.values():
            if not live.startswith(self._graph_prefix):
                raise StoreError(f"{live} is not a graph name under {self._graph_prefix}")
        operations = []
        for staging, live in releases.items():
            operations.append(f"DROP SILENT GRAPH <{live}>")
            operations.append(f"MOVE SILENT GRAPH <{staging}> TO <{live}>")
        version = uuid.uuid4().hex
        operations.append(
            f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION.value}> <{_VERSION.value}> ?v }} }}"
        )
        operations.append(
            f'INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION.value}> <{_VERSION.value}> "{version}" }} }}'
        )
        # One update is one transaction: readers see the old releases or the new, never a mix.
        self._ox.update(" ;\n".join(operations))
        with self._lock:
            self._published = None
        self._ox.flush()

    def drop_staging(self, staging: str) -> None:
        if not staging.startswith(STAGING_PREFIX):
            raise StoreError(f"{staging} is not a staging graph")
        self._ox.remove_graph(ox.NamedNode(staging))

    def drop_abandoned_staging(self) -> int:
        """Remove staging graphs a killed build left behind; return how many."""
        stale = [g for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)]
        for g in stale:
            self._ox.remove_graph(g)
        return len(stale)

    def close(self) -> None:
        try:
            self._ox.flush()
        except OSError:
            pass
        del self._ox
