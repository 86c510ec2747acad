"""A release's police.uk index: SQLite (standard library), built from the store once per release.

The API answers from this file and never scans every crime: each point with crimes is in an
R*Tree keyed by month and position, so "within a mile of here in 2024-01" reads only the points
in that box, then their crimes through an index. Like the search index, it is a file per release (web/release_files.py), shared by
workers and later starts; a new release builds a new one.

Only crimes with a Crime ID are records in the store (police.uk gives anti-social behaviour
none), so those are what the API lists. The numbers police.uk invents for its API (a crime's
`id`, a location's `street.id`) are derived here from the data: the first 13 hex digits of the
Crime ID, and a hash of the point, so they are the same in every release.

Stop and search, once published, slots in the same way: its records in a table of their own,
their points in `place` (the R*Tree) with their months, and `crimes-street-dates` listing the
forces with stops each month.
"""

from __future__ import annotations

import hashlib
import sqlite3

from ...store import Store
from ..release_files import ReleaseFile, table

INDEX_FORMAT = 4  # part of the file's name: a change of what is stored builds anew


def month_number(month: str) -> int:
    """A YYYY-MM month as one number, the R*Tree's third axis.

    >>> month_number("2024-01") - month_number("2023-12")
    1
    """
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def location_id(latitude: str, longitude: str) -> int:
    """The id police.uk gives a mapped point (its `street.id`), here derived from the point.

    >>> location_id("51.515381", "-0.112422") == location_id("51.515381", "-0.112422")
    True
    """
    return int(hashlib.sha256(f"{latitude},{longitude}".encode()).hexdigest()[:12], 16)


def crime_number(persistent_id: str) -> int:
    """police.uk's numeric `id` of a crime (it "only relates to the API"): from its Crime ID."""
    return int(persistent_id[:13], 16)


