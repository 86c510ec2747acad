"""Build one dataset's graph from its mapping and source tables, streaming to N-Triples.

Rows are read once. Records (e.g. crimes) are written as they come; the cube needs one
count per cell, so only the cells (not the rows, nor any graph) are held in memory.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import multiprocessing
import os
import re
import string
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from ..errors import Problem, SourceError
from ..mapping import Mapping
from ..namespaces import DCAT, DCTERMS, GEO, GSP, OWL, QB, RDF, RDFS, SKOS, XSD, vocabularies
from ..ntriples import TripleWriter, integer, iri, literal
from ..reference.kinds import FieldSpec, Problems, Resolver, Value
from ..tabular import Row, read_table
from ..uris import Minter

Progress = Callable[[str], None]
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    rows: int


@dataclass
class Tally:
    """What a build published, counted as it was written: the summary (summary.py) is made from
    this rather than by aggregating the staged graph again (minutes at a million observations)."""

    observations: int = 0
    total: int = 0  # the measure summed over the observations that have a value
    # dimension property -> value term (N-Triples) -> [observations, measure total]
    values: dict[str, dict[str, list[int]]] = field(default_factory=dict)


    def add(self, other: "Tally", sign: int = 1) -> None:
        """Add (or with sign -1 take away) another tally's counts: partitions sum to the dataset."""
        self.observations += sign * other.observations
        self.total += sign * other.total
        for dimension, values in other.values.items():
            mine = self.values.setdefault(dimension, {})
            for term, (n, t) in values.items():
                counted = mine.setdefault(term, [0, 0])
                counted[0] += sign * n
                counted[1] += sign * t
                if counted[0] <= 0:
                    del mine[term]


@dataclass
class Part:
    """One partition of a dataset as built (the whole dataset when it has no partition): its
    N-Triples, what it counts, and the digest of the sources that gave it rows."""

    key: str | None
    output: Path
    triples: int = 0
    observations: int = 0
    records: int = 0
    sources: set[str] = field(default_factory=set)  # SHA-256 of each file with rows in it
    tally: Tally = field(default_factory=Tally)

    def checksum(self, *salt: bytes) -> str:
        digest = hashlib.sha256()
        for part in (*salt, (self.key or "").encode(), *sorted(s.encode() for s in self.sources)):
            digest.update(hashlib.sha256(part).digest())
        return digest.hexdigest()


@dataclass
class BuildResult:
    dataset: str
    dataset_uri: str
    output: Path  # the dataset's own graph: its description, structure and, unpartitioned, its data
    triples: int = 0
    rows: int = 0
    observations: int = 0
    records: int = 0
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    parts: dict[str, Part] = field(default_factory=dict)  # partition key -> its part (partitioned only)
    # record URI -> (file, line, partition key): to check records against other partitions
    record_index: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)
    dataset_triples: int = 0  # of `output`
    # IRIs of `record_of` fields -> (dataset they must be records of, file, line, column, its number)
    references: dict[str, tuple[str, str, int, str, int | None]] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        """Every file the build wrote: the dataset's own graph and each partition's."""
        return [self.output, *(part.output for _, part in sorted(self.parts.items()))]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def checksum(self) -> str:
        """What the release was made from: the sources' digests (order matters not)."""
        digest = hashlib.sha256()
        for sha in sorted(s.sha256 for s in self.sources):
            digest.update(sha.encode())
        return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The United Kingdom with its islands (Scilly to Shetland, Northern Ireland to the east coast).
_UK_LATITUDE, _UK_LONGITUDE = (49.5, 61.0), (-8.7, 2.0)


def _in_uk(lon: float, lat: float) -> bool:
    return _UK_LATITUDE[0] <= lat <= _UK_LATITUDE[1] and _UK_LONGITUDE[0] <= lon <= _UK_LONGITUDE[1]


def _given_twice(path: Path, same: Path, by_content: bool) -> Problem:
    """A file named twice, or two files with the same content: every count would double."""
    what = f"the same content (SHA-256) as {same}" if by_content else f"the same file as {same}"
    return Problem(
        "SOURCE-TWICE", f"{what}, given before it: every row would be counted twice. Give each file once",
        file=str(path),
    )


