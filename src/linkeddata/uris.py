"""Every URI the platform mints, and the mapping from a thing's URI to its document.

The URI space follows the UK public sector URI patterns:

    {base}/id/{concept}/{key}      a real-world thing or reference item  -> 303 to /doc/...
    {base}/def/{vocab}[/{term}]    a vocabulary term, code list or code  -> 303 to /doc/def/...
    {base}/data/{dataset}[/...]    a dataset, its structure, observations -> 200
    {base}/doc/...                 the document about an /id/ or /def/ URI -> 200
    {base}/graph/{name}            the named graph a release is stored in

>>> m = Minter("http://localhost:8000")
>>> m.id("month", "2019-01")
'http://localhost:8000/id/month/2019-01'
>>> m.document_for("http://localhost:8000/id/month/2019-01")
'http://localhost:8000/doc/month/2019-01'
>>> m.document_for("http://localhost:8000/def/crime/crime-type/burglary")
'http://localhost:8000/doc/def/crime/crime-type/burglary'
>>> m.thing_for("http://localhost:8000/doc/def/crime/crime-type")
'http://localhost:8000/def/crime/crime-type'
>>> m.expand("{base}/data/street-crime/{lsoa}/{month}", lsoa="E01000001", month="2019-01")
'http://localhost:8000/data/street-crime/E01000001/2019-01'
>>> slug("Criminal damage and arson")
'criminal-damage-and-arson'
>>> slug("Investigation complete; no suspect identified")
'investigation-complete-no-suspect-identified'
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from urllib.parse import quote

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9._~:-]*")


def slug(text: str) -> str:
    """A lower-case, hyphenated, ASCII slug: deterministic from the text."""
    return _NOT_SLUG.sub("-", text.strip().lower()).strip("-")


def segment(value: str) -> str:
    """Percent-encode one path segment, keeping what is already safe (codes, slugs, dates)."""
    if _SAFE_SEGMENT.fullmatch(value):
        return value  # the common case, and the hot path of a big build
    return quote(value, safe="-._~:")


@lru_cache(maxsize=256)
def _template_fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


# Code lists named like the dimension property that uses them: the scheme's own name.
CODE_LIST_NAMES = {("equality", "ethnicity"): "ethnicities", ("migration", "nationality"): "nationalities"}


class Minter:
    """Mints and parses URIs under one base. The only place that knows the URI patterns."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def id(self, concept: str, key: str) -> str:
        return f"{self.base}/id/{concept}/{segment(key)}"

    def def_(self, vocab: str, *terms: str) -> str:
        return "/".join([f"{self.base}/def/{vocab}", *(segment(t) for t in terms)])

    def code_list(self, vocab: str, name: str) -> str:
        """A code list (skos:ConceptScheme): `{base}/def/{vocab}/{name}`, unless that IRI is
        also a dimension property's, when it gets its own (one IRI, one thing). Its codes keep
        `{base}/def/{vocab}/{name}/{code}` either way."""
        return self.def_(vocab, CODE_LIST_NAMES.get((vocab, name), name))

    def data(self, dataset: str, *parts: str) -> str:
        return "/".join([f"{self.base}/data/{dataset}", *(segment(p) for p in parts)])

    def graph(self, name: str) -> str:
        return f"{self.base}/graph/{name}"

    def sparql(self) -> str:
        """The SPARQL endpoint, which is also the base IRI of the queries and updates it runs."""
        return f"{self.base}/sparql"

    def expand(self, template: str, **values: str) -> str:
        """Fill a mapping's URI template; `{base}` is the base, every other value one segment."""
        fields = _template_fields(template) - {"base"}
        try:
            return template.format(base=self.base, **{k: segment(values[k]) for k in fields})
        except KeyError as exc:
            raise KeyError(f"template {template!r} needs {exc.args[0]!r}") from None

    def is_local(self, uri: str) -> bool:
        return uri == self.base or uri.startswith(self.base + "/")

    def path(self, uri: str) -> str:
        """The path of a local URI, from the first slash after the base."""
        return uri[len(self.base):] or "/"

    def document_for(self, uri: str) -> str | None:
        """The document about an /id/ or /def/ URI; None when the URI is its own document."""
        path = self.path(uri) if self.is_local(uri) else None
        if path is None:
            return None
        if path.startswith("/id/"):
            return f"{self.base}/doc/{path[len('/id/'):]}"
        if path.startswith("/def/"):
            return f"{self.base}/doc/def/{path[len('/def/'):]}"
        return None

    def thing_for(self, document: str) -> str | None:
        """The /id/ or /def/ URI a /doc/ URI is about; None if it is not a /doc/ URI."""
        path = self.path(document) if self.is_local(document) else ""
        if path.startswith("/doc/def/"):
            return f"{self.base}/def/{path[len('/doc/def/'):]}"
        if path.startswith("/doc/"):
            return f"{self.base}/id/{path[len('/doc/'):]}"
        return None
