"""What a query or update would make the server fetch: SERVICE endpoints and LOAD sources.

The store would fetch any URL a query names in `SERVICE <...>` (pyoxigraph has an HTTP client),
so the endpoint refuses SERVICE unless the endpoint is on the allow-list, and LOAD always. The
text is scanned as SPARQL tokens, so the words inside strings, IRIs and comments do not count.

>>> q = '''PREFIX ex: <http://ex.org/>
... # SERVICE <http://comment.example/> is a comment
... SELECT * WHERE { ?s ex:p "SERVICE <http://in.a.string/>" .
...   SERVICE SILENT ex:sparql { ?s ?p ?o } service <http://b.example/sparql> { } }'''
>>> fetched(q)
(['http://ex.org/sparql', 'http://b.example/sparql'], False)
>>> fetched("SELECT * { SERVICE ?where { ?s ?p ?o } }")
(['?where'], False)
>>> fetched("LOAD <http://x.example/data.ttl> INTO GRAPH <http://g>")
([], True)
>>> fetched('SELECT * { ?s ex:service ?o ; ?p "LOAD" }')
([], False)
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
    | (?P<word>[A-Za-z_\u00c0-\uffff][A-Za-z0-9_.\u00b7-\uffff-]*(?::[^\s{}()\[\],;]*)?|:[^\s{}()\[\],;]*)
    | (?P<other>.)
    """,
    re.X | re.S,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]


def fetched(text: str) -> tuple[list[str], bool]:
    """The SERVICE endpoints a query or update names (IRIs, or `?var` when unknown until it
    runs), and whether it holds a LOAD."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    services: list[str] = []
    load = False
    for i, (kind, value) in enumerate(tokens):
        if kind != "word" or ":" in value:
            continue
        keyword = value.upper()
        if keyword == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif keyword == "LOAD":
            load = True
        elif keyword == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            if j >= len(tokens):
                continue
            target_kind, target = tokens[j]
            if target_kind == "iri":
                services.append(target[1:-1])
            elif target_kind == "word" and ":" in target:
                prefix, _, local = target.partition(":")
                services.append(prefixes[prefix] + local if prefix in prefixes else target)
            else:
                services.append(target)
    return services, load
