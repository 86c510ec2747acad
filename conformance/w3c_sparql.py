"""Run the W3C SPARQL 1.1 test suites against our endpoint and against Oxigraph server, in one run.

    .venv/bin/python conformance/w3c_sparql.py PATH_TO_RDF_TESTS [--only SUITE] [--verbose]

PATH_TO_RDF_TESTS is a local copy of https://github.com/w3c/rdf-tests (fetched by whoever runs
this; nothing of it is in this repository). Both servers are started here on 127.0.0.1: ours is
the real app served by uvicorn over an embedded store on disk (opened read-only, with its query
workers, as `serve` runs it), Oxigraph server is the `oxigraph` command of the test extras
(in memory). Before each test, each store is loaded with that test's data:

- ours: every data file is published as a named graph named by the file's IRI (our default
  graph is the union of the named graphs), and the query is sent with the test's dataset as the
  protocol's `default-graph-uri` / `named-graph-uri` (unless the query names its own with FROM);
- Oxigraph server: `qt:data` goes into its default graph and `qt:graphData` into named graphs.

Queries of evaluation tests are sent with `BASE <the query file's IRI>` first, as the suites
read them from their files. Solutions are compared as multisets (blank nodes up to renaming),
graphs by isomorphism. Prints, per suite, the tests each server passes, then the tests Oxigraph
server passes and we fail. Exit status 0 unless a server could not be started.

Suites (406 tests): query evaluation (the groups of manifest-sparql11-query.ttl), syntax
(syntax-query and the negative syntax tests of the groups), result formats (csv-tsv-res,
json-res), protocol, graph store protocol (graph-store-protocol and the older http-rdf-update),
service description.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from linkeddata.namespaces import SD

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
# The IRI the suites give the folder sparql/sparql11 (the protocol tests name their files so).
SUITE_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
TOKEN = "w3c-suite-token"
TIMEOUT = 30.0

SUITES = {
    "query evaluation": ["aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping",
                         "negation", "project-expression", "property-path", "subquery"],
    "syntax": ["syntax-query"],
    "result formats": ["csv-tsv-res", "json-res"],
    "protocol": ["protocol"],
    "graph store protocol": ["graph-store-protocol/manifest-direct.ttl", "graph-store-protocol/manifest-indirect.ttl",
                             "http-rdf-update"],
    "service description": ["service-description"],
}


# -- the manifests -------------------------------------------------------------------------------
@dataclass
class Test:
    suite: str
    iri: str
    kind: str
    graph: Graph
    node: URIRef
    folder: Path

    @property
    def name(self) -> str:
        return f"{self.folder.name}/{self.iri.rsplit('#', 1)[-1]}"


def file_iri(root: Path, path: Path) -> str:
    return SUITE_IRI + path.relative_to(root).as_posix()


def local_path(root: Path, iri: str) -> Path:
    return root / iri[len(SUITE_IRI):] if iri.startswith(SUITE_IRI) else Path(urlsplit(iri).path)


def load_tests(root: Path) -> list[Test]:
    tests = []
    for suite, parts in SUITES.items():
        for part in parts:
            path = root / part if part.endswith(".ttl") else root / part / "manifest.ttl"
            graph = Graph()
            graph.parse(path, format="turtle", publicID=file_iri(root, path))
            for manifest in graph.subjects(RDF.type, MF.Manifest):
                for entries in graph.objects(manifest, MF.entries):
                    for node in Collection(graph, entries):
                        kind = str(graph.value(node, RDF.type)).split("#")[-1]
                        # Negative syntax tests in the evaluation groups are syntax tests.
                        in_suite = "syntax" if "Syntax" in kind else suite
                        tests.append(Test(in_suite, str(node), kind, graph, node, path.parent))
    return tests


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


# -- data and results ----------------------------------------------------------------------------
def as_ntriples(path: Path, iri: str) -> bytes:
    """A data file as N-Triples, relative IRIs resolved against its IRI."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    out = io.BytesIO()
    ox.serialize(ox.parse(path=str(path), format=fmt, base_iri=iri), out, format=ox.RdfFormat.N_TRIPLES)
    return out.getvalue()


