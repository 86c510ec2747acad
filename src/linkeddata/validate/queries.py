"""The SPARQL a release is checked with on the store: set-oriented, one query per constraint.

Each check scans the whole staged data set once and answers only with the focus nodes that
break the constraint (LIMITed to the problem cap), so every observation is checked whatever
the size of the cube; pySHACL then looks at just those (see release.py). A few cheap
aggregate *guards* prove that a costlier query would answer nothing; they never decide
that something is wrong, only whether the query that finds it needs to run.

Observation patterns sit inside `GRAPH <staging>`: the other graphs given for context may
hold other data sets staged in the same run, whose observations are not this release's.
Types, code lists and schemes may come from any of the graphs.
"""

from __future__ import annotations

from typing import Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..namespaces import DCAT, QB, RDF, RDFS, SKOS, XSD

PREFIXES = (
    f"PREFIX qb: <{QB}>\nPREFIX skos: <{SKOS}>\nPREFIX dcat: <{DCAT}>\nPREFIX rdf: <{RDF}>\n"
    f"PREFIX rdfs: <{RDFS}>\nPREFIX xsd: <{XSD}>\n"
)

# Datatypes whose lexical form a SPARQL cast checks (an ill-formed "x"^^xsd:integer fails
# sh:datatype in pySHACL; the cast fails the same way).
_CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime}


def structure(staging: str) -> str:
    """The data sets, their structures and component specifications, and (from the
    vocabulary graphs) the component properties they use and the types of their code lists:
    everything but the observations.

    Written flat, each branch a GRAPH of its own and no BIND: Virtuoso 7 answered the nested
    form (a UNION inside GRAPH, joined with a branch binding ?p by BIND) with a third of it."""
    in_staging = [
        "?s a qb:DataSet", "?s a dcat:Dataset", "?s qb:structure ?anyStructure",
        "?s a qb:DataStructureDefinition", "?anyDataSet qb:structure ?s",
        "?s a qb:ComponentSpecification", "?anyStructure qb:component ?s",
        "?anySpec qb:dimension|qb:measure|qb:attribute ?s",
        "?s a qb:DimensionProperty",  # IC-4, IC-5: every declared dimension, used or not
    ]
    branches = "\n    UNION ".join(f"{{ GRAPH <{staging}> {{ {pattern} }} }}" for pattern in in_staging)
    return PREFIXES + f"""
CONSTRUCT {{ ?s ?p ?o . ?list a ?type }} WHERE {{
  {{
    {branches}
    ?s ?p ?o
  }} UNION {{
    # only the type of a code list: whether it is a concept scheme or a collection
    GRAPH <{staging}> {{ ?anySpec qb:dimension ?anyDimension }}
    ?anyDimension qb:codeList ?list .
    ?list a ?type
  }}
}}"""


def extract(staging: str, observations: Sequence[URIRef]) -> str:
    """What the observation shapes need to see of `observations`: their own triples, and the
    types (with super-classes), schemes and collections of the values they use."""
    values = " ".join(o.n3() for o in observations)
    return PREFIXES + f"""
CONSTRUCT {{ ?obs ?p ?o . ?o a ?type . ?o skos:inScheme ?scheme . ?collection skos:member ?o . }}
WHERE {{
  VALUES ?obs {{ {values} }}
  GRAPH <{staging}> {{ ?obs ?p ?o }}
  OPTIONAL {{ ?o a/rdfs:subClassOf* ?type FILTER (?p != rdf:type) }}
  OPTIONAL {{ ?o skos:inScheme ?scheme }}
  OPTIONAL {{ ?collection skos:member+ ?o }}
}}"""


# -- SHACL Core property shapes (shapes/observations.ttl) as set-oriented queries ------------

def targets(staging: str, target_classes: Sequence[Node], target_subjects_of: Sequence[Node], var: str = "?f") -> str:
    """A group pattern binding `var` to each focus node of a shape, in the staged graph."""
    parts = [f"{{ {var} a {c.n3()} }}" for c in target_classes]
    parts += [f"{{ {var} {p.n3()} [] }}" for p in target_subjects_of]
    return f"GRAPH <{staging}> {{ {' UNION '.join(parts)} }}"


def lacking(staging: str, focus_pattern: str, path: Node, limit: int) -> str:
    """sh:minCount 1: focus nodes with no value on `path`."""
    return PREFIXES + f"""
SELECT DISTINCT ?f WHERE {{
  {{ {focus_pattern} }} MINUS {{ GRAPH <{staging}> {{ ?f {path.n3()} ?v }} }}
}} LIMIT {limit}"""