def _decimal_text(number: decimal.Decimal) -> str:
    """A sum as xsd:decimal text: no exponent, no trailing zeros ("3.50" is "3.5", "4.00" is "4")."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _local_slug(prop: str) -> str:
    local = re.split(r"[#/]", prop)[-1]
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", local).lower()


def _fill(template: str, values: dict[str, Value | None]) -> str:
    names = [n for _, n, _, _ in string.Formatter().parse(template) if n]
    return template.format(**{n: (values[n].label if values.get(n) else "unknown") for n in names})


Sink = Callable[[str | None], TripleWriter]  # partition key -> where its triples go


def describe_dataset(out: TripleWriter, mapping: Mapping, minter: Minter, modified: str, checksum: str) -> None:
    """The dataset's description and structure (its own graph, when its data is partitioned)."""
    ds, meta = minter.data(mapping.dataset), mapping.metadata
    out.link(ds, str(RDF.type), str(QB.DataSet))
    out.link(ds, str(RDF.type), str(DCAT.Dataset))
    out.text(ds, str(RDFS.label), meta.title, "en")
    out.text(ds, str(DCTERMS.title), meta.title, "en")
    out.text(ds, str(DCTERMS.description), meta.description, "en")
    out.link(ds, str(DCTERMS.license), meta.licence)
    out.link(ds, str(DCTERMS.publisher), meta.publisher)
    out.typed(ds, str(DCTERMS.issued), meta.issued, str(XSD.date))
    out.typed(ds, str(DCTERMS.modified), modified, str(XSD.dateTime))
    out.link(ds, str(DCTERMS.accrualPeriodicity), meta.periodicity)
    out.text(ds, str(OWL.versionInfo), checksum)
    for keyword in meta.keywords:
        out.text(ds, str(DCAT.keyword), keyword, "en")
    dsd = f"{ds}/structure"
    out.link(ds, str(QB.structure), dsd)
    out.link(dsd, str(RDF.type), str(QB.DataStructureDefinition))
    out.text(dsd, str(RDFS.label), f"Structure of {meta.title}", "en")
    stat = vocabularies(minter.base).statistics
    # How the measure may be combined (ontology/statistics.ttl): totals among a dimension's codes...
    totals = {t.property: t for t in mapping.cube.totals}
    for order, dim in enumerate(mapping.cube.dimensions, start=1):
        spec = f"{dsd}/{_local_slug(dim.property)}"
        out.link(dsd, str(QB.component), spec)
        out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
        out.link(spec, str(QB.dimension), dim.property)
        out.link(spec, str(QB.componentProperty), dim.property)  # the spec's IC queries read this one
        out.add(spec, str(QB.order), integer(order))
        rule = totals.get(dim.property)
        for code in rule.codes if rule else ():
            out.link(spec, str(stat.allCode if code == rule.all else stat.totalCode), code)
    spec = f"{dsd}/{_local_slug(mapping.cube.measure)}"
    out.link(dsd, str(QB.component), spec)
    out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
    out.link(spec, str(QB.measure), mapping.cube.measure)
    out.link(spec, str(QB.componentProperty), mapping.cube.measure)
    # ...what the measure counts, and the dimensions it adds across.
    if mapping.cube.measure_label:
        out.text(spec, str(RDFS.label), mapping.cube.measure_label, "en")
    for dimension in mapping.cube.additive_over:
        out.link(spec, str(stat.additiveOver), dimension)
    if mapping.cube.may_lack_values:
        spec = f"{dsd}/observation-status"
        out.link(dsd, str(QB.component), spec)
        out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
        out.link(spec, str(QB.attribute), str(stat.observationStatus))
        out.link(spec, str(QB.componentProperty), str(stat.observationStatus))
        out.typed(spec, str(QB.componentRequired), "false", str(XSD.boolean))
    threshold = mapping.cube.disclosure
    if threshold is not None:
        out.add(ds, str(stat.disclosureThreshold), integer(threshold))


