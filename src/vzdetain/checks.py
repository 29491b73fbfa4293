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
is above fewer than 800 people arbitrarily detained on 19 Jan 2026 according to Foro Penal, \
though "political prisoners" is a measure within "people arbitrarily detained".
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, TypeAlias

from vzdetain._bulk import paused_gc
from vzdetain.counts import Count
from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.model import Basis, Dataset, Report, Tally, TallyRef
from vzdetain.reconcile import (
    Claim,
    Subgroup,
    Words,
    build_claims,
    claim_key,
    dataset_index,
    lang_index,
    span,
    words_for,
)
from vzdetain.releases import release_findings
from vzdetain.stockflow import (
    DEFAULT_INFLOWS,
    DEFAULT_OUTFLOWS,
    Engine,
    StockLevel,
    _engines,
    _gap_text,
    _TimeKey,
    _Times,
)
from vzdetain.when import When

__all__ = ["DETENTION_STOCKS", "check"]

#: Stock measures whose stock–flow residuals :func:`check` tests: the flows ``releases``,
#: ``arrests`` and ``newly_documented`` are about people detained, not about other stocks a
#: dataset may hold (such as cases pending evaluation). Not the measures within them either:
#: a narrower stock holds only some of the people the flows count.
DETENTION_STOCKS: Final = ("political_prisoners", "arbitrarily_detained")


def check(dataset: Dataset) -> tuple[Finding, ...]:
    """Every consistency finding of a dataset, sorted deterministically.

    The checks, each on claims (relays merged) unless said otherwise:

    * ``NARROWER_ABOVE_BROADER`` / ``SUBGROUP_ABOVE_TOTAL``: a figure of a narrower measure
      (political prisoners) or a smaller group (women) is certainly above a figure of the
      broader measure or the larger group at the same time
      (:func:`~vzdetain.reconcile.same_time`), for flows over the same period (a flow
      counted to a day is not checked against one counted to an instant of that day: its
      period may run later). An ``ERROR`` within one source; a ``WARNING`` across sources,
      which may define measures differently.
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
      stock of :data:`DETENTION_STOCKS` (not of a measure within them, whose change the
      flows of everyone released or arrested do not give), the source reports some
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
    with paused_gc():
        index = dataset_index(dataset)  # relays merged once per dataset, shared with compare()
        words = _Lang(dataset, index.words)
        claims, disagreements = index.all_claims()
        ranks = index.claim_ranks()

        def key(c: Claim) -> int:  # the order of claim_key
            return ranks[id(c)]

        findings: list[Finding] = []
        # releases placed where zero-release statements rule them out (decreasing cumulative
        # figures are reported below, so they are not reported twice). First, while few
        # findings are alive: the release analysis is the largest of the temporary structures.
        findings.extend(release_findings(dataset, decreases=False))
        findings.extend(_relay_findings(disagreements, words))
        findings.extend(_publication_findings(dataset, words))
        findings.extend(_bound_findings(dataset, claims, words))
        flows = [c for c in claims if c.is_flow]
        findings.extend(_cumulative_findings(flows, words, key))
        findings.extend(_derived_findings(flows, words, key))
        findings.extend(_residual_findings(dataset, claims, words, key))
        findings.sort(key=_sort_key)
        return tuple(findings)


_KIND_ORDER: Final = {k: i for i, k in enumerate(FindingKind)}


def finding_key(f: Finding) -> tuple[Any, ...]:
    """The deterministic order of findings: kind, the tallies' locations, message."""
    return (_KIND_ORDER[f.kind], [(r.report, r.index) for r in f.tallies], f.message)


def _sort_key(f: Finding) -> tuple[Any, ...]:
    """:func:`finding_key` as one flat tuple: ``(kind, id, index, id, index, ..., "", message)``.

    The same order: an empty string (never a report id) ends the tallies, so a finding whose
    tallies begin another's comes first, as a shorter list does. It holds the strings and
    small integers that exist already, where a list of pairs would make new ones for every
    finding, all alive while the findings are sorted.
    """
    key: list[Any] = [_KIND_ORDER[f.kind]]
    for r in f.tallies:
        key += (r.report, r.index)
    key += ("", f.message)
    return tuple(key)


class _Lang:
    """The :class:`Words` of a dataset in each language, the Spanish made on first use."""

    def __init__(self, dataset: Dataset, en: Words) -> None:
        self.en = en
        self._dataset = dataset
        self._es: Words | None = None

    def __call__(self, lang: str) -> Words:
        if lang_index(lang) == 0:
            return self.en
        if self._es is None:
            self._es = words_for(self._dataset, "es", self.en.names)
        return self._es


