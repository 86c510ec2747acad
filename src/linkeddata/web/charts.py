"""A time-series chart of a dataset slice, drawn on the server as SVG (no script, no CDN).

What it plots obeys the measure rules (`measures.py`): each point is a figure that may be
added; a dimension the measure does not add across, and one with a few values, becomes one
line per value rather than being summed; a point with no value is a gap, never a 0. Points
sit at the dates their periods begin, so June 2013 and January 2019 are years apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from html import escape

from rdflib.namespace import TIME
from starlette.requests import Request

from . import context
from .datasets import DatasetInfo, labels_of
from .iri import sparql_iri
from .measures import Cube, Figure, combine, selection
from .release import per_release
from .slices import Filter, pattern, short

TIME_KEYS = ("refPeriod",)
MAX_SERIES = 8
COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#6f72af"]


@dataclass
class Series:
    label: str
    uri: str | None
    points: list[tuple[date, str, Figure]]  # (period start, period label, figure)
    colour: str = COLOURS[0]


@dataclass
class Chart:
    title: str
    x_label: str
    y_label: str
    series: list[Series]
    notes: list[str] = field(default_factory=list)
    width: int = 720
    height: int = 320

    def svg(self) -> str:
        return _svg(self)


def chart_for(request: Request, info: DatasetInfo, filters: list[Filter], data: Cube | None) -> Chart | None:
    index = next((i for i, d in enumerate(info.dimensions) if d.key in TIME_KEYS), None)
    if index is None or not info.measure:
        return None
    store = context.store(request)
    time = info.dimensions[index]
    if data is not None:
        chosen = selection(store, info, filters)
        rows = [r for r in data.rows if all(r[0][i] in v for i, v in chosen.items())]
        split, lines = _series_in_memory(info, data, rows, index)
        coverage = _coverage(info, rows, index, split)
    elif info.rules.simple(d.uri for d in info.dimensions):
        split, lines = None, _series_from_store(request, info, filters, index)
        coverage = None
    else:
        return None
    periods = sorted({u for _, _, points in lines for u, _ in points})
    if len(periods) < 2:
        return None
    starts = _starts(request, periods)
    labels = {**info.labels, **labels_of(store, [p for p in periods if p not in info.labels])}
    series = [
        Series(label, uri, sorted(((starts.get(u) or _guess(u), labels.get(u, short(u)), f) for u, f in points),
                                  key=lambda p: p[0]), colour)
        for colour, (label, uri, points) in zip(COLOURS, lines)
    ]
    notes = [coverage] if coverage else []
    gaps = sum(1 for s in series for *_, f in s.points if not f.available)
    if gaps:
        notes.append(f"{gaps} point(s) with no value (not available or suppressed) are left as gaps, not drawn as 0.")
    if any(f.missing and f.available for s in series for *_, f in s.points):
        notes.append("Some points add up only the parts that have a value; the table of numbers says how many are missing.")
    title = f"{info.measure_label} by {time.label}" + (f", one line per {split.lower()}" if split else "")
    return Chart(title, time.label, info.measure_label, series, notes)


def _coverage(info: DatasetInfo, rows: list, index: int, split: str | None) -> str | None:
    """A warning when the periods are summed over different things: a table that gives one area
    for some years and two for others shows a jump that is a change of coverage, not of what is
    counted. (Where an absent cell means 0, as when counting rows, there is nothing to warn of:
    only a cube with a status component reads its cells from a table.)"""
    if not info.rules.status:
        return None
    periods = sorted({r[0][index] for r in rows})
    for i, d in enumerate(info.dimensions):
        if i == index or d.label == split:
            continue
        seen: dict[str, set[str]] = {}
        for r in rows:
            seen.setdefault(r[0][index], set()).add(r[0][i])
        every = set().union(*seen.values()) if seen else set()
        if len(every) > 1 and any(seen.get(p, set()) != every for p in periods):
            gap = next(p for p in periods if seen.get(p, set()) != every)
            absent = sorted(every - seen.get(gap, set()))
            return (f"Not every {d.label.lower()} has figures for every period ({info.label(absent[0])} has none for "
                    f"{info.label(gap)}), so a rise or fall may be a change of coverage: filter to one to compare.")
    return None


Line = tuple[str, "str | None", list[tuple[str, Figure]]]  # (label, value IRI, (period IRI, figure) points)


def _series_in_memory(info: DatasetInfo, data: Cube, rows: list, index: int) -> tuple[str | None, list[Line]]:
    """One line per value of the dimension that must not be added (or has few values); else one."""
    varying = []
    for i, d in enumerate(info.dimensions):
        if i == index:
            continue
        values = sorted({r[0][i] for r in rows})
        if len(values) > 1:
            varying.append((d.uri not in info.rules.additive, len(values), i, values))
    # A dimension the measure does not add across must be split; else the one with fewest values.
    must = [v for v in varying if v[0]]
    few = [v for v in varying if 1 < v[1] <= 6]
    pick = min(must, key=lambda v: v[1]) if must else (min(few, key=lambda v: v[1]) if few else None)
    groups: list[tuple[str | None, list]] = [(None, rows)]
    split = None
    if pick is not None and pick[1] <= MAX_SERIES:
        i = pick[2]
        split = info.dimensions[i].label
        groups = [(v, [r for r in rows if r[0][i] == v]) for v in pick[3]]
    out: list[Line] = []
    for value, group in groups:
        by_period: dict[str, list] = {}
        for r in group:
            by_period.setdefault(r[0][index], []).append(r)
        points = []
        for period, members in by_period.items():
            fig = combine(info.rules, data.dimensions, members)
            if fig is None:
                break  # this line would add what may not be added: leave it out
            points.append((period, fig))
        else:
            out.append((info.label(value) if value else info.measure_label, value, points))
    return split, out


def _series_from_store(request: Request, info: DatasetInfo, filters: list[Filter], index: int) -> list[Line]:
    """A large cube that adds across everything: one line, summed by the store."""
    store = context.store(request)
    rows = store.select(f"SELECT ?d{index} (SUM(?m) AS ?t) (COUNT(?m) AS ?n) WHERE {{ {pattern(info, filters)} }} GROUP BY ?d{index}")
    points = [(str(r[f"d{index}"]), Figure(float(r["t"].toPython()), int(r["n"].toPython()))) for r in rows if "t" in r]
    return [(info.measure_label, None, points)]


def _starts(request: Request, periods: list[str]) -> dict[str, date]:
    store = context.store(request)

    def compute() -> dict[str, date]:
        rows = store.select(f"""SELECT ?v ?b WHERE {{ VALUES ?v {{ {' '.join(sparql_iri(p) for p in periods)} }}
            ?v <{TIME.hasBeginning}>/<{TIME.inXSDDateTime}> ?b }}""") if periods else []
        out = {}
        for r in rows:
            try:
                out[str(r["v"])] = date.fromisoformat(str(r["b"])[:10])
            except ValueError:
                pass
        return out

    return per_release(store, "starts:" + " ".join(periods), compute)


def _guess(uri: str) -> date:
    """A period's start from its code, when the store does not say (YYYY-MM, YYYY-Qn, YYYY-YY).

    >>> _guess("http://x/id/quarter/2019-Q3"), _guess("http://x/id/government-year/2019-20")
    (datetime.date(2019, 7, 1), datetime.date(2019, 4, 1))
    """
    code = short(uri)
    if "/government-year/" in uri and (m := re.match(r"(\d{4})", code)):
        return date(int(m[1]), 4, 1)  # the UK government's year begins in April
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        return date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", code):
        return date(int(m[1]), int(m[2]), 1)
    if m := re.match(r"(\d{4})", code):
        return date(int(m[1]), 1, 1)
    return date(1970, 1, 1)


# -- drawing -----------------------------------------------------------------------------------

def _ticks(top: float) -> list[float]:
    """Round y-axis steps from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * k for k in range(0, int(math.ceil(top / step)) + 1)]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _svg(chart: Chart) -> str:
    figures = [f for s in chart.series for *_, f in s.points if f.available]
    top = max((f.value for f in figures), default=0)
    ticks = _ticks(top)
    dates = [d for s in chart.series for d, *_ in s.points]
    first, last = min(dates), max(dates)
    left = 16 + 7 * max(len(_fmt(t)) for t in ticks) + 18  # room for the tick labels and the axis title
    right, top_pad, bottom = 24, 16, 56
    w, h = chart.width - left - right, chart.height - top_pad - bottom
    span = (last - first).days or 1

    def x(d: date) -> float:
        return round(left + (w * (d - first).days / span if last != first else w / 2), 1)

    def y(v: float) -> float:
        return round(top_pad + h * (1 - v / ticks[-1]), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" role="img" '
             f'aria-labelledby="chart-title" class="chart" font-family="sans-serif" font-size="12">',
             f'<title id="chart-title">{escape(chart.title)}</title>']
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y(t)}" y2="{y(t)}" stroke="#e5e6e7"/>')
        parts.append(f'<text x="{left - 6}" y="{y(t) + 4}" text-anchor="end">{_fmt(t)}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top_pad}" y2="{top_pad + h}" stroke="#505a5f"/>')
    parts.append(f'<line x1="{left}" x2="{left + w}" y1="{top_pad + h}" y2="{top_pad + h}" stroke="#505a5f"/>')
    # Time ticks: each year when the span is long, else each period shown.
    periods = sorted({(d, label) for s in chart.series for d, label, _ in s.points})
    if span > 3 * 366:
        marks = [(date(year, 1, 1), str(year)) for year in range(first.year + (first.month > 1), last.year + 1)]
    else:
        marks = periods
    step = max(1, math.ceil(len(marks) * 80 / max(w, 1)))  # no two labels closer than 80 px
    for i, (d, label) in enumerate(marks):
        parts.append(f'<line x1="{x(d)}" x2="{x(d)}" y1="{top_pad + h}" y2="{top_pad + h + 4}" stroke="#505a5f"/>')
        if i % step == 0:
            anchor = "start" if x(d) - left < 40 else "end" if left + w - x(d) < 40 else "middle"
            parts.append(f'<text x="{x(d)}" y="{top_pad + h + 18}" text-anchor="{anchor}">{escape(label)}</text>')
    parts.append(f'<text x="{left + w / 2}" y="{chart.height - 8}" text-anchor="middle" font-weight="bold">{escape(chart.x_label)}</text>')
    parts.append(f'<text transform="translate(14 {top_pad + h / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">{escape(chart.y_label)}</text>')
    for s in chart.series:
        run: list[str] = []
        segments = []
        for d, label, f in s.points:
            if f.available:
                run.append(f"{x(d)},{y(f.value)}")
            elif run:
                segments.append(run)
                run = []
        if run:
            segments.append(run)
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline fill="none" stroke="{s.colour}" stroke-width="2" points="{" ".join(seg)}"/>')
        for d, label, f in s.points:
            if f.available:
                parts.append(f'<circle cx="{x(d)}" cy="{y(f.value)}" r="3.5" fill="{s.colour}">'
                             f'<title>{escape(s.label)}, {escape(label)}: {escape(f.text())}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
