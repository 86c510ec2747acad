"""The crimes and outcomes of each published graph as rows, kept per partition.

A partition graph's name ends in the version of its content (`{base}/graph/dataset/{dataset}/
{key}/{version}`, see the README's "Publishing month by month"), so its rows never change: they
are read from the store once, kept in a SQLite file named by the graph, and every later
release's index copies them from there. A release that adds a month reads only that month from
the store. Other graphs (a dataset published whole) are read again for each release.

    crime rows    uri, persistent_id, month, category, force, latitude, longitude, location_id,
                  street, context, last outcome (its category's URI)
    outcome rows  uri, persistent_id, month, code, category URI, force
    stop rows     uri, month, force, datetime, type, operation, operation name, latitude, longitude,
                  location_id, gender, age range, self- and officer-defined ethnicity, legislation,
                  object of search, outcome (codes as URIs), outcome linked, clothing removed
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from pathlib import Path
from typing import Callable

from ...store import Store
from ..release_files import table

CRIME_COLUMNS = 11
OUTCOME_COLUMNS = 6
STOP_COLUMNS = 19
_PARTITION = re.compile(r"/graph/dataset/[^/]+/[^/]+/[0-9a-f]{16}$")
_GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"


def last_segment(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def location_id(latitude: str, longitude: str) -> int:
    """The id police.uk gives a mapped point (its `street.id`), here derived from the point.

    >>> location_id("51.515381", "-0.112422") == location_id("51.515381", "-0.112422")
    True
    """
    return int(hashlib.sha256(f"{latitude},{longitude}".encode()).hexdigest()[:12], 16)


def crime_rows(store: Store, base: str, graph: str) -> list[tuple]:
    crime = f"{base}/def/crime/"
    rows = []
    for row in table(store, f"""
        SELECT ?c ?m ?t ?f ?lat ?long ?where ?context ?outcome WHERE {{ GRAPH <{graph}> {{
          ?c a <{crime}Crime> ; <{crime}month> ?m ; <{crime}crimeType> ?t ; <{crime}reportingForce> ?f .
          OPTIONAL {{ ?c <{_GEO}lat> ?lat ; <{_GEO}long> ?long }}
          OPTIONAL {{ ?c <{crime}locationDescription> ?where }}
          OPTIONAL {{ ?c <{crime}context> ?context }}
          OPTIONAL {{ ?c <{crime}lastOutcomeCategory> ?outcome }} }} }}"""):
        uri, month, kind, force, lat, lng, where, context, outcome = (row + [""] * 9)[:9]
        # Six decimal places, as police.uk writes its points (older files give more).
        latitude, longitude = (f"{float(lat):.6f}", f"{float(lng):.6f}") if lat and lng else (None, None)
        rows.append((
            uri, last_segment(uri), last_segment(month), last_segment(kind), last_segment(force), latitude, longitude,
            location_id(latitude, longitude) if latitude and longitude else None,
            where.partition("\x00")[0], context.partition("\x00")[0], outcome or None,
        ))
    return rows


def outcome_rows(store: Store, base: str, graph: str) -> list[tuple]:
    crime = f"{base}/def/crime/"
    return [(uri, last_segment(c), last_segment(m), last_segment(k), k, last_segment(f)) for uri, c, m, k, f in table(store, f"""
        SELECT ?o ?c ?m ?k ?f WHERE {{ GRAPH <{graph}> {{ ?o a <{crime}Outcome> ; <{crime}crime> ?c ;
          <{crime}month> ?m ; <{crime}outcomeCategory> ?k ; <{crime}reportingForce> ?f }} }}""")]


def _flag(value: str) -> int | None:
    return None if not value else int(value == "true")


def stop_rows(store: Store, base: str, graph: str) -> list[tuple]:
    """Each search of the graph; a value police.uk left blank is None (the record leaves it out)."""
    eq = f"{base}/def/equality/"
    optional = ("searchType", "partOfPolicingOperation", "policingOperation", "gender", "ageRange",
                "selfDefinedEthnicity", "officerDefinedEthnicity", "legislation", "objectOfSearch", "searchOutcome",
                "outcomeLinkedToObject", "removalOfOuterClothing")
    rows = []
    for row in table(store, f"""
        SELECT ?s ?m ?f ?when ?lat ?long {' '.join(f'?{p}' for p in optional)} WHERE {{ GRAPH <{graph}> {{
          ?s a <{eq}StopAndSearch> ; <{eq}searchMonth> ?m ; <{eq}policeForce> ?f ; <{eq}searchDateTime> ?when .
          OPTIONAL {{ ?s <{_GEO}lat> ?lat ; <{_GEO}long> ?long }}
          {' '.join(f'OPTIONAL {{ ?s <{eq}{p}> ?{p} }}' for p in optional)} }} }}"""):
        uri, month, force, when, lat, lng, kind, operation, operation_name, *coded, linked, clothing = (row + [""] * 18)[:18]
        latitude, longitude = (f"{float(lat):.6f}", f"{float(lng):.6f}") if lat and lng else (None, None)
        rows.append((
            uri, last_segment(month), last_segment(force), when.replace("Z", "+00:00"), kind or None, _flag(operation),
            operation_name.partition("\x00")[0] or None, latitude, longitude,
            location_id(latitude, longitude) if latitude and longitude else None,
            *(c or None for c in coded), _flag(linked), _flag(clothing),
        ))
    return rows


# Each kind of row: its temporary table, the class of its records (under the base), its reader.
_KINDS: tuple[tuple[str, str, Callable[[Store, str, str], list[tuple]], int], ...] = (
    ("crime", "def/crime/Crime", crime_rows, CRIME_COLUMNS), ("outcome", "def/crime/Outcome", outcome_rows, OUTCOME_COLUMNS),
    ("stop", "def/equality/StopAndSearch", stop_rows, STOP_COLUMNS))


def copy_into(conn: sqlite3.Connection, store: Store, base: str, folder: Path, version: int) -> None:
    """Fill the connection's tables `crime_rows`, `outcome_rows` and `stop_rows` from every published graph."""
    for graph in store.graphs():
        for kind, cls, reader, columns in _KINDS:
            if not store.ask(f"ASK {{ GRAPH <{graph}> {{ ?s a <{base}/{cls}> }} }}"):
                continue
            if not _PARTITION.search(graph):
                _insert(conn, f"{kind}_rows", columns, reader(store, base, graph))
                continue
            key = hashlib.sha256(f"{version}\n{base}\n{graph}".encode()).hexdigest()[:24]
            path = folder / f"{kind}-{key}.sqlite"
            if not path.exists():
                _keep(path, f"{kind}_rows", columns, reader(store, base, graph))
            conn.commit()  # ATTACH is refused inside a transaction
            conn.execute("ATTACH DATABASE ? AS part", (str(path),))
            try:
                conn.execute(f"INSERT INTO temp.{kind}_rows SELECT * FROM part.{kind}_rows")
                conn.commit()
            finally:
                conn.execute("DETACH DATABASE part")


def _insert(conn: sqlite3.Connection, name: str, columns: int, rows: list[tuple]) -> None:
    conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * columns)})", rows)


def _keep(path: Path, name: str, columns: int, rows: list[tuple]) -> None:
    """Write one graph's rows to a file of their own, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    try:
        conn.execute(f"CREATE TABLE {name} ({', '.join(f'c{i}' for i in range(columns))})")
        _insert(conn, name, columns, rows)
        conn.commit()
    finally:
        conn.close()
    os.replace(partial, path)