class _Builder:
    def __init__(self, mapping: Mapping, minter: Minter, sink: Sink, progress: Progress | None = None):
        self.m = mapping
        self.minter = minter
        self.sink = sink
        self.progress = progress
        self._partition_index = (
            [d.field for d in mapping.cube.dimensions].index(mapping.partition) if mapping.partition else None
        )
        self.resolver = Resolver(minter)
        self.dataset_uri = minter.data(mapping.dataset)
        # dimension keys -> [count or value, dimension values, status, where the row was]
        self.cells: dict[tuple[str, ...], list] = {}
        # key -> (facts, file, line, identity, URI, partition key)
        self.seen_records: dict[str, tuple[int, str, int, int, str, str | None]] = {}
        self.problems: list[Problem] = []
        # Predicates and classes as N-Triples terms, made once: records are the hot path.
        self._this_month = datetime.date.today().strftime("%Y-%m")
        self._future_warned: set[tuple[str, str]] = set()  # (file, month): warned once each
        self._type, self._label, self._comment = iri(str(RDF.type)), iri(str(RDFS.label)), iri(str(RDFS.comment))
        self._lat, self._long = iri(str(GEO.lat)), iri(str(GEO.long))
        self._has_geometry, self._geometry, self._as_wkt = iri(str(GSP.hasGeometry)), iri(str(GSP.Geometry)), iri(str(GSP.asWKT))
        records = mapping.records
        self._record_class = iri(records.cls) if records else ""
        self._record_properties = [(iri(p), f) for p, f in records.properties] if records else []
        # Fields given by `value:` are the same in every row: read once (load checked them).
        self._constants = {
            name: self.resolver.parse(mapping.fields[name], Row(str(mapping.path), 0, {"": text}, {}))
            for name, text in mapping.constants.items()
        }
        self._specs = {n: s for n, s in mapping.fields.items() if n not in mapping.constants and s.file_name is None}
        # Fields read from the file's name (police.uk's force): read once per file; a file whose
        # name gives none is one problem, and none of its rows is read.
        self._file_specs = {n: s for n, s in mapping.fields.items() if s.file_name is not None}
        self._file_values: dict[str, dict[str, Value | None] | None] = {}
        # Unpivoting: the fields every column of a row shares are read once per row; per
        # column, the value field reads that column's cell, so a problem names the real column.
        self._value_specs: dict[str, FieldSpec] = {}
        if mapping.unpivot is not None:
            unpivot = mapping.unpivot
            for name in (unpivot.into, unpivot.value):
                self._specs.pop(name)
            for column in unpivot.columns:
                self._value_specs[column] = replace(mapping.fields[unpivot.value], column=column)
        self._headers: dict[str, dict[str, Value | None]] = {}  # file -> unpivoted header -> value
        # Total rows the mapping declares: rule index -> [rows, file and line of the first].
        self.totals: dict[int, list] = {}
        self._first_seen: set[tuple[str, str]] = set()
        # `source.repeated_rows: once`: each row's cells seen in its file -> its line; repeats per
        # file [rows, first repeat's line, the line it repeats]
        self._rows_seen: dict[tuple[str, ...], int] = {}
        self.repeats: dict[str, list[int]] = {}
        self._uri_fields = [(n, s.uri) for n, s in mapping.fields.items() if s.uri]
        # `records.parent`: record key -> (parent's key or None, file, line, the parent as the row
        # names it, the link's triples, partition, the column's number)
        self.parents: dict[str, tuple[str | None, str, int, str, str, str | None, int | None]] = {}
        # `records.inactive`: records are held until the file is read (a later row may be the
        # record an inactive row only marked), record key -> (partition, triples); the keys of
        # records from inactive rows; per file [rows, first line]
        self.pending: dict[str, tuple[str | None, list[str]]] = {}
        self.inactive_keys: set[str] = set()
        self.inactive_rows: dict[str, list[int]] = {}
        # `records.things`: IRI -> (partition, its triples), the first row naming it describes it
        self.things: dict[str, tuple[str | None, list[str]]] = {}
        self.parent_links: list[tuple[str | None, str]] = []  # (partition, triples) of links checked
        # `record_of` fields: IRI -> (dataset, file, line, column, its number) of the first row naming it
        self.references: dict[str, tuple[str, str, int, str, int | None]] = {}

    def add_problem(self, problem: Problem) -> None:
        """Keep up to MAX_PROBLEMS errors and as many warnings; a warning never fails a build."""
        kept = [p for p in self.problems if p.severity == problem.severity]
        if len(kept) < MAX_PROBLEMS:
            self.problems.append(problem)
        elif len(kept) == MAX_PROBLEMS:
            more = "errors; fix these and run again" if problem.severity == "error" else "warnings"
            self.problems.append(Problem(
                "TOO-MANY-PROBLEMS", f"stopped listing after {MAX_PROBLEMS} {more}", severity=problem.severity,
            ))

    def row(self, row: Row) -> None:
        if self.m.repeated_rows == "once" and self._repeated(row):
            return
        for index, rule in enumerate(self.m.totals):
            value = row.values.get(rule.column)
            if value in rule.values:
                if rule.first_only:
                    if (row.file, value) in self._first_seen:
                        continue
                    self._first_seen.add((row.file, value))
                tally = self.totals.setdefault(index, [0, row.file, row.line])
                tally[0] += 1
                if rule.replace_with is None:
                    return
                row = Row(row.file, row.line, {**row.values, rule.column: rule.replace_with}, row.columns, row.header_line)
        unpivot = self.m.unpivot
        shared = self.parse(row, self._specs)
        if shared is None:
            return
        if self._file_specs:
            named = self.file_values(row.file)
            if named is None:
                return
            shared.update(named)
        if self.m.agreements and not self.agree(row, shared):
            return
        if self._uri_fields:  # with every field read, the file's name's too: a template may name any
            self._as_iris(row, shared)
        if unpivot is None:
            self.cell(row, {**self._constants, **shared}, notes=self._notes(row, self._specs))
            return
        headers = self.headers(row) if unpivot.with_column is None else self.row_headers(row)
        for column, header in headers.items():
            value_spec = self._value_specs[column]
            measured = self.parse(row, {unpivot.value: value_spec})
            if header is None or measured is None or (unpivot.skip_blank and measured[unpivot.value] is None):
                continue
            notes = self._notes(row, {**self._specs, unpivot.value: value_spec})
            self.cell(row, {**self._constants, **shared, unpivot.into: header, **measured}, value_spec.column, notes)

    @staticmethod
    def _notes(row: Row, specs: dict[str, FieldSpec]) -> tuple[str, ...]:
        """The footnotes of the cells (and headers) an observation is read from, each once."""
        if not row.notes:
            return ()
        return tuple(dict.fromkeys(n for spec in specs.values() for c in spec.sources for n in row.notes.get(c, ())))

    def row_headers(self, row: Row) -> dict[str, Value | None]:
        """With `unpivot.with_column`: each column's `into` value from this row's label and the
        header ("April" and "2013"); a problem is at this row, in the column it was read for."""
        unpivot = self.m.unpivot
        assert unpivot is not None and unpivot.with_column is not None
        label = row.values.get(unpivot.with_column, "")
        headers: dict[str, Value | None] = {}
        for column in unpivot.columns:
            text = f"{label} {unpivot.header_text(column)}"
            try:
                headers[column] = self.resolver.parse(
                    replace(self.m.fields[unpivot.into], column=column), Row(row.file, row.line, {column: text}, row.columns))
            except Problems as exc:
                self.add_problem(exc.problem)
                headers[column] = None
        return headers

    def _repeated(self, row: Row) -> bool:
        cells = (row.file, *(row.values.get(c, "") for c in row.columns))
        earlier = self._rows_seen.setdefault(cells, row.line)
        if earlier == row.line:
            return False
        self.repeats.setdefault(row.file, [0, row.line, earlier])[0] += 1
        return True

    def report_repeats(self) -> None:
        for file, (rows, line, earlier) in self.repeats.items():
            self.add_problem(Problem(
                "ROW-REPEATED",
                f"{rows} row(s) repeat an earlier row of the file in every column (this one repeats line "
                f"{earlier}); each is read once, as the mapping declares (`source.repeated_rows: once`)",
                file=file, line=line, severity="warning",
            ))
    def agree(self, row: Row, values: dict[str, Value | None]) -> bool:
        """The fields the mapping says must agree do, or the row is a problem at its cell."""
        for rule in self.m.agreements:
            found = {name: values[name].key for name in rule.fields if values.get(name) is not None}
            if len(set(found.values())) > 1:
                said = ", ".join(f"{name} {key}" for name, key in found.items())
                self.add_problem(row.problem(
                    "VALUE-DISAGREES", self.m.fields[rule.fields[0]].column,
                    f"{said}: these must be the same ({rule.why})",
                ))
                return False
        return True

    def file_values(self, file: str) -> dict[str, Value | None] | None:
        """The fields a file's name gives, read once per file; None when its name is wrong."""
        if file in self._file_values:
            return self._file_values[file]
        values: dict[str, Value | None] = {}
        for name, spec in self._file_specs.items():
            try:
                values[name] = self.resolver.parse_file_name(spec, file)
            except Problems as exc:
                self.add_problem(exc.problem)
                self._file_values[file] = None
                return None
        self._file_values[file] = values
        return values

    def headers(self, row: Row) -> dict[str, Value | None]:
        """Each unpivoted column's header as a value of the `into` field, resolved once per file
        like a cell would be; a header that is no such value is a problem at the header row."""
        headers = self._headers.get(row.file)
        if headers is None:
            unpivot = self.m.unpivot
            assert unpivot is not None
            header_row = Row(row.file, row.header_line, {c: unpivot.header_text(c) for c in unpivot.columns}, row.columns)
            headers = {}
            for column in unpivot.columns:
                try:
                    headers[column] = self.resolver.parse(replace(self.m.fields[unpivot.into], column=column), header_row)
                except Problems as exc:
                    self.add_problem(exc.problem)
                    headers[column] = None
            self._headers[row.file] = headers
        return headers

    def parse(self, row: Row, specs: dict[str, FieldSpec]) -> dict[str, Value | None] | None:
        """The fields' values in this row; None (and the problems kept) if any cell is wrong."""
        values: dict[str, Value | None] = {}
        failed: set[str] = set()  # columns found wrong: a second field reading one is not asked
        for name, spec in specs.items():
            if failed and failed.intersection(spec.sources):
                continue
            try:
                values[name] = value = self.resolver.parse(spec, row)
            except Problems as exc:
                self.add_problem(exc.problem)
                failed.update(spec.sources or ("",))
                continue
            if spec.kind == "month" and value is not None and value.key > self._this_month:
                self._future(row, spec, value.key)
        if failed:
            return None
        return values

    def _as_iris(self, row: Row, values: dict[str, Value | None]) -> None:
        """Fields with a `uri:` template are published as that IRI (keys stay as they were read)."""
        keys = {n: v.key for n, v in values.items() if v is not None}
        for name, template in self._uri_fields:
            value = values.get(name)
            if value is None or value.status is not None or name not in values:
                continue
            uri = self.minter.expand(template, **keys)
            values[name] = replace(value, term=iri(uri), uri=uri)
            spec = self.m.fields[name]
            if spec.record_of and uri not in self.references:
                self.references[uri] = (spec.record_of, row.file, row.line, spec.column, row.columns.get(spec.column))

    def _future(self, row: Row, spec: FieldSpec, month: str) -> None:
        """A month after this one cannot have been counted yet: warn, once per file and month."""
        if (row.file, month) in self._future_warned:
            return
        self._future_warned.add((row.file, month))
        self.add_problem(row.problem(
            "VALUE-FUTURE", spec.column,
            f"{month} is after this month ({self._this_month}): a typo in the year, or a file not yet due?",
            severity="warning",
        ))

    def cell(self, row: Row, values: dict[str, Value | None], value_column: str | None = None,
             notes: tuple[str, ...] = ()) -> None:
        """Count or place one logical row in its cell (and its record)."""
        inactive = self._inactive(row)
        if self.m.records is not None:
            self.record(row, values, inactive)
        if inactive:  # a record no longer there: published, counted nowhere
            self.inactive_rows.setdefault(row.file, [0, row.line])[0] += 1
            return
        dims = [values[d.field] for d in self.m.cube.dimensions]
        key = tuple(v.key for v in dims if v is not None)
        cell = self.cells.get(key)
        if self.m.cube.count_rows:
            if cell is None:
                self.cells[key] = [1, dims, None]
            else:
                cell[0] += 1
            return
        if self.m.cube.sum_field:
            # The rows of a cell are its parts (junior posts of one grade under one post, by job
            # title): added exactly, as decimals.
            part = values[self.m.cube.sum_field]
            amount = decimal.Decimal(part.key) if part is not None and part.status is None else decimal.Decimal(0)
            if cell is None:
                self.cells[key] = [amount, dims, None, f"{row.file}:{row.line}"]
            else:
                cell[0] += amount
            return
        measured = values[self.m.cube.value_field or ""]
        if cell is not None:
            # A table gives each cell once; a second row for it is a mistake, not more to add.
            column = value_column or self.m.fields[self.m.cube.value_field or ""].column
            self.add_problem(row.problem(
                "CUBE-DUPLICATE-CELL", column,
                f"this row gives the same cell ({', '.join(key)}) as {cell[3]}; remove one of them",
            ))
            return
        status = measured.status if measured else "not-available"
        self.cells[key] = [measured.number if measured else None, dims, status, f"{row.file}:{row.line}", notes]

    def _inactive(self, row: Row) -> bool:
        rule = self.m.records.inactive if self.m.records else None
        return rule is not None and rule.marks(row.values.get(rule.column, ""))

    def record(self, row: Row, values: dict[str, Value | None], inactive: bool = False) -> None:
        rec = self.m.records
        assert rec is not None
        key_values = [values[k] for k in rec.key]
        if any(v is None for v in key_values):
            return
        record_key = "/".join(v.key for v in key_values if v is not None)
        parent = rec.parent
        above = values.get(parent.field) if parent is not None else None
        if parent is not None:
            # The link to the parent is written once the parent is known to exist (check_parents).
            values = {**values, parent.field: None}
            if above is not None and above.key in parent.top:
                above = None
        terms = [(p, v.term) for p, v in ((p, values[f]) for p, f in self._record_properties)
                 if v is not None and not v.placeholder]
        point = [values[f] for f in (rec.point or ())]
        facts = hash((tuple(terms), tuple(v.term if v else "" for v in point)))
        seen = self.seen_records.get(record_key)
        if seen is not None and rec.inactive is not None and inactive != (record_key in self.inactive_keys):
            self.inactive_twice(row, record_key, seen, inactive)
            if inactive:
                return
            seen = None  # this row, not the inactive one, is the record
            self.inactive_keys.discard(record_key)
        if seen is not None:
            if seen[0] != facts:
                identity = hash(tuple(values[f].term if values[f] else "" for f in rec.identity))
                self.conflict(row, record_key, seen, identity_differs=seen[3] != identity)
            return  # a repeated row describes the same record once; every row still counts
        identity = hash(tuple(values[f].term if values[f] else "" for f in rec.identity))
        uri = self.minter.expand(rec.uri, **{n: v.key for n, v in values.items() if v is not None})
        partition = values[self.m.partition].key if self.m.partition and values.get(self.m.partition) else None
        self.seen_records[record_key] = (facts, row.file, row.line, identity, uri, partition)
        if parent is not None:
            parent_key = None if above is None else "/".join(
                (above if k == parent.key else values[k]).key for k in rec.key)  # type: ignore[union-attr]
            links = [prop for prop, name in rec.properties if name == parent.field]
            link = "".join(f"{iri(uri)} {iri(p)} {above.term} .\n" for p in links) if above else ""
            column_number = row.columns.get(self.m.fields[parent.field].column)
            self.parents[record_key] = (parent_key, row.file, row.line, above.key if above else "", link, partition,
                                        column_number)
        subject = iri(uri)  # checked once; the rest of the record is written as text
        lines = [f"{subject} {self._type} {self._record_class} .\n"]
        if inactive and rec.inactive is not None:
            self.inactive_keys.add(record_key)
            lines.append(f"{subject} {self._type} {iri(rec.inactive.cls)} .\n")
        if rec.label:
            lines.append(f"{subject} {self._label} {literal(_fill(rec.label, values), lang='en')} .\n")
        lines.extend(f"{subject} {p} {term} .\n" for p, term in terms)
        lines.extend(self._things(subject, values, partition))
        if len(point) == 2 and point[0] is not None and point[1] is not None:
            lon, lat = point
            self._check_point(row, float(lon.key), float(lat.key))
            geometry = iri(f"{uri}/geometry")
            wkt = literal(f"POINT({lon.key} {lat.key})", datatype=str(GSP.wktLiteral))
            lines += [
                f"{subject} {self._lat} {lat.term} .\n", f"{subject} {self._long} {lon.term} .\n",
                f"{subject} {self._has_geometry} {geometry} .\n", f"{geometry} {self._type} {self._geometry} .\n",
                f"{geometry} {self._as_wkt} {wkt} .\n",
            ]
        if rec.inactive is not None:
            self.pending[record_key] = (partition, lines)
        else:
            self.sink(partition).lines(lines)

    def inactive_twice(self, row: Row, key: str, seen: tuple, inactive: bool) -> None:
        """One key given by a row marked inactive and by one that is not: one record, the
        unmarked row's (the other is a stale listing of it). Warned with both lines."""
        rec = self.m.records
        assert rec is not None and rec.inactive is not None
        column = self.m.fields[rec.key[-1]].column
        earlier = f"line {seen[2]}" if seen[1] == row.file else f"{seen[1]}:{seen[2]}"
        marked, other = ("this row", earlier) if inactive else (earlier, "this row")
        self.add_problem(row.problem(
            "RECORD-INACTIVE-TWICE", column,
            f"{column} {key} is also at {earlier}; {marked} is marked inactive (its {rec.inactive.column}) and "
            f"{other} is not: one record, with {other}'s facts, and only {other} counts in the cube",
            severity="warning",
        ))

    def flush_records(self) -> None:
        """Write the records held back (`records.inactive`), once every row of the file is read."""
        for partition, lines in self.pending.values():
            self.sink(partition).lines(lines)
        self.pending.clear()

    def report_inactive(self) -> None:
        rule = self.m.records.inactive if self.m.records else None
        for file, (rows, line) in self.inactive_rows.items():
            assert rule is not None
            self.add_problem(Problem(
                "RECORD-INACTIVE",
                f"{rows} row(s) with {rule.column} in {list(rule.given)} (quotes and case aside) describe records no longer there "
                f"({rule.why}): published as such, counted in no cube cell; this is the first of them",
                file=file, line=line, column_name=rule.column, severity="warning",
            ))

    def _things(self, subject: str, values: dict[str, Value | None], partition: str | None) -> list[str]:
        """The record's links to the things its row names; each thing is described the first
        time (kept aside, so that a thing named in several files is written once)."""
        assert self.m.records is not None
        lines = []
        keys = {n: v.key for n, v in values.items() if v is not None}
        for thing in self.m.records.things:
            try:
                uri = self.minter.expand(thing.uri, **keys)
            except KeyError:
                continue  # a field it needs is empty in this row: no such thing
            term = iri(uri)
            lines.append(f"{subject} {iri(thing.link)} {term} .\n")
            if uri in self.things:
                continue
            about = [f"{term} {self._type} {iri(thing.cls)} .\n"]
            if thing.label:
                about.append(f"{term} {self._label} {literal(_fill(thing.label, values), lang='en')} .\n")
            for prop, name in thing.properties:
                value = values.get(name)
                if value is not None and not value.placeholder:
                    about.append(f"{term} {iri(prop)} {value.term} .\n")
            self.things[uri] = (partition, about)
        return lines

    def check_parents(self) -> None:
        """Every parent a record names is a record of the same scope, and no chain loops."""
        rec = self.m.records
        if rec is None or rec.parent is None:
            return
        fields = self.m.fields
        column = fields[rec.parent.field].column
        scope = " and ".join(fields[k].column if not fields[k].file_name else f"{k} (from the file's name)"
                             for k in rec.key if k != rec.parent.key) or "dataset"
        for key, (parent_key, file, line, named, link, partition, number) in self.parents.items():
            if parent_key is None:
                continue
            if parent_key in self.seen_records:
                self.parent_links.append((partition, link))
            else:
                self.add_problem(Problem(
                    "PARENT-MISSING",
                    f"{named!r} is not a {fields[rec.parent.key].column} of any row with the same {scope}: "
                    f"correct the reference, add the missing row, or write one of {list(rec.parent.top)} for "
                    "the top of the tree",
                    file=file, line=line, column=number, column_name=column,
                ))
        done: set[str] = set()
        for start in self.parents:
            chain: list[str] = []
            at: str | None = start
            while at is not None and at not in done and at in self.parents:
                if at in chain:
                    loop = chain[chain.index(at):] + [at]
                    file, line, number = self.parents[at][1], self.parents[at][2], self.parents[at][6]
                    names = [self.parents[k][3] for k in loop[:-1]]
                    self.add_problem(Problem(
                        "PARENT-CYCLE",
                        f"the tree loops: {' -> '.join([self.parents[loop[-1]][3], *names])} (each names the next "
                        "as its parent), so none of them reaches the top. Correct one of these references",
                        file=file, line=line, column=number, column_name=column,
                    ))
                    break
                chain.append(at)
                at = self.parents[at][0]
            done.update(chain)

    def _check_point(self, row: Row, lon: float, lat: float) -> None:
        """police.uk points lie in England, Wales or Northern Ireland; elsewhere is a mistake,
        most often latitude and longitude swapped."""
        if _in_uk(lon, lat):
            return
        assert self.m.records is not None and self.m.records.point is not None
        column = self.m.fields[self.m.records.point[1]].column
        swapped = " (latitude and longitude swapped?)" if _in_uk(lat, lon) else ""
        self.add_problem(row.problem(
            "POINT-OUTSIDE-UK", column,
            f"the point latitude {lat:g}, longitude {lon:g} is outside the United Kingdom{swapped}",
            severity="warning",
        ))

    def conflict(self, row: Row, key: str, seen: tuple, identity_differs: bool) -> None:
        rec = self.m.records
        assert rec is not None
        column = self.m.fields[rec.key[-1]].column
        where = f"{column} {key} is also at {seen[1]}:{seen[2]}"
        if identity_differs or rec.conflicts == "error":
            fields = ", ".join(self.m.fields[f].column for f in rec.identity) if identity_differs else "other columns"
            self.add_problem(row.problem(
                "RECORD-CONFLICT", column,
                f"{where} with a different {fields}; one identifier must mean one record. "
                "Correct or remove one of the rows",
            ))
        else:
            self.add_problem(row.problem(
                "RECORD-DUPLICATE", column,
                f"{where} with different facts; the record keeps that first row's facts "
                "(this row still counts in the cube)", severity="warning",
            ))

    def report_totals(self) -> None:
        """Say what was done with the total rows: never a silent drop."""
        for index, (rows, file, line) in sorted(self.totals.items()):
            rule = self.m.totals[index]
            done = "left out" if rule.replace_with is None else f"read as {rule.replace_with!r}"
            self.add_problem(Problem(
                "TOTAL-ROWS",
                f"{rows} row(s) with {rule.column} in {list(rule.values)} {done}, as the mapping declares "
                f"({rule.why}); this is the first of them",
                file=file, line=line, column_name=rule.column, severity="warning",
            ))

    def write_dataset(self, out: TripleWriter, modified: str, checksum: str) -> None:
        describe_dataset(out, self.m, self.minter, modified, checksum)

    def write_observations(self, tallies: dict[str | None, Tally]) -> None:
        """Write each cell as an observation to its partition's sink, counting it into that
        partition's tally; then the areas the lookup did not know, in each partition using them."""
        stat = vocabularies(self.minter.base).statistics
        status_property = iri(str(stat.observationStatus))
        threshold = self.m.cube.disclosure
        suppressed = iri(self.minter.def_("statistics", "observation-status", "suppressed"))
        ds = self.dataset_uri
        unknown = {self.minter.id("lsoa", code) for code in self.resolver.unknown_lsoas}
        using_unknown: dict[str | None, set[str]] = {}

        dataset_term = iri(ds)
        type_term = iri(str(QB.Observation))
        measure_term = iri(self.m.cube.measure)
        data_set = iri(str(QB.dataSet))
        properties = [iri(d.property) for d in self.m.cube.dimensions]
        at = self._partition_index
        for count, dims, status, *where_notes in self.cells.values():
            partition = dims[at].key if at is not None else None
            tally = tallies.get(partition)
            if tally is None:
                tally = tallies[partition] = Tally()
                for d in self.m.cube.dimensions:
                    tally.values[d.property] = {}
            by_dimension = [tally.values[d.property] for d in self.m.cube.dimensions]
            if unknown:
                for value in dims:
                    if value.uri in unknown:
                        using_unknown.setdefault(partition, set()).add(value.uri)
            obs = iri(self.minter.expand(
                self.m.cube.observation,
                **{d.field: v.key for d, v in zip(self.m.cube.dimensions, dims)},
            ))
            lines = [f"{obs} {self._type} {type_term} .\n", f"{obs} {data_set} {dataset_term} .\n"]
            lines.extend(f"{obs} {prop} {value.term} .\n" for prop, value in zip(properties, dims))
            published = 0  # what this observation adds to the totals: its value, if it has one
            if status is not None:
                status_term = iri(self.minter.def_("statistics", "observation-status", status))
                lines.append(f"{obs} {status_property} {status_term} .\n")
            elif threshold is not None and 0 < count < threshold:
                lines.append(f"{obs} {status_property} {suppressed} .\n")
            elif isinstance(count, decimal.Decimal):
                # A sum of decimals (FTE) is not added into the tally's whole-number totals.
                lines.append(f"{obs} {measure_term} {literal(_decimal_text(count), datatype=str(XSD.decimal))} .\n")
            else:
                lines.append(f"{obs} {measure_term} {integer(count)} .\n")
                published = count
            # The table's footnotes on the cell, its header or its row label ("revised figures").
            notes = where_notes[1] if len(where_notes) > 1 else ()
            lines.extend(f"{obs} {self._comment} {literal(note, lang='en')} .\n" for note in notes)
            self.sink(partition).lines(lines)
            tally.observations += 1
            tally.total += published
            for values, value in zip(by_dimension, dims):
                counted = values.get(value.term)
                if counted is None:
                    values[value.term] = [1, published]
                else:
                    counted[0] += 1
                    counted[1] += published
        self.unknown_areas(using_unknown)

    def unknown_areas(self, using: dict[str | None, set[str]]) -> None:
        """LSOAs newer than the shipped lookup: published from the data, without a force area,
        in each partition that counts in them (so retracting one never takes them from another)."""
        geog = vocabularies(self.minter.base).geography
        for code, name in sorted(self.resolver.unknown_lsoas.items()):
            uri = self.minter.id("lsoa", code)
            for partition, uris in using.items():
                if uri not in uris:
                    continue
                out = self.sink(partition)
                out.link(uri, str(RDF.type), str(geog.LowerLayerSuperOutputArea))
                out.link(uri, str(RDF.type), str(geog.Area))
                out.text(uri, str(RDFS.label), name, "en")
                out.text(uri, str(SKOS.notation), code)
                out.link(uri, str(OWL.sameAs), f"http://statistics.data.gov.uk/id/statistical-geography/{code}")
            self.add_problem(Problem(
                "LSOA-NOT-IN-LOOKUP",
                f"LSOA {code} ({name}) is not in the shipped 2011 LSOA lookup: published with the name "
                "the data gives and no police force area",
                focus=uri, severity="warning",
            ))


