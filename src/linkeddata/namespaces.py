"""RDF namespaces: the standard ones, and our own vocabularies closed over `ontology/`.

Our own terms live under `{base}/def/{vocab}/`. `Vocabularies(base)` reads the shipped
ontology files once and gives a closed namespace per vocabulary, so a typo in a term fails
at import time of the calling code path rather than minting a URI that names nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT, DCTERMS, FOAF, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, TIME, VOID, XSD, ClosedNamespace,
)

from .settings import resource_dir

SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_CODE = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
SR = Namespace("http://data.ordnancesurvey.co.uk/ontology/spatialrelations/")
INTERVALS = Namespace("http://reference.data.gov.uk/def/intervals/")
ORG = Namespace("http://www.w3.org/ns/org#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")

OGL_V3 = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
REFERENCE_TIME = "http://reference.data.gov.uk/id/"

# Prefixes used in mappings, Turtle output and the query page.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "dcat": str(DCAT), "foaf": str(FOAF), "prov": str(PROV),
    "qb": str(QB), "time": str(TIME), "void": str(VOID), "schema": str(SDO), "org": str(ORG),
    "sdmx-dimension": str(SDMX_DIMENSION), "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE), "sdmx-code": str(SDMX_CODE),
    "geo": str(GEO), "geosparql": str(GSP), "sr": str(SR), "interval": str(INTERVALS),
    "sh": str(SH), "sd": str(SD),
}

VOCABULARIES = ("crime", "geography", "statistics", "migration", "equality", "organogram")


def local_prefixes(base: str) -> dict[str, str]:
    """Prefixes of our own vocabularies under a base, as `{name}: {base}/def/{vocab}/`."""
    short = {"crime": "crime", "geography": "geog", "statistics": "stat", "migration": "migration", "equality": "equality",
             "organogram": "organogram"}
    return {short[v]: f"{base}/def/{v}/" for v in VOCABULARIES}


def all_prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, **local_prefixes(base)}


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def load_shipped_turtle(path: Path, base: str) -> Graph:
    """Parse a shipped Turtle file whose IRIs are relative to the base URI."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=base.rstrip("/") + "/")
    return graph


class Vocabularies:
    """Closed namespaces for our vocabularies under one base: `v.crime.crimeType`."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        terms: dict[str, set[str]] = {v: set() for v in VOCABULARIES}
        for path in ontology_files():
            for subject in load_shipped_turtle(path, self.base).subjects(unique=True):
                for vocab in VOCABULARIES:
                    prefix = f"{self.base}/def/{vocab}/"
                    if isinstance(subject, URIRef) and subject.startswith(prefix):
                        terms[vocab].add(subject[len(prefix):])
        self.crime = ClosedNamespace(f"{self.base}/def/crime/", sorted(terms["crime"]))
        self.geography = ClosedNamespace(f"{self.base}/def/geography/", sorted(terms["geography"]))
        self.statistics = ClosedNamespace(f"{self.base}/def/statistics/", sorted(terms["statistics"]))
        self.migration = ClosedNamespace(f"{self.base}/def/migration/", sorted(terms["migration"]))
        self.equality = ClosedNamespace(f"{self.base}/def/equality/", sorted(terms["equality"]))
        self.organogram = ClosedNamespace(f"{self.base}/def/organogram/", sorted(terms["organogram"]))


@lru_cache(maxsize=8)
def vocabularies(base: str) -> Vocabularies:
    return Vocabularies(base)
