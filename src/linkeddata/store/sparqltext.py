"""What the endpoint needs to know of a query's text before a store runs it, read from its tokens.

No store engine tells us these, and a full parser (rdflib's) costs 20 ms to seconds per query,
so the text is cut into SPARQL tokens (strings, IRIs and comments kept whole, so a keyword in
them is not a keyword) and read for three things:

    query_dataset(sparql, base)     the query's own FROM / FROM NAMED, resolved (None: it names none)
    having_alias(sparql)            a HAVING that reads a SELECT alias (unbound there: no group passes)
    with_using(update, using, ...)  the protocol's using-graph-uri as USING clauses of each operation

    >>> query_dataset("PREFIX g: <http://e/g/> SELECT * FROM g:1 FROM NAMED <two> { ?s ?p ?o }", "http://e/sparql")
    (['http://e/g/1'], ['http://e/two'])
    >>> query_dataset("SELECT ?from { ?s <http://e/from> ?from } # FROM <x>", None) is None
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*|[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL | re.UNICODE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # iri, var, name (keyword or prefixed name), string, other
    text: str
    start: int
    end: int

    def keyword(self, *words: str) -> bool:
        return self.kind == "name" and self.text.upper() in words


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return found


def _has_word(text: str, word: str) -> bool:
    """A cheap test before tokenising: most queries have no FROM, HAVING or USING at all."""
    return re.search(rf"(?i)\b{word}\b", text) is not None


def query_dataset(sparql: str, base_iri: str | None) -> tuple[list[str], list[str]] | None:
    """The graphs the query's own FROM and FROM NAMED clauses name, as absolute IRIs (prefixed
    names expanded, relative IRIs resolved against BASE or `base_iri`); None when it has none."""
    if not _has_word(sparql, "FROM"):
        return None
    base = base_iri or ""
    prefixes: dict[str, str] = {}
    default: list[str] = []
    named: list[str] = []
    found = tokens(sparql)
    i = 0
    while i < len(found):
        token = found[i]
        following = found[i + 1:i + 3]
        if token.keyword("BASE") and following and following[0].kind == "iri":
            base = urljoin(base, following[0].text[1:-1])
        elif token.keyword("PREFIX") and len(following) == 2 and following[1].kind == "iri":
            prefixes[following[0].text.rstrip(":")] = urljoin(base, following[1].text[1:-1])
        elif token.keyword("FROM") and following:
            into = default
            if following[0].keyword("NAMED"):
                into, following = named, following[1:]
            iri = _iri(following[0], prefixes, base) if following else None
            if iri is not None:
                into.append(iri)
        i += 1
    return (default, named) if default or named else None


def without_dataset(sparql: str) -> str:
    """The query without its FROM / FROM NAMED clauses: for a server given the dataset as protocol
    parameters, which Virtuoso adds to the query's own instead of replacing them.

    >>> without_dataset("SELECT * FROM <a> FROM NAMED p:b WHERE { ?s ?p ?o }")
    'SELECT *   WHERE { ?s ?p ?o }'
    """
    if not _has_word(sparql, "FROM"):
        return sparql
    found = tokens(sparql)
    cuts: list[tuple[int, int]] = []
    for i, token in enumerate(found):
        if token.keyword("FROM"):
            last = i + 2 if i + 1 < len(found) and found[i + 1].keyword("NAMED") else i + 1
            if last < len(found):
                cuts.append((token.start, found[last].end))
    for start, end in reversed(cuts):
        sparql = sparql[:start] + sparql[end:]
    return sparql


def declares_base(sparql: str) -> bool:
    """Whether the text declares its own BASE (Virtuoso refuses a second one before it)."""
    return _has_word(sparql, "BASE") and any(t.keyword("BASE") for t in tokens(sparql))


def _iri(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "name" and ":" in token.text:
        prefix, local = token.text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None  # malformed: the engine says so


@dataclass(frozen=True)
class HavingAlias:
    variable: str
    expression: str

    def message(self) -> str:
        return (
            f"HAVING reads {self.variable}, which SELECT names with ({self.expression} AS {self.variable}): "
            "SPARQL evaluates HAVING before SELECT's expressions, so the variable is unbound there and no "
            f"group would pass. Write the expression itself in HAVING, e.g. HAVING ({self.expression} > ...)"
        )


def having_alias(sparql: str) -> HavingAlias | None:
    """The first SELECT alias a HAVING of the same (sub)query reads, or None.

    >>> having_alias("SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s HAVING (?n > 1)").expression
    'COUNT(*)'
    >>> having_alias("SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)") is None
    True
    """
    if not _has_word(sparql, "HAVING"):
        return None
    found = tokens(sparql)
    depth = 0
    # Per brace depth, the aliases of the last SELECT clause seen there: a query's HAVING comes
    # after its pattern closes, back at the depth of its SELECT.
    aliases: dict[int, dict[str, str]] = {}
    i = 0
    while i < len(found):
        token = found[i]
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            aliases.pop(depth, None)
            depth -= 1
        elif token.keyword("SELECT"):
            aliases[depth], i = _projection(sparql, found, i + 1)
            continue
        elif token.keyword("GROUP"):
            # GROUP BY (expr AS ?v) binds ?v before HAVING: a HAVING may read it.
            j = i + 1
            while j < len(found) and not found[j].keyword("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES") and found[j].text not in "{}":
                if found[j].keyword("AS") and j + 1 < len(found):
                    aliases.get(depth, {}).pop(found[j + 1].text[1:], None)
                j += 1
        elif token.keyword("HAVING"):
            own = aliases.get(depth, {})
            j = i + 1
            while j < len(found) and not found[j].keyword("ORDER", "LIMIT", "OFFSET", "VALUES") and found[j].text not in "{}":
                if found[j].kind == "var" and found[j].text[1:] in own:
                    return HavingAlias(found[j].text, own[found[j].text[1:]])
                j += 1
        i += 1
    return None


def _projection(sparql: str, found: list[Token], i: int) -> tuple[dict[str, str], int]:
    """The `(expr AS ?v)` of a SELECT clause starting at token i: {v: expr}, and where it ends."""
    aliases: dict[str, str] = {}
    opened: list[int] = []  # token index of each open parenthesis
    while i < len(found):
        token = found[i]
        if not opened and (token.keyword("WHERE") or token.text == "{"):
            break
        if token.text == "(":
            opened.append(i)
        elif token.text == ")" and opened:
            start = opened.pop()
            if not opened and i - start >= 4 and found[i - 2].keyword("AS") and found[i - 1].kind == "var":
                expression = sparql[found[start + 1].start:found[i - 2].start].strip()
                aliases[found[i - 1].text[1:]] = expression
        i += 1
    return aliases, i


class UsingConflict(ValueError):
    """using-graph-uri given for an update that names its own USING or WITH."""


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri written as USING
    clauses before the WHERE of each DELETE/INSERT operation (the protocol's meaning of them).

    >>> with_using("INSERT { GRAPH <g> { ?s ?p 1 } } WHERE { ?s ?p ?o }", ["http://e/a"], [])
    'INSERT { GRAPH <g> { ?s ?p 1 } } USING <http://e/a> WHERE { ?s ?p ?o }'
    """
    if not using and not using_named:
        return update
    clauses = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
    found = tokens(update)
    depth = 0
    cuts: list[int] = []
    for i, token in enumerate(found):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.keyword("USING", "WITH"):
            raise UsingConflict(
                f"the update names its own {token.text.upper()} (at character {token.start + 1}) and the request "
                "gives using-graph-uri or using-named-graph-uri: give one or the other"
            )
        elif depth == 0 and token.keyword("WHERE") and not (i and found[i - 1].keyword("DELETE")):
            cuts.append(token.start)
    for cut in reversed(cuts):
        update = f"{update[:cut]}{clauses} {update[cut:]}"
    return update
