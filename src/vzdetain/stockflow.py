"""Stock–flow balance: whether one source's stocks and flows add up.

For one source, the stock at a start cut-off, the stock at an end cut-off and the flows
between them leave a **residual**, what the source's own figures do not explain::

    residual = end − (start − releases + arrests + newly_documented)

computed with interval arithmetic, so every qualifier's uncertainty is carried through.
The design example: a stock of 900 falling to 780 over a month with 150 releases and 40
newly documented earlier cases leaves −10 unexplained:

>>> from vzdetain import Count, Dataset, Report, Tally, When
>>> month = (When.parse("2025-12-01"), When.parse("2026-01-01"))
>>> ds = Dataset([Report("fp-2026-01", "foro-penal", When.parse("2026-01-02"), [
...     Tally("political_prisoners", Count.exact(900), month[0]),
...     Tally("political_prisoners", Count.exact(780), month[1]),
...     Tally("releases", Count.exact(150), month[1], period_start=month[0]),
...     Tally("newly_documented", Count.exact(40), month[1], period_start=month[0]),
... ])])
>>> sf = stock_flow(ds, "foro-penal", "2025-12-01", "2026-01-01")
>>> sf.residual
Count('-10 (range -10 to -10)', low=-10, high=-10)
>>> print(sf.explain())  # doctest: +NORMALIZE_WHITESPACE
Stock-flow balance of political prisoners according to Foro Penal, from 1 Dec 2025 to 1 Jan 2026.
Stock at the start: 900 on 1 Dec 2025.
Stock at the end: 780 on 1 Jan 2026.
Releases (subtracted): 150, reported for 1 Dec 2025 to 1 Jan 2026.
Arrests (added): no figure over exactly this span, counted as zero.
Newly documented detentions (added): 40, reported for 1 Dec 2025 to 1 Jan 2026.
The stocks and flows imply 790 at the end, so Foro Penal's own figures leave -10 unexplained:
the end figure is 10 below that.

**How flows are matched to the span.** The span runs from the start stock's cut-off *S* to
the end stock's cut-off *E*. A flow measure's value over the span comes from

* *direct* figures: a flow of the source whose period starts at the same time as *S* and
  ends at the same time as *E* (:func:`~vzdetain.reconcile.same_time`: equal, or an instant
  inside a day-precision time);
* *differences* of cumulative figures: two flows of the source with the same period start,
  one ending at *S*, the other at *E*; their difference (floored at zero, since a flow is
  never negative, unless the figures certainly decreased) is the flow over the span.

Evidence over one period must agree; the value used is its intersection (or, when it
cannot all be true, its span, and the term is marked inconsistent). Evidence over different
periods that are each the same time as the span need not agree: with the end stock given for
19 January, cumulative figures at 08:00 and at 21:45 that day are both matched, and the
flow over the span is either, so their span is used. Flows over only part of the
span are **not** summed, since gaps or overlaps between them could not be told apart. A flow
measure with no evidence counts as zero: the residual is then what the source's *own*
figures leave unexplained.

Figures with basis ``PLANNED`` (releases announced for later) take no part: nothing has
happened yet. Flows given together must not nest: ``releases`` and ``full_releases`` (which
lies within it) as outflows would subtract the same people twice, and are refused.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias, TypeVar

import attrs

from vzdetain.counts import Count
from vzdetain.errors import ValidationError
from vzdetain.model import Basis, Dataset, Measure, MeasureKind
from vzdetain.reconcile import (
    Claim,
    Subgroup,
    Words,
    _measure_arg,
    _narrowed,
    build_claims,
    claim_key,
    hull,
    lang_index,
    meet,
    source_names,
    span,
    subgroup_arg,
    when_arg,
    when_key,
)
from vzdetain.when import When

__all__ = [
    "DEFAULT_INFLOWS",
    "DEFAULT_OUTFLOWS",
    "FlowEvidence",
    "FlowMethod",
    "FlowTerm",
    "StockFlow",
    "StockLevel",
    "roll_forward",
    "stock_flow",
]

#: Flows that add to a stock by default: new arrests and earlier detentions newly documented.
DEFAULT_INFLOWS: Final = ("arrests", "newly_documented")
#: Flows that take from a stock by default: releases.
DEFAULT_OUTFLOWS: Final = ("releases",)

_ZERO: Final = Count.exact(0)
_NON_NEGATIVE: Final = Count.between(0, None)
_T = TypeVar("_T")


class FlowMethod(enum.Enum):
    """How a flow over a span was obtained."""

    DIRECT = "direct"
    """A figure over exactly the span."""
    DIFFERENCE = "difference"
    """The later minus the earlier of two cumulative figures with one period start."""


@attrs.frozen(slots=True)
class FlowEvidence:
    """One way of knowing a flow over the span.

    Attributes:
        method: Direct figure or difference of cumulative figures.
        count: The flow it gives.
        claims: The figure (direct), or the earlier and the later cumulative figure.
    """

    method: FlowMethod
    count: Count
    claims: tuple[Claim, ...]


@attrs.frozen(slots=True)
class FlowTerm:
    """One flow measure's part in the balance.

    Attributes:
        measure: The flow measure.
        sign: ``+1`` for an inflow (arrests), ``-1`` for an outflow (releases).
        count: The value used: the intersection of the evidence, its span when the evidence
            disagrees or covers different periods that are each the same time as the span
            (an end given as a day, figures at two instants of it), or exactly 0 when the
            measure is not reported for the span.
        reported: True when some evidence covers the span.
        consistent: False when evidence over one period cannot all be true.
        evidence: Every direct figure and difference found.
    """

    measure: str
    sign: int
    count: Count
    reported: bool
    consistent: bool
    evidence: tuple[FlowEvidence, ...]


@attrs.frozen(slots=True)
class StockLevel:
    """A source's stock at one cut-off.

    Attributes:
        as_of: The cut-off.
        count: The values its claims allow (their intersection, or their span when relays
            of the figure disagree).
        claims: The claims at that cut-off (more than one only when relays disagree).
    """

    as_of: When
    count: Count
    claims: tuple[Claim, ...]


@attrs.frozen(slots=True)
class StockFlow:
    """The result of :func:`stock_flow` and :func:`roll_forward`.

    Attributes:
        source: The source whose figures are balanced.
        measure: The stock measure.
        subgroup: The group counted (empty: everyone).
        start: The time asked for as the start (for :func:`roll_forward`, the stock's
            cut-off, or ``to`` when there is none).
        end: The time asked for as the end (``to`` for :func:`roll_forward`).
        start_stock: The source's latest stock at or before ``start``, if any.
        end_stock: The source's latest stock at or before ``end`` (``None`` for
            :func:`roll_forward`).
        flows: One term per flow measure: outflows, then inflows, each in the order given.
        implied: ``start − outflows + inflows``: the stock the figures imply at the end.
        residual: ``end − implied``: what the source's figures leave unexplained; ``None``
            when a stock is missing. It is exactly 0 when both times fall back on the same
            cut-off.
        timezone: The dataset's zone, used to write times in :meth:`explain`.
        names: ``(source id, short name)`` pairs used by :meth:`explain`.
        rolled_forward: True for a result of :func:`roll_forward`.
        measures: The definitions of the measures :meth:`explain` names, for their labels
            (a built-in measure need not be listed).
    """

    source: str
    measure: str
    subgroup: Subgroup
    start: When
    end: When
    start_stock: StockLevel | None
    end_stock: StockLevel | None
    flows: tuple[FlowTerm, ...]
    implied: Count | None
    residual: Count | None
    timezone: str
    names: tuple[tuple[str, str], ...]
    rolled_forward: bool = False
    measures: tuple[Measure, ...] = attrs.field(default=(), kw_only=True)

    def sentences(self, lang: str = "en") -> tuple[str, ...]:
        """One plain sentence per step, in English (``"en"``) or Spanish (``"es"``)."""
        w = Words(
            self.timezone,
            dict(self.names),
            ("en", "es")[lang_index(lang)],
            measures={m.name: m for m in self.measures},
        )
        return tuple(_explain(self, w))

    def explain(self, lang: str = "en") -> str:
        """The balance in words, one sentence per line."""
        return "\n".join(self.sentences(lang))


# ---------------------------------------------------------------------- engine

_TimeKey: TypeAlias = tuple[int, int, int]
"""A time as :func:`~vzdetain.reconcile.when_key` gives it: equal keys, equal times."""

_Bounds: TypeAlias = tuple[int | None, int | None]
"""The ``(low, high)`` of a count (``None``: unbounded)."""


def _same(a: _TimeKey, a_instant: bool, b: _TimeKey, b_instant: bool) -> bool:
    """:func:`~vzdetain.reconcile.same_time` on keys: equal, or an instant inside a period."""
    if a_instant is b_instant:
        return a == b
    if a_instant:
        return b[0] <= a[0] < b[1]
    return a[0] <= b[0] < a[1]


class _Times:
    """The key of each time and whether it is an instant, memoised by identity.

    (Times are shared objects, and hashing one is slow; the memo holds the times it names,
    so an id is never mistaken for another's.)
    """

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[int, tuple[When, tuple[_TimeKey, bool]]] = {}

    def __call__(self, w: When) -> tuple[_TimeKey, bool]:
        got = self._memo.get(id(w))
        if got is None or got[0] is not w:
            got = self._memo[id(w)] = (w, (when_key(w), w.is_instant))
        return got[1]


class _Flow:
    """A flow claim with its bounds and the keys of its times, for matching by integers."""

    __slots__ = ("claim", "end", "end_instant", "high", "low", "start", "start_instant")

    def __init__(self, claim: Claim, times: _Times) -> None:
        assert claim.period_start is not None
        self.claim = claim
        self.low = claim.count.low
        self.high = claim.count.high
        self.start, self.start_instant = times(claim.period_start)
        self.end, self.end_instant = times(claim.as_of)


class _TimeIndex:
    """Flows sorted by their period start or their cut-off, for "same time as" look-ups.

    A look-up takes ``O(log n + k)``.
    """

    __slots__ = ("_max_len", "_rows", "_starts")

    def __init__(self, flows: Sequence[_Flow], *, by_start: bool, presorted: bool) -> None:
        """Index ``flows`` by time, equal times in :func:`claim_key` order.

        ``presorted``: ``flows`` are in that order already, so a stable sort keeps it.
        """
        # (key of the time, whether it is an instant, flow); equal spans are equal keys, as
        # precisions differ in length
        if by_start:
            rows = [(f.start, f.start_instant, f) for f in flows]
        else:
            rows = [(f.end, f.end_instant, f) for f in flows]
        if presorted:
            rows.sort(key=_first)
        else:
            rows = _sorted_by(rows, _first, lambda r: claim_key(r[2].claim))
        self._rows = rows
        self._starts = [r[0][0] for r in rows]
        self._max_len = max((r[0][1] - r[0][0] for r in rows), default=0)

    def at(self, k: _TimeKey, instant: bool) -> list[_Flow]:
        """The flows whose time is the same time as the time with key ``k``, in order.

        (:func:`_same`, inlined: this is the inner loop of :meth:`Engine.spans`.)
        """
        lo = bisect.bisect_left(self._starts, k[0] - self._max_len)
        hi = bisect.bisect_left(self._starts, k[1], lo)
        if lo == hi:
            return []
        t0 = k[0]
        if instant:  # the same instant, or a period containing it
            return [f for t, i, f in self._rows[lo:hi] if (t == k if i else t[0] <= t0 < t[1])]
        t1 = k[1]  # the same period, or an instant inside it
        return [f for t, i, f in self._rows[lo:hi] if (t0 <= t[0] < t1 if i else t == k)]


class _Flows:
    """One flow measure's figures of an engine, by period start and by cut-off."""

    __slots__ = ("by_end", "by_start")

    def __init__(
        self, claims: Iterable[Claim], key: Callable[[Claim], Any] | None, times: _Times
    ) -> None:
        rows = [_Flow(c, times) for c in claims]
        if key is not None:
            rows.sort(key=lambda f: key(f.claim))
        self.by_start = _TimeIndex(rows, by_start=True, presorted=key is not None)
        self.by_end = _TimeIndex(rows, by_start=False, presorted=key is not None)

    def matches(
        self,
        s: tuple[_TimeKey, bool],
        e: tuple[_TimeKey, bool],
        ending_at_s: list[_Flow],
        ending_at_e: list[_Flow],
    ) -> tuple[list[_Flow], list[tuple[_Flow, _Flow]]]:
        """The direct figures and the pairs of cumulative figures for a span.

        ``s`` and ``e`` are the key of the span's start and end and whether each is an
        instant, ``e`` after ``s``; ``ending_at_s`` and ``ending_at_e`` the figures
        ``by_end.at`` them. In the order evidence is found: direct figures by period start;
        pairs by the later figure's cut-off, then the earlier one's.
        """
        e_key, e_instant = e
        direct = [f for f in self.by_start.at(*s) if _same(f.end, f.end_instant, e_key, e_instant)]
        if not ending_at_s or not ending_at_e:
            return direct, []
        if len(ending_at_s) <= _SCAN:
            pairs = [
                (a, b)
                for b in ending_at_e
                for a in ending_at_s
                if a.start == b.start and b.end[0] >= a.end[1]  # b after a
            ]
            return direct, pairs
        earlier: dict[_TimeKey, list[_Flow]] = {}
        for a in ending_at_s:
            earlier.setdefault(a.start, []).append(a)
        pairs = [
            (a, b) for b in ending_at_e for a in earlier.get(b.start, ()) if b.end[0] >= a.end[1]
        ]
        return direct, pairs

    def bounds(
        self,
        s: tuple[_TimeKey, bool],
        e: tuple[_TimeKey, bool],
        ending_at_s: list[_Flow],
        ending_at_e: list[_Flow],
    ) -> TermBounds:
        """What :meth:`Engine.spans` gives for this flow over a span (as :meth:`matches`)."""
        direct, pairs = self.matches(s, e, ending_at_s, ending_at_e)
        if not pairs:
            if not direct:
                return None
            if len(direct) == 1:
                f = direct[0]
                return (f.low, f.high), [f.claim]
        # by the times each covers, as Engine.term groups them
        groups: dict[tuple[_TimeKey, _TimeKey], list[_Bounds]] = {}
        claims = [f.claim for f in direct]
        for f in direct:
            groups.setdefault((f.start, f.end), []).append((f.low, f.high))
        for a, b in pairs:
            groups.setdefault((a.end, b.end), []).append(
                _floored_difference(b.low, b.high, a.low, a.high)
            )
            claims += (a.claim, b.claim)
        if len(groups) == 1:
            return _combined(next(iter(groups.values()))), claims
        return _spanned([_combined(bs) for bs in groups.values()]), claims


#: Up to this many figures ending at a span's start, pairs are found by a scan, not a dict.
_SCAN: Final = 8

TermBounds: TypeAlias = tuple[_Bounds, list[Claim]] | None
"""What :meth:`Engine.spans` gives per flow: ``None`` when the flow is not reported for the
span (it then counts as exactly 0), else the bounds ``(low, high)`` of the term's count (as
:meth:`Engine.term` computes it) and the claims of its evidence."""


class Engine:
    """One source's claims of one subgroup, indexed for stock–flow reasoning.

    Claims with equal times are kept in :func:`~vzdetain.reconcile.claim_key` order;
    ``key``, if given, is a faster sort key giving that order (such as the dataset index's
    claim ranks). ``times`` may be shared between engines.
    """

    def __init__(
        self,
        claims: Iterable[Claim],
        key: Callable[[Claim], Any] | None = None,
        times: _Times | None = None,
    ) -> None:
        self._times = times = _Times() if times is None else times
        stocks: dict[str, list[Claim]] = defaultdict(list)
        flows: dict[str, list[Claim]] = defaultdict(list)
        for c in claims:
            (flows if c.is_flow else stocks)[c.measure].append(c)
        self._levels = {m: _levels(cs, key, times) for m, cs in stocks.items()}
        self._level_starts = {
            m: [times(lv.as_of)[0][0] for lv in lvs] for m, lvs in self._levels.items()
        }
        self._flows = {m: _Flows(cs, key, times) for m, cs in flows.items()}

    def has_flows(self, measures: Iterable[str]) -> bool:
        """True when the engine holds figures of one of these flow measures."""
        return any(m in self._flows for m in measures)

    @property
    def stock_measures(self) -> list[str]:
        """The stock measures with figures, sorted."""
        return sorted(self._levels)

    def levels(self, measure: str) -> list[StockLevel]:
        """Every cut-off of a stock measure, in time order."""
        return self._levels.get(measure, [])

    def level_at(self, measure: str, w: When) -> StockLevel | None:
        """The latest stock at or before ``w``: a cut-off starting no later than ``w`` ends."""
        levels = self.levels(measure)
        if not levels:
            return None
        i = bisect.bisect_right(self._level_starts[measure], span(w)[1] - 1)
        return levels[i - 1] if i else None

    def term(self, measure: str, sign: int, s: When, e: When) -> FlowTerm:
        """The flow of ``measure`` from ``s`` to ``e`` (see the module's matching rules)."""
        flows = self._flows.get(measure)
        direct: list[_Flow] = []
        pairs: list[tuple[_Flow, _Flow]] = []
        if flows is not None:
            s_at, e_at = self._times(s), self._times(e)
            direct, pairs = flows.matches(
                s_at, e_at, flows.by_end.at(*s_at), flows.by_end.at(*e_at)
            )
            if s_at[0][0] >= e_at[0][0]:
                # an empty span (both ends fall back on one cut-off, or the end is the day
                # of an instant start): no flow, or one the stock already reflects would be
                # counted again. An end that starts later counts, even the same time as
                # the start (from the day's stock to 21:45 that day).
                direct, pairs = [], []
        evidence = [FlowEvidence(FlowMethod.DIRECT, f.claim.count, (f.claim,)) for f in direct]
        for a, b in pairs:
            diff = b.claim.count - a.claim.count
            floored = diff.intersection(_NON_NEGATIVE)
            evidence.append(
                FlowEvidence(FlowMethod.DIFFERENCE, floored or diff, (a.claim, b.claim))
            )
        if len(evidence) > 1:
            evidence.sort(key=lambda ev: (ev.method.value, [claim_key(c) for c in ev.claims]))
        if not evidence:
            return FlowTerm(measure, sign, _ZERO, False, True, ())
        # Evidence over one period must agree; evidence over different periods that are
        # each the same time as the span (figures at 08:00 and 21:45 of an end given as a
        # day) need not: the flow over the span is any of them, so their span is used.
        groups: dict[tuple[_TimeKey, _TimeKey], list[Count]] = {}
        for ev in evidence:
            groups.setdefault(_evidence_times(ev, self._times), []).append(ev.count)
        combined = [combine(counts) for counts in groups.values()]
        agree = all(ok for _, ok in combined)
        count = combined[0][0] if len(combined) == 1 else hull(c for c, _ in combined)
        return FlowTerm(measure, sign, count, True, agree, tuple(evidence))

    def spans(
        self, measure: str, flows: Sequence[str]
    ) -> Iterator[tuple[StockLevel, StockLevel, list[TermBounds]]]:
        """Each span between successive cut-offs of a stock, with the bounds of each flow.

        A cut-off that is not after the one before it (an instant inside that day) stands
        in for it, at either end of a span, as :meth:`level_at` would pick it: the 18:00
        figure rather than the day's. Only bounds are computed, by integers, no counts:
        this is what :func:`~vzdetain.checks.check` needs for every span.
        """
        levels = self.levels(measure)
        if not levels:
            return
        present = [(i, self._flows[m]) for i, m in enumerate(flows) if m in self._flows]
        times = self._times
        keys = [times(lv.as_of) for lv in levels]
        # the last cut-off of each run of cut-offs, each not after the one before it
        stands = [
            k
            for k in range(len(levels))
            if k + 1 == len(levels) or keys[k + 1][0][0] >= keys[k][0][1]
        ]
        prev = levels[stands[0]]
        s = keys[stands[0]]
        # per flow, the figures ending at the span's start: those ending at the previous end
        ending = [f.by_end.at(*s) for _, f in present]
        for k in stands[1:]:
            cur, e = levels[k], keys[k]
            terms: list[TermBounds] = [None] * len(flows)
            for n, (i, f) in enumerate(present):
                ending_at_e = f.by_end.at(*e)
                terms[i] = f.bounds(s, e, ending[n], ending_at_e)
                ending[n] = ending_at_e
            yield prev, cur, terms
            prev, s = cur, e


def _floored_difference(
    b_low: int | None, b_high: int | None, a_low: int | None, a_high: int | None
) -> _Bounds:
    """The bounds of ``b − a`` floored at zero, as :meth:`Engine.term` computes them."""
    low = None if b_low is None or a_high is None else b_low - a_high
    high = None if b_high is None or a_low is None else b_high - a_low
    floor = 0 if low is None else max(low, 0)
    if high is None or floor <= high:
        return floor, high
    return low, high  # certainly negative: not floored


def _combined(bounds: Sequence[_Bounds]) -> _Bounds:
    """The bounds of :func:`combine`'s count: the intersection, or the span if it is empty."""
    if len(bounds) == 1:
        return bounds[0]
    lows = [lo for lo, _ in bounds if lo is not None]
    highs = [hi for _, hi in bounds if hi is not None]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if low is None or high is None or low <= high:
        return low, high
    # no value fits them all: their span (open where one of them is)
    return (
        None if len(lows) < len(bounds) else min(lows),
        None if len(highs) < len(bounds) else max(highs),
    )


def _spanned(bounds: Sequence[_Bounds]) -> _Bounds:
    """The bounds of :func:`~vzdetain.reconcile.hull`: every value any of them allows."""
    lows = [lo for lo, _ in bounds]
    highs = [hi for _, hi in bounds]
    return (
        None if None in lows else min(lo for lo in lows if lo is not None),
        None if None in highs else max(hi for hi in highs if hi is not None),
    )


def _evidence_times(ev: FlowEvidence, times: _Times) -> tuple[_TimeKey, _TimeKey]:
    """The times a piece of evidence covers: a figure's period, or two cut-offs."""
    if ev.method is FlowMethod.DIRECT:
        (c,) = ev.claims
        assert c.period_start is not None
        return times(c.period_start)[0], times(c.as_of)[0]
    a, b = ev.claims
    return times(a.as_of)[0], times(b.as_of)[0]


def _sorted_by(
    items: Iterable[_T], first: Callable[[_T], Any], then: Callable[[_T], Any]
) -> list[_T]:
    """``items`` sorted by ``first``, then by ``then`` (computed for ties only)."""
    rows = sorted(((first(x), x) for x in items), key=_first)
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j][0] == rows[i][0]:
            j += 1
        if j - i > 1:
            rows[i:j] = sorted(rows[i:j], key=lambda r: then(r[1]))
        i = j
    return [x for _, x in rows]


