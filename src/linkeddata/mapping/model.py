"""What a mapping says, as typed values (checked by `load`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..reference.kinds import FieldSpec
from ..tabular import Layout

PERIODICITY = "http://purl.org/cld/freq/"


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    licence: str
    publisher: str
    issued: str
    periodicity: str  # a term of the Dublin Core Collection Description frequency vocabulary
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    property: str  # full IRI
    field: str


@dataclass(frozen=True)
class TotalCodes:
    """Codes of one dimension that are totals of its other codes (`cube.totals`).

    `all` is the code standing for every value of the dimension (hate crime's "Total
    offences"): a figure across the dimension is read from it, never added up from the parts.
    """

    property: str  # the dimension's property IRI
    codes: tuple[str, ...]  # code IRIs, `all` among them
    all: str | None = None


@dataclass(frozen=True)
class Cube:
    observation: str  # URI template
    dimensions: tuple[Dimension, ...]
    measure: str  # full IRI
    count_rows: bool = True
    value_field: str | None = None  # when not counting rows: the field holding the value
    disclosure: int | None = None  # counts from 1 to this minus one are published as suppressed
    # Dimension properties the measure may be summed across (`cube.measure.additive_over`).
    additive_over: tuple[str, ...] = ()
    totals: tuple[TotalCodes, ...] = ()
    measure_label: str | None = None  # what the measure counts, e.g. "offences" (`cube.measure.label`)
    sum_field: str | None = None  # `cube.measure.sum`: a decimal field added up over the cell's rows

    @property
    def may_lack_values(self) -> bool:
        """Whether some observations may carry a status instead of a value."""
        return self.value_field is not None or self.disclosure is not None


@dataclass(frozen=True)
class Parent:
    """`records.parent`: a field naming another record of the dataset by one key field (the
    other key fields are the row's own: a post reports to a post of its own snapshot)."""

    field: str
    key: str
    top: tuple[str, ...] = ()  # values meaning "no parent"


@dataclass(frozen=True)
class Thing:
    """`records.things`: a resource each row names (its unit, its organisation), written once."""

    uri: str  # template
    cls: str
    label: str | None
    link: str  # property from the record to it
    properties: tuple[tuple[str, str], ...] = ()  # (property IRI, field)


@dataclass(frozen=True)
class Inactive:
    """`records.inactive`: rows whose `column` reads one of `values` describe a record that no
    longer exists on the row's date (a post eliminated). The record is published, with `cls`
    besides its class, so that links to it resolve; the row counts in no cube cell. Another row
    with the same key that is not so marked is the record: its facts win."""

    column: str
    values: frozenset[str]  # as `normalise` gives them
    cls: str
    why: str
    given: tuple[str, ...] = ()  # `values` as the mapping spells them, for messages

    @staticmethod
    def normalise(text: str) -> str:
        return text.strip().strip("'\"").strip().casefold()

    def marks(self, text: str) -> bool:
        return self.normalise(text) in self.values


@dataclass(frozen=True)
class Records:
    key: tuple[str, ...]  # the fields that together identify a record
    uri: str
    cls: str
    label: str | None
    properties: tuple[tuple[str, str], ...]  # (property IRI, field)
    point: tuple[str, str] | None = None  # (longitude field, latitude field)
    # Rows with one key must agree on these fields, or the build fails.
    identity: tuple[str, ...] = ()
    # When they differ in other fields: "error" fails the build; "first" keeps the first
    # row's facts and warns with both lines (police.uk re-uses Crime IDs this way).
    conflicts: str = "error"
    parent: Parent | None = None
    things: tuple[Thing, ...] = ()
    inactive: Inactive | None = None


@dataclass(frozen=True)
class Unpivot:
    """A column per value of a dimension: each source row gives one logical row per column,
    with the column's header as the `into` field and its cell as the `value` field."""

    columns: tuple[str, ...]
    into: str
    value: str
    reads: dict[str, str] = field(default_factory=dict)  # header -> the text the `into` field reads
    # A column whose cell comes before the header in what `into` reads: "April" + "2013" is a
    # month, for a table of months (rows) by years (columns).
    with_column: str | None = None
    # An empty cell is outside the series (the first months of a grid of months by years): no
    # observation. Otherwise an empty optional cell is published as not available.
    skip_blank: bool = False

    def header_text(self, column: str) -> str:
        return self.reads.get(column, column)


@dataclass(frozen=True)
class TotalRows:
    """Rows of a table that are totals (or otherwise not items of a dimension), and what to do.

    A row matches when its `column` holds one of `values` (with `first_only`, only the first
    such row of each file: a region listed before a force of the same name). `replace_with`
    None skips the rows, counted in the build report with the first line and `why`;
    otherwise the cell is read as `replace_with` instead, e.g. a named area for a total.
    """

    column: str
    values: tuple[str, ...]
    why: str
    replace_with: str | None = None
    first_only: bool = False


@dataclass(frozen=True)
class Agreement:
    """Fields that must have the same value in every row (`agree:`), e.g. the month a date falls
    in and the month the file's name gives; a row where they differ is an error at its cell."""

    fields: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Mapping:
    dataset: str
    path: Path
    metadata: Metadata
    fields: dict[str, FieldSpec]
    cube: Cube
    records: Records | None = None
    samples: tuple[Path, ...] = field(default_factory=tuple)
    unpivot: Unpivot | None = None
    layout: Layout = field(default_factory=Layout)
    totals: tuple[TotalRows, ...] = ()
    constants: dict[str, str] = field(default_factory=dict)  # field -> the text it reads in every row
    # The dimension field whose values split the dataset into partitions published one by one
    # (police.uk: the month); None: the dataset is published whole.
    partition: str | None = None
    repeated_rows: str = "keep"  # "once": a row identical to an earlier one of its file is read once
    agreements: tuple[Agreement, ...] = ()

    @property
    def columns(self) -> list[str]:
        """The columns a source file must have."""
        unpivoted = {self.unpivot.into, self.unpivot.value} if self.unpivot else set()
        read = (c for name, spec in self.fields.items() if name not in unpivoted and name not in self.constants
                for c in spec.sources)
        unpivot = (*self.unpivot.columns, *filter(None, [self.unpivot.with_column])) if self.unpivot else ()
        inactive = [self.records.inactive.column] if self.records and self.records.inactive else []
        return list(dict.fromkeys([*read, *unpivot, *(t.column for t in self.totals), *inactive]))
