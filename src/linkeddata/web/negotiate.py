"""Content negotiation, in one place: which format a request gets, and what else is offered.

A request names its format in one of three ways, strongest first:

1. `?format=ttl` (the keys of `linkeddata.formats`),
2. a suffix on the path (`/doc/month/2019-01.ttl`),
3. the `Accept` header, with lists and q-values; `q=0` means "not this".

A media range that names the type exactly beats `type/*`, which beats `*/*`. When formats tie
on quality, the server's order of preference (the order of `offers`) decides.

>>> from linkeddata.formats import HTML, RDF_FORMATS
>>> offers = [HTML, RDF_FORMATS["ttl"], RDF_FORMATS["jsonld"]]
>>> choose(offers, "text/html;q=0.5, text/turtle").key
'ttl'
>>> choose(offers, "text/*;q=0.3, text/html;q=0.1, */*;q=0").key
'ttl'
>>> choose(offers, "application/ld+json, */*;q=0.1").key
'jsonld'
>>> choose(offers, None).key  # no Accept: the server's first choice
'html'
>>> choose(offers, "image/png") is None
True
>>> choose(offers, "text/html;q=0, */*") .key  # q=0 wins over the wildcard
'ttl'
>>> negotiate(offers, "text/html", format_key="jsonld").key
'jsonld'
>>> negotiate(offers, "text/html", format_key="csv")
Traceback (most recent call last):
...
linkeddata.web.negotiate.NotAcceptable: ?format=csv is not offered here. Offered: text/html (format=html), text/turtle (format=ttl), application/ld+json (format=jsonld)
>>> split_suffix("/doc/month/2019-01.ttl", ["ttl", "html"])
('/doc/month/2019-01', 'ttl')
>>> split_suffix("/doc/month/2019-01", ["ttl", "html"])
('/doc/month/2019-01', None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ..formats import Format


class NotAcceptable(Exception):
    """No offered format is acceptable; the message lists what is offered."""

    def __init__(self, asked: str, offered: Sequence[Format]):
        listing = ", ".join(f"{f.media_type} (format={f.key})" for f in offered)
        super().__init__(f"{asked} is not offered here. Offered: {listing}")
        self.offered = list(offered)


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, such as `text/*;q=0.5`."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`."""
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped, not fatal.

    >>> parse_accept("text/html;q=0.5, text/turtle, bogus, */*;q=x")
    [MediaRange(type='text', subtype='html', q=0.5), MediaRange(type='text', subtype='turtle', q=1.0)]
    """
    ranges = []
    for entry in header.split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        name = "*/*" if name == "*" else name.lower()  # some old clients send a bare "*"
        kind, slash, sub = name.partition("/")
        if not (kind and slash and sub):
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = -1.0  # a q we cannot read: drop the entry rather than guess
        if q >= 0:
            ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(fmt: Format, ranges: Iterable[MediaRange]) -> float:
    """How much the client wants `fmt`: the q of the most specific range naming any of its types."""
    best: tuple[int, float] | None = None
    for media_range in ranges:
        if any(media_range.matches(t) for t in fmt.media_types):
            rank = (media_range.specificity, media_range.q)
            if best is None or rank > best:
                best = rank
    return best[1] if best else 0.0


def choose(offers: Sequence[Format], accept: str | None) -> Format | None:
    """The offered format the Accept header prefers; None when none is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]  # nothing readable: answer as if Accept were absent
    scored = [(quality(fmt, ranges), -i, fmt) for i, fmt in enumerate(offers)]
    q, _, fmt = max(scored, key=lambda s: (s[0], s[1]))
    return fmt if q > 0 else None


def negotiate(
    offers: Sequence[Format],
    accept: str | None,
    *,
    suffix: str | None = None,
    format_key: str | None = None,
) -> Format:
    """The format to answer in; raise NotAcceptable (a 406) when nothing offered will do."""
    by_key = {f.key: f for f in offers}
    if format_key is not None:
        named = by_format_name(format_key, offers)
        if named is None:
            raise NotAcceptable(f"?format={format_key}", offers)
        return named
    if suffix is not None:
        if suffix not in by_key:
            raise NotAcceptable(f".{suffix}", offers)
        return by_key[suffix]
    chosen = choose(offers, accept)
    if chosen is None:
        raise NotAcceptable(f"Accept: {accept}", offers)
    return chosen


# Names SPARQL clients put in ?format= (SPARQLWrapper sends `turtle`, `json-ld`, `xml`, ...),
# each with the keys it may mean, in order: `xml` is SPARQL XML for a SELECT, RDF/XML for a graph.
_FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "turtle": ("ttl",), "n-triples": ("nt",), "ntriples": ("nt",), "json-ld": ("jsonld",),
    "rdfxml": ("rdf",), "rdf+xml": ("rdf",), "rdf/xml": ("rdf",), "xml": ("xml", "rdf"),
    "json": ("json", "jsonld"),
}


def by_format_name(value: str, offers: Sequence[Format]) -> Format | None:
    """The offer a `?format=` value names: a key, a media type, or a name clients use.

    >>> from linkeddata.formats import RDF_FORMATS, RESULT_FORMATS
    >>> graphs = list(RDF_FORMATS.values())
    >>> [by_format_name(v, graphs).key for v in ("ttl", "turtle", "text/turtle", "xml", "json")]
    ['ttl', 'ttl', 'ttl', 'rdf', 'jsonld']
    >>> by_format_name("xml", list(RESULT_FORMATS.values())).key
    'xml'
    """
    value = value.strip().lower()
    by_key = {f.key: f for f in offers}
    for key in (value, *_FORMAT_NAMES.get(value, ())):
        if key in by_key:
            return by_key[key]
    for fmt in offers:
        if value in fmt.media_types:
            return fmt
    return None


def split_suffix(path: str, keys: Iterable[str]) -> tuple[str, str | None]:
    """Split a known format suffix off the last path segment."""
    head, dot, tail = path.rpartition(".")
    if dot and "/" not in tail and tail in set(keys):
        return head, tail
    return path, None


def alternates(url: str, offers: Sequence[Format], chosen: Format) -> str:
    """A `Link` header value naming every other format of the document at `url`.

    >>> from linkeddata.formats import HTML, RDF_FORMATS
    >>> alternates("http://x/doc/a", [HTML, RDF_FORMATS["ttl"]], HTML)
    '<http://x/doc/a.ttl>; rel="alternate"; type="text/turtle"'
    """
    return ", ".join(
        f'<{url}.{f.key}>; rel="alternate"; type="{f.media_type}"' for f in offers if f is not chosen
    )


def content_type(fmt: Format) -> str:
    """The Content-Type header for a format; text types say they are UTF-8."""
    return f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type
