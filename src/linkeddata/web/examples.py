"""Worked example queries for the query page, grouped by the dataset they are about.

The README's two examples are here word for word (a test checks), so what the README shows can
be run from the page. Each example names the prefixes it uses; the page writes their PREFIX lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import all_prefixes


@dataclass(frozen=True)
class Example:
    title: str
    query: str


@dataclass(frozen=True)
class Group:
    dataset: str  # a heading: the dataset or kind of data the examples are about
    href: str | None
    examples: list[Example]


# The prefixes the datasets use, written at the top of the editor's first query.
EDITOR_PREFIXES = ["rdfs", "skos", "qb", "dcterms", "sdmx-dimension", "sdmx-measure", "crime", "sr", "geo"]

_STREET_CRIME = [
    (
        "Crimes by type in one LSOA (from the README)",
        ["sdmx-dimension", "sdmx-measure", "crime", "skos"],
        """SELECT ?type (SUM(?n) AS ?crimes) WHERE {
  ?obs sdmx-dimension:refArea <{base}/id/lsoa/E01000001> ;
       crime:crimeType/skos:prefLabel ?type ;
       sdmx-measure:obsValue ?n .
} GROUP BY ?type ORDER BY DESC(?crimes)""",
    ),
    (
        "Street crime rolled up from LSOAs to police force areas (from the README)",
        ["sdmx-dimension", "sdmx-measure", "sr", "rdfs", "qb"],
        """SELECT ?area ?name (SUM(?n) AS ?crimes) WHERE {
  ?obs qb:dataSet <{base}/data/street-crime> ;
       sdmx-dimension:refArea/sr:within ?area ; sdmx-measure:obsValue ?n .
  ?area rdfs:label ?name .
} GROUP BY ?area ?name ORDER BY DESC(?crimes)""",
    ),
    (
        "Street crime by type in January 2019",
        ["qb", "crime", "sdmx-dimension", "sdmx-measure"],
        """SELECT ?crimeType (SUM(?count) AS ?crimes) WHERE {
  ?obs qb:dataSet <{base}/data/street-crime> ;
       sdmx-dimension:refPeriod <{base}/id/month/2019-01> ;
       crime:crimeType ?crimeType ;
       sdmx-measure:obsValue ?count .
}
GROUP BY ?crimeType
ORDER BY DESC(?crimes)""",
    ),
    (
        "Crimes in one LSOA, with their last outcome",
        ["rdfs", "crime"],
        """SELECT ?crime ?label ?outcome WHERE {
  ?crime a crime:Crime ;
         crime:lsoa <{base}/id/lsoa/E01000914> ;
         rdfs:label ?label .
  OPTIONAL { ?crime crime:lastOutcomeCategory ?outcome }
}
LIMIT 100""",
    ),
    (
        "Is any bicycle theft recorded?",
        ["crime"],
        """ASK {
  ?crime crime:crimeType <{base}/def/crime/crime-type/bicycle-theft>
}""",
    ),
]

_REFERENCE = [
    (
        "Everything said about an LSOA, as a graph",
        [],
        """CONSTRUCT { ?lsoa ?p ?o } WHERE {
  BIND(<{base}/id/lsoa/E01000914> AS ?lsoa)
  ?lsoa ?p ?o .
}""",
    ),
    (
        "The crime types, with their notations",
        ["skos"],
        """SELECT ?type ?notation ?label WHERE {
  ?type skos:inScheme <{base}/def/crime/crime-type> ;
        skos:prefLabel ?label .
  OPTIONAL { ?type skos:notation ?notation }
}
ORDER BY ?label""",
    ),
]

_CATALOGUE = [
    (
        "The published datasets",
        ["qb", "dcterms"],
        """SELECT ?dataset ?title ?description WHERE {
  ?dataset a qb:DataSet ;
           dcterms:title ?title .
  OPTIONAL { ?dataset dcterms:description ?description }
}
ORDER BY ?title""",
    ),
    (
        "The published graphs and their sizes",
        [],
        """SELECT ?graph (COUNT(*) AS ?triples) WHERE {
  GRAPH ?graph { ?s ?p ?o }
}
GROUP BY ?graph
ORDER BY ?graph""",
    ),
]


def _examples(base: str, items: list[tuple[str, list[str], str]]) -> list[Example]:
    prefixes = all_prefixes(base)
    found = []
    for title, used, body in items:
        header = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in used)
        found.append(Example(title, header + body.replace("{base}", base)))
    return found


def by_dataset(base: str) -> list[Group]:
    return [
        Group("Street-level crime", f"{base}/data/street-crime", _examples(base, _STREET_CRIME)),
        Group("Reference data: areas, months, crime types", None, _examples(base, _REFERENCE)),
        Group("The catalogue and the graphs", None, _examples(base, _CATALOGUE)),
    ]


def examples(base: str) -> list[Example]:
    return [example for group in by_dataset(base) for example in group.examples]


def default_query(base: str) -> str:
    """The editor's starting query: every prefix the datasets use, then a first question."""
    prefixes = all_prefixes(base)
    header = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in EDITOR_PREFIXES)
    return header + "\nSELECT ?dataset ?title WHERE {\n  ?dataset a qb:DataSet ; dcterms:title ?title .\n}"