_first: Final = operator.itemgetter(0)


def _levels(
    claims: Sequence[Claim], key: Callable[[Claim], Any] | None, times: _Times
) -> list[StockLevel]:
    # claims by cut-off: equal times (equal keys) together, named by the first
    by_time: dict[_TimeKey, list[Claim]] = {}
    for c in claims:
        k = times(c.as_of)[0]
        got = by_time.get(k)
        if got is None:
            by_time[k] = [c]
        else:
            got.append(c)
    out = []
    for k in sorted(by_time):  # in when_key order
        cs = by_time[k]
        if len(cs) == 1:
            out.append(StockLevel(cs[0].as_of, cs[0].count, (cs[0],)))
            continue
        when = cs[0].as_of
        cs.sort(key=claim_key if key is None else key)
        count, _ = combine([c.count for c in cs])
        out.append(StockLevel(when, count, tuple(cs)))
    return out


def combine(counts: Sequence[Count]) -> tuple[Count, bool]:
    """Counts of one quantity together: their intersection, and whether they agree.

    When one of them is exactly the intersection it is returned as is (keeping its stated
    figure); when they cannot all be true, their span is returned with ``False``.
    """
    if len(counts) == 1:
        return counts[0], True
    both = meet(counts)
    if both is None:
        return hull(counts), False
    for c in counts:
        if (c.low, c.high) == (both.low, both.high):
            return c, True
    return both, True


