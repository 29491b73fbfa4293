"""Reading and writing datasets as JSON and CSV.

JSON is the nested, canonical form: stable key order, two-space indent, UTF-8, a final
newline; dumping a loaded file again gives the same bytes. CSV is the form a spreadsheet
user keeps: one tally per row, the report's fields repeated on each of its rows, and the
dataset's own sources and measures in optional companion files ``NAME.sources.csv`` and
``NAME.measures.csv`` next to ``NAME.csv``.

Loading checks every record and reports *every* bad one in a single
:class:`~vzdetain.errors.LoadError` (CSV rows numbered as a spreadsheet numbers them, the
header being row 1; JSON records by path such as ``$.reports[2].tallies[0]``). With
``errors="collect"`` it returns the good records and the problems instead. A record is
never dropped silently.

>>> import tempfile, pathlib
>>> from vzdetain import load, dump
>>> from vzdetain.datasets import venezuela_2026_01
>>> ds = venezuela_2026_01()
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> dump(ds, folder / "jan.csv")
>>> load(folder / "jan.csv") == ds
True
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
import io
import itertools
import json
import operator
import os
import re
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, overload

import attrs

from vzdetain._bulk import paused_gc
from vzdetain.counts import Count, Qualifier
from vzdetain.errors import (
    CountParseError,
    DatasetNotFoundError,
    FormatError,
    LoadError,
    Problem,
    ValidationError,
    WhenParseError,
)
from vzdetain.model import (
    _REPORTS_CHECKED,
    Basis,
    ConditionKind,
    Dataset,
    Measure,
    MeasureKind,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
    _checked_tally,
    _report_if_valid,
    index_parts,
    report_problems,
)
from vzdetain.serialize import (
    FORMAT_NAME,
    FORMAT_VERSION,
    TALLY_FIELDS,
    _wording_conflict,
    _wording_conflict_reason,
    converter_for,
    is_text,
    structure_count,
)
from vzdetain.when import DEFAULT_TIMEZONE, When
from vzdetain.when import timezone as _zone

__all__ = [
    "CSV_COLUMNS",
    "LoadResult",
    "dataset_from_obj",
    "dump",
    "dumps_json",
    "json_schema",
    "load",
    "loads_json",
]

Errors = Literal["raise", "collect"]
FileFormat = Literal["json", "csv"]

#: Columns of the main CSV file, in the order they are written.
CSV_COLUMNS: Final = (
    "report_id",
    "publisher",
    "published",
    "language",
    "title",
    "url",
    "source",
    "measure",
    "count",
    "low",
    "high",
    "as_of",
    "period_start",
    "subgroup",
    "basis",
    "via",
    "release_kind",
    "conditions",
    "quote",
    "timezone",
    "dataset_title",
)
_REQUIRED_COLUMNS: Final = ("report_id", "publisher", "published", "measure", "count", "as_of")
_REPORT_COLUMNS: Final = ("publisher", "published", "language", "title", "url")
#: companion-file columns of free text, read as written (not trimmed)
_FREE_TEXT: Final = {
    "sources": frozenset({"name", "notes"}),
    "measures": frozenset({"description"}),
}
SOURCE_COLUMNS: Final = ("id", "name", "kind", "url", "notes")
MEASURE_COLUMNS: Final = (
    "name",
    "kind",
    "description",
    "within",
    "label_en",
    "label_es",
    "feminine_es",
)


@attrs.frozen(slots=True)
class LoadResult:
    """What ``load(..., errors="collect")`` returns: the good records and the problems.

    Attributes:
        dataset: A valid dataset of every record that had no problem.
        problems: Every record left out, with where it is and why.
    """

    dataset: Dataset
    problems: tuple[Problem, ...]


_T = TypeVar("_T")


class _LazyConverter:
    """The converter of zone ``tz`` (:func:`converter_for`), made on first use.

    Reading well-formed CSV rows needs no converter, so a command that only reads a CSV
    file does not import cattrs (a tenth of its start-up).
    """

    __slots__ = ("tz",)

    def __init__(self, tz: str) -> None:
        self.tz = tz

    def structure(self, value: Any, cl: type[_T]) -> _T:
        """``converter_for(tz).structure(value, cl)``."""
        return converter_for(self.tz).structure(value, cl)


# ---------------------------------------------------------------------- errors → problems


def _walk(exc: BaseException, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """Flatten cattrs' exception groups into (field path, message, value)."""
    cattrs = sys.modules.get("cattrs")  # imported once a converter is made (else no such error)
    if isinstance(exc, ValidationError):
        inner = exc.path
        if path and isinstance(exc, CountParseError | WhenParseError) and inner[:1] in _SELF:
            inner = inner[1:]  # the field name already says where
        yield (*path, *inner), exc.reason, exc.value
    elif cattrs is not None and isinstance(exc, cattrs.errors.ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        yield path, f"unknown field(s) {', '.join(extra)}", extra
    elif cattrs is not None and isinstance(exc, cattrs.BaseValidationError):
        for child in exc.exceptions:
            step: tuple[str, ...] = ()
            for note in getattr(child, "__notes__", ()):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if isinstance(name, str):
                    step = (name,)
                elif isinstance(index, int):
                    step = (f"[{index}]",)
            yield from _walk(child, path + step)
    elif isinstance(exc, KeyError):
        yield path, "required field missing", None
    else:
        yield path, str(exc) or type(exc).__name__, None


_SELF: Final = (("count",), ("when",))


def _join(path: Sequence[str]) -> str:
    out = ""
    for p in path:
        out += p if (p.startswith("[") or not out) else "." + p
    return out


class _Collector:
    """Collects problems by location."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, exc: BaseException, field_prefix: Sequence[str] = ()) -> None:
        for path, message, value in _walk(exc, tuple(field_prefix)):
            self.problems.append(Problem(location, _join(path), value, message))

    def simple(self, location: str, field: str, value: Any, message: str) -> None:
        self.problems.append(Problem(location, field, value, message))


# ---------------------------------------------------------------------- structuring parts


def _text_reason(value: Any) -> str:
    """Why ``value`` is not text."""
    return "not valid Unicode text" if isinstance(value, str) else "must be a string"


def _count_lang(language: Any) -> str:
    """The language a report's count phrases are read in (``"es"`` or ``"en"``).

    Spanish for ``es``, ``es-VE`` or ``spa``: the primary subtag decides, so ``est``
    (Estonian) is not Spanish. Anything else reads as English.
    """
    if isinstance(language, str):
        primary = language.lower().replace("_", "-").split("-", 1)[0]
        if primary in ("es", "spa"):
            return "es"
    return "en"


_TALLY_KEYS: Final = frozenset(TALLY_FIELDS)  # the fields of a JSON tally
_BASES: Final = {b.value: b for b in Basis}
_RELEASE_KINDS: Final = {k.value: k for k in ReleaseKind}
_CONDITIONS_TYPE: Final = tuple[ReleaseCondition, ...]


def _fast_tally(raw: dict[str, Any], tz: str, conv: _LazyConverter) -> Tally:
    """Build a tally straight from well-formed fields (the common case, without cattrs).

    Any surprise raises, and the caller falls back to the converter, whose errors name
    every bad field.
    """
    if not raw.keys() <= _TALLY_KEYS:
        raise KeyError("unknown field")
    period = raw.get("period_start")
    subgroup = raw.get("subgroup")
    via = raw.get("via")
    kind = raw.get("release_kind")
    conditions = raw.get("conditions")
    source = raw.get("source")
    quote = raw.get("quote", "")
    if not (
        isinstance(raw["measure"], str)
        and isinstance(raw["as_of"], str)
        and (source is None or isinstance(source, str))
        and (period is None or isinstance(period, str))
        and (subgroup is None or isinstance(subgroup, dict))
        and (via is None or (isinstance(via, list) and all(isinstance(v, str) for v in via)))
        and (conditions is None or isinstance(conditions, list))
        and isinstance(quote, str)
    ):
        raise TypeError("unexpected field type")
    return Tally(
        raw["measure"],
        raw["count"],
        When.parse(raw["as_of"], tz=tz),
        source=source,
        period_start=None if period is None else When.parse(period, tz=tz),
        subgroup=subgroup or (),
        basis=_BASES[raw.get("basis", "unstated")],
        via=tuple(via) if via else (),
        quote=quote,
        release_kind=None if kind is None else _RELEASE_KINDS[kind],
        conditions=_conditions(conditions, conv) if conditions else (),
    )


_CONDITION_KINDS: Final = {k.value: k for k in ConditionKind}
_CONDITION_KEYS: Final = frozenset({"kind", "applies_to", "note"})


def _conditions(items: list[Any], conv: _LazyConverter) -> tuple[ReleaseCondition, ...]:
    """Release conditions, built directly when each has plain fields, else by the converter.

    Plain: a known kind, a count read already and a note of text, as CSV cells give.
    """
    made = _plain_conditions(items)
    return made if made is not None else conv.structure(items, _CONDITIONS_TYPE)


def _plain_conditions(items: list[Any]) -> tuple[ReleaseCondition, ...] | None:
    out = []
    for c in items:
        if type(c) is not dict or not c.keys() <= _CONDITION_KEYS:
            return None
        value = c.get("kind")
        kind = _CONDITION_KINDS.get(value) if type(value) is str else None
        applies_to = c.get("applies_to")
        note = c.get("note", "")
        if kind is None or (applies_to is not None and type(applies_to) is not Count):
            return None
        if type(note) is not str or not is_text(note):
            return None
        out.append(ReleaseCondition(kind, applies_to=applies_to, note=note))
    return tuple(out)


_SOURCE_KINDS: Final = {k.value: k for k in SourceKind}
_MEASURE_KINDS: Final = {k.value: k for k in MeasureKind}
_SOURCE_KEYS: Final = frozenset(a.name for a in attrs.fields(Source))
_MEASURE_KEYS: Final = frozenset(a.name for a in attrs.fields(Measure))


def _sidecar_record(raw: dict[str, Any], cls: type[Any], conv: _LazyConverter) -> Any:
    """The source or measure of a sidecar row.

    Built directly when every cell is plain text and the kind is known (the common case),
    else by the converter, whose errors name each bad field.
    """
    try:
        made = _plain_record(raw, cls)
    except (KeyError, TypeError, ValidationError):
        made = None
    return made if made is not None else conv.structure(raw, cls)


def _plain_record(raw: dict[str, Any], cls: type[Any]) -> Source | Measure | None:
    texts: list[Any]
    if cls is Source and raw.keys() <= _SOURCE_KEYS:
        texts = list(raw.values())
        kinds: Mapping[str, Any] = _SOURCE_KINDS
    elif cls is Measure and raw.keys() <= _MEASURE_KEYS:
        within = raw.get("within", [])
        if type(within) is not list or not all(is_text(w) for w in within):
            return None
        if type(raw.get("feminine_es", False)) is not bool:
            return None
        texts = [v for k, v in raw.items() if k not in ("within", "feminine_es")]
        kinds = _MEASURE_KINDS
    else:
        return None
    kind = kinds.get(raw["kind"])
    if kind is None or not all(is_text(v) for v in texts):
        return None
    if cls is Source:
        return Source(raw["id"], raw["name"], kind, url=raw.get("url"), notes=raw.get("notes", ""))
    return Measure(
        raw["name"],
        kind,
        description=raw.get("description", ""),
        within=tuple(raw.get("within", ())),
        label_en=raw.get("label_en", ""),
        label_es=raw.get("label_es", ""),
        feminine_es=raw.get("feminine_es", False),
    )


def _plain_texts(raw: dict[str, Any]) -> bool:
    """False when the free-text fields the fast path passes through hold invalid text."""
    subgroup = raw.get("subgroup")
    return is_text(raw.get("quote", "")) and (
        not isinstance(subgroup, dict) or all(is_text(v) for v in subgroup.values())
    )


def _count_at(exc: ValidationError, *prefix: str) -> ValidationError:
    """``exc`` from reading a count, located at ``prefix`` (a parse error says ``count``)."""
    path = exc.path
    if isinstance(exc, CountParseError) and path[:1] == ("count",):
        path = path[1:]
    return ValidationError(exc.reason, path=(*prefix, *path), value=exc.value)


def _read_applies_to(conditions: list[Any], lang: str) -> list[Any]:
    """Conditions with their ``applies_to`` phrases read in the report's language."""
    out = list(conditions)
    for i, c in enumerate(out):
        if not isinstance(c, dict):
            continue
        value = c.get("applies_to")
        if value is None or isinstance(value, Count):
            continue
        try:
            out[i] = {**c, "applies_to": structure_count(value, lang)}
        except ValidationError as exc:
            raise _count_at(exc, "conditions", f"[{i}]", "applies_to") from None
    return out


def _structure_tally(
    raw: Any, conv: _LazyConverter, lang: str, tz: str, *, texts_checked: bool = True
) -> Tally:
    """One tally from its JSON-shaped fields.

    ``texts_checked`` says that no string in the input can hold a lone surrogate (it was
    decoded from UTF-8, or scanned), so the fast path need not look at free text.
    """
    if not isinstance(raw, dict):
        raise ValidationError("a tally must be an object", value=raw)
    raw = dict(raw)
    if "count" in raw and not isinstance(raw["count"], Count):
        try:
            raw["count"] = structure_count(raw["count"], lang)
        except CountParseError as exc:
            raise exc.at() from None
        except ValidationError as exc:
            raise exc.at("count") from None
    conditions = raw.get("conditions")
    if conditions and isinstance(conditions, list):
        raw["conditions"] = _read_applies_to(conditions, lang)
    if texts_checked or _plain_texts(raw):
        try:
            return _fast_tally(raw, tz, conv)
        except Exception:  # the converter says precisely what is wrong
            pass
    return conv.structure(raw, Tally)


_PER_TALLY: Final = frozenset({"count", "as_of", "period_start", "quote"})


def _like(proto: Tally, count: Count, as_of: When, period: When | None, quote: str) -> Tally | None:
    """A tally with ``proto``'s checked values and these checked ones of its own.

    None when they do not fit together (a DERIVED count, a cut-off that does not end after
    the period start): the caller then reads the tally in full, for the error.
    """
    if count.qualifier is Qualifier.DERIVED or (
        period is not None and as_of._key[1] <= period._key[0]
    ):
        return None
    return _checked_tally(
        proto.measure,
        count,
        as_of,
        proto.source,
        period,
        proto.subgroup,
        proto.basis,
        proto.via,
        quote,
        proto.release_kind,
        proto.conditions,
    )


_FROZEN_DEPTH: Final = 8  # deeper than any field of a tally nests


def _frozen(value: Any, depth: int = 0) -> Hashable:
    """A hashable key equal for JSON values that are equal and of the same types.

    Raises TypeError for a value that is not plain JSON, or that nests deeper than any
    field of a tally does (the caller then reads it in full, for its error).
    """
    if type(value) is str or value is None:
        return value
    if type(value) in (int, float, bool):
        return (type(value), value)  # 1, 1.0 and True are equal, but do not read alike
    if depth >= _FROZEN_DEPTH:
        raise TypeError("nested too deep")
    if type(value) is dict:
        return (dict, *[(k, type(k), _frozen(v, depth + 1)) for k, v in value.items()])
    if type(value) is list:
        return (list, *[_frozen(v, depth + 1) for v in value])
    raise TypeError(f"not plain JSON: {type(value).__name__}")


class _JsonTallies:
    """Tallies from JSON objects, reading and checking each distinct value once.

    As :class:`_RowTallies` does for CSV rows: the first tally with a given combination of
    the fields other than its count, times and quote is read in full
    (:func:`_structure_tally`, which names every bad field). A later tally with the same
    combination reuses its checked values, reads its count and times through per-load
    caches, makes the checks that tie one tally's fields together, and is built without
    checking again what was checked. Any surprise sends it down the full path, so errors
    read exactly the same either way. Tallies read alike then also share their values
    (subgroups, conditions, strings), as those of a CSV file do.
    """

    def __init__(self, tz: str, conv: _LazyConverter) -> None:
        self._tz = tz
        self._conv = conv
        self._protos: dict[Hashable, Tally] = {}
        self._counts: dict[tuple[Hashable, str], Count] = {}
        self._whens: dict[str, When] = {}

    def tally(self, raw: Any, lang: str, *, texts_checked: bool) -> Tally:
        """The tally of ``raw`` (raises as :func:`_structure_tally` does for a bad one)."""
        if type(raw) is not dict or not raw.keys() <= _TALLY_KEYS:
            return self._full(raw, lang, texts_checked)
        try:
            key = (lang, *[(k, _frozen(v)) for k, v in raw.items() if k not in _PER_TALLY])
        except TypeError:
            return self._full(raw, lang, texts_checked)
        proto = self._protos.get(key)
        if proto is None:
            t = self._full(raw, lang, texts_checked)
            self._protos[key] = t
            return t
        quote = raw.get("quote", "")
        if type(quote) is not str or not (texts_checked or is_text(quote)):
            return self._full(raw, lang, texts_checked)
        try:
            count_raw = raw["count"]
            ckey = (count_raw if type(count_raw) is str else _frozen(count_raw), lang)
            count = self._counts.get(ckey)
            if count is None:
                count = self._counts[ckey] = structure_count(count_raw, lang)
            as_of = self._when(raw["as_of"])
            period = raw.get("period_start")
            period = None if period is None else self._when(period)
        except Exception:  # the full path says precisely what is wrong
            return self._full(raw, lang, texts_checked)
        made = _like(proto, count, as_of, period, quote)
        return made if made is not None else self._full(raw, lang, texts_checked)

    def _full(self, raw: Any, lang: str, texts_checked: bool) -> Tally:
        return _structure_tally(raw, self._conv, lang, self._tz, texts_checked=texts_checked)

    def _when(self, text: Any) -> When:
        if type(text) is not str:
            raise TypeError("not a string")
        got = self._whens.get(text)
        if got is None:
            got = self._whens[text] = When.parse(text, tz=self._tz)
        return got


def _because(path: Sequence[str], message: str) -> str:
    field = _join(path)
    return f"{field}: {message}" if field else message


def _left_out(
    col: _Collector, loc: str, report_id: Any, tally_locs: Sequence[str], why: Sequence[str]
) -> None:
    """Say that each tally of a report dropped for ``why`` is left out with it."""
    message = f"left out with report {report_id!r}: {'; '.join(why)}"
    for tl in tally_locs:
        if tl != loc:  # a CSV report is located at its first row, which already says why
            col.simple(tl, "", None, message)


@attrs.define
class _Parts:
    """Records structured so far, each with where it came from."""

    sources: list[tuple[str, Source]] = attrs.Factory(list)
    measures: list[tuple[str, Measure]] = attrs.Factory(list)
    # (location of report, report fields, its tallies, the location of each)
    reports: list[tuple[str, dict[str, Any], list[Tally], list[str]]] = attrs.Factory(list)
    # reports built already (location, report, the location of each tally), and the
    # problems met building them
    built: list[tuple[str, Report, Sequence[str]]] = attrs.Factory(list)
    built_problems: list[Problem] = attrs.Factory(list)


class _TallyLocs(Sequence[str]):
    """The locations of a JSON report's tallies when none was left out, made when asked."""

    __slots__ = ("_loc", "_n")

    def __init__(self, loc: str, n: int) -> None:
        self._loc = loc
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, j: int) -> str: ...
    @overload
    def __getitem__(self, j: slice) -> list[str]: ...
    def __getitem__(self, j: int | slice) -> str | list[str]:
        if isinstance(j, slice):
            return [self[k] for k in range(*j.indices(self._n))]
        if not -self._n <= j < self._n:
            raise IndexError(j)
        return f"{self._loc}.tallies[{j % self._n}]"


