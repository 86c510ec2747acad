"""Worked example queries for the query page, grouped by the dataset they are about.

The README's examples are here word for word (a test checks), so what the README shows can be
run from the page, and every dataset has at least one. The short examples name the prefixes they
use and the page writes their PREFIX lines; the README's are whole queries.
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

# The README's worked examples, word for word with the base as {base} (tests/test_readme_queries.py
# checks both ways): at least one for every dataset, each under the datasets it reads.
WORKED: list[tuple[tuple[str, ...], str, str]] = [
    (('hate-crime', 'street-crime'), 'hate crime next to street crime', """# hate crime next to street crime
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sr: <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX crime: <{base}/def/crime/>
SELECT ?area ?name ?year ?hateCrimes ?streetCrimes WHERE {
  ?hate qb:dataSet <{base}/data/hate-crime> ;
        crime:hateCrimeStrand <{base}/def/crime/hate-crime-strand/total> ;
        sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?year ;
        sdmx-measure:obsValue ?hateCrimes .
  {
    SELECT ?area ?year (SUM(?n) AS ?streetCrimes) WHERE {
      ?street qb:dataSet <{base}/data/street-crime> ;
              sdmx-dimension:refArea/sr:within ?area ;
              sdmx-dimension:refPeriod/time:intervalDuring/time:intervalDuring ?year ;
              sdmx-measure:obsValue ?n .
      FILTER EXISTS { ?any qb:dataSet <{base}/data/hate-crime> ; sdmx-dimension:refPeriod ?year }
    } GROUP BY ?area ?year
  }
  ?area rdfs:label ?name .
} ORDER BY ?name ?year
"""),
    (('hate-crime-national',), 'hate crime in England and Wales by strand and year', """# hate crime in England and Wales by strand and year
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX crime: <{base}/def/crime/>
SELECT ?year ?strand ?offences ?note WHERE {
  ?obs qb:dataSet <{base}/data/hate-crime-national> ;
       sdmx-dimension:refPeriod ?year ;
       crime:hateCrimeStrand/skos:prefLabel ?strand .
  OPTIONAL { ?obs sdmx-measure:obsValue ?offences }
  OPTIONAL { ?obs rdfs:comment ?note }
} ORDER BY ?year ?strand
"""),
    (('hate-crime-monthly',), 'racially or religiously aggravated offences by financial year', """# racially or religiously aggravated offences by financial year
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?year (SUM(?n) AS ?offences) (COUNT(?obs) AS ?months) WHERE {
  ?obs qb:dataSet <{base}/data/hate-crime-monthly> ;
       sdmx-dimension:refPeriod/time:intervalDuring/time:intervalDuring ?year ;
       sdmx-measure:obsValue ?n .
  FILTER(STRSTARTS(STR(?year), "{base}/id/government-year/"))
} GROUP BY ?year ORDER BY ?year
"""),
    (('asylum-applications',), 'asylum applications by region over quarters', """# asylum applications by region over quarters
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX migration: <{base}/def/migration/>
SELECT ?quarter ?region (SUM(?n) AS ?applications) WHERE {
  ?obs qb:dataSet <{base}/data/asylum-applications> ;
       migration:asylumApplication <{base}/def/migration/asylum-application-raised/raised> ;
       sdmx-dimension:refPeriod/skos:notation ?quarter ;
       migration:nationality/skos:broader/skos:prefLabel ?region ;
       sdmx-measure:obsValue ?n .
} GROUP BY ?quarter ?region ORDER BY ?quarter DESC(?applications)
"""),
    (('crime-outcomes', 'street-crime'), 'from a crime to its outcomes', """# from a crime to its outcomes
