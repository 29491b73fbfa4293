"""compare(): relays, supersession, periods, windows, bounds, policies and explanations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vzdetain import Basis, Count, Dataset, Qualifier, Report, Source, SourceKind, Tally, When
from vzdetain import testing as vzst
from vzdetain.counts import SEVERAL_BOUNDS
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import (
    DuplicateIdError,
    NaiveDatetimeError,
    UnknownReferenceError,
    ValidationError,
)
from vzdetain.model import TallyRef
from vzdetain.reconcile import (
    _INDEX,
    Bound,
    Claim,
    Comparison,
    Policy,
    SetAside,
    Words,
    _compare_each,
    _estimate,
    build_claims,
    claim_key,
    compare,
    is_after,
    latest_by_source,
    meet,
    same_time,
    span,
)
from vzdetain.serialize import converter

TZ = "America/Caracas"
AT = pendulum.datetime(2026, 1, 19, 23, tz=TZ)
CUTOFF = When.parse("2026-01-19T21:45-04:00")
JAN_8 = When.parse("2026-01-08")
JAN_18 = When.parse("2026-01-18")
MEDIA = (
    Source("latin-times", "Latin Times", SourceKind.MEDIA),
    Source("la-republica", "La República", SourceKind.MEDIA),
)


def make(*reports: Report) -> Dataset:
    return Dataset(reports, sources=MEDIA)


def report(rid: str, publisher: str, *tallies: Tally, published: str = "2026-01-25") -> Report:
    return Report(rid, publisher, When.parse(published), tallies)


def pp(count: str | int, as_of: When = CUTOFF, **kw: Any) -> Tally:
    c = Count.exact(count) if isinstance(count, int) else Count.parse(count)
    return Tally("political_prisoners", c, as_of, **kw)


def rel(count: int, since: When = JAN_8, as_of: When = CUTOFF, **kw: Any) -> Tally:
    return Tally("releases", Count.exact(count), as_of, period_start=since, **kw)


def to_json(value: Any) -> Any:
    return json.loads(json.dumps(converter.unstructure(value)))


# ---------------------------------------------------------------------- the bundled example


@pytest.fixture(scope="module")
def example() -> Comparison:
    return compare(venezuela_2026_01(), "political_prisoners", AT)


def test_example_relays_merge_into_one_claim(example: Comparison) -> None:
    (claim,) = example.considered
    assert claim.source == "foro-penal"
    assert claim.publishers == ("foro-penal", "latin-times")
    assert claim.count == Count.exact(777)
    assert claim.primary.report == "foro-penal-x-2026-01-19"
    texts = sorted(r.tally.count.render() for r in claim.tallies)
    assert texts == ["777", "777", "hundreds", "nearly 800"]
    relays = [a for a in example.set_aside if a.reason is SetAside.RELAY]
    assert sorted(a.ref.tally.count.render() for a in relays) == ["777", "hundreds", "nearly 800"]
    assert all(a.claim == claim for a in relays)
    assert claim.figures == (777,)
    assert example.consensus is not None
    assert (example.consensus.low, example.consensus.high) == (777, 777)
    assert example.conflicts == ()
    assert (example.low, example.best, example.high) == (777, 777, 777)
    assert example.best_claim == claim


def test_example_clippve_is_a_consistent_broader_measure(example: Comparison) -> None:
    (related,) = example.related
    assert related.claim.source == "clippve"
    assert related.claim.measure == "arbitrarily_detained"
    assert related.bound is Bound.UPPER
    assert related.consistent
    assert related.contradicts == ()
    assert "broader measure" in related.message
    assert all(c.source != "clippve" for c in example.considered)
    assert all(c.lower.source != "clippve" != c.higher.source for c in example.conflicts)


def test_example_arrests_flow_is_never_compared_with_a_stock(example: Comparison) -> None:
    (arrests,) = [a for a in example.set_aside if a.ref.tally.measure == "arrests"]
    assert arrests.reason is SetAside.OTHER_MEASURE
    assert "flow" in arrests.message
    assert "never compared with a stock" in arrests.message
    everything = [*example.considered, *(r.claim for r in example.related)]
    assert all(c.measure != "arrests" for c in everything)
    flows = compare(venezuela_2026_01(), "arrests", AT)
    (claim,) = flows.considered
    assert claim.source == "gobierno-venezuela"
    assert flows.related == ()
    stocks = [a for a in flows.set_aside if a.ref.tally.period_start is None]
    assert stocks
    assert all("never compared with a flow" in a.message for a in stocks)


def test_example_arbitrarily_detained_with_777_as_lower_bound() -> None:
    c = compare(venezuela_2026_01(), "arbitrarily_detained", AT)
    (claim,) = c.considered
    assert claim.source == "clippve"
    assert claim.publishers == ("latin-times",)
    (related,) = c.related
    assert related.bound is Bound.LOWER
    assert related.claim.count == Count.exact(777)
    assert related.claim.publishers == ("foro-penal", "latin-times")
    assert related.consistent
    # "more than 1,345" states 1,345, which its own bounds exclude: no best figure
    assert (c.low, c.best, c.high) == (1346, None, None)


def test_example_releases_periods() -> None:
    ds = venezuela_2026_01()
    c = compare(ds, "releases", AT)
    assert c.since == JAN_8.in_tz(TZ)
    assert [str(x.count) for x in c.considered] == ["143"]
    (other,) = [a for a in c.set_aside if a.reason is SetAside.DIFFERENT_PERIOD]
    assert other.ref.tally.count == Count.exact(0)
    assert "18 Jan 2026" in other.message
    assert "8 Jan 2026" in other.message
    since_sunday = compare(ds, "releases", AT, since=dt.date(2026, 1, 18))
    assert [str(x.count) for x in since_sunday.considered] == ["0"]
    instant = compare(ds, "releases", AT, since=pendulum.datetime(2026, 1, 8, 9, tz=TZ))
    assert [str(x.count) for x in instant.considered] == ["143"]


EXPECTED_EXPLAIN = """\
Comparing political prisoners at 19 Jan 2026 23:00, with figures whose cut-off falls \
between 12 Jan 2026 23:00 and 26 Jan 2026 23:00 (America/Caracas time).
Considered 777 political prisoners at 19 Jan 2026 21:45 according to Foro Penal (verified), \
as published by Foro Penal and Latin Times.
Merged "hundreds" as published by Latin Times into 777 political prisoners at 19 Jan 2026 \
21:45 according to Foro Penal: it relays that figure and is compatible with it.
Merged "nearly 800" as published by Latin Times into 777 political prisoners at 19 Jan 2026 \
21:45 according to Foro Penal: it relays that figure and is compatible with it.
Merged "777" as published by Latin Times into 777 political prisoners at 19 Jan 2026 21:45 \
according to Foro Penal: it relays that figure and is compatible with it.
Set aside many cases pending evaluation at 19 Jan 2026 21:45 according to Foro Penal: it \
counts another measure (cases pending evaluation), which neither contains nor lies within the \
one compared.
Set aside 143 releases from 8 Jan 2026 to 19 Jan 2026 21:45 according to Foro Penal, as \
published by Latin Times: it is a flow over a period, never compared with a stock.
Set aside 0 releases from 18 Jan 2026 to 19 Jan 2026 21:45 according to Foro Penal, as \
published by Latin Times: it is a flow over a period, never compared with a stock.
Set aside more than 2,400 arrests from 28 Jul 2024 to 20 Jan 2026 according to Government of \
Venezuela (official figures), as published by Latin Times: it is a flow over a period, never \
compared with a stock.
Kept more than 1,345 people arbitrarily detained on 19 Jan 2026 according to Clippve as an \
upper bound, since "people arbitrarily detained" is a broader measure than "political \
prisoners"; it is open above, so it sets no limit.
With one figure considered, the consensus is what it allows: 777.
Under the conservative policy: low 777, high 777; best 777 (stated by Foro Penal)."""


def test_explain_pinned(example: Comparison) -> None:
    assert example.explain() == EXPECTED_EXPLAIN
    assert example.sentences() == tuple(EXPECTED_EXPLAIN.split("\n"))
    # one sentence per decision: header, considered, every set-aside, related, consensus, policy
    assert len(example.sentences()) == 1 + 1 + len(example.set_aside) + 1 + 2


def test_explain_spanish(example: Comparison) -> None:
    text = example.explain(lang="es")
    assert text.startswith("Comparación de presos políticos al 19 ene 2026 23:00")
    # a quotation keeps the words as published, untranslated
    assert "«nearly 800» publicado por Latin Times" in text
    assert "casi 800" not in text
    assert "más de 1.345 personas detenidas arbitrariamente" in text
    assert "nunca se compara con un stock" in text
    assert text.count("\n") == example.explain().count("\n")
    with pytest.raises(ValidationError, match="lang"):
        example.explain(lang="fr")


def test_json_of_the_example(example: Comparison) -> None:
    data = to_json(example)
    assert data["measure"] == "political_prisoners"
    assert data["considered"][0]["publishers"] == ["foro-penal", "latin-times"]
    assert data["related"][0]["bound"] == "upper"
    assert {a["reason"] for a in data["set_aside"]} == {"relay", "other_measure"}
    assert data["at"] == "2026-01-19T23:00-04:00"


def test_json_of_every_result_type() -> None:
    ds = make(
        report("gov", "gobierno-venezuela", rel(600, basis=Basis.ANNOUNCED)),
        report(
            "fp",
            "foro-penal",
            rel(150, basis=Basis.VERIFIED),
            rel(120, as_of=When.parse("2026-01-15")),
        ),
        report("lt", "latin-times", rel(140, source="foro-penal")),
        report(
            "fl", "foro-penal", Tally("full_releases", Count.exact(20), CUTOFF, period_start=JAN_8)
        ),
    )
    c = compare(ds, "releases", AT)
    gap = c.verification_gap
    assert gap is not None
    assert c.conflicts
    assert c.related
    assert {a.reason for a in c.set_aside} >= {SetAside.SUPERSEDED}
    values: list[Any] = [c, gap, *c.conflicts, *c.related, *c.set_aside, *c.considered]
    for value in values:
        data = to_json(value)
        assert isinstance(data, dict)
    assert to_json(c)["verification_gap"]["gap"] == 450
    assert to_json(c.related[0])["bound"] == "lower"


# ---------------------------------------------------------------------- decisions


def test_supersession_within_the_window() -> None:
    ds = make(
        report("fp1", "foro-penal", pp(800, When.parse("2026-01-15"))),
        report("fp2", "foro-penal", pp(777)),
        report("c1", "clippve", Tally("arbitrarily_detained", Count.exact(1400), CUTOFF)),
    )
    c = compare(ds, "political_prisoners", AT)
    assert [x.count for x in c.considered] == [Count.exact(777)]
    (old,) = [a for a in c.set_aside if a.reason is SetAside.SUPERSEDED]
    assert old.ref.tally.count == Count.exact(800)
    assert old.claim is not None
    assert old.claim.as_of == CUTOFF
    assert "later cut-off" in old.message
    # a day-precision and an instant inside it do not supersede each other
    ds2 = make(
        report("fp1", "foro-penal", pp("nearly 800", When.parse("2026-01-19"))),
        report("fp2", "foro-penal", pp(777)),
    )
    assert len(compare(ds2, "political_prisoners", AT).considered) == 2


def test_outside_window_and_tuple_window() -> None:
    early = When.parse("2026-01-01")
    ds = make(report("fp1", "foro-penal", pp(900, early)), report("fp2", "provea", pp(780)))
    c = compare(ds, "political_prisoners", AT)
    assert [x.source for x in c.considered] == ["provea"]
    (out,) = c.set_aside
    assert out.reason is SetAside.OUTSIDE_WINDOW
    wide = compare(ds, "political_prisoners", AT, window=(dt.timedelta(days=30), dt.timedelta(0)))
    assert [x.source for x in wide.considered] == ["foro-penal", "provea"]
    assert wide.conflicts[0].gap == 120
    later = compare(ds, "political_prisoners", "2026-01-01", window=dt.timedelta(0))
    assert [x.source for x in later.considered] == ["foro-penal"]


def test_outside_window_lists_the_nearest_figures_per_source() -> None:
    """Of a year of daily figures, only the nearest before and after the window are listed."""
    start = pendulum.datetime(2025, 7, 1, 21, 45, tz=TZ)
    daily = [When.instant(start.add(days=d)) for d in range(365)]
    at = start.add(days=200)
    relayed = daily[192]  # the last cut-off before the window: relayed, so listed twice
    ds = make(
        report("fp", "foro-penal", *(pp(800 + d % 7, w) for d, w in enumerate(daily))),
        report("lt", "latin-times", pp("nearly 800", relayed, source="foro-penal")),
        # a source with only far figures: its nearest are listed, however far
        report("pv", "provea", pp(700, daily[10]), pp(701, daily[20]), pp(702, daily[300])),
        # another group: never listed outside the window
        report("fw", "foro-penal", pp(60, daily[150], subgroup={"sex": "female"})),
    )
    c = compare(ds, "political_prisoners", at)
    assert len(c.considered) == 1  # foro-penal's latest cut-off in the window, day 207
    outside = [a for a in c.set_aside if a.reason is SetAside.OUTSIDE_WINDOW]
    listed = sorted((a.ref.tally.source, a.ref.tally.as_of, a.ref.publisher) for a in outside)
    assert listed == sorted(
        [
            ("foro-penal", daily[192], "foro-penal"),
            ("foro-penal", daily[192], "latin-times"),
            ("foro-penal", daily[208], "foro-penal"),
            ("provea", daily[20], "provea"),
            ("provea", daily[300], "provea"),
        ]
    )
    # the window holds days 193 to 207 (at is 21:45 on day 200, seven days either side)
    superseded = [a for a in c.set_aside if a.reason is SetAside.SUPERSEDED]
    assert len(superseded) == 14
    assert len(c.set_aside) == len(outside) + len(superseded)
    text = c.explain()
    assert "Set aside 3 figures according to Foro Penal, with cut-offs from" in text
    assert "Set aside 2 figures according to Provea" in text
    # a wider window moves the nearest figures with it
    wide = compare(ds, "political_prisoners", at, window=dt.timedelta(days=100))
    assert sorted(
        (a.ref.tally.source, a.ref.tally.as_of)
        for a in wide.set_aside
        if a.reason is SetAside.OUTSIDE_WINDOW
    ) == [("foro-penal", daily[99]), ("foro-penal", daily[301]), ("provea", daily[20])]
    assert "provea" in {x.source for x in wide.considered}  # day 300 is now inside


def test_disagreeing_relays_are_reported_not_resolved() -> None:
    ds = make(
        report("fp", "foro-penal", pp(777)),
        report("lt", "latin-times", pp(780, source="foro-penal")),
        report("lr", "la-republica", pp("nearly 800", source="foro-penal")),
    )
    c = compare(ds, "political_prisoners", AT)
    assert len(c.considered) == 2
    assert c.consensus is None
    (conflict,) = c.conflicts
    assert conflict.same_figure
    assert conflict.gap == 3
    assert "Statements of one figure disagree" in c.explain()
    # the compatible "nearly 800" merges into one of them; nothing was picked silently
    assert {x.count.low for x in c.considered} == {777, 780}


def test_policies_and_verification_gap() -> None:
    ds = make(
        report("gov", "gobierno-venezuela", rel(600, basis=Basis.ANNOUNCED)),
        report("fp", "foro-penal", rel(150, basis=Basis.VERIFIED)),
        report(
            "pv", "provea", Tally("releases", Count.parse("about 300"), CUTOFF, period_start=JAN_8)
        ),
    )
    c = compare(ds, "releases", AT)
    assert c.consensus is None
    assert len(c.conflicts) == 3
    assert (c.low, c.best, c.high) == (150, 150, 600)
    gap = c.verification_gap
    assert gap is not None
    assert (gap.announced_count.low, gap.verified_count.low, gap.gap) == (600, 150, 450)
    assert (gap.difference.low, gap.difference.high) == (450, 450)
    assert "at least 450 apart" in c.explain()
    r = compare(ds, "releases", AT, policy=Policy.RANGE)
    assert (r.low, r.best, r.high) == (150, 300, 600)
    p = compare(ds, "releases", AT, policy="preferred", priority=["gobierno-venezuela"])
    assert (p.low, p.best, p.high) == (600, 600, 600)
    assert "priority: Government of Venezuela" in p.explain()
    verified = compare(ds, "releases", AT, basis=Basis.VERIFIED)
    assert [x.source for x in verified.considered] == ["foro-penal"]
    assert verified.verification_gap is None
    assert {a.reason for a in verified.set_aside} == {SetAside.OTHER_BASIS}


def test_subgroups_bound_the_total() -> None:
    women = pp(60, subgroup={"sex": "female"})
    ds = make(
        report("fp", "foro-penal", pp(777), women, pp(5, subgroup={"age": "minor"})),
        report("pv", "provea", pp(50, subgroup={"sex": "female", "age": "minor"})),
    )
    total = compare(ds, "political_prisoners", AT)
    bounds = {(r.claim.subgroup, r.bound) for r in total.related}
    assert bounds == {
        ((("sex", "female"),), Bound.LOWER),
        ((("age", "minor"),), Bound.LOWER),
        ((("age", "minor"), ("sex", "female")), Bound.LOWER),
    }
    c = compare(ds, "political_prisoners", AT, subgroup={"sex": "female"})
    assert [x.count for x in c.considered] == [Count.exact(60)]
    assert {(r.claim.count.low, r.bound) for r in c.related} == {
        (777, Bound.UPPER),
        (50, Bound.LOWER),
    }
    (minors,) = [a for a in c.set_aside if a.reason is SetAside.OTHER_SUBGROUP]
    assert minors.ref.tally.count == Count.exact(5)
    assert "another group" in minors.message


def test_inconsistent_bound_is_named() -> None:
    ds = make(
        report("fp", "foro-penal", pp(900)),
        report(
            "cl", "clippve", Tally("arbitrarily_detained", Count.parse("fewer than 800"), CUTOFF)
        ),
    )
    c = compare(ds, "political_prisoners", AT)
    (r,) = c.related
    assert not r.consistent
    assert [x.source for x in r.contradicts] == ["foro-penal"]
    assert "contradicts" in r.message


@pytest.mark.parametrize(
    ("kwargs", "error", "where"),
    [
        ({"measure": "prisoners"}, UnknownReferenceError, "measure"),
        ({"at": dt.datetime(2026, 1, 19, 23)}, NaiveDatetimeError, "at"),
        ({"at": "19/01/2026"}, ValidationError, "at"),
        ({"at": 42}, ValidationError, "at"),
        ({"window": dt.timedelta(days=-1)}, ValidationError, "window"),
        ({"window": 7}, ValidationError, "window"),
        ({"since": JAN_8}, ValidationError, "since"),
        ({"policy": "best"}, ValidationError, "policy"),
        ({"policy": Policy.PREFERRED}, ValidationError, "priority"),
        ({"priority": ["foro-penal"]}, ValidationError, "priority"),
        ({"policy": Policy.PREFERRED, "priority": ["nobody"]}, UnknownReferenceError, "priority"),
        (
            {"policy": Policy.PREFERRED, "priority": ["clippve", "clippve"]},
            DuplicateIdError,
            "priority",
        ),
        ({"basis": "sure"}, ValidationError, "basis"),
        ({"subgroup": 5}, ValidationError, "subgroup"),
    ],
)
def test_bad_arguments_name_the_parameter(
    kwargs: dict[str, Any], error: type[Exception], where: str
) -> None:
    args: dict[str, Any] = {"measure": "political_prisoners", "at": AT}
    args.update(kwargs)
    with pytest.raises(error) as info:
        compare(venezuela_2026_01(), **args)
    assert isinstance(info.value, ValidationError)
    assert info.value.where.startswith(where)


def test_time_helpers() -> None:
    day = When.parse("2026-01-19")
    assert same_time(CUTOFF, day)
    assert same_time(day, CUTOFF)
    assert not same_time(day, When.parse("2026-01-20"))
    assert not same_time(day, When.parse("2026-01"))
    assert is_after(When.parse("2026-01-20"), day)
    assert not is_after(CUTOFF, day)
    assert is_after(When.parse("2026-01-19T21:46-04:00"), CUTOFF)


# ---------------------------------------------------------------------- properties

BASE = pendulum.datetime(2026, 1, 19, 21, 45, tz=TZ)
SOURCES = ("foro-penal", "clippve", "provea", "gobierno-venezuela")
PUBLISHERS = (*SOURCES, "latin-times", "la-republica")
STARTS = (JAN_8, JAN_18, When.parse("2026-01-08T09:00-04:00"), When.parse("2025-12"))


def _near_whens() -> list[When]:
    out = []
    for hours in range(-24 * 12, 24 * 12 + 1, 17):
        t = BASE.add(hours=hours)
        for zone in (TZ, "UTC", "Asia/Kolkata"):
            local = t.in_tz(zone)
            out += [When.instant(local), When.day(local.date(), zone)]
    return out


NEAR_WHENS = _near_whens()
QUALIFIED = [q for q in Qualifier if q not in (Qualifier.DERIVED, Qualifier.SEVERAL)]


COUNTS = st.one_of(
    st.integers(700, 820).map(Count.exact),
    st.builds(Count.of, st.sampled_from(QUALIFIED), st.integers(1, 1_500)),
    vzst.stated_counts(max_value=3_000),
)
MEASURES = st.sampled_from(("political_prisoners",) * 3 + ("arbitrarily_detained", "releases"))
SUBGROUPS = st.sampled_from(((), (), (), (("sex", "female"),), (("age", "minor"),)))
WHENS = st.sampled_from(NEAR_WHENS)
INDEX = st.integers(0, 100)


@st.composite
def near_tallies(draw: st.DrawFn) -> Tally:
    measure = draw(MEASURES)
    as_of = draw(WHENS)
    period_start = None
    if measure == "releases":
        valid = [p for p in STARTS if as_of.end > p.end]
        period_start = valid[draw(INDEX) % len(valid)]
    return Tally(
        measure,
        draw(COUNTS),
        as_of,
        source=SOURCES[draw(INDEX) % len(SOURCES)],
        period_start=period_start,
        subgroup=draw(SUBGROUPS),
        basis=list(Basis)[draw(INDEX) % len(Basis)],
    )


TALLY_LISTS = st.lists(near_tallies(), min_size=1, max_size=10)


@st.composite
def near_datasets(draw: st.DrawFn) -> Dataset:
    tallies = draw(TALLY_LISTS)
    # relays: some tallies repeated by another publisher (maybe via an intermediary)
    for _ in range(draw(st.integers(0, 3))):
        t = tallies[draw(INDEX) % len(tallies)]
        tallies.append(attrs.evolve(t, via=("la-republica",) if draw(st.booleans()) else ()))
    reports: list[Report] = []
    i = 0
    while i < len(tallies):
        n = 1 + draw(INDEX) % 4
        publisher = PUBLISHERS[draw(INDEX) % len(PUBLISHERS)]
        reports.append(
            Report(f"r{len(reports)}", publisher, When.parse("2026-02-01"), tallies[i : i + n])
        )
        i += n
    return make(*reports)


def strip_locations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_locations(v) for k, v in value.items() if k != "index"}
    if isinstance(value, list):
        return [strip_locations(v) for v in value]
    return value


measures = st.sampled_from(("political_prisoners", "arbitrarily_detained", "releases"))
policies = st.sampled_from((Policy.CONSERVATIVE, Policy.RANGE))


@given(near_datasets(), measures, policies, st.randoms(use_true_random=False))
def test_order_of_reports_and_tallies_does_not_matter(
    ds: Dataset, measure: str, policy: Policy, rnd: Any
) -> None:
    reports = [attrs.evolve(r, tallies=rnd.sample(r.tallies, len(r.tallies))) for r in ds.reports]
    shuffled = make(*rnd.sample(reports, len(reports)))
    a = compare(ds, measure, AT, policy=policy)
    b = compare(shuffled, measure, AT, policy=policy)
    assert strip_locations(converter.unstructure(a)) == strip_locations(converter.unstructure(b))
    assert a.explain() == b.explain()


def _inside(inner: Count, outer: Count) -> bool:
    lo_ok = outer.low is None or (inner.low is not None and outer.low <= inner.low)
    hi_ok = outer.high is None or (inner.high is not None and inner.high <= outer.high)
    return lo_ok and hi_ok


def check_invariants(c: Comparison) -> None:
    claims = c.considered
    disjoint = [(a, b) for a in claims for b in claims if not a.count.overlaps(b.count)]
    if claims:
        assert (c.consensus is None) == bool(disjoint)
    else:
        assert c.consensus is None
    if c.consensus is None and claims:
        assert c.conflicts
    found = {(k.lower, k.higher) for k in c.conflicts}
    assert found == {
        (a, b)
        for a, b in disjoint
        if a.count.high is not None and b.count.low is not None and a.count.high < b.count.low
    }
    if c.consensus is not None:
        for claim in claims:
            assert _inside(c.consensus, claim.count)
            for ref in claim.tallies:
                assert _inside(c.consensus, ref.tally.count)
    for k in c.conflicts:
        assert k.gap >= 1
        assert k.gap == k.lower.count.gap(k.higher.count)
    if c.best is not None:
        assert c.low is not None
        assert c.low <= c.best
        assert c.high is None or c.best <= c.high
        stated = {r.tally.count.stated for claim in claims for r in claim.tallies}
        assert c.best in stated
        assert c.best_claim in claims
        if c.consensus is not None:
            assert c.best in c.consensus
    if c.low is not None and c.high is not None:
        assert c.low <= c.high
    if any(claim.count.high is None for claim in claims) and c.consensus is None:
        assert c.policy is Policy.PREFERRED or c.high is None
    for r in c.related:
        rc = r.claim.count
        if r.bound is Bound.LOWER:
            bad = [x for x in claims if x.count.high is not None and (rc.low or 0) > x.count.high]
        else:
            bad = [x for x in claims if rc.high is not None and (x.count.low or 0) > rc.high]
        assert set(r.contradicts) == set(bad)
        assert r.consistent == (not bad)
    check_bounded(c)
    json.dumps(converter.unstructure(c))


def check_bounded(c: Comparison) -> None:
    """``bounded``: within ``low``–``high``, and allowing exactly what every consistent bound
    and the estimate allow."""
    b = c.bounded
    kept = [r for r in c.related if r.consistent]
    if b is None:
        assert kept or not c.considered
        return
    assert b.low is not None
    assert b.low >= 0
    if c.considered:
        assert b.low >= (c.low or 0)
        assert c.high is None or (b.high is not None and b.high <= c.high)
    for r in kept:
        if r.bound is Bound.LOWER:
            assert b.low >= (r.claim.count.low or 0)
        elif r.claim.count.high is not None:
            assert b.high is not None
            assert b.high <= r.claim.count.high
    # tight: each end is the estimate's or a bound's
    lows = {c.low or 0} if c.considered else {0}
    lows |= {r.claim.count.low or 0 for r in kept if r.bound is Bound.LOWER}
    assert b.low == max(lows)


@given(near_datasets(), measures, policies)
def test_consensus_conflicts_and_estimates(ds: Dataset, measure: str, policy: Policy) -> None:
    check_invariants(compare(ds, measure, AT, policy=policy))


@given(near_datasets(), measures, st.lists(st.sampled_from(SOURCES), min_size=1, unique=True))
def test_preferred_policy_invariants(ds: Dataset, measure: str, priority: list[str]) -> None:
    c = compare(ds, measure, AT, policy=Policy.PREFERRED, priority=priority)
    check_invariants(c)
    if c.best_claim is not None and c.consensus is not None:
        cons = c.consensus
        usable = [x.source for x in c.considered if any(f in cons for f in x.figures)]
        ranked = [s for s in usable if s in priority]
        if ranked:
            assert c.best_claim.source == min(ranked, key=priority.index)


@settings(max_examples=60)
@given(vzst.datasets(max_reports=4), st.data())
def test_invariants_on_arbitrary_datasets(ds: Dataset, data: st.DataObject) -> None:
    ref = data.draw(st.sampled_from(list(ds.refs())))
    window = data.draw(st.sampled_from((dt.timedelta(0), dt.timedelta(days=400))))
    c = compare(ds, ref.tally.measure, ref.tally.as_of, window=window)
    check_invariants(c)
    assert c.explain()
    assert c.explain("es")


def _relay_count(claim: Claim, choice: int, comparison: Comparison) -> Count:
    """A relay's count: the figure itself, or (when its relays agree) a vaguer phrase of it."""
    own = claim.primary.tally.count
    vaguer = [own]
    split = any(k.same_figure and claim in (k.lower, k.higher) for k in comparison.conflicts)
    if split:
        return own
    if (claim.count.low or 0) >= 2:
        vaguer.append(Count.of(Qualifier.MANY))
    for word in ("hundreds", "thousands"):
        c = Count.of(Qualifier.SEVERAL, word=word)
        if _inside(claim.count, c):
            vaguer.append(c)
    return vaguer[choice % len(vaguer)]