def _last(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _coordinate(text: str) -> str:
    """Six decimal places, as police.uk writes its points."""
    return f"{float(text):.6f}"


_SCHEMA = """
CREATE TABLE crime (
  n INTEGER PRIMARY KEY, uri TEXT, persistent_id TEXT, month TEXT, category TEXT, force TEXT,
  latitude TEXT, longitude TEXT, location_id INTEGER, street TEXT, context TEXT, outcome TEXT,
  outcome_date TEXT);
CREATE TABLE place (n INTEGER PRIMARY KEY, location_id INTEGER, month TEXT, lat REAL, lng REAL);
CREATE VIRTUAL TABLE place_at USING rtree(n, month_lo, month_hi, lat_lo, lat_hi, lng_lo, lng_hi);
CREATE TABLE outcome (uri TEXT, persistent_id TEXT, month TEXT, code TEXT, name TEXT, force TEXT, location_id INTEGER);
CREATE TABLE category (url TEXT PRIMARY KEY, name TEXT, uri TEXT);
CREATE TABLE category_month (month TEXT, url TEXT);
CREATE TABLE force (id TEXT PRIMARY KEY, name TEXT, uri TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = """
CREATE INDEX crime_by_id ON crime(persistent_id);
CREATE INDEX crime_by_place ON crime(location_id, month, category);
CREATE INDEX crime_unplaced ON crime(month, force) WHERE location_id IS NULL;
CREATE INDEX outcome_by_crime ON outcome(persistent_id, month);
UPDATE outcome SET location_id = (SELECT location_id FROM crime WHERE crime.persistent_id = outcome.persistent_id);
CREATE INDEX outcome_by_place ON outcome(location_id, month);
"""


def _fill(conn: sqlite3.Connection, store: Store, base: str) -> None:
    conn.executescript(_SCHEMA)
    _load(conn, store, base)
    conn.executescript(_INDEXES)


def _load(conn: sqlite3.Connection, store: Store, base: str) -> None:
    crime = f"{base}/def/crime/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    names = {uri: label.partition("\x00")[0] for uri, label in table(store, f"""
        SELECT ?c ?l WHERE {{ ?c <{skos}inScheme> ?s ; <{skos}prefLabel> ?l
          FILTER(?s IN (<{crime}crime-type>, <{crime}outcome-category>, <{base}/def/geography/police-force>)) }}""")}
    forces = sorted((_last(u), n, u) for u, n in names.items() if u.startswith(f"{base}/id/police-force/"))
    conn.executemany("INSERT INTO force VALUES (?, ?, ?)", forces)
    types = sorted((_last(u), n, u) for u, n in names.items() if u.startswith(f"{crime}crime-type/"))
    conn.executemany("INSERT INTO category VALUES (?, ?, ?)", types)
    # The categories each month has: from the cube, which also counts what has no record (ASB).
    conn.executemany("INSERT INTO category_month VALUES (?, ?)", [(_last(m), _last(t)) for m, t in table(store, f"""
        SELECT DISTINCT ?m ?t WHERE {{ ?o <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod> ?m ;
          <{crime}crimeType> ?t ; a <http://purl.org/linked-data/cube#Observation> }}""")])
    # An outcome's location is its crime's, filled in once the crimes are in (see _INDEXES).
    outcomes = [(uri, _last(c), _last(m), _last(k), names.get(k, _last(k)), _last(f), None) for uri, c, m, k, f in table(store, f"""
        SELECT ?o ?c ?m ?k ?f WHERE {{ ?o a <{crime}Outcome> ; <{crime}crime> ?c ; <{crime}month> ?m ;
          <{crime}outcomeCategory> ?k ; <{crime}reportingForce> ?f }}""")]
    conn.executemany("INSERT INTO outcome VALUES (?, ?, ?, ?, ?, ?, ?)", outcomes)
    latest: dict[str, str] = {}
    for _, crime_id, month, *_ in outcomes:
        latest[crime_id] = max(month, latest.get(crime_id, month))
    rows = table(store, f"""
        SELECT ?c ?m ?t ?f ?lat ?long ?where ?context ?outcome WHERE {{
          ?c a <{crime}Crime> ; <{crime}month> ?m ; <{crime}crimeType> ?t ; <{crime}reportingForce> ?f .
          OPTIONAL {{ ?c <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?lat ;
                         <http://www.w3.org/2003/01/geo/wgs84_pos#long> ?long }}
          OPTIONAL {{ ?c <{crime}locationDescription> ?where }}
          OPTIONAL {{ ?c <{crime}context> ?context }}
          OPTIONAL {{ ?c <{crime}lastOutcomeCategory> ?outcome }} }}""")
    crimes, places = [], {}
    for row in rows:
        uri, month_uri, type_uri, force_uri, lat, lng, where, context, outcome = (row + [""] * 9)[:9]
        persistent_id, month = _last(uri), _last(month_uri)
        place = None
        if lat and lng:
            latitude, longitude = _coordinate(lat), _coordinate(lng)
            place = location_id(latitude, longitude)
            places.setdefault((place, month), (float(latitude), float(longitude)))
        crimes.append((
            uri, persistent_id, month, _last(type_uri), _last(force_uri), *((latitude, longitude) if place else (None, None)),
            place, where.partition("\x00")[0], context.partition("\x00")[0],
            names.get(outcome) if outcome else None, latest.get(persistent_id, month) if outcome else None,
        ))
    # Stored by month and place, so the crimes of one place in one month are neighbours on disk.
    crimes.sort(key=lambda c: (c[2], c[7] or 0, c[1]))
    conn.executemany(f"INSERT INTO crime VALUES ({', '.join('?' * 13)})", [(n, *c) for n, c in enumerate(crimes, 1)])
    # The R*Tree holds each mapped point once a month: police.uk snaps crimes to a few points, so
    # there are far fewer points than crimes, and a box reads each once.
    ordered = sorted(places.items(), key=lambda item: (item[1], item[0][1]))  # neighbours inserted together
    conn.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?)",
                     [(n, place, month, lat, lng) for n, ((place, month), (lat, lng)) in enumerate(ordered, 1)])
    conn.executemany("INSERT INTO place_at VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (n, month_number(month), month_number(month), lat, lat, lng, lng)
        for n, ((_, month), (lat, lng)) in enumerate(ordered, 1)])
    # The dataset's modified date, as police.uk's crime-last-updated gives it.
    modified = table(store, f"""SELECT (MAX(STR(?d)) AS ?m) WHERE {{
        <{base}/data/street-crime> <http://purl.org/dc/terms/modified> ?d }}""")
    conn.execute("INSERT INTO meta VALUES ('modified', ?)", ((modified[0][0] if modified and modified[0] else "")[:10],))


INDEX = ReleaseFile("policeuk", INDEX_FORMAT, _fill)
connection = INDEX.connection  # the served release's index, built on first use
