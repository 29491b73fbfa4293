"""Property tests of the stall analysis, against a brute-force oracle on an hour grid.

Each scenario starts from a true release timeline (release instants at half past some hours),
derives evidence from it (zero statements, figures over periods, cumulative series, relays,
narrower measures, subgroups, unverified announcements), and checks the laws of
:func:`vzdetain.releases.stalls` in both directions against an oracle that works hour by hour.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Iterable

import attrs
import pendulum
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from vzdetain import Basis, Count, Dataset, Qualifier, Report, Source, SourceKind, Tally, When
from vzdetain import testing as vzst
from vzdetain.releases import (
    Certainty,
    ReleaseEvidenceKind,
    Stall,
    conditions_summary,
    days_since_last_release,
    release_evidence,
    release_findings,
    release_series,
    stalls,
)
from vzdetain.serialize import converter

ZONE = "America/Caracas"
BASE = pendulum.datetime(2026, 1, 5, tz=ZONE)  # a Monday, local midnight
HOUR = dt.timedelta(hours=1)


def at(h: int) -> pendulum.DateTime:
    return BASE.add(hours=h)


def hour_of(t: dt.datetime) -> int:
    seconds = t.timestamp() - BASE.timestamp()
    assert seconds % 3600 == 0, t
    return int(seconds // 3600)


# ---------------------------------------------------------------------- scenarios


@attrs.frozen
class Spec:
    """One tally to build: period [p, q) in hours from BASE."""

    source: str
    p: int
    q: int
    count: Count
    measure: str = "releases"
    subgroup: tuple[tuple[str, str], ...] = ()
    basis: Basis = Basis.VERIFIED
    publisher: str | None = None
    day_start: bool = False  # write period_start as a whole local day
    day_end: bool = False  # write as_of as a whole local day


@attrs.frozen
class Fact:
    """What the spec says, for the oracle: releases in [p, q) lie in [low, high]."""

    p: int
    q: int
    low: int
    high: int | None
    total: bool


@attrs.frozen
class Scenario:
    hours: int
    releases: tuple[int, ...]
    specs: tuple[Spec, ...]
    facts: tuple[Fact, ...]


def true_count(releases: Iterable[int], p: int, q: int) -> int:
    return sum(1 for h in releases if p <= h < q)


def _when_start(h: int, as_day: bool) -> When:
    if as_day and h % 24 == 0:
        return When.day(at(h).date(), ZONE)
    return When.instant(at(h))


def _when_end(h: int, as_day: bool) -> When:
    if as_day and h % 24 == 0:
        return When.day(at(h - 24).date(), ZONE)
    return When.instant(at(h))


def tally(spec: Spec) -> Tally:
    return Tally(
        spec.measure,
        spec.count,
        _when_end(spec.q, spec.day_end),
        source=spec.source,
        period_start=_when_start(spec.p, spec.day_start),
        subgroup=spec.subgroup,
        basis=spec.basis,
        quote=f"{spec.source} {spec.p}-{spec.q}",
    )


def build(specs: Iterable[Spec], *, order: list[int] | None = None) -> Dataset:
    specs = list(specs)
    reports = [
        Report(
            f"r{i}",
            s.publisher or s.source,
            When.instant(at(s.q + 1)),
            (tally(s),),
        )
        for i, s in enumerate(specs)
    ]
    if order is not None:
        reports = [reports[i] for i in order]
    ids = sorted({s.source for s in specs} | {s.publisher for s in specs if s.publisher})
    return Dataset(
        tuple(reports),
        sources=tuple(Source(i, i.upper(), SourceKind.NGO) for i in ids),
        timezone=ZONE,
    )


def _bounded_claim(draw: st.DrawFn, c: int) -> Count:
    """A stated count that truthfully covers ``c``."""
    options = ["exact", "at_least", "at_most"]
    if c >= 1:
        options.append("more_than")
    if c >= 2:
        options.append("many")
    kind = draw(st.sampled_from(options))
    if kind == "exact":
        return Count.exact(c)
    if kind == "at_least":
        return Count.of(Qualifier.AT_LEAST, draw(st.integers(0, c)))
    if kind == "more_than":
        return Count.of(Qualifier.MORE_THAN, draw(st.integers(0, c - 1)))
    if kind == "many":
        return Count.of(Qualifier.MANY)
    return Count.of(Qualifier.AT_MOST, draw(st.integers(c, c + 3)))


def _fact(p: int, q: int, count: Count, total: bool) -> Fact:
    assert count.low is not None
    return Fact(p, q, count.low, count.high, total)


@st.composite
def scenarios(draw: st.DrawFn, *, max_hours: int = 24 * 8, aligned: bool = False) -> Scenario:
    """A true timeline and evidence derived from it (``aligned``: series cut at midnights)."""
    hours = draw(st.integers(24, max_hours).map(lambda h: h - h % 24 if aligned else h))
    hours = max(hours, 24)
    releases = tuple(sorted(draw(st.lists(st.integers(0, hours - 1), max_size=10))))
    specs: list[Spec] = []
    facts: list[Fact] = []
    hour = st.integers(0, hours)

    def period() -> tuple[int, int]:
        p = draw(hour)
        q = draw(hour)
        if p == q:
            q = p + 1
        return (min(p, q), max(p, q))

    for k in range(draw(st.integers(0, 6))):  # zero statements where nothing happened
        p, q = period()
        if true_count(releases, p, q):
            continue
        zero = draw(st.sampled_from((Count.exact(0), Count.of(Qualifier.FEWER_THAN, 1))))
        specs.append(
            Spec(
                f"z{k}",
                p,
                q,
                zero,
                day_start=draw(st.booleans()),
                day_end=draw(st.booleans()),
            )
        )
        facts.append(_fact(p, q, zero, True))
    for k in range(draw(st.integers(0, 6))):  # standalone figures
        p, q = period()
        c = true_count(releases, p, q)
        narrow = draw(st.sampled_from(("all", "all", "full", "women")))
        if narrow == "all":
            count, measure, subgroup = _bounded_claim(draw, c), "releases", ()
        else:
            count = Count.exact(draw(st.integers(0, c)))
            measure = "full_releases" if narrow == "full" else "releases"
            subgroup = (("sex", "female"),) if narrow == "women" else ()
        total = measure == "releases" and not subgroup
        spec = Spec(f"x{k}", p, q, count, measure=measure, subgroup=subgroup)
        specs.append(spec)
        if count.high != 0 or total:
            facts.append(_fact(p, q, count, total))
        if draw(st.booleans()):  # a relay of the same figure by a news outlet
            specs.append(attrs.evolve(spec, publisher="media"))
    for k in range(draw(st.integers(0, 2))):  # cumulative series of one source
        p0 = draw(st.integers(0, hours - 2))
        if aligned:
            p0 -= p0 % 24
        cuts = sorted(set(draw(st.lists(st.integers(p0 + 1, hours), min_size=2, max_size=5))))
        if aligned:
            cuts = sorted({c - c % 24 for c in cuts if c - c % 24 > p0})
        prev: Count | None = None
        prev_q = p0
        for q in cuts:
            count = _bounded_claim(draw, true_count(releases, p0, q))
            specs.append(Spec(f"c{k}", p0, q, count, day_end=draw(st.booleans())))
            if prev is None:
                facts.append(_fact(p0, q, count, True))
            else:
                diff = count - prev
                low = max(0, diff.low if diff.low is not None else 0)
                facts.append(Fact(prev_q, q, low, diff.high, True))
                if count.high == 0:  # a later zero still covers its whole period
                    facts.append(_fact(p0, q, count, True))
            prev, prev_q = count, q
    for k in range(draw(st.integers(0, 2))):  # unverified announcements, true or not
        p, q = period()
        specs.append(
            Spec(f"a{k}", p, q, Count.exact(draw(st.integers(0, 50))), basis=Basis.ANNOUNCED)
        )
    return Scenario(hours, releases, tuple(specs), tuple(facts))


# ---------------------------------------------------------------------- the oracle


@attrs.frozen
class Run:
    start: int
    end: int
    ongoing: bool
    certainty: Certainty


def negative_hours(facts: Iterable[Fact]) -> set[int]:
    return {h for f in facts if f.total and f.high == 0 for h in range(f.p, f.q)}


def release_hours(facts: Iterable[Fact]) -> set[int]:
    neg = negative_hours(facts)
    return {h for f in facts if f.high != 0 for h in range(f.p, f.q) if h not in neg}


def oracle(facts: tuple[Fact, ...], w0: int | None, w1: int | None, min_hours: int) -> list[Run]:
    if w0 is None:
        if not facts:
            return []
        w0 = min(f.p for f in facts)
    if w1 is None:
        if not facts:
            return []
        w1 = max(f.q for f in facts)
    neg = negative_hours(facts)
    rel = release_hours(facts)
    runs: list[Run] = []
    h = w0
    while h < w1:
        if h in rel:
            h += 1
            continue
        s = h
        while h < w1 and h not in rel:
            h += 1
        if h - s >= max(1, min_hours):
            covered = sum(1 for x in range(s, h) if x in neg)
            cert = (
                Certainty.CONFIRMED
                if covered == h - s
                else Certainty.UNREPORTED
                if covered == 0
                else Certainty.MIXED
            )
            runs.append(Run(s, h, h == w1, cert))
    return runs


def as_runs(result: tuple[Stall, ...]) -> list[Run]:
    return [Run(hour_of(s.start), hour_of(s.until), s.ongoing, s.certainty) for s in result]


windows = st.tuples(
    st.one_of(st.none(), st.integers(-30, 24 * 8)),
    st.one_of(st.none(), st.integers(-20, 24 * 9)),
).filter(lambda w: w[0] is None or w[1] is None or w[0] < w[1])


def run_stalls(ds: Dataset, w: tuple[int | None, int | None], min_hours: int) -> tuple[Stall, ...]:
    return stalls(
        ds,
        start=None if w[0] is None else at(w[0]),
        end=None if w[1] is None else at(w[1]),
        min_length=pendulum.duration(hours=min_hours),
    )


# ---------------------------------------------------------------------- laws


@given(scenarios(), windows, st.integers(0, 72))
def test_stalls_match_the_oracle_in_both_directions(
    sc: Scenario, w: tuple[int | None, int | None], min_hours: int
) -> None:
    """Sound (no stall touches a place a release may lie) and complete (every gap is one)."""
    result = run_stalls(build(sc.specs), w, min_hours)
    assert as_runs(result) == oracle(sc.facts, w[0], w[1], min_hours)
    neg = negative_hours(sc.facts)
    for s in result:
        event(f"stall {s.certainty.value}{' ongoing' if s.ongoing else ''}")
        # its zero-release evidence covers exactly what zero statements cover of it
        span = range(hour_of(s.start), hour_of(s.until))
        shown = {
            h
            for e in s.evidence
            if e.kind is ReleaseEvidenceKind.NO_RELEASES
            for h in range(hour_of(e.start), hour_of(e.end))
        }
        assert {h for h in span if h in shown} == {h for h in span if h in neg}
    event(f"{min(len(result), 3)} stalls")


@given(scenarios(), windows, st.integers(0, 72))
def test_stalls_are_sorted_disjoint_long_enough_and_inside_the_window(
    sc: Scenario, w: tuple[int | None, int | None], min_hours: int
) -> None:
    result = run_stalls(build(sc.specs), w, min_hours)
    for s in result:
        assert s.until > s.start
        assert s.length >= HOUR * min_hours
        assert s.length == HOUR * (hour_of(s.until) - hour_of(s.start))
        assert (s.end is None) == s.ongoing
        assert s.end is None or s.end == s.until
        # whole local days (Caracas kept one offset in 2026)
        assert s.days == (hour_of(s.until) - hour_of(s.start)) // 24
        if w[0] is not None:
            assert s.start >= at(w[0])
        if w[1] is not None:
            assert s.until <= at(w[1])
    for a, b in itertools.pairwise(result):
        assert a.until < b.start  # sorted, disjoint, and separated by a possible release
        assert not a.ongoing
    assert all(not s.ongoing for s in result[:-1])


@given(scenarios(), windows, st.integers(0, 48))
def test_no_stall_overlaps_a_period_that_may_hold_a_release(
    sc: Scenario, w: tuple[int | None, int | None], min_hours: int
) -> None:
    ds = build(sc.specs)
    result = run_stalls(ds, w, min_hours)
    may_hold = [
        e
        for e in release_evidence(ds)
        if e.kind is not ReleaseEvidenceKind.NO_RELEASES and e.placed_start is not None
    ]
    no_release = [e for e in release_evidence(ds) if e.kind is ReleaseEvidenceKind.NO_RELEASES]
    for s in result:
        for e in may_hold:
            assert e.placed_end is not None
            # the open part of the period (its hull minus negative evidence) misses the stall
            for h in range(hour_of(e.placed_start), hour_of(e.placed_end)):
                inside = hour_of(s.start) <= h < hour_of(s.until)
                covered = any(hour_of(n.start) <= h < hour_of(n.end) for n in no_release)
                assert not inside or covered


@given(scenarios(), st.integers(0, 48))
def test_no_stall_contains_a_true_release_when_every_release_is_reported(
    sc: Scenario, min_hours: int
) -> None:
    covering = [
        Spec("all", 0, q, Count.exact(true_count(sc.releases, 0, q)))
        for q in sorted({sc.hours, *(h + 1 for h in sc.releases)})
    ]
    ds = build((*sc.specs, *covering))
    for s in stalls(ds, min_length=pendulum.duration(hours=min_hours), start=at(0)):
        for h in sc.releases:
            instant = at(h).add(minutes=30)
            assert not (s.start <= instant < s.until)


@given(scenarios())
def test_truthful_figures_raise_no_release_findings(sc: Scenario) -> None:
    ds = build(sc.specs)
    assert release_findings(ds, basis=Basis.VERIFIED) == ()


@given(scenarios(), windows, st.integers(0, 48), st.integers(0, 48))
def test_raising_min_length_keeps_a_subset(
    sc: Scenario, w: tuple[int | None, int | None], m1: int, m2: int
) -> None:
    ds = build(sc.specs)
    lo, hi = sorted((m1, m2))
    short = run_stalls(ds, w, lo)
    long = run_stalls(ds, w, hi)
    assert set(long) <= set(short)
    assert [s for s in short if s.length >= HOUR * hi] == list(long)


@given(scenarios(), st.integers(0, 48), st.data())
def test_adding_a_release_figure_never_lengthens_or_creates_a_stall(
    sc: Scenario, min_hours: int, data: st.DataObject
) -> None:
    w = (0, sc.hours)
    before = run_stalls(build(sc.specs), w, min_hours)
    p = data.draw(st.integers(0, sc.hours - 1))
    q = data.draw(st.integers(p + 1, sc.hours))
    c = true_count(sc.releases, p, q)
    # a figure that places releases, or allows some ("up to c + 2"); never a zero
    options = [Count.of(Qualifier.AT_MOST, c + 2)] + ([Count.exact(c)] if c else [])
    count = data.draw(st.sampled_from(options))
    after = run_stalls(build((*sc.specs, Spec("new", p, q, count))), w, min_hours)
    for s in after:
        assert any(b.start <= s.start and s.until <= b.until for b in before), s


@given(scenarios(), st.integers(0, 48), st.data())
def test_adding_a_zero_statement_only_frees_the_time_it_covers(
    sc: Scenario, min_hours: int, data: st.DataObject
) -> None:
    w = (0, sc.hours)
    ds = build(sc.specs)
    gaps = run_stalls(ds, w, 0)
    free = [(hour_of(g.start), hour_of(g.until)) for g in gaps]
    p = data.draw(st.integers(0, sc.hours - 1))
    q = data.draw(st.integers(p + 1, sc.hours))
    if true_count(sc.releases, p, q):
        return
    after = run_stalls(build((*sc.specs, Spec("zero", p, q, Count.exact(0)))), w, min_hours)
    for s in after:
        for h in range(hour_of(s.start), hour_of(s.until)):
            assert p <= h < q or any(a <= h < b for a, b in free)


@given(scenarios(), windows, st.integers(0, 48), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_report_order(
    sc: Scenario, w: tuple[int | None, int | None], min_hours: int, rnd: random.Random
) -> None:
    order = list(range(len(sc.specs)))
    rnd.shuffle(order)
    assert run_stalls(build(sc.specs), w, min_hours) == run_stalls(
        build(sc.specs, order=order), w, min_hours
    )


def _rezone(ds: Dataset, zone: str) -> Dataset:
    def move(w: When | None) -> When | None:
        return None if w is None else w.in_tz(zone)

    reports = tuple(
        attrs.evolve(
            r,
            published=r.published.in_tz(zone),
            tallies=tuple(
                attrs.evolve(t, as_of=t.as_of.in_tz(zone), period_start=move(t.period_start))
                for t in r.tallies
            ),
        )
        for r in ds.reports
    )
    return attrs.evolve(ds, reports=reports)


@given(
    scenarios(),
    windows,
    st.integers(0, 48),
    st.sampled_from(("UTC", "Asia/Kathmandu", "Pacific/Chatham", "America/New_York")),
)
def test_result_does_not_depend_on_the_zone_instants_are_written_in(
    sc: Scenario, w: tuple[int | None, int | None], min_hours: int, zone: str
) -> None:
    ds = build(sc.specs)
    moved = _rezone(ds, zone)
    assert run_stalls(ds, w, min_hours) == run_stalls(moved, w, min_hours)
    mid = at(sc.hours // 2)
    assert days_since_last_release(ds, mid) == days_since_last_release(moved, mid.in_tz(zone))
    assert release_series(ds) == release_series(moved)


@given(scenarios(), st.integers(1, 24 * 9))
def test_days_since_last_release_agrees_with_the_ongoing_stall(sc: Scenario, h: int) -> None:
    ds = build(sc.specs)
    days = days_since_last_release(ds, at(h))
    rel = release_hours(sc.facts)
    before = [x for x in rel if x < h]
    if not before:
        assert days is None
        return
    last = max(before) + 1
    assert days == (h - last) // 24
    ongoing = [s for s in stalls(ds, end=at(h), min_length=dt.timedelta(0)) if s.ongoing]
    if last < h:
        assert ongoing
        assert ongoing[0].start == at(last)
        assert ongoing[0].days == days
    else:
        assert not ongoing


# ---------------------------------------------------------------------- the release series


def _sum(counts: Iterable[Count]) -> tuple[int, int | None]:
    low, high = 0, 0
    for c in counts:
        assert c.low is not None
        low += c.low
        high = None if high is None or c.high is None else high + c.high
    return low, high


def _contains(outer: tuple[int, int | None], inner: tuple[int, int | None]) -> bool:
    lo, hi = outer
    ilo, ihi = inner
    return lo <= ilo and (hi is None or (ihi is not None and ihi <= hi))


@given(scenarios(aligned=True), st.sampled_from(("day", "week")))
def test_release_series_contains_the_truth_and_every_cumulative_difference(
    sc: Scenario, freq: str
) -> None:
    ds = build(sc.specs)
    bins = release_series(ds, freq=freq, start=at(0), end=at(sc.hours))  # type: ignore[arg-type]
    assert bins[0].start == at(0)
    assert bins[-1].end == at(sc.hours)
    for a, b in itertools.pairwise(bins):
        assert a.end == b.start
    for b in bins:
        # every bin holds the true number of releases in it
        assert true_count(sc.releases, hour_of(b.start), hour_of(b.end)) in b.count
        if freq == "day":
            assert b.date == b.start.date()
        else:
            assert b.date.weekday() == 0
    # the sums of the bins a figure spans contain it when it is exact (as the differences
    # of exact cumulative figures are), and agree with it in any case
    for f in sc.facts:
        inside = [b for b in bins if f.p <= hour_of(b.start) and hour_of(b.end) <= f.q]
        if not inside or hour_of(inside[0].start) != f.p or hour_of(inside[-1].end) != f.q:
            continue
        total = _sum(b.count for b in inside)
        if f.low == f.high:
            assert _contains(total, (f.low, f.high)), f
        assert total[1] is None or total[1] >= f.low
        assert f.high is None or total[0] <= f.high


@pytest.mark.parametrize("freq", ["day", "week"])
def test_release_series_of_no_evidence_is_empty(freq: str) -> None:
    ds = build([Spec("a0", 0, 5, Count.exact(3), basis=Basis.ANNOUNCED)])
    assert release_series(ds, freq=freq) == ()  # type: ignore[arg-type]
    assert stalls(ds) == ()
    assert len(release_series(ds, freq=freq, basis=None)) == 1  # type: ignore[arg-type]


# ---------------------------------------------------------------------- any valid dataset


@given(vzst.datasets(max_reports=4), st.sampled_from((None, Basis.VERIFIED)))
def test_any_dataset_gives_well_formed_json_serialisable_results(
    ds: Dataset, basis: Basis | None
) -> None:
    result = stalls(ds, basis=basis, min_length=dt.timedelta(hours=1))
    for a, b in itertools.pairwise(result):
        assert a.until < b.start
    for s in result:
        assert s.length >= dt.timedelta(hours=1)
        assert s.days >= 0
        assert (s.end is None) == s.ongoing
    evidence = release_evidence(ds, basis=basis)
    weeks = release_series(ds, freq="week", basis=basis)
    for a, b in itertools.pairwise(weeks):
        assert a.end == b.start
    for w in weeks:
        assert w.count.low is not None
        assert w.count.low >= 0
    if evidence:
        first = evidence[0].start
        days = release_series(ds, start=first, end=first.add(days=20), basis=basis)
        assert days[0].start == first
    summary = conditions_summary(ds, basis=basis)
    findings = release_findings(ds, basis=basis)
    json.dumps(converter.unstructure((result, evidence, weeks, summary, findings)))


# ---------------------------------------------------------------------- contradictory series

_PHRASES = ("{n}", "at most {n}", "more than {n}", "nearly {n}", "about {n}", "at least {n}")


@st.composite
def _cumulative_series(draw: st.DrawFn) -> list[tuple[int, Count]]:
    """One source's cumulative releases since BASE, at distinct whole days, maybe going down."""
    days = draw(st.lists(st.integers(1, 20), min_size=2, max_size=6, unique=True))
    out = []
    for d in sorted(days):
        phrase = draw(st.sampled_from(_PHRASES))
        n = draw(st.integers(0 if phrase in ("{n}", "at most {n}") else 1, 12))
        out.append((d, Count.parse(phrase.format(n=n))))
    return out