def _build_report(
    loc: str,
    fields: dict[str, Any],
    tallies: list[Tally],
    tally_locs: Sequence[str],
    col: _Collector,
) -> Report | None:
    """The report of ``fields`` and ``tallies``, or None after noting in ``col`` why not."""
    if fields.keys() <= _REPORT_KEY_SET:
        get = fields.get
        made = _report_if_valid(
            get("id"),
            get("publisher"),
            get("published"),
            tallies,
            get("url"),
            get("language", "en"),
            get("title", ""),
        )
        if made is not None:
            return made
    try:
        return Report(tallies=tuple(tallies), **fields)
    except ValidationError as exc:
        col.add(loc, exc)
        why = [_because(path, message) for path, message, _ in _walk(exc, ())]
        _left_out(col, loc, fields.get("id"), tally_locs, why)
        return None


_DIGITS: Final = re.compile(r"(\d+)")


def _location_key(p: Problem) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a problem's location: its text, with runs of digits read as numbers."""
    return tuple(
        (1, int(part)) if i % 2 else (0, part) for i, part in enumerate(_DIGITS.split(p.location))
    )


def _assemble(
    parts: _Parts,
    tz: str,
    title: str,
    col: _Collector,
    origin: str,
    errors: Errors,
    hints: Mapping[str, str] | None = None,
    rejected: Mapping[tuple[str, str], str] | None = None,
) -> Dataset | LoadResult:
    """Check references, drop bad records, build the dataset.

    ``hints`` rewords problems by their message (a CSV file without its companion files);
    ``rejected`` names, by message and id, the companion rows that defined an id but were
    refused, so a reference to it says so instead of calling it unknown.
    """
    sources = tuple(s for _, s in parts.sources)
    measures = tuple(m for _, m in parts.measures)
    src_index, m_index, problems = index_parts(sources, measures, tz)
    bad_sources: set[int] = set()
    bad_measures: set[int] = set()
    for e in problems:
        head = e.path[0] if e.path else ""
        if head.startswith("sources["):
            k = int(head[8:-1])
            bad_sources.add(k)
            col.problems.append(Problem(parts.sources[k][0], _join(e.path[1:]), e.value, e.reason))
        elif head.startswith("measures["):
            k = int(head[9:-1])
            bad_measures.add(k)
            col.problems.append(Problem(parts.measures[k][0], _join(e.path[1:]), e.value, e.reason))
        else:
            col.problems.append(Problem(origin, _join(e.path), e.value, e.reason))
    if bad_sources or bad_measures:
        sources = tuple(s for k, (_, s) in enumerate(parts.sources) if k not in bad_sources)
        measures = tuple(m for k, (_, m) in enumerate(parts.measures) if k not in bad_measures)
        src_index, m_index, _ = index_parts(sources, measures, tz)
    col.problems.extend(parts.built_problems)
    built = parts.built
    for loc, fields, tallies, tally_locs in parts.reports:
        if tallies and (report := _build_report(loc, fields, tallies, tally_locs, col)):
            built.append((loc, report, tally_locs))
    drop_reports: dict[int, list[str]] = {}
    drop_tallies: dict[int, set[int]] = {}
    for e in report_problems([r for _, r, _ in built], src_index, m_index):
        i = int(e.path[0][8:-1])
        if len(e.path) > 1 and e.path[1].startswith("tallies["):
            j = int(e.path[1][8:-1])
            drop_tallies.setdefault(i, set()).add(j)
            col.problems.append(Problem(built[i][2][j], _join(e.path[2:]), e.value, e.reason))
        else:
            drop_reports.setdefault(i, []).append(_because(e.path[1:], e.reason))
            col.problems.append(Problem(built[i][0], _join(e.path[1:]), e.value, e.reason))
    for i, why in drop_reports.items():
        loc, r, tlocs = built[i]
        gone = drop_tallies.get(i, set())  # these have problems of their own
        _left_out(col, loc, r.id, [tl for j, tl in enumerate(tlocs) if j not in gone], why)
    reports: list[Report] = []
    for i, (_, r, _) in enumerate(built):
        if i in drop_reports:
            continue
        dropped = drop_tallies.get(i)
        if dropped is None:
            reports.append(r)
            continue
        keep = tuple(t for j, t in enumerate(r.tallies) if j not in dropped)
        if keep:
            reports.append(attrs.evolve(r, tallies=keep))
    if rejected:
        col.problems[:] = [
            attrs.evolve(
                p,
                message=f"{p.message}: its definition ({rejected[(p.message, p.value)]}) was "
                "refused, see its own problem",
            )
            if isinstance(p.value, str) and (p.message, p.value) in rejected
            else p
            for p in col.problems
        ]
    if hints:
        col.problems[:] = [
            attrs.evolve(p, message=hints[p.message]) if p.message in hints else p
            for p in col.problems
        ]
    # in file order, as a spreadsheet user works down the sheet: by location, numbers
    # compared as numbers (row 9 before row 10); one location's problems in field order
    col.problems.sort(key=_location_key)
    if errors == "raise" and col.problems:
        raise LoadError(origin, col.problems)
    if bad_sources or bad_measures or any(p.location == origin for p in col.problems):
        problems_left = index_parts(sources, measures, tz)[2]
        if problems_left:  # e.g. a bad time zone: nothing usable
            raise LoadError(origin, col.problems)
    token = _REPORTS_CHECKED.set(True)  # report_problems ran above, on these very reports
    try:
        ds = Dataset(tuple(reports), sources=sources, measures=measures, timezone=tz, title=title)
    finally:
        _REPORTS_CHECKED.reset(token)
    if errors == "collect":
        return LoadResult(ds, tuple(col.problems))
    return ds