@given(near_datasets(), policies, st.integers(0, 10), st.sampled_from(PUBLISHERS))
def test_adding_a_relay_changes_no_estimate(
    ds: Dataset, policy: Policy, choice: int, publisher: str
) -> None:
    refs = list(ds.refs())
    t = refs[choice % len(refs)].tally
    kw: dict[str, Any] = {"policy": policy, "subgroup": t.subgroup, "since": t.period_start}
    before = compare(ds, t.measure, t.as_of, **kw)
    assert before.considered
    claim = before.considered[choice % len(before.considered)]
    relay = attrs.evolve(
        claim.primary.tally, count=_relay_count(claim, choice, before), via=("la-republica",)
    )
    more = make(*ds.reports, Report("relay", publisher, When.parse("2026-02-02"), [relay]))
    after = compare(more, t.measure, t.as_of, **kw)
    assert after.consensus == before.consensus
    assert (after.low, after.best, after.high) == (before.low, before.best, before.high)
    assert len(after.considered) == len(before.considered)
    assert any(a.ref.report == "relay" for a in after.set_aside)


@given(
    near_datasets(),
    measures,
    st.integers(0, 24 * 10),
    st.integers(0, 24 * 10),
    st.integers(0, 24 * 10),
    st.integers(0, 24 * 10),
)
def test_widening_the_window_never_removes_a_source(
    ds: Dataset, measure: str, b1: int, a1: int, b2: int, a2: int
) -> None:
    narrow = (dt.timedelta(hours=min(b1, b2)), dt.timedelta(hours=min(a1, a2)))
    wide = (dt.timedelta(hours=max(b1, b2)), dt.timedelta(hours=max(a1, a2)))
    since = JAN_8 if measure == "releases" else None
    small = compare(ds, measure, AT, window=narrow, since=since)
    large = compare(ds, measure, AT, window=wide, since=since)
    assert {c.source for c in small.considered} <= {c.source for c in large.considered}


