"""The exception hierarchy of vzdetain.

Every error the library raises on purpose derives from :class:`VzdetainError`.
Errors about bad input are also :class:`ValueError`, so code that already
catches ``ValueError`` keeps working.

Each validation error knows *where* the bad value sits (``path``, such as
``reports[2].tallies[0].count``) and *what* it was (``value``); its message
names both.

>>> from vzdetain import Count
>>> from vzdetain.errors import CountParseError
>>> try:
...     Count.parse("1.5", lang="en")
... except CountParseError as exc:
...     print(exc)
count: not a whole number of people: '1.5' (got '1.5')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "CountParseError",
    "DatasetNotFoundError",
    "DuplicateIdError",
    "FormatError",
    "LoadError",
    "NaiveDatetimeError",
    "Problem",
    "UnknownReferenceError",
    "ValidationError",
    "VzdetainError",
    "WhenParseError",
]


class VzdetainError(Exception):
    """Root of every exception raised by vzdetain on purpose."""


def _join_path(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        if not part:
            continue
        if part.startswith("[") or not out:
            out += part
        else:
            out += "." + part
    return out


class ValidationError(VzdetainError, ValueError):
    """A value failed validation.

    Attributes:
        path: Where the value sits, as a tuple of steps (``("reports[0]", "tallies[1]", "count")``).
        value: The offending value.
        reason: What is wrong with it, without the path.
    """

    path: tuple[str, ...]
    value: Any
    reason: str

    def __init__(self, reason: str, *, path: Iterable[str] = (), value: Any = None) -> None:
        self.reason = reason
        self.path = tuple(path)
        self.value = value
        super().__init__(self._message())

    @property
    def where(self) -> str:
        """The field path as one dotted string (empty at the top level)."""
        return _join_path(self.path)

    def _message(self) -> str:
        where = self.where
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.reason} (got {self.value!r})"

    def at(self, *prefix: str) -> ValidationError:
        """Return a copy of this error located under ``prefix``.

        >>> ValidationError("must not be negative", path=("low",), value=-1).at("count")
        ValidationError('count.low: must not be negative (got -1)')
        """
        new = type(self).__new__(type(self))
        ValidationError.__init__(new, self.reason, path=(*prefix, *self.path), value=self.value)
        return new

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.reason, self.path, self.value))


def _rebuild(
    cls: type[ValidationError], reason: str, path: tuple[str, ...], value: Any
) -> ValidationError:
    new = cls.__new__(cls)
    ValidationError.__init__(new, reason, path=path, value=value)
    return new


class CountParseError(ValidationError):
    """A phrase could not be read as a count (``Count.parse``)."""


class WhenParseError(ValidationError):
    """A text could not be read as a time (``When.parse``)."""


class NaiveDatetimeError(ValidationError):
    """A datetime without a time zone was given where an instant is needed."""


class UnknownReferenceError(ValidationError):
    """An id (source, measure, report) does not resolve in the dataset."""


class DuplicateIdError(ValidationError):
    """Two records share an id that must be unique."""


class DatasetNotFoundError(VzdetainError, FileNotFoundError):
    """The dataset file named does not exist."""


class FormatError(VzdetainError, ValueError):
    """A file is not in a format vzdetain can read or write."""


@attrs.frozen(slots=True)
class Problem:
    """One bad record found while loading a file.

    Attributes:
        location: Where in the file: ``"row 7"`` (CSV, counting the header as row 1) or a JSON
            path such as ``"$.reports[2].tallies[0]"``.
        field: The field path inside that record (``"count"``, ``"as_of"``), or ``""``.
        value: The offending value as read.
        message: What is wrong.
    """

    location: str
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        field = f" field {self.field!r}" if self.field else ""
        return f"{self.location}{field}: {self.message} (got {self.value!r})"


class LoadError(VzdetainError, ValueError):
    """A file held bad records. Lists *every* problem found, not only the first.

    Attributes:
        source: The file (or other origin) that was read.
        problems: Each bad record, in file order.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''} found"]
        lines.extend(f"  {p}" for p in self.problems)
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))
