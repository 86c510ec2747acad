"""No spelling of a query makes the server fetch a URL it was not allowed to.

A listener on 127.0.0.1 stands in for an internal service; every query of the corpus names it
in a SERVICE (or LOAD) written another way. The endpoint runs on an embedded store on disk, so
queries go to the real worker processes, which would fetch the URL if anything let it through.
The corpus is run twice: with no allow-list (the parsed check, and the workers' own network
ban behind it) and with an allow-list naming another endpoint (the parsed check alone).
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.store.workers import ProcessRunner, WorkerLimits
from linkeddata.web.app import create_app

from .conftest import BASE, GRAPH, expected_graph

ALLOWED = "http://127.0.0.1:9/allowed/sparql"
TOKEN = "secret-token"


class Listener:
    """A TCP port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096))
                except OSError:
                    self.connections.append(b"")


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    it = Listener()
    yield it
    it.sock.close()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ssrf")
    data = root / "release.nt"
    expected_graph().serialize(data, format="nt", encoding="utf-8")
    store = EmbeddedStore(root / "store", BASE)
    store.swap({store.load_staging("test", data): GRAPH})
    store.close()
    return root / "store"


def corpus(port: int) -> list[str]:
    """Queries that each name the listener in a SERVICE, spelt every way we know of."""
    u = f"http://127.0.0.1:{port}/sparql"
    host = f"http://127.0.0.1:{port}/"
    escaped = u.replace(":", "\\u003A", 1)
    long_escape = u.replace("h", "\\U00000068", 1)
    pattern = "{ ?s ?p ?o }"
    return [
        # the issue's three: a keyword glued to the token before it
        f'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE {{ ?g rdfs:label "x"@en.SERVICE <{u}> {pattern} }}',
        f"SELECT * WHERE {{ ?s ?p true.SERVICE <{u}> {pattern} }}",
        f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE {{ ?g rdfs:label?l.SERVICE<{u}>{pattern} }}",
        f"SELECT * WHERE {{ ?s ?p 1.SERVICE <{u}> {pattern} }}",
        f"SELECT * WHERE {{ ?s ?p 1.5.SERVICE <{u}> {pattern} }}",
        f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{u}> {pattern} }}",
        f"SELECT * {{ SERVICE <{u}> {pattern} }}",
        f"select * {{ service <{u}> {pattern} }}",
        f"SELECT * {{ SeRvIcE <{u}> {pattern} }}",
        f"SELECT * {{ SERVICE SILENT <{u}> {pattern} }}",
        f"SELECT * {{ service silent <{u}> {pattern} }}",
        f"SELECT * {{ SERVICE\t\n\r <{u}>\n{pattern} }}",
        # comments
        f"SELECT * {{ SERVICE # a comment\n <{u}> {pattern} }}",
        f"SELECT * {{ # SERVICE <http://nowhere.example/> {{}}\n SERVICE <{u}> {pattern} }}",
        f'SELECT * {{ BIND("#" AS ?x) SERVICE <{u}> {pattern} }}',
        f"SELECT * {{ BIND(<http://ex.example/#> AS ?x) SERVICE <{u}> {pattern} }}",
        f'SELECT * {{ BIND("""a"b\'""" AS ?x) SERVICE <{u}> {pattern} }}',
        f"SELECT * {{ BIND('''a'b\"''' AS ?x) SERVICE <{u}> {pattern} }}",
        # escapes: in IRIs pyoxigraph reads them; rdflib would expand them in the whole text
        f"SELECT * {{ SERVICE <{escaped}> {pattern} }}",
        f"SELECT * {{ SERVICE <{long_escape}> {pattern} }}",
        f'SELECT * {{ BIND("\\u0022" AS ?a) SERVICE <{u}> {pattern} BIND("\\u0022" AS ?b) }}',
        f"SELECT * {{ ?s ?p ?o #\\u000a0000 }}\n SERVICE <{u}> {pattern} }}",
        f"SELECT * {{ \\u0053ERVICE <{u}> {pattern} }}",
        # prefixes and BASE
        f"PREFIX e: <{host}> SELECT * {{ SERVICE e:sparql {pattern} }}",
        f"PREFIX : <{host}> SELECT * {{ SERVICE :sparql {pattern} }}",
        # the issue's: an allowed prefix redefined with no space, which a text scan missed
        f"PREFIX e: <{ALLOWED.rsplit('/', 1)[0]}/> PREFIX e:<{host}> SELECT * {{ SERVICE e:sparql {pattern} }}",
        f"PREFIX e:<{host}>SELECT*{{SERVICE e:sparql{pattern}}}",
        f"BASE <{host}> SELECT * {{ SERVICE <sparql> {pattern} }}",
        f"BASE <http://127.0.0.1:9/> BASE <{host}> SELECT * {{ SERVICE <sparql> {pattern} }}",
        f"BASE <{host}> PREFIX e: <x/../> SELECT * {{ SERVICE e:sparql {pattern} }}",
        # variables
        f"SELECT * {{ VALUES ?e {{ <{u}> }} SERVICE ?e {pattern} }}",
        f"SELECT * {{ BIND(<{u}> AS ?e) SERVICE SILENT ?e {pattern} }}",
        # nested anywhere a pattern may be
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{u}> {pattern} }} }} }}",
        f"SELECT * {{ {{ SELECT ?s {{ {{ SELECT * {{ ?s ?p ?o . SERVICE <{u}> {pattern} }} LIMIT 1 }} }} }} }}",
        f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT * {{ GRAPH ?g {{ SERVICE <{u}> {pattern} }} }}",
        f"SELECT (EXISTS {{ SERVICE <{u}> {pattern} }} AS ?x) {{ }}",
        f"SELECT * {{ SERVICE <{ALLOWED}> {{ SERVICE <{u}> {pattern} }} }}",
        # other query forms
        f"ASK {{ SERVICE <{u}> {pattern} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {pattern} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{u}> {pattern} }}",
        # what the checker cannot parse is refused when it says SERVICE
        f"SELECT * {{ << ?s ?p ?o >> ?q ?r . SERVICE <{u}> {pattern} }}",
    ]