# ---------------------------------------------------------------------- the index against a scan

BASES = st.sampled_from((None, Basis.VERIFIED, (Basis.VERIFIED, Basis.ANNOUNCED)))
HOURS = st.integers(0, 24 * 12)


def scan(
    ds: Dataset,
    measure: str,
    at: When,
    window: tuple[dt.timedelta, dt.timedelta],
    sub: tuple[tuple[str, str], ...],
    bases: tuple[Basis, ...],
    since: When | None,
) -> tuple[list[Claim], list[TallyRef], list[TallyRef]]:
    """What compare selects, by a scan of every tally of the dataset.

    Returns the claims considered, the tallies listed as outside the window (per source, the
    last cut-off before the window and the first after it) and every tally in the window.
    """
    a0, a1 = span(at)
    ws = a0 - window[0] // dt.timedelta(microseconds=1)
    we = a1 - 1 + window[1] // dt.timedelta(microseconds=1)

    def inside(w: When) -> bool:
        s, e = span(w)
        return s <= we and e > ws

    refs = list(ds.refs())
    target = [r for r in refs if r.tally.measure == measure and r.tally.subgroup == sub]
    pool = [
        r
        for r in target
        if inside(r.tally.as_of)
        and (not bases or r.tally.basis in bases)
        and (since is None or (r.tally.period_start and same_time(r.tally.period_start, since)))
    ]
    claims, _ = build_claims(pool)
    live, _ = latest_by_source(claims)
    nearest: list[TallyRef] = []
    for source in {r.tally.source for r in target}:
        mine = [r for r in target if r.tally.source == source and not inside(r.tally.as_of)]
        before = [r for r in mine if span(r.tally.as_of)[1] <= ws]
        after = [r for r in mine if span(r.tally.as_of)[0] > we]
        if before:
            last = max(span(r.tally.as_of)[1] for r in before)
            nearest += [r for r in before if span(r.tally.as_of)[1] == last]
        if after:
            first = min(span(r.tally.as_of)[0] for r in after)
            nearest += [r for r in after if span(r.tally.as_of)[0] == first]
    return sorted(live, key=claim_key), nearest, [r for r in refs if inside(r.tally.as_of)]


