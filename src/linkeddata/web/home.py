"""The home page: the published datasets, found by SPARQL, and the way to the query page."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, QB, RDF
from starlette.requests import Request
from starlette.responses import Response

from . import context
from .labels import best_label, curie
from .pages import render

router = APIRouter()

_DATASETS = f"""
CONSTRUCT {{ ?d a <{QB.DataSet}> ; ?lp ?label ; <{DCTERMS.description}> ?description . }}
WHERE {{
  ?d a <{QB.DataSet}> .
  OPTIONAL {{ ?d ?lp ?label . VALUES ?lp {{ <{DCTERMS.title}> <http://www.w3.org/2000/01/rdf-schema#label> }} }}
  OPTIONAL {{ ?d <{DCTERMS.description}> ?description . }}
}}
"""


@dataclass(frozen=True)
class DatasetCard:
    uri: str
    title: str
    description: str


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def home(request: Request) -> Response:
    graph = context.store(request).construct(_DATASETS)
    cards = []
    for dataset in graph.subjects(RDF.type, QB.DataSet):
        if not isinstance(dataset, URIRef):
            continue
        descriptions = sorted(str(d) for d in graph.objects(dataset, DCTERMS.description) if isinstance(d, Literal))
        title = best_label(graph, dataset) or curie(str(dataset), context.prefixes(request))
        cards.append(DatasetCard(str(dataset), title, descriptions[0] if descriptions else ""))
    cards.sort(key=lambda c: (c.title.lower(), c.uri))
    minter = context.minter(request)
    graphs = context.store(request).graphs()
    shapes = minter.graph("vocabulary/shapes")
    html = render(request, "home.html", {"datasets": cards, "graphs": graphs,
                                         "shapes_graph": shapes if shapes in graphs else None})
    return Response(html, media_type="text/html; charset=utf-8")
