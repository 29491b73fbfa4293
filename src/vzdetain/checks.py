"""Consistency checks over a whole dataset: :func:`check`.

Each :class:`~vzdetain.findings.Finding` names what is wrong in one plain sentence, how
serious it is, and the tallies involved. Relays of one figure are merged first (as in
:func:`~vzdetain.reconcile.compare`), so a figure quoted by five outlets is checked once.

>>> from vzdetain.datasets import venezuela_2026_01
>>> check(venezuela_2026_01())
()

A planted fault, a narrower measure above a broader one at the same cut-off:

>>> from vzdetain import Count, Dataset, Report, Tally, When
>>> day = When.parse("2026-01-19")
>>> ds = Dataset([Report("r1", "foro-penal", day, [
...     Tally("political_prisoners", Count.exact(900), day),
...     Tally("arbitrarily_detained", Count.parse("fewer than 800"), day),
... ])])
>>> for f in check(ds):
...     print(f.kind.value, f.severity.value, "-", f.message)
narrower_above_broader error - 900 political prisoners on 19 Jan 2026 according to Foro Penal \
is above fewer than 800 arbitrarily detained on 19 Jan 2026 according to Foro Penal, though \
political prisoners lie within arbitrarily detained.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.model import Basis, Dataset, TallyRef
from vzdetain.reconcile import (
    Claim,
    Subgroup,
    Words,
    claim_key,
    dataset_index,
    is_after,
    same_time,
    span,
)
from vzdetain.releases import release_findings
from vzdetain.stockflow import (
    DEFAULT_INFLOWS,
    DEFAULT_OUTFLOWS,
    FlowTerm,
    StockLevel,
    engines,
)
from vzdetain.when import When

__all__ = ["DETENTION_STOCKS", "check"]

#: Stock measures whose stock–flow residuals :func:`check` tests (with every measure lying
#: within them): the flows ``releases``, ``arrests`` and ``newly_documented`` are about people
#: detained, not about other stocks a dataset may hold (such as cases pending evaluation).
DETENTION_STOCKS: Final = ("political_prisoners", "arbitrarily_detained")


def check(dataset: Dataset) -> tuple[Finding, ...]:
    """Every consistency finding of a dataset, sorted deterministically.

    The checks, each on claims (relays merged) unless said otherwise:

    * ``NARROWER_ABOVE_BROADER`` / ``SUBGROUP_ABOVE_TOTAL``: a figure of a narrower measure
      (political prisoners) or a smaller group (women) is certainly above a figure of the
      broader measure or the larger group at the same time
      (:func:`~vzdetain.reconcile.same_time`), for flows over the same period. An ``ERROR``
      within one source; a ``WARNING`` across sources, which may define measures differently.
    * ``CUMULATIVE_DECREASE`` (``ERROR``): a cumulative flow of one source and period start
      is certainly lower at a later cut-off than at an earlier one.
    * ``NEGATIVE_DERIVED_FLOW`` (``ERROR``): at one cut-off, a source's flow since a later
      start is certainly above its flow since an earlier start, which would leave a negative
      flow between the two starts.
    * ``RELAYS_DISAGREE`` (``ERROR``): relays of one figure (same source, cut-off, period)
      that cannot all be true.
    * ``AS_OF_AFTER_PUBLICATION`` (``ERROR``, per tally): a cut-off entirely after the
      report's publication; ``PLANNED`` figures may look ahead and are exempt.
    * ``STOCK_FLOW_RESIDUAL`` (``WARNING``): between two successive cut-offs of one source's
      stock (of :data:`DETENTION_STOCKS` or a measure within them), the source reports some
      flow for the span and the residual of :func:`~vzdetain.stockflow.stock_flow` cannot be
      zero.
    * ``RELEASE_DURING_STALL``: releases are placed in a period that zero-release statements
      cover entirely (see :func:`~vzdetain.releases.release_findings`).

    Findings are sorted by kind (in :class:`~vzdetain.findings.FindingKind` order), then by
    the locations (report id, position) of the tallies involved, then by message; each
    finding lists its tallies in that order too.

    >>> from vzdetain.datasets import venezuela_2026_01
    >>> check(venezuela_2026_01())
    ()
    """
    index = dataset_index(dataset)  # relays merged once per dataset, shared with compare()
    words = index.words
    claims, disagreements = index.all_claims()
    ranks = index.claim_ranks()

    def key(c: Claim) -> int:  # the order of claim_key
        return ranks[id(c)]

    findings: list[Finding] = []
    findings.extend(_relay_findings(disagreements, words))
    findings.extend(_publication_findings(dataset, words))
    findings.extend(_bound_findings(dataset, claims, words))
    flows = [c for c in claims if c.is_flow]
    findings.extend(_cumulative_findings(flows, words, key))
    findings.extend(_derived_findings(flows, words, key))
    findings.extend(_residual_findings(dataset, claims, words))
    # releases placed where zero-release statements rule them out (decreasing cumulative
    # figures are already reported above, so they are not reported twice)
    findings.extend(release_findings(dataset, decreases=False))
    return tuple(sorted(findings, key=finding_key))


_KIND_ORDER: Final = {k: i for i, k in enumerate(FindingKind)}


def finding_key(f: Finding) -> tuple[Any, ...]:
    """The deterministic order of findings: kind, the tallies' locations, message."""
    return (_KIND_ORDER[f.kind], [(r.report, r.index) for r in f.tallies], f.message)


