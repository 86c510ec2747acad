"""Load and check mapping files; every error names the file, the key and the value."""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError
from ..namespaces import all_prefixes
from ..reference import tables
from ..reference.kinds import KINDS, PLACEHOLDERS, STATUSES, FieldSpec, Problems, Resolver
from ..settings import resource_dir
from ..tabular import FORMATS, Layout, Row
from ..uris import Minter
from . import schema, yaml_nodes
from .model import (PERIODICITY, Agreement, Cube, Dimension, Inactive, Mapping, Metadata, Parent, Records, Thing,
                    TotalCodes, TotalRows, Unpivot)

_DATASET_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters an IRI cannot hold (RFC 3987), outside a template's {placeholders}.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def mapping_files() -> list[Path]:
    return sorted(resource_dir("mappings").glob("*.yaml"))


def find_mapping(name: str) -> Path:
    """A mapping by file path, or by dataset name in `mappings/`."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    for candidate in mapping_files():
        if candidate.stem == name:
            return candidate
    known = ", ".join(p.stem for p in mapping_files())
    raise ConfigError(f"no mapping named {name!r}; known mappings: {known} (or give a .yaml file path)")


class _Checker:
    def __init__(self, path: Path, base: str, nodes: Any = None):
        self.path = path
        self.prefixes = all_prefixes(base)
        self.nodes = nodes

    def where(self, key: str) -> str:
        """`file:line:column` of the key's value (or of the nearest enclosing key)."""
        at = yaml_nodes.position(self.nodes, yaml_nodes.parse_dotted(key))
        return f"{self.path}:{at[0]}:{at[1]}" if at else str(self.path)

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where(key)}: {key}: {message}")

    def get(self, data: dict[str, Any], key: str, where: str, kind: type = str, required: bool = True) -> Any:
        if key not in data:
            if required:
                raise self.fail(f"{where}.{key}".lstrip("."), "is required")
            return None
        value = data[key]
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if kind is str and hasattr(value, "isoformat"):
            value = value.isoformat()  # YAML reads 2011-02-01 as a date
        if not isinstance(value, kind):
            raise self.fail(f"{where}.{key}".lstrip("."), f"{value!r} should be a {kind.__name__}")
        return value

    def iri(self, curie: str, key: str) -> str:
        if curie.startswith(("http://", "https://")):
            return self.checked_iri(curie, key)
        prefix, _, local = curie.partition(":")
        if prefix not in self.prefixes or not local:
            raise self.fail(key, f"{curie!r} is not a full IRI or a CURIE with a known prefix ({', '.join(sorted(self.prefixes))})")
        return self.checked_iri(self.prefixes[prefix] + local, key)

    def checked_iri(self, value: str, key: str) -> str:
        bad = _NOT_IN_IRI.search(value)
        if bad:
            raise self.fail(key, f"{value!r} holds {bad.group()!r}, which a URI cannot hold")
        if not value.startswith(("http://", "https://")):
            raise self.fail(key, f"{value!r} is not an http(s) IRI")
        return value

    def template(self, template: str, key: str, fields: dict[str, FieldSpec], *, uri: bool = True) -> str:
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
        unknown = names - set(fields) - {"base"}
        if unknown:
            raise self.fail(key, f"template {template!r} names {sorted(unknown)}, which are not fields")
        if not template.startswith("{base}/"):
            raise self.fail(key, f"template {template!r} must start with {{base}}/ so the URI is ours")
        literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
        bad = _NOT_IN_IRI.search(literal) if uri else None
        if bad:
            raise self.fail(key, f"template {template!r} holds {bad.group()!r}, which a URI cannot hold")
        return template


