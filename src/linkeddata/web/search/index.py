"""A release's search index: SQLite FTS5 (the standard library's sqlite3), built from the store.

Everything under the base URI that has a label is an entry (areas, forces, months, quarters,
crime types and every other code, datasets, vocabulary terms), with its code (`skos:notation`),
other names (`skos:altLabel`) and what kind of thing it is; crime, outcome and stop and search
records are left out (they are found through their area, month and type). The index is built once
per release (`Store.version()`), in a file named by the release (web/release_files.py), so other
workers and later starts reuse it; a new release builds a new one.

Ranking: an exact code first (`E01000001`, `2019-01`), then an exact name, then datasets, then
reference items and codes, then vocabulary terms, each by FTS5's bm25 (the name weighted above
the code and other names), then shorter names first.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Callable

from rdflib.namespace import DCTERMS, QB, RDF, RDFS, SKOS

from ...store import Store
from ..release_files import ReleaseFile, table

INDEX_FORMAT = 3  # part of an index file's name: a change of what is indexed builds anew
_WORD = re.compile(r"\w+", re.UNICODE)
# records, found through their reference data
_LEFT_OUT = ("/id/crime/", "/id/crime-outcome/", "/id/stop-and-search/")


@dataclass(frozen=True)
class Hit:
    uri: str
    label: str
    notation: str
    kind: str


def entries(store: Store, base: str) -> list[tuple[str, str, str, str, str]]:
    """(uri, label, notation, other names, kind) of every labelled thing the platform mints."""
    rows = table(store, f"""
        SELECT ?s ?p ?l WHERE {{
          {{ ?s <{SKOS.prefLabel}> ?l BIND(1 AS ?p) }} UNION {{ ?s <{RDFS.label}> ?l BIND(2 AS ?p) }}
          UNION {{ ?s <{DCTERMS.title}> ?l BIND(3 AS ?p) }} UNION {{ ?s <{SKOS.altLabel}> ?l BIND(4 AS ?p) }}
          UNION {{ ?s <{SKOS.notation}> ?l BIND(5 AS ?p) }}
        }}""")
    names: dict[str, dict[int, list[str]]] = {}
    for uri, how, text in rows:
        if not _wanted(uri, base):
            continue
        text, _, language = text.partition("\x00")
        if language and not language.lower().startswith("en"):
            continue
        names.setdefault(uri, {}).setdefault(int(how), []).append(text)
    kinds = _kinds(store, base)
    out = []
    for uri, by in names.items():
        labels = by.get(1) or by.get(2) or by.get(3)
        if not labels:
            continue
        label = sorted(labels)[0]
        others = sorted((set(by.get(4, [])) | set(by.get(2, [])) | set(by.get(3, []))) - {label})
        out.append((uri, label, " ".join(sorted(set(by.get(5, [])))), " | ".join(others), kinds.get(uri, "")))
    return out


def _wanted(uri: str, base: str) -> bool:
    """Reference items, codes, vocabulary terms and datasets: not records, releases, graphs."""
    if uri.startswith((f"{base}/id/", f"{base}/def/")):
        return not any(part in uri for part in _LEFT_OUT) and "/def/shapes/" not in uri
    return uri.startswith(f"{base}/data/") and "/" not in uri[len(base) + 6:]


_INTERVALS = "http://reference.data.gov.uk/def/intervals/"
_NAMES = {
    str(QB.DataSet): "Dataset", str(SKOS.ConceptScheme): "Code list", str(SKOS.Concept): "Code",
    f"{_INTERVALS}CalendarMonth": "Month", f"{_INTERVALS}CalendarQuarter": "Quarter",
    f"{_INTERVALS}CalendarYear": "Year", f"{_INTERVALS}BusinessYear": "Financial year",
    f"{_INTERVALS}GovernmentYear": "Financial year",
}
# Vocabulary terms rank after the things people look for (datasets, areas, codes, periods).
_TERMS = {"Class", "Property", "Dimension property", "Measure property", "Attribute property",
          "Coded property", "Code list", "Ontology", "Object property", "Datatype property"}


def _kinds(store: Store, base: str) -> dict[str, str]:
    """What each thing is, for people: a code's scheme, else its most specific class of ours."""
    schemes = table(store, f"SELECT ?s ?k WHERE {{ ?s <{SKOS.inScheme}> ?k }}")
    types = table(store, f"""SELECT ?s ?k WHERE {{ ?s <{RDF.type}> ?k
        FILTER(?k NOT IN (<{QB.Observation}>, <{base}/def/crime/Crime>, <{base}/def/crime/Outcome>,
                          <{base}/def/equality/StopAndSearch>)) }}""")
    labels = {k: l.partition("\x00")[0] for k, l in table(store, f"""SELECT ?k ?l WHERE {{
        {{ SELECT DISTINCT ?k WHERE {{ {{ [] <{SKOS.inScheme}> ?k }} UNION {{ [] <{RDF.type}> ?k }} }} }}
        ?k <{SKOS.prefLabel}>|<{RDFS.label}> ?l }}""")}
    best: dict[str, tuple[int, int, str]] = {}
    for how, rows in ((0, schemes), (1, types)):
        for uri, k in rows:
            if not _wanted(uri, base):
                continue
            text = _NAMES.get(k) or labels.get(k) or _words(re.split(r"[#/]", k)[-1])
            # A scheme names a code best; then our own classes, the most specific (longest) first.
            rank = (0 if k in _NAMES else how + (0 if k.startswith(base) else 2), -len(text), text)
            if uri not in best or rank < best[uri]:
                best[uri] = rank
    return {u: r[2] for u, r in best.items()}


