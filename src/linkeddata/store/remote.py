"""The remote store: any SPARQL 1.1 store over the SPARQL 1.1 Protocol and Graph Store Protocol.

Queries go through SPARQLWrapper; updates and bulk loads through httpx. Every query names its
dataset (`default-graph-uri` and `named-graph-uri` for each published graph), because what a
server takes as the default graph when it is not told varies from server to server.

    StoreError    the server cannot be reached, refused a write, or asked for credentials
     └── QueryError   status 400: the server says the query is malformed;
                      500: it failed evaluating it; 503: it was stopped (timeout)
"""

from __future__ import annotations

import ast
import copy
import math
import threading
import time
import urllib.error
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal, Sequence

import httpx
import pyoxigraph as ox
from SPARQLWrapper import ASK, BASIC, CONSTRUCT, DESCRIBE, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from ..errors import QueryError, StoreError
from .base import (
    NOTHING, STAGING_PREFIX, SYSTEM_GRAPH, QueryResult, Store, published_dataset, requested_dataset, staging_graph,
)
from .ntchunks import Piece, pieces
from .sparqltext import declares_base, without_dataset
from .remote_results import GRAPH_ACCEPT, RESULTS_ACCEPT, read_response

_VERSION = "urn:x-linkeddata:version"
# A graph that never exists: a dataset naming only it is empty (an empty list means "everything").
_NOTHING = NOTHING
Auth = Literal["basic", "digest"]
_TRANSIENT = {429, 502, 503, 504}  # answers after which a load piece is sent again

# SPARQLWrapper guesses the query form with a regular expression and warns when it cannot; the
# server then says what is wrong with the query, which is the message worth showing.
warnings.filterwarnings("ignore", r"(not detected|unknown) query type", RuntimeWarning, r"SPARQLWrapper\.")


@dataclass(frozen=True)
class _Published:
    checked: float  # time.monotonic() when the version was last looked at
    version: str
    names: list[str]


