"""Worked example queries for the query page, about the street-crime cube and its reference data."""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import all_prefixes


@dataclass(frozen=True)
class Example:
    title: str
    query: str


_EXAMPLES = [
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
    (
        "Everything said about an LSOA, as a graph",
        [],
        """CONSTRUCT { ?lsoa ?p ?o } WHERE {
  BIND(<{base}/id/lsoa/E01000914> AS ?lsoa)
  ?lsoa ?p ?o .
}""",
    ),
]


def examples(base: str) -> list[Example]:
    prefixes = all_prefixes(base)
    found = []
    for title, used, body in _EXAMPLES:
        header = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in used)
        found.append(Example(title, header + "\n" + body.replace("{base}", base)))
    return found
