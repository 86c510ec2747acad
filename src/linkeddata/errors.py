"""Problems are data; exceptions are for when we cannot go on.

    LinkedDataError
     ├── ConfigError          a setting or mapping file is wrong (names the key and the value)
     ├── SourceError          a source table cannot be read at all (names file, line, column)
     ├── ValidationFailed     the release has problems; carries them all, nothing was published
     └── StoreError           the store refused or failed an operation
          └── QueryError      a SPARQL query is malformed or was stopped
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a release, with where it came from.

    Source problems carry file/line/column; SHACL results carry focus node and shape.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None  # 1-based, as editors count
    column_name: str | None = None  # the header of that column
    focus: str | None = None
    shape: str | None = None
    severity: str = "error"

    def where(self) -> str:
        if self.file:
            parts = [self.file]
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
            where = ":".join(parts)
            return f"{where} ({self.column_name})" if self.column_name else where
        if self.focus:
            return f"<{self.focus}>" + (f" (shape {self.shape})" if self.shape else "")
        return "release"

    def __str__(self) -> str:
        return f"{self.where()}: {self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class LinkedDataError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(LinkedDataError):
    pass


class SourceError(LinkedDataError):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class ValidationFailed(LinkedDataError):
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(f"{len(self.problems)} problem(s); nothing was published")

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> "ValidationFailed":
        return cls(list(problems))


class StoreError(LinkedDataError):
    pass


class QueryError(StoreError):
    """A query the store could not answer: malformed (status 400) or stopped (status 503)."""

    def __init__(self, message: str, status: int = 400, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        """a stable error code when the status alone does not say what happened"""
