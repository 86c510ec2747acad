"""Kinds of value a mapping's field can hold, and how a raw cell becomes one.

A kind checks the cell, and for reference kinds (month, quarter, lsoa, police-force,
police-force-area, local-authority, nationality, sex, code) names the shared reference item, so
every dataset that says "2019-01" means the same month URI. A link kind (crime) names a thing
another dataset publishes, so a record can point at it.
Adding a dataset of a known shape needs only a mapping that names these kinds.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from ..errors import Problem
from ..namespaces import SDMX_CODE, XSD
from ..ntriples import integer, iri, literal
from ..tabular import Row
from ..uris import Minter, slug
from . import tables

XSD_DECIMAL = str(XSD.decimal)
XSD_BOOLEAN = str(XSD.boolean)
XSD_DATETIME = str(XSD.dateTime)


@dataclass(frozen=True)
class Value:
    key: str  # what a URI template gets, e.g. "2019-01", "E01000914", "burglary"
    term: str  # the N-Triples term: <iri> or a literal
    label: str
    uri: str | None = None
    placeholder: bool = False  # stands for "not recorded" in a cube; records leave it out
    number: int | None = None
    status: str | None = None  # a count the table marks missing or suppressed: the status code slug


@dataclass(frozen=True)
class FieldSpec:
    """One field of a mapping: which column, which kind, and the kind's options."""

    name: str
    column: str  # the column problems point at (the first, when a field reads several)
    kind: str
    optional: bool = False
    pattern: str | None = None
    codelist: str | None = None
    missing: str | None = None  # placeholder for an empty cell, e.g. "no-location"
    minimum: float | None = None
    maximum: float | None = None
    columns: tuple[str, ...] = ()  # several columns read as one value, joined by a space
    # A month read from a date-time with its offset (`2016-05-31T23:07:00+00:00`) is the month
    # on the clock of this zone (police.uk: Europe/London), so a late-evening UTC stop on the
    # last of the month belongs to the next month, as police.uk files it.
    timezone: str | None = None
    # The value comes from the source file's name, not a cell: the one group of this regular
    # expression (police.uk names the force only in the file name; organograms their date).
    file_name: str | None = None
    # An empty cell reads as this text (`missing: {read_as: TEXT}`): it counts in a cube under
    # that code, and records leave the property out, as the source gives nothing.
    empty_as: str | None = None
    uri: str | None = None  # a URI template the value is published as (it may name other fields)
    markers: tuple[tuple[str, str], ...] = ()  # cell text -> observation status, this field only
    record_of: str | None = None  # the dataset whose records the value's IRI names

    @property
    def sources(self) -> tuple[str, ...]:
        if self.file_name is not None or self.kind == "row-digest":
            return ()
        return self.columns or (self.column,)


# Every kind a mapping may name (mapping/load.py checks fields against it).
KINDS = frozenset({
    "text", "identifier", "decimal", "count", "month", "quarter", "year", "government-year", "lsoa",
    "police-force", "police-force-area", "local-authority", "nationality", "sex", "code", "crime",
    "date", "iri", "datetime", "boolean", "row-digest",
})


class Problems(Exception):
    """Raised by a kind's parser with the one problem of a cell."""

    def __init__(self, problem: Problem):
        self.problem = problem


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTTP_IRI = re.compile(r'^https?://[^\x00-\x20<>"{}|\\^`\x7f]+$')
# A month as bulletin tables write it: "April 2013", its full name and year. Not "Apr 2013" or
# "Jan-19": that is what a spreadsheet makes of a police.uk month, a sign the file was re-saved.
_MONTH_NAMED = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_LSOA = re.compile(r"^[EW]01\d{6}$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")

# Kinds whose values recur across rows, so a parsed value can be reused (problems are not kept).
_REPEATING = {"month", "quarter", "year", "government-year", "lsoa", "police-force", "police-force-area",
              "local-authority", "nationality", "sex", "code", "text"}
_CRIME_ID = re.compile(r"^[0-9a-f]{64}$")
# A date-time with its offset, as police.uk writes it: 2016-05-31T23:07:00+00:00 (or Z).
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_BOOLEANS = {"true": "true", "false": "false"}