def _finding(
    kind: FindingKind,
    severity: Severity,
    refs: tuple[TallyRef, ...],
    words: _Lang,
    text: Callable[..., str],
    *args: Any,
) -> Finding:
    """A finding whose sentence is ``text(words, *args)``: in English now, in Spanish on demand."""
    return Finding(kind, severity, text(words.en, *args), refs, sentence=_in(words, text, *args))


def _in(words: _Lang, text: Callable[..., str], *args: Any) -> Callable[[str], str]:
    """``text(words(lang), *args)`` for a language given later (a partial: small)."""
    return functools.partial(_in_lang, words, text, args)


def _in_lang(words: _Lang, text: Callable[..., str], args: tuple[Any, ...], lang: str) -> str:
    return text(words(lang), *args)


def _refs(*claims: Claim) -> tuple[TallyRef, ...]:
    """The tallies of the claims, in dataset order (report id, then position)."""
    # a report id and position name one tally: no need to hash the tallies themselves
    found = {(r.report, r.index): r for c in claims for r in c.tallies}
    return tuple(found[k] for k in sorted(found))


def _severity(a: Claim, b: Claim) -> Severity:
    return Severity.ERROR if a.source == b.source else Severity.WARNING


# ---------------------------------------------------------------------- relays, publication


def _relay_findings(disagreements: Iterable[Sequence[Claim]], words: _Lang) -> Iterator[Finding]:
    for claims in disagreements:
        refs = _refs(*claims)
        yield _finding(
            FindingKind.RELAYS_DISAGREE, Severity.ERROR, refs, words, _relay_text, claims
        )


def _relay_text(w: Words, claims: Sequence[Claim]) -> str:
    c0 = claims[0]
    # the figure named without its count: it is the count that differs
    what = w.named(c0.measure, c0.source, c0.as_of, c0.period_start, c0.subgroup)
    by = w.pick("published by", "publicada por")
    versions = "; ".join(
        f"{w.count_of(c.stated, c.measure)} ({by} {w.sources(c.publishers)})" for c in claims
    )
    return w.pick(
        f"Statements of one figure disagree: the figure of {what} appears as {versions}, which "
        "cannot all be true.",
        f"Las versiones de una misma cifra no coinciden: la cifra de {what} aparece como "
        f"{versions}, y no pueden ser todas ciertas.",
    )


def _publication_findings(dataset: Dataset, words: _Lang) -> Iterator[Finding]:
    starts: dict[int, tuple[When, int]] = {}  # by identity: times are shared, hashing is slow
    for r in dataset.reports:
        end = span(r.published)[1]
        for i, t in enumerate(r.tallies):
            got = starts.get(id(t.as_of))
            if got is None or got[0] is not t.as_of:
                got = starts[id(t.as_of)] = (t.as_of, span(t.as_of)[0])
            if got[1] >= end and t.basis is not Basis.PLANNED:
                ref = TallyRef(r.id, i, r.publisher, t)
                yield _finding(
                    FindingKind.AS_OF_AFTER_PUBLICATION,
                    Severity.ERROR,
                    (ref,),
                    words,
                    _publication_text,
                    t,
                    r,
                )


