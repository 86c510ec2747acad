"""One reconciliation query -> ranked candidates, each with its score, features and `match`.

Scores run 0-100. A code (GSS, ISO alpha-3, police.uk id, crime type slug, a period however
written) or the item's URI scores 100; a name equal in some variant (`variants.normal`) scores
100 (95 where another has it as written: "South & Europe" and "South and Europe" are two units
of one organogram); otherwise the name's likeness (difflib's ratio of the normal forms) times
90. A property the query gives whose value the candidate does not have halves its score; a
property its type does not have (or this service does not know) keeps it from a certain match.
`type_strict` is read and ignored (the spec says its meaning is unclear): types always restrict.

`match` is true for one candidate at most: the only one with the code, or else the only one
with the name, that agrees with every property given. A name an area kept when it was recoded
(Fife: S12000015 until 2018, S12000047 since) is the newest code's; the older scores 95.
"""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass, field

from .names import Item, Table
from .types import EntityType
from .variants import normal

_FTS_LIMIT = 60
_MOST_WORDS = 6
_STOP = frozenset({"and", "the", "of", "in", "on", "for", "to"})
_LONGEST = 80  # characters: a longer text is found by its words only (few names are longer: job titles)


@dataclass(frozen=True)
class Query:
    text: str | None
    types: tuple[EntityType, ...] | None  # None: any type; empty: only types we do not have
    limit: int = 10
    properties: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (property id, values)


@dataclass
class Candidate:
    item: Item
    score: float
    features: dict[str, float | bool] = field(default_factory=dict)
    match: bool = False

    def as_json(self) -> dict[str, object]:
        t = self.item.type
        return {
            "id": self.item.uri,
            "name": self.item.label,
            "description": f"{t.name} {self.item.code}".strip(),
            "type": [{"id": t.id, "name": t.name}],
            "score": round(self.score, 2),
            "features": [{"id": k, "value": v} for k, v in self.features.items()],
            "match": self.match,
        }


def reconcile(table: Table, index: sqlite3.Connection, query: Query) -> list[Candidate]:
    types = list(query.types) if query.types is not None else table.offered()
    if not types:
        return []  # it named only types of other services
    wanted = {t.id for t in types}
    found: dict[str, Candidate] = {}
    coded: list[str] = []
    named: list[str] = []
    if query.text:
        coded, named = table.exact(query.text, types)
        for uri in coded:
            found[uri] = Candidate(table.items[uri], 100.0, {"code": True})
        if _recoded(table, named):
            # One area recoded (Fife: S12000015, then S12000047): the newest code has the name.
            named = sorted(named, key=lambda u: table.items[u].code, reverse=True)
            for uri in named[1:]:
                found.setdefault(uri, Candidate(table.items[uri], 95.0, {"name": True, "older_code": True}))
            named = named[:1]
        named, variants = _as_written(table, query.text, named)
        for uri in variants:
            found.setdefault(uri, Candidate(table.items[uri], 95.0, {"name": True, "as_written": False}))
        for uri in named:
            found.setdefault(uri, Candidate(table.items[uri], 100.0, {"name": True}))
        if not found:
            for uri in _similar(table, index, query.text, types):
                item = table.items[uri]
                likeness = max(_likeness(query.text, n, item.type) for n in item.names)
                found[uri] = Candidate(item, round(90 * likeness, 2), {"name_likeness": round(likeness, 3)})
    else:
        for uri in _having(table, query, wanted):
            found[uri] = Candidate(table.items[uri], 50.0)
    agreeing = set()
    for candidate in found.values():
        if _weigh_properties(table, query, candidate):
            agreeing.add(candidate.item.uri)
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.item.label, c.item.uri))[: query.limit]
    _decide(ranked, [u for u in coded if u in agreeing] or [u for u in named if u in agreeing and not coded])
    return ranked


def _recoded(table: Table, uris: list[str]) -> bool:
    """Whether items sharing a name are one area under several GSS codes: of one type, and codes
    of one entity (E07, S12). GSS codes are issued in order, so the newest is the highest."""
    items = [table.items[u] for u in uris]
    return len(items) > 1 and all(i.type.gss for i in items) and len({(i.type.id, i.code[:3]) for i in items}) == 1


def _as_written(table: Table, text: str, named: list[str]) -> tuple[list[str], list[str]]:
    """(items with the name as written, items with it only in a variant) when both kinds are
    among `named`: an organogram has "South & Europe" and "South and Europe" as two units."""
    written = text.strip().casefold()
    literal = [u for u in named if any(n.strip().casefold() == written for n in table.items[u].names)]
    if not literal or len(literal) == len(named):
        return named, []
    return literal, [u for u in named if u not in literal]