def _read(path: Path) -> tuple[dict[str, Any], Any]:
    """The file's data and YAML nodes, checked against the schema (`schema.py`)."""
    try:
        data, nodes = yaml_nodes.load(path.read_text(encoding="utf-8"))
    except yaml_nodes.YamlError as exc:
        what = "" if "given twice" in exc.message else "not valid YAML: "
        raise ConfigError(f"{path}:{exc.line}:{exc.column}: {what}{exc.message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a mapping is a YAML dictionary with dataset, metadata, source, fields, cube")
    found = schema.problems(data)
    if found:
        lines = []
        for where, message in found:
            # An unknown key is shown where the key is; anything else where its value is.
            at = yaml_nodes.position(nodes, where, key=True)
            place = f"{path}:{at[0]}:{at[1]}" if at else str(path)
            lines.append(f"{place}: {yaml_nodes.dotted(where) or '(top level)'}: {message}")
        raise ConfigError("\n".join(lines))
    return data, nodes


def load_mapping(path: Path, base: str) -> Mapping:
    data, nodes = _read(path)
    check = _Checker(path, base, nodes)

    dataset = check.get(data, "dataset", "")
    if not _DATASET_ID.match(dataset):
        raise check.fail("dataset", f"{dataset!r} must be a lower-case slug such as street-crime")

    meta = check.get(data, "metadata", "", dict)
    periodicity = check.get(meta, "periodicity", "metadata")
    issued = check.get(meta, "issued", "metadata")
    try:
        if not _DATE.match(issued):
            raise ValueError
        datetime.date.fromisoformat(issued)
    except ValueError:
        raise check.fail("metadata.issued", f"{issued!r} must be a date, YYYY-MM-DD") from None
    metadata = Metadata(
        title=check.get(meta, "title", "metadata"),
        description=" ".join(check.get(meta, "description", "metadata").split()),
        licence=check.checked_iri(check.get(meta, "licence", "metadata"), "metadata.licence"),
        publisher=check.checked_iri(check.get(meta, "publisher", "metadata"), "metadata.publisher"),
        issued=issued,
        periodicity=check.checked_iri(
            periodicity if periodicity.startswith("http") else PERIODICITY + periodicity, "metadata.periodicity",
        ),
        keywords=tuple(str(k) for k in (check.get(meta, "keywords", "metadata", list, required=False) or [])),
    )

    source = check.get(data, "source", "", dict)
    layout = _layout(check, source)
    root = resource_dir("mappings").parent
    samples = tuple(root / s for s in (check.get(source, "samples", "source", list, required=False) or []))

    declared = check.get(data, "fields", "", dict)
    unpivot = _unpivot(check, data, declared)
    fields: dict[str, FieldSpec] = {}
    for name, spec in declared.items():
        key = f"fields.{name}"
        if not isinstance(spec, dict):
            raise check.fail(key, "should be a dictionary with column and kind")
        kind = check.get(spec, "kind", key)
        if kind not in KINDS:
            raise check.fail(f"{key}.kind", f"{kind!r} is not a kind; use one of {sorted(KINDS)}")
        codelist = check.get(spec, "codelist", key, required=kind == "code")
        if codelist is not None and codelist not in tables.CODE_LISTS:
            raise check.fail(f"{key}.codelist", f"{codelist!r} is not a code list; known: {sorted(tables.CODE_LISTS)}")
        missing, empty_as = spec.get("missing"), None
        if isinstance(missing, dict):
            missing, empty_as = None, str(missing["read_as"])
        elif missing is not None and missing not in PLACEHOLDERS:
            raise check.fail(f"{key}.missing", f"{missing!r} is not a placeholder; known: {sorted(PLACEHOLDERS)} "
                             "(or {read_as: TEXT}, the value an empty cell stands for)")
        columns = tuple(str(c) for c in (check.get(spec, "columns", key, list, required=False) or ()))
        unpivoted = unpivot is not None and name in (unpivot.into, unpivot.value)
        constant = check.get(spec, "value", key, required=False)
        timezone, file_name = _timezone(check, spec, key, kind), _file_name(check, spec, key)
        if file_name is not None or kind == "row-digest":
            if columns or "column" in spec or constant is not None or unpivoted:
                given = "the file name" if file_name is not None else "the whole row"
                raise check.fail(key, f"is read from {given}, so it names no column and no value")
        elif not columns and "column" not in spec and not unpivoted and constant is None:
            raise check.fail(key, "needs `column: HEADER` (or `columns: [A, B]` read as one value, `value: TEXT` "
                             "for every row, or `file_name: REGEX` for part of the file's name)")
        if (unpivoted or constant is not None) and (columns or "column" in spec):
            why = "filled by `unpivot` (a header or a cell of its columns)" if unpivoted else "given by `value`"
            raise check.fail(key, f"is {why}, so it names no column")
        named_elsewhere = unpivoted or constant is not None or file_name is not None or kind == "row-digest"
        column = columns[0] if columns else "" if named_elsewhere else check.get(spec, "column", key)
        markers = check.get(spec, "markers", key, dict, required=False) or {}
        for text, status in markers.items():
            if status not in STATUSES:
                raise check.fail(f"{key}.markers", f"{status!r} is not an observation status; one of {sorted(STATUSES)}")
        fields[name] = FieldSpec(
            name=name, column=column, kind=kind, columns=columns,
            optional=bool(spec.get("optional", False)), pattern=_pattern(check, spec, key),
            codelist=codelist, missing=missing,
            minimum=spec.get("min"), maximum=spec.get("max"),
            timezone=timezone, file_name=file_name, empty_as=empty_as,
            markers=tuple((str(t), str(v)) for t, v in markers.items()),
            uri=spec.get("uri"), record_of=spec.get("record_of"),
        )
        if empty_as is not None:
            _check_constants(check, {name: empty_as}, fields, base, key="missing.read_as")
    for name, spec in fields.items():  # a field's URI template may name any field
        if spec.uri:
            check.template(spec.uri, f"fields.{name}.uri", fields)
        if spec.record_of is not None and not spec.uri:
            raise check.fail(f"fields.{name}.record_of", "needs `uri:`, the template of the record's IRI")

    constants = {name: str(spec["value"]) for name, spec in declared.items() if isinstance(spec, dict) and "value" in spec}
    _check_constants(check, constants, fields, base)

    cube_data = check.get(data, "cube", "", dict)
    dimensions = []
    for i, dim in enumerate(check.get(cube_data, "dimensions", "cube", list)):
        key = f"cube.dimensions[{i}]"
        field_name = check.get(dim, "field", key)
        if field_name not in fields:
            raise check.fail(f"{key}.field", f"{field_name!r} is not a field")
        if fields[field_name].optional and not fields[field_name].missing:
            raise check.fail(f"{key}.field", f"{field_name!r} is optional: a dimension needs a value in every row (give it `missing:`)")
        dimensions.append(Dimension(check.iri(check.get(dim, "property", key), f"{key}.property"), field_name))
    measure = check.get(cube_data, "measure", "cube", dict)
    count = measure.get("count")
    value_field = measure.get("field")
    sum_field = measure.get("sum")
    if [count == "rows", value_field is not None, sum_field is not None].count(True) != 1:
        raise check.fail("cube.measure", "say one of `count: rows`, `field: NAME` (the column holding the value) "
                         "or `sum: NAME` (a column whose values add up in each cell)")
    for which, name in (("field", value_field), ("sum", sum_field)):
        if name is not None and name not in fields:
            raise check.fail(f"cube.measure.{which}", f"{name!r} is not a field")
    if sum_field is not None and fields[sum_field].kind != "decimal":
        raise check.fail("cube.measure.sum", f"{sum_field!r} must be a decimal field (it is {fields[sum_field].kind})")
    disclosure = None
    if "disclosure" in cube_data:
        rule = check.get(cube_data, "disclosure", "cube", dict)
        disclosure = check.get(rule, "suppress_below", "cube.disclosure", int)
        if disclosure < 2:
            raise check.fail("cube.disclosure.suppress_below", f"{disclosure} must be at least 2 (counts 1 to it minus one are suppressed)")
    additive_over, cube_totals = _measure_rules(check, cube_data, measure, dimensions, fields, base, count == "rows")
    cube = Cube(
        additive_over=additive_over,
        totals=cube_totals,
        measure_label=check.get(measure, "label", "cube.measure", required=False),
        disclosure=disclosure,
        observation=check.template(check.get(cube_data, "observation", "cube"), "cube.observation", fields),
        dimensions=tuple(dimensions),
        measure=check.iri(check.get(measure, "property", "cube.measure"), "cube.measure.property"),
        count_rows=count == "rows",
        value_field=value_field,
        sum_field=sum_field,
    )
    obs_names = {n for _, n, _, _ in string.Formatter().parse(cube.observation) if n} - {"base"}
    if obs_names != {d.field for d in dimensions}:
        raise check.fail("cube.observation", "the template must name every dimension's field, and only those, so each cell has one URI")

    records = None
    if "records" in data:
        rec = check.get(data, "records", "", dict)
        key = rec["key"]
        key_fields = tuple(str(k) for k in (key if isinstance(key, list) else [key]))
        for key_field in key_fields:
            if key_field not in fields:
                raise check.fail("records.key", f"{key_field!r} is not a field")
        props = _properties(check, rec.get("properties") or {}, "records.properties", fields)
        point = rec.get("point")
        label = check.get(rec, "label", "records", required=False)
        if label:
            check.template("{base}/" + label, "records.label", fields, uri=False)
        identity = tuple(check.get(rec, "identity", "records", list, required=False) or ())
        for name in identity:
            if name not in fields:
                raise check.fail("records.identity", f"{name!r} is not a field")
        conflicts = check.get(rec, "conflicts", "records", required=False) or "error"
        if conflicts not in ("error", "first"):
            raise check.fail("records.conflicts", f"{conflicts!r} must be error or first")
        records = Records(
            key=key_fields,
            parent=_parent(check, rec.get("parent"), key_fields, fields),
            things=tuple(_thing(check, t, f"records.things[{i}]", fields) for i, t in enumerate(rec.get("things") or [])),
            uri=check.template(check.get(rec, "uri", "records"), "records.uri", fields),
            cls=check.iri(check.get(rec, "class", "records"), "records.class"),
            label=label,
            properties=tuple(props),
            point=(point["longitude"], point["latitude"]) if point else None,
            identity=identity,
            conflicts=conflicts,
            inactive=_inactive(check, rec.get("inactive")),
        )
    totals = _totals(check, data, fields, unpivot)
    partition = check.get(data, "partition", "", required=False)
    if partition is not None and partition not in {d.field for d in cube.dimensions}:
        dimensions = ", ".join(d.field for d in cube.dimensions)
        raise check.fail("partition", f"{partition!r} is not a dimension's field; one of: {dimensions}")
    agreements = []
    for i, rule in enumerate(data.get("agree") or []):
        unknown = [f for f in rule["fields"] if f not in fields]
        if unknown or len(rule["fields"]) < 2:
            why = f"{unknown} are not fields" if unknown else "name at least two fields"
            raise check.fail(f"agree[{i}].fields", why)
        agreements.append(Agreement(tuple(rule["fields"]), " ".join(rule["why"].split())))
    return Mapping(dataset, path, metadata, fields, cube, records, samples, unpivot, layout, totals, constants,
                   partition, source.get("repeated_rows", "keep"), tuple(agreements))


