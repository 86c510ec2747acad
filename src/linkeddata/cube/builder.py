"""Build one dataset's graph from its mapping and source tables, streaming to N-Triples.

Rows are read once. Records (e.g. crimes) are written as they come; the cube needs one
count per cell, so only the cells (not the rows, nor any graph) are held in memory.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

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


@dataclass
class BuildResult:
    dataset: str
    dataset_uri: str
    output: Path
    triples: int = 0
    rows: int = 0
    observations: int = 0
    records: int = 0
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

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


def _local_slug(prop: str) -> str:
    local = re.split(r"[#/]", prop)[-1]
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", local).lower()


def _fill(template: str, values: dict[str, Value | None]) -> str:
    names = [n for _, n, _, _ in string.Formatter().parse(template) if n]
    return template.format(**{n: (values[n].label if values.get(n) else "unknown") for n in names})


class _Builder:
    def __init__(self, mapping: Mapping, minter: Minter, out: TripleWriter, progress: Progress | None):
        self.m = mapping
        self.minter = minter
        self.out = out
        self.progress = progress
        self.resolver = Resolver(minter)
        self.dataset_uri = minter.data(mapping.dataset)
        # dimension keys -> [count or value, dimension values, status, where the row was]
        self.cells: dict[tuple[str, ...], list] = {}
        self.seen_records: dict[str, tuple[int, str, int, int]] = {}  # key -> (facts, file, line, identity)
        self.problems: list[Problem] = []
        # Predicates and classes as N-Triples terms, made once: records are the hot path.
        self._type, self._label = iri(str(RDF.type)), iri(str(RDFS.label))
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
        self._specs = {n: s for n, s in mapping.fields.items() if n not in mapping.constants}
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
        if unpivot is None:
            self.cell(row, {**self._constants, **shared})
            return
        for column, header in self.headers(row).items():
            value_spec = self._value_specs[column]
            measured = self.parse(row, {unpivot.value: value_spec})
            if header is not None and measured is not None:
                self.cell(row, {**self._constants, **shared, unpivot.into: header, **measured}, value_spec.column)

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
        failed = False
        for name, spec in specs.items():
            try:
                values[name] = self.resolver.parse(spec, row)
            except Problems as exc:
                self.add_problem(exc.problem)
                failed = True
        return None if failed else values

    def cell(self, row: Row, values: dict[str, Value | None], value_column: str | None = None) -> None:
        """Count or place one logical row in its cell (and its record)."""
        if self.m.records is not None:
            self.record(row, values)
        dims = [values[d.field] for d in self.m.cube.dimensions]
        key = tuple(v.key for v in dims if v is not None)
        cell = self.cells.get(key)
        if self.m.cube.count_rows:
            if cell is None:
                self.cells[key] = [1, dims, None]
            else:
                cell[0] += 1
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
        self.cells[key] = [measured.number if measured else None, dims, status, f"{row.file}:{row.line}"]

    def record(self, row: Row, values: dict[str, Value | None]) -> None:
        rec = self.m.records
        assert rec is not None
        key_value = values[rec.key]
        if key_value is None:
            return
        terms = [(p, v.term) for p, v in ((p, values[f]) for p, f in self._record_properties)
                 if v is not None and not v.placeholder]
        point = [values[f] for f in (rec.point or ())]
        facts = hash((tuple(terms), tuple(v.term if v else "" for v in point)))
        seen = self.seen_records.get(key_value.key)
        if seen is not None:
            if seen[0] != facts:
                identity = hash(tuple(values[f].term if values[f] else "" for f in rec.identity))
                self.conflict(row, key_value.key, seen, identity_differs=seen[3] != identity)
            return  # a repeated row describes the same record once; every row still counts
        identity = hash(tuple(values[f].term if values[f] else "" for f in rec.identity))
        self.seen_records[key_value.key] = (facts, row.file, row.line, identity)
        uri = self.minter.expand(rec.uri, **{n: v.key for n, v in values.items() if v is not None})
        subject = iri(uri)  # checked once; the rest of the record is written as text
        lines = [f"{subject} {self._type} {self._record_class} .\n"]
        if rec.label:
            lines.append(f"{subject} {self._label} {literal(_fill(rec.label, values), lang='en')} .\n")
        lines.extend(f"{subject} {p} {term} .\n" for p, term in terms)
        if len(point) == 2 and point[0] is not None and point[1] is not None:
            lon, lat = point
            geometry = iri(f"{uri}/geometry")
            wkt = literal(f"POINT({lon.key} {lat.key})", datatype=str(GSP.wktLiteral))
            lines += [
                f"{subject} {self._lat} {lat.term} .\n", f"{subject} {self._long} {lon.term} .\n",
                f"{subject} {self._has_geometry} {geometry} .\n", f"{geometry} {self._type} {self._geometry} .\n",
                f"{geometry} {self._as_wkt} {wkt} .\n",
            ]
        self.out.lines(lines)

    def conflict(self, row: Row, key: str, seen: tuple[int, str, int, int], identity_differs: bool) -> None:
        rec = self.m.records
        assert rec is not None
        column = self.m.fields[rec.key].column
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

    def finish(self, modified: str, checksum: str, tally: Tally) -> int:
        """Write the dataset, its structure and the observations, counting them into `tally`;
        return how many observations."""
        out, ds, meta = self.out, self.dataset_uri, self.m.metadata
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
        for order, dim in enumerate(self.m.cube.dimensions, start=1):
            spec = f"{dsd}/{_local_slug(dim.property)}"
            out.link(dsd, str(QB.component), spec)
            out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
            out.link(spec, str(QB.dimension), dim.property)
            out.add(spec, str(QB.order), integer(order))
        spec = f"{dsd}/{_local_slug(self.m.cube.measure)}"
        out.link(dsd, str(QB.component), spec)
        out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
        out.link(spec, str(QB.measure), self.m.cube.measure)
        stat = vocabularies(self.minter.base).statistics
        status_property = iri(str(stat.observationStatus))
        if self.m.cube.may_lack_values:
            spec = f"{dsd}/observation-status"
            out.link(dsd, str(QB.component), spec)
            out.link(spec, str(RDF.type), str(QB.ComponentSpecification))
            out.link(spec, str(QB.attribute), str(stat.observationStatus))
            out.typed(spec, str(QB.componentRequired), "false", str(XSD.boolean))
        threshold = self.m.cube.disclosure
        if threshold is not None:
            out.add(ds, str(stat.disclosureThreshold), integer(threshold))
        suppressed = iri(self.minter.def_("statistics", "observation-status", "suppressed"))

        dataset_term = iri(ds)
        type_term = iri(str(QB.Observation))
        measure_term = iri(self.m.cube.measure)
        data_set = iri(str(QB.dataSet))
        properties = [iri(d.property) for d in self.m.cube.dimensions]
        by_dimension = [tally.values.setdefault(d.property, {}) for d in self.m.cube.dimensions]
        for count, dims, status, *_ in self.cells.values():
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
            else:
                lines.append(f"{obs} {measure_term} {integer(count)} .\n")
                published = count
            out.lines(lines)
            tally.total += published
            for values, value in zip(by_dimension, dims):
                counted = values.get(value.term)
                if counted is None:
                    values[value.term] = [1, published]
                else:
                    counted[0] += 1
                    counted[1] += published
        tally.observations = len(self.cells)
        self.unknown_areas()
        return len(self.cells)

    def unknown_areas(self) -> None:
        """LSOAs newer than the shipped lookup: published from the data, without a force area."""
        geog = vocabularies(self.minter.base).geography
        for code, name in sorted(self.resolver.unknown_lsoas.items()):
            uri = self.minter.id("lsoa", code)
            self.out.link(uri, str(RDF.type), str(geog.LowerLayerSuperOutputArea))
            self.out.link(uri, str(RDF.type), str(geog.Area))
            self.out.text(uri, str(RDFS.label), name, "en")
            self.out.text(uri, str(SKOS.notation), code)
            self.out.link(uri, str(OWL.sameAs), f"http://statistics.data.gov.uk/id/statistical-geography/{code}")
            self.add_problem(Problem(
                "LSOA-NOT-IN-LOOKUP",
                f"LSOA {code} ({name}) is not in the shipped 2011 LSOA lookup: published with the name "
                "the data gives and no police force area",
                focus=uri, severity="warning",
            ))


def build_dataset(
    mapping: Mapping,
    sources: list[Path],
    minter: Minter,
    output: Path,
    *,
    modified: str,
    progress: Progress | None = None,
) -> BuildResult:
    """Read every source, then write the dataset graph to `output` (N-Triples).

    Source problems are collected (up to MAX_PROBLEMS) and returned, never raised, except
    when a file cannot be read at all; the caller must not publish a result with errors.
    """
    result = BuildResult(mapping.dataset, minter.data(mapping.dataset), output)
    with output.open("w", encoding="utf-8") as handle:
        writer = TripleWriter(handle)
        builder = _Builder(mapping, minter, writer, progress)
        for path in sources:
            rows = 0
            try:
                for row in read_table(path, mapping.columns, mapping.layout):
                    builder.row(row)
                    rows += 1
                    if progress and rows % 50_000 == 0:
                        progress(f"{path.name}: {rows:,} rows")
            except SourceError as exc:
                builder.add_problem(exc.problem)
            result.sources.append(SourceFile(path, _sha256(path) if path.is_file() else "", rows))
            result.rows += rows
            if progress:
                progress(f"read {path.name}: {rows:,} rows")
        builder.report_totals()
        if not any(p.severity == "error" for p in builder.problems):
            result.observations = builder.finish(modified, result.checksum, result.tally)
        result.records = len(builder.seen_records)
        result.triples = writer.count
        result.problems = builder.problems
    return result
