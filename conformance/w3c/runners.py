"""How each kind of test is run against a server: its data loaded, its requests sent, its
answers checked. A test fails by raising Failed (or anything else)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from linkeddata.namespaces import SD
from linkeddata.store.sparqltext import query_dataset, tokens

from .answers import RESULT_FORMATS, Answer, as_ntriples, csv_rows, expected_answer, parse_results, same_answer
from .manifests import CNT, HT, MF, QT, UT, Test, local_path
from .targets import Target

# -- running the tests ---------------------------------------------------------------------------
class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def query_kind(text: str) -> str:
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
    "CSVResultFormatTest": run_evaluation,
    "PositiveSyntaxTest11": run_syntax,
    "NegativeSyntaxTest11": run_syntax,
    "ProtocolTest": run_http_test,
    "ServiceDescriptionTest": run_service_description,
}
