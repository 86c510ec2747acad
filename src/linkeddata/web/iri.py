"""Checking an IRI before it is written into a SPARQL query as `<...>`.

The web layer builds a few queries around IRIs taken from request paths. An IRIREF in SPARQL
may not hold spaces, control characters or any of `<>"{}|^\\``, and SPARQL decodes `\\u`
escapes before parsing, so a backslash could smuggle any of those in. We refuse all of them
rather than escape: none of them is ever in a URI this platform mints.

>>> sparql_iri("http://localhost:8000/id/month/2019-01")
'<http://localhost:8000/id/month/2019-01>'
>>> sparql_iri("http://localhost:8000/id/x> } ; DROP ALL ; <y")
Traceback (most recent call last):
...
linkeddata.web.iri.BadIRI: 'http://localhost:8000/id/x> } ; DROP ALL ; <y' cannot be an IRI: it contains '>'
"""

from __future__ import annotations

import re

_ILLEGAL = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class BadIRI(ValueError):
    pass


def check_iri(value: str) -> str:
    """The value unchanged when it is a legal absolute IRI; raise BadIRI otherwise."""
    bad = _ILLEGAL.search(value)
    if bad:
        raise BadIRI(f"{value!r} cannot be an IRI: it contains {bad.group()!r}")
    if not _SCHEME.match(value):
        raise BadIRI(f"{value!r} is not an absolute IRI")
    return value


def sparql_iri(value: str) -> str:
    return f"<{check_iri(value)}>"