def _refs(*claims: Claim) -> tuple[TallyRef, ...]:
    """The tallies of the claims, in dataset order (report id, then position)."""
    # a report id and position name one tally: no need to hash the tallies themselves
    found = {(r.report, r.index): r for c in claims for r in c.tallies}
    return tuple(found[k] for k in sorted(found))


def _severity(a: Claim, b: Claim) -> Severity:
    return Severity.ERROR if a.source == b.source else Severity.WARNING


# ---------------------------------------------------------------------- relays, publication


def _relay_findings(disagreements: Iterable[Sequence[Claim]], w: Words) -> Iterator[Finding]:
    for claims in disagreements:
        c0 = claims[0]
        what = w.figure(c0.stated, c0.measure, c0.source, c0.as_of, c0.period_start, c0.subgroup)
        # name the figure without its count: it is the count that differs
        what = what.split(" ", 1)[1] if " " in what else what
        versions = "; ".join(
            f"{w.count(c.stated)} (published by {w.sources(c.publishers)})" for c in claims
        )
        yield Finding(
            FindingKind.RELAYS_DISAGREE,
            Severity.ERROR,
            f"Relays of one figure disagree: the figure of {what} appears as {versions}, which "
            "cannot all be true.",
            _refs(*claims),
        )


def _publication_findings(dataset: Dataset, w: Words) -> Iterator[Finding]:
    starts: dict[int, tuple[When, int]] = {}  # by identity: times are shared, hashing is slow
    for r in dataset.reports:
        end = span(r.published)[1]
        for i, t in enumerate(r.tallies):
            got = starts.get(id(t.as_of))
            if got is None or got[0] is not t.as_of:
                got = starts[id(t.as_of)] = (t.as_of, span(t.as_of)[0])
            if got[1] >= end and t.basis is not Basis.PLANNED:
                yield Finding(
                    FindingKind.AS_OF_AFTER_PUBLICATION,
                    Severity.ERROR,
                    f"{_cap(w.tally(t))} has a cut-off after its report {r.id} was published "
                    f"({w.when(r.published)}).",
                    (TallyRef(r.id, i, r.publisher, t),),
                )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------- bounds