def _engines(
    claims: Iterable[Claim], key: Callable[[Claim], Any] | None = None
) -> Iterator[Engine]:
    """One :class:`Engine` per source and subgroup (``key`` as for :class:`Engine`).

    Each is built when the iteration reaches it, and a caller that drops it before taking
    the next holds one engine's indexes at a time, not every source's.
    """
    groups: dict[tuple[str, Subgroup], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.source, c.subgroup)].append(c)
    times = _Times()
    for k in list(groups):
        # taken out of the dict, so the claims' list goes with its engine
        yield Engine(groups.pop(k), key, times)


def balance(
    engine: Engine,
    start: StockLevel | None,
    s: When,
    e: When,
    inflows: Sequence[str],
    outflows: Sequence[str],
) -> tuple[tuple[FlowTerm, ...], Count | None]:
    """The flow terms from ``s`` to ``e`` and the stock they imply from ``start``."""
    terms = tuple(
        [engine.term(m, -1, s, e) for m in outflows] + [engine.term(m, 1, s, e) for m in inflows]
    )
    if start is None:
        return terms, None
    implied = start.count
    for t in terms:
        implied = implied + t.count if t.sign > 0 else implied - t.count
    return terms, implied


# ---------------------------------------------------------------------- public API


def _flows_arg(dataset: Dataset, value: Any, param: str) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    for i, name in enumerate(items):
        m = _measure_arg(dataset, name, f"{param}[{i}]")
        if m.kind is not MeasureKind.FLOW:
            raise ValidationError(
                "must be a flow measure (counted over a period)",
                path=(f"{param}[{i}]",),
                value=name,
            )
    return items


