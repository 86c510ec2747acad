"""The DCAT catalogue at /catalogue and the VoID description at /.well-known/void (HTML and RDF).

Both are built from the datasets' metadata and publish-time summaries, once per release.
"""

from __future__ import annotations

from fastapi import APIRouter
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD
from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML
from ..namespaces import OGL_V3, ONS_GEOGRAPHY, REFERENCE_TIME, SD
from ..store import QueryResult, Store
from ..store.serialize import serialize_result
from ..uris import Minter
from . import context
from .datasets import DCAT_VERSION, DatasetInfo, dataset_info, dataset_names
from .negotiate import content_type, negotiate
from .problems import WebError
from .pages import render
from .release import per_release, per_release_document, validators
from .resources import DOCUMENT_FORMATS, variant_headers

router = APIRouter()

DCAT_CURRENT = URIRef(f"{DCAT}hasCurrentVersion")

HOME_OFFICE = URIRef("https://www.gov.uk/government/organisations/home-office")
LINKSETS = (  # (name, target URI space, what it links)
    ("ons-geography", ONS_GEOGRAPHY, "ONS statistical geography (LSOAs, police force areas)"),
    ("reference-time", REFERENCE_TIME, "reference.data.gov.uk time intervals"),
    ("iso-countries", "http://publications.europa.eu/resource/authority/country/", "ISO 3166 countries"),
)


def _infos(store: Store, minter: Minter) -> list[DatasetInfo]:
    infos = [dataset_info(store, minter, n) for n in dataset_names(store, minter)]
    return [i for i in infos if i is not None]


RECONCILIATION_API = "https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/"


def _service(g: Graph, cat: URIRef, service: URIRef, title: str, standard: str) -> None:
    """A dcat:DataService of the catalogue, at its own endpoint, conforming to `standard`."""
    g.add((cat, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal(title, lang="en")))
    g.add((service, RDFS.label, Literal(title, lang="en")))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCTERMS.conformsTo, URIRef(standard)))
    g.add((service, DCTERMS.license, OGL_V3))


def catalogue_graph(store: Store, minter: Minter) -> Graph:
    def compute() -> Graph:
        base = minter.base
        g = Graph()
        cat, service = URIRef(f"{base}/catalogue"), URIRef(f"{base}/sparql")
        g.add((cat, RDF.type, DCAT.Catalog))
        g.add((cat, DCTERMS.title, Literal("Home Office linked data", lang="en")))
        g.add((cat, RDFS.label, Literal("Home Office linked data", lang="en")))
        g.add((cat, DCTERMS.description, Literal(
            "Statistics the Home Office publishes, as linked data: RDF Data Cube datasets with shared "
            "reference data, a SPARQL endpoint and downloads.", lang="en")))
        g.add((cat, DCTERMS.publisher, HOME_OFFICE))
        g.add((cat, DCTERMS.license, OGL_V3))
        g.add((cat, FOAF.homepage, URIRef(f"{base}/")))
        _service(g, cat, service, "SPARQL 1.1 endpoint", "https://www.w3.org/TR/sparql11-protocol/")
        reconcile = URIRef(f"{base}/reconcile")
        _service(g, cat, reconcile, "Reconciliation service for the reference data (OpenRefine)", RECONCILIATION_API)
        g.add((reconcile, DCAT.endpointDescription, URIRef(f"{base}/reconcile/about")))
        modified = []
        for info in _infos(store, minter):
            ds = URIRef(info.uri)
            g.add((cat, DCAT.dataset, ds))
            g.add((service, DCAT.servesDataset, ds))
            g.add((ds, RDF.type, DCAT.Dataset))
            g.add((ds, DCTERMS.title, Literal(info.title, lang="en")))
            g.add((ds, RDFS.label, Literal(info.title, lang="en")))
            g.add((ds, DCTERMS.description, Literal(info.description, lang="en")))
            g.add((ds, DCAT.landingPage, ds))
            for prop, value in ((DCTERMS.license, info.licence), (DCTERMS.publisher, info.publisher),
                                (DCTERMS.accrualPeriodicity, info.periodicity)):
                if value:
                    g.add((ds, prop, URIRef(value)))
            if info.issued:
                g.add((ds, DCTERMS.issued, Literal(info.issued, datatype=XSD.date)))
            if info.modified:
                g.add((ds, DCTERMS.modified, Literal(info.modified, datatype=XSD.dateTime)))
                modified.append(info.modified)
            if info.version:
                g.add((ds, DCAT_VERSION, Literal(info.version)))
            if info.releases:
                g.add((ds, DCAT_CURRENT, URIRef(info.releases[0].uri)))
            for keyword in info.keywords:
                g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
            for area in info.spatial:
                g.add((ds, DCTERMS.spatial, URIRef(area)))
            if info.start and info.end:
                period = BNode()
                g.add((ds, DCTERMS.temporal, period))
                g.add((period, RDF.type, DCTERMS.PeriodOfTime))
                g.add((period, DCAT.startDate, Literal(info.start, datatype=XSD.date)))
                g.add((period, DCAT.endDate, Literal(info.end, datatype=XSD.date)))
            for dist in info.distributions:
                g.add((ds, DCAT.distribution, URIRef(dist)))
        if info_dists := [URIRef(d) for i in _infos(store, minter) for d in i.distributions]:
            dist_graph = store.construct(
                "CONSTRUCT { ?d ?p ?o } WHERE { VALUES ?d { "
                + " ".join(f"<{d}>" for d in info_dists) + " } ?d ?p ?o }")
            g += dist_graph
        if modified:
            g.add((cat, DCTERMS.modified, Literal(max(modified), datatype=XSD.dateTime)))
        return g

    return per_release(store, "catalogue", compute)