@dataclass
class _FileRead:
    """What reading one source file gave: its cells, records and problems. Its records'
    triples are already written, to one file per partition."""

    path: Path
    sha256: str
    rows: int
    cells: dict
    seen_records: dict
    problems: list[Problem]
    totals: dict
    unknown_lsoas: dict[str, str]
    records: dict[str | None, tuple[Path, int]]  # partition key -> (file, triples)
    partitions: set[str | None]
    parents: dict[str, tuple[str | None, str, int, str, str, str | None, int | None]] = field(default_factory=dict)
    things: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)
    references: dict[str, tuple[str, str, int, str, int | None]] = field(default_factory=dict)


def _slug(key: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key or "all")


class _Files:
    """One N-Triples file per partition key, opened when first written to."""

    def __init__(self, name: Callable[[str | None], Path]):
        self.name = name
        self.open: dict[str | None, tuple] = {}  # key -> (handle, writer, path)

    def __call__(self, key: str | None) -> TripleWriter:
        entry = self.open.get(key)
        if entry is None:
            path = self.name(key)
            handle = path.open("a", encoding="utf-8")
            entry = self.open[key] = (handle, TripleWriter(handle), path)
        return entry[1]

    def close(self) -> dict[str | None, tuple[Path, int]]:
        done = {}
        for key, (handle, writer, path) in self.open.items():
            handle.close()
            done[key] = (path, writer.count)
        return done