Term = tuple[str, ...]
Row = dict[str, Term]


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                             "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                             "unsignedLong", "unsignedShort", "unsignedByte")}


def literal(value: str, datatype: str, language: str) -> Term:
    """A literal by its value where its datatype has canonical forms (the suites write "3.21E4"
    where an engine writes "32100.0", "0" where it writes "false"); else as written."""
    try:
        if datatype in NUMBERS:
            value = str(Decimal(value.strip()).normalize())
        elif datatype in (XSD + "double", XSD + "float"):
            value = repr(float(value.strip()))
        elif datatype == XSD + "boolean":
            value = {"1": "true", "0": "false"}.get(value.strip(), value.strip())
    except (InvalidOperation, ValueError):
        pass
    return ("literal", value, datatype, language.lower())


def ox_term(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, term.datatype.value, term.language or "")
    return ("triple", str(term))


def rdflib_term(term: Any) -> Term:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype else (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" if term.language else "http://www.w3.org/2001/XMLSchema#string")
    return literal(str(term), datatype, term.language or "")


RESULT_FORMATS = {
    ".srx": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ".srj": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ".csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    ".tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}


@dataclass
class Answer:
    boolean: bool | None = None
    rows: list[Row] | None = None
    graph: Graph | None = None


def parse_results(data: bytes, fmt: ox.QueryResultsFormat) -> Answer:
    parsed = ox.parse_query_results(data, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return Answer(boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    rows = []
    for solution in parsed:
        row = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                row[name] = ox_term(value)
        rows.append(row)
    return Answer(rows=rows)


def rs_answer(graph: Graph) -> Answer | None:
    """A result set written in the DAWG result-set vocabulary, if the graph is one."""
    sets = list(graph.subjects(RDF.type, RS.ResultSet))
    if not sets:
        return None
    boolean = graph.value(sets[0], RS.boolean)
    if boolean is not None:
        return Answer(boolean=bool(boolean.toPython()))
    rows = []
    for solution in graph.objects(sets[0], RS.solution):
        row = {}
        for binding in graph.objects(solution, RS.binding):
            row[str(graph.value(binding, RS.variable))] = rdflib_term(graph.value(binding, RS.value))
        rows.append(row)
    return Answer(rows=rows)


def csv_rows(data: bytes) -> list[Row]:
    """SPARQL CSV results as cells of text (the format keeps no types), blank nodes as such."""
    import csv

    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader, [])
    return [
        {name: ("bnode", cell[2:]) if cell.startswith("_:") else ("text", cell) for name, cell in zip(header, row) if cell}
        for row in reader
    ]


def expected_answer(path: Path, iri: str) -> Answer:
    if path.suffix == ".csv":
        return Answer(rows=csv_rows(path.read_bytes()))
    if path.suffix in RESULT_FORMATS:
        return parse_results(path.read_bytes(), RESULT_FORMATS[path.suffix][0])
    graph = Graph()
    graph.parse(path, format="turtle" if path.suffix == ".ttl" else "xml", publicID=iri)
    return rs_answer(graph) or Answer(graph=graph)


def same_rows(expected: list[Row], actual: list[Row]) -> bool:
    """Equal as multisets, blank nodes matched by a consistent renaming."""
    if len(expected) != len(actual):
        return False
    key = lambda row: tuple(sorted((k, v) for k, v in row.items() if v[0] != "bnode"))  # noqa: E731
    if Counter(map(key, expected)) != Counter(map(key, actual)):
        return False
    if not any(v[0] == "bnode" for row in expected + actual for v in row.values()):
        return True
    budget = [200_000]

    def match(i: int, used: set[int], mapping: dict[str, str]) -> bool:
        if i == len(expected):
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        row = expected[i]
        for j, other in enumerate(actual):
            if j in used or other.keys() != row.keys():
                continue
            extended = dict(mapping)
            ok = True
            for name, value in row.items():
                theirs = other[name]
                if value[0] == "bnode" and theirs[0] == "bnode":
                    if extended.setdefault(value[1], theirs[1]) != theirs[1] or (
                        theirs[1] in {v for k, v in extended.items() if k != value[1]}):
                        ok = False
                        break
                elif value != theirs:
                    ok = False
                    break
            if ok and match(i + 1, used | {j}, extended):
                return True
        return False

    return match(0, set(), {})


def same_answer(expected: Answer, actual: Answer) -> bool:
    if expected.boolean is not None:
        return actual.boolean == expected.boolean
    if expected.graph is not None:
        return actual.graph is not None and isomorphic(expected.graph, actual.graph)
    return actual.rows is not None and same_rows(expected.rows or [], actual.rows)


# -- running the tests ---------------------------------------------------------------------------
class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def query_kind(text: str) -> str:
    from linkeddata.store.sparqltext import tokens

    for token in tokens(text):
        if token.keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.text.upper()
    return "SELECT"


def run_evaluation(test: Test, target: Target, http: httpx.Client, root: Path) -> None:
    g, node = test.graph, test.node
    action = g.value(node, MF.action)
    query_iri = str(g.value(action, QT.query))
    query_path = local_path(root, query_iri)
    text = f"BASE <{query_iri}>\n" + query_path.read_text(encoding="utf-8")
    data = [str(d) for d in g.objects(action, QT.data)]
    graph_data = [str(d) for d in g.objects(action, QT.graphData)]
    default = [(iri, as_ntriples(local_path(root, iri), iri)) for iri in data]
    named = [(iri, as_ntriples(local_path(root, iri), iri)) for iri in graph_data]
    from linkeddata.store.sparqltext import query_dataset

    own = query_dataset(text, query_iri)
    if own is not None:  # the query names its dataset: load the files it names
        for iri in [*own[0], *own[1]]:
            path = local_path(root, iri)
            if path.exists() and iri not in dict(named):
                named.append((iri, as_ntriples(path, iri)))
    target.load(default, named)
    params: dict[str, str | list[str]] = {"query": text}
    if target.names_dataset and own is None and (default or named):
        params.update({"default-graph-uri": [iri for iri, _ in default], "named-graph-uri": [iri for iri, _ in named]})
    result_iri = str(g.value(node, MF.result))
    result_path = local_path(root, result_iri)
    kind = query_kind(text)
    if result_path.suffix in RESULT_FORMATS:
        fmt, accept = RESULT_FORMATS[result_path.suffix]
    elif kind in ("CONSTRUCT", "DESCRIBE"):
        fmt, accept = None, "application/n-triples"
    else:
        fmt, accept = ox.QueryResultsFormat.JSON, "application/sparql-results+json"
    response = http.post(target.query_path, data=params, headers={"Accept": accept})
    check(response.status_code == 200, f"HTTP {response.status_code}: {response.text[:300]}")
    if result_path.suffix == ".csv":
        actual = Answer(rows=csv_rows(response.content))
    elif fmt is None:
        graph = Graph()
        graph.parse(data=response.content, format="nt")
        actual = Answer(graph=graph)
    else:
        actual = parse_results(response.content, fmt)
    expected = expected_answer(result_path, result_iri)
    check(same_answer(expected, actual), f"the answer differs from {result_path.name}")


def run_syntax(test: Test, target: Target, http: httpx.Client, root: Path) -> None:
    action = test.graph.value(test.node, MF.action)
    text = local_path(root, str(action)).read_text(encoding="utf-8", errors="replace")
    target.load([], [])
    response = http.post(target.query_path, data={"query": f"BASE <{action}>\n{text}"})
    if test.kind.startswith("Positive"):
        # Accepted, though perhaps not evaluated (a function the engine does not have is not a
        # syntax error): anything but a parse error passes.
        refused = response.status_code != 200 and re.search(r"(?i)pars|syntax|malformed|expect", response.text)
        check(not refused, f"a valid query answered HTTP {response.status_code}: {response.text[:300]}")
    else:
        check(response.status_code == 400, f"an invalid query answered HTTP {response.status_code}")


def run_csv_format(test: Test, target: Target, http: httpx.Client, root: Path) -> None:
    run_evaluation(test, target, http, root)


STATUS_CLASSES = {
    "StatusCode2xx": range(200, 300), "StatusCode3xx": range(300, 400), "StatusCode4xx": range(400, 500),
    "StatusCode5xx": range(500, 600), "OK": [200], "Created": [201], "NoContent": [204], "NotFound": [404],
}
FORMAT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "application/n-quads", "application/trig"),
}


