"""What a query or update would make the server fetch: SERVICE endpoints and LOAD sources.

The store would fetch any URL a query names in `SERVICE <...>` (pyoxigraph has an HTTP client),
so the endpoint refuses SERVICE unless the endpoint is on the allow-list, and LOAD always. The
decision is made from the parsed operation (rdflib's SPARQL parser and algebra, prefixes and
BASE resolved), never from the text, so no spelling of the text can hide a SERVICE:

>>> q = '''PREFIX ex: <http://ex.org/>
... # SERVICE <http://comment.example/> is a comment
... SELECT * WHERE { ?s ex:p "SERVICE <http://in.a.string/>"@en.SERVICE SILENT ex:sparql { ?s ?p ?o }
...   OPTIONAL { service <http://b.example/sparql> { } } }'''
>>> fetched(q).services
('http://ex.org/sparql', 'http://b.example/sparql')
>>> fetched("SELECT * { SERVICE ?where { ?s ?p ?o } }").services
(None,)
>>> fetched("PREFIX p:<x>LOAD<http://x.example/data.ttl>", update=True).load
True
>>> fetched('SELECT * { ?s <http://ex/service> ?o ; ?p "LOAD" }')
Fetches(services=(), load=False, checked=True)

Two places where the parsers could disagree are closed off:

- rdflib expands every `\\uXXXX` escape in the whole text before parsing (and reads `\\u`
  with eight digits), while pyoxigraph reads them only inside strings and IRIs. So the escapes
  are replaced by a plain letter before rdflib sees the text: the token structure is then the
  one pyoxigraph sees (an escaped SERVICE IRI no longer matches the allow-list: refused).
- A text rdflib cannot parse (pyoxigraph knows some extensions), a query longer than
  CHECK_LIMIT, or one that names SERVICE and declares BASE (a relative IRI could be resolved
  differently by the two parsers), is not checked (`checked=False`); it is refused if it holds the letters of
  SERVICE or LOAD in any case, the only way a parser can read those keywords (pyoxigraph reads
  no escapes in keywords). A text without those letters is not parsed at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseResults
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

_ESCAPE = re.compile(r"\\U[0-9A-Fa-f]{8}|\\[uU][0-9A-Fa-f]{4}")


@dataclass(frozen=True)
class Fetches:
    services: tuple[str | None, ...]
    """the SERVICE endpoints named, in order; None for one given by a variable"""
    load: bool
    """whether the operation holds a LOAD"""
    checked: bool = True
    """False when rdflib could not parse the text: then services and load are guesses (below)"""


# rdflib parses about 7 KB of a hard query a second: a longer anonymous query that names
# SERVICE is refused rather than parsed (updates come with the token, and are parsed whole).
CHECK_LIMIT = 10_000


def fetched(text: str, *, update: bool = False) -> Fetches:
    """What the query (or update) would fetch, from its parsed algebra."""
    lowered = text.lower()
    if "service" not in lowered and not (update and "load" in lowered):
        return Fetches((), False)  # keywords cannot be escaped: without these letters, no fetch
    if not update and len(text) > CHECK_LIMIT:
        return Fetches(("service",), False, checked=False)
    plain = _ESCAPE.sub("x", text)
    try:
        parsed = parseUpdate(plain) if update else parseQuery(plain)
        algebra: Any = (translateUpdate(parsed) if update else translateQuery(parsed)).algebra
        services: list[str | None] = []
        load = _walk(algebra, services)
        if services and _walk(parsed, [], name="Base"):
            # Two parsers may resolve a relative IRI differently: SERVICE is checked absolute only.
            return Fetches(tuple(services), load, checked=False)
    except Exception:  # noqa: BLE001  (rdflib raises many kinds; all mean "not understood")
        # Keywords cannot be escaped: a parser reads SERVICE or LOAD only from these letters.
        return Fetches(("service",) if "service" in lowered else (), update and "load" in lowered, checked=False)
    return Fetches(tuple(services), load)


def _walk(node: Any, services: list[str | None], name: str = "Load") -> bool:
    """Collect every SERVICE under `node` (subqueries, EXISTS and all); True if it holds a
    `name` (LOAD, or BASE in a parse tree). Iterative, so deep nesting cannot exhaust the stack."""
    found = False
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                term = item.get("term")
                services.append(None if term is None or isinstance(term, Variable) else str(term))
            elif item.name == name:
                found = True
            todo.extend(reversed(list(item.values())))
        elif isinstance(item, dict):
            todo.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple, ParseResults)):
            todo.extend(reversed(list(item)))
    return found
