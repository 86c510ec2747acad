"""The shape of a mapping file: every key it may hold, its type, and which are required.

This is the one place the keys are listed; `load.py` checks a file against it before reading
its meaning, so a misspelt key (`disclosre:`), a wrong type or a missing key is an error with
the file, line and column, and the nearest valid key. To add a key, add a field here (with an
alias if its name is not a Python name) and read it in `load.py`.

Checked with pydantic (`extra="forbid"`); positions come from the YAML nodes (`yaml_nodes.py`).
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

Scalar = Union[str, int, float]  # a cell's text, which YAML may read as a number


class _Strict(BaseModel):
    # Numbers where text is expected are read as text (a header `2019`, a value `2019-20`).
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class MetadataSpec(_Strict):
    title: str
    description: str
    licence: str
    publisher: str
    issued: str
    periodicity: str
    keywords: list[str] = []


class SourceSpec(_Strict):
    format: str
    samples: list[str] = []
    sheet: str | None = None
    header_row: int | None = None
    name_columns: dict[int, str] = {}
    ends_at: str | None = None
    """the text the first cell of the row right under the table begins with ("Source:")"""
    footnotes: StrictBool = False
    """split footnote markers (`2017/183`) off headers and labels, and keep their notes"""
    repeated_rows: Literal["keep", "once"] = "keep"
    """`once`: a row identical in every column to an earlier row of its file is the same row
    given twice (a spreadsheet exported twice into one file): read once, with a warning"""


class ReadAs(_Strict):
    read_as: str


class FieldSpecModel(_Strict):
    kind: str
    column: str | None = None
    columns: list[str] | None = None
    value: Scalar | None = None
    optional: StrictBool = False
    pattern: str | None = None
    codelist: str | None = None
    missing: Union[str, ReadAs, None] = None
    """a placeholder name (no-location), or {read_as: TEXT}: what an empty cell reads as"""
    timezone: str | None = None
    """a month read from a date-time: the zone whose calendar gives the month (Europe/London)"""
    file_name: str | None = None
    """a regular expression with one group, searched in the source file's name: the group is the value"""
    min: float | None = None
    max: float | None = None
    uri: str | None = None
    """a URI template: the value is published as this IRI (it may name other fields)"""
    markers: dict[str, str] = {}
    """cell text -> observation status slug, for this field only (e.g. a pay of 0 = withheld)"""
    record_of: str | None = None
    """the dataset whose records the value's IRI must name (checked when publishing)"""


class DimensionSpec(_Strict):
    property: str
    field: str


class MeasureSpec(_Strict):
    property: str
    count: Literal["rows"] | None = None
    field: str | None = None
    sum: str | None = None
    """the field whose values are added up in each cell (rows of one cell are parts of it)"""
    label: str | None = None
    additive_over: list[str] | None = None
    """the dimension fields the measure may be summed across"""


class DisclosureSpec(_Strict):
    suppress_below: int


class TotalCodesSpec(_Strict):
    field: str
    codes: list[Scalar] = []
    all: Scalar | None = None


class CubeSpec(_Strict):
    observation: str
    dimensions: list[DimensionSpec]
    measure: MeasureSpec
    disclosure: DisclosureSpec | None = None
    totals: list[TotalCodesSpec] = []


class PointSpec(_Strict):
    longitude: str
    latitude: str


class ParentSpec(_Strict):
    field: str
    """the field naming the parent record, by the value of the key field below"""
    key: str
    """the key field the parent is found by; the other key fields are the row's own"""
    top: list[Scalar] = []
    """values meaning "no parent" (the top of the tree)"""


class ThingSpec(_Strict):
    uri: str
    class_: str = Field(alias="class")
    label: str | None = None
    link: str
    """the property from the record to the thing"""
    properties: dict[str, str] = {}


class InactiveSpec(_Strict):
    """Rows marking a record that no longer exists on its date (an organogram's eliminated post)."""

    column: str
    """the column that marks such a row (read for this only, never published)"""
    values: list[Scalar]
    """its texts that mark one, compared without surrounding quotes and ignoring case"""
    class_: str = Field(alias="class")
    """a class the record is given besides `records.class`"""
    why: str