def _properties(check: _Checker, data: dict[str, Any], key: str, fields: dict[str, FieldSpec]) -> tuple[tuple[str, str], ...]:
    """`{property CURIE: field}` as (property IRI, field)."""
    props = []
    for prop, field_name in data.items():
        if field_name not in fields:
            raise check.fail(f"{key}.{prop}", f"{field_name!r} is not a field")
        props.append((check.iri(prop, f"{key}.{prop}"), field_name))
    return tuple(props)


def _parent(check: _Checker, data: dict[str, Any] | None, key_fields: tuple[str, ...],
            fields: dict[str, FieldSpec]) -> Parent | None:
    if data is None:
        return None
    if data["field"] not in fields:
        raise check.fail("records.parent.field", f"{data['field']!r} is not a field")
    if data["key"] not in key_fields:
        raise check.fail("records.parent.key", f"{data['key']!r} is not one of the key fields {list(key_fields)}")
    return Parent(data["field"], data["key"], tuple(str(t) for t in data.get("top") or ()))


def _thing(check: _Checker, data: dict[str, Any], key: str, fields: dict[str, FieldSpec]) -> Thing:
    label = data.get("label")
    if label:
        check.template("{base}/" + label, f"{key}.label", fields, uri=False)
    return Thing(
        uri=check.template(data["uri"], f"{key}.uri", fields),
        cls=check.iri(data["class"], f"{key}.class"),
        label=label,
        link=check.iri(data["link"], f"{key}.link"),
        properties=_properties(check, data.get("properties") or {}, f"{key}.properties", fields),
    )