def _locations(refs: Iterable[TallyRef]) -> list[tuple[str, int]]:
    return sorted((r.report, r.index) for r in refs)


@settings(max_examples=150)
@given(
    near_datasets(),
    measures,
    policies,
    WHENS,
    HOURS,
    HOURS,
    SUBGROUPS,
    BASES,
    st.sampled_from(STARTS),
)
def test_the_index_selects_what_a_scan_of_every_tally_selects(
    ds: Dataset,
    measure: str,
    policy: Policy,
    at: When,
    before: int,
    after: int,
    sub: tuple[tuple[str, str], ...],
    basis: Any,
    start: When,
) -> None:
    window = (dt.timedelta(hours=before), dt.timedelta(hours=after))
    since = start if measure == "releases" else None
    c = compare(
        ds, measure, at, window=window, policy=policy, subgroup=sub, basis=basis, since=since
    )
    bases = c.basis
    considered, nearest, in_window = scan(ds, measure, at, window, sub, bases, since)
    assert list(c.considered) == considered
    assert c.consensus == meet(x.count for x in considered)
    assert (c.low, c.best, c.high) == _estimate(considered, c.consensus, policy, ())[:3]
    outside = [a.ref for a in c.set_aside if a.reason is SetAside.OUTSIDE_WINDOW]
    assert _locations(outside) == _locations(nearest)
    # every tally in the window is decided exactly once: in a claim considered or related
    # (relays merged into it are listed as such too), or set aside
    claimed = [r for x in c.considered for r in x.tallies]
    claimed += [r for rel in c.related for r in rel.claim.tallies]
    relays = [a.ref for a in c.set_aside if a.reason is SetAside.RELAY]
    assert set(_locations(relays)) <= set(_locations(claimed))
    others = (SetAside.OUTSIDE_WINDOW, SetAside.RELAY)
    decided = claimed + [a.ref for a in c.set_aside if a.reason not in others]
    assert _locations(decided) == _locations(in_window)