class RemoteStore(Store):
    """A store behind SPARQL 1.1 endpoints: query, update and Graph Store Protocol.

    `credentials` (user, password) go to all three endpoints with `auth="basic"`. With
    `auth="digest"` they go to the update and graph store endpoints only: SPARQLWrapper can do
    digest only by replacing urllib's process-wide opener, so the query endpoint must be open
    for reading (as Virtuoso's `/sparql` is).

    Deviations from the standards handled here, per server:

    - Virtuoso 7: `GRAPH ?g {}` binds nothing instead of listing the graphs, so the graphs are
      listed with `GRAPH ?g { ?s ?p ?o }` and GROUP BY once the short form is seen to fail
      (`SELECT DISTINCT ?g` over that pattern ran for minutes on a small store).
    - Virtuoso 7: ASK may be answered as a table with one column `__ASK_RETVAL` (a row `1` for
      true, no row for false) instead of a boolean; it is read as the boolean.
    - Virtuoso 7: writes are refused at `/sparql` and `/sparql-graph-crud` unless the anonymous
      SPARQL user has been granted SPARQL_UPDATE; the safe setup is `/sparql-auth` and
      `/sparql-graph-crud-auth`, which take only HTTP digest, hence `auth="digest"`.
    - Virtuoso 7: literals in SPARQL JSON results come as `"type": "typed-literal"` (the 2008
      draft), and strings may carry an explicit `xsd:string`; both are read as the standard says.
    - Virtuoso 7: a query stopped by its time limit answers 200 with partial results and the
      header `X-SQL-State: S1TAT` ("anytime query"); such a result is marked `truncated`.
    - Virtuoso 7 (server setting, cannot be fixed from here): with its default isolation, read
      committed, a query may read one graph before a swap commits and another after it; set
      `DefaultIsolation = 4` (repeatable read) in virtuoso.ini. A big swap is one transaction,
      so raise `TransactionAfterImageLimit` (default 50 MB) too, and `ResultSetMaxRows` (the
      Debian default silently cuts answers at 10,000 rows).
    - Virtuoso 7.2: after a MOVE or COPY of a graph of 120,000 triples, a scan of the store
      (a COUNT over every triple, even through isql) may spin at full CPU until the query's time
      limit, on that request and on every one after it, while point lookups still answer. A
      swap is therefore written as the equivalent ADD and DROP, after which the same scans take
      0.1-0.4 s (40 swaps of 120,000 triples in a row; with MOVE a scan hung within 1-4).
    - Virtuoso 7: with repeatable read, a swap may lose a deadlock to concurrent readers
      (`40001 Error SR172: Transaction deadlocked`) and be rolled back whole; it is sent again.
    - Virtuoso 7 (not worked around): `ASK { GRAPH <g> { ... } }` answers true when `<g>` is not
      among the named graphs sent (even a graph that does not exist), where SELECT finds nothing.
    - Oxigraph server: follows the standards; `default-graph-uri` without `named-graph-uri` leaves
      no named graphs, which is why both are always sent.
    """

    def __init__(
        self,
        base: str,
        query_endpoint: str,
        update_endpoint: str,
        store_endpoint: str,
        *,
        credentials: tuple[str, str] | None = None,
        auth: Auth = "basic",
        timeout: float = 60.0,
        write_timeout: float = 600.0,
        chunk_lines: int = 50_000,
        retries: int = 3,
        graphs_ttl: float = 2.0,
        read_only: bool = False,
    ):
        """`timeout` bounds each query; `write_timeout` each load request and each swap, which
        copies whole graphs in one step."""
        if auth not in ("basic", "digest"):
            raise StoreError(f"auth must be 'basic' or 'digest', not {auth!r}")
        self.base = base.rstrip("/")
        self._graph_prefix = f"{self.base}/graph/"
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.store_endpoint = store_endpoint
        self._credentials = credentials
        self._auth = auth
        self._timeout = timeout
        self._read_only = read_only
        self._chunk_lines = chunk_lines
        self._retries = retries
        # Another process may publish; the list of graphs is re-read after this many seconds.
        self._graphs_ttl = graphs_ttl
        http_auth: httpx.Auth | None = None
        if credentials:
            http_auth = httpx.DigestAuth(*credentials) if auth == "digest" else httpx.BasicAuth(*credentials)
        self._write_timeout = write_timeout
        self._http = httpx.Client(auth=http_auth, timeout=write_timeout)
        self._lock = threading.Lock()
        # Staging graphs this process made (staging name -> live name), and those it has since
        # swapped in or dropped: a name is swapped once, and only into the graph it was staged for.
        self._staged: dict[str, str] = {}
        self._spent: set[str] = set()
        self._published: _Published | None = None
        self._list_graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"

    # -- reading ---------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        return self._current().names

    def _current(self) -> _Published:
        # Listing graphs can mean a scan of the whole store, so it is redone only when a release
        # has been published (the version changed), and the version is looked at most once per
        # `graphs_ttl` seconds: another process's release shows within that time. (The endpoint
        # asks for the version on every request; on Virtuoso the look costs 10-15 ms.)
        now = time.monotonic()
        with self._lock:
            cached = self._published
        if cached is not None and now - cached.checked < self._graphs_ttl:
            return cached
        version = self._read_version()
        if cached is not None and cached.version == version:
            names = cached.names
        else:
            names = self._read_graph_names()
        published = _Published(now, version, names)
        with self._lock:
            self._published = published
        return published

    def _read_graph_names(self) -> list[str]:
        rows = self._run(self._list_graphs, None, None, None).rows
        if any("g" not in row for row in rows):
            # Virtuoso: an empty group inside GRAPH ?g matches once, with ?g unbound. (And its
            # SELECT DISTINCT ?g over GRAPH ?g { ?s ?p ?o } can run for minutes; GROUP BY cannot.)
            self._list_graphs = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            rows = self._run(self._list_graphs, None, None, None).rows
        return sorted(str(row["g"]) for row in rows if str(row.get("g", "")).startswith(self._graph_prefix))

    def version(self) -> str:
        return self._current().version

    def _read_version(self) -> str:
        sparql = f"SELECT ?v WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION}> <{_VERSION}> ?v }} }}"
        rows = self._run(sparql, None, None, None).rows
        return str(rows[0]["v"]) if rows else "0"

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        limit: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        # The query names the published graphs, from a list kept up to `graphs_ttl` seconds. When
        # a swap (here or in another process) retires or adds graphs meanwhile, that list names
        # the old release's graphs in the new release: a reader would see the new summary without
        # the new month, or without the retired one's replacement. So the version is read again
        # after the query: unchanged, the query read the release its list is of; changed, the
        # list is read anew and the query run again. (Found by tests/store/test_partition_contract.py:
        # with retire, Oxigraph server readers saw half a release.)
        requested = requested_dataset(sparql, default_graph_uris, named_graph_uris, base_iri)
        # The dataset always goes as parameters, so the query's own FROM comes out of the text.
        sparql = _with_base(without_dataset(sparql), base_iri)
        for _ in range(5):
            current = self._current()
            if requested is None:
                default, named = current.names or [_NOTHING], current.names or [_NOTHING]
            else:
                # The query's FROM too: the parameters replace it, naming only published graphs.
                default, named = published_dataset(requested, current.names)
            result = self._run(sparql, default, named, limit)
            version = self._read_version()
            with self._lock:
                if version == current.version:
                    self._published = _Published(time.monotonic(), version, current.names)
                    return result
                self._published = None
        raise StoreError("releases are being published faster than this query runs: try it again")

    def dump(self, graph: str) -> Iterator[bytes]:
        if graph not in self.graphs():
            raise StoreError(f"{graph} is not a published graph")
        return self._dump(graph)

    def _dump(self, graph: str) -> Iterator[bytes]:
        # One Graph Store Protocol GET, streamed: one request is one read of the server, so the
        # dump is of one release (Virtuoso with DefaultIsolation = 4, see the README).
        version = self._read_version()
        lines = 0
        try:
            with self._http.stream(
                "GET", self.store_endpoint, params={"graph": graph}, headers={"Accept": "application/n-triples"},
            ) as response:
                media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if response.status_code >= 400 or media_type not in ("application/n-triples", "text/plain"):
                    response.read()
                    raise StoreError(
                        f"the graph store {self.store_endpoint} answered a GET of {graph} with HTTP "
                        f"{response.status_code} {media_type!r}, not N-Triples: {response.text.strip()[:500]}"
                        f"{_credentials_hint(response.status_code)}"
                    )
                for chunk in response.iter_bytes(1 << 16):
                    lines += chunk.count(b"\n")
                    yield chunk
        except httpx.TransportError as exc:
            raise _unreachable(self.store_endpoint, exc, f"reading {graph}") from None
        # A server may cap every answer without saying so (Virtuoso's ResultSetMaxRows, 10,000
        # in Debian's configuration): a short dump is an error, not a smaller graph.
        rows = self._run(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}", None, None, None).rows
        expected = int(rows[0]["n"]) if rows else 0  # type: ignore[call-overload]
        if lines < expected and self._read_version() == version:
            raise StoreError(
                f"the graph store sent {lines} of the {expected} triples of {graph}: it cuts answers "
                "short (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
            )

    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        names = list(graphs) or [_NOTHING]
        return self._run(sparql, names, names, None)

    def _run(
        self, sparql: str, default: list[str] | None, named: list[str] | None, limit: int | None
    ) -> QueryResult:
        """Send one query; `None` for both graph lists leaves the dataset to the server."""
        wrapper = SPARQLWrapper(self.query_endpoint)
        wrapper.setQuery(sparql)
        if wrapper.isSparqlUpdateRequest():
            # SPARQLWrapper would send it to the update endpoint; a query must never write.
            raise QueryError("malformed query: this is an update, and only queries are answered here")
        wrapper.setMethod(POST)  # a long list of graphs would not fit in a URL
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(math.ceil(self._timeout))
        if self._credentials and self._auth == "basic":
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(*self._credentials)
        for g in default or ():
            wrapper.addParameter("default-graph-uri", g)
        for g in named or ():
            wrapper.addParameter("named-graph-uri", g)
        graph_form = wrapper.queryType in (CONSTRUCT, DESCRIBE)
        wrapper.addCustomHttpHeader("Accept", GRAPH_ACCEPT if graph_form else RESULTS_ACCEPT)
        try:
            response = wrapper.query().response
            body = response.read()
        except QueryBadFormed as exc:
            raise QueryError(f"malformed query: {_server_message(exc)}", status=400) from None
        except EndPointInternalError as exc:
            raise QueryError(f"the query could not be evaluated: {_server_message(exc)}", status=500) from None
        except Unauthorized:
            raise StoreError(
                f"the SPARQL endpoint {self.query_endpoint} asks for credentials: pass "
                "credentials=(user, password) with auth='basic', or use an endpoint open for reading"
            ) from None
        except EndPointNotFound:
            raise StoreError(f"there is no SPARQL endpoint at {self.query_endpoint} (HTTP 404): check the URL") from None
        except urllib.error.HTTPError as exc:
            if exc.code in (503, 504):
                raise QueryError(f"the SPARQL endpoint stopped the query: HTTP {exc.code}", status=503) from None
            raise StoreError(f"the SPARQL endpoint {self.query_endpoint} failed: HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timed_out() from None
            raise _unreachable(self.query_endpoint, exc.reason) from None
        except TimeoutError:
            raise self._timed_out() from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"the SPARQL endpoint {self.query_endpoint} failed: {exc}") from None
        result = read_response(response.headers.get("Content-Type", ""), body, limit, ask=wrapper.queryType == ASK)
        if response.headers.get("X-SQL-State") == "S1TAT":
            result.truncated = True  # Virtuoso's partial "anytime" answer
        return result

    def _timed_out(self) -> QueryError:
        return QueryError(f"the query was stopped after {self._timeout:g} seconds", status=503)

    # -- writing ---------------------------------------------------------------------------
    def _writable(self) -> None:
        if self._read_only:
            raise StoreError("this store was opened read-only")

    def load_staging(self, name: str, path: Path) -> str:
        self._writable()
        staging = staging_graph(f"{name}:{uuid.uuid4().hex}")
        live = f"{self._graph_prefix}{name}"
        _iri(live)  # refuse a name that makes no IRI before sending anything
        with self._lock:
            self._staged[staging] = live
        try:
            for piece in pieces(path, self._chunk_lines):
                self._post_piece(staging, piece, path)
        except BaseException:
            # Never leave half a staging graph behind, even on Ctrl-C.
            try:
                self.drop_staging(staging)
            except StoreError:
                pass
            raise
        return staging

    def _post_piece(self, staging: str, piece: Piece, path: Path) -> None:
        where = (
            f"{path} (lines with blank nodes)" if piece.has_blank_nodes
            else f"{path} lines {piece.first_line}-{piece.first_line + piece.lines - 1}"
        )
        for attempt in range(self._retries + 1):
            try:
                response = self._http.post(
                    self.store_endpoint,
                    params={"graph": staging},
                    content=piece.body,
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.TransportError as exc:
                # Sending a set of triples twice is harmless; blank nodes would be duplicated, so
                # that piece is only sent again when it never left (the connection was refused).
                retry = not piece.has_blank_nodes or isinstance(exc, httpx.ConnectError)
                if not retry or attempt == self._retries:
                    raise _unreachable(self.store_endpoint, exc, f"loading {where}") from None
            else:
                # A busy or restarting server (or a proxy in front of it) may take it next time;
                # any other answer is the server's verdict on the piece.
                if response.status_code not in _TRANSIENT or piece.has_blank_nodes or attempt == self._retries:
                    break
            time.sleep(0.5 * 2**attempt)
        if response.status_code >= 400:
            raise StoreError(
                f"loading {where} into the store failed: HTTP {response.status_code}: "
                f"{response.text.strip()[:2000]}{_credentials_hint(response.status_code)}"
            )

    def _staged_as(self, staging: str) -> str:
        """The live graph `staging` was staged for; StoreError if load_staging did not return it.

        A staging graph made by another process (a build that validated, then published from
        a second process) is recognised by its prefix, and names its graph itself.
        """
        with self._lock:
            if staging in self._spent:
                raise StoreError(f"{staging} was already swapped in or dropped")
            if staging in self._staged:
                return self._staged[staging]
        if staging.startswith(STAGING_PREFIX):
            name, colon, token = staging[len(STAGING_PREFIX):].rpartition(":")
            if colon and name and len(token) == 32 and all(c in "0123456789abcdef" for c in token):
                return f"{self._graph_prefix}{name}"
        raise StoreError(f"{staging} is not a staging graph that load_staging returned")

    def swap(self, releases: dict[str, str], retire: Sequence[str] = ()) -> None:
        self._writable()
        for graph in retire:
            if not graph.startswith(self._graph_prefix):
                raise StoreError(f"{graph} is not a graph name under {self._graph_prefix}")
            if graph in releases.values():
                raise StoreError(f"{graph} cannot be both published and retired")
        for staging, live in releases.items():
            if not live.startswith(self._graph_prefix):
                raise StoreError(f"{live} is not a graph name under {self._graph_prefix}")
            if self._staged_as(staging) != live:
                raise StoreError(f"{staging} was staged as {self._staged_as(staging)}, not as {live}")
        with self._lock:
            unnamed = set(self._staged) - set(releases)
        if unnamed:
            raise StoreError(f"swap must name every staged graph; also staged: {sorted(unnamed)}")
        operations = []
        for staging, live in releases.items():
            # ADD then DROP, not MOVE: after Virtuoso 7.2 has run a MOVE or COPY of a large
            # graph, every scan of the store may spin until its time limit (see the class notes).
            operations.append(f"DROP SILENT GRAPH {_iri(live)}")
            operations.append(f"ADD SILENT GRAPH {_iri(staging)} TO {_iri(live)}")
            operations.append(f"DROP SILENT GRAPH {_iri(staging)}")
        operations.extend(f"DROP SILENT GRAPH {_iri(graph)}" for graph in retire)
        version = uuid.uuid4().hex
        operations.append(f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION}> <{_VERSION}> ?v }} }}")
        operations.append(f'INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION}> <{_VERSION}> "{version}" }} }}')
        # One request is one transaction: readers see the old releases or the new, never a mix.
        self._update(" ;\n".join(operations))
        with self._lock:
            self._published = None
            for staging in releases:
                self._staged.pop(staging, None)
                self._spent.add(staging)

    def drop_staging(self, staging: str) -> None:
        self._writable()
        if not staging.startswith(STAGING_PREFIX):
            raise StoreError(f"{staging} is not a staging graph")
        with self._lock:
            if staging in self._spent:
                raise StoreError(f"{staging} was already swapped in or dropped")
        self._update(f"DROP SILENT GRAPH {_iri(staging)}")
        with self._lock:
            self._staged.pop(staging, None)
            self._spent.add(staging)

    # Added for the SPARQL endpoint's writes (SPARQL Update, Graph Store Protocol through the web):
    # the version moves in the same request, so a reader's ETag changes with the data.
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._writable()
        sparql = _with_base(sparql, base_iri)
        bump = (
            f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION}> <{_VERSION}> ?v }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{_VERSION}> <{_VERSION}> "{uuid.uuid4().hex}" }} }}'
        )
        try:
            response = self._http.post(self.update_endpoint, data={"update": f"{sparql.rstrip().rstrip(';')}\n;\n{bump}"})
        except httpx.TransportError as exc:
            raise _unreachable(self.update_endpoint, exc) from None
        if response.status_code == 400:
            raise QueryError(f"malformed update: {response.text.strip()[:2000]}")
        if response.status_code >= 400:
            raise StoreError(
                f"the update endpoint {self.update_endpoint} refused the update: HTTP "
                f"{response.status_code}{_credentials_hint(response.status_code)}"
            )
        with self._lock:
            self._published = None

    @contextmanager
    def writing(self) -> Iterator["RemoteStore"]:
        """Opened read-only (as `serve` does), a writable view sharing this one's connection."""
        if not self._read_only:
            yield self
            return
        writer = copy.copy(self)
        writer._read_only = False
        yield writer
        with self._lock:
            self._published = None

    def _update(self, sparql: str) -> None:
        for attempt in range(DEADLOCK_RETRIES + 1):
            response = self._update_once(sparql)
            # Virtuoso with repeatable read (DefaultIsolation = 4) may pick the swap as the victim
            # of a deadlock with concurrent readers ("40001 Error SR172: Transaction deadlocked")
            # and roll it back whole: sending the same request again is safe, and is what SQL
            # state 40001 asks for. (Seen with readers querying during a swap that retires graphs.)
            if response.status_code != 500 or "40001" not in response.text or attempt == DEADLOCK_RETRIES:
                break
            time.sleep(min(0.2 * 2**attempt, 5.0))
        if response.status_code >= 400:
            raise StoreError(
                f"the update endpoint {self.update_endpoint} refused the update: HTTP "
                f"{response.status_code}: {response.text.strip()[:2000]}{_credentials_hint(response.status_code)}"
            )

    def _update_once(self, sparql: str) -> httpx.Response:
        try:
            return self._http.post(self.update_endpoint, data={"update": sparql})
        except (httpx.ReadTimeout, httpx.WriteTimeout):
            # Not "unreachable": the server took the request and may still carry it out.
            raise StoreError(
                f"the update endpoint {self.update_endpoint} did not answer within {self._write_timeout:g} s. "
                "The server may still complete the update: look at what it serves before publishing "
                "again. A swap copies every new graph in one request (Oxigraph server took 19-33 s for "
                "200,000 triples); raise LINKEDDATA_STORE_WRITE_TIMEOUT for releases that size."
            ) from None
        except httpx.TransportError as exc:
            raise _unreachable(self.update_endpoint, exc) from None

    def close(self) -> None:
        self._http.close()


