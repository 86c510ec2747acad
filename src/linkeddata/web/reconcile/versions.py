"""The `dated` properties of an item, read from its dated versions: an organogram's post across
dates (`/id/organisation/home-office/post/2OSCT03`) has a version per date (`.../2OSCT03/2012-09-30`,
`dcterms:isVersionOf` it) that holds its unit, grade and the post it reports to on that date.

A query's property agrees with the value of any date (a spreadsheet of 2011 names the unit of
2011); data extension and preview give the values of the latest date (`Table.latest`, `Table.as_of`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rdflib.namespace import DCTERMS

from ...store import Store
from ..release_files import table as rows_of

if TYPE_CHECKING:
    from .names import Table


def load(store: Store, out: Table) -> None:
    snapshot = f"{out.base}/def/organogram/snapshotDate"
    for prop in (p for p in out.properties if p.dated):
        by_item: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # item -> date -> values
        for path in {p for _, p in prop.predicates}:
            for s, day, o in rows_of(store, f"""SELECT ?s ?d ?o WHERE {{
                    ?v <{DCTERMS.isVersionOf}> ?s ; <{snapshot}> ?d ; {path} ?o }}"""):
                item = out.items.get(s)
                if item is not None and prop.predicate(item.type.id) == path:
                    by_item[s][_day(day)].append(o.partition("\x00")[0])
        forward, latest, backward = {}, {}, defaultdict(list)
        for s, dates in by_item.items():
            newest_first = sorted(dates, reverse=True)  # ISO dates: the text order is the time order
            forward[s] = list(dict.fromkeys(v for d in newest_first for v in dates[d]))
            latest[s] = dates[newest_first[0]]
            out.as_of[s] = max(out.as_of.get(s, ""), newest_first[0])
            for value in forward[s]:
                backward[value].append(s)
        out.links[prop.id], out.latest[prop.id], out.linked[prop.id] = forward, latest, dict(backward)


def _day(uri: str) -> str:
    """A snapshot date's key: the last segment of its URI (`/id/day/2012-09-30`)."""
    return uri.rstrip("/").rsplit("/", 1)[-1]