# ---------------------------------------------------------------------- JSON

_TOP_KEYS: Final = {"format", "version", "title", "timezone", "sources", "measures", "reports"}


@overload
def dataset_from_obj(obj: Any, *, origin: str = ..., errors: Literal["raise"] = ...) -> Dataset: ...
@overload
def dataset_from_obj(obj: Any, *, origin: str = ..., errors: Literal["collect"]) -> LoadResult: ...
def dataset_from_obj(
    obj: Any, *, origin: str = "<object>", errors: Errors = "raise"
) -> Dataset | LoadResult:
    """Build a dataset from parsed JSON (the structure :func:`dumps_json` writes)."""
    return _from_obj(obj, origin, errors, texts_checked=False)


def _from_obj(
    obj: Any,
    origin: str,
    errors: Errors,
    *,
    texts_checked: bool,
    streamed: _JsonReports | None = None,
    default_tz: str = DEFAULT_TIMEZONE,
) -> Dataset | LoadResult:
    """Build a dataset from parsed JSON.

    ``texts_checked`` says that no string of ``obj`` can hold a lone surrogate. ``streamed``
    holds the reports built as the text was read (``obj`` then lists none of its own); their
    problems come after those of the sources and measures, as if they were read here.
    ``default_tz`` is the zone when ``obj`` names none.
    """
    col = _Collector()
    if not isinstance(obj, dict):
        raise LoadError(origin, [Problem("$", "", type(obj).__name__, "must be a JSON object")])
    for key in sorted(set(obj) - _TOP_KEYS):
        col.simple("$", key, obj[key], "unknown field")
    fmt = obj.get("format", FORMAT_NAME)
    if fmt != FORMAT_NAME:
        col.simple("$", "format", fmt, f"expected {FORMAT_NAME!r}")
    version = obj.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        col.simple("$", "version", version, f"this release reads version {FORMAT_VERSION}")
    tz = obj.get("timezone", default_tz)
    title = obj.get("title", "")
    if not is_text(title):
        col.simple("$", "title", title, _text_reason(title))
        title = ""
    if not is_text(tz):
        raise LoadError(
            origin, [*col.problems, Problem("$", "timezone", tz, "must be a zone name")]
        )
    try:
        _zone(tz)
    except ValidationError as exc:
        raise LoadError(origin, [*col.problems, Problem("$", "timezone", tz, exc.reason)]) from None
    conv = _LazyConverter(tz)
    parts = _Parts()
    for key, cls, target in (
        ("sources", Source, parts.sources),
        ("measures", Measure, parts.measures),
    ):
        items = obj.get(key, [])
        if not isinstance(items, list):
            col.simple("$", key, items, "must be a list")
            continue
        for i, raw in enumerate(items):
            loc = f"$.{key}[{i}]"
            try:
                target.append((loc, conv.structure(raw, cls)))  # type: ignore[arg-type]
            except Exception as exc:  # cattrs groups and our ValidationErrors
                col.add(loc, exc)
    reports = obj.get("reports", [])
    if not isinstance(reports, list):
        col.simple("$", "reports", reports, "must be a list")
        reports = []
    read = _JsonReports(tz, conv) if streamed is None else streamed
    for i, raw in enumerate(reports):
        read.add(f"$.reports[{i}]", raw, texts_checked=texts_checked)
    parts.built = read.built
    parts.built_problems = read.built_col.problems
    col.problems.extend(read.col.problems)
    return _assemble(parts, tz, title, col, origin, errors)


