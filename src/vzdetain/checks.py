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
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.model import Basis, Dataset, TallyRef
from vzdetain.reconcile import (
    Claim,
    Subgroup,
    Words,
    build_claims,
    claim_key,
    is_after,
    same_time,
    span,
    words_for,
)
from vzdetain.releases import release_findings
from vzdetain.stockflow import DEFAULT_INFLOWS, DEFAULT_OUTFLOWS, balance, engines

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
    words = words_for(dataset)
    claims, disagreements = build_claims(dataset.refs())
    findings: list[Finding] = []
    findings.extend(_relay_findings(disagreements, words))
    findings.extend(_publication_findings(dataset, words))
    findings.extend(_bound_findings(dataset, claims, words))
    flows = [c for c in claims if c.is_flow]
    findings.extend(_cumulative_findings(flows, words))
    findings.extend(_derived_findings(flows, words))
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
    return tuple(sorted({r for c in claims for r in c.tallies}, key=lambda r: (r.report, r.index)))


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
    for r in dataset.reports:
        for i, t in enumerate(r.tallies):
            if t.basis is not Basis.PLANNED and is_after(t.as_of, r.published):
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
            for small, big in same_time_pairs(smalls, bigs):
                if big.count.high is not None and (small.count.low or 0) > big.count.high:
                    yield _bound_finding(small, big, w)


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


def _cumulative_findings(flows: Iterable[Claim], w: Words) -> Iterator[Finding]:
    """Cumulative figures (one source, measure, group, period start) that went down."""
    groups: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in flows:
        groups[(c.source, c.measure, c.subgroup, c.period_start)].append(c)
    for members in groups.values():
        if len(members) < 2:
            continue
        by_end = sorted(members, key=lambda c: (span(c.as_of)[1], claim_key(c)))
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


def _derived_findings(flows: Iterable[Claim], w: Words) -> Iterator[Finding]:
    """At one cut-off, a flow since a later start certainly above the flow since an earlier."""
    groups: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in flows:
        groups[(c.source, c.measure, c.subgroup, c.as_of)].append(c)
    for members in groups.values():
        if len(members) < 2:
            continue

        def start(c: Claim) -> tuple[int, int]:
            assert c.period_start is not None
            return span(c.period_start)

        by_start = sorted(members, key=lambda c: (start(c)[0], claim_key(c)))
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


def _residual_findings(dataset: Dataset, claims: Iterable[Claim], w: Words) -> Iterator[Finding]:
    stocks = set(DETENTION_STOCKS)
    for name in dataset.all_measures:
        if dataset.broader(name) & set(DETENTION_STOCKS):
            stocks.add(name)
    for engine in engines(claims).values():
        for measure in engine.stock_measures:
            if measure not in stocks:
                continue
            levels = engine.levels(measure)
            prev = levels[0]
            for cur in levels[1:]:
                if not is_after(cur.as_of, prev.as_of):
                    continue
                terms, implied = balance(
                    engine, prev, prev.as_of, cur.as_of, DEFAULT_INFLOWS, DEFAULT_OUTFLOWS
                )
                assert implied is not None
                residual = cur.count - implied
                if any(t.reported for t in terms) and 0 not in residual:
                    parts = [c for lv in (prev, cur) for c in lv.claims]
                    parts += [c for t in terms for ev in t.evidence for c in ev.claims]
                    flows = w.join(
                        f"{w.interval(t.count)} {w.measure(t.measure)}" for t in terms if t.reported
                    )
                    c0 = prev.claims[0]
                    yield Finding(
                        FindingKind.STOCK_FLOW_RESIDUAL,
                        Severity.WARNING,
                        f"{_cap(w.measure(measure))}{_sub(w, c0.subgroup)} according to "
                        f"{w.source(c0.source)} went from {w.interval(prev.count)} "
                        f"{w.at(prev.as_of)} to {w.interval(cur.count)} {w.at(cur.as_of)}; "
                        f"with {flows}, {w.interval(residual)} is left unexplained.",
                        _refs(*parts),
                    )
                prev = cur
