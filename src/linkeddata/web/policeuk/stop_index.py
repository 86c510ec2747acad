"""Stop and search in a release's police.uk index (the questions are in stop_lookup.py).

Each published search (`equality:StopAndSearch`) is a row of `stop`, its coded values already
read as police.uk writes them (the code's label); each mapped point is in an R*Tree of its own
(`stop_place_at`, by month and position), apart from the crimes' so that "the nearest location
with crimes" never lands on a point with only searches. A point has the same `location_id` as
a crime at the same point (partitions.location_id).
"""

from __future__ import annotations

import sqlite3

from ...store import Store
from ...uris import Minter
from ..release_files import table
from .partitions import last_segment

_SKOS = "http://www.w3.org/2004/02/skos/core#"
# The code lists a search's values come from. Officer-defined ethnicity is a 5+1 group
# (`ethnicity`), which police.uk writes by its one-word name ("Black", not "Black or Black British").
_SCHEMES = ("stop-search-type", "stop-search-gender", "stop-search-age-range", "stop-search-ethnicity",
            "stop-search-legislation", "stop-search-object", "stop-search-outcome")
_SHORT_NAMED = "ethnicity"

SCHEMA = """
CREATE TABLE stop (
  n INTEGER PRIMARY KEY, uri TEXT, month TEXT, force TEXT, datetime TEXT, type TEXT, operation INTEGER,
  operation_name TEXT, latitude TEXT, longitude TEXT, location_id INTEGER, gender TEXT, age_range TEXT,
  self_defined_ethnicity TEXT, officer_defined_ethnicity TEXT, legislation TEXT, object_of_search TEXT,
  outcome TEXT, outcome_id TEXT, outcome_linked INTEGER, clothing INTEGER);
CREATE TABLE stop_place (n INTEGER PRIMARY KEY, location_id INTEGER, month TEXT, lat REAL, lng REAL);
CREATE VIRTUAL TABLE stop_place_at USING rtree(n, month_lo, month_hi, lat_lo, lat_hi, lng_lo, lng_hi);
CREATE TEMP TABLE stop_rows (uri, month, force, datetime, type, operation, operation_name, latitude, longitude,
  location_id, gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation, object_of_search,
  outcome, outcome_linked, clothing);
CREATE TEMP TABLE stop_label (uri TEXT PRIMARY KEY, name TEXT);
"""
INDEXES = """
CREATE INDEX stop_by_place ON stop(location_id, month);
CREATE INDEX stop_by_force ON stop(month, force);
"""
_CODED = ("type", "gender", "age_range", "self_defined_ethnicity", "officer_defined_ethnicity", "legislation",
          "object_of_search", "outcome")


def _labels(store: Store, base: str) -> dict[str, str]:
    """Each code's label as police.uk writes it: its preferred label, or for a 5+1 group its shortest."""
    lists = Minter(base)
    schemes = ", ".join(f"<{lists.code_list('equality', s)}>" for s in (*_SCHEMES, _SHORT_NAMED))
    found = {uri: label.partition("\x00")[0] for uri, label in table(store, f"""
        SELECT ?c ?l WHERE {{ ?c <{_SKOS}inScheme> ?s ; <{_SKOS}prefLabel> ?l FILTER(?s IN ({schemes})) }}""")}
    for uri, label in table(store, f"""
        SELECT ?c ?l WHERE {{ ?c <{_SKOS}inScheme> <{lists.code_list('equality', _SHORT_NAMED)}> ; <{_SKOS}altLabel> ?l }}"""):
        label = label.partition("\x00")[0]
        if len(label) < len(found.get(uri, label + " ")):
            found[uri] = label
    return found


def fill(conn: sqlite3.Connection, store: Store, base: str) -> None:
    """Fill `stop` and its R*Tree from `stop_rows` (copied in from the partitions beforehand, by
    index._load, which also gives the connection its `month_number` function)."""
    conn.executemany("INSERT INTO stop_label VALUES (?, ?)", _labels(store, base).items())
    conn.create_function("last_segment", 1, lambda u: last_segment(u) if u else None, deterministic=True)
    coded = {c: f"(SELECT name FROM stop_label l WHERE l.uri = r.{c})" for c in _CODED}
    conn.execute(f"""INSERT INTO stop SELECT row_number() OVER (ORDER BY r.month, coalesce(r.location_id, 0), r.datetime, r.uri),
        r.uri, r.month, r.force, r.datetime, {coded['type']}, r.operation, r.operation_name, r.latitude, r.longitude,
        r.location_id, {coded['gender']}, {coded['age_range']}, {coded['self_defined_ethnicity']},
        {coded['officer_defined_ethnicity']}, {coded['legislation']}, {coded['object_of_search']}, {coded['outcome']},
        last_segment(r.outcome), r.outcome_linked, r.clothing FROM stop_rows r""")
    conn.execute("""INSERT INTO stop_place SELECT row_number() OVER (ORDER BY lat, lng, month), location_id, month, lat, lng FROM
                    (SELECT DISTINCT location_id, month, CAST(latitude AS REAL) AS lat, CAST(longitude AS REAL) AS lng
                     FROM stop WHERE location_id IS NOT NULL)""")
    conn.execute("INSERT INTO stop_place_at SELECT n, month_number(month), month_number(month), lat, lat, lng, lng FROM stop_place")