def _map_path(path: str, target: Target, is_update: bool) -> str:
    if path.startswith("/sparql"):
        rest = path[len("/sparql"):].lstrip("/")
        return (target.update_path if is_update else target.query_path) + rest
    if path.startswith("/gsp"):
        rest = path[len("/gsp"):]
        if rest.startswith("/"):
            return target.direct_path + rest
        return target.store_path + rest
    return path


def run_http_test(test: Test, target: Target, http: httpx.Client, root: Path) -> None:
    """A protocol or Graph Store Protocol test: its requests in order, each response checked."""
    g, node = test.graph, test.node
    named = []
    for data in g.objects(node, UT.graphData):
        file = str(g.value(data, UT.graph))
        named.append((str(g.value(data, RDFS.label)), as_ntriples(local_path(root, file), file)))
    target.load([], named)
    action = g.value(node, MF.action)
    variables: dict[str, str] = {}
    for request in Collection(g, g.value(action, HT.requests)):
        method = str(g.value(request, HT.methodName))
        path = str(g.value(request, HT.absolutePath))
        headers = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                   for h in Collection(g, g.value(request, HT.headers) or RDF.nil)}
        body_node = g.value(request, HT.body)
        body = str(g.value(body_node, CNT.chars)) if body_node is not None else None
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name, value) if body is not None else None
        content_type = headers.get("content-type", "")
        is_update = "sparql-update" in content_type or "update=" in (body or "") or "update=" in path
        url = path if path.startswith("http") else _map_path(path, target, is_update)
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8") if body_node is not None else "UTF-8"
        content = body.encode(encoding) if body is not None else None
        response = http.request(method, url, content=content, headers={**headers, **target.auth})
        expected = g.value(request, HT.resp)
        statuses = [str(s).split("#")[-1] for s in g.objects(expected, MF.expectedStatus)]
        allowed = [code for s in statuses for code in STATUS_CLASSES.get(s, [])]
        check(not allowed or response.status_code in allowed,
              f"{method} {url}: HTTP {response.status_code}, expected {statuses}: {response.text[:200]}")
        location = g.value(expected, MF.expectedLocation)
        if location is not None:
            check("location" in response.headers, f"{method} {url}: no Location")
            variables[str(location)] = response.headers["location"]
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = g.value(expected, MF.expectedFormat)
        if fmt is not None:
            check(media_type in FORMAT_TYPES[str(fmt)], f"{method} {url}: {media_type}, expected {fmt}")
        boolean = g.value(expected, MF.expectedBoolean)
        if boolean is not None:
            kind = RESULT_FORMATS[".srx" if "xml" in media_type else ".srj"][0]
            check(parse_results(response.content, kind).boolean == bool(boolean.toPython()), f"{method} {url}: wrong boolean")
        expected_body = g.value(g.value(expected, HT.body), CNT.chars) if g.value(expected, HT.body) is not None else None
        if expected_body is not None:
            _check_graph(str(expected_body), response, f"{method} {url}")