def _prepare(
    dataset: Dataset,
    source: Any,
    measure: Any,
    subgroup: Any,
    inflows: Any,
    outflows: Any,
) -> tuple[Engine, Subgroup, tuple[str, ...], tuple[str, ...]]:
    if not isinstance(source, str) or source not in dataset.all_sources:
        raise ValidationError("unknown source id", path=("source",), value=source)
    m = _measure_arg(dataset, measure)
    if m.kind is not MeasureKind.STOCK:
        raise ValidationError(
            "must be a stock measure (counted at a cut-off)", path=("measure",), value=measure
        )
    sub = subgroup_arg(subgroup)
    ins = _flows_arg(dataset, inflows, "inflows")
    outs = _flows_arg(dataset, outflows, "outflows")
    both = sorted(set(ins) & set(outs))
    if both:
        raise ValidationError(
            "a measure cannot be both an inflow and an outflow", path=("outflows",), value=both
        )
    for param, names in (("inflows", ins), ("outflows", outs)):
        for i, name in enumerate(names):
            if name in names[:i]:
                raise ValidationError(
                    "given twice: its people would be counted twice",
                    path=(f"{param}[{i}]",),
                    value=name,
                )
            inside = sorted(dataset.broader(name) & set(names))
            if inside:
                raise ValidationError(
                    f"lies within {', '.join(inside)}, also given: its people would be counted "
                    "twice",
                    path=(f"{param}[{i}]",),
                    value=name,
                )
    wanted = {measure, *ins, *outs}
    planned = Basis.PLANNED  # announced for later: nothing has happened yet
    refs = [
        r
        for r in dataset.refs()
        if r.tally.source == source
        and r.tally.measure in wanted
        and r.tally.subgroup == sub
        and r.tally.basis is not planned
    ]
    claims, _ = build_claims(refs)
    return Engine(claims), sub, ins, outs


