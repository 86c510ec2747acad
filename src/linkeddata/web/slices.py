"""A slice of a dataset chosen by query parameters, as SPARQL: shared by the page and the downloads.

    ?crimeType=<code URI>            observations with that value (repeat the key for any of several)
    ?crimeType=burglary              the same by the code's short form: the last part of its URI,
                                     which is its notation (a GSS code, YYYY-MM, a slug)
    ?refArea.within=<area URI>       observations whose value is sr:within that area (or E23000034)

Keys are the local names of the dimensions (`refArea`, `refPeriod`, `crimeType`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from rdflib.namespace import QB
from starlette.datastructures import QueryParams

from ..namespaces import SR
from .datasets import DatasetInfo, Dimension
from .iri import sparql_iri
from .problems import WebError

CONTROL = {"page", "format", "sort"}


@dataclass(frozen=True)
class Filter:
    dimension: Dimension
    values: tuple[str, ...]
    within: bool = False

    @property
    def key(self) -> str:
        return self.dimension.key + (".within" if self.within else "")


# Finds the URIs among `known` whose name is exactly `text` (the search index answers it).
Names = Callable[[str, set[str]], list[str]]


def parse_filters(info: DatasetInfo, params: QueryParams, names: Names | None = None) -> list[Filter]:
    filters = []
    for key in dict.fromkeys(params.keys()):
        if key in CONTROL:
            continue
        name, _, within = key.partition(".")
        dim = info.dimension(name)
        if dim is None or within not in ("", "within"):
            known = ", ".join(d.key for d in info.dimensions)
            raise WebError(400, "bad_filter", f"{key} is not a dimension of {info.title}; filter by one of: {known}")
        values = tuple(_resolve(dim, v, bool(within), names) for v in params.getlist(key) if v)
        if values:
            filters.append(Filter(dim, values, bool(within)))
    return filters


def short(uri: str) -> str:
    """A code's short form: the last segment of its URI (its notation for every code we mint).

    >>> short("http://localhost:8000/id/lsoa/E01000001")
    'E01000001'
    """
    return uri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _resolve(dim: Dimension, value: str, within: bool, names: Names | None = None) -> str:
    """A filter value as an IRI: given as one, or as a short code of the dimension's values."""
    if "://" in value or value.startswith("urn:"):
        sparql_iri(value)  # raises BadIRI (a 400) for anything that is not an IRI
        return value
    known = [w.area for w in dim.within] if within else [v.uri for v in dim.values]
    found = [u for u in known if short(u).lower() == value.lower()]
    if not found and names is not None:
        # An exact name (what a person types in the area field without the type-ahead).
        found = [u for u in names(value, set(known))]
    if len(found) != 1:
        examples = ", ".join(short(u) for u in known[:5])
        what = "an area its values are within" if within else "a value"
        raise WebError(400, "bad_filter", f"{value!r} is not {what} of {dim.label}"
                       + (f"; give a code such as {examples}, or a full IRI" if examples else ""))
    return found[0]


def query_string(filters: list[Filter], **extra: object) -> str:
    pairs = [(f.key, v) for f in filters for v in f.values]
    pairs += [(k, str(v)) for k, v in extra.items() if v is not None]
    return ("?" + urlencode(pairs)) if pairs else ""


def variables(info: DatasetInfo) -> list[str]:
    return [f"d{i}" for i in range(len(info.dimensions))]


def pattern(info: DatasetInfo, filters: list[Filter], extra: dict[int, str] | None = None) -> str:
    """The WHERE body binding ?o, ?d0..?dN, ?m (the value, if any) and ?s (the status, if any)."""
    lines = [f"?o <{QB.dataSet}> {sparql_iri(info.uri)} ."]
    for i, dim in enumerate(info.dimensions):
        lines.append(f"?o {sparql_iri(dim.uri)} ?d{i} .")
    # Every observation, with its value or its status: one without a value is never dropped.
    if info.measure:
        lines.append(f"OPTIONAL {{ ?o {sparql_iri(info.measure)} ?m }}")
    if info.rules.status:
        lines.append(f"OPTIONAL {{ ?o {sparql_iri(info.rules.status)} ?s }}")
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
    # OPTIONALs last: they join onto the observations the rest select.
    return "\n".join(sorted(lines, key=lambda line: (not line.startswith("VALUES"), line.startswith("OPTIONAL"))))


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