class _JsonReports:
    """Reports structured from JSON one at a time, with the problems found in them."""

    def __init__(self, tz: str, conv: _LazyConverter) -> None:
        self.tz = tz
        self.conv = conv
        # (location of report, the report, the location of each of its tallies)
        self.built: list[tuple[str, Report, Sequence[str]]] = []
        self.col = _Collector()  # problems of the reports' fields and tallies
        self.built_col = _Collector()  # problems met building the reports (noted later)
        self._tallies = _JsonTallies(tz, conv)

    def add(self, loc: str, raw: Any, *, texts_checked: bool) -> None:
        """Structure the report ``raw``, found at ``loc``, and its tallies.

        A report with a bad field of its own is left out; a bad tally is left out of its
        report. Each problem is noted in :attr:`col`.
        """
        col = self.col
        if not isinstance(raw, dict):
            col.simple(loc, "", raw, "a report must be an object")
            return
        fields = _report_fields(raw, loc, self.conv, col)
        if fields is None:
            return
        lang = _count_lang(fields.get("language", "en"))
        raw_tallies = raw.get("tallies")
        if not isinstance(raw_tallies, list) or not raw_tallies:
            col.simple(loc, "tallies", raw_tallies, "a report carries a non-empty list of tallies")
            return
        tallies: list[Tally] = []
        kept: list[int] = []
        tally = self._tallies.tally
        for j, rt in enumerate(raw_tallies):
            try:
                tallies.append(tally(rt, lang, texts_checked=texts_checked))
                kept.append(j)
            except Exception as exc:
                col.add(f"{loc}.tallies[{j}]", exc)
        if not tallies:
            return
        locs: Sequence[str] = _TallyLocs(loc, len(raw_tallies))
        if len(kept) < len(raw_tallies):
            locs = [locs[j] for j in kept]
        report = _build_report(loc, fields, tallies, locs, self.built_col)
        if report is not None:
            self.built.append((loc, report, locs))


_REPORT_KEYS: Final = ("id", "publisher", "published", "url", "language", "title")
_REPORT_KEY_SET: Final = frozenset(_REPORT_KEYS)


def _report_fields(
    raw: Mapping[str, Any], loc: str, conv: _LazyConverter, col: _Collector
) -> dict[str, Any] | None:
    """A report's own fields, or None after noting each problem in ``col``."""
    fields: dict[str, Any] = {}
    ok = True
    for key in sorted(set(raw) - {*_REPORT_KEYS, "tallies"}):
        col.simple(loc, key, raw[key], "unknown field")
        ok = False
    for key in ("id", "publisher", "published"):
        if key not in raw:
            col.simple(loc, key, None, "required field missing")
            ok = False
    for key in _REPORT_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if key == "published":
            try:
                value = conv.structure(value, When)
            except Exception as exc:
                col.add(loc, exc, (key,))
                ok = False
                continue
        elif not is_text(value) and not (key == "url" and value is None):
            col.simple(loc, key, value, _text_reason(value))
            ok = False
            continue
        fields[key] = value
    return fields if ok else None


def dumps_json(dataset: Dataset) -> str:
    """The canonical JSON text of a dataset.

    Raises:
        ValidationError: A count's phrase reads, in its report's language, as a figure its
            bounds exclude ("nearly 800" on a count of exactly 5): loading would refuse it.
    """
    _check_wording(dataset)
    obj = converter_for(DEFAULT_TIMEZONE).unstructure(dataset, Dataset)
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def _check_wording(dataset: Dataset) -> None:
    """Refuse to write a count whose phrase contradicts its bounds (see :func:`dumps_json`)."""
    seen: set[tuple[int, str]] = set()
    for i, r in enumerate(dataset.reports):
        lang = _count_lang(r.language)
        for j, t in enumerate(r.tallies):
            counts: list[tuple[tuple[str, ...], Count]] = [(("count",), t.count)]
            counts += [
                ((f"conditions[{k}]", "applies_to"), cond.applies_to)
                for k, cond in enumerate(t.conditions)
                if cond.applies_to is not None
            ]
            for where, c in counts:
                if not c.text or (id(c), lang) in seen:
                    continue
                seen.add((id(c), lang))
                parsed = _wording_conflict(c, lang)
                if parsed is not None:
                    raise ValidationError(
                        _wording_conflict_reason(parsed, c),
                        path=(f"reports[{i}]", f"tallies[{j}]", *where, "text"),
                        value=c.text,
                    )


@overload
def loads_json(text: str, *, origin: str = ..., errors: Literal["raise"] = ...) -> Dataset: ...
@overload
def loads_json(text: str, *, origin: str = ..., errors: Literal["collect"]) -> LoadResult: ...
def loads_json(
    text: str, *, origin: str = "<string>", errors: Errors = "raise"
) -> Dataset | LoadResult:
    """Read a dataset from JSON text.

    Text that is not JSON, or an object that names a key twice, cannot be read at all: it
    raises :class:`~vzdetain.errors.LoadError` whatever ``errors`` says.

    >>> loads_json('{"title": "a", "title": "b", "reports": []}')
    Traceback (most recent call last):
    ...
    vzdetain.errors.LoadError: <string>: 1 problem found
      $ field 'title': key appears more than once in the object (got 'title')
    """
    return _loads_json(iter((text,)), origin, errors, decoded=False)


def _loads_json(
    chunks: Iterator[str],
    origin: str,
    errors: Errors,
    *,
    decoded: bool,
    default_tz: str = DEFAULT_TIMEZONE,
) -> Dataset | LoadResult:
    """Read a dataset from JSON text given a chunk at a time (from a file or a string).

    ``decoded`` says the text was decoded from UTF-8 bytes. The reports are built one by one
    as their text is read (see :class:`_JsonDocument`), so that neither the whole text nor
    the whole parsed tree is held at once. Malformed JSON or a repeated key anywhere still
    voids the whole load: its problems are the only ones. ``default_tz`` is the zone when
    the text names none.
    """
    pairs = _PairsHook()
    text = _JsonText(chunks, pairs)
    doc = _JsonDocument(text, pairs, decoded=decoded)
    with paused_gc():
        try:
            obj, repeated = doc.read()
        except json.JSONDecodeError as exc:
            raise LoadError(origin, [text.malformed(exc)]) from None
        except UnicodeDecodeError:
            raise  # not JSON's fault: the caller locates it in the file
        except ValueError as exc:  # e.g. an integer longer than Python converts
            text.read_to_end()
            reason = str(exc).split(";")[0]  # not the advice on sys.set_int_max_str_digits
            raise LoadError(
                origin, [Problem("$", "", None, f"unreadable JSON: {reason}")]
            ) from None
        except RecursionError:
            text.read_to_end()
            raise LoadError(origin, [Problem("$", "", None, "JSON nested too deeply")]) from None
        if repeated:
            raise LoadError(origin, repeated)
        return _from_obj(
            obj,
            origin,
            errors,
            texts_checked=doc.checked,
            streamed=doc.streamed,
            default_tz=default_tz,
        )


def _read_json(path: Path, errors: Errors, default_tz: str) -> Dataset | LoadResult:
    """Read a JSON file a chunk at a time, its text decoded as :meth:`Path.read_text` does."""
    with open(path, encoding="utf-8-sig") as f:
        chunks = iter(functools.partial(f.read, _JSON_CHUNK), "")
        try:
            return _loads_json(chunks, str(path), errors, decoded=True, default_tz=default_tz)
        except UnicodeDecodeError:
            path.read_text(encoding="utf-8-sig")  # raises it again, at its offset in the whole file
            raise


#: Characters of a JSON file read at a time.
_JSON_CHUNK = 1 << 20
#: A value that ends, or an error found, this close to the end of the text read may be
#: an effect of the cut: ``1.5e+9`` cut after ``1.`` decodes as ``1``, ``tru`` is an error.
_LOOKAHEAD: Final = 32
_NOT_BLANK: Final = re.compile(r"[^ \t\n\r]")  # what the json module does not skip
_COMMA: Final = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r])")  # and text after it
_REPEATED: Final = "key appears more than once in the object"