def _cumulative_dataset(figures: Iterable[tuple[When, Count]]) -> Dataset:
    """Foro Penal's verified cumulative releases since BASE, one report per figure."""
    reports = [
        Report(
            f"fp{i}",
            "foro-penal",
            When.parse("2026-02-01"),
            [Tally("releases", c, as_of, period_start=When.instant(BASE), basis=Basis.VERIFIED)],
        )
        for i, (as_of, c) in enumerate(figures)
    ]
    return Dataset(tuple(reports), timezone=ZONE)


def _series_dataset(points: Iterable[tuple[int, Count]]) -> Dataset:
    """The figures of :func:`_cumulative_series`, each at the midnight starting its day."""
    return _cumulative_dataset((When.instant(at(d * 24)), c) for d, c in points)


def _stall_hours(found: Iterable[Stall]) -> set[int]:
    hours: set[int] = set()
    for s in found:
        hours.update(range(hour_of(s.start), hour_of(s.until)))
    return hours


@given(_cumulative_series())
def test_no_stall_rests_on_a_series_that_went_down(points: list[tuple[int, Count]]) -> None:
    """Between a figure and a later one below it, one of them is wrong: no stall there."""
    found = stalls(_series_dataset(points), min_length=dt.timedelta(0))
    hours = _stall_hours(found)
    for (d1, c1), (d2, c2) in itertools.combinations(points, 2):
        if c2.high is not None and (c1.low or 0) > c2.high:
            event("went down")
            assert not hours & set(range(d1 * 24, d2 * 24)), (d1, c1, d2, c2)


