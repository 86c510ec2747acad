"""Names for people: the best label of a node, or a CURIE when it has none.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS, SKOS
>>> g = Graph()
>>> x = URIRef("http://localhost:8000/id/month/2019-01")
>>> _ = g.add((x, RDFS.label, Literal("janvier 2019", lang="fr")))
>>> _ = g.add((x, RDFS.label, Literal("January 2019", lang="en")))
>>> best_label(g, x)
'January 2019'
>>> _ = g.add((x, SKOS.prefLabel, Literal("Jan 2019")))
>>> best_label(g, x)
'Jan 2019'
>>> curie("http://www.w3.org/2000/01/rdf-schema#label", {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
'rdfs:label'
>>> curie("http://example.org/x", {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
'http://example.org/x'
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

# In order of preference: a SKOS preferred label names a code better than its rdfs:label.
LABEL_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
# English first (the platform publishes in English), then untagged, then anything.
_LANGUAGE_RANK = {"en": 0, "en-gb": 0, None: 1}


def label_pattern(node: str, prop: str, label: str) -> str:
    """A SPARQL group binding `label` to each label of `node` and `prop` to its property.

    One UNION branch per property: the store answers that from its index, many times faster
    than `?node ?prop ?label VALUES ?prop {...}`, which reads every property of the node.

    >>> label_pattern("?o", "?lp", "?l").count("UNION")
    2
    """
    return " UNION ".join(f"{{ {node} <{p}> {label} BIND(<{p}> AS {prop}) }}" for p in LABEL_PROPERTIES)


def best_label(graph: Graph, node: Node) -> str | None:
    for prop in LABEL_PROPERTIES:
        labels = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]  # type: ignore[arg-type]
        if labels:
            # Sorting makes the choice the same on every request when there are several.
            labels.sort(key=lambda lit: (_LANGUAGE_RANK.get(lit.language and lit.language.lower(), 2), str(lit)))
            return str(labels[0])
    return None


# Names for the common properties of other vocabularies, whose own labels are not published
# here: a page says "same as", not owl:sameAs.
KNOWN_NAMES: dict[str, str] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": "value",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": "see also",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": "defined by",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": "sub-property of",
    "http://www.w3.org/2000/01/rdf-schema#range": "range",
    "http://www.w3.org/2000/01/rdf-schema#domain": "domain",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
    "http://www.w3.org/2002/07/owl#versionInfo": "version",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "preferred label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "other name",
    "http://www.w3.org/2004/02/skos/core#notation": "code",
    "http://www.w3.org/2004/02/skos/core#definition": "definition",
    "http://www.w3.org/2004/02/skos/core#inScheme": "in scheme",
    "http://www.w3.org/2004/02/skos/core#topConceptOf": "top concept of",
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": "top concept",
    "http://www.w3.org/2004/02/skos/core#broader": "broader",
    "http://www.w3.org/2004/02/skos/core#narrower": "narrower",
    "http://www.w3.org/2004/02/skos/core#exactMatch": "exact match",
    "http://www.w3.org/2004/02/skos/core#closeMatch": "close match",
    "http://data.ordnancesurvey.co.uk/ontology/spatialrelations/within": "within",
    "http://data.ordnancesurvey.co.uk/ontology/spatialrelations/contains": "contains",
    "http://www.w3.org/2006/time#hasBeginning": "begins",
    "http://www.w3.org/2006/time#hasEnd": "ends",
    "http://www.w3.org/2006/time#intervalDuring": "during",
    "http://www.w3.org/2006/time#inXSDDateTime": "date and time",
    "http://www.w3.org/2003/01/geo/wgs84_pos#lat": "latitude",
    "http://www.w3.org/2003/01/geo/wgs84_pos#long": "longitude",
    "http://www.opengis.net/ont/geosparql#hasGeometry": "geometry",
    "http://www.opengis.net/ont/geosparql#asWKT": "as WKT",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/description": "description",
    "http://purl.org/dc/terms/license": "licence",
    "http://purl.org/dc/terms/publisher": "publisher",
    "http://purl.org/dc/terms/issued": "issued",
    "http://purl.org/dc/terms/modified": "modified",
    "http://purl.org/dc/terms/identifier": "identifier",
    "http://purl.org/dc/terms/temporal": "period covered",
    "http://purl.org/dc/terms/spatial": "area covered",
    "http://purl.org/dc/terms/accrualPeriodicity": "updated",
    "http://purl.org/linked-data/cube#dataSet": "dataset",
    "http://purl.org/linked-data/cube#structure": "structure",
    "http://purl.org/linked-data/cube#component": "component",
    "http://purl.org/linked-data/cube#codeList": "code list",
    "http://www.w3.org/ns/dcat#keyword": "keyword",
    "http://www.w3.org/ns/dcat#distribution": "distribution",
    "http://www.w3.org/ns/prov#wasGeneratedBy": "generated by",
    "http://www.w3.org/ns/prov#generatedAtTime": "generated at",
    "http://www.w3.org/ns/prov#used": "used",
}


def curie(uri: str, prefixes: dict[str, str]) -> str:
    """`prefix:local` for the longest namespace that `uri` starts with, else the URI itself."""
    best = ""
    for prefix, namespace in prefixes.items():
        if uri.startswith(namespace) and len(uri) > len(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{uri[len(prefixes[best]):]}" if best else uri