def _read_file(mapping: Mapping, base: str, path: Path, index: int, folder: Path) -> _FileRead:
    """Read one source file (in a worker process when building in parallel)."""
    files = _Files(lambda key: folder / f"records-{index}-{_slug(key)}.nt")
    builder = _Builder(mapping, Minter(base), files)
    rows = 0
    try:
        for row in read_table(path, mapping.columns, mapping.layout, builder.add_problem):
            builder.row(row)
            rows += 1
    except SourceError as exc:
        builder.add_problem(exc.problem)
    builder.report_repeats()
    builder.report_inactive()
    builder.flush_records()
    records = files.close()
    at = builder._partition_index
    partitions = set(records) | ({cell[1][at].key for cell in builder.cells.values()} if at is not None else {None})
    return _FileRead(
        path, _sha256(path) if path.is_file() else "", rows, builder.cells, builder.seen_records,
        builder.problems, builder.totals, dict(builder.resolver.unknown_lsoas), records, partitions,
        builder.parents, builder.things, builder.references,
    )


def _reads(mapping: Mapping, base: str, sources: list[Path], folder: Path, workers: int) -> Iterator[_FileRead]:
    """Each source file read, in the order given; in `workers` processes when more than one."""
    if workers <= 1 or len(sources) <= 1:
        for index, path in enumerate(sources):
            yield _read_file(mapping, base, path, index, folder)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(sources)), mp_context=context) as pool:
        futures = [pool.submit(_read_file, mapping, base, path, i, folder) for i, path in enumerate(sources)]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build_dataset(
    mapping: Mapping,
    sources: list[Path],
    minter: Minter,
    output: Path,
    *,
    modified: str,
    progress: Progress | None = None,
    workers: int = 1,
) -> BuildResult:
    """Read every source (in `workers` processes), then write the dataset's graph to
    `output` (or `output/{dataset}.nt`) and, when the mapping declares a partition, each partition's
    observations and records to a file of its own (`BuildResult.parts`).

    Source problems are collected (up to MAX_PROBLEMS) and returned, never raised, except
    when a file cannot be read at all; the caller must not publish a result with errors.
    """
    # `output`: a folder, or the dataset graph's file (its folder then takes the other files).
    folder = output.parent if output.suffix == ".nt" else output
    result = BuildResult(mapping.dataset, minter.data(mapping.dataset),
                         output if output.suffix == ".nt" else folder / f"{mapping.dataset}.nt")
    result.output.unlink(missing_ok=True)
    partitioned = mapping.partition is not None

    def part_file(key: str | None) -> Path:
        return folder / f"{mapping.dataset}--part-{_slug(key)}.nt" if partitioned else result.output

    outputs = _Files(part_file)
    for key in ([] if partitioned else [None]):
        outputs(key)
    merged = _Builder(mapping, minter, outputs, progress)
    part_sources: dict[str | None, set[str]] = {}
    record_files: list[tuple[str | None, Path, int]] = []
    named: dict[Path, Path] = {}
    for path in sources:  # the same file twice, however spelt: refused before reading it
        if path.resolve() in named:
            merged.add_problem(_given_twice(path, named[path.resolve()], by_content=False))
        named.setdefault(path.resolve(), path)
    contents: dict[str, Path] = {}
    for read in [] if len(named) < len(sources) else _reads(mapping, minter.base, sources, folder, workers):
        if read.sha256 and read.sha256 in contents:
            merged.add_problem(_given_twice(read.path, contents[read.sha256], by_content=True))
        if read.sha256:
            contents.setdefault(read.sha256, read.path)
        for problem in read.problems:
            merged.add_problem(problem)
        for index, (rows, file, line) in read.totals.items():
            merged.totals.setdefault(index, [0, file, line])[0] += rows
        for code, name in read.unknown_lsoas.items():
            merged.resolver.unknown_lsoas.setdefault(code, name)
        _merge_cells(merged, read)
        _merge_records(merged, read)
        for key, parent in read.parents.items():
            merged.parents.setdefault(key, parent)
        for uri, where in read.references.items():
            merged.references.setdefault(uri, where)
        for uri, thing in read.things.items():
            merged.things.setdefault(uri, thing)
        for key, (path, triples) in read.records.items():
            record_files.append((key, path, triples))
        for key in read.partitions:
            part_sources.setdefault(key, set()).add(read.sha256)
        result.sources.append(SourceFile(read.path, read.sha256, read.rows))
        result.rows += read.rows
        if progress:
            progress(f"read {read.path.name}: {read.rows:,} rows")
    merged.report_totals()
    merged.check_parents()
    result.references = merged.references
    if not any(p.severity == "error" for p in merged.problems):
        for key, path, triples in record_files:
            with path.open("r", encoding="utf-8") as records:
                outputs(key).copy(records, triples)
        for key, lines in merged.things.values():
            outputs(key).lines(lines)
        for key, link in merged.parent_links:
            outputs(key).lines([link])
        tallies: dict[str | None, Tally] = {}
        merged.write_observations(tallies)
        if not partitioned:
            merged.write_dataset(outputs(None), modified, result.checksum)
        else:  # the pipeline writes it again when it publishes, with what every partition says
            with result.output.open("w", encoding="utf-8") as handle:
                described = TripleWriter(handle)
                merged.write_dataset(described, modified, result.checksum)
                result.dataset_triples = described.count
        records_per_part: dict[str | None, int] = {}
        for facts, file, line, identity, uri, key in merged.seen_records.values():
            records_per_part[key] = records_per_part.get(key, 0) + 1
            result.record_index[uri] = (file, line, key)
        written = outputs.close()
        for key, tally in tallies.items():
            result.tally.add(tally)
        for key, (path, triples) in written.items():
            if key is None and not partitioned:
                result.dataset_triples = triples
                continue
            result.parts[key] = Part(  # type: ignore[index]
                key, path, triples, tallies.get(key, Tally()).observations, records_per_part.get(key, 0),
                part_sources.get(key, set()), tallies.get(key, Tally()),
            )
        result.observations = result.tally.observations
        result.triples = result.dataset_triples + sum(p.triples for p in result.parts.values())
    else:
        outputs.close()
    for _, path, _ in record_files:
        path.unlink(missing_ok=True)
    result.records = len(merged.seen_records)
    result.problems = merged.problems
    return result