@given(_cumulative_series(), st.integers(0, 11))
def test_a_figure_that_goes_down_never_lengthens_a_stall(
    points: list[tuple[int, Count]], n: int
) -> None:
    """A later figure below an earlier one contradicts it: it can only take time out of the
    stalls, whatever the figures before it say."""
    top = max(c.low or 0 for _, c in points)
    if n >= top:
        return
    event("goes down")
    before = _stall_hours(stalls(_series_dataset(points), min_length=dt.timedelta(0)))
    more = [*points, (points[-1][0] + 1, Count.exact(n))]
    after = _stall_hours(stalls(_series_dataset(more), min_length=dt.timedelta(0)))
    assert after <= before


def _assert_same_decreases(ds: Dataset) -> None:
    """release_findings and check report the same decreases, between the same tallies."""
    from vzdetain.checks import check
    from vzdetain.findings import FindingKind

    kind = FindingKind.CUMULATIVE_DECREASE
    # the same pairs of tallies (check lists a finding's tallies by location, not by time)
    ours = sorted(
        tuple(sorted(map(str, f.tallies))) for f in release_findings(ds) if f.kind is kind
    )
    theirs = sorted(tuple(sorted(map(str, f.tallies))) for f in check(ds) if f.kind is kind)
    if ours:
        event("decrease")
    assert ours == theirs


@given(_cumulative_series())
def test_release_findings_and_check_cite_the_same_decreases(
    points: list[tuple[int, Count]],
) -> None:
    _assert_same_decreases(_series_dataset(points))


@st.composite
def _overlapping_series(draw: st.DrawFn) -> Dataset:
    """Cumulative releases at whole days and at hours of those days (overlapping cut-offs)."""
    cuts = draw(
        st.lists(
            st.tuples(st.integers(1, 6), st.none() | st.integers(0, 23)),
            min_size=2,
            max_size=6,
            unique=True,
        )
    )
    figures = []
    for d, h in cuts:
        phrase = draw(st.sampled_from(_PHRASES))
        n = draw(st.integers(0 if phrase in ("{n}", "at most {n}") else 1, 12))
        as_of = When.day(at(d * 24).date(), ZONE) if h is None else When.instant(at(d * 24 + h))
        figures.append((as_of, Count.parse(phrase.format(n=n))))
    return _cumulative_dataset(figures)


@given(_overlapping_series())
def test_release_findings_and_check_agree_on_overlapping_cut_offs(ds: Dataset) -> None:
    _assert_same_decreases(ds)