SPELLINGS = corpus(0)


def test_the_corpus_is_large_enough():
    assert len(SPELLINGS) >= 30
    assert len(set(SPELLINGS)) == len(SPELLINGS)


@pytest.fixture(scope="module", params=["no allow-list", "another endpoint allowed"])
def app_client(request, disk_store: Path) -> Iterator[TestClient]:
    allow = "" if request.param == "no allow-list" else ALLOWED
    settings = Settings(base_uri=BASE, query_timeout=5, query_workers=2, service_allow=allow, update_token=TOKEN)
    store = EmbeddedStore(disk_store, BASE, read_only=True)
    with TestClient(create_app(store, settings), raise_server_exceptions=False) as client:
        yield client
    store.close()


@pytest.mark.parametrize("index", range(len(SPELLINGS)))
def test_no_spelling_of_service_reaches_the_listener(app_client, listener, index):
    query = corpus(listener.port)[index]
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code in (400, 403), (query, response.status_code, response.text)
    assert response.json()["error"]["code"] in ("service_refused", "malformed_query"), response.text
    assert listener.connections == [], query


def test_the_issues_spellings_are_refused_as_service(app_client, listener):
    for query in corpus(listener.port)[:12]:
        response = app_client.get("/sparql", params={"query": query})
        assert response.status_code == 403 and response.json()["error"]["code"] == "service_refused", query


@pytest.mark.parametrize("update", [
    "LOAD <{u}>",
    "PREFIX p:<x>LOAD<{u}>",
    "load silent <{u}> into graph <http://localhost:8000/graph/x>",
    "INSERT DATA {{ <http://a> <http://b> <http://c> }} ; LOAD <{u}>",
    "INSERT {{ GRAPH <http://localhost:8000/graph/x> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "PREFIX e:<http://127.0.0.1:{port}/>INSERT{{GRAPH<http://localhost:8000/graph/x>{{?s ?p ?o}}}}WHERE{{?s ?p true.SERVICE e:sparql{{?s ?p ?o}}}}",
])
def test_no_update_makes_the_server_fetch(app_client, listener, update):
    text = update.format(u=f"http://127.0.0.1:{listener.port}/data.ttl", port=listener.port)
    response = app_client.post("/sparql", data={"update": text}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403, (text, response.text)
    assert response.json()["error"]["code"] in ("load_refused", "service_refused")
    assert listener.connections == []


@pytest.mark.parametrize("network", [False, True])
def test_the_workers_cannot_reach_the_network_without_an_allow_list(disk_store, listener, network):
    """Behind the check: a worker asked directly to run a SERVICE cannot connect, unless the
    runner was started for an allow-list (which shows the listener would have heard it)."""
    store = EmbeddedStore(disk_store, BASE, read_only=True)
    runner = ProcessRunner(store, timeout=10, workers=1, limits=WorkerLimits(network=network))
    before = len(listener.connections)
    try:
        query = f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        runner.query(query)
    finally:
        runner.close()
        store.close()
    import time

    time.sleep(0.3)  # the listener's thread records the connection
    assert (len(listener.connections) > before) == network


def test_an_allowed_service_is_still_let_through(disk_store):
    allowed = Settings(base_uri=BASE, service_allow=ALLOWED)
    store = EmbeddedStore(disk_store, BASE, read_only=True)
    with TestClient(create_app(store, allowed), raise_server_exceptions=False) as client:
        for query in [
            f"SELECT * {{ SERVICE SILENT <{ALLOWED}> {{ ?s ?p ?o }} }}",
            f"PREFIX a: <{ALLOWED.rsplit('/', 1)[0]}/> SELECT * {{ SERVICE SILENT a:sparql {{ ?s ?p ?o }} }}",
        ]:
            assert client.get("/sparql", params={"query": query}).status_code == 200, query
        # A relative IRI could resolve differently in the checker and the store: BASE is refused.
        relative = f"BASE <{ALLOWED.rsplit('/', 1)[0]}/> SELECT * {{ SERVICE SILENT <sparql> {{ ?s ?p ?o }} }}"
        assert client.get("/sparql", params={"query": relative}).status_code == 403
    store.close()


def test_a_service_word_in_a_string_or_a_name_is_no_service(app_client):
    for query in [
        'SELECT ?x WHERE { BIND("SERVICE <http://evil.example/>" AS ?x) } # SERVICE <http://evil.example/>',
        "SELECT * WHERE { ?s <http://ex.example/service> ?o }",
    ]:
        assert app_client.get("/sparql", params={"query": query}).status_code == 200, query



def test_a_long_query_naming_service_is_refused_unparsed(app_client, listener):
    padding = "# " + "x" * 12_000 + "\n"
    query = f"SELECT * {{ {padding} SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    response = app_client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and response.json()["error"]["code"] == "service_refused"
    assert "10,000 characters" in response.json()["error"]["message"]
    assert listener.connections == []


def test_a_query_slow_to_parse_costs_nothing_when_it_cannot_name_service():
    """rdflib takes seconds over a long expression; a query without the letters of SERVICE is
    not parsed at all, so an anonymous client cannot spend the server's time that way."""
    import time

    from linkeddata.web.federation import fetched

    query = "SELECT * { ?s ?p ?o FILTER(" + " && ".join(f"?o != {i}" for i in range(5000)) + ") }"
    started = time.monotonic()
    assert fetched(query).services == ()
    assert time.monotonic() - started < 0.5