def _names(dataset: Dataset, source: str, levels: Iterable[StockLevel | None]) -> Any:
    ids = {source}
    for lv in levels:
        if lv is not None:
            for c in lv.claims:
                ids.update(c.publishers)
    return source_names(dataset, ids)


def _measures(dataset: Dataset, measure: str, terms: Iterable[FlowTerm]) -> tuple[Measure, ...]:
    """The definitions of the stock's and the flows' measures, each once."""
    names = dict.fromkeys([measure, *(t.measure for t in terms)])
    return tuple(dataset.measure(name) for name in names)


def stock_flow(
    dataset: Dataset,
    source: str,
    start: When | dt.datetime | dt.date | str,
    end: When | dt.datetime | dt.date | str,
    *,
    measure: str = "political_prisoners",
    subgroup: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    inflows: Sequence[str] = DEFAULT_INFLOWS,
    outflows: Sequence[str] = DEFAULT_OUTFLOWS,
) -> StockFlow:
    """Balance one source's stocks and flows between two times.

    The stock at ``start`` (and at ``end``) is the source's latest figure of ``measure`` whose
    cut-off starts no later than that time ends ("as last reported"); relays are merged.
    Flows are matched to the span between the two cut-offs as described in the module
    documentation; a flow measure with no figure for the span counts as zero.

    Args:
        dataset: The data.
        source: Id of the source whose figures are balanced.
        start: The start time (``When``, aware datetime, date or text).
        end: The end time, not before ``start``.
        measure: The stock measure (default ``political_prisoners``).
        subgroup: The group (empty means everyone); flows of the same group are used.
        inflows: Flow measures that add to the stock.
        outflows: Flow measures that take from it.

    Returns:
        The :class:`StockFlow`; ``residual`` is ``None`` when a stock is missing.

    Raises:
        ValidationError: For an unknown source or measure, a measure of the wrong kind, a
            naive datetime, or ``end`` before ``start``.

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> sf = stock_flow(venezuela_2026_01(), "foro-penal", "2026-01-08", "2026-01-19")
    >>> sf.start_stock is None, str(sf.end_stock.count), sf.residual
    (True, '777', None)
    >>> [(t.measure, str(t.count), t.reported) for t in sf.flows]
    [('releases', '143', True), ('arrests', '0', False), ('newly_documented', '0', False)]
    """
    engine, sub, ins, outs = _prepare(dataset, source, measure, subgroup, inflows, outflows)
    tz = dataset.timezone
    s_w = when_arg(start, "start", tz)
    e_w = when_arg(end, "end", tz)
    if span(e_w)[1] < span(s_w)[1]:
        raise ValidationError(
            f"must not end before start ({s_w.format(tz)})", path=("end",), value=e_w.format(tz)
        )
    first = engine.level_at(measure, s_w)
    last = engine.level_at(measure, e_w)
    s = first.as_of if first is not None else s_w
    e = last.as_of if last is not None else e_w
    terms, implied = balance(engine, first, s, e, ins, outs)
    residual: Count | None = None
    if first is not None and last is not None:
        if first.as_of == last.as_of:
            residual = Count.between(0, 0, stated=0)
        else:
            assert implied is not None
            residual = last.count - implied
    return StockFlow(
        source=source,
        measure=measure,
        subgroup=sub,
        start=s_w,
        end=e_w,
        start_stock=first,
        end_stock=last,
        flows=terms,
        implied=implied,
        residual=residual,
        timezone=tz,
        names=_names(dataset, source, (first, last)),
        measures=_measures(dataset, measure, terms),
    )