# ---------------------------------------------------------------------- a few calls, windowed


def _fresh(ds: Dataset) -> Dataset:
    """The same dataset, not indexed yet."""
    return Dataset(ds.reports, sources=ds.sources, measures=ds.measures, timezone=ds.timezone)


CALLS = st.fixed_dictionaries(
    {"measure": measures, "at": WHENS},
    optional={
        "window": st.one_of(
            st.sampled_from((dt.timedelta(0), dt.timedelta(days=2))),
            st.tuples(HOURS, HOURS).map(
                lambda p: (dt.timedelta(hours=p[0]), dt.timedelta(hours=p[1]))
            ),
        ),
        "policy": policies,
        "subgroup": SUBGROUPS,
        "basis": BASES,
    },
)


@settings(max_examples=150)
@given(near_datasets(), st.lists(CALLS, min_size=1, max_size=4), st.data())
def test_compare_each_gives_what_compare_gives(
    ds: Dataset, calls: list[dict[str, Any]], data: st.DataObject
) -> None:
    """The index of the windows' hull gives every comparison, sentence and name unchanged."""
    for call in calls:
        if call["measure"] == "releases" and data.draw(st.booleans()):
            call["since"] = data.draw(st.sampled_from(STARTS))
    each = _compare_each(_fresh(ds), calls)
    assert len(each) == len(calls)
    for got, call in zip(each, calls, strict=True):
        want = compare(ds, **call)
        assert got == want  # every field, the set-aside tallies and names included
        assert got.explain() == want.explain()
        assert got.explain("es") == want.explain("es")
        assert to_json(got) == to_json(want)