class _JsonText:
    """JSON text read a chunk at a time and decoded a value at a time.

    Text before the cursor is dropped as more is read, its lines counted, so that an error
    is still located in the whole text. A value is taken only once the text read goes well
    past it, or has ended: ``12`` at the end of a chunk may be ``123``.
    """

    def __init__(self, chunks: Iterator[str], pairs: _PairsHook) -> None:
        self.buf = ""
        self.pos = 0  # the cursor, in buf
        self._chunks = chunks
        self._ended = False  # buf holds the rest of the text
        self._pairs = pairs
        self._decode = json.JSONDecoder(object_pairs_hook=pairs.hook).raw_decode
        self._lines = 0  # newlines dropped
        self._column = 0  # characters dropped after the last newline dropped

    def _more(self) -> None:
        """Drop the text before the cursor and read on.

        It reads a chunk at least, and at least as much again as is left after the cursor,
        so that a long value, decoded again each time, costs about twice its decoding.
        """
        buf, pos = self.buf, self.pos
        newline = buf.rfind("\n", 0, pos)
        if newline >= 0:
            self._lines += buf.count("\n", 0, newline + 1)
            self._column = pos - newline - 1
        else:
            self._column += pos
        left = len(buf) - pos
        parts = [buf[pos:]]
        for chunk in self._chunks:
            parts.append(chunk)
            left -= len(chunk)
            if left < 0:
                break
        else:
            self._ended = True
        self.buf = "".join(parts)
        self.pos = 0

    def char(self) -> str:
        """The character at the cursor ('' at the end of the text)."""
        while self.pos == len(self.buf) and not self._ended:
            self._more()
        return self.buf[self.pos : self.pos + 1]

    def peek(self) -> str:
        """Move the cursor past white space; the character there ('' at the end of the text)."""
        while True:
            found = _NOT_BLANK.search(self.buf, self.pos)
            if found is not None:
                self.pos = found.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if self._ended:
                return ""
            self._more()

    def next_item(self, close: str) -> bool:
        """Move past the comma after an item of an array or object, and say so.

        Moves past the white space around the comma too, or else past ``close`` (and says
        False); raises if neither comes next.
        """
        comma = _COMMA.match(self.buf, self.pos)  # the usual case, in one step
        if comma is not None:
            self.pos = comma.end()
            return True
        c = self.peek()
        if c != "," and c != close:
            raise self.error("Expecting ',' delimiter")
        self.pos += 1
        if c == close:
            return False
        self.peek()
        return True

    def value(self) -> tuple[Any, int]:
        """Decode the value at the cursor and move past it; the value, and where it began."""
        repeated = self._pairs.repeated
        noted = len(repeated)
        while True:
            start = self.pos
            try:
                value, end = self._decode(self.buf, start)
            except json.JSONDecodeError as exc:
                # a string cut short is unterminated, however far back it begins
                cut = exc.msg.startswith("Unterminated string") or (
                    exc.pos + _LOOKAHEAD > len(self.buf)
                )
                if self._ended or not cut:
                    raise
            except ValueError:  # a number too long, whose digits (counted) may go on
                if self._ended:
                    raise
            else:
                if self._ended or end + _LOOKAHEAD <= len(self.buf):
                    self.pos = end
                    return value, start
            del repeated[noted:]  # noted again when decoded again
            self._more()

    def error(self, message: str) -> json.JSONDecodeError:
        """Malformed JSON at the cursor, ``message`` worded as the json module words it."""
        return json.JSONDecodeError(message, self.buf, self.pos)

    def malformed(self, exc: json.JSONDecodeError) -> Problem:
        """The problem of ``exc``, raised on the text read, located in the whole text.

        The rest of the text is read first: text further on that is not UTF-8 raises
        instead, as it did when the whole file was decoded before being parsed.
        """
        doc, at = exc.doc, exc.pos
        newline = doc.rfind("\n", 0, at)
        line = self._lines + doc.count("\n", 0, at) + 1
        column = at - newline if newline >= 0 else self._column + at + 1
        shown = doc[at : at + 20]
        for chunk in self._chunks:
            shown += chunk[: 20 - len(shown)]
        return Problem(f"line {line} column {column}", "", shown, f"malformed JSON: {exc.msg}")

    def read_to_end(self) -> None:
        """Read the rest of the text, keeping none of it (text that is not UTF-8 raises)."""
        for _ in self._chunks:
            pass


class _JsonDocument:
    """The JSON text of a dataset, read as the json module reads it, a value at a time.

    The top-level object is read key by key and its ``reports`` array an element at a time:
    once the time zone is known, each report is built as soon as it is read and dropped.
    """

    def __init__(self, text: _JsonText, pairs: _PairsHook, *, decoded: bool) -> None:
        self._text = text
        self._pairs = pairs
        self._decoded = decoded
        #: No string of the values kept in the document can hold a lone surrogate.
        self.checked = True
        #: The reports built as they were read, if the time zone came before them.
        self.streamed: _JsonReports | None = None

    def read(self) -> tuple[Any, list[Problem]]:
        """The document, and a problem per repeated key; raises for malformed JSON.

        Reports built as they were read are not in the document, but in :attr:`streamed`.
        """
        text = self._text
        if text.char() == "\ufeff":
            raise text.error("Unexpected UTF-8 BOM (decode using utf-8-sig)")
        if text.peek() == "{":
            obj, problems = self._object()
        else:  # not a dataset: read whole, for the error it gets
            obj = self._value()
            problems = [Problem(p, k, k, _REPEATED) for p, k in self._pairs.located(obj, "$")]
        if text.peek():
            raise text.error("Extra data")
        return obj, problems

    def _value(self) -> Any:
        """The value at the cursor, noting whether its strings may hold a lone surrogate."""
        value, start = self._text.value()
        self._check(start)
        return value

    def _check(self, start: int) -> None:
        """Note whether the strings of the value kept from ``start`` may hold a lone surrogate."""
        text = self._text
        if self.checked:
            self.checked = not _may_hold_surrogates(text.buf, start, text.pos, self._decoded)

    def _object(self) -> tuple[dict[str, Any], list[Problem]]:
        """The top-level object, and a problem per repeated key, in the json module's order."""
        text, pairs = self._text, self._pairs
        items: list[tuple[str, Any]] = []
        found: list[tuple[int, str, str]] = []  # (item, path of the object, key repeated)
        text.pos += 1  # past "{"
        if text.peek() == "}":
            text.pos += 1
        else:
            while True:
                if text.peek() != '"':
                    raise text.error("Expecting property name enclosed in double quotes")
                key = text.value()[0]
                if text.peek() != ":":
                    raise text.error("Expecting ':' delimiter")
                text.pos += 1
                n = len(items)
                if key == "reports" and text.peek() == "[":
                    value: Any = self._reports(n, dict(items), found)
                else:
                    text.peek()  # the json module skips white space before a value
                    value = self._value()
                    found.extend((n, p, k) for p, k in pairs.located(value, f"$.{key}"))
                items.append((key, value))
                if not text.next_item("}"):
                    break
        obj = pairs.hook(items)
        last = {key: n for n, (key, _) in enumerate(items)}
        problems = [  # an object in a value given again is in no path of the document
            Problem(p if last[items[n][0]] == n else "$", k, k, _REPEATED) for n, p, k in found
        ]
        problems += [Problem(p, k, k, _REPEATED) for p, k in pairs.located(obj, "$")]
        return obj, problems

    def _reports(
        self, n: int, before: Mapping[str, Any], found: list[tuple[int, str, str]]
    ) -> list[Any]:
        """The top-level ``reports`` array, its ``n``-th item, read an element at a time.

        If the items ``before`` it name a valid time zone, each report is built as soon as
        it is read (into :attr:`streamed`) and the list returned is empty. Otherwise the
        elements are returned, to be built once the zone is known. The keys repeated in
        each element go to ``found``.
        """
        text, pairs = self._text, self._pairs
        zone = _named_zone(before)
        read = None if zone is None else _JsonReports(*zone)
        if read is not None:
            self.streamed = read
        kept: list[Any] = []
        text.pos += 1  # past "["
        if text.peek() == "]":
            text.pos += 1
            return kept
        for i in itertools.count():
            loc = f"$.reports[{i}]"
            value, start = text.value()
            if pairs.repeated:
                found.extend((n, p, k) for p, k in pairs.located(value, loc))
            if read is None:
                kept.append(value)
                self._check(start)
            else:
                checked = not _may_hold_surrogates(text.buf, start, text.pos, self._decoded)
                read.add(loc, value, texts_checked=checked)
            if not text.next_item("]"):
                break
        return kept


def _named_zone(top: Mapping[str, Any]) -> tuple[str, _LazyConverter] | None:
    """The zone the top-level items read so far name, and its converter; None if none valid."""
    if "timezone" not in top or not is_text(tz := top["timezone"]):
        return None
    try:
        _zone(tz)
    except ValidationError:
        return None
    return tz, _LazyConverter(tz)


_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")  # either half of a pair


def _may_hold_surrogates(text: str, start: int, end: int, decoded: bool) -> bool:
    """False when no string parsed from the JSON ``text[start:end]`` can hold a lone surrogate."""
    if text.find("\\u", start, end) >= 0 and _SURROGATE_ESCAPE.search(text, start, end):
        return True  # an escaped surrogate, perhaps half a pair
    return not decoded and not is_text(text[start:end])  # text decoded from UTF-8 has none


def _nested(value: Any) -> bool:
    return isinstance(value, dict | list)


class _PairsHook:
    """``object_pairs_hook`` for the json module that notes keys given twice.

    It also keeps each distinct ``measure`` and ``source`` of a tally, and ``publisher`` and
    ``language`` of a report, once, however often it is read (as the CSV reader does): a
    dataset repeats a few of them in every tally and report.
    """

    def __init__(self) -> None:
        # (the object, kept alive so that its id stays unique; the key)
        self.repeated: list[tuple[dict[str, Any], str]] = []
        self._strings: dict[str, str] = {}

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """Build one object (a bound method is quicker to call than ``__call__``)."""
        d = dict(pairs)
        if len(d) != len(pairs):
            seen: set[str] = set()
            twice: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in twice:
                    twice.append(key)
                seen.add(key)
            self.repeated.extend((d, key) for key in twice)
        strings = self._strings
        measure = d.get("measure")
        if isinstance(measure, str):  # a tally (or an object that looks like one)
            d["measure"] = strings.setdefault(measure, measure)
            source = d.get("source")
            if isinstance(source, str):
                d["source"] = strings.setdefault(source, source)
        elif "tallies" in d:  # a report
            for key in ("publisher", "language"):
                value = d.get(key)
                if isinstance(value, str):
                    d[key] = strings.setdefault(value, value)
        return d

    def located(self, value: Any, path: str) -> list[tuple[str, str]]:
        """Each key noted as repeated, with the JSON path of its object within ``value``.

        ``value`` is found at ``path``; an object not in it (the value of a key given
        again) is located at ``$``. The keys told are forgotten.
        """
        if not self.repeated:
            return []
        wanted = {id(d) for d, _ in self.repeated}
        paths: dict[int, str] = {}
        stack: list[tuple[Any, str]] = [(value, path)]
        while stack:
            node, at = stack.pop()
            if id(node) in wanted:
                paths[id(node)] = at
            if isinstance(node, dict):
                stack.extend((v, f"{at}.{k}") for k, v in node.items() if _nested(v))
            elif isinstance(node, list):
                stack.extend((v, f"{at}[{i}]") for i, v in enumerate(node) if _nested(v))
        found = [(paths.get(id(d), "$"), key) for d, key in self.repeated]
        self.repeated.clear()
        return found