# How government tables mark a cell with no number, and what each mark means. Such a cell is
# published as an observation with a status and no value: never as 0, never dropped.
MARKERS: dict[str, str] = {
    ":": "not-available", "..": "not-available", "[x]": "not-available", "NA": "not-available",
    "n/a": "not-available", "N/A": "not-available", "*": "suppressed", "[c]": "suppressed", "[z]": "not-applicable",
    "-": "nil",
}
# Every observation status a field's `markers` may name (ontology/statistics.ttl).
STATUSES = frozenset({*MARKERS.values(), "withheld"})
_QUARTER_PATTERNS = [
    re.compile(r"^(?P<year>\d{4})\s*-?\s*Q(?P<q>[1-4])$", re.I),  # 2023 Q1, 2023-Q1, 2023Q1
    re.compile(r"^Q(?P<q>[1-4])\s+(?P<year>\d{4})$", re.I),  # Q1 2023
    re.compile(r"^(?P<year>\d{4})\s+(?P<q>[1-4])$"),  # Year and quarter number from two columns
    re.compile(r"^(?P<year>\d{4})-(?P<end>03-31|06-30|09-30|12-31)$"),  # the quarter's last day
]
_QUARTER_ENDS = {"03-31": 1, "06-30": 2, "09-30": 3, "12-31": 4}
_GOVERNMENT_YEAR = re.compile(r"^(?:year ending march\s+(?P<end>\d{4})|(?P<start>\d{4})\s*[-/]\s*(?P<next>\d{2}|\d{4}))$", re.I)

PLACEHOLDERS = {"no-location": ("area", "No location recorded")}
# A cell a table fills with a word meaning "not known" rather than leaving empty: the row counts
# under this area (declared in the geography graph), never dropped.
UNKNOWN_LOCAL_AUTHORITY = ("local-authority-not-known", "Local authority not known")

# Sex as the SDMX code list has it (sdmx-code:sex-M, -F, -U), and the spellings tables use.
# The key is what observation URIs get; the SDMX code is the value, so every dataset joins on it.
SEXES: dict[str, tuple[str, str, str]] = {  # normalised spelling -> (key, SDMX code, label)
    **{n: ("male", "sex-M", "Male") for n in ("male", "males", "m", "men", "man")},
    **{n: ("female", "sex-F", "Female") for n in ("female", "females", "f", "women", "woman")},
    **{n: ("unknown", "sex-U", "Not specified or unknown")
       for n in ("unknown", "not known", "u", "not specified", "not stated", "unknown sex",
                 "not specified or unknown")},
}


def suggest(raw: str, known: list[str]) -> str:
    close = difflib.get_close_matches(raw, known, n=3, cutoff=0.5)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


# The years the time reference (months, quarters, years, government years) covers; a period
# outside them would name an interval that is not published.
FIRST_YEAR, LAST_YEAR = 2000, 2030  # the Home Office asylum tables begin in 2001


def _outside_reference(year: int, spec: "FieldSpec", raw: str, row: Row, what: str) -> Problems | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return Problems(row.problem(
        "VALUE-PERIOD-RANGE", spec.column,
        f"{raw!r} is outside the {what} the platform's time reference covers ({FIRST_YEAR} to {LAST_YEAR}): "
        "correct the date, or widen FIRST_YEAR and LAST_YEAR in reference/kinds.py",
    ))


def _moment(spec: FieldSpec, raw: str, row: Row) -> datetime.datetime:
    """A date-time with an offset; without one it could be any of two hours, so it is refused."""
    try:
        if not _DATETIME.match(raw):
            raise ValueError
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Problems(row.problem(
            "VALUE-DATETIME", spec.column,
            f"{raw!r} is not a date and time with its offset from UTC; write it like 2016-05-31T23:07:00+00:00",
        )) from None