def roll_forward(
    dataset: Dataset,
    source: str,
    to: When | dt.datetime | dt.date | str,
    *,
    measure: str = "political_prisoners",
    subgroup: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    inflows: Sequence[str] = DEFAULT_INFLOWS,
    outflows: Sequence[str] = DEFAULT_OUTFLOWS,
) -> StockFlow:
    """The stock at ``to`` implied by the source's last stock and its flows since.

    The last stock is the latest at or before ``to``; flows are matched to the span from its
    cut-off to ``to`` by the rules of :func:`stock_flow` (so a flow counts when its period
    ends at ``to``); unreported flows count as zero. The result's ``implied`` is the
    interval; ``end_stock`` and ``residual`` are ``None``.

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> rf = roll_forward(venezuela_2026_01(), "foro-penal", "2026-01-20")
    >>> str(rf.start_stock.count), rf.implied.interval()
    ('777', '[777, 777]')
    """
    engine, sub, ins, outs = _prepare(dataset, source, measure, subgroup, inflows, outflows)
    tz = dataset.timezone
    to_w = when_arg(to, "to", tz)
    first = engine.level_at(measure, to_w)
    s = first.as_of if first is not None else to_w
    terms, implied = balance(engine, first, s, to_w, ins, outs)
    return StockFlow(
        source=source,
        measure=measure,
        subgroup=sub,
        start=s,
        end=to_w,
        start_stock=first,
        end_stock=None,
        flows=terms,
        implied=implied,
        residual=None,
        timezone=tz,
        names=_names(dataset, source, (first,)),
        rolled_forward=True,
        measures=_measures(dataset, measure, terms),
    )


