"""Releases: stall periods, release series and release conditions.

Release evidence comes from a dataset's release tallies: the measure ``releases``, and every
measure that lies ``within`` it (``full_releases``, custom ones). Each tally counts releases
over a period ``[period_start.start, as_of.end)``: a day-precision start or cut-off covers the
whole local day, so "since Saturday" starts at Saturday 00:00 and "as of Monday" runs to the
end of Monday. From those periods:

* a **zero** count of all releases (measure ``releases``, no subgroup) is *negative evidence*:
  no release happened in its period;
* a **positive** count places at least that many releases somewhere in the part of its period
  that negative evidence leaves open ("143 since 8 January" with "none since Saturday" puts
  the 143 between 8 January and the end of Saturday);
* **successive cumulative figures** of one source with one period start are differenced into
  releases over the sub-period between their cut-offs; a difference of zero is negative
  evidence, a certain decrease is a finding (and leaves the sub-period open, see
  :class:`ReleaseEvidenceKind`).

A **stall** (:func:`stalls`) is a maximal stretch of at least ``min_length`` within the
analysed window in which no release can be placed. By default only verified figures count, so
an unverified announcement does not end a stall.

>>> from vzdetain.datasets import venezuela_2026_01
>>> ds = venezuela_2026_01()
>>> (stall,) = stalls(ds)
>>> print(stall)
stall from 2026-01-18 00:00, ongoing as of 2026-01-19 21:45 (1 day, confirmed)
>>> days_since_last_release(ds, "2026-01-19T21:45-04:00")
1
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import heapq
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs
import pendulum
from pendulum import DateTime
from pendulum.tz.timezone import FixedTimezone, Timezone

from vzdetain._bulk import paused_gc
from vzdetain.counts import MAX_MAGNITUDE, Count
from vzdetain.errors import UnknownReferenceError, ValidationError
from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.model import (
    Basis,
    ConditionKind,
    Dataset,
    ReleaseKind,
    Tally,
    TallyRef,
    _is_release,
)
from vzdetain.serialize import format_duration
from vzdetain.when import When, timezone

if TYPE_CHECKING:
    from vzdetain.reconcile import Words

__all__ = [
    "Certainty",
    "ConditionCount",
    "ConditionsSummary",
    "ReleaseBin",
    "ReleaseEvidence",
    "ReleaseEvidenceKind",
    "ReleaseKindCount",
    "Stall",
    "conditions_summary",
    "days_since_last_release",
    "duration_words",
    "release_evidence",
    "release_findings",
    "release_series",
    "stalls",
]

#: Default shortest stall: one day (24 hours).
ONE_DAY: Final = pendulum.duration(days=1)

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_Zone = Timezone | FixedTimezone
_TimeArg = When | dt.datetime | dt.date | str | None
_BasisArg = Basis | Iterable[Basis] | None
_SourcesArg = str | Iterable[str] | None
# (report id, index in the report, publisher, tally, end of its cut-off in µs): a TallyRef
# built only when needed
_Ref = tuple[str, int, str, Tally, int]
# (source, measure, subgroup, basis) of a series of figures
_Series = tuple[str, str, tuple[tuple[str, str], ...], Basis]


# ---------------------------------------------------------------------- public values


class Certainty(enum.Enum):
    """How sure we are that no release happened during a stall."""

    CONFIRMED = "confirmed"
    """Zero-release statements cover the whole stall."""
    UNREPORTED = "unreported"
    """No statement covers any of it: releases are only absent from the reports."""
    MIXED = "mixed"
    """Zero-release statements cover part of it; the rest only lacks reports."""


class ReleaseEvidenceKind(enum.Enum):
    """What a piece of release evidence says about its period."""

    NO_RELEASES = "no_releases"
    """No release at all happened in the period (negative evidence)."""
    RELEASES = "releases"
    """At least one release happened in the part of the period negative evidence leaves open."""
    POSSIBLE_RELEASES = "possible_releases"
    """Releases may have happened there, or not ("up to 5", a difference of 0 to 3)."""
    DECREASE = "decrease"
    """A cumulative figure went down between two cut-offs. The figures cannot both be
    right, so the sub-period is treated like
    :attr:`ReleaseEvidenceKind.POSSIBLE_RELEASES` (no stall is claimed
    there on the strength of contradictory figures) and gives no bounds to the series."""


@attrs.frozen(slots=True)
class ReleaseEvidence:
    """One statement about releases over a period, derived from one or more tallies.

    Attributes:
        kind: What it says (none, some, maybe, or a contradictory decrease).
        start: First instant of the period (in the dataset's zone).
        end: First instant after the period.
        count: Releases in the period: the stated count, or for a difference of cumulative
            figures a ``DERIVED`` count clipped at zero. For a
            :attr:`ReleaseEvidenceKind.DECREASE`, the raw negative difference between the
            later figure and the highest figure before it; the period then starts at the
            cut-off of the earliest figure the later one goes below (3, 10, then 2: down by
            8 from the 10, over the period from the 3), since no step in between proves
            anything.
        source: Id of the source the figures are attributed to.
        measure: The release measure counted.
        basis: How the figures were established.
        subgroup: Who is counted (empty: everyone).
        derived: True for the difference between two cumulative figures.
        placed_start: Where the releases can lie: the first instant of the period that
            negative evidence leaves open (``None`` for negative evidence, or when negative
            evidence covers the whole period of a figure that may be zero). When it covers
            the whole period of a figure that places at least one release there, the
            figures contradict each other (a ``RELEASE_DURING_STALL`` finding of
            :func:`release_findings`). If a zero statement on the figure's own basis
            covers part of the period, the releases may lie anywhere in it: no stall is
            claimed on the strength of contradictory figures. Otherwise (an announcement
            against verified zeros) the zero statements stand, and this is ``None``.
        placed_end: The end of that open part (``None`` likewise).
        tallies: The tallies it comes from: one figure and its relays, or for a difference
            the earlier figure(s) then the later one(s) (for a ``DECREASE``, the figure the
            period starts at, the highest figure if it is another, then the later one).
    """

    kind: ReleaseEvidenceKind
    start: DateTime
    end: DateTime
    count: Count
    source: str
    measure: str
    basis: Basis
    subgroup: tuple[tuple[str, str], ...]
    derived: bool
    placed_start: DateTime | None
    placed_end: DateTime | None
    tallies: tuple[TallyRef, ...]


@attrs.frozen(slots=True)
class Stall:
    """A stretch of time in which, on the evidence, no release can have happened.

    A stall begins where the last period that may hold a release ends (or at the start of
    the analysed window) and ends where the next such period begins. It never overlaps the
    open part of a period that may hold a release: when a release is only known to lie
    somewhere in a period, the stall claims none of it.

    **Ongoing stalls.** A stall is ``ongoing`` when it reaches the end of the analysed window
    with no release placed after it: the window ends at the ``end`` given to :func:`stalls`,
    or by default at the latest release evidence (the cut-off of the latest figure). Its
    ``end`` is then ``None`` and ``until`` says how far it is known to reach; its ``days``
    are counted up to ``until``. A stall that begins exactly at the window's start may have
    begun earlier.

    Attributes:
        start: First instant of the stall (in the dataset's zone).
        end: First instant after it (where a release may have happened), or ``None`` while
            ongoing.
        ongoing: True when the stall reaches the end of the window.
        days: Whole local days it lasts, in the dataset's zone: the number of whole days on
            the local calendar clock from ``start`` to ``until`` (a 23½-hour day at a change
            of offset still counts as one day).
        certainty: Whether zero-release statements cover it (see :class:`Certainty`).
        evidence: The evidence it rests on, in period order: a smallest set of zero-release
            statements covering all that such statements cover of it (where several overlap,
            the ones reaching furthest are kept), and the release evidence whose open part
            ends where the stall starts or starts where it ends.
        until: How far the stall is known to reach: ``end``, or the window's end while
            ongoing.
    """

    start: DateTime
    end: DateTime | None
    ongoing: bool
    days: int
    certainty: Certainty
    evidence: tuple[ReleaseEvidence, ...]
    until: DateTime

    @property
    def length(self) -> dt.timedelta:
        """The stall's length up to ``until`` (absolute time, whatever the offsets)."""
        return dt.timedelta(microseconds=_us(self.until) - _us(self.start))

    def __str__(self) -> str:
        zone = self.start.tzinfo
        start = self.start.strftime("%Y-%m-%d %H:%M")
        until = self.until.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        span = f"ongoing as of {until}" if self.ongoing else f"to {until}"
        unit = "day" if self.days == 1 else "days"
        return f"stall from {start}, {span} ({self.days} {unit}, {self.certainty.value})"


@attrs.frozen(slots=True)
class ReleaseBin:
    """Releases in one local day or week, as an interval.

    Attributes:
        date: The local date that names the bin (the day, or the Monday of the week).
        start: First instant counted (the local midnight, or the window's start).
        end: First instant after the bin (the next local midnight, or the window's end).
        count: How many releases can have happened in ``[start, end)``, given every piece of
            evidence (a ``DERIVED`` interval; ``high is None`` where the evidence leaves it
            open).
    """

    date: dt.date
    start: DateTime
    end: DateTime
    count: Count


@attrs.frozen(slots=True)
class ReleaseKindCount:
    """How many releases of one kind the figures report.

    Attributes:
        kind: The release kind.
        label_en: Its English label.
        label_es: Its Spanish label.
        count: The reported releases of this kind, counting no period twice: the sum of the
            largest set of figures whose periods do not overlap (a single figure keeps its
            stated count). Relays and successive cumulative figures overlap, so they are
            never added up.
        counted: The figures that were added up.
        tallies: Every figure of this kind.
    """

    kind: ReleaseKind
    label_en: str
    label_es: str
    count: Count
    counted: tuple[TallyRef, ...]
    tallies: tuple[TallyRef, ...]

    def label(self, lang: str = "en") -> str:
        """The kind's label in ``lang`` (``"en"`` or ``"es"``)."""
        return self.kind.label(lang)


@attrs.frozen(slots=True)
class ConditionCount:
    """How often one kind of release condition was reported.

    Attributes:
        kind: The condition kind.
        label_en: Its English label.
        label_es: Its Spanish label.
        mentions: How many release figures report it (relays of one figure are one).
        sources: Ids of the sources those figures are attributed to.
        applies_to: The numbers of people it applies to, where given ("many of those
            released"): each number a figure gives, once per figure.
        every: For periodic conditions, the periods given (distinct, shortest first).
        notes: The notes given (distinct, in order of first mention).
        tallies: The figures that report it.
    """

    kind: ConditionKind
    label_en: str
    label_es: str
    mentions: int
    sources: tuple[str, ...]
    applies_to: tuple[Count, ...]
    every: tuple[pendulum.Duration, ...]
    notes: tuple[str, ...]
    tallies: tuple[TallyRef, ...]

    def label(self, lang: str = "en") -> str:
        """The kind's label in ``lang`` (``"en"`` or ``"es"``)."""
        return self.kind.label(lang)


@attrs.frozen(slots=True)
class ConditionsSummary:
    """Releases by kind and the conditions reported for released people.

    Attributes:
        releases: One entry per release kind that some figure reports, in
            :class:`~vzdetain.model.ReleaseKind` order.
        conditions: One entry per condition kind reported, in
            :class:`~vzdetain.model.ConditionKind` order.
        total: Releases of any kind, counting no period twice (``None`` without figures).
    """

    releases: tuple[ReleaseKindCount, ...]
    conditions: tuple[ConditionCount, ...]
    total: Count | None

    def release(self, kind: ReleaseKind) -> ReleaseKindCount | None:
        """The entry for one release kind, or ``None`` if no figure reports it."""
        return next((r for r in self.releases if r.kind is kind), None)

    def condition(self, kind: ConditionKind) -> ConditionCount | None:
        """The entry for one condition kind, or ``None`` if it was not reported."""
        return next((c for c in self.conditions if c.kind is kind), None)

    def render(self, lang: str = "en") -> str:
        """A short plain-text table in English (``"en"``) or Spanish (``"es"``)."""
        es = _lang_is_es(lang)
        lines = ["Excarcelaciones por tipo:" if es else "Releases by kind:"]
        if not self.releases:
            lines.append("  (sin cifras)" if es else "  (no figures)")
        for r in self.releases:
            lines.append(f"  {r.kind.label(lang)}: {r.count.render(lang)}")
        lines.append("Condiciones reportadas:" if es else "Conditions reported:")
        if not self.conditions:
            lines.append("  (ninguna)" if es else "  (none)")
        for c in self.conditions:
            n = c.mentions
            if es:
                text = f"reportada {n} {'vez' if n == 1 else 'veces'}"
            else:
                text = f"reported {n} {'time' if n == 1 else 'times'}"
            if c.applies_to:
                who = ", ".join(a.render(lang) for a in c.applies_to)
                text += f", {'aplica a' if es else 'applies to'} {who}"
            if c.every:
                every = (" o " if es else " or ").join(duration_words(e, lang) for e in c.every)
                text += f", {'cada' if es else 'every'} {every}"
            lines.append(f"  {c.kind.label(lang)}: {text}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")


# ---------------------------------------------------------------------- time helpers

_UNITS: Final = (
    ("year", "years", "año", "años"),
    ("month", "months", "mes", "meses"),
    ("week", "weeks", "semana", "semanas"),
    ("day", "days", "día", "días"),
    ("hour", "hours", "hora", "horas"),
    ("minute", "minutes", "minuto", "minutos"),
)


def duration_words(d: dt.timedelta, lang: str = "en") -> str:
    """A duration in words, in English or Spanish: how often a condition applies.

    Days are counted as weeks only when they make whole weeks, so a court's "every 30 days"
    reads as written.

    >>> import pendulum
    >>> duration_words(pendulum.duration(days=30)), duration_words(pendulum.duration(days=14), "es")
    ('30 days', '2 semanas')
    >>> duration_words(pendulum.duration(months=1, days=1, hours=12))
    '1 month, 1 day and 12 hours'
    """
    years = getattr(d, "years", 0)
    months = getattr(d, "months", 0)
    rest = d - dt.timedelta(days=365 * years + 30 * months) if (years or months) else d
    days = rest.days
    hours, seconds = divmod(rest.seconds, 3600)
    weeks = 0
    if days and days % 7 == 0:
        weeks, days = days // 7, 0
    es = _lang_is_es(lang)
    parts = []
    for n, (en1, en2, es1, es2) in zip(
        (years, months, weeks, days, hours, seconds // 60), _UNITS, strict=True
    ):
        if n:
            parts.append(f"{n} {(es1 if n == 1 else es2) if es else (en1 if n == 1 else en2)}")
    if not parts:
        return "0 días" if es else "0 days"
    last = " y " if es else " and "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + last + parts[-1]


def _us(t: dt.datetime) -> int:
    """Microseconds since the Unix epoch (exact; by instant, whatever the zone)."""
    d = dt.datetime.__sub__(t, _EPOCH)  # pendulum's own ``-`` would build an Interval
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def _moment(us: int, zone: _Zone) -> DateTime:
    """The instant ``us`` as a pendulum DateTime in ``zone`` (``pendulum.instance`` is slow)."""
    x = (_EPOCH + dt.timedelta(microseconds=us)).astimezone(zone)
    return DateTime(
        x.year,
        x.month,
        x.day,
        x.hour,
        x.minute,
        x.second,
        x.microsecond,
        tzinfo=zone,
        fold=x.fold,
    )


def _wall(us: int, zone: _Zone) -> dt.datetime:
    return (_EPOCH + dt.timedelta(microseconds=us)).astimezone(zone).replace(tzinfo=None)


def _whole_days(start: int, end: int, zone: _Zone) -> int:
    """Whole local days from ``start`` to ``end`` on the local calendar clock of ``zone``."""
    if end <= start:
        return 0
    return max(0, (_wall(end, zone) - _wall(start, zone)).days)


def _fmt(us: int, zone: _Zone) -> str:
    return _wall(us, zone).strftime("%Y-%m-%d %H:%M")


def _cut_off(w: When, zone: _Zone) -> str:
    """A cut-off as reported: ``2026-01-15`` for a day (not the midnight that ends it)."""
    if w.is_instant:
        return _fmt(_us(w.start), zone)
    return w.format(zone)  # a local period, with its zone when not the dataset's


def _lang_is_es(lang: str) -> bool:
    return ReleaseKind.FULL.label(lang) == ReleaseKind.FULL.label("es")


# ---------------------------------------------------------------------- arguments


def _bases(basis: _BasisArg) -> frozenset[Basis] | None:
    if basis is None:
        return None
    if isinstance(basis, Basis):
        return frozenset((basis,))
    if isinstance(basis, str):
        raise ValidationError("must be a Basis, several, or None", path=("basis",), value=basis)
    out = frozenset(basis)
    for b in out:
        if not isinstance(b, Basis):
            raise ValidationError("must be a Basis", path=("basis",), value=b)
    if not out:
        raise ValidationError("give at least one Basis, or None for all", path=("basis",))
    return out


def _sources(dataset: Dataset, sources: _SourcesArg) -> frozenset[str] | None:
    if sources is None:
        return None
    ids = frozenset((sources,)) if isinstance(sources, str) else frozenset(sources)
    known = dataset.all_sources
    for s in sorted(ids, key=str):
        if not isinstance(s, str) or s not in known:
            raise UnknownReferenceError("unknown source id", path=("sources",), value=s)
    return ids


def _time(dataset: Dataset, value: _TimeArg, name: str, *, upper: bool) -> int | None:
    """A window edge in µs: the start of a ``start`` time, the end of an ``end`` time."""
    if value is None:
        return None
    try:
        w = When.coerce(value, tz=dataset.timezone)
    except ValidationError as exc:
        raise exc.at(name) from None
    return _us(w.end if upper else w.start)


def _min_length(value: dt.timedelta) -> int:
    if not isinstance(value, dt.timedelta):
        raise ValidationError("must be a duration", path=("min_length",), value=value)
    calendar = isinstance(value, pendulum.Duration) and not isinstance(value, pendulum.Interval)
    if calendar and (value.years or value.months):  # type: ignore[attr-defined]
        raise ValidationError(
            "give min_length in weeks, days or hours: a calendar month or year has no fixed length",
            path=("min_length",),
            value=value,
        )
    us = dt.timedelta.__floordiv__(value, dt.timedelta(microseconds=1))
    if us < 0:
        raise ValidationError("must not be negative", path=("min_length",), value=value)
    return us


# ---------------------------------------------------------------------- evidence


class _Fact:
    """One piece of release evidence, with times in µs (internal, fast).

    Its count is kept as plain integers ``bounds = (stated, low, high)``; a difference of
    cumulative figures builds its ``DERIVED`` :class:`Count` only when asked (most never
    leave the analysis).
    """

    __slots__ = (
        "_count",
        "a",
        "b",
        "bounds",
        "contradicted",
        "derived",
        "key",
        "kind",
        "ra",
        "rb",
        "refs",
        "series",
        "total",
    )

    def __init__(
        self,
        a: int,
        b: int,
        kind: int,
        refs: tuple[_Ref, ...],
        series: _Series,
        total: bool,
        count: Count | None,
        bounds: tuple[int | None, int | None, int | None],
    ) -> None:
        self.a = a
        self.b = b
        self.kind = _KINDS[kind]
        self.refs = refs
        self.series = series
        # "total": the figure counts every release (so its upper bound bounds them all)
        self.total = total
        # the figure's count (None for a difference: ``Count.between`` of ``bounds``)
        self._count = count
        self.bounds = bounds
        # a difference between two cumulative figures
        self.derived = count is None
        # hull of the part of the period negative evidence leaves open (set later)
        self.ra = a
        self.rb = b
        # releases certainly in a period zero statements cover entirely (set later)
        self.contradicted = False
        #: canonical order: by period, then kind, then the tallies' places (report id and
        #: index of each, in turn)
        if len(refs) == 1:
            r = refs[0]
            self.key: _FactKey = (a, b, kind, r[0], r[1])
        elif len(refs) == 2:  # a difference of two figures
            r0, r1 = refs
            self.key = (a, b, kind, r0[0], r0[1], r1[0], r1[1])
        else:
            self.key = (a, b, kind, *[x for r in refs for x in (r[0], r[1])])

    @property
    def count(self) -> Count:
        """Releases in the period (see :attr:`ReleaseEvidence.count`)."""
        got = self._count
        if got is None:
            stated, low, high = self.bounds
            got = self._count = Count.between(low, high, stated=stated)
        return got

    @property
    def low(self) -> int:
        """The least number of releases in the period (never negative)."""
        low = self.bounds[1]
        return 0 if low is None or low < 0 else low

    @property
    def high(self) -> int | None:
        return self.bounds[2]

    @property
    def source(self) -> str:
        return self.series[0]

    @property
    def measure(self) -> str:
        return self.series[1]

    @property
    def subgroup(self) -> tuple[tuple[str, str], ...]:
        return self.series[2]

    @property
    def basis(self) -> Basis:
        return self.series[3]

    @property
    def placed(self) -> bool:
        return self.kind is not ReleaseEvidenceKind.NO_RELEASES and self.ra < self.rb


# kinds by index (an index is cheaper to sort and look up than an enum, whose hash is slow)
_KINDS: Final = tuple(ReleaseEvidenceKind)
_NO_RELEASES, _RELEASES, _POSSIBLE, _DECREASE = range(4)
assert _KINDS[_DECREASE] is ReleaseEvidenceKind.DECREASE
# (start, end, kind, report id, index[, report id, index ...])
_FactKey = tuple[int | str, ...]


_fact_key: Final[Callable[[_Fact], _FactKey]] = operator.attrgetter("key")


def _ref_key(ref: _Ref) -> tuple[str, int]:
    return (ref[0], ref[1])


def _tally_ref(ref: _Ref) -> TallyRef:
    return TallyRef(ref[0], ref[1], ref[2], ref[3])


def _merge_counts(counts: list[Count]) -> Count:
    """One figure from several at the same cut-off: their intersection, else their hull."""
    first = counts[0]
    if all(c == first for c in counts):
        return first
    acc: Count | None = first
    for c in counts[1:]:
        acc = None if acc is None else acc.intersection(c)
    if acc is not None:
        return acc
    low = min(c.low or 0 for c in counts)
    highs = [c.high for c in counts]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return Count.between(low, high)


def _classify(low: int | None, high: int | None, total: bool) -> int | None:
    """The kind (index into ``_KINDS``) of evidence a count's bounds give, or None if none."""
    if high == 0:
        # a zero of a narrower measure or a subgroup says nothing about other releases
        return _NO_RELEASES if total else None
    if low is not None and low >= 1:
        return _RELEASES
    return _POSSIBLE


_Bounds: TypeAlias = tuple[int | None, int | None, int | None]  # (stated, low, high)


def _difference(before: _Bounds, after: _Bounds) -> _Bounds:
    """``after - before`` of two figures' ``(stated, low, high)`` (what Count.__sub__ gives)."""
    ps, pl, ph = before
    cs, cl, ch = after
    if cs is not None and cs == cl == ch and ps is not None and ps == pl == ph:
        d = cs - ps  # exact figures (the common case): exact difference
        return d, d, d
    s = None if cs is None or ps is None else cs - ps
    lo = None if cl is None or ph is None else cl - ph
    hi = None if ch is None or pl is None else ch - pl
    if s is not None and ((lo is not None and s < lo) or (hi is not None and s > hi)):
        s = None
    return s, lo, hi


def _decrease(before: _Bounds, after: _Bounds, least: int) -> _Bounds:
    """``after - before`` for a figure that went down by at least ``least`` (> 0).

    The bounds of the merged figures may allow no decrease at all (relays that disagree
    are merged into their span: 5 and 0, then 0); the difference is then capped at
    ``-least``, the drop from the relay that went down.
    """
    s, lo, hi = _difference(before, after)
    if hi is None or hi >= 0:  # relays that disagree, merged into their span: one went down
        hi = -least
    if lo is not None and lo > hi:
        lo = hi
    if s is not None and not ((lo is None or lo <= s) and s <= hi):
        s = None
    return s, lo, hi


# (source, measure, subgroup, id of the basis, period start in µs): one series of figures
_GroupKey = tuple[str, str, tuple[tuple[str, str], ...], int, int]


def _by_cutoff_then_place(ref: _Ref) -> tuple[int, int, str, int]:
    """Sort key: the cut-off's end, its start, then the place in the dataset.

    A day ending where an instant is comes first: they are two cut-offs, not one.
    """
    return (ref[4], ref[3].as_of._key[0], ref[0], ref[1])


def _collect(
    dataset: Dataset, sources: frozenset[str] | None, bases: frozenset[Basis] | None
) -> tuple[list[_Fact], list[tuple[int, int, int]]]:
    """Every piece of release evidence the selected tallies give, cumulative figures differenced.

    Also the ``(start, end, high)`` of each later cumulative figure of all releases over its
    whole period, which differencing leaves out: they bound the release series.
    """
    measures = dataset.all_measures
    is_release: dict[str, bool] = {}
    # enums hash slowly: bases are looked up by identity (members are singletons)
    by_id = {id(b): b for b in Basis}
    allowed = None if bases is None else {id(b) for b in bases}
    groups: dict[_GroupKey, list[_Ref]] = {}
    for report in dataset.reports:
        for i, t in enumerate(report.tallies):
            ps = t.period_start
            if ps is None:  # a stock, most tallies
                continue
            m = t.measure
            rel = is_release.get(m)
            if rel is None:
                rel = is_release[m] = _is_release(m, measures)
            src = t.source
            if not rel or src is None:
                continue
            bid = id(t.basis)
            if allowed is not None and bid not in allowed:
                continue
            if sources is not None and src not in sources:
                continue
            # When._key holds (start, end) in µs since the epoch, as _us gives them
            ref = (report.id, i, report.publisher, t, t.as_of._key[1])
            key = (src, m, t.subgroup, bid, ps._key[0])
            group = groups.get(key)
            if group is None:
                groups[key] = [ref]
            else:
                group.append(ref)
    facts: list[_Fact] = []
    add = facts.append
    # (start, end, high) of later cumulative figures over their whole period
    wholes: list[tuple[int, int, int]] = []
    # differences of zero that a later contradiction takes back
    dropped: set[int] = set()
    for (src, m, subgroup, bid, a), items in groups.items():
        series: _Series = (src, m, subgroup, by_id[bid])
        total = m == "releases" and not subgroup
        if len(items) == 1:  # the common case: a figure with no successor
            ref = items[0]
            c = ref[3].count
            bounds = (c.stated, c.low, c.high)
            kind = _classify(bounds[1], bounds[2], total)
            if kind is not None:
                add(_Fact(a, ref[4], kind, (ref,), series, total, c, bounds))
            continue
        items.sort(key=_by_cutoff_then_place)
        n = len(items)
        # the previous cut-off, its figure's (stated, low, high) and its tallies
        pb = 0
        prev: _Bounds = (None, None, None)
        prefs: tuple[_Ref, ...] = ()
        # every earlier figure: its cut-off, bounds and tallies, and the running highest
        # low (of any of its tallies: a relay that disagrees still says as much)
        seen: list[tuple[int, _Bounds, tuple[_Ref, ...]]] = []
        ends: list[int] = []  # their cut-offs' ends, in order (as reconcile.span gives them)
        highest: list[int] = []
        # per prefix, the earliest figure of its highest low (the one check cites)
        tops: list[int] = []
        zeros: list[_Fact] = []  # the zero steps differenced so far, in order
        k = 0
        while k < n:
            ref = items[k]
            b = ref[4]
            k += 1
            cut = ref[3].as_of._key
            if k < n and items[k][3].as_of._key == cut:  # relays of one figure: merged
                j = k
                while j < n and items[j][3].as_of._key == cut:
                    j += 1
                refs = tuple(items[k - 1 : j])
                counts = [r[3].count for r in refs]
                count = _merge_counts(counts)
                k = j
                low_most = max(c.low or 0 for c in counts)
                high_least = min((c.high for c in counts if c.high is not None), default=None)
            else:
                refs = (ref,)
                count = ref[3].count
                low_most, high_least = count.low or 0, count.high
            cs, cl, ch = count.stated, count.low, count.high
            cur = (cs, cl, ch)
            # The figures before this one (their cut-off ends by the time its own starts,
            # as check compares them: an overlapping one may describe a later moment), and
            # the earliest of them that this one goes below, if it went down.
            nb = bisect.bisect_right(ends, min(r[3].as_of._key[0] for r in refs))
            j = nb
            if high_least is not None and nb and highest[nb - 1] > high_least:
                j = bisect.bisect_right(highest, high_least, 0, nb)
            if not prefs:
                kind = _classify(cl, ch, total)
                if kind is not None:
                    add(_Fact(a, b, kind, refs, series, total, count, cur))
            elif j < nb:
                # The series went down from that figure: they cannot both be right, so
                # neither bounds the releases between them, and no zero step in between
                # proves a stall (whichever figure is wrong, it could hide releases). The
                # decrease is measured, and cited, from the highest figure before (as
                # check reports it); the span starts at the earliest one it goes below.
                eb, _, erefs = seen[j]
                h = tops[nb - 1]
                _, hbounds, hrefs = seen[h]
                assert high_least is not None
                d = _decrease(hbounds, cur, highest[nb - 1] - high_least)
                cited = hrefs if h == j else erefs + hrefs  # the span's start figure too
                add(_Fact(eb, b, _DECREASE, cited + refs, series, total, None, d))
                while zeros and zeros[-1].a >= eb:
                    dropped.add(id(zeros.pop()))
            else:
                s, lo, hi = _difference(prev, cur)
                # clipped at zero; below zero only from a cut-off overlapping this one, which
                # may be the later: no evidence either way
                lo = 0 if lo is None or lo < 0 else lo
                if s is not None and s < lo:
                    s = None
                kind = None if hi is not None and hi < lo else _classify(lo, hi, total)
                if kind is not None:
                    f = _Fact(pb, b, kind, prefs + refs, series, total, None, (s, lo, hi))
                    add(f)
                    if kind == _NO_RELEASES:
                        zeros.append(f)
                # The later figure still bounds its whole period: a zero is negative
                # evidence over all of it; any other upper bound bounds the series (unless
                # an overlapping figure says more: then neither is sure).
                if ch is not None and total and (not highest or highest[-1] <= ch):
                    if ch == 0:
                        add(_Fact(a, b, _NO_RELEASES, refs, series, total, count, cur))
                    else:
                        wholes.append((a, b, ch))
            pb, prev, prefs = b, cur, refs
            tops.append(len(seen) if not highest or low_most > highest[-1] else tops[-1])
            seen.append((b, cur, refs))
            ends.append(b if b > ref[3].as_of._key[0] else b + 1)  # an instant lasts 1 µs
            highest.append(max(highest[-1], low_most) if highest else low_most)
    if dropped:
        facts = [f for f in facts if id(f) not in dropped]
    facts.sort(key=_fact_key)
    return facts, wholes


class _Analysis:
    """Negative evidence merged, open parts of release periods, and where releases may lie."""

    def __init__(
        self, dataset: Dataset, facts: list[_Fact], wholes: Sequence[tuple[int, int, int]] = ()
    ) -> None:
        self.dataset = dataset
        self.wholes = wholes
        self.zone = timezone(dataset.timezone)
        self.facts = facts
        self.first = facts[0].a if facts else None  # facts are sorted by start
        self.last = max([f.b for f in facts], default=None)
        negative = ReleaseEvidenceKind.NO_RELEASES
        others: list[_Fact] = []
        # negative evidence, merged into disjoint, non-touching pieces; per piece, the
        # facts' starts and the fact reaching furthest among each prefix
        ns: list[int] = []
        ne: list[int] = []
        starts: list[int] = []
        reach: list[_Fact] = []
        self.n_fact_starts: list[list[int]] = []
        self.n_reach: list[list[_Fact]] = []
        self._zeros_by_basis: dict[int, tuple[list[int], list[_Fact]]] | None = None
        for f in facts:  # sorted by start
            if f.kind is not negative:
                others.append(f)
            elif ns and f.a <= ne[-1]:
                if f.b > ne[-1]:
                    ne[-1] = f.b
                starts.append(f.a)
                reach.append(f if f.b > reach[-1].b else reach[-1])
            else:
                ns.append(f.a)
                ne.append(f.b)
                starts = [f.a]
                reach = [f]
                self.n_fact_starts.append(starts)
                self.n_reach.append(reach)
        self.n_starts, self.n_ends = ns, ne
        self.n_cum = [0]
        for s, e in zip(ns, ne, strict=True):
            self.n_cum.append(self.n_cum[-1] + e - s)
        # the open part of each other period (its hull), and the union of those parts
        hulls: list[tuple[int, int]] = []
        # periods of figures that zero statements contradict: no stall is claimed there
        disputed: list[tuple[int, int]] = []
        #: the facts that place releases somewhere (``f.placed``), in order
        self.placed: list[_Fact] = []
        open_hull = self.open_hull
        certain = ReleaseEvidenceKind.RELEASES
        for f in others:
            f.ra, f.rb = ra, rb = open_hull(f.a, f.b)
            if ra < rb:
                hulls.append((ra, rb))
                self.placed.append(f)
            elif f.kind is certain:
                # At least one release, in a period zero statements cover entirely: the
                # figures cannot all be right (a finding). When a zero statement on the
                # same basis covers it, no stall is claimed on the strength of either, as
                # for a DECREASE: releases may lie anywhere in the period. An announcement
                # against verified zeros leaves the verified stall standing.
                f.contradicted = True
                if self.zero_on(f.basis, f.a, f.b) is not None:
                    f.ra, f.rb = f.a, f.b
                    disputed.append((f.a, f.b))
                    self.placed.append(f)
        hulls.sort()
        us: list[int] = []
        ue: list[int] = []
        for ha, hb in hulls:
            if us and ha <= ue[-1]:
                ue[-1] = max(ue[-1], hb)
            else:
                us.append(ha)
                ue.append(hb)
        # R = union minus negative evidence: where a release may have happened
        rs: list[int] = []
        re_: list[int] = []
        for u0, u1 in zip(us, ue, strict=True):
            cur = u0
            j = bisect.bisect_right(ne, u0)
            while j < len(ns) and ns[j] < u1:
                if ns[j] > cur:
                    rs.append(cur)
                    re_.append(ns[j])
                cur = max(cur, ne[j])
                j += 1
            if cur < u1:
                rs.append(cur)
                re_.append(u1)
        if disputed:  # negative evidence does not take these out: merged in as they are
            pieces = sorted([*zip(rs, re_, strict=True), *disputed])
            rs, re_ = [], []
            for pa, pb in pieces:
                if rs and pa <= re_[-1]:
                    re_[-1] = max(re_[-1], pb)
                else:
                    rs.append(pa)
                    re_.append(pb)
        self.r_starts, self.r_ends = rs, re_

    def open_hull(self, a: int, b: int) -> tuple[int, int]:
        """Hull of ``[a, b)`` minus negative evidence (empty when ``ra >= rb``)."""
        ns, ne = self.n_starts, self.n_ends
        ra, rb = a, b
        i = bisect.bisect_right(ns, a) - 1
        if i >= 0 and ne[i] > a:
            ra = ne[i]
        j = bisect.bisect_left(ns, b) - 1
        if j >= 0 and ne[j] >= b:
            rb = ns[j]
        return ra, rb

    def covered(self, s: int, e: int) -> int:
        """How much of ``[s, e)`` negative evidence covers (µs)."""
        ns, ne = self.n_starts, self.n_ends
        i = bisect.bisect_right(ne, s)
        j = bisect.bisect_left(ns, e)
        if i >= j:
            return 0
        total = self.n_cum[j] - self.n_cum[i]
        total -= max(0, s - ns[i])
        total -= max(0, ne[j - 1] - e)
        return total

    def zero_on(self, basis: Basis, s: int, e: int) -> _Fact | None:
        """A piece of negative evidence on ``basis`` covering part of ``[s, e)``, if any.

        Of those starting before ``e``, the one reaching furthest: ``O(log n)``, from the
        negative evidence of each basis in order of start, with the furthest reach of each
        prefix (built on first use).
        """
        if self._zeros_by_basis is None:
            by: dict[int, tuple[list[int], list[_Fact]]] = {}
            negative = ReleaseEvidenceKind.NO_RELEASES
            for f in self.facts:  # in order of start
                if f.kind is negative:
                    starts, reach = by.setdefault(id(f.basis), ([], []))
                    starts.append(f.a)
                    reach.append(f if not reach or f.b > reach[-1].b else reach[-1])
            self._zeros_by_basis = by
        got = self._zeros_by_basis.get(id(basis))
        if got is None:
            return None
        starts, reach = got
        k = bisect.bisect_left(starts, e)
        return reach[k - 1] if k and reach[k - 1].b > s else None

    def negatives_in(self, s: int, e: int) -> list[_Fact]:
        """A smallest set of negative evidence covering all it covers of ``[s, e)``.

        A greedy interval cover, piece by piece: O(log n) per fact chosen.
        """
        ns, ne = self.n_starts, self.n_ends
        out: list[_Fact] = []
        for k in range(bisect.bisect_right(ne, s), bisect.bisect_left(ns, e)):
            starts, reach = self.n_fact_starts[k], self.n_reach[k]
            x = max(s, ns[k])
            stop = min(e, ne[k])
            while x < stop:
                f = reach[bisect.bisect_right(starts, x) - 1]
                out.append(f)
                x = f.b
        return out

    def window(self, start: int | None, end: int | None) -> tuple[int, int] | None:
        w0 = start if start is not None else self.first
        w1 = end if end is not None else self.last
        if w0 is None or w1 is None or w0 >= w1:
            return None
        return w0, w1

    def gaps(self, w0: int, w1: int) -> list[tuple[int, int]]:
        """Maximal stretches of ``[w0, w1)`` where no release can be placed."""
        rs, re_ = self.r_starts, self.r_ends
        out: list[tuple[int, int]] = []
        cur = w0
        k = bisect.bisect_right(re_, w0)
        while k < len(rs) and rs[k] < w1:
            if rs[k] > cur:
                out.append((cur, rs[k]))
            cur = max(cur, re_[k])
            k += 1
        if cur < w1:
            out.append((cur, w1))
        return out


def _analyse(dataset: Dataset, sources: _SourcesArg, basis: _BasisArg) -> _Analysis:
    """The analysis of the selected figures (call it with the collector paused)."""
    if not isinstance(dataset, Dataset):
        raise ValidationError("must be a Dataset", path=("dataset",), value=dataset)
    srcs, bases = _sources(dataset, sources), _bases(basis)
    return _Analysis(dataset, *_collect(dataset, srcs, bases))


class _Builder:
    """Turns internal facts into public values: each fact, instant, tally and count once."""

    def __init__(self, an: _Analysis) -> None:
        self.zone = an.zone
        self.cache: dict[int, ReleaseEvidence] = {}
        self.moments: dict[int, DateTime] = {}
        self.refs: dict[int, TallyRef] = {}
        self.counts: dict[tuple[int | None, int | None, int | None], Count] = {}

    def moment(self, us: int) -> DateTime:
        """``_moment(us, zone)``, once per distinct instant (period edges repeat a lot)."""
        got = self.moments.get(us)
        if got is None:
            got = self.moments[us] = _moment(us, self.zone)
        return got

    def tally_ref(self, ref: _Ref) -> TallyRef:
        """``_tally_ref(ref)``, once per tally (successive differences share tallies)."""
        got = self.refs.get(id(ref))
        if got is None:
            got = self.refs[id(ref)] = _tally_ref(ref)
        return got

    def count(self, f: _Fact) -> Count:
        """``f.count``, once per distinct difference (most differences are zeros)."""
        if not f.derived:
            return f.count
        got = self.counts.get(f.bounds)
        if got is None:
            got = self.counts[f.bounds] = f.count
        return got

    def evidence(self, f: _Fact) -> ReleaseEvidence:
        got = self.cache.get(id(f))
        if got is None:
            moment = self.moment
            placed = f.placed
            source, measure, subgroup, basis = f.series
            got = ReleaseEvidence(
                f.kind,
                moment(f.a),
                moment(f.b),
                self.count(f),
                source,
                measure,
                basis,
                subgroup,
                f.derived,
                moment(f.ra) if placed else None,
                moment(f.rb) if placed else None,
                tuple([self.tally_ref(r) for r in f.refs]),
            )
            self.cache[id(f)] = got
        return got


# ---------------------------------------------------------------------- public functions


def release_evidence(
    dataset: Dataset,
    *,
    sources: _SourcesArg = None,
    basis: _BasisArg = Basis.VERIFIED,
) -> tuple[ReleaseEvidence, ...]:
    """Every piece of release evidence the dataset's release tallies give.

    One entry per figure (relays of one figure at one cut-off are merged, keeping the values
    all of them allow), except that successive cumulative figures of one source, measure,
    subgroup, basis and period start become the first figure plus the differences between
    cut-offs, and a later zero stays a zero over its whole period. A zero of a narrower
    measure (``full_releases``) or of a subgroup is left out: it says nothing about other
    releases.

    Args:
        dataset: The dataset.
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis, or these (default ``Basis.VERIFIED``; ``None``
            for all).

    Returns:
        The evidence, sorted by period.

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> for e in release_evidence(venezuela_2026_01()):
    ...     print(e.kind.value, e.count, e.start.date(), e.placed_end and e.placed_end.isoformat())
    releases 143 2026-01-08 2026-01-18T00:00:00-04:00
    no_releases 0 2026-01-18 None
    """
    with paused_gc():
        return _release_evidence(_analyse(dataset, sources, basis))


def _release_evidence(an: _Analysis) -> tuple[ReleaseEvidence, ...]:
    evidence = _Builder(an).evidence
    return tuple([evidence(f) for f in an.facts])


def stalls(
    dataset: Dataset,
    *,
    start: _TimeArg = None,
    end: _TimeArg = None,
    min_length: dt.timedelta = ONE_DAY,
    sources: _SourcesArg = None,
    basis: _BasisArg = Basis.VERIFIED,
) -> tuple[Stall, ...]:
    """Stretches of at least ``min_length`` in which no release can have happened.

    The window analysed runs from ``start`` (default: the start of the earliest release
    evidence) to ``end`` (default: the end of the latest). A time with a duration (a date,
    a month) starts the window at its beginning and ends it at its end. Inside the window,
    every instant that lies in the open part of a period that may hold a release (see
    :class:`ReleaseEvidenceKind`) is excluded; each remaining maximal stretch at least
    ``min_length`` long (absolute time) is a stall. Stalls are sorted and disjoint.

    Args:
        dataset: The dataset.
        start: Start of the window (a ``When``, an aware datetime, a date or a text).
        end: End of the window; a stall reaching it is ``ongoing``.
        min_length: Shortest stall reported (default one day, 24 hours).
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis, or these (default ``Basis.VERIFIED``, so an
            unverified announcement does not end a stall; ``None`` for all).

    Returns:
        The stalls, earliest first.

    Raises:
        ValidationError: For a bad argument (naive datetime, unknown source, negative
            ``min_length``, ``start`` not before ``end``).

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> (stall,) = stalls(venezuela_2026_01())
    >>> stall.start.isoformat(), stall.end, stall.ongoing
    ('2026-01-18T00:00:00-04:00', None, True)
    >>> stall.days, stall.certainty.value, stall.until.isoformat()
    (1, 'confirmed', '2026-01-19T21:45:00-04:00')
    >>> [e.kind.value for e in stall.evidence]
    ['releases', 'no_releases']
    >>> stalls(venezuela_2026_01(), min_length=pendulum.duration(days=2))
    ()
    """
    s = _time(dataset, start, "start", upper=False)
    e = _time(dataset, end, "end", upper=True)
    if s is not None and e is not None and s >= e:
        raise ValidationError("start must be before end", path=("start",), value=start)
    min_us = max(1, _min_length(min_length))
    with paused_gc():
        return _stalls(_analyse(dataset, sources, basis), s, e, min_us)


def _stalls(an: _Analysis, s: int | None, e: int | None, min_us: int) -> tuple[Stall, ...]:
    win = an.window(s, e)
    if win is None:
        return ()
    w0, w1 = win
    builder = _Builder(an)
    moment = builder.moment
    kept = [(gs, ge) for gs, ge in an.gaps(w0, w1) if ge - gs >= min_us]
    # release evidence bounding a stall: its open part ends where the stall starts, or
    # starts where a (finished) stall ends
    starts = {gs for gs, _ in kept}
    ends = {ge for _, ge in kept if ge != w1}
    bounding: dict[int, list[_Fact]] = defaultdict(list)
    for f in an.placed:
        if f.rb in starts:
            bounding[f.rb].append(f)
        if f.ra in ends:
            bounding[f.ra].append(f)
    out: list[Stall] = []
    for gs, ge in kept:
        cov = an.covered(gs, ge)
        certainty = (
            Certainty.CONFIRMED
            if cov == ge - gs
            else Certainty.UNREPORTED
            if cov == 0
            else Certainty.MIXED
        )
        ongoing = ge == w1
        facts = {id(f): f for f in an.negatives_in(gs, ge)}
        for f in bounding.get(gs, ()):
            if f.rb == gs:
                facts[id(f)] = f
        for f in bounding.get(ge, ()) if not ongoing else ():
            if f.ra == ge:
                facts[id(f)] = f
        evidence = tuple([builder.evidence(f) for f in sorted(facts.values(), key=_fact_key)])
        out.append(
            Stall(
                start=moment(gs),
                end=None if ongoing else moment(ge),
                ongoing=ongoing,
                days=_whole_days(gs, ge, an.zone),
                certainty=certainty,
                evidence=evidence,
                until=moment(ge),
            )
        )
    return tuple(out)


def days_since_last_release(
    dataset: Dataset,
    at: When | dt.datetime | dt.date | str,
    *,
    sources: _SourcesArg = None,
    basis: _BasisArg = Basis.VERIFIED,
) -> int | None:
    """Whole local days, up to ``at``, since the last moment a release may have happened.

    The last release may have happened as late as the end of the latest open part of a
    period that may hold a release, so this is the number of days we can be sure passed
    without a release (counted like :attr:`Stall.days`, in the dataset's zone). It is ``0``
    when a release may have happened at ``at`` itself, and ``None`` when no figure places
    a release, even possibly, before ``at``: zero-release statements alone give ``None``
    (the last release is then older than every figure; the ongoing stall of
    ``stalls(dataset, end=at)`` says how long they cover, and the command line prints "at
    least" that many days). Otherwise it agrees with that ongoing stall when there is one.
    A time with a duration (a date) is read at its end.

    Args:
        dataset: The dataset.
        at: The moment of the question.
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis (default ``Basis.VERIFIED``; ``None`` for all).

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> days_since_last_release(venezuela_2026_01(), "2026-01-19T21:45-04:00")
    1
    >>> days_since_last_release(venezuela_2026_01(), "2026-01-21T12:00-04:00")
    3
    >>> days_since_last_release(venezuela_2026_01(), "2026-01-10") is None
    False
    >>> days_since_last_release(venezuela_2026_01(), "2026-01-01") is None
    True
    """
    t = _time(dataset, at, "at", upper=True)
    assert t is not None
    with paused_gc():
        return _days_since_last_release(_analyse(dataset, sources, basis), t)


def _days_since_last_release(an: _Analysis, t: int) -> int | None:
    k = bisect.bisect_left(an.r_starts, t) - 1
    if k < 0:
        return None
    last = min(an.r_ends[k], t)
    return _whole_days(last, t, an.zone)


def _bin_edges(w0: int, w1: int, zone: _Zone, freq: str) -> list[tuple[dt.date, int, int]]:
    day = _wall(w0, zone).date()
    step = dt.timedelta(days=1 if freq == "day" else 7)
    if freq == "week":
        day -= dt.timedelta(days=day.weekday())
    out: list[tuple[dt.date, int, int]] = []
    lo = _us(pendulum.datetime(day.year, day.month, day.day, tz=zone))
    while lo < w1:
        nxt = day + step
        hi = _us(pendulum.datetime(nxt.year, nxt.month, nxt.day, tz=zone))
        if hi > w0:
            out.append((day, max(lo, w0), min(hi, w1)))
        day, lo = nxt, hi
    return out


def release_series(
    dataset: Dataset,
    *,
    freq: Literal["day", "week"] = "day",
    start: _TimeArg = None,
    end: _TimeArg = None,
    sources: _SourcesArg = None,
    basis: _BasisArg = Basis.VERIFIED,
) -> tuple[ReleaseBin, ...]:
    """Releases per local day or week (Monday to Sunday), as intervals.

    Bins are local days or weeks in the dataset's zone, clipped to the window (as in
    :func:`stalls`). Each bin's interval holds every number of releases the evidence allows
    in it, taking each piece of evidence on its own:

    * the lower bound is the largest count of a figure whose releases must lie in the bin
      (the open part of its period lies inside it), else 0;
    * the upper bound is 0 where zero-release statements cover the bin, else the smallest
      upper bound of a figure of all releases (measure ``releases``, no subgroup) whose
      period covers the part of the bin they leave open, else unbounded (``None``).

    These are bounds for each bin alone: a figure spread over several days bounds their
    sum, which one bin cannot show, so the sum of the bins always contains it. Where the
    figures contradict each other in a bin, the bin holds the hull of the bounds.

    Args:
        dataset: The dataset.
        freq: ``"day"`` or ``"week"``.
        start: Start of the window (default: the earliest release evidence).
        end: End of the window (default: the end of the latest).
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis (default ``Basis.VERIFIED``; ``None`` for all).

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> for b in release_series(venezuela_2026_01())[-3:]:
    ...     print(b.date, b.count.interval(), b.end.isoformat())
    2026-01-17 [0, 143] 2026-01-18T00:00:00-04:00
    2026-01-18 [0, 0] 2026-01-19T00:00:00-04:00
    2026-01-19 [0, 0] 2026-01-19T21:45:00-04:00
    >>> [b.count.interval() for b in release_series(venezuela_2026_01(), freq="week")]
    ['[0, 143]', '[0, 143]', '[0, 0]']
    """
    if freq not in ("day", "week"):
        raise ValidationError("must be 'day' or 'week'", path=("freq",), value=freq)
    s = _time(dataset, start, "start", upper=False)
    e = _time(dataset, end, "end", upper=True)
    if s is not None and e is not None and s >= e:
        raise ValidationError("start must be before end", path=("start",), value=start)
    with paused_gc():
        return _release_series(_analyse(dataset, sources, basis), s, e, freq)


def _release_series(
    an: _Analysis, s: int | None, e: int | None, freq: str
) -> tuple[ReleaseBin, ...]:
    win = an.window(s, e)
    if win is None:
        return ()
    z = an.zone
    edges = _bin_edges(win[0], win[1], z, freq)
    starts = [lo for _, lo, _ in edges]
    lows = [0] * len(edges)
    for f in an.placed:
        if f.kind is ReleaseEvidenceKind.RELEASES:
            k = bisect.bisect_right(starts, f.ra) - 1
            if k >= 0 and f.rb <= edges[k][2] and f.low > lows[k]:
                lows[k] = f.low
    # (start, end, high) of every figure of all releases with an upper bound
    bounding = sorted(
        [
            *(
                (f.a, f.b, f.bounds[2])
                for f in an.facts
                if f.total and f.bounds[2] is not None and f.kind in _BOUNDING
            ),
            *an.wholes,
        ]
    )
    heap: list[tuple[int, int, int]] = []
    nxt = 0
    out: list[ReleaseBin] = []
    for k, (day, lo, hi) in enumerate(edges):
        fx, fy = an.open_hull(lo, hi)
        high: int | None
        if fx >= fy:
            high = 0
        else:
            while nxt < len(bounding) and bounding[nxt][0] <= fx:
                _, fb, fh = bounding[nxt]
                heapq.heappush(heap, (fh, -fb, nxt))
                nxt += 1
            while heap and -heap[0][1] < fy:
                heapq.heappop(heap)
            high = heap[0][0] if heap else None
        low = lows[k]
        if high is not None and low > high:
            low, high = high, low
        out.append(ReleaseBin(day, _moment(lo, z), _moment(hi, z), Count.between(low, high)))
    return tuple(out)


_BOUNDING: Final = frozenset((ReleaseEvidenceKind.RELEASES, ReleaseEvidenceKind.POSSIBLE_RELEASES))


def _release_kind(t: Tally, dataset: Dataset) -> ReleaseKind:
    if t.release_kind is not None:
        return t.release_kind
    if t.measure == "full_releases" or "full_releases" in dataset.broader(t.measure):
        return ReleaseKind.FULL
    return ReleaseKind.UNSPECIFIED


#: The largest magnitude a Count accepts.
_LARGEST: Final = MAX_MAGNITUDE * 4


def _sum_counts(counts: list[Count]) -> Count:
    """``counts[0] + counts[1] + ...`` (``Count.__add__``, step by step), on plain integers."""
    first = counts[0]
    s, lo, hi = first.stated, first.low, first.high
    for c in counts[1:]:
        s = None if s is None or c.stated is None else s + c.stated
        lo = None if lo is None or c.low is None else lo + c.low
        hi = None if hi is None or c.high is None else hi + c.high
        if s is not None and ((lo is not None and s < lo) or (hi is not None and s > hi)):
            s = None
        if any(v is not None and abs(v) > _LARGEST for v in (s, lo, hi)):
            # implausibly large: the additions fail as they always did
            total = first
            for other in counts[1:]:
                total = total + other
            return total
    return Count.between(lo, hi, stated=s)


def _disjoint_sum(items: list[tuple[int, int, _Ref]]) -> tuple[Count, tuple[_Ref, ...]]:
    """The largest sum of figures with pairwise disjoint periods (weighted by lower bound)."""
    items = sorted(items, key=lambda x: (x[1], x[0], x[2][0], x[2][1]))
    n = len(items)
    ends = [b for _, b, _ in items]
    best = [0] * (n + 1)
    take = [False] * n
    prev = [0] * n
    for i, (a, _, ref) in enumerate(items):
        p = bisect.bisect_right(ends, a, 0, i)
        prev[i] = p
        w = (ref[3].count.low or 0) * (n + 1) + 1  # most releases first, then most figures
        if best[p] + w > best[i]:
            best[i + 1] = best[p] + w
            take[i] = True
        else:
            best[i + 1] = best[i]
    chosen: list[_Ref] = []
    i = n
    while i > 0:
        if take[i - 1]:
            chosen.append(items[i - 1][2])
            i = prev[i - 1]
        else:
            i -= 1
    chosen.reverse()
    if len(chosen) == 1:
        return chosen[0][3].count, tuple(chosen)
    total = _sum_counts([r[3].count for r in chosen])
    return total, tuple(sorted(chosen, key=_ref_key))


def conditions_summary(
    dataset: Dataset,
    *,
    start: _TimeArg = None,
    end: _TimeArg = None,
    sources: _SourcesArg = None,
    basis: _BasisArg = Basis.VERIFIED,
) -> ConditionsSummary:
    """Releases by kind, and how often each kind of release condition was reported.

    Every selected release figure counts (figures of narrower measures and subgroups too).
    A figure without a release kind is ``FULL`` for the ``full_releases`` measure (and
    measures within it), else ``UNSPECIFIED``. Releases of one kind are added up only over
    figures whose periods do not overlap, so relays and successive cumulative figures are
    never counted twice (see :class:`ReleaseKindCount`). Each condition is counted once per
    figure that reports it.

    Args:
        dataset: The dataset.
        start: Only figures whose period starts at or after this time.
        end: Only figures whose period ends at or before this time.
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis (default ``Basis.VERIFIED``; ``None`` for all).

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> summary = conditions_summary(venezuela_2026_01())
    >>> print(summary.render("en"))
    Releases by kind:
      conditional release: 143
    Conditions reported:
      ban on leaving the country: reported 1 time, applies to many
      ban on speaking to the media: reported 1 time, applies to many
    >>> print(summary.render("es"))
    Excarcelaciones por tipo:
      excarcelación: 143
    Condiciones reportadas:
      prohibición de salida del país: reportada 1 vez, aplica a muchos
      prohibición de declarar a medios: reportada 1 vez, aplica a muchos
    """
    s = _time(dataset, start, "start", upper=False)
    e = _time(dataset, end, "end", upper=True)
    if s is not None and e is not None and s >= e:
        raise ValidationError("start must be before end", path=("start",), value=start)
    if not isinstance(dataset, Dataset):
        raise ValidationError("must be a Dataset", path=("dataset",), value=dataset)
    srcs = _sources(dataset, sources)
    bases = _bases(basis)
    with paused_gc():
        return _conditions_summary(dataset, s, e, srcs, bases)


def _conditions_summary(
    dataset: Dataset,
    s: int | None,
    e: int | None,
    srcs: frozenset[str] | None,
    bases: frozenset[Basis] | None,
) -> ConditionsSummary:
    measures = dataset.all_measures
    is_release: dict[str, bool] = {}
    kind_of_measure: dict[str, ReleaseKind] = {}  # the kind of a figure that states none
    # enums hash slowly: they are looked up by identity (members are singletons)
    allowed = None if bases is None else {id(b) for b in bases}
    unspecified = ReleaseKind.UNSPECIFIED
    by_kind: dict[int, list[tuple[int, int, _Ref]]] = defaultdict(list)
    every_figure: list[tuple[int, int, _Ref]] = []
    by_condition: dict[int, list[tuple[_Ref, int]]] = defaultdict(list)
    for report in dataset.reports:
        for i, t in enumerate(report.tallies):
            ps = t.period_start
            if ps is None:
                continue
            measure = t.measure
            rel = is_release.get(measure)
            if rel is None:
                rel = is_release[measure] = _is_release(measure, measures)
            if not rel:
                continue
            if allowed is not None and id(t.basis) not in allowed:
                continue
            if srcs is not None and t.source not in srcs:
                continue
            # When._key holds (start, end) in µs since the epoch, as _us gives them
            a, b = ps._key[0], t.as_of._key[1]
            if (s is not None and a < s) or (e is not None and b > e):
                continue
            ref: _Ref = (report.id, i, report.publisher, t, b)
            item = (a, b, ref)
            kind = t.release_kind
            if kind is None:
                kind = kind_of_measure.get(measure)
                if kind is None:
                    kind = kind_of_measure[measure] = _release_kind(t, dataset)
            if t.count.high != 0 or kind is not unspecified:
                # "no releases since Saturday" says nothing about kinds of release
                by_kind[id(kind)].append(item)
            every_figure.append(item)
            for j, c in enumerate(t.conditions):
                by_condition[id(c.kind)].append((ref, j))
    tally_refs: dict[int, TallyRef] = {}

    def tally_ref(ref: _Ref) -> TallyRef:
        """``_tally_ref(ref)``, once per tally."""
        got = tally_refs.get(id(ref))
        if got is None:
            got = tally_refs[id(ref)] = _tally_ref(ref)
        return got

    releases = []
    for kind in ReleaseKind:
        items = by_kind.get(id(kind))
        if not items:
            continue
        count, counted = _disjoint_sum(items)
        releases.append(
            ReleaseKindCount(
                kind,
                kind.label("en"),
                kind.label("es"),
                count,
                tuple([tally_ref(r) for r in counted]),
                tuple([tally_ref(r) for r in sorted([x[2] for x in items], key=_ref_key)]),
            )
        )
    conditions = []
    for ckind in ConditionKind:
        mentions = sorted(by_condition.get(id(ckind), ()), key=lambda m: (_ref_key(m[0]), m[1]))
        if not mentions:
            continue
        conds = [m[0][3].conditions[m[1]] for m in mentions]
        every: dict[str, pendulum.Duration] = {}
        for c in conds:
            if c.every is not None:
                every.setdefault(format_duration(c.every), c.every)
        notes: dict[str, None] = {}
        for c in conds:
            if c.note:
                notes.setdefault(c.note, None)
        refs: dict[tuple[str, int], _Ref] = {}
        for m in mentions:
            refs.setdefault(_ref_key(m[0]), m[0])
        # figures: relays of one figure are one, and one figure may give a condition twice
        # (every 30 days; every 15 for minors); each number of people once per figure
        figures: dict[tuple[Any, ...], dict[Count, None]] = {}
        for m, c in zip(mentions, conds, strict=True):
            given = figures.setdefault(_figure_key(m[0][3]), {})
            if c.applies_to is not None:
                given.setdefault(c.applies_to, None)
        conditions.append(
            ConditionCount(
                ckind,
                ckind.label("en"),
                ckind.label("es"),
                len(figures),
                tuple(sorted({m[0][3].source or m[0][2] for m in mentions})),
                tuple(n for given in figures.values() for n in given),
                tuple(sorted(every.values(), key=lambda d: dt.timedelta.total_seconds(d))),
                tuple(notes),
                tuple([tally_ref(r) for r in refs.values()]),
            )
        )
    total = _disjoint_sum(every_figure)[0] if every_figure else None
    return ConditionsSummary(tuple(releases), tuple(conditions), total)


def release_findings(
    dataset: Dataset,
    *,
    sources: _SourcesArg = None,
    basis: _BasisArg = None,
    decreases: bool = True,
) -> tuple[Finding, ...]:
    """Consistency findings about releases, for :func:`vzdetain.checks.check`.

    * ``RELEASE_DURING_STALL``: a figure (or a difference of cumulative figures) places at
      least one release in a period that zero-release statements cover entirely. The
      finding lists the figure, then a smallest set of zero statements covering its period.
      An ``ERROR`` when a zero statement on the figure's own basis covers part of its
      period (no stall is then claimed there), else a ``WARNING`` (typically an unverified
      announcement against verified figures).
    * ``CUMULATIVE_DECREASE`` (``ERROR``): a cumulative release figure of one source, measure,
      subgroup, basis and period start is lower than the one at an earlier cut-off.

    Args:
        dataset: The dataset.
        sources: Only figures attributed to these source ids (default: all).
        basis: Only figures on this basis (default ``None``: every basis).
        decreases: Whether to report ``CUMULATIVE_DECREASE`` (turn it off when a general
            check of every flow already reports decreasing cumulative figures).

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> release_findings(venezuela_2026_01())
    ()
    """
    with paused_gc():
        return _release_findings(_analyse(dataset, sources, basis), decreases)


def _in_lang(dataset: Dataset, text: Callable[..., str], *args: object) -> Callable[[str], str]:
    """``text(dataset, lang, *args)`` for a language given later (a partial, so it pickles)."""
    return functools.partial(_text_in, dataset, text, args)


def _text_in(
    dataset: Dataset, text: Callable[..., str], args: tuple[object, ...], lang: str
) -> str:
    return text(dataset, lang, *args)


def _words(dataset: Dataset, lang: str) -> Words:
    """The :class:`Words` of a finding's sentence (the dataset's measures, for labels)."""
    from vzdetain.reconcile import Words

    return Words(
        dataset.timezone, {}, "es" if _lang_is_es(lang) else "en", measures=dataset.all_measures
    )


def _decrease_text(
    dataset: Dataset,
    lang: str,
    source: str,
    measure: str,
    since: str,
    was: Count,
    was_at: str,
    now: Count,
    now_at: str,
    zone: str,
    refs: str,
) -> str:
    w = _words(dataset, lang)
    label = w.measure(measure)
    if w.es:
        return (
            f"La cifra acumulada de {label} de {source} desde el {since} bajó de "
            f"{w.count_of(was, measure)} (hasta el {was_at}) a {w.count_of(now, measure)} "
            f"(hasta el {now_at}, {zone}): una cifra acumulada no puede bajar ({refs})."
        )
    return (
        f"{source}'s cumulative {label} since {since} went down from {was} (to {was_at}) to "
        f"{now} (to {now_at}, {zone}): a cumulative count cannot decrease ({refs})."
    )


def _during_stall_text(
    dataset: Dataset,
    lang: str,
    source: str,
    count: Count,
    measure: str,
    derived: bool,
    basis: Basis,
    start: str,
    end: str,
    zone: str,
    refs: str,
    cover: str,
) -> str:
    """``refs``: the figure's own tallies; ``cover``: those of the zero statements."""
    w = _words(dataset, lang)
    counted = w.counted(count, measure)
    if w.es:
        what = "una diferencia de cifras acumuladas" if derived else "una cifra"
        return (
            f"{source} sitúa {counted} ({what}, {w.basis(basis)}: {refs}) entre el "
            f"{start} y el {end} ({zone}), un periodo que las declaraciones de cero "
            f"excarcelaciones cubren por completo ({cover})."
        )
    what = "a difference of cumulative figures" if derived else "a figure"
    return (
        f"{source} places {counted} ({what}, {basis.value}: {refs}) between {start} and "
        f"{end} ({zone}), a period that zero-release statements cover entirely ({cover})."
    )


def _figure_key(t: Tally) -> tuple[Any, ...]:
    """What makes one figure: relays of it share it."""
    ps = t.period_start
    return (t.source, t.measure, t.subgroup, t.as_of._key, None if ps is None else ps._key)


def _high_or_none_last(ref: _Ref) -> tuple[bool, int]:
    high = ref[3].count.high
    return (high is None, high or 0)


def _release_findings(an: _Analysis, decreases: bool) -> tuple[Finding, ...]:
    dataset = an.dataset
    z = an.zone
    zname = dataset.timezone
    out: list[tuple[_FactKey, Finding]] = []

    def name(source: str) -> str:
        return dataset.source(source).name

    for f in an.facts:
        if f.kind is ReleaseEvidenceKind.DECREASE and decreases:
            # of relays that disagree, the ones that went down: the highest before, and
            # the lowest after (the later figure's tallies come last, with its cut-off)
            cut = f.refs[-1][3].as_of._key
            was = max(
                (r for r in f.refs if r[3].as_of._key != cut), key=lambda r: r[3].count.low or 0
            )
            now = min((r for r in f.refs if r[3].as_of._key == cut), key=_high_or_none_last)
            # the finding cites the two figures of the decrease (not the span's start)
            pair = (was[3].as_of._key, cut)
            refs = tuple(_tally_ref(r) for r in f.refs if r[3].as_of._key in pair)
            ps = f.refs[0][3].period_start
            assert ps is not None
            args = (
                name(f.source),
                f.measure,
                _cut_off(ps, z),
                was[3].count,
                _cut_off(was[3].as_of, z),
                now[3].count,
                _cut_off(now[3].as_of, z),
                zname,
                ", ".join(map(str, refs)),
            )
            finding = Finding(
                FindingKind.CUMULATIVE_DECREASE,
                Severity.ERROR,
                _decrease_text(dataset, "en", *args),
                refs,
                sentence=_in_lang(dataset, _decrease_text, *args),
            )
            out.append((f.key, finding))
        elif f.contradicted:
            refs = tuple(_tally_ref(r) for r in f.refs)
            covering = an.negatives_in(f.a, f.b)
            same = f.placed  # a zero on its basis covers part of it: no stall was claimed
            if same and all(c.basis is not f.basis for c in covering):
                own = an.zero_on(f.basis, f.a, f.b)  # cite it too: it makes this an error
                assert own is not None
                covering.append(own)
            covering = sorted({id(c): c for c in covering}.values(), key=_fact_key)
            cover_refs = tuple(_tally_ref(r) for c in covering for r in c.refs)
            placed = (
                name(f.source),
                f.count,
                f.measure,
                f.derived,
                f.basis,
                _fmt(f.a, z),
                _fmt(f.b, z),
                zname,
                ", ".join(map(str, refs)),
                ", ".join(map(str, cover_refs)),
            )
            finding = Finding(
                FindingKind.RELEASE_DURING_STALL,
                Severity.ERROR if same else Severity.WARNING,
                _during_stall_text(dataset, "en", *placed),
                refs + cover_refs,
                sentence=_in_lang(dataset, _during_stall_text, *placed),
            )
            out.append((f.key, finding))
    out.sort(key=lambda x: x[0])
    return tuple(f for _, f in out)
