"""What a resource page shows, built from its Description: labels, links, grouped values."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..formats import Format
from ..uris import Minter
from .describe import INCOMING_PAGE, Description
from .labels import KNOWN_NAMES, best_label, curie


_DATASET = URIRef("http://purl.org/linked-data/cube#dataSet")


@dataclass(frozen=True)
class Term:
    """One node as a person sees it."""

    text: str
    href: str | None = None  # None for literals and blank nodes
    external: bool = False  # outside our URI space: a plain outbound link
    note: str = ""  # a literal's language or datatype
    uri: str = ""


@dataclass
class Row:
    prop: Term
    values: list[Term]


@dataclass
class IncomingGroup:
    prop: Term
    count: int
    subjects: list[Term]
    all_href: str | None = None  # the paged list of every link, when not all are shown


@dataclass
class ResourceView:
    uri: str
    title: str
    types: list[Term]
    rows: list[Row]
    incoming: list[IncomingGroup]
    incoming_truncated: bool
    alternates: list[tuple[Format, str]] = field(default_factory=list)
    paged: Term | None = None  # the property whose links this page pages through
    page: int = 1
    first_shown: int = 0  # the number of the first link on this page
    next_href: str | None = None
    prev_href: str | None = None
    document_url: str = ""


class Namer:
    """Turns nodes into Terms, knowing our base (local links) and the prefixes (CURIEs)."""

    def __init__(self, graph: Graph, minter: Minter, prefixes: dict[str, str]):
        self.graph = graph
        self.minter = minter
        self.prefixes = prefixes

    def term(self, node: Node) -> Term:
        if isinstance(node, Literal):
            return Term(str(node), note=literal_note(node, self.prefixes))
        if isinstance(node, BNode):
            return Term("(a structured value: see the RDF)")
        uri = str(node)
        text = best_label(self.graph, node) or KNOWN_NAMES.get(uri) or self.short(uri)
        if not linkable(uri):  # javascript:, data: and the like are shown, never followed
            return Term(text, uri=uri)
        return Term(text, href=uri, external=not self.minter.is_local(uri), uri=uri)

    def short(self, uri: str) -> str:
        """A name for a URI with no label: an observation by its codes, else a CURIE."""
        data = f"{self.minter.base}/data/"
        if uri.startswith(data) and uri.count("/") > data.count("/"):
            dataset, _, rest = uri[len(data):].partition("/")
            return f"{dataset}: " + ", ".join(unquote(part) for part in rest.split("/"))
        return curie(uri, self.prefixes)


# Datatypes a reader sees from the value itself: naming them only adds noise.
_PLAIN_TYPES = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "string", "integer", "decimal", "double", "boolean", "date", "dateTime", "gYear", "nonNegativeInteger")}


def literal_note(node: Literal, prefixes: dict[str, str]) -> str:
    """A literal's language or datatype, only where it tells the reader something.

    >>> literal_note(Literal("Burglary", lang="en"), {}), literal_note(Literal(3), {}), literal_note(Literal("x", lang="cy"), {})
    ('', '', 'cy')
    """
    if node.language:
        return "" if node.language.lower() in ("en", "en-gb") else node.language
    if node.datatype is not None and str(node.datatype) not in _PLAIN_TYPES:
        return curie(str(node.datatype), prefixes)
    return ""


LINKABLE = ("http:", "https:", "mailto:")


def linkable(uri: str) -> bool:
    """Whether an IRI may be an HTML link: only http(s) and mailto.

    >>> linkable("http://x/a"), linkable("HTTPS://x"), linkable("javascript:alert(1)"), linkable(" javascript:x")
    (True, True, False, False)
    """
    return uri.lower().startswith(LINKABLE)


def _sorted(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (t.text.lower(), t.uri))


def _observation_title(graph: Graph, node: URIRef, namer: Namer) -> str | None:
    """An observation, which has no label, by the labels of its dimension values and its dataset."""
    dataset = graph.value(node, _DATASET)
    if dataset is None:
        return None
    values = sorted(
        (namer.term(p).text, namer.term(o).text) for p, o in graph.predicate_objects(node)
        if isinstance(o, URIRef) and p not in (RDF.type, _DATASET) and best_label(graph, o)
    )
    name = best_label(graph, dataset) or namer.short(str(dataset))
    return f"{', '.join(v for _, v in values)} ({name})" if values else None


def incoming_href(document_url: str, prop: str, page: int = 1) -> str:
    """The page of `prop`'s links to a resource.

    >>> incoming_href("http://x/doc/a", "http://x/def/p", 2)
    'http://x/doc/a?incoming=http%3A%2F%2Fx%2Fdef%2Fp&page=2'
    """
    return f"{document_url}?{urlencode({'incoming': prop, **({'page': page} if page > 1 else {})})}"


def resource_view(
    description: Description, minter: Minter, prefixes: dict[str, str], document_url: str = ""
) -> ResourceView:
    graph, node = description.graph, description.uri
    namer = Namer(graph, minter, prefixes)
    types = _sorted([namer.term(t) for t in graph.objects(node, RDF.type)])

    by_prop: dict[URIRef, list[Term]] = {}
    for prop, value in graph.predicate_objects(node):
        # A blank node's own triples are not in the document: its row would say nothing.
        if prop != RDF.type and isinstance(prop, URIRef) and not isinstance(value, BNode):
            by_prop.setdefault(prop, []).append(namer.term(value))
    rows = sorted(
        (Row(namer.term(p), _sorted(values)) for p, values in by_prop.items()),
        key=lambda row: (row.prop.text.lower(), row.prop.uri),
    )

    incoming = []
    for prop, count in description.incoming_counts.items():
        if description.paged is not None and prop != description.paged:
            continue
        # Sorted within a page only: pages follow the store's order, which sorting all would cost.
        subjects = _sorted([namer.term(s) for s in graph.subjects(prop, node)])
        more = None
        if description.paged is None and len(subjects) < count and document_url:
            more = incoming_href(document_url, str(prop))
        incoming.append(IncomingGroup(namer.term(prop), count, subjects, more))
    incoming.sort(key=lambda g: (g.prop.text.lower(), g.prop.uri))

    title = best_label(graph, node) or _observation_title(graph, node, namer) or namer.short(str(node))
    view = ResourceView(str(node), title, types, rows, incoming, description.incoming_truncated,
                        document_url=document_url)
    if description.paged is not None:
        view.paged = namer.term(description.paged)
        view.page = description.page
        view.first_shown = (description.page - 1) * INCOMING_PAGE + 1
        if description.more:
            view.next_href = incoming_href(document_url, str(description.paged), description.page + 1)
        if description.page > 1:
            view.prev_href = incoming_href(document_url, str(description.paged), description.page - 1)
    return view
