"""The SPARQL a release is checked with on the store.

Observation patterns sit inside `GRAPH <staging>`: the other graphs given for context may
hold other data sets staged in the same run, whose observations are not this release's.
"""

from __future__ import annotations

from typing import Sequence

from rdflib.term import Node

from ..namespaces import DCAT, QB, RDF, SKOS

PREFIXES = f"PREFIX qb: <{QB}>\nPREFIX skos: <{SKOS}>\nPREFIX dcat: <{DCAT}>\nPREFIX rdf: <{RDF}>\n"


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def structure(staging: str) -> str:
    """The data sets, their structures and component specifications, and (from the
    vocabulary graphs) the component properties they use and the types of their code lists:
    everything but the observations."""
    return PREFIXES + f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{
    GRAPH <{staging}> {{
      {{ ?s a qb:DataSet }} UNION {{ ?s a dcat:Dataset }} UNION {{ ?s qb:structure ?anyStructure }}
      UNION {{ ?s a qb:DataStructureDefinition }} UNION {{ ?anyDataSet qb:structure ?s }}
      UNION {{ ?s a qb:ComponentSpecification }} UNION {{ ?anyStructure qb:component ?s }}
    }}
  }} UNION {{
    GRAPH <{staging}> {{ ?anySpec qb:dimension|qb:measure|qb:attribute ?s }}
  }} UNION {{
    # only the type of a code list: whether it is a concept scheme or a collection
    GRAPH <{staging}> {{ ?anySpec qb:dimension ?anyDimension }}
    ?anyDimension qb:codeList ?s .
    BIND (rdf:type AS ?p)
  }}
  ?s ?p ?o
}}"""


def orphans(staging: str, limit: int) -> str:
    """Observations with no data set of this release (IC-1); they belong to no chunk."""
    return PREFIXES + f"""
SELECT DISTINCT ?obs WHERE {{
  GRAPH <{staging}> {{
    {{ ?obs a qb:Observation }} UNION {{ ?obs qb:dataSet ?anyDataSet }}
    FILTER NOT EXISTS {{ ?obs qb:dataSet ?dataset . ?dataset a qb:DataSet }}
  }}
}} ORDER BY ?obs LIMIT {limit}"""


_CHUNK_TRIPLES = """CONSTRUCT {
  ?obs ?p ?o . ?o a ?type . ?o skos:inScheme ?scheme . ?collection skos:member ?o .
}"""

_CHUNK_CONTEXT = """
  OPTIONAL { ?o a ?type FILTER (?p != rdf:type) }
  OPTIONAL { ?o skos:inScheme ?scheme }
  OPTIONAL { ?collection skos:member ?o }"""


def key_counts(staging: str, dataset: Node, dimension: Node) -> str:
    """How many observations have each value of `dimension`: the sizes chunks are cut from."""
    return PREFIXES + f"""
SELECT ?key (COUNT(?obs) AS ?n) WHERE {{
  GRAPH <{staging}> {{ ?obs qb:dataSet <{dataset}> ; <{dimension}> ?key }}
  FILTER (!isBlank(?key))
}} GROUP BY ?key ORDER BY ?key"""


def chunk_by_key(staging: str, dataset: Node, dimension: Node, keys: Sequence[Node]) -> str:
    """The observations whose `dimension` value is one of `keys` (index lookups, no sorting),
    with the types and code list memberships of their values."""
    values = " ".join(k.n3() for k in keys)
    return PREFIXES + _CHUNK_TRIPLES + f""" WHERE {{
  VALUES ?key {{ {values} }}
  GRAPH <{staging}> {{ ?obs <{dimension}> ?key ; qb:dataSet <{dataset}> . ?obs ?p ?o }}{_CHUNK_CONTEXT}
}}"""


def chunk_after(staging: str, dataset: Node, after: str, size: int, lacking: Node | None) -> str:
    """The next `size` observations after IRI `after` (keyset paging) that have no value for
    `lacking`, the dimension chunks are cut by: those only a broken release has."""
    lacks = f"FILTER NOT EXISTS {{ ?obs <{lacking}> ?anyKey FILTER (!isBlank(?anyKey)) }}" if lacking else ""
    return PREFIXES + _CHUNK_TRIPLES + f""" WHERE {{
  {{
    SELECT ?obs WHERE {{
      GRAPH <{staging}> {{ ?obs qb:dataSet <{dataset}> {lacks} }}
      FILTER (isIRI(?obs) && STR(?obs) > {_string(after)})
    }} ORDER BY STR(?obs) LIMIT {size}
  }}
  GRAPH <{staging}> {{ ?obs ?p ?o }}{_CHUNK_CONTEXT}
}}"""


def _cell(staging: str, subject: str, dataset: Node, dimensions: Sequence[Node]) -> str:
    values = "".join(f" ; <{d}> ?v{i}" for i, d in enumerate(dimensions))
    return f"GRAPH <{staging}> {{ {subject} qb:dataSet <{dataset}>{values} }}"


def duplicates(staging: str, dataset: Node, dimensions: Sequence[Node], limit: int) -> str:
    """IC-12 across the whole cube: observations sharing every dimension value with another.

    Grouping is linear in the cube; the pairwise query of the contract is quadratic.
    """
    variables = " ".join(f"?v{i}" for i in range(len(dimensions)))
    return PREFIXES + f"""
SELECT ?obs ?other WHERE {{
  {{
    SELECT {variables} (MIN(STR(?o)) AS ?first) (MAX(STR(?o)) AS ?last) WHERE {{
      {_cell(staging, "?o", dataset, dimensions)}
    }} GROUP BY {variables} HAVING (COUNT(DISTINCT ?o) > 1)
  }}
  {_cell(staging, "?obs", dataset, dimensions)}
  BIND (IF(STR(?obs) = ?first, ?last, ?first) AS ?other)
}} ORDER BY ?obs LIMIT {limit}"""


def missing_measures(staging: str, dataset: Node, dimensions: Sequence[Node], measures: Sequence[Node], limit: int) -> str:
    """IC-17 across the whole cube: a cell of a measure dimension cube lacking a measure."""
    others = [d for d in dimensions if d != QB.measureType]
    values = " ".join(f"<{m}>" for m in measures)
    return PREFIXES + f"""
SELECT ?obs ?measure WHERE {{
  {_cell(staging, "?obs", dataset, others)}
  GRAPH <{staging}> {{ ?obs qb:measureType ?own }}
  VALUES ?measure {{ {values} }}
  FILTER (?measure != ?own)
  FILTER NOT EXISTS {{
    {_cell(staging, "?other", dataset, others)}
    GRAPH <{staging}> {{ ?other qb:measureType ?measure }}
  }}
}} ORDER BY ?obs ?measure LIMIT {limit}"""