def _check_graph(expected_text: str, response: httpx.Response, where: str) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
    check(media_type in formats, f"{where}: {media_type} is not RDF")
    actual = Graph()
    actual.parse(data=response.content, format=formats[media_type])
    expected = Graph()
    expected.parse(data=expected_text, format="turtle")
    check(isomorphic(expected, actual), f"{where}: the graph differs")


_PROSE = re.compile(r"#### Request\s*\n(?P<request>.*?)#### Response\s*\n(?P<response>.*)", re.DOTALL)


def run_prose_gsp(test: Test, target: Target, http: httpx.Client, root: Path, state: dict[str, str]) -> None:
    """A test of the older http-rdf-update manifest: one request written as HTTP in a comment.
    These tests run in order on one store: each starts where the one before it left off."""
    text = next((str(c) for c in test.graph.objects(test.node, RDFS.comment) if "#### Request" in str(c)), "")
    match = _PROSE.search(text)
    check(match is not None, "no request in the test")
    assert match is not None

    def lines(block: str) -> list[str]:
        return [line[4:] if line.startswith("    ") else line.strip() for line in block.rstrip().split("\n")]

    # The tests name graphs http://$HOST$/$GRAPHSTORE$/...: the IRIs direct identification gives.
    real = {"$HOST$": urlsplit(target.root).netloc, "$GRAPHSTORE$": target.direct_path.strip("/")}

    def fill(value: str) -> str:
        for name, replacement in {**state, **real}.items():
            value = value.replace(name, replacement)
        return value

    request = lines(match["request"])
    method, path, _ = request[0].split(" ", 2)
    headers, i = {}, 1
    while i < len(request) and request[i].strip():
        name, _, value = request[i].partition(":")
        headers[name.strip().lower()] = value.strip()
        i += 1
    body = "\n".join(request[i + 1:]).strip() if i < len(request) else ""
    headers.pop("host", None)
    if path.startswith("$NEWPATH$"):
        check("$NEWPATH$" in state, "no graph was created before")
        url = state["$NEWPATH$"] + path[len("$NEWPATH$"):]
    else:
        check(path.startswith("$GRAPHSTORE$"), f"a request to {path}")
        url = fill(_map_path("/gsp" + path[len("$GRAPHSTORE$"):], target, False))
    response = http.request(method, url, content=fill(body).encode() if body else None, headers={**headers, **target.auth})
    reply = lines(match["response"])
    expected_status = int(reply[0].split()[0])
    rest = "\n".join(reply[1:])
    expected_body = rest.split("\n\n", 1)[1].strip() if "\n\n" in rest else ""
    ok_codes = {200, 204} if expected_status in (200, 204) and not expected_body else {expected_status}
    check(response.status_code in ok_codes, f"{method} {url}: HTTP {response.status_code}, expected {expected_status}")
    if "Location: $NEWPATH$" in rest:
        check("location" in response.headers, f"{method} {url}: no Location")
        state["$NEWPATH$"] = response.headers["location"]
    if expected_body and method != "HEAD":
        _check_graph(fill(expected_body), response, f"{method} {url}")