# ---------------------------------------------------------------------- sentences


def _explain(sf: StockFlow, w: Words) -> Iterator[str]:
    what = w.measure(sf.measure)
    if sf.subgroup:
        what += f" ({w.group(sf.subgroup)})"
    src = w.source(sf.source)
    rolling = sf.rolled_forward
    if rolling:
        yield w.pick(
            f"Rolling forward the stock of {what} according to {src} to {w.when(sf.end)}.",
            f"Proyección del stock de {what} según {src} hasta el {w.when(sf.end)}.",
        )
    else:
        yield w.pick(
            f"Stock-flow balance of {what} according to {src}, from {w.when(sf.start)} to "
            f"{w.when(sf.end)}.",
            f"Balance de stock y flujos de {what} según {src}, del {w.when(sf.start)} al "
            f"{w.when(sf.end)}.",
        )
    ends = [(sf.start_stock, sf.start, "start", "inicio")]
    if not rolling:
        ends.append((sf.end_stock, sf.end, "end", "final"))
    for level, asked, en, es in ends:
        if level is None:
            yield w.pick(
                f"No stock at or before {w.when(asked)}, so the {en} is unknown.",
                f"No hay stock al {w.when(asked)} o antes, así que el {es} es desconocido.",
            )
        else:
            value = _level_text(w, level)
            yield w.pick(
                f"Stock at the {en}: {value} {w.at(level.as_of)}.",
                f"Stock al {es}: {value} {w.at(level.as_of)}.",
            )
    for t in sf.flows:
        label = w.measure(t.measure)
        label = label[:1].upper() + label[1:]
        sign = w.pick("added", "suma") if t.sign > 0 else w.pick("subtracted", "resta")
        if not t.reported:
            yield w.pick(
                f"{label} ({sign}): no figure over exactly this span, counted as zero.",
                f"{label} ({sign}): ninguna cifra de exactamente este periodo, se cuentan como "
                "cero.",
            )
            continue
        how = []
        for ev in t.evidence:
            if ev.method is FlowMethod.DIRECT:
                c = ev.claims[0]
                assert c.period_start is not None
                said = _claim_text(w, c)
                how.append(
                    w.pick(
                        f"{said}, reported for {w.when(c.period_start)} to {w.when(c.as_of)}",
                        f"{said}, informado del {w.when(c.period_start)} al {w.when(c.as_of)}",
                    )
                )
            else:
                a, b = ev.claims
                assert a.period_start is not None
                how.append(
                    w.pick(
                        f"{w.interval(ev.count)}, the difference between the cumulative figures "
                        f"since {w.when(a.period_start)} of {_claim_text(w, a)} "
                        f"{w.at(a.as_of)} and {_claim_text(w, b)} {w.at(b.as_of)}",
                        f"{w.interval(ev.count)}, la diferencia entre las cifras acumuladas "
                        f"desde el {w.when(a.period_start)}: {_claim_text(w, a)} "
                        f"{w.at(a.as_of)} y {_claim_text(w, b)} {w.at(b.as_of)}",
                    )
                )
        times = _Times()
        periods = {_evidence_times(ev, times) for ev in t.evidence}
        if len(how) == 1 and t.consistent:
            yield f"{label} ({sign}): {how[0]}."
        elif len(periods) > 1:
            agree = (
                ""
                if t.consistent
                else w.pick(
                    " Figures over one of them disagree.",
                    " Las cifras de uno de ellos no coinciden.",
                )
            )
            yield w.pick(
                f"{label} ({sign}): the figures cover different periods, each of which is the "
                f"same time as the span ("
                + "; ".join(how)
                + f"), so the flow over the span is any of them: {w.interval(t.count)}."
                + agree,
                f"{label} ({sign}): las cifras cubren periodos distintos, cada uno de los "
                f"cuales coincide con el periodo ("
                + "; ".join(how)
                + f"), así que el flujo del periodo es cualquiera de ellos: "
                f"{w.interval(t.count)}." + agree,
            )
        elif t.consistent:
            yield w.pick(
                f"{label} ({sign}): {w.interval(t.count)}, where all of these agree: "
                + "; ".join(how)
                + ".",
                f"{label} ({sign}): {w.interval(t.count)}, donde coinciden todas estas: "
                + "; ".join(how)
                + ".",
            )
        else:
            yield w.pick(
                f"{label} ({sign}): the figures disagree ("
                + "; ".join(how)
                + f"), so their span, {w.interval(t.count)}, is used.",
                f"{label} ({sign}): las cifras no coinciden ("
                + "; ".join(how)
                + f"), así que se usa su rango, {w.interval(t.count)}.",
            )
    if sf.implied is None:
        yield w.pick(
            "Without a stock at the start, nothing can be implied.",
            "Sin stock al inicio no se puede deducir nada.",
        )
        return
    if rolling:
        yield w.pick(
            f"The stock implied at {w.when(sf.end)} is {w.interval(sf.implied)}.",
            f"El stock que se deduce al {w.when(sf.end)} es {w.interval(sf.implied)}.",
        )
        return
    if sf.residual is None:
        yield w.pick(
            f"The stocks and flows imply {w.interval(sf.implied)} at the end, but without a "
            "stock at the end there is no residual.",
            f"Los stocks y flujos implican {w.interval(sf.implied)} al final, pero sin stock "
            "final no hay residuo.",
        )
        return
    if (
        sf.start_stock is not None
        and sf.end_stock is not None
        and sf.start_stock.as_of == sf.end_stock.as_of
    ):
        yield w.pick(
            "Both times fall back on the same cut-off, so nothing is left unexplained.",
            "Ambas fechas remiten al mismo corte, así que no queda nada sin explicar.",
        )
        return
    r = sf.residual
    zero = 0 in r
    tail = (
        w.pick(", which may be zero", ", que puede ser cero")
        if zero and (r.low, r.high) != (0, 0)
        else ""
    )
    gap = _gap_text(w, r.low, r.high, named=True)
    yield w.pick(
        f"The stocks and flows imply {w.interval(sf.implied)} at the end, so {src}'s own "
        f"figures leave {w.interval(r)} unexplained{tail}{gap}.",
        f"Los stocks y flujos implican {w.interval(sf.implied)} al final, así que las propias "
        f"cifras de {src} dejan {w.interval(r)} sin explicar{tail}{gap}.",
    )


