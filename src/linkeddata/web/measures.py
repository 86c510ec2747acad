"""What a dataset's figures may say: the one place that knows how a measure may be combined.

The structure a release publishes says it (ontology/statistics.ttl): on the measure's
component, `stat:additiveOver` each dimension it may be summed across; on a dimension's
component, `stat:totalCode` the codes that total others and `stat:allCode` the code that
stands for every value. An observation with `stat:observationStatus` has no value.

A figure is the measure over a selection of observations (some dimensions fixed to a value
or a few). For each dimension that still varies:

- it has an all-code among the selection: only that code's observations are read;
- the measure is additive over it: its total codes are left out and the rest added up;
- otherwise there is no figure (adding would count twice, or add snapshots in time).

Observations without a value are never read as 0: a figure carries how many of its parts
were not available, and a figure with no parts that have a value is "not available".

Small cubes (at most `SMALL` observations) are read whole once per release and every figure
is computed here; a large cube gets figures from the publish-time summary only when nothing
could make them wrong (additive over every dimension, no total codes, no statuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import QB

from ..namespaces import SR, vocabularies
from ..store import Store
from .iri import sparql_iri
from .release import per_release

if TYPE_CHECKING:
    from .datasets import DatasetInfo
    from .slices import Filter

SMALL = 200_000  # observations a cube may have to be read whole into memory


@dataclass(frozen=True)
class Rules:
    """How a dataset's measure may be combined, as its structure publishes it."""

    additive: frozenset[str] = frozenset()  # dimension IRIs the measure adds across
    totals: dict[str, frozenset[str]] = field(default_factory=dict)  # dimension -> total codes
    all_codes: dict[str, str] = field(default_factory=dict)  # dimension -> the code for all values
    status: str | None = None  # the status attribute, when observations may lack a value

    def simple(self, dimensions: Iterable[str]) -> bool:
        """Whether any sum of any observations is a true figure."""
        return self.status is None and not self.totals and all(d in self.additive for d in dimensions)

    def is_total(self, dimension: str, code: str) -> bool:
        return code in self.totals.get(dimension, ())


def read_rules(graph: Graph, structure: URIRef | None, base: str) -> Rules:
    """The rules from a graph holding the structure and its component specifications."""
    if structure is None:
        return Rules()
    stat = vocabularies(base).statistics
    additive: set[str] = set()
    totals: dict[str, set[str]] = {}
    all_codes: dict[str, str] = {}
    status = None
    for component in graph.objects(structure, QB.component):
        if graph.value(component, QB.measure) is not None:
            additive |= {str(d) for d in graph.objects(component, stat.additiveOver)}
        dim = graph.value(component, QB.dimension)
        if dim is not None:
            for code in graph.objects(component, stat.totalCode):
                totals.setdefault(str(dim), set()).add(str(code))
            for code in graph.objects(component, stat.allCode):
                totals.setdefault(str(dim), set()).add(str(code))
                all_codes[str(dim)] = str(code)
        attribute = graph.value(component, QB.attribute)
        if attribute == stat.observationStatus:
            status = str(attribute)
    return Rules(frozenset(additive), {d: frozenset(c) for d, c in totals.items()}, all_codes, status)


@dataclass(frozen=True)
class Figure:
    """The measure over some observations: what was added, and what could not be."""

    value: float
    valued: int  # observations whose value is in `value`
    missing: tuple[tuple[str, int], ...] = ()  # (status IRI, observations) without a value

    @property
    def available(self) -> bool:
        return self.valued > 0

    @property
    def unavailable(self) -> int:
        return sum(n for _, n in self.missing)

    def number(self, labels: dict[str, str] | None = None) -> str:
        """The sum, or the parts' status when none has a value: never a 0 for "not available".

        >>> Figure(1234.0, 3).number()
        '1,234'
        >>> Figure(0.0, 0, (("http://x/status/suppressed", 1),)).number({"http://x/status/suppressed": "Suppressed"})
        'suppressed'
        """
        if not self.available:
            names = {(labels or {}).get(s, s.rsplit("/", 1)[-1].replace("-", " ")).lower() for s, _ in self.missing}
            return " or ".join(sorted(names)) or "no observations"
        return f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,.2f}"

    def text(self, labels: dict[str, str] | None = None) -> str:
        """The number, and how many parts it could not count.

        >>> Figure(10.0, 1, (("http://x/status/not-available", 2),)).text()
        '10 (2 without a value)'
        """
        if self.available and self.missing:
            return f"{self.number(labels)} ({self.unavailable:,} without a value)"
        return self.number(labels)


@dataclass
class Cube:
    """A small dataset's observations in memory: dimension values, value, status, URI."""

    dimensions: list[str]
    rows: list[tuple[tuple[str, ...], float | None, str | None, str]]  # (values, value, status, observation)