def _decide(ranked: list[Candidate], certain: list[str]) -> None:
    """The one candidate whose code or name is certain, if only one is."""
    if len(certain) == 1:
        for candidate in ranked:
            candidate.match = candidate.item.uri == certain[0]


def _likeness(text: str, name: str, entity_type: EntityType) -> float:
    return difflib.SequenceMatcher(None, normal(text, entity_type.noise), normal(name, entity_type.noise)).ratio()


def _similar(table: Table, index: sqlite3.Connection, text: str, types: list[EntityType]) -> list[str]:
    """Items of `types` that share words with `text` (by the search index), or, in the small
    types, whose names are nearly it (a misspelling shares no word)."""
    words = _words(text)
    out: list[str] = []
    if words:
        expression = " OR ".join(words)
        # Each type's URIs: its folder's prefix, and as many slashes as its items have (a post on
        # one date, `.../post/2OSCT03/2012-09-30`, has one more than a post, and is no item).
        shapes = list(dict.fromkeys((f"{table.base}{t.prefix}", f"{table.base}{t.folder}".count("/")) for t in types))
        where = " OR ".join("(substr(uri, 1, ?) = ? AND length(uri) - length(replace(uri, '/', '')) = ?)" for _ in shapes)
        args: list[object] = [expression]
        for p, slashes in shapes:
            args += [len(p), p, slashes]
        rows = index.execute(
            f"SELECT uri FROM entries WHERE entries MATCH ? AND ({where}) "
            f"ORDER BY bm25(entries, 10.0, 8.0, 2.0, 1.0) LIMIT {_FTS_LIMIT}", args).fetchall()
        # A prefix may hold other types (`/id/organisation/` holds units and posts): keep to `types`.
        wanted = {t.id for t in types}
        out = [u for (u,) in rows if u in table.items and table.items[u].type.id in wanted]
    plain = normal(text)
    if len(plain) <= _LONGEST:
        for t in types:
            keys = table.small_keys.get(t.id, [])
            for key in difflib.get_close_matches(normal(text, t.noise), keys, n=5, cutoff=0.75):
                out += table.by_name[(t.id, key)]
    return list(dict.fromkeys(out))


def _words(text: str) -> list[str]:
    """The FTS5 terms of a text: its first few words that say something, the longer as prefixes
    (a one-letter prefix matches every entry, and costs seconds a query).

    >>> _words("Devon & Cornwall Police"), _words("a b and the of"), _words("Hackney 01")
    (['"devon"*', '"cornwall"*', '"police"*'], [], ['"hackney"*', '"01"'])
    """
    kept = [w for w in normal(text).split() if w not in _STOP and len(w) > 1][:_MOST_WORDS]
    return [f'"{w}"*' if len(w) > 2 else f'"{w}"' for w in kept]


def _having(table: Table, query: Query, wanted: set[str]) -> list[str]:
    """Items a query with no text may mean: those with the code, or linked to every value given."""
    pools: list[set[str]] = []
    for pid, values in query.properties:
        prop = table.property(pid)
        if prop is None:
            continue
        if pid == "code":
            pools.append({u for v in values for u in table.by_code.get(v.strip().lower(), [])})
            continue
        targets = {u for v in values for u in table.resolve(v, prop.target)} | set(values)
        pools.append({u for t in targets for u in table.linked.get(pid, {}).get(t, [])})
    if not pools:
        return []
    both = set.intersection(*pools)
    return sorted(u for u in both if table.items[u].type.id in wanted)[: query.limit]


def _weigh_properties(table: Table, query: Query, candidate: Candidate) -> bool:
    """Mark each property the query gives as agreeing or not; halve the score of a candidate
    that disagrees. True when it agrees with all."""
    agrees_all = True
    for pid, values in query.properties:
        prop = table.property(pid)
        if prop is None or prop.predicate(candidate.item.type.id) is None:
            candidate.features[f"property:{pid}"] = False
            agrees_all = False
            continue
        if pid == "code":
            has = {candidate.item.code.lower(), *(a.lower() for a in candidate.item.also)}
            agrees = any(v.strip().lower() in has for v in values)
        else:
            has_values = set(table.links.get(pid, {}).get(candidate.item.uri, []))
            wanted = {u for v in values for u in table.resolve(v, prop.target)} | set(values)
            agrees = bool(has_values & wanted)
        candidate.features[f"property:{pid}"] = agrees
        if not agrees:
            agrees_all = False
            candidate.score = round(candidate.score / 2, 2)
    return agrees_all