def _gap_text(w: Words, low: int | None, high: int | None, *, named: bool = False) -> str:
    """Which way, and how far, the end figure misses what the start and the flows imply.

    ``": the end figure is 10 below what the start figure and the flows imply"`` for a
    residual of −10, so that a reader need not work out what a negative residual means;
    ``": the end figure is 10 below that"`` when the sentence has just ``named`` the
    implied figure. Empty when the residual may be zero.
    """
    if low is not None and low > 0:
        least, most, above = low, high, True
    elif high is not None and high < 0:
        least, most, above = -high, None if low is None else -low, False
    else:
        return ""
    if most is None:
        size = w.pick("at least ", "al menos ") + w.number(least)
    elif least == most:
        size = w.number(least)
    else:
        size = w.pick(
            f"{w.number(least)} to {w.number(most)}",
            f"entre {w.number(least)} y {w.number(most)}",
        )
    side = w.pick("above" if above else "below", "por encima" if above else "por debajo")
    if named:
        return w.pick(
            f": the end figure is {size} {side} that", f": la cifra final está {size} {side} de esa"
        )
    return w.pick(
        f": the end figure is {size} {side} what the start figure and the flows imply",
        f": la cifra final está {size} {side} de lo que implican la inicial y los flujos",
    )


def _claim_text(w: Words, c: Claim) -> str:
    """A claim's figure as stated, and what the statements merged into it narrow it to.

    The arithmetic uses the values every statement allows ("nearly 800" relayed as "more
    than 780" is 781 to 799); the sentence shows both, so its numbers add up.
    """
    said = w.count_of(c.stated, c.measure)
    if not _narrowed(c):
        return said
    return w.pick(
        f"{said} ({w.interval(c.count)} with the statements merged into it)",
        f"{said} ({w.interval(c.count)} con las cifras fusionadas con ella)",
    )


def _level_text(w: Words, level: StockLevel) -> str:
    if len(level.claims) == 1:
        return _claim_text(w, level.claims[0])
    figures = "; ".join(w.count_of(c.stated, c.measure) for c in level.claims)
    return w.pick(
        f"{w.interval(level.count)}, the span of figures that disagree ({figures})",
        f"{w.interval(level.count)}, el rango de cifras que no coinciden ({figures})",
    )