# ---------------------------------------------------------------------- CSV


def _sidecar(path: Path, kind: str) -> Path:
    return path.with_name(f"{path.stem}.{kind}.csv")


def _split_list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def _cell_subgroup(cell: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in _split_list(cell):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValidationError(
                "write subgroups as key=value;key=value", path=("subgroup",), value=cell
            )
        key, value = key.strip(), value.strip()
        if key in out:
            raise ValidationError("a subgroup key appears twice", path=("subgroup",), value=cell)
        out[key] = value
    return out


def _cell_conditions(cell: str) -> list[Any]:
    if cell.lstrip().startswith("["):
        try:
            value = json.loads(cell)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"malformed JSON list: {exc.msg}", path=("conditions",), value=cell
            ) from None
        if not isinstance(value, list):
            raise ValidationError("must be a JSON list", path=("conditions",), value=cell)
        return value
    return [{"kind": k} for k in _split_list(cell)]


def _cell_bool(cell: str, name: str) -> bool:
    """``true`` or ``false`` (any case; an empty cell is false)."""
    s = cell.strip().lower()
    if s in ("true", "false", ""):
        return s == "true"
    raise ValidationError("must be true or false", path=(name,), value=cell)


def _cell_int(cell: str, name: str) -> int | None:
    s = cell.strip()
    if not s:
        return None
    try:
        return int(s)
    except ValueError:
        raise ValidationError("must be a whole number", path=(name,), value=cell) from None


_PLAIN_CELLS: Final = ("source", "measure", "as_of", "period_start", "basis", "release_kind")


def _read_count(text_cell: str, low_cell: str, high_cell: str, lang: str) -> Count:
    """The count of a row from its ``count``, ``low`` and ``high`` cells."""
    text = text_cell.strip()
    if not text:
        raise ValidationError("required field missing", path=("count",), value="")
    parsed = Count.parse(text, lang=lang)
    low = _cell_int(low_cell, "low") if low_cell else None
    high = _cell_int(high_cell, "high") if high_cell else None
    if low is None and high is None:
        return parsed
    try:
        return Count(
            parsed.stated,
            parsed.qualifier,
            parsed.low if low is None else low,
            parsed.high if high is None else high,
            text,
        )
    except ValidationError as exc:
        raise exc.at("count") from None


def _row_tally(row: Mapping[str, str], lang: str) -> dict[str, Any]:
    """Turn one CSV row into the JSON-shaped tally it describes."""
    out: dict[str, Any] = {}
    for key in _PLAIN_CELLS:
        cell = row.get(key)
        if cell and (cell := cell.strip()):
            out[key] = cell
    quote = row.get("quote")
    if quote:
        out["quote"] = quote
    out["count"] = _read_count(
        row.get("count") or "", row.get("low") or "", row.get("high") or "", lang
    )
    cell = row.get("subgroup")
    if cell and cell.strip():
        out["subgroup"] = _cell_subgroup(cell)
    cell = row.get("via")
    if cell and cell.strip():
        out["via"] = _split_list(cell)
    cell = row.get("conditions")
    if cell and cell.strip():
        out["conditions"] = _cell_conditions(cell)
    return out


class _RowTallies:
    """Tallies from CSV rows, reading and checking each distinct cell value once.

    The rows of a dataset repeat a few measures, sources, subgroups, conditions and times
    many times over. The first row with a given combination of the cells other than the
    count, the times and the quote is read in full (:func:`_row_tally`, then
    :class:`Tally`, which checks every field and names every bad one). A later row with
    the same combination reuses those checked values, reads its count and times through
    per-load caches, makes the checks that tie one row's fields together, and builds its
    tally without checking again what was checked. Any surprise sends the row down the full
    path, so errors read exactly the same either way.
    """

    def __init__(self, columns: Mapping[str, int], pad: int, tz: str, conv: _LazyConverter):
        def at(name: str) -> int:
            return columns.get(name, pad)  # a missing column reads as the empty pad cell

        self._names = list(columns)
        self._tz = tz
        self._conv = conv
        self._static = operator.itemgetter(
            *(at(c) for c in ("source", "measure", "subgroup", "basis", "via", "release_kind"))
        )
        self._i_conditions = at("conditions")
        self._i_count, self._i_low, self._i_high = at("count"), at("low"), at("high")
        self._i_as_of, self._i_period, self._i_quote = at("as_of"), at("period_start"), at("quote")
        self._protos: dict[tuple[Any, ...], Tally] = {}
        self._counts: dict[tuple[str, str, str, str], Count] = {}
        self._whens: dict[str, When] = {}

    def full(self, cells: Sequence[str], lang: str) -> Tally:
        """The tally of a row read in full."""
        row = dict(zip(self._names, cells, strict=False))
        return _structure_tally(_row_tally(row, lang), self._conv, lang, self._tz)

    def reader(self) -> Callable[[Sequence[str], str], Tally]:
        """The function ``tally(cells, lang)``, called once per row.

        It gives the tally of a row, and raises as :meth:`full` does for a bad row. A closure
        over the column positions and the caches, which it reads as local names.
        """
        static, protos, counts, whens = self._static, self._protos, self._counts, self._whens
        i_conditions, i_count, i_low, i_high = (
            self._i_conditions,
            self._i_count,
            self._i_low,
            self._i_high,
        )
        i_as_of, i_period, i_quote = self._i_as_of, self._i_period, self._i_quote
        full, when = self.full, self._when

        def tally(cells: Sequence[str], lang: str) -> Tally:
            period_cell = cells[i_period]
            has_period = bool(period_cell) and not period_cell.isspace()
            key = (static(cells), cells[i_conditions], lang, has_period)
            proto = protos.get(key)
            if proto is None:
                t = protos[key] = full(cells, lang)
                return t
            try:
                ckey = (cells[i_count], cells[i_low], cells[i_high], lang)
                count = counts.get(ckey)
                if count is None:
                    count = counts[ckey] = _read_count(*ckey)
                cell = cells[i_as_of]
                as_of = whens.get(cell) or when(cell)
                period = (whens.get(period_cell) or when(period_cell)) if has_period else None
            except ValidationError:
                return full(cells, lang)
            made = _like(proto, count, as_of, period, cells[i_quote])
            return made if made is not None else full(cells, lang)

        return tally

    def _when(self, cell: str) -> When:
        got = self._whens.get(cell)
        if got is None:
            stripped = cell.strip()
            if not stripped:
                raise ValidationError("required field missing", value=cell)
            got = self._whens[cell] = When.parse(stripped, tz=self._tz)
        return got


class _ReportHeads:
    """The reports of CSV rows: each report's fields, read from its first row.

    Later rows of a report must repeat its fields (trimmed, they must be equal).
    """

    def __init__(self, tz: str, conv: _LazyConverter, col: _Collector) -> None:
        self._tz = tz
        self._conv = conv
        self._col = col
        self.by_id: dict[str, int] = {}
        self.raw: list[tuple[str, ...]] = []  # the cells each report was read from
        self._published: dict[str, When] = {}
        self._strings: dict[str, str] = {}
        self.langs: list[str] = []  # the language of each report's counts

    def index(
        self,
        rid: str,
        cells: tuple[str, ...],
        loc: str,
        reports: list[tuple[str, dict[str, Any], list[Tally], list[str]]],
    ) -> int | None:
        """Where in ``reports`` the row's report is (added if new); None for a bad row."""
        idx = self.by_id.get(rid)
        if idx is not None:
            if cells == self.raw[idx]:
                return idx
            now, first = _header(cells), _header(self.raw[idx])
            for k in _REPORT_COLUMNS:
                if now[k] != first[k]:
                    message = f"differs from the first row of report {rid!r} ({first[k]!r})"
                    self._col.simple(loc, k, now[k], message)
                    return None
            return idx
        fields = self._fields(rid, cells, loc)
        if fields is None:
            return None
        self.by_id[rid] = idx = len(reports)
        self.raw.append(cells)
        self.langs.append(_count_lang(fields.get("language", "en")))
        reports.append((loc, fields, [], []))
        return idx

    def _fields(self, rid: str, cells: tuple[str, ...], loc: str) -> dict[str, Any] | None:
        publisher, published, language, title, url = cells
        publisher, published = publisher.strip(), published.strip()
        when = self._published.get(published) if publisher else None
        if when is None and publisher and published:
            with contextlib.suppress(ValidationError):
                when = self._published[published] = When.parse(published, tz=self._tz)
        if when is None:  # the general path names each problem
            header = _header(cells)
            raw: dict[str, Any] = {"id": rid}
            raw.update((k, v) for k, v in header.items() if v)
            return _report_fields(raw, loc, self._conv, self._col)
        strings = self._strings  # each distinct publisher and language kept once
        publisher = strings.setdefault(publisher, publisher)
        fields: dict[str, Any] = {"id": rid, "publisher": publisher, "published": when}
        if language := language.strip():
            fields["language"] = strings.setdefault(language, language)
        if title:
            fields["title"] = title
        if url := url.strip():
            fields["url"] = url
        return fields