@settings(max_examples=60)
@given(vzst.datasets(max_reports=5), st.data())
def test_compare_each_on_arbitrary_datasets(ds: Dataset, data: st.DataObject) -> None:
    refs = list(ds.refs())
    calls = []
    for _ in range(data.draw(st.integers(1, 3))):
        ref = data.draw(st.sampled_from(refs))
        window = data.draw(st.sampled_from((dt.timedelta(0), dt.timedelta(days=30))))
        calls.append({"measure": ref.tally.measure, "at": ref.tally.as_of, "window": window})
    for got, call in zip(_compare_each(_fresh(ds), calls), calls, strict=True):
        want = compare(ds, **call)
        assert got == want
        assert got.explain() == want.explain()


def test_compare_each_uses_the_full_index_when_there_is_one() -> None:
    ds = _fresh(venezuela_2026_01())  # the bundled dataset is shared, and indexed by now
    calls = [{"measure": "political_prisoners", "at": AT}, {"measure": "releases", "at": AT}]
    fresh = _compare_each(ds, calls)
    assert _INDEX not in ds._derived  # the windowed index is not kept
    compare(ds, "political_prisoners", AT)  # indexes the dataset
    assert _compare_each(ds, calls) == fresh == [compare(ds, **c) for c in calls]


def test_compare_each_checks_its_calls_as_compare_does() -> None:
    ds = venezuela_2026_01()
    with pytest.raises(ValidationError) as err:
        _compare_each(ds, [{"measure": "political_prisoners", "at": AT, "since": JAN_8}])
    assert err.value.path == ("since",)
    with pytest.raises(UnknownReferenceError):
        _compare_each(ds, [{"measure": "prisoners", "at": AT}])
    assert _compare_each(ds, []) == []


def test_a_vague_plural_reads_as_a_quantity_of_the_measure() -> None:
    comparison = compare(venezuela_2026_01(), "releases", "2026-01-19T21:45-04:00")
    assert "Set aside hundreds of political prisoners at 19 Jan 2026 21:45" in (
        comparison.explain()
    )
    assert "cifra de cientos de presos políticos al 19 ene 2026 21:45" in comparison.explain("es")


@pytest.mark.parametrize("word", sorted(SEVERAL_BOUNDS))
def test_every_vague_plural_takes_of(word: str) -> None:
    count = Count.of(Qualifier.SEVERAL, word=word)
    en, es = Words("UTC", {}, "en"), Words("UTC", {}, "es")
    day = When.parse("2026-01-19")
    assert en.figure(count, "arrests", "x", day, None).startswith(f"{word} of arrests on ")
    assert es.figure(count, "arrests", "x", day, None).startswith(
        f"{count.render('es')} de detenciones el "
    )
    exact = en.figure(Count.exact(12), "arrests", "x", day, None)
    assert exact.startswith("12 arrests on ")