def value_counts(staging: str, path: Node) -> str:
    """Guard for sh:maxCount: as many distinct subjects as triples means none has two values."""
    return PREFIXES + f"""
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?f) AS ?subjects) WHERE {{ GRAPH <{staging}> {{ ?f {path.n3()} ?v }} }}"""


def too_many(staging: str, focus_pattern: str, path: Node, most: int, limit: int) -> str:
    """sh:maxCount: focus nodes with more than `most` values on `path`."""
    return PREFIXES + f"""
SELECT ?f (COUNT(DISTINCT ?v) AS ?n) WHERE {{
  GRAPH <{staging}> {{ ?f {path.n3()} ?v, ?other FILTER (?v != ?other) }}
  FILTER EXISTS {{ {focus_pattern} }}
}} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {most}) LIMIT {limit}"""


def subclasses(cls: Node) -> str:
    """`cls` and its sub-classes (sh:class accepts an instance of any)."""
    return PREFIXES + f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* {cls.n3()} }}"


def value_test(classes: Sequence[Node], datatype: Node | None, min_inclusive: Literal | None) -> str | None:
    """A SPARQL expression true of a value that breaks sh:class (any of `classes`, the class
    and its sub-classes) / sh:datatype / sh:minInclusive."""
    tests = []
    if classes:
        # a VALUES list: a property path per value costs a millisecond each
        tests.append(f"NOT EXISTS {{ VALUES ?class {{ {' '.join(c.n3() for c in classes)} }} ?v rdf:type ?class }}")
    if datatype is not None:
        test = f"!isLiteral(?v) || datatype(?v) != {datatype.n3()}"
        if datatype in _CASTABLE:
            test += f" || !COALESCE({datatype.n3()}(STR(?v)) = ?v, false)"
        tests.append(test)
    if min_inclusive is not None:
        tests.append(f"!COALESCE(?v >= {min_inclusive.n3()}, false)")
    return " || ".join(f"({t})" for t in tests) or None


def distinct_values(staging: str, path: Node) -> str:
    """The values used on `path` (a cube uses few)."""
    return PREFIXES + f"SELECT DISTINCT ?v WHERE {{ GRAPH <{staging}> {{ ?any {path.n3()} ?v }} }}"


def failing(values: Sequence[Node], test: str) -> str:
    """Those of `values` for which `test` holds."""
    listed = " ".join(v.n3() for v in values)
    return PREFIXES + f"SELECT ?v WHERE {{ VALUES ?v {{ {listed} }} FILTER ({test}) }}"


def using(staging: str, focus_pattern: str, path: Node, values: Sequence[Node], limit: int) -> str:
    """Focus nodes with one of `values` on `path`."""
    listed = " ".join(v.n3() for v in values)
    return PREFIXES + f"""
SELECT ?f ?v WHERE {{
  VALUES ?v {{ {listed} }}
  GRAPH <{staging}> {{ ?f {path.n3()} ?v }}
  FILTER EXISTS {{ {focus_pattern} }}
}} LIMIT {limit}"""


def not_in_list(code_list: Node, kind: Node) -> str:
    """IC-19's test of a value ?v: not a code of `code_list`, a skos:ConceptScheme or a
    skos:Collection (`kind`)."""
    if kind == SKOS.Collection:
        return f"NOT EXISTS {{ {code_list.n3()} skos:member+ ?v }}"
    return f"NOT EXISTS {{ ?v skos:inScheme {code_list.n3()} }}"


# -- per data set: the rules of shapes/cube.ttl, generated from its structure ----------------

def data_sets(staging: str) -> str:
    """Every value of qb:dataSet in the staged graph and how many observations name it."""
    return PREFIXES + f"""
SELECT ?dataset (COUNT(*) AS ?n) WHERE {{ GRAPH <{staging}> {{ ?obs qb:dataSet ?dataset }} }} GROUP BY ?dataset"""


def missing(staging: str, dataset: Node, component: Node, limit: int, unless: Sequence[Node] = ()) -> str:
    """IC-11, IC-13, IC-14: observations of `dataset` with no value for `component` (and,
    for a measure, none of the `unless` status attributes saying why it has none)."""
    excuses = "".join(f"\n  MINUS {{ GRAPH <{staging}> {{ ?obs {u.n3()} ?s }} }}" for u in unless)
    return PREFIXES + f"""
SELECT ?obs WHERE {{
  {{ GRAPH <{staging}> {{ ?obs qb:dataSet {dataset.n3()} }} }}
  MINUS {{ GRAPH <{staging}> {{ ?obs {component.n3()} ?v }} }}{excuses}
}} LIMIT {limit}"""