class _LateZoneError(Exception):
    """Rows already read used another zone than the one a later row names."""

    def __init__(self, tz: str) -> None:
        super().__init__(tz)
        self.tz = tz


@overload
def _read_csv(path: Path, *, errors: Literal["raise"], timezone: str | None) -> Dataset: ...
@overload
def _read_csv(path: Path, *, errors: Literal["collect"], timezone: str | None) -> LoadResult: ...
@overload
def _read_csv(path: Path, *, errors: Errors, timezone: str | None) -> Dataset | LoadResult: ...
def _read_csv(path: Path, *, errors: Errors, timezone: str | None) -> Dataset | LoadResult:
    with paused_gc():
        try:
            return _read_csv_file(path, errors, timezone, None)
        except _LateZoneError as changed:  # rows without a zone came before the first with one
            return _read_csv_file(path, errors, timezone, changed.tz)


def _read_csv_file(
    path: Path, errors: Errors, timezone: str | None, found_tz: str | None
) -> Dataset | LoadResult:
    """:func:`_read_csv_rows` over the lines of the file, read as they are needed."""
    with open(path, encoding="utf-8-sig", newline="") as f:  # line ends untouched
        try:
            return _read_csv_rows(path, f, errors, timezone, found_tz)
        except UnicodeDecodeError:
            _read_csv_text(path)  # raises it again, at its offset in the whole file
            raise


def _read_csv_rows(
    path: Path, lines: Iterable[str], errors: Errors, timezone: str | None, found_tz: str | None
) -> Dataset | LoadResult:
    """Read the rows in one pass, in the zone the rows name (``found_tz`` once known)."""
    origin = str(path)
    rows_col = _Collector()
    reader = _Records(lines, rows_col.problems)
    header = _csv_header(reader, origin, _REQUIRED_COLUMNS, CSV_COLUMNS)
    width = len(header)
    columns = {h: i for i, h in enumerate(header)}
    pad = [""] * (width + 1)  # one more empty cell, which missing columns point at
    i_rid = columns["report_id"]
    i_tz, i_title = columns.get("timezone", width), columns.get("dataset_title", width)
    report_cells = operator.itemgetter(*(columns.get(k, width) for k in _REPORT_COLUMNS))
    tz = found_tz or timezone or DEFAULT_TIMEZONE
    try:
        _zone(tz)
        conv = _LazyConverter(tz)
    except ValidationError as exc:
        raise LoadError(origin, [Problem("rows", "timezone", tz, exc.reason)]) from None
    tzs: set[str] = set() if found_tz is None else {found_tz}
    titles: set[str] = set()
    tally = _RowTallies(columns, width, tz, conv).reader()
    heads = _ReportHeads(tz, conv, rows_col)
    seen_ids, seen_cells, langs = heads.by_id, heads.raw, heads.langs
    parts = _Parts()
    reports = parts.reports
    reading = True  # False once the rows disagree on the zone: then only look for problems
    for cells in reader:
        n = reader.row
        rid = cells[i_rid].strip() if len(cells) > i_rid else ""
        if not rid and not any(c and not c.isspace() for c in cells):
            continue  # blank spreadsheet row
        if len(cells) > width:
            rows_col.simple(f"row {n}", "", cells, f"{len(cells)} cells for {width} columns")
            continue
        cells += pad[len(cells) :]
        row_tz = cells[i_tz]
        if row_tz and row_tz not in tzs and (row_tz := row_tz.strip()) and row_tz not in tzs:
            tzs.add(row_tz)
            if len(tzs) > 1:
                reading = False
            elif row_tz != tz:
                raise _LateZoneError(row_tz)
        titles.add(cells[i_title])
        if not reading:
            continue
        loc = f"row {n}"
        if not rid:
            rows_col.simple(loc, "report_id", cells[i_rid], "required field missing")
            continue
        head = report_cells(cells)
        idx = seen_ids.get(rid)
        if idx is None or head != seen_cells[idx]:  # not a later row repeating its report
            idx = heads.index(rid, head, loc, reports)
            if idx is None:
                continue
        entry = reports[idx]
        try:
            entry[2].append(tally(cells, langs[idx]))
        except Exception as exc:
            rows_col.add(loc, exc)
            continue
        entry[3].append(loc)
    if len(tzs) > 1:
        raise LoadError(
            origin,
            [Problem("rows", "timezone", sorted(tzs), "rows disagree on the dataset's time zone")],
        )
    col = _Collector()
    # ids whose definition in a companion file was refused: (message, id) -> its location
    rejected: dict[tuple[str, str], str] = {}
    if len(titles) > 1:
        col.simple("rows", "dataset_title", sorted(titles), "rows disagree on the dataset's title")
    title = next(iter(titles)) if len(titles) == 1 else ""
    for kind, cls, target, required, allowed in (
        ("sources", Source, parts.sources, ("id", "name", "kind"), SOURCE_COLUMNS),
        ("measures", Measure, parts.measures, ("name", "kind"), MEASURE_COLUMNS),
    ):
        side = _sidecar(path, kind)
        if not side.exists():
            continue
        try:
            side_text = _read_csv_text(side)
        except UnicodeDecodeError as exc:  # named here: the caller would name the main file
            raise LoadError(
                str(side), [Problem(f"byte {exc.start}", "", None, "not UTF-8 text")]
            ) from None
        for side_n, row in _csv_rows(side_text, str(side), required, allowed):
            side_loc = f"{side.name} row {side_n}"
            # cells are trimmed, as in the rows, except free text; a blank cell is an empty one
            free = _FREE_TEXT[kind]
            raw: dict[str, Any] = {
                key: v if key in free else v.strip()
                for key, v in row.items()
                if v and (key in free or v.strip())
            }
            if kind == "measures" and "within" in raw:
                raw["within"] = _split_list(raw["within"])
            if "feminine_es" in raw:  # else left as text, for the converter to name
                with contextlib.suppress(ValidationError):
                    raw["feminine_es"] = _cell_bool(raw["feminine_es"], "feminine_es")
            try:
                target.append((side_loc, _sidecar_record(raw, cls, conv)))
            except Exception as exc:
                col.add(side_loc, exc)
                key = raw.get("id" if kind == "sources" else "name")
                if isinstance(key, str):
                    what = "unknown source id" if kind == "sources" else "unknown measure"
                    rejected.setdefault((what, key), side_loc)
    col.problems.extend(rows_col.problems)
    hints = {
        f"unknown {what}": f"unknown {what}: not built in, and no {side.name} beside the file"
        for kind, what in (("sources", "source id"), ("measures", "measure"))
        if not (side := _sidecar(path, kind)).exists()
    }
    return _assemble(parts, tz, title, col, origin, errors, hints, rejected)


def _read_csv_text(path: Path) -> str:
    """The text of a CSV file, line ends untouched (a quoted cell may hold CR or CRLF)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.read()


def _header(cells: tuple[str, ...]) -> dict[str, str]:
    """A report's fields from its cells: trimmed, except the title."""
    return {
        k: c if k == "title" else c.strip() for k, c in zip(_REPORT_COLUMNS, cells, strict=True)
    }


class _Records:
    """The records of a CSV file, read strictly; a malformed one is reported and skipped.

    Strict: a quote mark left open, or text after a closing one, is an error rather than a
    cell that runs on over the rows after it (and takes them with it). The problem goes to
    ``problems`` (in file order, with the rows' own) and reading goes on. When the
    malformed record ran over several lines, a stray quote mark may have taken the rows
    after it along, so the lines after its first are read again, as rows (the problem says
    so: if they were the lines of a quoted cell, they give problems of their own).
    """

    def __init__(self, lines: Iterable[str], problems: list[Problem]) -> None:
        self._lines: Iterator[str] = iter(lines)
        self._pending: collections.deque[str] = collections.deque()  # lines to read again
        #: where the malformed records go
        self.problems = problems
        self._buf: list[str] = []  # the lines of the record being read
        self._base = 0  # lines read before the current reader started
        self._reader = csv.reader(self._feed(), strict=True)
        #: the number of the record read last (the header is row 1)
        self.row = 0

    def _feed(self) -> Iterator[str]:
        buf, pending = self._buf, self._pending
        while pending:
            line = pending.popleft()
            buf.append(line)
            yield line
        for line in self._lines:
            buf.append(line)
            yield line

    def __iter__(self) -> _Records:
        return self

    def __next__(self) -> list[str]:
        while True:
            reader = self._reader
            start = self._base + reader.line_num + 1  # the record's first line
            self._buf.clear()
            try:
                cells = next(reader)
            except csv.Error as exc:
                self.row += 1
                lines = len(self._buf)
                self.problems.append(_malformed(exc, start, self.row, lines, self.row > 1))
                if lines > 1:  # maybe a stray quote mark, which took rows along: read again
                    self._pending.extendleft(reversed(self._buf[1:]))
                    self._base = start
                    self._reader = csv.reader(self._feed(), strict=True)
                continue
            self.row += 1
            return cells