def _pattern(check: _Checker, spec: dict[str, Any], key: str) -> str | None:
    pattern = check.get(spec, "pattern", key, required=False)
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise check.fail(f"{key}.pattern", f"{pattern!r} is not a regular expression: {exc}") from None
    return pattern


def _measure_rules(
    check: _Checker, cube_data: dict[str, Any], measure: dict[str, Any], dimensions: list[Dimension],
    fields: dict[str, FieldSpec], base: str, count_rows: bool,
) -> tuple[tuple[str, ...], tuple[TotalCodes, ...]]:
    """How the measure may be combined: `cube.measure.additive_over: [FIELD, ...]` (the
    dimensions it may be summed across) and `cube.totals: [{field, codes, all}]` (codes that
    are totals of the others). Counting rows adds across everything, so it needs no list; a
    value read from a table adds across nothing unless the mapping says so."""
    by_field = {d.field: d.property for d in dimensions}
    listed = check.get(measure, "additive_over", "cube.measure", list, required=False)
    if listed is None:
        additive = tuple(by_field.values()) if count_rows else ()
    else:
        unknown = [f for f in listed if f not in by_field]
        if unknown:
            raise check.fail("cube.measure.additive_over", f"{unknown} are not dimension fields; use some of {sorted(by_field)}")
        additive = tuple(by_field[f] for f in listed)
    rules = []
    for i, rule in enumerate(check.get(cube_data, "totals", "cube", list, required=False) or []):
        key = f"cube.totals[{i}]"
        if not isinstance(rule, dict):
            raise check.fail(key, "should be a dictionary {field: NAME, codes: [CODE, ...], all: CODE}")
        name = check.get(rule, "field", key)
        if name not in by_field:
            raise check.fail(f"{key}.field", f"{name!r} is not a dimension's field; use one of {sorted(by_field)}")
        texts = [str(c) for c in (check.get(rule, "codes", key, list, required=False) or [])]
        everything = check.get(rule, "all", key, required=False)
        if everything is None and not texts:
            raise check.fail(key, "name the total codes (`codes:`), the code for the whole dimension (`all:`), or both")

        def resolve(text: str, where: str) -> str:
            row = Row(str(check.path), 0, {"": text}, {})
            try:
                value = Resolver(Minter(base)).parse(replace(fields[name], column="", optional=False, missing=None), row)
            except Problems as exc:
                raise check.fail(where, exc.problem.message) from None
            if value is None or value.uri is None:
                raise check.fail(where, f"{text!r} is not a code of {name!r}")
            return value.uri

        codes = [resolve(t, f"{key}.codes") for t in texts]
        all_code = resolve(str(everything), f"{key}.all") if everything is not None else None
        if all_code is not None and all_code not in codes:
            codes.append(all_code)
        rules.append(TotalCodes(by_field[name], tuple(codes), all_code))
    return additive, tuple(rules)