def cube(store: Store, info: DatasetInfo) -> Cube | None:
    """The dataset's observations, read once per release, when it is small enough."""
    if info.observations is None or info.observations > SMALL or not info.measure:
        return None

    def compute() -> Cube:
        dims = [f"?d{i}" for i in range(len(info.dimensions))]
        lines = [f"?o <{QB.dataSet}> {sparql_iri(info.uri)} ."]
        lines += [f"?o {sparql_iri(d.uri)} ?d{i} ." for i, d in enumerate(info.dimensions)]
        lines.append(f"OPTIONAL {{ ?o {sparql_iri(info.measure or '')} ?m }}")
        if info.rules.status:
            lines.append(f"OPTIONAL {{ ?o {sparql_iri(info.rules.status)} ?s }}")
        rows = store.select(f"SELECT ?o {' '.join(dims)} ?m ?s WHERE {{ {' '.join(lines)} }}")
        out = []
        for r in rows:
            m = r.get("m")
            value = float(m.toPython()) if isinstance(m, Literal) else None
            status = str(r["s"]) if "s" in r else None
            out.append((tuple(str(r.get(d[1:], "")) for d in dims), value, status, str(r["o"])))
        return Cube([d.uri for d in info.dimensions], out)

    return per_release(store, f"cube:{info.name}", compute)


Selection = dict[int, frozenset[str]]  # dimension index -> the values chosen


def within(store: Store, areas: Iterable[str]) -> frozenset[str]:
    """Everything `sr:within` any of `areas` (an LSOA within a force area), once per release."""
    areas = tuple(sorted(areas))

    def compute() -> frozenset[str]:
        values = " ".join(sparql_iri(a) for a in areas)
        return frozenset(str(r["v"]) for r in store.select(
            f"SELECT ?v WHERE {{ VALUES ?w {{ {values} }} ?v <{SR.within}> ?w }}"))

    return per_release(store, "within:" + " ".join(areas), compute)


def selection(store: Store, info: DatasetInfo, filters: Iterable[Filter]) -> Selection:
    """The values each filtered dimension may take: those named, and those within an area named."""
    chosen: Selection = {}
    for f in filters:
        i = info.dimensions.index(f.dimension)
        values = within(store, f.values) if f.within else frozenset(f.values)
        chosen[i] = chosen[i] & values if i in chosen else values
    return chosen


def figure(info: DatasetInfo, data: Cube | None, chosen: Selection) -> Figure | None:
    """The measure over the observations `chosen` selects, or None when it may not be added."""
    if data is None:
        return _from_summary(info, chosen)
    rows = [r for r in data.rows if all(r[0][i] in values for i, values in chosen.items())]
    return combine(info.rules, data.dimensions, rows)


def combine(rules: Rules, dimensions: list[str], rows: list) -> Figure | None:
    for i, dim in enumerate(dimensions):
        values = {r[0][i] for r in rows}
        if len(values) <= 1:
            continue
        everything = rules.all_codes.get(dim)
        if everything in values:
            rows = [r for r in rows if r[0][i] == everything]
        elif dim in rules.additive:
            rows = [r for r in rows if not rules.is_total(dim, r[0][i])]
        else:
            return None
    total, valued, missing = 0.0, 0, {}
    for _, value, status, _ in rows:
        if value is not None:
            total += value
            valued += 1
        else:
            missing[status or ""] = missing.get(status or "", 0) + 1
    return Figure(total, valued, tuple(sorted(missing.items())))


def _from_summary(info: DatasetInfo, chosen: Selection) -> Figure | None:
    """A large cube: the summary's sums are true only when everything adds up (one value chosen)."""
    if not info.rules.simple(d.uri for d in info.dimensions):
        return None
    if not chosen:
        return Figure(info.total or 0.0, info.observations or 0) if info.total is not None else None
    if len(chosen) == 1:
        (i, values), = chosen.items()
        found = [v for v in info.dimensions[i].values if v.uri in values]
        if found and all(v.total is not None for v in found):
            return Figure(sum(v.total or 0.0 for v in found), sum(v.count for v in found))
    return None


def facets(store: Store, info: DatasetInfo) -> dict[tuple[int, str], Figure | None]:
    """The figure of every value of every dimension (for the value lists), once per release."""

    def compute() -> dict[tuple[int, str], Figure | None]:
        data = cube(store, info)
        out: dict[tuple[int, str], Figure | None] = {}
        for i, d in enumerate(info.dimensions):
            if data is None:
                for v in d.values:
                    out[(i, v.uri)] = figure(info, None, {i: frozenset([v.uri])})
                continue
            groups: dict[str, list] = {}
            for r in data.rows:
                groups.setdefault(r[0][i], []).append(r)
            for value, rows in groups.items():
                out[(i, value)] = combine(info.rules, data.dimensions, rows)
        return out

    return per_release(store, f"facets:{info.name}", compute)


def overall(store: Store, info: DatasetInfo) -> Figure | None:
    """The whole dataset's figure: the "(N in all)" of its page, when the rules allow one."""
    return per_release(store, f"overall:{info.name}", lambda: figure(info, cube(store, info), {}))


def facets_within(info: DatasetInfo, data: Cube, chosen: Selection) -> dict[tuple[int, str], tuple[int, Figure | None]]:
    """Facets of a selection, as a table view gives them: for each dimension, its values among the
    observations the *other* filters select, with how many and their figure."""
    out: dict[tuple[int, str], tuple[int, Figure | None]] = {}
    for i in range(len(info.dimensions)):
        others = {j: v for j, v in chosen.items() if j != i}
        groups: dict[str, list] = {}
        for r in data.rows:
            if all(r[0][j] in v for j, v in others.items()):
                groups.setdefault(r[0][i], []).append(r)
        for value, rows in groups.items():
            out[(i, value)] = (len(rows), combine(info.rules, data.dimensions, rows))
    return out