def _malformed(
    exc: csv.Error, line: int, row: int, lines: int = 1, reread: bool = False
) -> Problem:
    """The problem of a record the CSV reader cannot split into cells.

    ``line`` is its first line, ``lines`` how many it ran over before the error, and
    ``reread`` whether the lines after its first are read again.
    """
    reason = str(exc)
    if "expected after" in reason:
        reason = (
            "text follows the closing quote mark of a quoted cell "
            '(quote the whole cell and double the quote marks inside it: """Más de 1.345"" '
            'detenidos")'
        )
        if lines > 1:
            reason = (
                f"a quoted cell from line {line} to line {line + lines - 1} is followed by "
                "text: either a quote mark is stray, or the text belongs inside the cell"
            )
    else:  # the end of the file, or the field limit, before the quote mark closes
        runs = (
            f"runs on over the next {lines - 1} line{'s' if lines != 2 else ''} without closing"
            if lines > 1
            else "never closes"
        )
        reason = (
            f'a quote mark opens a quoted cell on line {line} that {runs} (a stray " at the '
            "start of a cell, or a closing one missing)"
        )
    if reread and lines > 1:
        again = (
            f"line {line + 1} is" if lines == 2 else f"lines {line + 1} to {line + lines - 1} are"
        )
        reason += f"; {again} read again, as rows"
    return Problem(f"row {row} (line {line})", "", None, f"malformed CSV: {reason}")


def _csv_header(
    reader: Iterator[list[str]], origin: str, required: Sequence[str], allowed: Sequence[str]
) -> list[str]:
    """The header row of a CSV file, checked: every required column, no unknown or repeated one."""
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise LoadError(origin, [Problem("line 1", "", None, f"malformed CSV: {exc}")]) from None
    if isinstance(reader, _Records) and reader.problems:  # the header itself was malformed
        raise LoadError(origin, reader.problems)
    if first is None:
        raise LoadError(origin, [Problem("row 1", "", "", "empty file: expected a header row")])
    header = [h.strip() for h in first]
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            cells = [h.strip() for h in header[0].split(sep)]
            if len(cells) > 1 and all(c in cells for c in required):
                # a spreadsheet set to another separator (Spanish-locale Excel uses ";")
                raise LoadError(
                    origin,
                    [
                        Problem(
                            "row 1",
                            "",
                            header[0],
                            f"the cells are separated by {name}, not commas: save the file "
                            "as comma-separated CSV (UTF-8)",
                        )
                    ],
                )
    problems = [
        Problem("row 1", c, header, "required column missing") for c in required if c not in header
    ]
    problems += [
        Problem("row 1", c, c, f"unknown column (known: {', '.join(allowed)})")
        for c in header
        if c not in allowed
    ]
    dup = sorted({c for c in header if header.count(c) > 1})
    problems += [Problem("row 1", c, c, "column appears twice") for c in dup]
    if problems:
        raise LoadError(origin, problems)
    return header


def _csv_rows(
    text: str, origin: str, required: Sequence[str], allowed: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a small CSV file (a companion file) as dicts, with their row numbers."""
    bad: list[Problem] = []
    reader = _Records(io.StringIO(text, newline=""), bad)
    header = _csv_header(reader, origin, required, allowed)
    out: list[tuple[int, dict[str, str]]] = []
    for cells in reader:  # malformed records join ``bad`` as they are met, in file order
        n = reader.row
        if not any(c.strip() for c in cells):
            continue  # blank spreadsheet row
        if len(cells) > len(header):
            bad.append(
                Problem(f"row {n}", "", cells, f"{len(cells)} cells for {len(header)} columns")
            )
            continue
        out.append((n, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))))
    if bad:
        raise LoadError(origin, bad)
    return out


def _csv_text(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO(newline="")
    # RFC 4180 line ends; the writer then quotes every cell holding a CR or an LF.
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def _count_cells(c: Count, lang: str) -> tuple[str, str, str]:
    text = c.text
    try:
        ok = bool(text) and Count.parse(text, lang=lang) == c
    except ValidationError:
        ok = False
    if not ok:
        text = c.render(lang)
    plain = Count.parse(text, lang=lang)
    if plain == c:
        return text, "", ""
    return text, str(c.low), "" if c.high is None else str(c.high)


def _write_csv(dataset: Dataset, path: Path) -> None:
    if not dataset.reports and (dataset.timezone != DEFAULT_TIMEZONE or dataset.title):
        raise FormatError(
            "CSV keeps the time zone and title on tally rows; a dataset without reports "
            "cannot carry them: use JSON"
        )
    conv = converter_for(dataset.timezone)
    rows: list[list[str]] = []
    for r in dataset.reports:
        lang = _count_lang(r.language)
        for t in r.tallies:
            count, low, high = _count_cells(t.count, lang)
            conds = [conv.unstructure(c) for c in t.conditions]
            if all(set(c) == {"kind"} for c in conds):
                cond_cell = ";".join(c["kind"] for c in conds)
            else:
                cond_cell = json.dumps(conds, ensure_ascii=False, separators=(",", ":"))
            rows.append(
                [
                    r.id,
                    r.publisher,
                    r.published.format(dataset.timezone),
                    r.language,
                    r.title,
                    r.url or "",
                    t.source or "",
                    t.measure,
                    count,
                    low,
                    high,
                    t.as_of.format(dataset.timezone),
                    "" if t.period_start is None else t.period_start.format(dataset.timezone),
                    ";".join(f"{k}={v}" for k, v in t.subgroup),
                    t.basis.value,
                    ";".join(t.via),
                    "" if t.release_kind is None else t.release_kind.value,
                    cond_cell,
                    t.quote,
                    dataset.timezone,
                    dataset.title,
                ]
            )
    cols = list(CSV_COLUMNS)
    if not dataset.title:
        cols.pop()
        rows = [row[:-1] for row in rows]
    _write_text(path, _csv_text(cols, rows))
    sources = [[s.id, s.name, s.kind.value, s.url or "", s.notes] for s in dataset.sources]
    measures = [
        [
            m.name,
            m.kind.value,
            m.description,
            ";".join(m.within),
            m.label_en,
            m.label_es,
            "true" if m.feminine_es else "",
        ]
        for m in dataset.measures
    ]
    for kind, columns, table in (
        ("sources", SOURCE_COLUMNS, sources),
        ("measures", MEASURE_COLUMNS, measures),
    ):
        side = _sidecar(path, kind)
        if table or side.exists():
            _write_text(side, _csv_text(columns, table))


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


# ---------------------------------------------------------------------- entry points


def _format_of(path: Path, fmt: FileFormat | None) -> FileFormat:
    if fmt is not None:
        if fmt not in ("json", "csv"):
            raise FormatError(f"unknown format {fmt!r}; use 'json' or 'csv'")
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    raise FormatError(f"cannot tell the format of {str(path)!r} from its suffix; use .json or .csv")


@overload
def load(
    path: str | os.PathLike[str],
    *,
    format: FileFormat | None = ...,
    errors: Literal["raise"] = ...,
    timezone: str | None = ...,
) -> Dataset: ...
@overload
def load(
    path: str | os.PathLike[str],
    *,
    format: FileFormat | None = ...,
    errors: Literal["collect"],
    timezone: str | None = ...,
) -> LoadResult: ...
def load(
    path: str | os.PathLike[str],
    *,
    format: FileFormat | None = None,
    errors: Errors = "raise",
    timezone: str | None = None,
) -> Dataset | LoadResult:
    """Read a dataset from a JSON or CSV file.

    Args:
        path: The file; its suffix (``.json``, ``.csv``) gives the format unless ``format`` does.
        format: ``"json"`` or ``"csv"`` to override the suffix.
        errors: ``"raise"`` (default) raises one :class:`~vzdetain.errors.LoadError` listing
            every bad record; ``"collect"`` returns a :class:`LoadResult` of the good records
            and the problems.
        timezone: The zone of local days for a file that names none (a CSV file without a
            ``timezone`` column, a JSON file without a ``timezone`` key); default
            America/Caracas. A zone the file names always wins.

    Raises:
        DatasetNotFoundError: The file does not exist.
        FormatError: The format cannot be told or is not supported.
        LoadError: The file holds bad records (with ``errors="raise"``), or cannot be read at all.
    """
    p = Path(path)
    fmt = _format_of(p, format)
    if errors not in ("raise", "collect"):
        raise ValidationError("must be 'raise' or 'collect'", path=("errors",), value=errors)
    if not p.is_file():
        raise DatasetNotFoundError(f"no such dataset file: {str(p)!r}")
    try:
        if fmt == "json":
            return _read_json(p, errors, timezone or DEFAULT_TIMEZONE)
        return _read_csv(p, errors=errors, timezone=timezone)
    except UnicodeDecodeError as exc:
        raise LoadError(
            str(p), [Problem(f"byte {exc.start}", "", None, "not UTF-8 text")]
        ) from None


def dump(
    dataset: Dataset, path: str | os.PathLike[str], *, format: FileFormat | None = None
) -> None:
    """Write a dataset as JSON or CSV (by the suffix of ``path`` unless ``format`` says).

    JSON is canonical: dumping what was loaded gives the same bytes. CSV writes
    ``NAME.sources.csv`` and ``NAME.measures.csv`` beside ``NAME.csv`` when the dataset
    defines its own sources or measures.
    """
    if not isinstance(dataset, Dataset):
        raise ValidationError("must be a Dataset", path=("dataset",), value=dataset)
    p = Path(path)
    if _format_of(p, format) == "json":
        _write_text(p, dumps_json(dataset))
    else:
        _write_csv(dataset, p)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON format, as shipped in the package.

    >>> json_schema()["title"]
    'vzdetain dataset'
    """
    from importlib.resources import files

    text = files("vzdetain").joinpath("schema/dataset.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
