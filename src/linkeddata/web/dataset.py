"""The dataset page: metadata, structure, values with their figures, a filtered table, a chart.

Metadata and counts come from the publish-time summary (`datasets.py`), figures from the
measure rules (`measures.py`); only the table (one page of observations) is queried per
request. The table has twins: `.csv` (or `Accept: text/csv`, the whole filtered table) and
`.json` (this page of it, with its figures and the next page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from rdflib import Literal
from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML, Format
from ..store import Store
from . import context
from .charts import Chart, chart_for
from .datasets import DatasetInfo, contract_shapes, dataset_info, dataset_records, labels_of
from .measures import Cube, Figure, cube, facets, facets_within, figure, overall, selection
from .negotiate import content_type
from .pages import render
from .release import per_release, validators
from .resources import DOCUMENT_FORMATS, variant_headers
from .search.index import exact_names
from .slices import Filter, estimate, exact, parse_filters, pattern, query_string, short

PAGE_SIZE = 50
SORT_LIMIT = 1_000  # a large cube's table is sorted only when the slice is this small (slow in the store)
TIME_KEYS = ("refPeriod",)
CSV = Format("csv", "text/csv", "CSV of the table")
TABLE_JSON = Format("json", "application/json", "JSON of the table")
# The dataset document in RDF, and its table as CSV and JSON. JSON-LD comes before the table's
# JSON, so `Accept: application/json` still gets the RDF it got before; `.json` gets the table.
TABLE_FORMATS: list[Format] = [*DOCUMENT_FORMATS, CSV, TABLE_JSON]


@dataclass
class Cell:
    text: str
    href: str | None = None  # the filter on this value
    code: str = ""  # the value's IRI


@dataclass
class ObsRow:
    uri: str
    title: str  # the observation by its dimension values
    cells: list[Cell]
    value: str  # the measure, or "" when the observation has none
    status: str  # the status label, when it has no value


@dataclass
class Table:
    columns: list[str]
    keys: list[str]
    rows: list[ObsRow]
    page: int
    pages: int | None
    more: bool
    total: int | None
    sorted_by: str | None


@dataclass
class DatasetView:
    info: DatasetInfo
    filters: list[Filter]
    table: Table
    chart: Chart | None
    query: str  # the filters as a query string
    figure: Figure | None = None  # the measure over the filtered observations, when it may be added
    overall: Figure | None = None
    facets: dict = field(default_factory=dict)  # (dimension index, value) -> (observations, Figure | None)
    filter_labels: list[tuple[str, str, str]] = field(default_factory=list)  # (dimension, value label, remove link)
    next_href: str | None = None
    prev_href: str | None = None
    alternates: list = field(default_factory=list)
    sparql_href: str = ""
    sort_links: dict = field(default_factory=dict)  # column key -> link that sorts by it

    def facet_href(self, index: int, value: str) -> str:
        """The selection narrowed to `value` of a dimension (replacing any value chosen for it)."""
        dim = self.info.dimensions[index]
        kept = [f for f in self.filters if f.dimension is not dim or f.within]
        return self.info.uri + query_string([*kept, Filter(dim, (value,))])


def dataset_page(request: Request, name: str, document_url: str, fmt: Format = HTML) -> Response | None:
    store, minter = context.store(request), context.minter(request)
    info = dataset_info(store, minter, name)
    if info is None:
        return None
    filters = parse_filters(info, request.query_params, exact_names(store, minter.base))
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    sort = _sort_key(info, request.query_params.get("sort"))
    if fmt is CSV:
        from .downloads import table_csv  # late: the download module builds on this one's filters

        return table_csv(request, info, filters)
    headers = variant_headers(document_url, fmt if fmt is not TABLE_JSON else HTML)
    headers["Content-Location"] = f"{document_url}.{fmt.key}"
    # One variant per slice, page and order, however the format was asked for.
    variant = f"{fmt.key}-{query_string(filters, page=page if page > 1 else None, sort=sort)}"
    cached = validators(request, store, variant, headers)
    if cached is not None:
        return cached

    table = _table(request, info, filters, page, sort)
    data = cube(store, info)
    chosen = selection(store, info, filters)
    view = DatasetView(info, filters, table, None, query_string(filters))
    if data is not None or not any(f.within for f in filters):
        view.figure = figure(info, data, chosen) if filters else overall(store, info)
    view.overall = overall(store, info)
    view.facets = {key: (v.count, facets(store, info).get(key)) for key, v in _values(info)}
    if data is not None and chosen:
        # Facets of the selection: each dimension's values among what the other filters select.
        # Computed per request (milliseconds on a small cube): per-release slots are kept for
        # facts every page needs, and the page itself is kept per release by its URL.
        view.facets = facets_within(info, data, chosen)
    view.chart = chart_for(request, info, filters, data)
    view.alternates = [(f, f"{document_url}.{f.key}" + (view.query if f in (CSV, TABLE_JSON) else ""))
                       for f in TABLE_FORMATS if f is not HTML]
    for f in filters:
        rest = [g for g in filters if g is not f]
        labels = ", ".join(info.labels.get(v) or _label(request, v) for v in f.values)
        prefix = "within " if f.within else ""
        view.filter_labels.append((f.dimension.label, prefix + labels, info.uri + query_string(rest, sort=sort)))
    links = []
    if table.more:
        view.next_href = info.uri + query_string(filters, page=page + 1, sort=sort)
        links.append(f'<{view.next_href}>; rel="next"')
    if page > 1:
        view.prev_href = info.uri + query_string(filters, page=page - 1 if page > 2 else None, sort=sort)
        links.append(f'<{view.prev_href}>; rel="prev"')
    headers["Link"] = ", ".join([headers["Link"], *links])
    for key in [*table.keys, "value"]:
        view.sort_links[key] = info.uri + query_string(filters, sort=("-" + key) if sort == key else key)
    view.sparql_href = f"{minter.base}/sparql?" + urlencode({"query": sparql_for(info, filters)})
    if fmt is TABLE_JSON:
        return Response(json.dumps(_json(view), indent=1), media_type="application/json", headers=headers)
    shapes = contract_shapes(store, minter)
    html = render(request, "dataset.html", {"view": view, "shapes": shapes, "shapes_graph": minter.graph("vocabulary/shapes"),
                                            "records": dataset_records(store, minter, name)})
    return Response(html, media_type=content_type(HTML), headers=headers)


def _values(info: DatasetInfo) -> list:
    return [((i, v.uri), v) for i, d in enumerate(info.dimensions) for v in d.values]


def _sort_key(info: DatasetInfo, asked: str | None) -> str | None:
    if not asked:
        return None
    key = asked.lstrip("-")
    return asked if key == "value" or info.dimension(key) is not None else None


def _label(request: Request, uri: str) -> str:
    store = context.store(request)
    return per_release(store, f"label:{uri}", lambda: labels_of(store, [uri]).get(uri, uri))


def count(request: Request, info: DatasetInfo, filters: list[Filter]) -> int:
    """The slice's observations: from the summary when it knows, else counted by the store."""
    known = exact(info, filters)
    if known is not None:
        return known
    store = context.store(request)
    return int(store.select(f"SELECT (COUNT(?o) AS ?n) WHERE {{ {pattern(info, filters)} }}")[0]["n"].toPython())


