"""What the web knows about a published dataset: its metadata, structure and publish-time summary.

Everything here comes from two graphs per dataset, read with SPARQL once per release:
the dataset graph's `qb:DataSet` and structure, and `{base}/graph/summary/{dataset}`, which the
pipeline computes when it publishes (observation count, dimension value counts, coverage,
distributions). A page about a million observations reads a few hundred summary triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, QB, RDF, RDFS, SDO, VOID

from ..namespaces import SR
from ..store import Store
from ..uris import Minter
from .iri import sparql_iri
from .labels import best_label, label_pattern
from .measures import Rules, read_rules
from .release import per_release

# DCAT 3 versioning (newer than rdflib's DCAT namespace) and SPDX checksums, as the pipeline writes them.
DCAT_VERSION = URIRef(f"{DCAT}version")
SPDX = "http://spdx.org/rdf/terms#"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def local_name(uri: str) -> str:
    """The last part of a property's URI: the name of its filter parameter.

    >>> local_name("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
    'refArea'
    """
    return re.split(r"[#/]", uri.rstrip("/#"))[-1]


@dataclass
class Value:
    uri: str
    count: int  # observations
    total: float | None  # the measure summed over them


@dataclass
class Within:
    area: str
    count: int
    total: float | None
    codes: int


@dataclass
class Dimension:
    uri: str
    key: str  # query parameter
    label: str
    code_list: str | None
    values: list[Value] = field(default_factory=list)
    within: list[Within] = field(default_factory=list)
    distinct: int = 0


@dataclass
class ReleaseSource:
    name: str
    sha256: str
    uri: str


@dataclass
class ReleaseEntry:
    """One published release, from the history graph the pipeline keeps (PROV-O)."""

    uri: str
    number: int
    published: str
    observations: int | None
    triples: int | None
    change: str
    sources: list[ReleaseSource] = field(default_factory=list)


@dataclass
class DatasetInfo:
    name: str
    uri: str
    title: str
    description: str
    licence: str | None
    publisher: str | None
    issued: str | None
    modified: str | None
    periodicity: str | None
    keywords: list[str]
    measure: str | None
    measure_label: str
    dimensions: list[Dimension]
    observations: int | None  # None: no summary published
    total: float | None
    start: str | None
    end: str | None
    spatial: list[str]
    distributions: list[str]
    labels: dict[str, str]  # labels of the URIs above (codes, dimensions, areas)
    version: str | None = None  # dcat:version: the number of the current release
    releases: list[ReleaseEntry] = field(default_factory=list)  # newest first
    graphs: list[str] = field(default_factory=list)  # the published graphs that make the dataset
    rules: Rules = field(default_factory=Rules)  # how the measure may be combined (measures.py)

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def label(self, uri: str) -> str:
        return self.labels.get(uri) or uri.rsplit("/", 1)[-1]


def dataset_names(store: Store, minter: Minter) -> list[str]:
    """The names of the published datasets (`street-crime`), from their graphs."""

    def compute() -> list[str]:
        prefix = minter.graph("dataset/")
        return sorted(g[len(prefix):] for g in store.graphs() if g.startswith(prefix) and _NAME.fullmatch(g[len(prefix):]))

    return per_release(store, "dataset-names", compute)


def dataset_graphs(store: Store, minter: Minter, name: str) -> list[str]:
    """The graphs a dataset's data lives in: its own, and each partition's (a month of street crime)."""
    own = minter.graph(f"dataset/{name}")
    return [own, *sorted(g for g in store.graphs() if g.startswith(own + "/"))]


@dataclass(frozen=True)
class Records:
    """Resources a dataset publishes beside its observations (the crimes of street crime)."""

    cls: str
    label: str
    count: int
    href: str  # the class's page, listing them a page at a time


def dataset_records(store: Store, minter: Minter, name: str) -> list[Records]:
    """The kinds of record in a dataset's graphs, with how many of each, once per release."""

    def compute() -> list[Records]:
        graphs = " ".join(sparql_iri(g) for g in dataset_graphs(store, minter, name))
        rows = store.select(f"""SELECT ?c (COUNT(?s) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s a ?c }}
            FILTER(?c NOT IN (<{QB.Observation}>, <{QB.DataSet}>, <{QB.DataStructureDefinition}>,
                              <{QB.ComponentSpecification}>, <{DCAT.Dataset}>)) }} GROUP BY ?c""")
        # Our own classes (a crime), not the geometry each point of one is.
        rows = [r for r in rows if minter.is_local(str(r["c"]))]
        labels = labels_of(store, [str(r["c"]) for r in rows])
        out = []
        for r in rows:
            cls = str(r["c"])
            href = f"{minter.document_for(cls) or cls}?{urlencode({'incoming': str(RDF.type)})}"
            out.append(Records(cls, labels.get(cls, local_name(cls)), int(r["n"].toPython()), href))
        return sorted(out, key=lambda rec: -rec.count)

    return per_release(store, f"records:{name}", compute)


def dataset_info(store: Store, minter: Minter, name: str) -> DatasetInfo | None:
    if name not in dataset_names(store, minter):
        return None
    return per_release(store, f"dataset:{name}", lambda: _read(store, minter, name))


def _first(graph: Graph, node: URIRef | BNode, prop: URIRef) -> str | None:
    values = sorted(str(v) for v in graph.objects(node, prop))
    return values[0] if values else None


def _number(node: object) -> float | None:
    if isinstance(node, Literal):
        try:
            return float(node.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _read(store: Store, minter: Minter, name: str) -> DatasetInfo:
    ds = URIRef(minter.data(name))
    dataset_graph = sparql_iri(minter.graph(f"dataset/{name}"))
    summary_graph = sparql_iri(minter.graph(f"summary/{name}"))
    history_graph = sparql_iri(minter.graph(f"history/{name}"))
    graph = store.construct(f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          {{ GRAPH {dataset_graph} {{
              {{ BIND({sparql_iri(ds)} AS ?s) ?s ?p ?o }}
              UNION {{ {sparql_iri(ds)} <{QB.structure}> ?s . ?s ?p ?o }}
              UNION {{ {sparql_iri(ds)} <{QB.structure}>/<{QB.component}> ?s . ?s ?p ?o }} }} }}
          UNION {{ GRAPH {summary_graph} {{ ?s ?p ?o }} }}
          UNION {{ GRAPH {history_graph} {{ BIND({sparql_iri(ds)} AS ?s) ?s ?p ?o }} }}
        }}""")
    structure = graph.value(ds, QB.structure)
    dims: list[tuple[int, str]] = []
    measure = None
    measure_label = None  # what this dataset's measure counts: its component's label
    for component in graph.objects(structure, QB.component) if structure is not None else []:
        dim = graph.value(component, QB.dimension)
        if dim is not None:
            dims.append((int(graph.value(component, QB.order) or 0), str(dim)))
        m = graph.value(component, QB.measure)
        if m is not None:
            measure = str(m)
            measure_label = best_label(graph, component)
    dims.sort()

    partitions = {str(graph.value(p, VOID.property)): p for p in graph.objects(ds, VOID.propertyPartition)}
    measure_ref = URIRef(measure) if measure else None
    dimensions = []
    for _, dim in dims:
        d = Dimension(dim, local_name(dim), dim, None)
        part = partitions.get(dim)
        if part is not None:
            d.distinct = int(graph.value(part, VOID.distinctObjects) or 0)
            for sub in graph.objects(part, VOID.subset):
                count = int(graph.value(sub, VOID.entities) or 0)
                total = _number(graph.value(sub, SDO.value)) if measure_ref else None
                code = graph.value(sub, RDF.value)
                if code is not None:
                    d.values.append(Value(str(code), count, total))
                area = graph.value(sub, SR.within)
                if area is not None:
                    d.within.append(Within(str(area), count, total, int(graph.value(sub, VOID.distinctObjects) or 0)))
        d.values.sort(key=lambda v: v.uri)
        d.within.sort(key=lambda w: w.area)
        dimensions.append(d)

    # Labels and code lists of the dimensions, the measure, and the codes the summary names.
    wanted = {d.uri for d in dimensions} | ({measure} if measure else set())
    for d in dimensions:
        wanted |= {w.area for w in d.within}
        if len(d.values) <= 1000:
            wanted |= {v.uri for v in d.values}
        else:  # the hundred the page lists (the most used)
            wanted |= {v.uri for v in sorted(d.values, key=lambda v: -v.count)[:100]}
    wanted |= {str(o) for o in graph.objects(ds, DCTERMS.spatial)}
    wanted |= {str(o) for o in graph.objects(ds, DCTERMS.publisher)}
    labels = labels_of(store, sorted(u for u in wanted if u.startswith("http")))
    code_lists = dict(
        (str(r["d"]), str(r["c"]))
        for r in store.select(
            "SELECT ?d ?c WHERE { VALUES ?d { " + " ".join(sparql_iri(d.uri) for d in dimensions)
            + f" }} ?d <{QB.codeList}> ?c }}"
        )
    ) if dimensions else {}
    for d in dimensions:
        d.label = labels.get(d.uri) or d.key
        d.code_list = code_lists.get(d.uri)

    temporal = graph.value(ds, DCTERMS.temporal)
    entities = graph.value(ds, VOID.entities)
    title = best_label(graph, ds) or name
    return DatasetInfo(
        name=name, uri=str(ds), title=title,
        description=_first(graph, ds, DCTERMS.description) or "",
        licence=_first(graph, ds, DCTERMS.license), publisher=_first(graph, ds, DCTERMS.publisher),
        issued=_first(graph, ds, DCTERMS.issued), modified=_first(graph, ds, DCTERMS.modified),
        periodicity=_first(graph, ds, DCTERMS.accrualPeriodicity),
        keywords=sorted(str(k) for k in graph.objects(ds, DCAT.keyword)),
        measure=measure, measure_label=measure_label or (labels.get(measure) if measure else None) or "value",
        dimensions=dimensions,
        observations=int(entities) if entities is not None else None,
        total=_number(graph.value(ds, SDO.value)) if measure_ref else None,
        start=_first(graph, temporal, DCAT.startDate) if temporal is not None else None,
        end=_first(graph, temporal, DCAT.endDate) if temporal is not None else None,
        spatial=sorted(str(o) for o in graph.objects(ds, DCTERMS.spatial)),
        distributions=sorted(str(o) for o in graph.objects(ds, DCAT.distribution)),
        labels=labels,
        version=_first(graph, ds, DCAT_VERSION),
        releases=_releases(store, history_graph, ds),
        # Its own graph, each partition's (a month of street crime), its summary and history.
        graphs=[*dataset_graphs(store, minter, name),
                *(g for g in (minter.graph(f"{kind}/{name}") for kind in ("summary", "history")) if g in store.graphs())],
        rules=read_rules(graph, structure, minter.base),
    )


def _releases(store: Store, history_graph: str, ds: URIRef) -> list[ReleaseEntry]:
    rows = store.select(f"""
        SELECT ?r ?v ?when ?n ?t ?change ?src ?name ?sha WHERE {{ GRAPH {history_graph} {{
          {sparql_iri(ds)} <{DCAT}hasVersion> ?r . ?r <{DCAT_VERSION}> ?v ; <{PROV.generatedAtTime}> ?when .
          OPTIONAL {{ ?r <{VOID.entities}> ?n }} OPTIONAL {{ ?r <{VOID.triples}> ?t }}
          OPTIONAL {{ ?r <{RDFS.comment}> ?change }}
          OPTIONAL {{ ?r <{PROV.wasGeneratedBy}>/<{PROV.used}> ?src . ?src <{RDFS.label}> ?name .
                     OPTIONAL {{ ?src <{SPDX}checksum>/<{SPDX}checksumValue> ?sha }} }}
        }} }}""")
    releases: dict[str, ReleaseEntry] = {}
    for row in rows:
        uri = str(row["r"])
        entry = releases.get(uri)
        if entry is None:
            try:
                number = int(str(row["v"]))
            except ValueError:
                number = 0
            n, t = row.get("n"), row.get("t")
            entry = releases[uri] = ReleaseEntry(
                uri, number, str(row["when"]), int(n) if n is not None else None,
                int(t) if t is not None else None, str(row.get("change", "")))
        if "src" in row:
            entry.sources.append(ReleaseSource(str(row["name"]), str(row.get("sha", "")), str(row["src"])))
    for entry in releases.values():
        entry.sources.sort(key=lambda s: s.name)
    return sorted(releases.values(), key=lambda e: e.number, reverse=True)


@dataclass(frozen=True)
class Shape:
    uri: str
    code: str
    label: str


def contract_shapes(store: Store, minter: Minter) -> list[Shape]:
    """The SHACL shapes every published dataset has passed (the shapes graph), by code."""

    def compute() -> list[Shape]:
        graph = sparql_iri(minter.graph("vocabulary/shapes"))
        rows = store.select(f"""
            SELECT ?s (SAMPLE(?c) AS ?code) (SAMPLE(?l) AS ?label) WHERE {{ GRAPH {graph} {{
              ?s a ?kind . VALUES ?kind {{ <http://www.w3.org/ns/shacl#NodeShape> <http://www.w3.org/ns/shacl#PropertyShape> }}
              OPTIONAL {{ ?s <{DCTERMS.identifier}> ?c }} OPTIONAL {{ ?s <{RDFS.label}> ?l }}
              FILTER(isIRI(?s)) }} }} GROUP BY ?s""")
        shapes = [Shape(str(r["s"]), str(r.get("code", "")), str(r.get("label", ""))) for r in rows]
        return sorted(shapes, key=lambda s: (s.code, s.uri))

    return per_release(store, "contract-shapes", compute)


def labels_of(store: Store, uris: list[str], chunk: int = 500) -> dict[str, str]:
    """The best label of each URI that has one."""
    found: dict[str, str] = {}
    for i in range(0, len(uris), chunk):
        values = " ".join(sparql_iri(u) for u in uris[i:i + chunk])
        graph = store.construct(
            f"CONSTRUCT {{ ?u ?lp ?l }} WHERE {{ VALUES ?u {{ {values} }} {label_pattern('?u', '?lp', '?l')} }}"
        )
        for u in uris[i:i + chunk]:
            label = best_label(graph, URIRef(u))
            if label:
                found[u] = label
    return found