def below_threshold(staging: str, dataset: Node, measure: Node, threshold: int, limit: int) -> str:
    """DISCLOSURE: observations whose count is from 1 to the threshold minus one."""
    return PREFIXES + f"""
SELECT ?obs ?value WHERE {{
  GRAPH <{staging}> {{ ?obs qb:dataSet {dataset.n3()} ; {measure.n3()} ?value }}
  FILTER (isNumeric(?value) && ?value > 0 && ?value < {threshold})
}} LIMIT {limit}"""


def _cell(staging: str, subject: str, dataset: Node, dimensions: Sequence[Node]) -> str:
    values = "".join(f" ; {d.n3()} ?v{i}" for i, d in enumerate(dimensions))
    return f"GRAPH <{staging}> {{ {subject} qb:dataSet {dataset.n3()}{values} }}"


def duplicate_cells(staging: str, dataset: Node, dimensions: Sequence[Node], limit: int) -> str:
    """IC-12 across the whole cube: the cells (dimension values) of more than one observation.

    Grouping is linear in the cube; the pairwise query of the contract is quadratic.
    """
    variables = " ".join(f"?v{i}" for i in range(len(dimensions)))
    return PREFIXES + f"""
SELECT {variables} WHERE {{
  {_cell(staging, "?o", dataset, dimensions)}
}} GROUP BY {variables} HAVING (COUNT(DISTINCT ?o) > 1) LIMIT {limit}"""


def cell_members(staging: str, dataset: Node, dimensions: Sequence[Node], cells: Sequence[Sequence[Node]]) -> str:
    """The observations of the given cells."""
    variables = " ".join(f"?v{i}" for i in range(len(dimensions)))
    rows = " ".join("(" + " ".join(v.n3() for v in cell) + ")" for cell in cells)
    return PREFIXES + f"""
SELECT ?obs {variables} WHERE {{
  VALUES ({variables}) {{ {rows} }}
  {_cell(staging, "?obs", dataset, dimensions)}
}}"""


def duplicates_of_incomplete(staging: str, dataset: Node, observation: URIRef, dimensions: Sequence[Node],
                             present: Node | None, value: Node | None, lacking: Sequence[URIRef], limit: int) -> str:
    """IC-12 for an observation lacking a dimension (which no cell groups): as the contract
    says, any other observation of the data set whose values differ on no dimension. The
    candidates share the observation's value of a dimension it has (`present`), or are among
    `lacking`, the observations known to have no value for it."""
    dims = " ".join(d.n3() for d in dimensions)
    this = observation.n3()
    candidates = ""
    if present is not None and value is not None:
        known = " ".join(o.n3() for o in lacking)
        candidates = f"{{ GRAPH <{staging}> {{ ?other {present.n3()} {value.n3()} }} }} UNION {{ VALUES ?other {{ {known} }} }}"
    return PREFIXES + f"""
SELECT DISTINCT ?other WHERE {{
  {candidates}
  GRAPH <{staging}> {{ ?other qb:dataSet {dataset.n3()} }}
  FILTER (?other != {this})
  FILTER EXISTS {{ VALUES ?shared {{ {dims} }} GRAPH <{staging}> {{ {this} ?shared [] . ?other ?shared [] }} }}
  FILTER NOT EXISTS {{
    VALUES ?dim {{ {dims} }}
    GRAPH <{staging}> {{ {this} ?dim ?mine . ?other ?dim ?theirs }}
    FILTER (!sameTerm(?mine, ?theirs))
  }}
}} LIMIT {limit}"""


def measure_type_unmet(staging: str, dataset: Node, limit: int) -> str:
    """IC-15: observations with no value for the measure their qb:measureType names."""
    return PREFIXES + f"""
SELECT ?obs ?measure WHERE {{
  GRAPH <{staging}> {{
    ?obs qb:dataSet {dataset.n3()} ; qb:measureType ?measure .
    FILTER NOT EXISTS {{ ?obs ?measure ?anyValue }}
  }}
}} LIMIT {limit}"""


def other_measures(staging: str, dataset: Node, measures: Sequence[Node], limit: int) -> str:
    """IC-16: observations with a value for a measure their qb:measureType does not name."""
    values = " ".join(m.n3() for m in measures)
    return PREFIXES + f"""
SELECT ?obs ?measureType ?measure WHERE {{
  VALUES ?measure {{ {values} }}
  GRAPH <{staging}> {{
    ?obs ?measure ?anyValue ; qb:dataSet {dataset.n3()} ; qb:measureType ?measureType .
  }}
  FILTER (?measure != ?measureType)
}} LIMIT {limit}"""


def missing_measures(staging: str, dataset: Node, dimensions: Sequence[Node], measures: Sequence[Node], limit: int) -> str:
    """IC-17 across the whole cube: a cell of a measure dimension cube lacking a measure."""
    others = [d for d in dimensions if d != QB.measureType]
    values = " ".join(m.n3() for m in measures)
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
}} LIMIT {limit}"""