def same_time_pairs(xs: Sequence[Claim], ys: Sequence[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """Every pair ``(x, y)`` whose cut-offs are the same time, by a sweep over time.

    Runs in ``O(n log n)`` plus the number of pairs whose cut-offs overlap.
    """
    events = sorted(
        [(*span(x.as_of), 0, i) for i, x in enumerate(xs)]
        + [(*span(y.as_of), 1, j) for j, y in enumerate(ys)]
    )
    active: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    for start, end, side, i in events:
        for heap in active:
            while heap and heap[0][0] <= start:
                heapq.heappop(heap)
        for _, j in active[1 - side]:
            x, y = (xs[i], ys[j]) if side == 0 else (xs[j], ys[i])
            if same_time(x.as_of, y.as_of):
                yield x, y
        heapq.heappush(active[side], (end, i))


def _bound_findings(dataset: Dataset, claims: Iterable[Claim], w: Words) -> Iterator[Finding]:
    groups: dict[tuple[str, Any], dict[Subgroup, list[Claim]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for c in claims:
        groups[(c.measure, c.period_start)][c.subgroup].append(c)
    narrower: dict[str, list[str]] = defaultdict(list)
    for name in sorted(dataset.all_measures):
        for b in dataset.broader(name):
            narrower[b].append(name)
    for (m, period), by_sub in list(groups.items()):
        for big_sub, bigs in by_sub.items():
            smalls: list[Claim] = []
            for m2 in (m, *narrower[m]):
                for sub2, cs in groups.get((m2, period), {}).items():
                    if (m2, sub2) != (m, big_sub) and set(big_sub) <= set(sub2):
                        smalls.extend(cs)
            if not smalls:
                continue
            for small, big in _above_pairs(smalls, bigs):
                yield _bound_finding(small, big, w)


def _above_pairs(smalls: Sequence[Claim], bigs: Sequence[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """The pairs of :func:`same_time_pairs` in which the small figure is certainly above.

    Output-sensitive for cut-offs that are equal (the usual case: sources share a cut-off):
    the figures of one time are sorted by their high, and each small figure bisects them.
    An instant inside a period goes through :func:`same_time_pairs`.
    """
    by_time: dict[When, list[Claim]] = defaultdict(list)
    for big in bigs:
        if big.count.high is not None:
            by_time[big.as_of].append(big)
    highs: dict[When, list[int]] = {}
    for t, cs in by_time.items():
        cs.sort(key=_high)
        highs[t] = [_high(c) for c in cs]
    for small in smalls:
        same = by_time.get(small.as_of)
        if same:
            n = bisect.bisect_left(highs[small.as_of], small.count.low or 0)
            for big in same[:n]:
                yield small, big
    instants = ([x for x in smalls if x.as_of.is_instant], [y for y in bigs if y.as_of.is_instant])
    periods = (
        [x for x in smalls if not x.as_of.is_instant],
        [y for y in bigs if not y.as_of.is_instant],
    )
    for xs, ys in ((instants[0], periods[1]), (periods[0], instants[1])):
        if xs and ys:
            for small, big in same_time_pairs(xs, ys):
                if big.count.high is not None and (small.count.low or 0) > big.count.high:
                    yield small, big


def _high(c: Claim) -> int:
    assert c.count.high is not None
    return c.count.high


def _bound_finding(small: Claim, big: Claim, w: Words) -> Finding:
    if small.measure != big.measure:
        kind = FindingKind.NARROWER_ABOVE_BROADER
        why = f"{w.measure(small.measure)} lie within {w.measure(big.measure)}"
    else:
        kind = FindingKind.SUBGROUP_ABOVE_TOTAL
        whole = "everyone" if not big.subgroup else f"the larger group ({w.group(big.subgroup)})"
        why = f"the group ({w.group(small.subgroup)}) is part of {whole}"
    return Finding(
        kind,
        _severity(small, big),
        f"{_cap(w.claim(small))} is above {w.claim(big)}, though {why}.",
        _refs(small, big),
    )


# ---------------------------------------------------------------------- flows


def _cumulative_findings(
    flows: Iterable[Claim], w: Words, key: Callable[[Claim], Any] = claim_key
) -> Iterator[Finding]:
    """Cumulative figures (one source, measure, group, period start) that went down.

    ``key`` orders claims as :func:`~vzdetain.reconcile.claim_key` does.
    """
    groups: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in flows:
        groups[(c.source, c.measure, c.subgroup, c.period_start)].append(c)
    for members in groups.values():
        if len(members) < 2:
            continue
        by_end = sorted(members, key=lambda c: (span(c.as_of)[1], key(c)))
        ends = [span(c.as_of)[1] for c in by_end]
        top: list[Claim] = []  # top[i]: the highest low among by_end[: i + 1]
        for c in by_end:
            top.append(c if not top or (c.count.low or 0) > (top[-1].count.low or 0) else top[-1])
        for b in members:
            i = bisect.bisect_right(ends, span(b.as_of)[0])
            if i and b.count.high is not None and (top[i - 1].count.low or 0) > b.count.high:
                a = top[i - 1]
                assert a.period_start is not None
                yield Finding(
                    FindingKind.CUMULATIVE_DECREASE,
                    Severity.ERROR,
                    f"Cumulative {w.measure(a.measure)}{_sub(w, a.subgroup)} since "
                    f"{w.when(a.period_start)} according to {w.source(a.source)} went down from "
                    f"{w.count(a.stated)} {w.at(a.as_of)} to {w.count(b.stated)} "
                    f"{w.at(b.as_of)}.",
                    _refs(a, b),
                )


def _derived_findings(
    flows: Iterable[Claim], w: Words, key: Callable[[Claim], Any] = claim_key
) -> Iterator[Finding]:
    """At one cut-off, a flow since a later start certainly above the flow since an earlier.

    ``key`` orders claims as :func:`~vzdetain.reconcile.claim_key` does.
    """
    groups: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in flows:
        groups[(c.source, c.measure, c.subgroup, c.as_of)].append(c)
    for members in groups.values():
        if len(members) < 2:
            continue

        def start(c: Claim) -> tuple[int, int]:
            assert c.period_start is not None
            return span(c.period_start)

        by_start = sorted(members, key=lambda c: (start(c)[0], key(c)))
        starts = [start(c)[0] for c in by_start]
        top: list[Claim] = []  # top[k]: the highest low among by_start[len - 1 - k :]
        for c in reversed(by_start):
            top.append(c if not top or (c.count.low or 0) > (top[-1].count.low or 0) else top[-1])
        n = len(by_start)
        for a in members:
            j = bisect.bisect_left(starts, start(a)[1])
            if j < n and a.count.high is not None:
                b = top[n - 1 - j]
                if (b.count.low or 0) > a.count.high:
                    yield _derived_finding(a, b, w)


def _derived_finding(a: Claim, b: Claim, w: Words) -> Finding:
    assert a.period_start is not None
    assert b.period_start is not None
    diff = a.count - b.count
    return Finding(
        FindingKind.NEGATIVE_DERIVED_FLOW,
        Severity.ERROR,
        f"{_cap(w.measure(a.measure))}{_sub(w, a.subgroup)} according to {w.source(a.source)} "
        f"up to {w.when(a.as_of)}: {w.count(a.stated)} since {w.when(a.period_start)} but "
        f"{w.count(b.stated)} since the later {w.when(b.period_start)}, which leaves "
        f"{w.interval(diff)} between the two starts, below zero.",
        _refs(a, b),
    )


def _sub(w: Words, subgroup: Subgroup) -> str:
    return f" ({w.group(subgroup)})" if subgroup else ""


# ---------------------------------------------------------------------- stock–flow


def _residual_findings(dataset: Dataset, claims: Sequence[Claim], w: Words) -> Iterator[Finding]:
    stocks = set(DETENTION_STOCKS)
    for name in dataset.all_measures:
        if dataset.broader(name) & set(DETENTION_STOCKS):
            stocks.add(name)
    flows = (*DEFAULT_OUTFLOWS, *DEFAULT_INFLOWS)
    # a source and group with no flow figure has no span with a flow reported: no residual
    # to report, so no engine is built for it
    with_flows = {(c.source, c.subgroup) for c in claims if c.measure in flows}
    for engine in engines(c for c in claims if (c.source, c.subgroup) in with_flows).values():
        if not engine.has_flows(flows):
            continue
        for measure in engine.stock_measures:
            if measure not in stocks:
                continue
            levels = engine.levels(measure)
            prev = levels[0]
            for cur in levels[1:]:
                if not is_after(cur.as_of, prev.as_of):
                    continue
                terms = [engine.term(m, -1, prev.as_of, cur.as_of) for m in DEFAULT_OUTFLOWS]
                terms += [engine.term(m, 1, prev.as_of, cur.as_of) for m in DEFAULT_INFLOWS]
                if any(t.reported for t in terms) and _unexplained(prev, cur, terms):
                    yield _residual_finding(measure, prev, cur, terms, w)
                prev = cur


def _unexplained(prev: StockLevel, cur: StockLevel, terms: Sequence[FlowTerm]) -> bool:
    """Whether the residual certainly differs from zero (bounds only: no counts are built)."""
    low, high = prev.count.low, prev.count.high
    for t in terms:
        if t.sign > 0:
            low, high = _plus(low, t.count.low), _plus(high, t.count.high)
        else:
            low, high = _minus(low, t.count.high), _minus(high, t.count.low)
    r_low, r_high = _minus(cur.count.low, high), _minus(cur.count.high, low)
    return (r_low is not None and r_low > 0) or (r_high is not None and r_high < 0)


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _residual_finding(
    measure: str, prev: StockLevel, cur: StockLevel, terms: Sequence[FlowTerm], w: Words
) -> Finding:
    implied = prev.count  # as stockflow.balance adds it up
    for t in terms:
        implied = implied + t.count if t.sign > 0 else implied - t.count
    residual = cur.count - implied
    parts = [c for lv in (prev, cur) for c in lv.claims]
    parts += [c for t in terms for ev in t.evidence for c in ev.claims]
    flows = w.join(f"{w.interval(t.count)} {w.measure(t.measure)}" for t in terms if t.reported)
    c0 = prev.claims[0]
    return Finding(
        FindingKind.STOCK_FLOW_RESIDUAL,
        Severity.WARNING,
        f"{_cap(w.measure(measure))}{_sub(w, c0.subgroup)} according to "
        f"{w.source(c0.source)} went from {w.interval(prev.count)} "
        f"{w.at(prev.as_of)} to {w.interval(cur.count)} {w.at(cur.as_of)}; "
        f"with {flows}, {w.interval(residual)} is left unexplained.",
        _refs(*parts),
    )
