"""A slice of a dataset chosen by query parameters, as SPARQL: shared by the page and the downloads.

    ?crimeType=<code URI>            observations with that value (repeat the key for any of several)
    ?refArea.within=<area URI>       observations whose value is sr:within that area

Keys are the local names of the dimensions (`refArea`, `refPeriod`, `crimeType`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from rdflib.namespace import QB
from starlette.datastructures import QueryParams

from ..namespaces import SR
from .datasets import DatasetInfo, Dimension
from .iri import sparql_iri
from .problems import WebError

CONTROL = {"page", "format"}


@dataclass(frozen=True)
class Filter:
    dimension: Dimension
    values: tuple[str, ...]
    within: bool = False

    @property
    def key(self) -> str:
        return self.dimension.key + (".within" if self.within else "")


def parse_filters(info: DatasetInfo, params: QueryParams) -> list[Filter]:
    filters = []
    for key in dict.fromkeys(params.keys()):
        if key in CONTROL:
            continue
        name, _, within = key.partition(".")
        dim = info.dimension(name)
        if dim is None or within not in ("", "within"):
            known = ", ".join(d.key for d in info.dimensions)
            raise WebError(400, "bad_filter", f"{key} is not a dimension of {info.title}; filter by one of: {known}")
        values = tuple(v for v in params.getlist(key) if v)
        for v in values:
            sparql_iri(v)  # raises BadIRI (a 400) for anything that is not an IRI
        if values:
            filters.append(Filter(dim, values, bool(within)))
    return filters


def query_string(filters: list[Filter], **extra: object) -> str:
    pairs = [(f.key, v) for f in filters for v in f.values]
    pairs += [(k, str(v)) for k, v in extra.items() if v is not None]
    return ("?" + urlencode(pairs)) if pairs else ""


def variables(info: DatasetInfo) -> list[str]:
    return [f"d{i}" for i in range(len(info.dimensions))]


def pattern(info: DatasetInfo, filters: list[Filter], extra: dict[int, str] | None = None) -> str:
    """The WHERE body binding ?o, ?d0..?dN and ?m (when there is a measure) for the slice."""
    lines = [f"?o <{QB.dataSet}> {sparql_iri(info.uri)} ."]
    for i, dim in enumerate(info.dimensions):
        lines.append(f"?o {sparql_iri(dim.uri)} ?d{i} .")
    if info.measure:
        lines.append(f"?o {sparql_iri(info.measure)} ?m .")
    index = {d.uri: i for i, d in enumerate(info.dimensions)}
    for f in filters:
        i = index[f.dimension.uri]
        values = " ".join(sparql_iri(v) for v in f.values)
        if f.within:
            lines.append(f"?d{i} <{SR.within}> ?w{i} . VALUES ?w{i} {{ {values} }}")
        else:
            lines.append(f"VALUES ?d{i} {{ {values} }}")
    for i, value in (extra or {}).items():
        lines.append(f"VALUES ?d{i} {{ {sparql_iri(value)} }}")
    # VALUES first: the store then starts from the few observations they select.
    return "\n".join(sorted(lines, key=lambda line: not line.startswith("VALUES")))


def estimate(info: DatasetInfo, filters: list[Filter]) -> int | None:
    """An upper bound on the slice's observations from the summary alone (None: unknown)."""
    bound = info.observations
    for f in filters:
        if f.within:
            counts = {w.area: w.count for w in f.dimension.within}
        else:
            counts = {v.uri: v.count for v in f.dimension.values}
        n = sum(counts.get(v, 0) for v in f.values)
        bound = n if bound is None else min(bound, n)
    return bound


def exact(info: DatasetInfo, filters: list[Filter]) -> int | None:
    """The slice's observation count when the summary alone knows it."""
    if not filters:
        return info.observations
    if len(filters) == 1:
        return estimate(info, filters)
    return None