def _check_constants(
    check: _Checker, constants: dict[str, str], fields: dict[str, FieldSpec], base: str, key: str = "value",
) -> None:
    """A field with `value:` (or `missing: {read_as:}`) has it in every row (every empty cell):
    read it now, so a typo fails here, once."""
    for name, text in constants.items():
        row = Row(str(check.path), 0, {"": text}, {})
        spec = replace(fields[name], column="", columns=(), file_name=None, empty_as=None, timezone=None)
        try:
            Resolver(Minter(base)).parse(spec, row)
        except Problems as exc:
            raise check.fail(f"fields.{name}.{key}", exc.problem.message) from None


def _timezone(check: _Checker, spec: dict[str, Any], key: str, kind: str) -> str | None:
    """`timezone: Europe/London` on a month read from a date-time; checked against the tz database."""
    zone = check.get(spec, "timezone", key, required=False)
    if zone is None:
        return None
    if kind != "month":
        raise check.fail(f"{key}.timezone", f"only a month read from a date-time has a time zone, not a {kind}")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise check.fail(f"{key}.timezone", f"{zone!r} is not a time zone of the tz database (like Europe/London)") from None
    return zone


def _file_name(check: _Checker, spec: dict[str, Any], key: str) -> str | None:
    """`file_name: REGEX`: the value is the one group of the regular expression, searched in the name."""
    pattern = check.get(spec, "file_name", key, required=False)
    if pattern is None:
        return None
    try:
        groups = re.compile(pattern).groups
    except re.error as exc:
        raise check.fail(f"{key}.file_name", f"{pattern!r} is not a regular expression: {exc}") from None
    if groups != 1:
        has = "no group" if groups == 0 else f"{groups} groups"
        raise check.fail(f"{key}.file_name", f"{pattern!r} has {has}: it must have exactly one group, (...) around "
                         "the part of the name that is the value")
    return pattern