@pytest.mark.parametrize(
    ("phrase", "measure", "start"),
    [
        ("about 800", "arrests", "unas 800 detenciones "),
        ("many", "releases", "muchas excarcelaciones "),
        ("about 1,000", "arbitrarily_detained", "unas 1.000 personas detenidas arbitrariamente "),
        ("about 800", "political_prisoners", "unos 800 presos políticos "),
        ("many", "political_prisoners", "muchos presos políticos "),
        ("many", "pending_evaluation", "muchos pending evaluation "),
        ("nearly 800", "arrests", "casi 800 detenciones "),
    ],
)
def test_spanish_qualifiers_agree_with_the_measure(phrase: str, measure: str, start: str) -> None:
    es = Words("America/Caracas", {}, "es")
    figure = es.figure(Count.parse(phrase), measure, "x", When.parse("2026-01-19"), None)
    assert figure.startswith(start)
    # English has nothing to agree
    en = Words("America/Caracas", {}, "en").figure(
        Count.parse(phrase), measure, "x", When.parse("2026-01-19"), None
    )
    assert en.startswith(Count.parse(phrase).render("en") + " ")


@pytest.mark.parametrize(
    ("measure", "en", "es"),
    [
        ("arbitrarily_detained", "hundreds of people arbitrarily ", "cientos de personas "),
        ("pending_evaluation", "hundreds pending evaluation ", "cientos pending evaluation "),
    ],
)
def test_of_follows_a_vague_plural_only_before_a_noun(measure: str, en: str, es: str) -> None:
    count, day = Count.parse("hundreds"), When.parse("2026-01-19")
    assert Words("UTC", {}, "en").figure(count, measure, "x", day, None).startswith(en)
    assert Words("UTC", {}, "es").figure(count, measure, "x", day, None).startswith(es)


def test_a_quoted_count_without_its_words_is_rendered() -> None:
    day = When.parse("2026-01-19")
    ds = Dataset(
        [
            Report("r1", "foro-penal", day, [Tally("political_prisoners", Count.exact(777), day)]),
            Report(
                "r2",
                "latin-times",
                day,
                [
                    Tally(
                        "political_prisoners",
                        attrs.evolve(Count.parse("nearly 800"), text=""),
                        day,
                        source="foro-penal",
                    )
                ],
            ),
        ],
        sources=[Source("latin-times", "Latin Times", SourceKind.MEDIA)],
    )
    text = compare(ds, "political_prisoners", day).explain("es")
    # no words as published: the count is written in the language of the explanation
    assert "Se fusiona «casi 800» publicado por Latin Times" in text


def test_a_stock_counted_after_the_time_compared_is_flagged() -> None:
    ds = venezuela_2026_01()
    early = compare(ds, "political_prisoners", "2026-01-15")
    assert early.best == 777  # the window reaches both sides of the time compared
    (warning,) = [s for s in early.sentences() if s.startswith("Beware")]
    # Clippve's figure, which bounds political prisoners from above, is later too
    assert warning == (
        "Beware: these figures were counted after the time compared (15 Jan 2026): that of "
        "Clippve on 19 Jan 2026 and that of Foro Penal at 19 Jan 2026 21:45; the numbers may "
        "have changed in between."
    )
    assert (
        "Atención: estas cifras se contaron después del momento comparado (15 ene 2026): la de "
        "Clippve el 19 ene 2026 y la de Foro Penal al 19 ene 2026 21:45; los números pueden "
        "haber cambiado entretanto."
    ) in early.sentences("es")
    cut = When.parse("2026-01-19T21:45-04:00")
    alone = Dataset(
        [Report("r1", "foro-penal", cut, [Tally("political_prisoners", Count.exact(777), cut)])]
    )
    one = compare(alone, "political_prisoners", "2026-01-15")
    assert (
        "Beware: the figure of Foro Penal was counted at 19 Jan 2026 21:45, after the time "
        "compared (15 Jan 2026); the number may have changed in between."
    ) in one.sentences()
    assert (
        "Atención: la cifra de Foro Penal se contó al 19 ene 2026 21:45, después del momento "
        "comparado (15 ene 2026); el número puede haber cambiado entretanto."
    ) in one.sentences("es")
    # counted before the time compared: the latest figure known, nothing to flag
    late = compare(ds, "political_prisoners", "2026-01-20")
    assert not [s for s in late.sentences() if s.startswith("Beware")]


@pytest.mark.parametrize(
    ("at", "flagged"), [("2026-01-15", True), ("2026-01-19", False), ("2026-01-21", True)]
)
def test_a_flow_over_another_period_than_the_one_compared_is_flagged(
    at: str, flagged: bool
) -> None:
    c = compare(venezuela_2026_01(), "releases", at, since="2026-01-08")
    assert c.best == 143
    warnings = [s for s in c.sentences() if s.startswith("Beware")]
    assert bool(warnings) is flagged
    if flagged:
        assert warnings[0].startswith(
            "Beware: the period of the figure of Foro Penal ends at 19 Jan 2026 21:45, not on "
        )
        es = [s for s in c.sentences("es") if s.startswith("Atención")]
        assert es[0].startswith("Atención: el periodo de la cifra de Foro Penal termina el 19 ene")


def test_an_upper_bound_open_above_is_said_to_set_no_limit() -> None:
    c = compare(venezuela_2026_01(), "political_prisoners", "2026-01-19T23:00-04:00")
    (rel,) = c.related
    assert rel.bound is Bound.UPPER
    assert rel.claim.count.high is None
    (en,) = [s for s in c.sentences() if s.startswith("Kept")]
    assert en.endswith("; it is open above, so it sets no limit.")
    (es,) = [s for s in c.sentences("es") if s.startswith("Se toma")]
    assert es.endswith("; no tiene tope, así que no fija ningún límite.")


def _flows(*figures: tuple[str, str, str, str]) -> Dataset:
    """Release figures ``(source, count, period start, cut-off)``, one report each."""
    reports = [
        Report(
            f"r{i}",
            src,
            When.parse("2026-01-25"),
            [Tally("releases", Count.parse(n), When.parse(cut), period_start=When.parse(start))],
        )
        for i, (src, n, start, cut) in enumerate(figures)
    ]
    return Dataset(reports, timezone="America/Caracas")


