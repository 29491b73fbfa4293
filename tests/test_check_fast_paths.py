"""check()'s fast paths against the plain definitions they stand for.

check() works on integer bounds and sorted indexes rather than building counts and testing
every pair; these tests pin each shortcut to the slow, obvious computation.
"""

from __future__ import annotations

import itertools

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from vzdetain import Count, Dataset, Report, Tally, When
from vzdetain.checks import _above_pairs
from vzdetain.reconcile import Claim, build_claims, is_after, same_time, words_for
from vzdetain.stockflow import DEFAULT_INFLOWS, DEFAULT_OUTFLOWS, StockLevel, _engines, _Times

TZ = "America/Caracas"
BASE = pendulum.datetime(2025, 3, 1, 21, tz=TZ)


def _times() -> list[When]:
    """Instants (in several zones), days, hours and months that overlap in every way."""
    out = []
    for d in range(3):
        t = BASE.add(days=d)
        out += [
            When.instant(t),
            When.instant(t.in_tz("UTC")),  # the same instant, written elsewhere
            When.instant(t.add(hours=1)),
            When.instant(t.add(hours=5)),  # the next local day
            When.day(t.date(), TZ),
            When.day(t.date(), "UTC"),
            When.parse(f"{t.format('YYYY-MM-DD')}T21-04:00", tz=TZ),
        ]
    return [*out, When.parse("2025-03", tz=TZ), When.parse("2025-02", tz=TZ)]


TIMES = _times()


def test_words_bounds_is_words_interval() -> None:
    ds = Dataset([])
    for lang in ("en", "es"):
        w = words_for(ds, lang)
        for low, high in itertools.product((None, -1_500, 0, 7, 1_345), repeat=2):
            if low is not None and high is not None and low > high:
                continue
            assert w.bounds(low, high) == w.interval(Count.between(low, high))
    en, es = words_for(ds, "en"), words_for(ds, "es")
    assert [en.bounds(1_346, None), en.bounds(None, 7), en.bounds(761, 795), en.bounds(7, 7)] == [
        "1,346 or more",
        "7 or fewer",
        "761 to 795",
        "7",
    ]
    assert [es.bounds(1_346, None), es.bounds(761, 795), es.bounds(None, None)] == [
        "1.346 o más",
        "de 761 a 795",
        "cualquier número",
    ]


@st.composite
def counts(draw: st.DrawFn) -> Count:
    n = draw(st.integers(0, 40))
    return draw(
        st.sampled_from(
            [Count.exact(n), Count.parse(f"more than {n}"), Count.parse(f"fewer than {n + 1}")]
        )
    )


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    return Claim("foro-penal", "political_prisoners", draw(st.sampled_from(TIMES)), draw(counts()))


@settings(max_examples=300)
@given(st.lists(claims(), max_size=25), st.lists(claims(), max_size=25))
def test_above_pairs_is_every_pair_at_the_same_time(smalls: list[Claim], bigs: list[Claim]) -> None:
    times = _Times()
    got = list(
        _above_pairs(
            [(times(c.as_of)[0], c) for c in smalls], [(times(c.as_of)[0], c) for c in bigs]
        )
    )
    expected = [
        (s, b)
        for s in smalls
        for b in bigs
        if same_time(s.as_of, b.as_of)
        and b.count.high is not None
        and (s.count.low or 0) > b.count.high
    ]
    key = [(id(s), id(b)) for s, b in got]
    assert sorted(key) == sorted((id(s), id(b)) for s, b in expected)
    assert len(set(key)) == len(key)  # each pair once


FLOWS = (*DEFAULT_OUTFLOWS, *DEFAULT_INFLOWS)


@st.composite
def tallies(draw: st.DrawFn, times: list[When]) -> Tally:
    measure = draw(st.sampled_from(["political_prisoners", "political_prisoners", *FLOWS]))
    as_of = draw(st.sampled_from(times))
    starts = [t for t in times if t.end < as_of.start]
    if measure == "political_prisoners" or not starts:
        return Tally("political_prisoners", draw(counts()), as_of, source="foro-penal")
    start = draw(st.sampled_from(starts))
    return Tally(measure, draw(counts()), as_of, period_start=start, source="foro-penal")


@settings(max_examples=300)
@given(st.data())
def test_spans_give_the_bounds_of_the_terms(data: st.DataObject) -> None:
    """Engine.spans (integers, for check) agrees with Engine.term (counts, for stock_flow)."""
    times = data.draw(st.lists(st.sampled_from(TIMES), min_size=2, max_size=7, unique=True))
    ts = data.draw(st.lists(tallies(times), min_size=1, max_size=30))
    ds = Dataset([Report("r", "foro-penal", When.parse("2026-01-01"), ts)])
    claims, _ = build_claims(ds.refs())
    for engine in _engines(claims):
        for measure in engine.stock_measures:
            levels = engine.levels(measure)
            spans = list(engine.spans(measure, FLOWS))
            # the spans are the successive cut-offs, each after the one before; a cut-off
            # that is not (the same time) stands in for the one before, as level_at picks
            runs: list[list[StockLevel]] = []
            for lv in levels:
                if runs and not is_after(lv.as_of, runs[-1][-1].as_of):
                    runs[-1].append(lv)
                else:
                    runs.append([lv])
            ends = [run[-1] for run in runs]
            expected = list(itertools.pairwise(ends))
            assert [(p, c) for p, c, _ in spans] == expected
            for prev, cur, bounds in spans:
                for m, got in zip(FLOWS, bounds, strict=True):
                    term = engine.term(m, 1, prev.as_of, cur.as_of)
                    if not term.reported:
                        assert got is None
                        continue
                    assert got is not None
                    assert got[0] == (term.count.low, term.count.high)
                    evidence = {id(c) for ev in term.evidence for c in ev.claims}
                    assert {id(c) for c in got[1]} == evidence
