"""The tests of w3c/rdf-tests' sparql/sparql11 manifests, grouped in the suites reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

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