def _words(name: str) -> str:
    """A class's local name as words: CalendarMonth -> Calendar month."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return spaced[:1].upper() + spaced[1:].lower()


def _fill(conn: sqlite3.Connection, store: Store, base: str) -> None:
    conn.execute("""CREATE VIRTUAL TABLE entries USING fts5(
        label, notation, others, kind, uri UNINDEXED, weight UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3')""")
    conn.executemany(
        "INSERT INTO entries (uri, label, notation, others, kind, weight) VALUES (?, ?, ?, ?, ?, ?)",
        [(*e, 0 if e[4] == "Dataset" else 2 if e[4] in _TERMS else 1) for e in entries(store, base)])
    conn.execute("INSERT INTO entries(entries) VALUES ('optimize')")


INDEX = ReleaseFile("search", INDEX_FORMAT, _fill)
connection = INDEX.connection  # the served release's index, built on first use


def match_expression(text: str) -> str | None:
    """The FTS5 query for what a person typed: every word, each as a prefix.

    >>> match_expression('city of lon'), match_expression('E01000001'), match_expression('"; DROP')
    ('"city"* "of"* "lon"*', '"e01000001"*', '"drop"*')
    """
    words = _WORD.findall(text.lower())
    return " ".join(f'"{w}"*' for w in words[:12]) or None


def search(conn: sqlite3.Connection, text: str, limit: int = 20, within: set[str] | None = None) -> list[Hit]:
    """The best `limit` entries for `text`; with `within`, only those URIs."""
    expression = match_expression(text)
    if expression is None:
        return []
    exact = text.strip().lower()
    # A letter or two matches thousands (every London LSOA): rank only the first few hundred of
    # them, so any query answers in milliseconds; a longer word matches few enough to rank all.
    # (The type-ahead, kept to one dimension's values, ranks all: its few may be anywhere.)
    few = within is None and max(len(w) for w in _WORD.findall(exact)) < 3
    source = "(SELECT rowid, * FROM entries WHERE entries MATCH ? LIMIT 300)" if few else "entries"
    where = "" if few else "WHERE entries MATCH ?"
    rank = "" if few else "bm25(entries, 10.0, 8.0, 2.0, 1.0),"
    rows = conn.execute(
        f"""SELECT uri, label, notation, kind FROM {source} {where}
           ORDER BY (lower(notation) = ?) DESC, (lower(label) = ?) DESC, weight, {rank} length(label)
           LIMIT ?""",
        (expression, exact, exact, limit if within is None else 2000),
    ).fetchall()
    hits = [Hit(*row) for row in rows if within is None or row[0] in within]
    return hits[:limit]


def exact_names(store: Store, base: str) -> Callable[[str, set[str]], list[str]]:
    """A finder of the URIs among some whose name is exactly a text (for filters given by name)."""

    def find(text: str, known: set[str]) -> list[str]:
        hits = search(connection(store, base), text, 10, known)
        return [h.uri for h in hits if h.label.lower() == text.strip().lower()]

    return find