def _merge_cells(merged: _Builder, read: _FileRead) -> None:
    """Add a file's cells: counts add up; a table's cell given by two files is an error."""
    cells = merged.cells
    if not cells:
        merged.cells = read.cells
        return
    for key, cell in read.cells.items():
        mine = cells.get(key)
        if mine is None:
            cells[key] = cell
        elif merged.m.cube.count_rows or merged.m.cube.sum_field:
            mine[0] += cell[0]
        else:
            column = merged.m.fields[merged.m.cube.value_field or ""].column
            file, _, line = cell[3].rpartition(":")
            merged.add_problem(Problem(
                "CUBE-DUPLICATE-CELL",
                f"this row gives the same cell ({', '.join(key)}) as {mine[3]}; remove one of them",
                file=file, line=int(line), column_name=column,
            ))


def _merge_records(merged: _Builder, read: _FileRead) -> None:
    """Add a file's records: one record in two files means the same rows were given twice
    (the same file twice, or two files for one force and month), never two records."""
    seen = merged.seen_records
    if not seen:
        merged.seen_records = read.seen_records
        return
    rec = merged.m.records
    column = merged.m.fields[rec.key[-1]].column if rec else ""
    for key, record in read.seen_records.items():
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = record
            continue
        merged.add_problem(Problem(
            "RECORD-IN-TWO-FILES",
            f"{column} {key} is also at {earlier[1]}:{earlier[2]}: both files give the same rows (the same "
            "file twice, or two files for one force and month?); give each only once",
            file=record[1], line=record[2], column_name=column,
        ))
