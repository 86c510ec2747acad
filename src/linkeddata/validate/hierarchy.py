"""IC-20 and IC-21: values of a dimension whose code list is a qb:HierarchicalCodeList.

A value must be reached from a qb:hierarchyRoot along the list's qb:parentChildProperty
(IC-20), or backwards along the property it is the owl:inverseOf (IC-21). The property is
data, and a SPARQL property path cannot take its predicate from a variable, so this writes
one query per (data set, dimension, list). Both validation paths use it: a graph is queried
as a whole, a staged release with the observations inside GRAPH <staging>.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rdflib import BNode, URIRef
from rdflib.term import Node

from .queries import PREFIXES

Select = Callable[[str], list[dict[str, Node]]]

_OWL = "http://www.w3.org/2002/07/owl#"


@dataclass(frozen=True)
class OffHierarchy:
    code: str  # IC-20 or IC-21
    observation: Node
    dataset: Node
    dimension: Node
    code_list: Node
    value: Node


def _hierarchies(select: Select, structure_graph: str | None) -> list[dict[str, Node]]:
    """Each (data set, dimension, hierarchical list, parent-child property) of the structures."""
    uses = "?dataset qb:structure/qb:component/qb:dimension ?dim ."
    if structure_graph is not None:
        uses = f"GRAPH <{structure_graph}> {{ {uses} }}"
    return select(PREFIXES + f"""
SELECT DISTINCT ?dataset ?dim ?list ?pcp ?inverse WHERE {{
  {uses}
  ?dim qb:codeList ?list .
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
  OPTIONAL {{ ?pcp <{_OWL}inverseOf> ?inverse }}
}}""")


def off_hierarchy(select: Select, limit: int, staging: str | None = None,
                  structure_graph: str | None = None) -> list[OffHierarchy]:
    """Observations whose value of a hierarchically coded dimension is not in the hierarchy.

    `staging`: the graph holding the observations (None: the whole graph queried)."""
    found: list[OffHierarchy] = []
    for row in _hierarchies(select, structure_graph or staging):
        pcp, inverse = row["pcp"], row.get("inverse")
        if isinstance(pcp, URIRef):
            code, path = "IC-20", f"{pcp.n3()}*"
        elif isinstance(pcp, BNode) and isinstance(inverse, URIRef):
            code, path = "IC-21", f"^{inverse.n3()}*"
        else:
            continue  # neither form the spec checks
        dataset, dim, code_list = row["dataset"], row["dim"], row["list"]
        observations = f"?obs qb:dataSet {dataset.n3()} ; {dim.n3()} ?v"
        if staging is not None:
            observations = f"GRAPH <{staging}> {{ {observations} }}"
        # the distinct values first: a cube of a million observations uses few
        rows = select(PREFIXES + f"""
SELECT ?obs ?v WHERE {{
  {{ SELECT DISTINCT ?v WHERE {{ {observations} }} }}
  FILTER NOT EXISTS {{ {code_list.n3()} qb:hierarchyRoot/{path} ?v }}
  {observations}
}} LIMIT {limit - len(found)}""")
        found += [OffHierarchy(code, r["obs"], dataset, dim, code_list, r["v"]) for r in rows]
        if len(found) >= limit:
            break
    return found