def void_graph(store: Store, minter: Minter) -> Graph:
    def compute() -> Graph:
        base = minter.base
        g = Graph()
        me = URIRef(f"{base}/.well-known/void#platform")
        g.add((me, RDF.type, VOID.Dataset))
        g.add((me, DCTERMS.title, Literal("Home Office linked data", lang="en")))
        g.add((me, RDFS.label, Literal("Home Office linked data", lang="en")))
        g.add((me, DCTERMS.publisher, HOME_OFFICE))
        g.add((me, DCTERMS.license, OGL_V3))
        g.add((me, VOID.uriSpace, Literal(f"{base}/")))
        g.add((me, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
        g.add((me, VOID.rootResource, URIRef(f"{base}/catalogue")))
        for example in ("id/police-force-area/E23000001", "id/month/2019-01", "def/crime/crime-type/burglary"):
            g.add((me, VOID.exampleResource, URIRef(f"{base}/{example}")))
        vocabularies = store.select(
            "SELECT DISTINCT ?p WHERE { { ?s ?p ?o } UNION { ?s a ?p } } LIMIT 2000"
        )
        spaces = set()
        for row in vocabularies:
            uri = str(row["p"])
            cut = max(uri.rfind("#"), uri.rfind("/"))
            if cut > 0:
                spaces.add(uri[:cut + 1])
        for space in sorted(spaces):
            # Our own vocabularies are named without the trailing slash (`/def/crime`): that dereferences.
            g.add((me, VOID.vocabulary, URIRef(space.rstrip("/") if space.startswith(f"{base}/def/") else space)))
        for info in _infos(store, minter):
            ds = URIRef(info.uri)
            g.add((me, VOID.subset, ds))
            g.add((ds, RDF.type, VOID.Dataset))
            g.add((ds, DCTERMS.title, Literal(info.title, lang="en")))
            g.add((ds, VOID.dataDump, URIRef(f"{base}/download/{info.name}.nt.gz")))
            g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
            if info.observations is not None:
                g.add((ds, VOID.entities, Literal(info.observations)))
        for name, space, title in LINKSETS:
            rows = store.select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), \"{space}\")) }}"
            )
            n = int(rows[0]["n"]) if rows else 0
            if not n:
                continue
            link = URIRef(f"{base}/.well-known/void#{name}")
            g.add((me, VOID.subset, link))
            g.add((link, RDF.type, VOID.Linkset))
            g.add((link, DCTERMS.title, Literal(f"Links to {title}", lang="en")))
            g.add((link, VOID.linkPredicate, OWL.sameAs))
            g.add((link, VOID.subjectsTarget, me))
            g.add((link, VOID.objectsTarget, URIRef(space)))
            g.add((link, VOID.triples, Literal(n)))
        g.add((URIRef(f"{base}/sparql"), RDF.type, SD.Service))
        # The named graphs and the shapes every release passed, so a crawler reaches them too.
        shapes = minter.graph("vocabulary/shapes")
        for graph in store.graphs():
            g.add((me, RDFS.seeAlso, URIRef(graph)))
            if graph == shapes:
                g.add((me, DCTERMS.conformsTo, URIRef(graph)))
        return g

    return per_release(store, "void", compute)


def _answer(request: Request, path: str, template: str, build) -> Response:  # type: ignore[no-untyped-def]
    key = request.path_params.get("key")
    if key is not None and key not in [f.key for f in DOCUMENT_FORMATS]:
        raise WebError(404, "not_found", f"{request.url.path} is not a page here")
    suffix = key
    fmt = negotiate(DOCUMENT_FORMATS, request.headers.get("accept"), suffix=suffix,
                    format_key=request.query_params.get("format"))
    store, minter = context.store(request), context.minter(request)
    document = f"{minter.base}{path}"
    headers = variant_headers(document, fmt)
    cached = validators(request, store, fmt.key, headers)
    if cached is not None:
        return cached
    graph = build(store, minter)
    if fmt is HTML:
        alternates = [(f, f"{document}.{f.key}") for f in DOCUMENT_FORMATS if f is not HTML]
        html = render(request, template, {"infos": _infos(store, minter), "graph": graph,
                                          "alternates": alternates, "document": document})
        return Response(html, media_type=content_type(fmt), headers=headers)
    body = serialize_result(QueryResult("graph", graph=graph), fmt.media_type, context.prefixes(request))
    return Response(body, media_type=content_type(fmt), headers=headers)


@router.api_route("/catalogue", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/catalogue.{key}", methods=["GET", "HEAD"], include_in_schema=False)
@per_release_document
def catalogue(request: Request) -> Response:
    return _answer(request, "/catalogue", "catalogue.html", catalogue_graph)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/.well-known/void.{key}", methods=["GET", "HEAD"], include_in_schema=False)
@per_release_document
def void(request: Request) -> Response:
    return _answer(request, "/.well-known/void", "void.html", void_graph)