def test_the_warning_names_each_source_with_its_own_cut_off() -> None:
    ds = _flows(
        ("jep", "40", "2026-01-08", "2026-01-12"),
        ("provea", "about 60", "2026-01-08", "2026-01-22T12:00-04:00"),
        ("ovp", "50", "2026-01-08", "2026-01-19"),
    )
    c = compare(ds, "releases", "2026-01-19", since="2026-01-08")
    (warning,) = [s for s in c.sentences() if s.startswith("Beware")]
    assert warning == (
        "Beware: these periods do not end on 19 Jan 2026: that of Justicia, Encuentro y Perdón "
        "ends on 12 Jan 2026 and that of Provea ends at 22 Jan 2026 12:00; a count over another "
        "period is not the count of the period compared."
    )
    (es,) = [s for s in c.sentences("es") if s.startswith("Atención")]
    assert "el de Provea termina el 22 ene 2026 12:00;" in es
    # an instant cut-off inside the day compared is that day: nothing to flag
    inside = _flows(("ovp", "50", "2026-01-08", "2026-01-19T21:45-04:00"))
    c = compare(inside, "releases", "2026-01-19", since="2026-01-08")
    assert not [s for s in c.sentences() if s.startswith("Beware")]
    # a month compared: the period ends within it, and Spanish says "hasta ene 2026"
    c = compare(inside, "releases", "2026-01", since="2026-01-08")
    assert not [s for s in c.sentences() if s.startswith("Beware")]
    assert "hasta ene 2026, con cifras" in c.sentences("es")[0]


def test_figures_outside_the_window_at_one_cut_off_are_not_given_a_range() -> None:
    c = compare(venezuela_2026_01(), "political_prisoners", "2026-01-10")
    assert (
        "Set aside 4 figures according to Foro Penal, all at 19 Jan 2026 21:45: they are "
        "outside the window."
    ) in c.sentences()
    assert (
        "Se dejan aparte 4 cifras según Foro Penal, todas con corte al 19 ene 2026 21:45: "
        "quedan fuera de la ventana."
    ) in c.sentences("es")


def test_the_warning_gives_each_source_once_with_all_its_cut_offs() -> None:
    ds = _flows(
        ("jep", "40", "2026-01-08", "2026-01-22"),
        ("jep", "about 45", "2026-01-08", "2026-01-22T10:00-04:00"),
    )
    # a stock would be counted after the time compared; here a flow ends after it
    c = compare(ds, "releases", "2026-01-19", since="2026-01-08")
    (warning,) = [s for s in c.sentences() if s.startswith("Beware")]
    assert warning.count("Justicia, Encuentro y Perdón") == 1
    assert "ends on 22 Jan 2026 and at 22 Jan 2026 10:00, not on 19 Jan 2026" in warning


def test_the_first_sentence_names_the_zone_of_the_times() -> None:
    c = compare(venezuela_2026_01(), "releases", "2026-01-19T21:45-04:00")
    assert c.sentences()[0].endswith("(America/Caracas time).")
    assert c.sentences("es")[0].endswith("(hora de America/Caracas).")


def test_a_bound_counted_after_the_time_compared_is_flagged_too() -> None:
    c = compare(venezuela_2026_01(), "arbitrarily_detained", "2026-01-18")
    assert [r.claim.source for r in c.related] == ["foro-penal"]
    (warning,) = [s for s in c.sentences() if s.startswith("Beware")]
    assert "that of Foro Penal at 19 Jan 2026 21:45" in warning
    # none of the default comparisons of the bundled example warns
    for measure in ("political_prisoners", "arbitrarily_detained"):
        at = "2026-01-19T21:45-04:00" if measure == "political_prisoners" else "2026-01-19"
        assert not [
            s for s in compare(venezuela_2026_01(), measure, at).sentences() if "Beware" in s
        ]


_FEB_1 = When.parse("2026-02-01")


def _on_feb_1(*figures: tuple[str, str, Count]) -> Dataset:
    """One report per figure ``(source, measure, count)``, each its own publisher, cut-off
    and publication the first of February 2026."""
    return Dataset(
        [
            Report(f"r{i}", source, _FEB_1, [Tally(measure, count, _FEB_1)])
            for i, (source, measure, count) in enumerate(figures, 1)
        ]
    )


def test_bounded_narrows_low_and_high_by_consistent_related_figures() -> None:
    """ "hundreds" arbitrarily detained is 200 to 999; 777 political prisoners, a narrower
    measure, leave 777 to 999. ``low`` and ``high`` still summarise the measure's figures."""
    day = _FEB_1
    ds = _on_feb_1(
        ("foro-penal", "political_prisoners", Count.exact(777)),
        ("clippve", "arbitrarily_detained", Count.parse("hundreds")),
    )
    c = compare(ds, "arbitrarily_detained", day)
    assert (c.low, c.best, c.high) == (200, None, 999)
    assert c.bounded == Count.between(777, 999)
    assert "With the related figures as bounds, what is left is 777 to 999." in c.sentences()
    assert "Con las cifras relacionadas como cotas, queda de 777 a 999." in c.sentences("es")
    # an upper bound that cannot hold with the lower one: nothing is narrowed, and it is said
    broad = Report(
        "r3", "jep", day, [Tally("arbitrarily_detained", Count.parse("at most 700"), day)]
    )
    c2 = compare(attrs.evolve(ds, reports=(*ds.reports, broad)), "political_prisoners", day)
    assert c2.bounded == Count.between(777, 777)  # 700 contradicts the 777: not consistent
    # with no figure of the measure, the bounds alone
    only = attrs.evolve(ds, reports=(ds.reports[1],))
    c3 = compare(only, "political_prisoners", day)
    assert c3.considered == ()
    assert c3.bounded == Count.between(0, 999)
    assert "With no figure of the measure itself, the related figures leave 0 to 999." in (
        c3.sentences()
    )


def test_two_statements_of_one_source_are_named_and_not_called_relays() -> None:
    """Provea gives "nearly 50" and "about 40" at one cut-off: one claim of 45, which no
    statement gives, so both phrases are named, and neither is called a relay."""
    day = _FEB_1
    ds = _on_feb_1(
        ("provea", "political_prisoners", Count.parse("about 40")),
        ("provea", "political_prisoners", Count.parse("nearly 50")),
    )
    c = compare(ds, "political_prisoners", day)
    (claim,) = c.considered
    assert (claim.count.low, claim.count.high) == (45, 45)
    text = c.explain()
    assert '"nearly 50", narrowed by the statements merged into it.' in text
    assert 'Merged "about 40", also published by Provea, into 45 political prisoners' in text
    assert "relays" not in text
    es = c.explain("es")
    assert "«nearly 50», acotada por las cifras fusionadas con ella." in es
    assert "la fuente dio la cifra de ese corte más de una vez" in es


def test_bounded_says_when_the_best_figure_lies_outside_it() -> None:
    day = _FEB_1
    ds = _on_feb_1(
        ("foro-penal", "political_prisoners", Count.exact(750)),
        ("clippve", "arbitrarily_detained", Count.parse("about 700")),
    )
    c = compare(ds, "arbitrarily_detained", day)
    assert (c.best, c.bounded) == (700, Count.between(750, 750))
    assert c.sentences()[-1] == (
        "With the related figures as bounds, what is left is 750; the best figure, 700, lies "
        "outside it."
    )