def _publication_text(w: Words, t: Tally, r: Report) -> str:
    return w.pick(
        f"{_cap(w.tally(t))} has a cut-off after its report {r.id} was published "
        f"({w.when(r.published)}).",
        f"La cifra de {w.tally(t)} tiene un corte posterior a la publicación de su informe "
        f"{r.id} ({w.when(r.published)}).",
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------- bounds


def _bound_findings(dataset: Dataset, claims: Iterable[Claim], words: _Lang) -> Iterator[Finding]:
    times = _Times()
    # claims with the key of their cut-off, by measure and period start, then by group
    groups: dict[tuple[str, _TimeKey | None], dict[Subgroup, list[_Timed]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for c in claims:
        period = None if c.period_start is None else times(c.period_start)[0]
        groups[(c.measure, period)][c.subgroup].append((times(c.as_of)[0], c))
    narrower: dict[str, list[str]] = defaultdict(list)
    for name in sorted(dataset.all_measures):
        for b in dataset.broader(name):
            narrower[b].append(name)
    for (m, period), by_sub in list(groups.items()):
        for big_sub, bigs in by_sub.items():
            smalls: list[_Timed] = []
            for m2 in (m, *narrower[m]):
                for sub2, cs in groups.get((m2, period), {}).items():
                    if (m2, sub2) != (m, big_sub) and set(big_sub) <= set(sub2):
                        smalls.extend(cs)
            if not smalls:
                continue
            for small, big in _above_pairs(smalls, bigs, flows=period is not None):
                yield _bound_finding(small, big, words)


_Timed: TypeAlias = tuple[_TimeKey, Claim]
"""A claim with the key of its cut-off."""


def _above_pairs(
    smalls: Sequence[_Timed], bigs: Sequence[_Timed], *, flows: bool = False
) -> Iterator[tuple[Claim, Claim]]:
    """Every pair whose cut-offs are the same time in which the small figure is certainly above.

    The same time is :func:`~vzdetain.reconcile.same_time`: equal cut-offs, or an instant
    inside a period. For ``flows`` (over one period start), a small figure whose cut-off is
    a period (a day) is not paired with a big one at an instant inside it: the small
    figure's period may end later, and so hold releases the big one does not count yet. The
    big figures of each cut-off are sorted by their high, so that each small figure finds
    those below its low by bisection: output-sensitive, in ``O((n + k) log n)`` for ``n``
    figures and ``k`` pairs.
    """
    by_time: dict[_TimeKey, tuple[list[int], list[Claim]]] = {}  # highs, and figures by high
    for timed in sorted((y for y in bigs if y[1].count.high is not None), key=_high):
        got = by_time.get(timed[0])
        if got is None:
            got = by_time[timed[0]] = ([], [])
        got[0].append(_high(timed))
        got[1].append(timed[1])
    if not by_time:
        return
    # equal cut-offs (the usual case: sources share a cut-off)
    for k, small in smalls:
        same = by_time.get(k)
        if same:
            for big in same[1][: bisect.bisect_left(same[0], small.count.low or 0)]:
                yield small, big
    # an instant inside a period
    period_keys = [k for k in by_time if not _is_instant(k)]
    instant_keys = [k for k in by_time if _is_instant(k)]
    periods = _Periods(period_keys) if period_keys else None
    instants = _Instants(instant_keys, by_time) if instant_keys else None
    for k, small in smalls:
        low = small.count.low or 0
        if _is_instant(k):
            if periods is None:
                continue
            found = periods.containing(k[0])
        else:
            if instants is None or flows:
                continue
            found = instants.below(k, low)
        for t in found:
            highs, figures = by_time[t]
            for big in figures[: bisect.bisect_left(highs, low)]:
                yield small, big


def _is_instant(k: _TimeKey) -> bool:
    return k[1] - k[0] == 1  # an instant's span is one microsecond long


class _Periods:
    """Periods (as keys), to find those containing an instant.

    Grouped by precision, each sorted by start: a period containing ``t`` starts at most its
    precision's longest length before ``t``, and few periods of one precision start there.
    """

    def __init__(self, keys: Iterable[_TimeKey]) -> None:
        groups: dict[int, list[_TimeKey]] = defaultdict(list)
        for k in keys:
            groups[k[2]].append(k)
        self._groups = []
        for ks in groups.values():
            ks.sort()
            self._groups.append(([k[0] for k in ks], ks, max(k[1] - k[0] for k in ks)))

    def containing(self, t: int) -> Iterator[_TimeKey]:
        for starts, ks, longest in self._groups:
            lo = bisect.bisect_right(starts, t - longest)
            for k in ks[lo : bisect.bisect_right(starts, t, lo)]:
                if t < k[1]:
                    yield k


class _Instants:
    """Instants (as keys), to find those inside a period with a figure below a bound.

    A tree of the lowest high at each instant lists the ``k`` of them in ``O((k + 1) log n)``.
    """

    def __init__(
        self, keys: Iterable[_TimeKey], by_time: dict[_TimeKey, tuple[list[int], list[Claim]]]
    ) -> None:
        self._keys = sorted(keys)
        self._times = [k[0] for k in self._keys]
        size = 1
        while size < len(self._keys):
            size *= 2
        self._size = size
        tree: list[float] = [math.inf] * (2 * size)
        for i, k in enumerate(self._keys):
            tree[size + i] = by_time[k][0][0]
        for i in range(size - 1, 0, -1):
            tree[i] = min(tree[2 * i], tree[2 * i + 1])
        self._tree = tree

    def below(self, period: _TimeKey, bound: int) -> Iterator[_TimeKey]:
        """The instants inside ``period`` with a figure whose high is below ``bound``."""
        lo = bisect.bisect_left(self._times, period[0])
        hi = bisect.bisect_left(self._times, period[1], lo)
        tree = self._tree
        stack = [(1, 0, self._size)]  # node, and the positions it covers
        while stack:
            node, start, end = stack.pop()
            if end <= lo or start >= hi or tree[node] >= bound:
                continue
            if end - start == 1:
                yield self._keys[start]
                continue
            mid = (start + end) // 2
            stack.append((2 * node + 1, mid, end))
            stack.append((2 * node, start, mid))


def _high(timed: _Timed) -> int:
    high = timed[1].count.high
    assert high is not None
    return high


def _bound_finding(small: Claim, big: Claim, words: _Lang) -> Finding:
    kind = (
        FindingKind.NARROWER_ABOVE_BROADER
        if small.measure != big.measure
        else FindingKind.SUBGROUP_ABOVE_TOTAL
    )
    refs = _refs(small, big)
    return _finding(kind, _severity(small, big), refs, words, _bound_text, small, big)


def _bound_text(w: Words, small: Claim, big: Claim) -> str:
    if small.measure != big.measure:
        why = w.pick(
            f'"{w.measure(small.measure)}" is a measure within "{w.measure(big.measure)}"',
            f'"{w.measure(small.measure)}" es una medida más estrecha que '
            f'"{w.measure(big.measure)}"',
        )
    else:
        whole = (
            w.pick("everyone", "todas las personas")
            if not big.subgroup
            else w.pick("the larger group", "el grupo mayor") + f" ({w.group(big.subgroup)})"
        )
        why = w.pick(
            f"the group ({w.group(small.subgroup)}) is part of {whole}",
            f"el grupo ({w.group(small.subgroup)}) es parte de {whole}",
        )
    return w.pick(
        f"{_cap(w.claim(small))} is above {w.claim(big)}, though {why}.",
        f"La cifra de {w.claim(small)} supera la de {w.claim(big)}, aunque {why}.",
    )


# ---------------------------------------------------------------------- flows


def _cumulative_findings(
    flows: Iterable[Claim], words: _Lang, key: Callable[[Claim], Any] = claim_key
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
                refs = _refs(a, b)
                yield _finding(
                    FindingKind.CUMULATIVE_DECREASE,
                    Severity.ERROR,
                    refs,
                    words,
                    _decrease_text,
                    a,
                    b,
                )


def _decrease_text(w: Words, a: Claim, b: Claim) -> str:
    assert a.period_start is not None
    what = f"{w.measure(a.measure)}{_sub(w, a.subgroup)}"
    since, src = w.when(a.period_start), w.source(a.source)
    was = f"{w.count_of(a.stated, a.measure)} {w.at(a.as_of)}"
    now = f"{w.count_of(b.stated, b.measure)} {w.at(b.as_of)}"
    return w.pick(
        f"Cumulative {what} since {since} according to {src} went down from {was} to {now}.",
        f"La cifra acumulada de {what} desde el {since} según {src} bajó de {was} a {now}.",
    )


def _derived_findings(
    flows: Iterable[Claim], words: _Lang, key: Callable[[Claim], Any] = claim_key
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
                    refs = _refs(a, b)
                    yield _finding(
                        FindingKind.NEGATIVE_DERIVED_FLOW,
                        Severity.ERROR,
                        refs,
                        words,
                        _derived_text,
                        a,
                        b,
                    )


def _derived_text(w: Words, a: Claim, b: Claim) -> str:
    assert a.period_start is not None
    assert b.period_start is not None
    diff = w.interval(a.count - b.count)
    what = f"{_cap(w.measure(a.measure))}{_sub(w, a.subgroup)}"
    src, upto = w.source(a.source), w.when(a.as_of)
    early, late = w.when(a.period_start), w.when(b.period_start)
    first, second = w.count_of(a.stated, a.measure), w.count_of(b.stated, b.measure)
    return w.pick(
        f"{what} according to {src} up to {upto}: {first} since {early} but "
        f"{second} since the later {late}, which leaves {diff} between the two "
        "starts, below zero.",
        f"{what} según {src} hasta el {upto}: {first} desde el {early} pero "
        f"{second} desde el {late}, posterior, lo que deja {diff} entre los dos "
        "inicios, menos de cero.",
    )


def _sub(w: Words, subgroup: Subgroup) -> str:
    return f" ({w.group(subgroup)})" if subgroup else ""


# ---------------------------------------------------------------------- stock–flow


#: the flows of a residual, outflows then inflows, and the sign each takes in the balance
_RESIDUAL_FLOWS: Final = (*DEFAULT_OUTFLOWS, *DEFAULT_INFLOWS)
_RESIDUAL_SIGNS: Final = (-1,) * len(DEFAULT_OUTFLOWS) + (1,) * len(DEFAULT_INFLOWS)


def _residual_findings(
    dataset: Dataset, claims: Sequence[Claim], words: _Lang, key: Callable[[Claim], Any] = claim_key
) -> Iterator[Finding]:
    """Spans between successive stocks of a source whose residual cannot be zero.

    Works on bounds (integers): counts and sentences are made only for the findings.
    ``key`` orders claims as :func:`~vzdetain.reconcile.claim_key` does.
    """
    # Not the measures within them: the flows count everyone released or arrested, of whom
    # a narrower stock holds only some, so its change need not match them.
    stocks = set(DETENTION_STOCKS)
    flows = _RESIDUAL_FLOWS
    # a source and group with no flow figure has no span with a flow reported: no residual
    # to report, so no engine is built for it (nor indexes for measures not used here)
    used = stocks.union(flows)
    claims, rebuilt = _unplanned([c for c in claims if c.measure in used])
    if rebuilt:  # claims the index does not hold: ordered by content
        key = claim_key
    with_flows = {(c.source, c.subgroup) for c in claims if c.measure in flows}
    wanted = (c for c in claims if (c.source, c.subgroup) in with_flows)
    memo = _ResidualMemo()  # the English texts, shared by the findings
    # the flows reported over a span, one tuple for equal ones (most spans report the same)
    shared: dict[_Reported, _Reported] = {}
    for engine in _engines(wanted, key):
        yield from _engine_residuals(engine, stocks, words, memo, shared)
        # dropped before the next engine is built, so only one is alive at a time
        del engine


def _unplanned(claims: Sequence[Claim]) -> tuple[list[Claim], bool]:
    """The claims without their ``PLANNED`` tallies, as ``stock_flow`` builds them.

    Figures announced for later take no part: nothing has happened yet. A claim merging a
    planned tally with others is built again from the others (and the second value says
    whether any was).
    """
    planned = Basis.PLANNED
    # the claims of one figure (relays that disagree make several): rebuilt together, as
    # how tallies group into claims depends on all of them
    figures: dict[tuple[Any, ...], list[Claim]] = defaultdict(list)
    for c in claims:
        figures[(c.source, c.measure, c.subgroup, span(c.as_of), _start(c))].append(c)
    out: list[Claim] = []
    rebuilt = False
    for group in figures.values():
        if not any(r.tally.basis is planned for c in group for r in c.tallies):
            out += group
            continue
        kept = [r for c in group for r in c.tallies if r.tally.basis is not planned]
        if kept:
            out += build_claims(kept)[0]
        rebuilt = True
    return out, rebuilt


def _start(c: Claim) -> tuple[int, int] | None:
    return None if c.period_start is None else span(c.period_start)


# the flows reported over a span: (flow measure, (low, high)) for each
_Reported: TypeAlias = tuple[tuple[str, tuple[int | None, int | None]], ...]


def _engine_residuals(
    engine: Engine,
    stocks: set[str],
    words: _Lang,
    memo: _ResidualMemo,
    shared: dict[_Reported, _Reported],
) -> Iterator[Finding]:
    """The residual findings of one source and group (see :func:`_residual_findings`)."""
    flows, signs = _RESIDUAL_FLOWS, _RESIDUAL_SIGNS
    if not engine.has_flows(flows):
        return
    for measure in engine.stock_measures:
        if measure not in stocks:
            continue
        for prev, cur, terms in engine.spans(measure, flows):
            if not any(terms):
                continue
            # the residual end − (start − outflows + inflows), by interval arithmetic
            low, high = prev.count.low, prev.count.high
            for sign, term in zip(signs, terms, strict=True):
                if term is not None:  # an unreported flow counts as exactly 0
                    t_low, t_high = term[0]
                    if sign > 0:
                        low, high = _plus(low, t_low), _plus(high, t_high)
                    else:
                        low, high = _minus(low, t_high), _minus(high, t_low)
            r_low, r_high = _minus(cur.count.low, high), _minus(cur.count.high, low)
            if (r_low is None or r_low <= 0) and (r_high is None or r_high >= 0):
                continue  # the residual may be zero
            parts = [*prev.claims, *cur.claims]
            reported: list[tuple[str, tuple[int | None, int | None]]] = []
            for flow, term in zip(flows, terms, strict=True):
                if term is not None:
                    reported.append((flow, term[0]))
                    parts += term[1]
            said = tuple(reported)
            said = shared.setdefault(said, said)
            sentence = _ResidualSentence(words, measure, prev, cur, said, r_low, r_high)
            yield Finding(
                FindingKind.STOCK_FLOW_RESIDUAL,
                Severity.WARNING,
                sentence.text(words.en, memo),
                _refs(*parts),
                sentence=sentence,
            )


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


class _ResidualSentence:
    """The sentence of a stock–flow residual finding, in a language given later.

    Kept by each such finding (there can be one for most stocks of a dataset), so it holds
    the two stock levels, which successive findings share, rather than a partial of the
    texts' arguments (about 420 bytes more a finding).
    """

    __slots__ = ("cur", "measure", "prev", "r_high", "r_low", "reported", "words")

    def __init__(
        self,
        words: _Lang,
        measure: str,
        prev: StockLevel,
        cur: StockLevel,
        reported: _Reported,
        r_low: int | None,
        r_high: int | None,
    ) -> None:
        self.words = words
        self.measure = measure
        self.prev = prev
        self.cur = cur
        self.reported = reported
        self.r_low = r_low
        self.r_high = r_high

    def __call__(self, lang: str) -> str:
        return self.text(self.words(lang))

    def __reduce__(self) -> tuple[Any, ...]:
        # every pickle protocol (0 and 1 cannot pickle slots by themselves)
        args = (self.words, self.measure, self.prev, self.cur, self.reported)
        return (_ResidualSentence, (*args, self.r_low, self.r_high))

    def text(self, w: Words, memo: _ResidualMemo | None = None) -> str:
        prev, cur = self.prev, self.cur
        c0 = prev.claims[0]
        return _residual_text(
            w,
            self.measure,
            c0.subgroup,
            c0.source,
            (prev.count, prev.as_of),
            (cur.count, cur.as_of),
            self.reported,
            (self.r_low, self.r_high),
            memo=memo,
        )


class _ResidualMemo:
    """Texts that many residual findings share, made once (English only)."""

    def __init__(self) -> None:
        self.heads: dict[tuple[str, Subgroup, str], str] = {}
        self.levels: dict[tuple[int, int], tuple[Count, When, str]] = {}


def _residual_text(
    w: Words,
    measure: str,
    subgroup: Subgroup,
    source: str,
    prev: tuple[Count, When],
    cur: tuple[Count, When],
    reported: Sequence[tuple[str, tuple[int | None, int | None]]],
    residual: tuple[int | None, int | None],
    *,
    memo: _ResidualMemo | None = None,
) -> str:
    """A stock's change, the flows reported over it, and the residual they leave.

    ``prev`` and ``cur`` are the values and cut-off of the stock at each end.
    """
    memo = memo or _ResidualMemo()
    hkey = (measure, subgroup, source)
    head = memo.heads.get(hkey)
    if head is None:
        what, src = f"{w.measure(measure)}{_sub(w, subgroup)}", w.source(source)
        head = w.pick(f"{_cap(what)} according to {src}", f"La cifra de {what} según {src}")
        memo.heads[hkey] = head
    flows = [f"{w.bounds(*bounds)} {w.measure(flow)}" for flow, bounds in reported]
    was, now, left = _level_text(w, prev, memo), _level_text(w, cur, memo), w.bounds(*residual)
    gap = _gap_text(w, *residual)
    return w.pick(
        f"{head} went from {was} to {now}; with {w.join(flows)}, {left} is left unexplained{gap}.",
        f"{head} pasó de {was} a {now}; con {w.join(flows)}, quedan {left} sin explicar{gap}.",
    )


def _level_text(w: Words, level: tuple[Count, When], memo: _ResidualMemo) -> str:
    """A stock level's values and cut-off ("777 at 19 Jan 2026 21:45"), memoised by identity."""
    count, as_of = level
    got = memo.levels.get((id(count), id(as_of)))
    if got is None or got[0] is not count or got[1] is not as_of:
        text = f"{w.interval(count)} {w.at(as_of)}"
        got = memo.levels[(id(count), id(as_of))] = (count, as_of, text)
    return got[2]
