"""The formats we read and write, each knowing its media type and file suffix.

One table for RDF documents and one for SPARQL results, so content negotiation, suffixes
and `?format=` are all answered from here.

>>> RDF_FORMATS["ttl"].media_type
'text/turtle'
>>> by_media_type("application/ld+json", RDF_FORMATS).key
'jsonld'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    key: str  # suffix and ?format= value
    media_type: str
    label: str
    aliases: tuple[str, ...] = ()  # other media types that mean the same

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


HTML = Format("html", "text/html", "HTML", ("application/xhtml+xml",))

RDF_FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("ttl", "text/turtle", "Turtle", ("application/x-turtle",)),
        Format("nt", "application/n-triples", "N-Triples", ("text/plain",)),
        Format("jsonld", "application/ld+json", "JSON-LD"),
        Format("rdf", "application/rdf+xml", "RDF/XML", ("application/xml",)),
        Format("nq", "application/n-quads", "N-Quads"),
    )
}

RESULT_FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("json", "application/sparql-results+json", "SPARQL JSON", ("application/json",)),
        Format("xml", "application/sparql-results+xml", "SPARQL XML", ("application/xml",)),
        Format("csv", "text/csv", "CSV"),
        Format("tsv", "text/tab-separated-values", "TSV"),
    )
}

OX_RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
}

RDFLIB_RESULTS = {"json": "json", "xml": "xml", "csv": "csv"}  # TSV is ours: rdflib has no writer


def by_media_type(media_type: str, table: dict[str, Format]) -> Format | None:
    media_type = media_type.split(";")[0].strip().lower()
    for fmt in table.values():
        if media_type in fmt.media_types:
            return fmt
    return None
