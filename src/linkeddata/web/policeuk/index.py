"""A release's police.uk index: SQLite (standard library), built from the store once per release.

The API answers from this file and never scans every crime: each point with crimes is in an
R*Tree keyed by month and position, so "within a mile of here in 2024-01" reads only the points
in that box, then their crimes through an index. Like the search index, it is a file per release
(web/release_files.py), shared by workers and later starts; a new release builds a new one, from
the rows of each partition graph, read from the store only the first time (partitions.py).

Only crimes with a Crime ID are records in the store (police.uk gives anti-social behaviour
none), so those are what the API lists. The numbers police.uk invents for its API (a crime's
`id`, a location's `street.id`) are derived here from the data: the first 13 hex digits of the
Crime ID, and a hash of the point, so they are the same in every release.

Stop and search is in the same file (stop_index.py): its searches in a table of their own, their points
in an R*Tree of their own by month and position.
"""

from __future__ import annotations

import sqlite3

from ...store import Store
from ..release_files import ReleaseFile, table
from . import stop_index
from .partitions import copy_into, last_segment

INDEX_FORMAT = 6  # part of the file's name: a change of what is stored builds anew


def month_number(month: str) -> int:
    """A YYYY-MM month as one number, the R*Tree's third axis.

    >>> month_number("2024-01") - month_number("2023-12")
    1
    """
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def crime_number(persistent_id: str) -> int:
    """police.uk's numeric `id` of a crime (it "only relates to the API"): from its Crime ID."""
    return int(persistent_id[:13], 16)


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
CREATE TEMP TABLE crime_rows (uri, persistent_id, month, category, force, latitude, longitude, location_id,
  street, context, outcome_uri);
CREATE TEMP TABLE outcome_rows (uri, persistent_id, month, code, category_uri, force);
CREATE TEMP TABLE name (uri TEXT PRIMARY KEY, name TEXT);
"""
_INDEXES = """
CREATE INDEX crime_by_id ON crime(persistent_id);
CREATE INDEX crime_by_place ON crime(location_id, month, category);
CREATE INDEX crime_unplaced ON crime(month, force) WHERE location_id IS NULL;
CREATE INDEX outcome_by_crime ON outcome(persistent_id, month);
UPDATE crime SET outcome_date = coalesce((SELECT max(o.month) FROM outcome o WHERE o.persistent_id = crime.persistent_id),
  month) WHERE outcome IS NOT NULL;
UPDATE outcome SET location_id = (SELECT location_id FROM crime WHERE crime.persistent_id = outcome.persistent_id);
CREATE INDEX outcome_by_place ON outcome(location_id, month);
"""


def _fill(conn: sqlite3.Connection, store: Store, base: str) -> None:
    conn.executescript(_SCHEMA + stop_index.SCHEMA)
    _load(conn, store, base)
    stop_index.fill(conn, store, base)
    conn.executescript(_INDEXES + stop_index.INDEXES)


def _load(conn: sqlite3.Connection, store: Store, base: str) -> None:
    crime = f"{base}/def/crime/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    names = {uri: label.partition("\x00")[0] for uri, label in table(store, f"""
        SELECT ?c ?l WHERE {{ ?c <{skos}inScheme> ?s ; <{skos}prefLabel> ?l
          FILTER(?s IN (<{crime}crime-type>, <{crime}outcome-category>, <{base}/def/geography/police-force>)) }}""")}
    forces = sorted((last_segment(u), n, u) for u, n in names.items() if u.startswith(f"{base}/id/police-force/"))
    conn.executemany("INSERT INTO force VALUES (?, ?, ?)", forces)
    types = sorted((last_segment(u), n, u) for u, n in names.items() if u.startswith(f"{crime}crime-type/"))
    conn.executemany("INSERT INTO category VALUES (?, ?, ?)", types)
    # The categories each month has: from the cube, which also counts what has no record (ASB).
    conn.executemany("INSERT INTO category_month VALUES (?, ?)", [(last_segment(m), last_segment(t)) for m, t in table(store, f"""
        SELECT DISTINCT ?m ?t WHERE {{ ?o <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod> ?m ;
          <{crime}crimeType> ?t ; a <http://purl.org/linked-data/cube#Observation> }}""")])
    conn.executemany("INSERT INTO name VALUES (?, ?)", names.items())
    copy_into(conn, store, base, INDEX.folder() / "partitions", INDEX_FORMAT)
    # An outcome's location is its crime's, and a crime's outcome date its latest outcome's month:
    # both filled in once the indexes are made (see _INDEXES).
    conn.execute("""INSERT INTO outcome SELECT r.uri, r.persistent_id, r.month, r.code, coalesce(n.name, r.code), r.force, NULL
                    FROM outcome_rows r LEFT JOIN name n ON n.uri = r.category_uri""")
    # Stored by month and place, so the crimes of one place in one month are neighbours on disk.
    conn.execute("""INSERT INTO crime SELECT row_number() OVER (ORDER BY r.month, coalesce(r.location_id, 0), r.persistent_id),
                      r.uri, r.persistent_id, r.month, r.category, r.force, r.latitude, r.longitude, r.location_id,
                      r.street, r.context, n.name, NULL
                    FROM crime_rows r LEFT JOIN name n ON n.uri = r.outcome_uri""")
    # The R*Tree holds each mapped point once a month: police.uk snaps crimes to a few points, so
    # there are far fewer points than crimes, and a box reads each once. Neighbours go in together.
    conn.execute("""INSERT INTO place SELECT row_number() OVER (ORDER BY lat, lng, month), location_id, month, lat, lng FROM
                    (SELECT DISTINCT location_id, month, CAST(latitude AS REAL) AS lat, CAST(longitude AS REAL) AS lng
                     FROM crime WHERE location_id IS NOT NULL)""")
    conn.create_function("month_number", 1, month_number, deterministic=True)
    conn.execute("INSERT INTO place_at SELECT n, month_number(month), month_number(month), lat, lat, lng, lng FROM place")
    # The dataset's modified date, as police.uk's crime-last-updated gives it.
    modified = table(store, f"""SELECT (MAX(STR(?d)) AS ?m) WHERE {{
        <{base}/data/street-crime> <http://purl.org/dc/terms/modified> ?d }}""")
    conn.execute("INSERT INTO meta VALUES ('modified', ?)", ((modified[0][0] if modified and modified[0] else "")[:10],))


INDEX = ReleaseFile("policeuk", INDEX_FORMAT, _fill)
connection = INDEX.connection  # the served release's index, built on first use