def _table(request: Request, info: DatasetInfo, filters: list[Filter], page: int, sort: str | None) -> Table:
    store = context.store(request)
    data = cube(store, info)
    if data is not None:
        rows, more, total, ordered = _rows_in_memory(store, info, data, filters, page, sort)
    else:
        rows, more, ordered = _rows_from_store(request, info, filters, page, sort)
        total = count(request, info, filters)
    wanted = {u for _, values, _, _ in rows for u in values if u} | {s for *_, s in rows if s}
    missing = sorted(wanted - set(info.labels))
    labels = {**info.labels, **labels_of(store, missing)} if missing else info.labels
    out = []
    for uri, values, value, status_uri in rows:
        cells = [Cell(labels.get(v) or short(v), info.uri + query_string([*filters, Filter(d, (v,))]) if v else None, v)
                 for d, v in zip(info.dimensions, values)]
        status = (labels.get(status_uri) or short(status_uri).replace("-", " ")) if status_uri else ""
        if not value and not status:
            status = "Not available"  # no value and no status: still a row, never a 0
        out.append(ObsRow(uri, ", ".join(c.text for c in cells), cells, value, status))
    pages = max(1, -(-total // PAGE_SIZE)) if total is not None else None
    return Table([d.label for d in info.dimensions], [d.key for d in info.dimensions], out, page, pages, more,
                 total, ordered)


Row = tuple[str, list[str], str, "str | None"]  # (observation, dimension values, value as shown, status)


def _rows_in_memory(store: Store, info: DatasetInfo, data: Cube, filters: list[Filter], page: int,
                    sort: str | None) -> tuple[list[Row], bool, int, str | None]:
    """A small cube's page, selected and sorted in memory (the store sorts 10,000 rows in a second)."""
    chosen = selection(store, info, filters)
    rows = [r for r in data.rows if all(r[0][i] in v for i, v in chosen.items())]
    order = sorted(range(len(info.dimensions)), key=lambda i: info.dimensions[i].key not in TIME_KEYS)
    rows.sort(key=lambda r: [r[0][i] for i in order])
    if sort:
        key, descending = sort.lstrip("-"), sort.startswith("-")
        if key == "value":
            # Observations without a value last, whichever way.
            valued = sorted((r for r in rows if r[1] is not None), key=lambda r: r[1], reverse=descending)
            rows = valued + [r for r in rows if r[1] is None]
        else:
            i = [d.key for d in info.dimensions].index(key)
            rows.sort(key=lambda r: r[0][i], reverse=descending)
    start = (page - 1) * PAGE_SIZE
    shown = [(r[3], list(r[0]), _figure_text(r[1]), r[2]) for r in rows[start:start + PAGE_SIZE]]
    return shown, len(rows) > start + PAGE_SIZE, len(rows), sort


def _rows_from_store(request: Request, info: DatasetInfo, filters: list[Filter], page: int,
                     sort: str | None) -> tuple[list[Row], bool, str | None]:
    """A large cube's page, from the store: sorted only when the slice is small enough."""
    bound = estimate(info, filters)
    dims = [f"?d{i}" for i in range(len(info.dimensions))]
    order_by = ""
    if bound is not None and bound <= SORT_LIMIT:
        time_first = sorted(range(len(dims)), key=lambda i: info.dimensions[i].key not in TIME_KEYS)
        keys = [dims[i] for i in time_first]
        if sort:
            key = sort.lstrip("-")
            first = "?m" if key == "value" else dims[[d.key for d in info.dimensions].index(key)]
            keys = [f"DESC({first})" if sort.startswith("-") else first] + [k for k in keys if k != first]
        order_by = "ORDER BY " + " ".join(keys)
    rows = context.store(request).select(
        f"SELECT ?o {' '.join(dims)} ?m ?s WHERE {{ {pattern(info, filters)} }} {order_by} "
        f"LIMIT {PAGE_SIZE + 1} OFFSET {(page - 1) * PAGE_SIZE}"
    )
    out: list[Row] = []
    for r in rows[:PAGE_SIZE]:
        m = r.get("m")
        out.append((str(r["o"]), [str(r[d[1:]]) if d[1:] in r else "" for d in dims],
                    _number(m) if isinstance(m, Literal) else "", str(r["s"]) if "s" in r else None))
    return out, len(rows) > PAGE_SIZE, sort if order_by else None


def _figure_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _number(literal: Literal) -> str:
    try:
        value = float(literal.toPython())
    except (TypeError, ValueError):
        return str(literal)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def sparql_for(info: DatasetInfo, filters: list[Filter]) -> str:
    """A SPARQL query returning what the page's table shows: each observation, the labels and
    codes of its values, and its value or its status."""
    names = [d.key for d in info.dimensions]
    where = [f"?obs qb:dataSet <{info.uri}> ."]
    where += [f"?obs <{d.uri}> ?{n}Code ." for n, d in zip(names, info.dimensions)]
    for f in filters:
        values = " ".join(f"<{v}>" for v in f.values)
        if f.within:
            where.append(f"?{f.dimension.key}Code sr:within ?{f.dimension.key}Area . VALUES ?{f.dimension.key}Area {{ {values} }}")
        else:
            where.append(f"VALUES ?{f.dimension.key}Code {{ {values} }}")
    if info.measure:
        where.append(f"OPTIONAL {{ ?obs <{info.measure}> ?value }}")
    if info.rules.status:
        where.append(f"OPTIONAL {{ ?obs <{info.rules.status}>/skos:prefLabel ?status }}")
    where += [f"OPTIONAL {{ ?{n}Code skos:prefLabel|rdfs:label ?{n} }}" for n in names]
    return "\n".join([
        "PREFIX qb: <http://purl.org/linked-data/cube#>",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
        *(["PREFIX sr: <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/>"] if any(f.within for f in filters) else []),
        f"SELECT ?obs {' '.join(f'?{n} ?{n}Code' for n in names)} ?value ?status WHERE {{",
        *(f"  {line}" for line in where),
        "}",
        "LIMIT 1000",
    ])


def _json(view: DatasetView) -> dict[str, object]:
    info, table = view.info, view.table
    return {
        "dataset": info.uri,
        "title": info.title,
        "filters": {f.key: list(f.values) for f in view.filters},
        "observations": table.total,
        "figure": _figure_json(view.figure),
        "page": table.page,
        "pages": table.pages,
        "next": view.next_href,
        "columns": [*table.keys, "value", "status"],
        "rows": [
            {"observation": r.uri,
             **{k: {"uri": c.code, "code": short(c.code), "label": c.text} for k, c in zip(table.keys, r.cells)},
             "value": r.value.replace(",", "") or None, "status": r.status or None}
            for r in table.rows
        ],
    }


def _figure_json(fig: Figure | None) -> dict[str, object] | None:
    if fig is None:
        return None
    return {"value": fig.value if fig.available else None, "observations_with_value": fig.valued,
            "without_value": {status: n for status, n in fig.missing}}