class RecordsSpec(_Strict):
    key: Union[str, list[str]]
    uri: str
    class_: str = Field(alias="class")
    properties: dict[str, str]
    label: str | None = None
    point: PointSpec | None = None
    identity: list[str] = []
    conflicts: Literal["error", "first"] = "error"
    parent: ParentSpec | None = None
    """a link to another record of the same dataset by key: it must exist, and never loop"""
    things: list[ThingSpec] = []
    """resources each row names (a unit, an organisation), published once each"""
    inactive: InactiveSpec | None = None
    """rows describing records no longer there: published as records, counted in no cube cell"""


class TotalRule(_Strict):
    column: str
    values: list[Scalar]
    why: str
    then: Union[Literal["skip"], ReadAs]
    first_only: StrictBool = False


class UnpivotSpec(_Strict):
    columns: Union[list[str], dict[str, str]]
    into: str
    value: str
    with_column: str | None = None
    """a column whose cell the `into` field reads before the header (a month name, a year header)"""
    skip_blank: StrictBool = False
    """an empty cell is no observation (outside the series), not a figure that is not available"""


class AgreeSpec(_Strict):
    fields: list[str]
    why: str


class MappingSpec(_Strict):
    dataset: str
    metadata: MetadataSpec
    source: SourceSpec
    fields: dict[str, FieldSpecModel]
    cube: CubeSpec
    records: RecordsSpec | None = None
    totals: list[TotalRule] = []
    unpivot: UnpivotSpec | None = None
    partition: str | None = None
    """the dimension field whose values split the dataset into partitions (e.g. month)"""
    agree: list[AgreeSpec] = []
    """fields that must have the same value in every row"""


# -- errors as `key.path: message (did you mean ...)` -----------------------------------------

def problems(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """(where in the data, message) for each way `data` breaks the schema; [] when it fits."""
    try:
        MappingSpec.model_validate(data)
    except ValidationError as exc:
        found: dict[tuple[Any, ...], str] = {}
        for error in exc.errors():
            where, message = _describe(error)
            found.setdefault(where, message)  # a union reports once per member: keep the first
        return list(found.items())
    return []


def _describe(error: Any) -> tuple[tuple[Any, ...], str]:
    loc = tuple(error["loc"])
    path = tuple(p for p in loc if not _is_tag(p))
    if error["type"] == "extra_forbidden":
        valid = _keys_at(path[:-1])
        close = difflib.get_close_matches(str(path[-1]), valid, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return path, f"{str(path[-1])!r} is not a key here{hint} (valid keys: {', '.join(valid)})"
    if error["type"] == "missing":
        return path, "is required"
    value = error.get("input")
    return path, f"{value!r}: {error['msg'].lower()}"


def _is_tag(part: Any) -> bool:
    """pydantic names the member of a union it tried (`list[str]`, `ReadAs`): not a key."""
    return isinstance(part, str) and (
        "[" in part or part in _MODELS or part.startswith(("literal", "function")) or part in ("str", "int", "float")
    )


def _keys_at(path: tuple[Any, ...]) -> list[str]:
    """The keys the schema allows at `path` (a dictionary of the mapping file)."""
    annotation: Any = MappingSpec
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _model_of(annotation)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        model = _model_of(arg) if typing.get_origin(arg) not in (list, dict) else None
        if model is not None:
            return model
    return None


def _step(annotation: Any, part: Any) -> Any:
    model = _model_of(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return typing.get_args(annotation)[-1]
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if typing.get_origin(arg) in (list, dict):
                return typing.get_args(arg)[-1]
    if model is None:
        return None
    for name, info in model.model_fields.items():
        if part in (name, info.alias):
            return info.annotation
    return None


_MODELS = {m.__name__ for m in (
    MetadataSpec, SourceSpec, FieldSpecModel, DimensionSpec, MeasureSpec, DisclosureSpec, CubeSpec,
    PointSpec, ParentSpec, ThingSpec, InactiveSpec, RecordsSpec, ReadAs, TotalRule, UnpivotSpec, AgreeSpec, MappingSpec,
)}
