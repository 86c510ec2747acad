"""The dataset page: metadata, structure, value counts, a filtered table of observations, a chart.

Metadata and counts come from the publish-time summary (`datasets.py`); only the table (one
page of observations) and a filtered chart are queried per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal
from starlette.requests import Request
from starlette.responses import Response

from ..formats import HTML
from . import context
from .datasets import DatasetInfo, contract_shapes, dataset_info, labels_of
from .negotiate import content_type
from .pages import render
from .release import per_release, validators
from .resources import DOCUMENT_FORMATS, variant_headers
from .slices import Filter, estimate, exact, parse_filters, pattern, query_string

PAGE_SIZE = 50
SORT_LIMIT = 1_000  # sort the table only when the slice is this small (sorting is slow in the store)
TIME_KEYS = ("refPeriod",)


@dataclass
class Cell:
    text: str
    href: str | None = None


@dataclass
class Chart:
    title: str
    points: list[tuple[str, str, float]]  # (uri, label, value)
    width: int = 640
    height: int = 240
    pad: int = 40

    @property
    def maximum(self) -> float:
        return max((p[2] for p in self.points), default=0) or 1

    def coords(self) -> list[tuple[float, float, str, float]]:
        n = len(self.points)
        inner_w, inner_h = self.width - 2 * self.pad, self.height - 2 * self.pad
        out = []
        for i, (_, label, value) in enumerate(self.points):
            x = self.pad + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
            y = self.pad + inner_h * (1 - value / self.maximum)
            out.append((round(x, 1), round(y, 1), label, value))
        return out

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _, _ in self.coords())


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, list[Cell], str]]  # (observation URI, dimension cells, measure)
    page: int
    more: bool
    total: int | None
    sorted: bool


@dataclass
class DatasetView:
    info: DatasetInfo
    filters: list[Filter]
    table: Table
    chart: Chart | None
    query: str  # the filters as a query string
    filter_labels: list[tuple[str, str, str]] = field(default_factory=list)  # (dimension, value label, remove link)
    next_href: str | None = None
    prev_href: str | None = None
    alternates: list = field(default_factory=list)


def dataset_page(request: Request, name: str, document_url: str) -> Response | None:
    store, minter = context.store(request), context.minter(request)
    info = dataset_info(store, minter, name)
    if info is None:
        return None
    filters = parse_filters(info, request.query_params)
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    headers = variant_headers(document_url, HTML)
    # One variant per slice and page, however the format was asked for.
    cached = validators(request, store, f"html-{query_string(filters, page=page if page > 1 else None)}", headers)
    if cached is not None:
        return cached

    table = _table(request, info, filters, page)
    view = DatasetView(info, filters, table, _chart(request, info, filters), query_string(filters))
    view.alternates = [(f, f"{document_url}.{f.key}") for f in DOCUMENT_FORMATS if f is not HTML]
    for f in filters:
        rest = [g for g in filters if g is not f]
        labels = ", ".join(info.labels.get(v) or _label(request, v) for v in f.values)
        prefix = "within " if f.within else ""
        view.filter_labels.append((f.dimension.label, prefix + labels, info.uri + query_string(rest)))
    links = []
    if table.more:
        view.next_href = info.uri + query_string(filters, page=page + 1)
        links.append(f'<{view.next_href}>; rel="next"')
    if page > 1:
        view.prev_href = info.uri + query_string(filters, page=page - 1 if page > 2 else None)
        links.append(f'<{view.prev_href}>; rel="prev"')
    headers["Link"] = ", ".join([headers["Link"], *links])
    shapes = contract_shapes(store, minter)
    html = render(request, "dataset.html", {"view": view, "shapes": shapes, "shapes_graph": minter.graph("vocabulary/shapes")})
    return Response(html, media_type=content_type(HTML), headers=headers)


def _label(request: Request, uri: str) -> str:
    store = context.store(request)
    return per_release(store, f"label:{uri}", lambda: labels_of(store, [uri]).get(uri, uri))


def _table(request: Request, info: DatasetInfo, filters: list[Filter], page: int) -> Table:
    store = context.store(request)
    bound = estimate(info, filters)
    order = bound is not None and bound <= SORT_LIMIT
    dims = [f"?d{i}" for i in range(len(info.dimensions))]
    time_first = sorted(range(len(dims)), key=lambda i: info.dimensions[i].key not in TIME_KEYS)
    order_by = ("ORDER BY " + " ".join(dims[i] for i in time_first)) if order else ""
    measure = "?m" if info.measure else ""
    rows = store.select(
        f"SELECT ?o {' '.join(dims)} {measure} WHERE {{ {pattern(info, filters)} }} {order_by} "
        f"LIMIT {PAGE_SIZE + 1} OFFSET {(page - 1) * PAGE_SIZE}"
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    missing = sorted({str(r[d[1:]]) for r in rows for d in dims} - set(info.labels))
    labels = {**info.labels, **labels_of(store, missing)} if missing else info.labels
    out = []
    for r in rows:
        cells = []
        for d in dims:
            value = r.get(d[1:])
            uri = str(value) if value is not None else ""
            cells.append(Cell(labels.get(uri) or uri.rsplit("/", 1)[-1], uri or None))
        m = r.get("m")
        out.append((str(r["o"]), cells, str(m) if isinstance(m, Literal) else ""))
    return Table([d.label for d in info.dimensions], out, page, more, exact(info, filters), order)


def _chart(request: Request, info: DatasetInfo, filters: list[Filter]) -> Chart | None:
    """The measure summed by period over the slice: from the summary when nothing is filtered."""
    index = next((i for i, d in enumerate(info.dimensions) if d.key in TIME_KEYS), None)
    if index is None or not info.measure:
        return None
    time = info.dimensions[index]
    if not filters:
        series = [(v.uri, v.total or 0.0) for v in time.values]
    else:
        store = context.store(request)
        rows = store.select(f"SELECT ?d{index} (SUM(?m) AS ?t) WHERE {{ {pattern(info, filters)} }} GROUP BY ?d{index}")
        series = [(str(r[f"d{index}"]), float(r["t"].toPython())) for r in rows if "t" in r]
    series.sort()
    if len(series) < 2:
        return None
    labels = info.labels
    missing = [u for u, _ in series if u not in labels]
    if missing:
        labels = {**labels, **labels_of(context.store(request), missing)}
    title = f"{info.measure_label} by {time.label}"
    return Chart(title, [(u, labels.get(u, u.rsplit("/", 1)[-1]), v) for u, v in series])