# A swap Virtuoso rolled back as a deadlock victim is sent again up to this many times (about
# 25 s of waiting in all): under a busy reader the third try could still be picked.
DEADLOCK_RETRIES = 8


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The text with the service's base IRI declared first, unless it declares its own: the
    protocol sends no base. (Errors the server reports then count one line more.)"""
    return f"BASE <{base_iri}>\n{sparql}" if base_iri and not declares_base(sparql) else sparql


def _iri(value: str) -> str:
    """`<value>` for SPARQL, refusing anything that is not an IRI (so nothing can be injected)."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise StoreError(f"{value!r} is not an IRI: {exc}") from None


def _server_message(exc: SPARQLWrapperException) -> str:
    """The server's own words: SPARQLWrapper keeps them only as the repr of bytes in its message."""
    text = str(exc)
    marker = "Response:\n"
    if marker not in text:
        return text
    raw = text.split(marker, 1)[1]
    try:
        body = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw
    return body.decode("utf-8", "replace").strip() if isinstance(body, bytes) else str(body)


def _unreachable(url: str, reason: object, doing: str = "") -> StoreError:
    return StoreError(
        f"cannot reach the SPARQL store at {url}{' while ' + doing if doing else ''}: {reason}. "
        "Is the server running and is the URL right? Start it, or correct the endpoint URL."
    )


def _credentials_hint(status: int) -> str:
    if status in (401, 403):
        return (
            " (the server wants credentials with write permission: pass credentials=(user, password);"
            " for Virtuoso use /sparql-auth and /sparql-graph-crud-auth with auth='digest')"
        )
    return ""
