"""The store interface every implementation passes one contract test suite against.

Reading: SPARQL over the *published* graphs only (their union is the default graph unless the
request or the query's FROM names a dataset), so a release being staged is never visible. Writing: load a release into a staging graph, then
`swap` it in with one atomic step; the previous release stays served until that step.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence

from rdflib import Graph
from rdflib.term import Node

from ..errors import StoreError

Kind = Literal["solutions", "boolean", "graph"]

STAGING_PREFIX = "urn:x-linkeddata:staging:"
SYSTEM_GRAPH = "urn:x-linkeddata:system"
NOTHING = STAGING_PREFIX + "none"  # a graph that never exists: a dataset naming only it is empty


@dataclass(frozen=True)
class Native:
    """A result as pyoxigraph wrote it: SPARQL TSV (solutions) or N-Triples (graphs).

    Compact to pass between processes, and re-written by pyoxigraph in any format without
    making a Python object per term (store/serialize.py); rdflib terms only when asked for.
    """

    syntax: Literal["tsv", "nt"]
    body: bytes


class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    `serialize(media_type)` writes it in any format the implementation offers for its kind;
    `rows`/`boolean`/`graph` give it as rdflib terms for code that renders pages (made on first
    use from `native` when the result came from pyoxigraph).
    """

    def __init__(
        self,
        kind: Kind,
        variables: list[str] | None = None,
        rows: list[dict[str, Node]] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
        truncated: bool = False,
        native: Native | None = None,
    ):
        self.kind = kind
        self.variables = variables if variables is not None else []
        self._rows = rows
        self.boolean = boolean
        self._graph = graph
        self.truncated = truncated
        self.native = native

    @property
    def rows(self) -> list[dict[str, Node]]:
        if self._rows is None:
            from .convert import rows_of

            self._rows = rows_of(self.native) if self.native is not None and self.kind == "solutions" else []
        return self._rows

    @property
    def graph(self) -> Graph | None:
        if self._graph is None and self.native is not None and self.kind == "graph":
            from .convert import graph_of

            self._graph = graph_of(self.native)
        return self._graph

    def serialize(self, media_type: str) -> bytes:
        from .serialize import serialize_result

        return serialize_result(self, media_type)


class Store(ABC):
    """A named-graph RDF store queried with SPARQL 1.1."""

    base: str

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        limit: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the published graphs; raise QueryError if it is malformed.

        The dataset is `default_graph_uris` and `named_graph_uris` when either is given (the
        protocol's), else the query's own FROM / FROM NAMED, else the union of the published
        graphs as the default graph and each of them as a named graph; graphs that are not
        published are empty. `limit` caps the rows of a SELECT (the result says `truncated`);
        relative IRIs resolve against `base_iri`.
        """

    @abstractmethod
    def graphs(self) -> list[str]:
        """Names of the published graphs."""

    @abstractmethod
    def version(self) -> str:
        """An opaque token that changes whenever a release is published."""

    @abstractmethod
    def dump(self, graph: str) -> Iterator[bytes]:
        """The published graph `graph` (its full IRI) as N-Triples, in chunks of bytes.

        Streamed: the graph is never held in memory. StoreError at once when `graph` is not
        published. A dump reads one release throughout, even if another is swapped in meanwhile
        (remote: as far as the server's own reads are consistent). The chunks need not end at
        line ends; joined, they are the N-Triples document.
        """

    def select(self, sparql: str) -> list[dict[str, Node]]:
        return self.query(sparql).rows

    def ask(self, sparql: str) -> bool:
        return bool(self.query(sparql).boolean)

    def construct(self, sparql: str) -> Graph:
        result = self.query(sparql)
        assert result.graph is not None
        return result.graph

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def load_staging(self, name: str, path: Path) -> str:
        """Stage an N-Triples file as the next content of graph `{base}/graph/{name}`.

        Returns the staged graph's name: the IRI under which `query_staging` (and only it)
        sees the staged content, in GRAPH patterns too. It may be a hidden staging IRI (remote)
        or the published name inside a private next release (embedded).
        """

    @abstractmethod
    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        """Query the given graphs (staged names or published) as the default graph: for validation."""

    @abstractmethod
    def swap(self, releases: dict[str, str], retire: Sequence[str] = ()) -> None:
        """Atomically replace each published graph (value) by its staged graph (key), and stop
        publishing the graphs in `retire` (a replaced or retracted partition), in one step."""

    @abstractmethod
    def drop_staging(self, staging: str) -> None:
        """Throw a staged graph away (a release that failed validation)."""

    # -- writing through the web (SPARQL Update, Graph Store Protocol) -------------------------
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Apply a SPARQL 1.1 Update to the published graphs as one new release, all or nothing;
        relative IRIs resolve against `base_iri`.

        QueryError (400) when it is malformed or writes outside `{base}/graph/`."""
        raise StoreError(f"{type(self).__name__} cannot apply SPARQL updates")

    def compact(self) -> int:
        """Reclaim what earlier releases left behind unpublished; return how many graphs.
        Nothing a reader sees changes. A store that leaves nothing behind has nothing to do."""
        return 0

    @contextmanager
    def writing(self) -> Iterator["Store"]:
        """A store that may write where this one reads, for the time of one write."""
        yield self

    def close(self) -> None:
        """Release the store's resources."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def staging_graph(name: str) -> str:
    return STAGING_PREFIX + name


def requested_dataset(
    sparql: str, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str], base_iri: str | None
) -> tuple[list[str], list[str]] | None:
    """The dataset a query asks for: the protocol's graphs when the request names any (they
    replace the query's own, as the protocol says), else its FROM / FROM NAMED; None when neither
    names one, for the union default graph."""
    if default_graph_uris or named_graph_uris:
        return list(default_graph_uris), list(named_graph_uris)
    from .sparqltext import query_dataset

    return query_dataset(sparql, base_iri)


def published_dataset(requested: tuple[list[str], list[str]], published: Iterable[str]) -> tuple[list[str], list[str]]:
    """The requested default and named graphs that are published; NOTHING (a graph that never
    exists) stands for an empty list, which a store would take for "every graph"."""
    allowed = set(published)
    default, named = ([g for g in graphs if g in allowed] or [NOTHING] for graphs in requested)
    return default, named


from typing import TYPE_CHECKING  # noqa: E402  (open_store's annotation only)

if TYPE_CHECKING:
    from ..settings import Settings


def open_store(
    path: str | Path, base: str, *, read_only: bool = False, settings: "Settings | None" = None
) -> Store:
    """Open the configured store: a remote SPARQL server when `settings.sparql_query_url` is set,
    else the embedded store in `path`. Without `settings` it is always the embedded store (so
    nothing reaches a server unless asked to)."""
    if settings is not None and settings.sparql_query_url:
        from .remote import RemoteStore

        credentials = (settings.store_user, settings.store_password) if settings.store_user else None
        return RemoteStore(
            base,
            settings.sparql_query_url,
            settings.sparql_update_url,
            settings.graph_store_url,
            credentials=credentials,
            auth="digest" if settings.store_auth == "digest" else "basic",
            timeout=settings.query_timeout,
            write_timeout=settings.store_write_timeout,
            read_only=read_only,
        )
    from .embedded import EmbeddedStore

    return EmbeddedStore(Path(path), base, read_only=read_only)