def _layout(check: _Checker, source: dict[str, Any]) -> Layout:
    """`source: {format: csv|ods|xlsx, sheet: NAME, header_row: N, name_columns: {1: HEADER},
    ends_at: TEXT, footnotes: true}`."""
    fmt = check.get(source, "format", "source")
    if fmt not in FORMATS:
        raise check.fail("source.format", f"{fmt!r} is not a format; use one of {', '.join(FORMATS)}")
    sheet = check.get(source, "sheet", "source", required=fmt != "csv")
    if fmt == "csv" and sheet is not None:
        raise check.fail("source.sheet", "a CSV file has no sheets")
    header_row = check.get(source, "header_row", "source", int, required=False)
    if header_row is not None and header_row < 1:
        raise check.fail("source.header_row", f"{header_row} must be a row number, 1 or more")
    names = check.get(source, "name_columns", "source", dict, required=False) or {}
    for number in names:
        if not isinstance(number, int) or number < 1:
            raise check.fail("source.name_columns", f"{number!r} must be a column number, 1 or more (A is 1)")
    ends_at = check.get(source, "ends_at", "source", required=False)
    if ends_at is not None and not ends_at.strip():
        raise check.fail("source.ends_at", "give the text the row under the table begins with, such as 'Source:'")
    footnotes = check.get(source, "footnotes", "source", bool, required=False) or False
    return Layout(fmt, sheet, header_row, {n: str(h) for n, h in names.items()}, ends_at, footnotes)