PREFIX crime: <{base}/def/crime/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type ?recorded ?outcome ?when WHERE {
  VALUES ?crime { <{base}/id/crime/8450a0fd4f0641bb7e1a7f9e1394cb0f2209bf637939e8555f8e8ba64d2926bd> }
  ?crime a crime:Crime ; crime:crimeType/skos:prefLabel ?type ; crime:month/skos:notation ?recorded .
  ?event crime:crime ?crime ; crime:outcomeCategory/skos:prefLabel ?outcome ; crime:month/skos:notation ?when .
} ORDER BY ?when ?outcome
"""),
    (('resettlement',), 'resettlement per police force area', """# resettlement per police force area
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sr: <http://data.ordnancesurvey.co.uk/ontology/spatialrelations/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?area ?name (SUM(?n) AS ?people) WHERE {
  ?obs qb:dataSet <{base}/data/resettlement> ;
       sdmx-dimension:refArea/sr:within ?area ; sdmx-measure:obsValue ?n .
  ?area rdfs:label ?name .
} GROUP BY ?area ?name ORDER BY DESC(?people)
"""),
    (('asylum-decisions',), 'grants and refusals by nationality', """# grants and refusals by nationality
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX migration: <{base}/def/migration/>
SELECT ?nationality (SUM(?g) AS ?grants) (SUM(?r) AS ?refusals) WHERE {
  ?grant qb:dataSet <{base}/data/asylum-decisions> ;
         migration:caseOutcome <{base}/def/migration/case-outcome/grant> ;
         migration:nationality ?code ; sdmx-dimension:refPeriod ?quarter ; sdmx-measure:obsValue ?g .
  ?refusal qb:dataSet <{base}/data/asylum-decisions> ;
           migration:caseOutcome <{base}/def/migration/case-outcome/refused> ;
           migration:nationality ?code ; sdmx-dimension:refPeriod ?quarter ; sdmx-measure:obsValue ?r .
  ?code skos:prefLabel ?nationality .
} GROUP BY ?nationality ORDER BY DESC(?grants + ?refusals) LIMIT 10
"""),
    (('family-reunion',), 'family reunion visas by quarter and sex', """# family reunion visas by quarter and sex
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?quarter ?sex (SUM(?n) AS ?visas) WHERE {
  ?obs qb:dataSet <{base}/data/family-reunion> ;
       sdmx-dimension:refPeriod/skos:notation ?quarter ; sdmx-dimension:sex/skos:prefLabel ?sex ;
       sdmx-measure:obsValue ?n .
} GROUP BY ?quarter ?sex ORDER BY ?quarter ?sex
"""),
    (('police-workforce',), 'police officers: March and September 2019', """# police officers: March and September 2019
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX equality: <{base}/def/equality/>
SELECT ?force ?march ?september (?september - ?march AS ?change) WHERE {
  ?m qb:dataSet <{base}/data/police-workforce> ;
     sdmx-dimension:refPeriod <{base}/id/month/2019-03> ;
     equality:policeForce ?code ; sdmx-measure:obsValue ?march .
  ?s qb:dataSet <{base}/data/police-workforce> ;
     sdmx-dimension:refPeriod <{base}/id/month/2019-09> ;
     equality:policeForce ?code ; sdmx-measure:obsValue ?september .
  ?code skos:prefLabel ?force .
} ORDER BY DESC(?change)
"""),
    (('police-workforce', 'police-staff'), 'police officers and staff by force', """# police officers and staff by force
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX equality: <{base}/def/equality/>
SELECT ?force ?officers ?staff WHERE {
  ?o qb:dataSet <{base}/data/police-workforce> ;
     sdmx-dimension:refPeriod <{base}/id/month/2019-09> ;
     equality:policeForce ?code ; sdmx-measure:obsValue ?officers .
  ?s qb:dataSet <{base}/data/police-staff> ;
     sdmx-dimension:refPeriod <{base}/id/month/2019-09> ;
     equality:policeForce ?code ; sdmx-measure:obsValue ?staff .
  ?code skos:prefLabel ?force .
} ORDER BY DESC(?officers)
"""),
    (('use-of-force',), 'use of force by ethnicity', """# use of force by ethnicity
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX equality: <{base}/def/equality/>
PREFIX stat: <{base}/def/statistics/>
SELECT ?ethnicity (SUM(?n) AS ?times) (COUNT(?status) AS ?notReported) WHERE {
  ?obs qb:dataSet <{base}/data/use-of-force> ;
       equality:tactic <{base}/def/equality/use-of-force-tactic/all-tactics> ;
       equality:ethnicity/skos:prefLabel ?ethnicity .
  OPTIONAL { ?obs sdmx-measure:obsValue ?n }
  OPTIONAL { ?obs stat:observationStatus ?status }
} GROUP BY ?ethnicity ORDER BY DESC(?times)
"""),
    (('organogram-junior-posts', 'organogram-senior-posts'), 'senior posts and the junior posts under them', """# senior posts and the junior posts under them
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX organogram: <{base}/def/organogram/>
SELECT ?post ?title ?reportsTo (SUM(?fte) AS ?juniorPosts) WHERE {
  ?post a org:Post ;
        organogram:organisation <{base}/id/organisation/home-office> ;
        organogram:snapshotDate <{base}/id/day/2012-09-30> ;
        organogram:jobTitle ?title .
  OPTIONAL { ?post org:reportsTo/organogram:jobTitle ?reportsTo }
  ?obs qb:dataSet <{base}/data/organogram-junior-posts> ;
       organogram:reportingPost ?post ;
       organogram:fullTimeEquivalent ?fte .
} GROUP BY ?post ?title ?reportsTo ORDER BY DESC(?juniorPosts)
"""),
    (('stop-and-search', 'use-of-force'), 'stop and search and use of force by ethnic group per police force area', """# stop and search and use of force by ethnic group per police force area
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX geog: <{base}/def/geography/>
PREFIX equality: <{base}/def/equality/>
SELECT ?name ?group ?searches ?from ?to ?useOfForce WHERE {
  {
    SELECT ?area ?ethnicity (SUM(?n) AS ?searches) (MIN(?month) AS ?from) (MAX(?month) AS ?to) WHERE {
      ?search qb:dataSet <{base}/data/stop-and-search> ;
              sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod/skos:notation ?month ;
              equality:selfDefinedEthnicity/skos:broader ?ethnicity ;
              sdmx-measure:obsValue ?n .
    } GROUP BY ?area ?ethnicity
  }
  OPTIONAL {
    SELECT ?area ?ethnicity (SUM(?t) AS ?useOfForce) WHERE {
      ?force qb:dataSet <{base}/data/use-of-force> ;
             equality:tactic <{base}/def/equality/use-of-force-tactic/all-tactics> ;
             equality:policeForce/geog:policeForceArea ?area ;
             equality:ethnicity ?ethnicity ;
             sdmx-measure:obsValue ?t .
    } GROUP BY ?area ?ethnicity
  }
  ?area rdfs:label ?name .
  ?ethnicity skos:prefLabel ?group .
} ORDER BY ?name DESC(?searches)
"""),
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


# The datasets' headings on the query page, in the order shown.
HEADINGS = {
    "street-crime": "Street-level crime", "crime-outcomes": "Crime outcomes",
    "hate-crime": "Police recorded hate crime",
    "hate-crime-national": "Hate crime in England and Wales", "hate-crime-monthly": "Racially or religiously aggravated offences",
    "police-workforce": "Police officers (workforce)",
    "police-staff": "Police staff (workforce)", "use-of-force": "Police use of force",
    "asylum-applications": "Asylum applications (small boat arrivals)", "asylum-decisions": "Asylum initial decisions",
    "family-reunion": "Family reunion visas", "resettlement": "Resettlement",
    "organogram-junior-posts": "Home Office organogram: posts and reporting lines",
    "stop-and-search": "Stop and search",
}


def by_dataset(base: str) -> list[Group]:
    """The examples under the dataset each is first about, then reference data and the catalogue."""
    groups = []
    for name, heading in HEADINGS.items():
        found = _examples(base, _STREET_CRIME) if name == "street-crime" else []
        found += [Example(title, query.replace("{base}", base)) for datasets, title, query in WORKED if datasets[0] == name]
        if found:
            groups.append(Group(heading, f"{base}/data/{name}", found))
    return [
        *groups,
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
