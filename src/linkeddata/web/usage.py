"""Which datasets use a code or have data for an area: read from the publish-time summaries.

A crime type, a month or an LSOA is a dimension value (`rdf:value` of a summary subset); a
police force area is what the values are `sr:within`. Each use links to the dataset view
filtered to it, so a researcher moves from an area or a code across datasets.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..store import Store
from ..uris import Minter
from .datasets import dataset_info, dataset_names


@dataclass(frozen=True)
class Use:
    dataset: str  # its URI
    title: str
    dimension: str  # label of the dimension
    within: bool  # True: data for areas within this one
    count: int  # observations
    total: float | None
    href: str  # the dataset view, filtered


def dataset_usage(store: Store, uri: str, minter: Minter) -> list[Use]:
    uses = []
    for name in dataset_names(store, minter):
        info = dataset_info(store, minter, name)
        if info is None:
            continue
        for dim in info.dimensions:
            for value in dim.values:
                if value.uri == uri:
                    href = f"{info.uri}?{urlencode({dim.key: uri})}"
                    uses.append(Use(info.uri, info.title, dim.label, False, value.count, value.total, href))
            for within in dim.within:
                if within.area == uri:
                    href = f"{info.uri}?{urlencode({dim.key + '.within': uri})}"
                    uses.append(Use(info.uri, info.title, dim.label, True, within.count, within.total, href))
    return uses