def _inactive(check: _Checker, data: dict[str, Any] | None) -> Inactive | None:
    """`records.inactive: {column: C, values: [...], class: CURIE, why: TEXT}`."""
    if data is None:
        return None
    given = tuple(str(v) for v in data["values"])
    values = frozenset(Inactive.normalise(v) for v in given) - {""}
    if not values:
        raise check.fail("records.inactive.values", "list the texts that mark a row as inactive (e.g. Eliminated)")
    return Inactive(str(data["column"]), values, check.iri(data["class"], "records.inactive.class"),
                    " ".join(str(data["why"]).split()), given)


def _totals(
    check: _Checker, data: dict[str, Any], fields: dict[str, FieldSpec], unpivot: Unpivot | None,
) -> tuple[TotalRows, ...]:
    """`totals: [{column: C, values: [...], why: TEXT, then: skip | {read_as: TEXT}, first_only: bool}]`."""
    rules = []
    unpivoted = set(unpivot.columns) if unpivot else set()
    read = {c for spec in fields.values() for c in spec.sources} | unpivoted
    for i, rule in enumerate(check.get(data, "totals", "", list, required=False) or []):
        key = f"totals[{i}]"
        if not isinstance(rule, dict):
            raise check.fail(key, "should be a dictionary with column, values, why and then")
        column = check.get(rule, "column", key)
        if column not in read or column in unpivoted:
            raise check.fail(f"{key}.column", f"{column!r} is not a column a field reads")
        values = tuple(str(v) for v in check.get(rule, "values", key, list))
        if not values:
            raise check.fail(f"{key}.values", "list the cell values that mark a total row")
        then = rule.get("then")
        replace_with = None
        if isinstance(then, dict) and set(then) == {"read_as"}:
            replace_with = check.get(then, "read_as", f"{key}.then")
        elif then != "skip":
            raise check.fail(f"{key}.then", f"{then!r} must be `skip` or `{{read_as: VALUE}}` (e.g. a named area)")
        first_only = rule.get("first_only", False)
        if not isinstance(first_only, bool):
            raise check.fail(f"{key}.first_only", f"{first_only!r} must be true or false")
        rules.append(TotalRows(column, values, " ".join(check.get(rule, "why", key).split()), replace_with, first_only))
    return tuple(rules)


def _unpivot(check: _Checker, data: dict[str, Any], fields: dict[str, Any]) -> Unpivot | None:
    """`unpivot: {columns: [A, B], into: FIELD, value: FIELD}`: a column per dimension value."""
    if "unpivot" not in data:
        return None
    spec = check.get(data, "unpivot", "", dict)
    given = spec.get("columns")
    if isinstance(given, dict):  # header -> the text its field reads, e.g. March 2019: 2019-03
        reads = {str(h): str(v) for h, v in given.items()}
    else:
        reads = {str(c): str(c) for c in check.get(spec, "columns", "unpivot", list)}
    columns = tuple(reads)
    if not columns:
        raise check.fail("unpivot.columns", "name at least one column to unpivot")
    if len(set(columns)) != len(columns):
        raise check.fail("unpivot.columns", "names a column twice")
    into, value = check.get(spec, "into", "unpivot"), check.get(spec, "value", "unpivot")
    for key, name in (("into", into), ("value", value)):
        if name not in fields:
            raise check.fail(f"unpivot.{key}", f"{name!r} is not a field")
        given = fields[name] if isinstance(fields[name], dict) else {}
        if "column" in given or "columns" in given:
            raise check.fail(
                f"unpivot.{key}",
                f"{name!r} reads column {given.get('column', given.get('columns'))!r}; "
                "declare it without a column: unpivot fills it",
            )
    if into == value:
        raise check.fail("unpivot", "`into` (takes the header) and `value` (takes the cell) must be two fields")
    with_column = check.get(spec, "with_column", "unpivot", required=False)
    if with_column is not None and with_column in columns:
        raise check.fail("unpivot.with_column", f"{with_column!r} is one of the unpivoted columns; name the column of row labels")
    skip_blank = check.get(spec, "skip_blank", "unpivot", bool, required=False) or False
    return Unpivot(columns, into, value, reads, with_column, skip_blank)
