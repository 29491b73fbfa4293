"""The release analysis's fast paths against the plain definitions they stand for.

The analysis works on integer bounds and times in µs rather than on counts and datetimes;
these tests pin each shortcut to the obvious computation with :class:`Count` and ``When``.
"""

from __future__ import annotations

from typing import Any

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from vzdetain import Basis, Count, Dataset, Qualifier, Report, Tally, When
from vzdetain import testing as vzst
from vzdetain.counts import MAX_MAGNITUDE
from vzdetain.releases import (
    ReleaseEvidenceKind,
    _sum_counts,
    _us,
    release_evidence,
)

CCS = "America/Caracas"
START = pendulum.datetime(2026, 1, 5, tz=CCS)


def outcome(fn: Any) -> tuple[Any, ...]:
    """What calling ``fn`` gives: its value, or the error it raises."""
    try:
        return ("ok", fn())
    except Exception as exc:  # any error: the two must fail alike
        return ("raise", type(exc), str(exc))


def chained_sum(counts: list[Count]) -> Count:
    total = counts[0]
    for c in counts[1:]:
        total = total + c
    return total


@given(vzst.whens())
def test_when_key_is_the_instant_in_microseconds(w: When) -> None:
    # the analysis reads period edges from When._key instead of converting datetimes
    assert w._key == (_us(w.start), _us(w.end))


@given(st.lists(vzst.stated_counts(), min_size=2, max_size=8))
def test_sum_of_counts_is_the_chained_sum(counts: list[Count]) -> None:
    got, want = _sum_counts(counts), chained_sum(counts)
    assert got == want
    assert repr(got) == repr(want)


huge = st.sampled_from([0, 1, 10**6, MAX_MAGNITUDE - 1, MAX_MAGNITUDE])


@given(
    st.lists(
        st.one_of(
            huge.map(Count.exact),
            st.builds(Count.of, st.sampled_from([Qualifier.AT_LEAST, Qualifier.MORE_THAN]), huge),
            st.builds(Count.of, st.just(Qualifier.ABOUT), st.just(MAX_MAGNITUDE)),
            st.just(Count.of(Qualifier.MANY)),
            st.just(Count.of(Qualifier.SEVERAL, word="hundreds")),
        ),
        min_size=2,
        max_size=9,
    )
)
def test_an_implausibly_large_sum_fails_as_the_chained_sum_does(counts: list[Count]) -> None:
    assert outcome(lambda: _sum_counts(counts)) == outcome(lambda: chained_sum(counts))


@given(vzst.stated_counts(max_value=500), vzst.stated_counts(max_value=500), st.booleans())
def test_a_difference_of_cumulative_figures_is_count_subtraction_clipped_at_zero(
    first: Count, second: Count, total: bool
) -> None:
    subgroup = () if total else (("sex", "female"),)
    cuts = [START.add(days=1), START.add(days=2)]
    reports = tuple(
        Report(
            f"r{k}",
            "foro-penal",
            When.instant(cut),
            (
                Tally(
                    "releases",
                    count,
                    When.instant(cut),
                    period_start=When.instant(START),
                    subgroup=subgroup,
                    basis=Basis.VERIFIED,
                ),
            ),
        )
        for k, (count, cut) in enumerate(zip((first, second), cuts, strict=True))
    )
    evidence = [e for e in release_evidence(Dataset(reports, timezone=CCS)) if e.derived]
    diff = second - first
    if diff.high is not None and diff.high < 0:
        assert [e.kind for e in evidence] == [ReleaseEvidenceKind.DECREASE]
        assert repr(evidence[0].count) == repr(diff)
        return
    low = max(0, diff.low if diff.low is not None else 0)
    stated = diff.stated if diff.stated is not None and diff.stated >= low else None
    clipped = Count.between(low, diff.high, stated=stated)
    if clipped.high == 0 and not total:  # a zero of a subgroup is no evidence
        assert evidence == []
        return
    (e,) = evidence
    assert e.count == clipped
    assert repr(e.count) == repr(clipped)
    assert (e.start, e.end) == (cuts[0], cuts[1])
    want = (
        ReleaseEvidenceKind.NO_RELEASES
        if clipped.high == 0
        else ReleaseEvidenceKind.RELEASES
        if low >= 1
        else ReleaseEvidenceKind.POSSIBLE_RELEASES
    )
    assert e.kind is want
