"""Which datasets use a code or have data for an area: read from the publish-time summaries.

A crime type, a month or an LSOA is a dimension value (`rdf:value` of a summary subset); a
police force area is what the values are `sr:within`, and what the police force that polices it
(`geog:policeForceArea`) is a value of. Each use links to the dataset view filtered to it, so a
researcher moves from an area or a code across datasets. Figures obey the measure rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..namespaces import vocabularies
from ..store import Store
from ..uris import Minter
from .datasets import dataset_info, dataset_names, labels_of
from .measures import Figure, cube, facets, figure, within as within_of
from .release import per_release


@dataclass(frozen=True)
class Use:
    dataset: str  # its URI
    title: str
    dimension: str  # label of the dimension
    within: bool  # True: data for areas within this one
    count: int  # observations
    figure: Figure | None  # the measure over them, when it may be added up
    href: str  # the dataset view, filtered
    measure: str = ""  # what the measure counts
    via: str = ""  # the label of the thing the data is about, when not this (the area's force)


def _policing(store: Store, minter: Minter, area: str) -> dict[str, str]:
    """The police forces that police an area, with their labels (none for most resources)."""
    prop = vocabularies(minter.base).geography.policeForceArea

    def compute() -> dict[str, dict[str, str]]:
        # Every force and its area, once per release (a few dozen): a slot per page would not do.
        rows = store.select(f"SELECT ?f ?a WHERE {{ ?f <{prop}> ?a }}")
        labels = labels_of(store, sorted({str(r["f"]) for r in rows}))
        by_area: dict[str, dict[str, str]] = {}
        for r in rows:
            by_area.setdefault(str(r["a"]), {})[str(r["f"])] = labels.get(str(r["f"]), str(r["f"]))
        return by_area

    return per_release(store, "policing", compute).get(area, {})


def dataset_usage(store: Store, uri: str, minter: Minter) -> list[Use]:
    uses = []
    forces = _policing(store, minter, uri)
    for name in dataset_names(store, minter):
        info = dataset_info(store, minter, name)
        if info is None:
            continue
        figures = facets(store, info)
        for i, dim in enumerate(info.dimensions):
            for value in dim.values:
                if value.uri == uri or value.uri in forces:
                    href = f"{info.uri}?{urlencode({dim.key: value.uri})}"
                    via = forces.get(value.uri, "")
                    uses.append(Use(info.uri, info.title, dim.label, False, value.count,
                                    figures.get((i, value.uri)), href, info.measure_label, via))
            for within in dim.within:
                if within.area == uri:
                    href = f"{info.uri}?{urlencode({dim.key + '.within': uri})}"
                    # A figure over the areas within this one, under the measure rules.
                    fig = figure(info, cube(store, info), {i: within_of(store, [uri])})
                    uses.append(Use(info.uri, info.title, dim.label, True, within.count, fig, href, info.measure_label))
    return uses