def run_service_description(test: Test, target: Target, http: httpx.Client, root: Path) -> None:
    target.load([], [])
    response = http.get(target.query_path, headers={"Accept": "text/turtle"})
    check(response.status_code == 200, f"GET {target.query_path}: HTTP {response.status_code}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    check(media_type in FORMAT_TYPES["RDF"], f"GET {target.query_path}: {media_type} is not RDF")
    graph = Graph()
    graph.parse(data=response.content, format="turtle" if media_type == "text/turtle" else "nt",
                publicID=target.root + target.query_path)
    name = test.iri.split("#")[-1]
    endpoint = URIRef(target.root + target.query_path)
    if name == "has-endpoint-triple":
        check((None, SD.endpoint, endpoint) in graph, f"no sd:endpoint <{endpoint}>")
    elif name == "conforms-to-schema":
        services = [s for s in graph.subjects(RDF.type, SD.Service) if graph.value(s, SD.endpoint) is not None]
        check(bool(services), "no sd:Service with an sd:endpoint")
        for service in services:
            for language in graph.objects(service, SD.supportedLanguage):
                check(language in (SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update), f"unknown language {language}")


RUNNERS: dict[str, Callable[..., None]] = {
    "QueryEvaluationTest": run_evaluation,
    "CSVResultFormatTest": run_csv_format,
    "PositiveSyntaxTest11": run_syntax,
    "NegativeSyntaxTest11": run_syntax,
    "ProtocolTest": run_http_test,
    "ServiceDescriptionTest": run_service_description,
}


def run_all(tests: list[Test], target: Target, root: Path, verbose: bool) -> dict[str, str | None]:
    """Each test's failure (None: passed)."""
    outcome: dict[str, str | None] = {}
    state: dict[str, str] = {}
    prose_loaded = False
    for test in tests:
        # A connection per test: a server that breaks one (Oxigraph server sends a body after a
        # HEAD's 404) must not fail the tests after it.
        with httpx.Client(base_url=target.root, timeout=TIMEOUT) as http:
            try:
                if test.kind == "GraphStoreProtocolTest" and test.folder.name == "http-rdf-update":
                    if not prose_loaded:
                        target.load([], [])
                        prose_loaded = True
                    run_prose_gsp(test, target, http, root, state)
                elif test.kind == "GraphStoreProtocolTest":
                    run_http_test(test, target, http, root)
                else:
                    RUNNERS[test.kind](test, target, http, root)
                outcome[test.iri] = None
            except Failed as exc:
                outcome[test.iri] = str(exc)
            except Exception as exc:  # noqa: BLE001 - a broken test is a failed test, reported
                outcome[test.iri] = f"{type(exc).__name__}: {exc}"
                if verbose:
                    traceback.print_exc()
            if verbose:
                print(f"{target.label:9} {'pass' if outcome[test.iri] is None else 'FAIL'} {test.name}"
                      f"{'' if outcome[test.iri] is None else ': ' + str(outcome[test.iri])[:300]}", flush=True)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rdf_tests", type=Path, help="a local copy of github.com/w3c/rdf-tests")
    parser.add_argument("--only", choices=list(SUITES), help="run one suite")
    parser.add_argument("--verbose", action="store_true", help="print every test as it runs")
    parser.add_argument("--union", action="store_true",
                        help="send our endpoint no dataset, leaving each test's to its union default graph")
    args = parser.parse_args(argv)
    root = args.rdf_tests / "sparql" / "sparql11"
    if not (root / "manifest-sparql11-query.ttl").exists():
        parser.error(f"{args.rdf_tests} is not a copy of w3c/rdf-tests: {root}/manifest-sparql11-query.ttl is missing")
    tests = [t for t in load_tests(root) if args.only is None or t.suite == args.only]
    binary = str(Path(sys.executable).parent / "oxigraph")
    binary = binary if Path(binary).exists() else shutil.which("oxigraph") or ""
    if not binary:
        print("the oxigraph command is not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    results: dict[str, dict[str, str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="w3c-sparql-") as folder:
        Ours.names_dataset = not args.union
        for make in (lambda: Ours(Path(folder)), lambda: Oxigraph(binary, Path(folder))):
            target = make()
            try:
                started = time.monotonic()
                results[target.label] = run_all(tests, target, root, args.verbose)
                print(f"{target.label}: {len(tests)} tests in {time.monotonic() - started:.0f} s", file=sys.stderr)
            finally:
                target.close()
    ours, theirs = results["ours"], results["oxigraph"]
    by_suite: dict[str, list[Test]] = defaultdict(list)
    for test in tests:
        by_suite[test.suite].append(test)
    print(f"{'suite':24} {'tests':>5} {'ours':>5} {'oxigraph':>8}")
    for suite in SUITES:
        listed = by_suite.get(suite, [])
        if listed:
            print(f"{suite:24} {len(listed):5} {sum(ours[t.iri] is None for t in listed):5} "
                  f"{sum(theirs[t.iri] is None for t in listed):8}")
    print(f"{'all':24} {len(tests):5} {sum(v is None for v in ours.values()):5} {sum(v is None for v in theirs.values()):8}")
    behind = [t for t in tests if theirs[t.iri] is None and ours[t.iri] is not None]
    print(f"\nOxigraph server passes and we fail ({len(behind)}):")
    for test in behind:
        print(f"  {test.name}: {ours[test.iri]}")
    ahead = [t for t in tests if ours[t.iri] is None and theirs[t.iri] is not None]
    print(f"\nWe pass and Oxigraph server fails ({len(ahead)}):")
    for test in ahead:
        print(f"  {test.name}: {theirs[test.iri]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
