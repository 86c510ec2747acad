"""IC-7..IC-10 and IC-18: slice keys and slices, as the spec states them, one query each.

They look at a handful of structural triples (slice keys, slices, their observation lists),
never at every observation, so both validation paths run these same queries: on the graph,
and on a staged release (over the staged and context graphs together). Each answers with
the focus node and the values its shape's message names (shapes/cube.ttl).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rdflib.term import Node

from .queries import PREFIXES

Select = Callable[[str], list[dict[str, Node]]]

# code -> a SELECT of ?focus and the message's values
QUERIES = {
    "IC-7": """SELECT ?focus WHERE { ?focus a qb:SliceKey .
        FILTER NOT EXISTS { ?dsd a qb:DataStructureDefinition ; qb:sliceKey ?focus } }""",
    "IC-8": """SELECT ?focus ?dim WHERE { ?focus a qb:SliceKey ; qb:componentProperty ?dim . ?dsd qb:sliceKey ?focus .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?dim } }""",
    "IC-9": """SELECT DISTINCT ?focus WHERE {
        { ?focus a qb:Slice . FILTER NOT EXISTS { ?focus qb:sliceStructure ?key } }
        UNION { ?focus a qb:Slice ; qb:sliceStructure ?key, ?other . FILTER (?key != ?other) } }""",
    "IC-10": """SELECT ?focus ?dim WHERE { ?focus qb:sliceStructure/qb:componentProperty ?dim .
        FILTER NOT EXISTS { ?focus ?dim ?anyValue } }""",
    "IC-18": """SELECT ?focus ?dataset WHERE { ?dataset qb:slice/qb:observation ?focus .
        FILTER NOT EXISTS { ?focus qb:dataSet ?dataset } }""",
}


@dataclass(frozen=True)
class SliceFinding:
    code: str
    focus: Node
    values: tuple[tuple[str, Node], ...]


def slice_findings(select: Select, limit: int) -> list[SliceFinding]:
    found: list[SliceFinding] = []
    for code, query in QUERIES.items():
        for row in select(PREFIXES + query + f" LIMIT {limit}"):
            values = tuple((name, value) for name, value in row.items() if name != "focus" and value is not None)
            found.append(SliceFinding(code, row["focus"], values))
    return found[:limit]