@dataclass
class Resolver:
    """Parses cells into Values under one base, remembering what reference items were used."""

    minter: Minter
    unknown_lsoas: dict[str, str] = field(default_factory=dict)  # code -> name from the data

    def __post_init__(self) -> None:
        self._forces = {}
        for force in tables.police_forces():
            for name in (force.name, force.slug, *force.other_names):
                self._forces[tables.normalise(name)] = force
        self._codes: dict[str, dict[str, tables.Code]] = {}
        self._digests: dict[tuple[str, str], int] = {}  # (file, digest) -> rows seen with it
        self._memo: dict[str, dict[str, Value]] = {}
        self._parsers: dict[str, Callable[[FieldSpec, str, Row], Value]] = {
            "text": self._text, "identifier": self._identifier, "decimal": self._decimal,
            "count": self._count, "month": self._month, "quarter": self._quarter, "year": self._year,
            "government-year": self._government_year, "lsoa": self._lsoa,
            "police-force": self._police_force, "police-force-area": self._police_force_area,
            "local-authority": self._local_authority, "nationality": self._nationality, "sex": self._sex,
            "code": self._code, "crime": self._crime, "date": self._date, "iri": self._iri,
            "datetime": self._datetime, "boolean": self._boolean,
        }
        # A police force area by its GSS code, its name, or the name of the force that polices it.
        self._areas: dict[str, tables.Area | tables.Force] = {}
        for area in tables.police_force_areas():
            for name in (area.code, area.name):
                self._areas[tables.normalise(name)] = area
        for force in tables.police_forces():
            for name in (force.name, force.slug, *force.other_names):
                self._areas.setdefault(tables.normalise(name), force)
        self._nationalities: dict[str, tables.Nationality] = {}
        for nationality in tables.nationalities():
            for name in (nationality.name, nationality.notation, *nationality.other_names):
                self._nationalities[tables.normalise(name)] = nationality

    @property
    def kinds(self) -> list[str]:
        return sorted(self._parsers)

    def parse(self, spec: FieldSpec, row: Row) -> Value | None:
        """The field's value in this row; None when optional and empty. Raises Problems."""
        if spec.kind == "row-digest":
            return self._row_digest(row)
        if spec.file_name is not None:
            raw = self._from_file_name(spec, row.file)
        elif spec.columns:
            raw = " ".join(v for v in (row.values.get(c, "") for c in spec.columns) if v)
        else:
            raw = row.values.get(spec.column, "")
        if spec.kind in _REPEATING:
            # The same few thousand months, areas and codes recur in every file: parse each once.
            memo = self._memo.setdefault(spec.name, {})
            value = memo.get(raw)
            if value is None:
                value = self._parse(spec, raw, row)
                if value is not None:
                    if len(memo) > 200_000:
                        memo.clear()
                    memo[raw] = value
            return value
        return self._parse(spec, raw, row)

    @staticmethod
    def _from_file_name(spec: FieldSpec, file: str) -> str:
        assert spec.file_name is not None
        name = Path(file).name
        match = re.search(spec.file_name, name)
        if match is None:
            raise Problems(Problem(
                "VALUE-FILE-NAME",
                f"the file name {name!r} does not match {spec.file_name!r}, which gives the {spec.name}: "
                "rename the file as the source names it (police.uk: YYYY-MM-<force>-<kind>.csv; "
                "organograms: <organisation>-YYYY-MM-DD-senior.csv)",
                file=file, column_name="file name",
            ))
        return match.group(1)

    def parse_file_name(self, spec: FieldSpec, file: str) -> Value | None:
        """A field read from the file's name, once per file; a wrong name is one problem naming
        the file, not one per row."""
        raw = self._from_file_name(spec, file)
        try:
            return self._parse(spec, raw, Row(file, 0, {}, {}))
        except Problems as exc:
            raise Problems(replace(exc.problem, line=None, column=None, column_name="file name",
                                   message=f"in the file name: {exc.problem.message}")) from None

    def _parse(self, spec: FieldSpec, raw: str, row: Row) -> Value | None:
        for text, status in spec.markers:
            if raw == text:
                uri = self.minter.def_("statistics", "observation-status", status)
                return Value(status, iri(uri), raw, uri, status=status)
        if not raw:
            if spec.empty_as is not None:
                found = self._parsers[spec.kind](spec, spec.empty_as, row)
                return replace(found, placeholder=True)
            if spec.missing:
                concept, label = PLACEHOLDERS[spec.missing]
                uri = self.minter.id(concept, spec.missing)
                return Value(spec.missing, iri(uri), label, uri, placeholder=True)
            if spec.optional:
                return None
            raise Problems(row.problem("VALUE-MISSING", spec.column, f"{spec.column!r} is empty; it must have a value"))
        return self._parsers[spec.kind](spec, raw, row)

    # -- literal kinds ---------------------------------------------------------------------
    def _text(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        return Value(slug(raw), literal(raw), raw)

    def _identifier(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        if spec.pattern and not re.fullmatch(spec.pattern, raw):
            raise Problems(row.problem(
                "VALUE-PATTERN", spec.column, f"{raw!r} is not a valid {spec.column} (expected the pattern {spec.pattern})"
            ))
        return Value(raw, literal(raw), raw)

    def _boolean(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        known = _BOOLEANS.get(raw.strip().lower())
        if known is None:
            raise Problems(row.problem("VALUE-BOOLEAN", spec.column, f"{raw!r} is not True or False"))
        return Value(known, f'"{known}"^^<{XSD_BOOLEAN}>', raw)

    def _datetime(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """A date-time with its offset, published as given (xsd:dateTime): never guessed local."""
        moment = _moment(spec, raw, row)
        outside = _outside_reference(moment.year, spec, raw, row, "dates")
        if outside:
            raise outside
        utc = moment.astimezone(datetime.timezone.utc)
        clock = utc.strftime("%H:%M:%S" if utc.second else "%H:%M")
        label = f"{utc.day} {calendar.month_name[utc.month]} {utc.year}, {clock} UTC"  # for page titles
        return Value(raw, f'"{raw}"^^<{XSD_DATETIME}>', label)

    def _row_digest(self, row: Row) -> Value:
        """An identifier for a row that has none: the first 16 hex digits of the SHA-256 of its
        cells (by column name) and of how many identical rows came before it in its file, so the
        same file gives the same identifiers, and a row added or removed elsewhere changes none."""
        content = "\x1f".join(f"{k}\x1e{v}" for k, v in sorted(row.values.items()))
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        seen = self._digests.get((row.file, digest), 0)
        self._digests[(row.file, digest)] = seen + 1
        if seen:
            digest = hashlib.sha256(f"{content}\x1d{seen}".encode("utf-8")).hexdigest()
        return Value(digest[:16], literal(digest[:16]), digest[:16])

    def _decimal(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        if not _DECIMAL.match(raw):
            raise Problems(row.problem("VALUE-DECIMAL", spec.column, f"{raw!r} is not a decimal number"))
        number = float(raw)
        if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
            raise Problems(row.problem(
                "VALUE-RANGE", spec.column, f"{raw} is outside {spec.minimum}..{spec.maximum}"
            ))
        # The lexical form is kept as given: never more precise than the source. It is only
        # digits, a sign and a point, so it needs no escaping.
        return Value(raw, f'"{raw}"^^<{XSD_DECIMAL}>', raw)

    def _count(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        status = MARKERS.get(raw)
        if status is not None:
            uri = self.minter.def_("statistics", "observation-status", status)
            return Value(status, iri(uri), raw, uri, status=status)
        if re.fullmatch(r"\d+\.0+", raw):
            raw = raw.split(".")[0]  # spreadsheets export whole numbers as 508663.0
        if not _COUNT.match(raw):
            raise Problems(row.problem(
                "VALUE-COUNT", spec.column, f"{raw!r} is not a whole number of at least 0 (like 12 or 1,234)"
            ))
        number = int(raw.replace(",", ""))
        return Value(str(number), integer(number), str(number), number=number)

    def _date(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        try:
            day = datetime.date.fromisoformat(raw) if _DATE.match(raw) else None
        except ValueError:
            day = None
        if day is None:
            raise Problems(row.problem(
                "VALUE-DATE", spec.column, f"{raw!r} is not a date; write it as YYYY-MM-DD, like 2012-09-30"
            ))
        outside = _outside_reference(day.year, spec, raw, row, "dates")
        if outside:
            raise outside
        return Value(raw, literal(raw, datatype=str(XSD.date)), f"{day.day} {day:%B %Y}")

    def _iri(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """Somebody else's http(s) IRI, as given (e.g. the URI a government register minted)."""
        if not _HTTP_IRI.match(raw):
            raise Problems(row.problem(
                "VALUE-IRI", spec.column, f"{raw!r} is not an http(s) IRI (no spaces, <, >, quotes or braces)"
            ))
        return Value(raw, iri(raw), raw, raw)

    # -- reference kinds -------------------------------------------------------------------
    def _month(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        if spec.timezone is not None:
            raw = _moment(spec, raw, row).astimezone(ZoneInfo(spec.timezone)).strftime("%Y-%m")
        named = _MONTH_NAMED.match(raw)
        if named and named.group(1).lower() in _MONTH_NAMES:
            raw = f"{named.group(2)}-{_MONTH_NAMES[named.group(1).lower()]:02d}"
        match = _MONTH.match(raw)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2100:
            raise Problems(row.problem(
                "VALUE-MONTH", spec.column, f"{raw!r} is not a month; write it as YYYY-MM, like 2019-01, or as a month name and year, like January 2019"
            ))
        year, month = int(match.group(1)), int(match.group(2))
        outside = _outside_reference(year, spec, raw, row, "months")
        if outside:
            raise outside
        uri = self.minter.id("month", raw)
        return Value(raw, iri(uri), f"{calendar.month_name[month]} {year}", uri)

    def _quarter(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        for pattern in _QUARTER_PATTERNS:
            match = pattern.match(raw.strip())
            if match:
                year = int(match.group("year"))
                quarter = int(match["q"]) if "q" in match.groupdict() else _QUARTER_ENDS[match["end"]]
                key = f"{year}-Q{quarter}"
                outside = _outside_reference(year, spec, raw, row, "quarters")
                if outside:
                    raise outside
                uri = self.minter.id("quarter", key)
                return Value(key, iri(uri), f"{year} Q{quarter}", uri)
        raise Problems(row.problem(
            "VALUE-QUARTER", self._wrong_part(spec, row),
            f"{raw!r} is not a quarter; write it like 2023 Q1 (quarters are Q1 to Q4)",
        ))

    @staticmethod
    def _wrong_part(spec: FieldSpec, row: Row) -> str:
        """Of a year and a quarter read from two columns, the column that is wrong."""
        if len(spec.columns) != 2:
            return spec.column
        year, quarter = (row.values.get(c, "").strip() for c in spec.columns)
        if not re.fullmatch(r"\d{4}", year):
            return spec.columns[0]
        if not re.fullmatch(r"(?i)q?[1-4]", quarter):
            return spec.columns[1]
        return spec.column

    def _year(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        if not re.fullmatch(r"\d{4}", raw) or not 1900 <= int(raw) <= 2100:
            raise Problems(row.problem("VALUE-YEAR", spec.column, f"{raw!r} is not a year such as 2019"))
        outside = _outside_reference(int(raw), spec, raw, row, "years")
        if outside:
            raise outside
        uri = self.minter.id("year", raw)
        return Value(raw, iri(uri), raw, uri)

    def _government_year(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        match = _GOVERNMENT_YEAR.match(raw.strip())
        start = None
        if match and match["end"]:
            start = int(match["end"]) - 1
        elif match:
            first, following = int(match["start"]), match["next"]
            if int(following) % 100 == (first + 1) % 100:
                start = first
        if start is None:
            raise Problems(row.problem(
                "VALUE-GOVERNMENT-YEAR", spec.column,
                f"{raw!r} is not a financial year; write it like 2023-24, 2023/24 or year ending March 2024",
            ))
        key = f"{start}-{start + 1}"
        outside = _outside_reference(start, spec, raw, row, "financial years")
        if outside:
            raise outside
        uri = self.minter.id("government-year", key)
        return Value(key, iri(uri), f"Financial year {start} to {start + 1}", uri)

    def _lsoa(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        if not _LSOA.match(raw):
            raise Problems(row.problem(
                "VALUE-LSOA", spec.column,
                f"{raw!r} is not an LSOA code: expected E01 or W01 and six digits, like E01000914",
            ))
        area = tables.lsoas().get(raw)
        if area is None:
            # A newer LSOA than the shipped 2011 lookup: published from the data, without a force area.
            self.unknown_lsoas.setdefault(raw, row.values.get("LSOA name", "") or raw)
            name = self.unknown_lsoas[raw]
        else:
            name = area.name
        uri = self.minter.id("lsoa", raw)
        return Value(raw, iri(uri), name, uri)

    def _police_force(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        force = self._forces.get(tables.normalise(raw))
        if force is None:
            names = [f.name for f in tables.police_forces()]
            raise Problems(row.problem(
                "VALUE-FORCE", spec.column,
                f"{raw!r} is not a police force we know.{suggest(raw, names)} "
                "A new force goes in data/reference/police-forces.csv",
            ))
        uri = self.minter.id("police-force", force.slug)
        return Value(force.slug, iri(uri), force.name, uri)

    def _police_force_area(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """A police force area of England and Wales, by GSS code, name, or its force's name."""
        found = self._areas.get(tables.normalise(raw))
        if isinstance(found, tables.Force):
            if found.area is None:
                raise Problems(row.problem(
                    "VALUE-FORCE-AREA", spec.column,
                    f"{raw!r} polices no police force area of its own (its crimes fall in the "
                    "territorial forces' areas), so this row cannot be placed in one",
                ))
            found = next(a for a in tables.police_force_areas() if a.code == found.area)
        if found is None:
            names = [a.name for a in tables.police_force_areas()]
            raise Problems(row.problem(
                "VALUE-FORCE-AREA", spec.column,
                f"{raw!r} is not a police force area of England and Wales.{suggest(raw, names)} "
                "Give its name, its force's name or its GSS code (E23, W15)",
            ))
        uri = self.minter.id("police-force-area", found.code)
        return Value(found.code, iri(uri), found.name, uri)

    def _local_authority(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """A local authority by GSS code; the word 'Unknown' counts under 'not known'."""
        if tables.normalise(raw) == "unknown":
            key, label = UNKNOWN_LOCAL_AUTHORITY
            uri = self.minter.id("area", key)
            return Value(key, iri(uri), label, uri, placeholder=True)
        area = tables.local_authorities().get(raw.strip().upper())
        if area is None:
            codes = list(tables.local_authorities())
            raise Problems(row.problem(
                "VALUE-LOCAL-AUTHORITY", spec.column,
                f"{raw!r} is not a local authority code we know.{suggest(raw, codes)} "
                "Give the GSS code (E06, E07, E08, E09, W06, S12, N09 and six digits); a new "
                "authority goes in data/reference/local-authorities.csv",
            ))
        uri = self.minter.id("local-authority", area.code)
        return Value(area.code, iri(uri), area.name, uri)

    def _crime(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """A link to the crime a police.uk Crime ID names, at /id/crime/{Crime ID}."""
        if not _CRIME_ID.match(raw):
            raise Problems(row.problem(
                "VALUE-CRIME-ID", spec.column,
                f"{raw!r} is not a police.uk Crime ID (64 lower-case hexadecimal characters)",
            ))
        uri = self.minter.id("crime", raw)
        return Value(raw, iri(uri), raw, uri)

    def _nationality(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """A nationality by its Home Office name, another spelling, or its ISO alpha-3 code."""
        nationality = self._nationalities.get(tables.normalise(raw))
        if nationality is None:
            names = [n.name for n in tables.nationalities()]
            raise Problems(row.problem(
                "VALUE-NATIONALITY", spec.column,
                f"{raw!r} is not a nationality we know.{suggest(raw, names)} "
                "A new nationality or spelling goes in data/reference/nationalities.csv",
            ))
        uri = self.minter.def_("migration", "nationality", nationality.slug)
        return Value(nationality.slug, iri(uri), nationality.name, uri)

    def _sex(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        """Male, female or unknown, as the SDMX sex codes (sdmx-code:sex-M, -F, -U)."""
        known = SEXES.get(tables.normalise(raw))
        if known is None:
            raise Problems(row.problem(
                "VALUE-SEX", spec.column,
                f"{raw!r} is not a sex we know; write Male, Female or Unknown",
            ))
        key, code, label = known
        uri = str(SDMX_CODE[code])
        return Value(key, iri(uri), label, uri)

    def _code(self, spec: FieldSpec, raw: str, row: Row) -> Value:
        assert spec.codelist is not None
        codes = self._codes.get(spec.codelist)
        if codes is None:
            codes = {}
            for code in tables.code_list(spec.codelist):
                for name in (code.label, code.slug, *code.other_names):
                    codes[tables.normalise(name)] = code
            self._codes[spec.codelist] = codes
        code = codes.get(tables.normalise(raw))
        if code is None:
            labels = [c.label for c in tables.code_list(spec.codelist)]
            spellings = [n for c in tables.code_list(spec.codelist) for n in (c.label, *c.other_names)]
            raise Problems(row.problem(
                "VALUE-CODE", spec.column,
                f"{raw!r} is not in the {spec.codelist} code list.{suggest(raw, spellings)} "
                f"Known: {', '.join(labels)}",
            ))
        vocab = tables.CODE_LISTS[spec.codelist][0]
        uri = self.minter.def_(vocab, spec.codelist, code.slug)
        return Value(code.slug, iri(uri), code.label, uri)
