"""check(): consistency findings over a whole dataset."""

from __future__ import annotations

import itertools
import json
import pickle
import weakref
from collections.abc import Iterator
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vzdetain import (
    Basis,
    Count,
    Dataset,
    Qualifier,
    Report,
    Source,
    SourceKind,
    Tally,
    When,
    checks,
)
from vzdetain import testing as vzst
from vzdetain.checks import _sort_key, check, finding_key
from vzdetain.counts import SEVERAL_BOUNDS
from vzdetain.datasets import venezuela_2026_01
from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.model import TallyRef
from vzdetain.serialize import converter

TZ = "America/Caracas"
MEDIA = (Source("latin-times", "Latin Times", SourceKind.MEDIA),)
DAY = When.parse("2026-01-19")
CUTOFF = When.parse("2026-01-19T21:45-04:00")
JAN_8 = When.parse("2026-01-08")


def make(*reports: Report) -> Dataset:
    return Dataset(reports, sources=MEDIA)


def report(rid: str, publisher: str, *tallies: Tally, published: When | None = None) -> Report:
    return Report(rid, publisher, published or When.parse("2026-02-01"), tallies)


def t(measure: str, count: int | str, as_of: When = CUTOFF, **kw: Any) -> Tally:
    c = Count.exact(count) if isinstance(count, int) else Count.parse(count)
    return Tally(measure, c, as_of, **kw)


def kinds(findings: tuple[Finding, ...]) -> list[FindingKind]:
    return [f.kind for f in findings]


def test_bundled_example_is_consistent() -> None:
    assert check(venezuela_2026_01()) == ()


def test_narrower_above_broader() -> None:
    ds = make(
        report(
            "r1",
            "foro-penal",
            t("political_prisoners", 900),
            t("arbitrarily_detained", "fewer than 800", DAY),
        ),
        report("r2", "clippve", t("arbitrarily_detained", 850)),
    )
    found = check(ds)
    assert kinds(found) == [FindingKind.NARROWER_ABOVE_BROADER] * 2
    severities = sorted(f.severity.value for f in found)
    assert severities == ["error", "warning"]  # same source: error; across sources: warning
    (same,) = [f for f in found if f.severity is Severity.ERROR]
    assert [str(r) for r in same.tallies] == ["r1#0", "r1#1"]
    assert '"political prisoners" is a measure within "people arbitrarily detained"' in same.message


def test_no_finding_when_times_differ_or_bounds_allow() -> None:
    ds = make(
        report(
            "r1",
            "foro-penal",
            t("political_prisoners", 900),
            t("arbitrarily_detained", 800, When.parse("2026-01-20")),
            t("arbitrarily_detained", "more than 800", DAY),
        )
    )
    assert check(ds) == ()


def test_subgroup_above_total() -> None:
    ds = make(
        report(
            "r1",
            "foro-penal",
            t("political_prisoners", 100),
            t("political_prisoners", 120, subgroup={"sex": "female"}),
            t("political_prisoners", 130, subgroup={"sex": "female", "age": "minor"}),
        )
    )
    found = check(ds)
    assert kinds(found) == [FindingKind.SUBGROUP_ABOVE_TOTAL] * 3
    assert all(f.severity is Severity.ERROR for f in found)
    assert any("(sex=female) is part of everyone" in f.message for f in found)
    assert any("larger group (sex=female)" in f.message for f in found)


def test_cumulative_flow_decreasing() -> None:
    ds = make(
        report(
            "r1",
            "foro-penal",
            t("releases", 143, period_start=JAN_8),
            t("releases", "about 150", When.parse("2026-01-15"), period_start=JAN_8),
            t("releases", 160, When.parse("2026-01-17"), period_start=JAN_8),
            t("releases", 10, When.parse("2026-01-17"), period_start=When.parse("2026-01-12")),
        )
    )
    (found,) = check(ds)
    assert found.kind is FindingKind.CUMULATIVE_DECREASE
    assert found.severity is Severity.ERROR
    assert "went down from 160 on 17 Jan 2026 to 143 at 19 Jan 2026 21:45" in found.message


def test_negative_derived_flow() -> None:
    ds = make(
        report(
            "r1",
            "foro-penal",
            t("releases", 100, period_start=JAN_8),
            t("releases", "more than 120", period_start=When.parse("2026-01-12")),
            t("releases", 0, period_start=When.parse("2026-01-18")),
        )
    )
    (found,) = check(ds)
    assert found.kind is FindingKind.NEGATIVE_DERIVED_FLOW
    assert "below zero" in found.message
    assert "-∞ or fewer" not in found.message


def test_spanish_counts_agree_with_the_measure_in_findings() -> None:
    later = When.parse("2026-01-12")
    derived = make(
        report(
            "r1",
            "foro-penal",
            t("releases", "about 100", period_start=JAN_8),
            t("releases", "about 160", period_start=later),
        )
    )
    (found,) = check(derived)
    assert found.kind is FindingKind.NEGATIVE_DERIVED_FLOW
    assert ": unas 100 desde el 8 ene 2026 pero unas 160 desde el 12 ene 2026" in found.text("es")
    decrease = make(
        report("r1", "foro-penal", t("releases", "about 160", period_start=JAN_8)),
        report(
            "r2",
            "foro-penal",
            t("releases", "about 100", When.parse("2026-01-20"), period_start=JAN_8),
        ),
    )
    (found,) = check(decrease)
    assert found.kind is FindingKind.CUMULATIVE_DECREASE
    assert "bajó de unas 160 " in found.text("es")


def test_relays_disagree() -> None:
    ds = make(
        report("fp", "foro-penal", t("political_prisoners", 777)),
        report(
            "lt",
            "latin-times",
            t("political_prisoners", 787, source="foro-penal"),
            t("political_prisoners", "nearly 800", source="foro-penal"),
        ),
    )
    (found,) = check(ds)
    assert found.kind is FindingKind.RELAYS_DISAGREE
    assert len(found.tallies) == 3
    assert "777 (published by Foro Penal)" in found.message
    assert "787 (published by Latin Times)" in found.message


def test_relays_name_the_figure_once_whatever_the_count() -> None:
    """The figure is named without its count, however many words the count has."""
    ds = make(
        report("fp", "foro-penal", t("releases", "hundreds", period_start=JAN_8)),
        report(
            "lt",
            "latin-times",
            t("releases", "about 1,500", period_start=JAN_8, source="foro-penal"),
        ),
    )
    (found,) = check(ds)
    assert found.kind is FindingKind.RELAYS_DISAGREE
    assert "the figure of releases from 8 Jan 2026 to 19 Jan 2026 21:45 according to" in (
        found.message
    )
    es = found.text("es")
    assert "la cifra de excarcelaciones del 8 ene 2026 al 19 ene 2026 21:45 según" in es
    assert "unas 1.500 (publicada por Latin Times)" in es


def test_as_of_after_publication() -> None:
    early = When.parse("2026-01-18")
    ds = make(
        report("r1", "foro-penal", t("political_prisoners", 777), published=early),
        report(
            "r2",
            "foro-penal",
            t("releases", 300, period_start=JAN_8, basis=Basis.PLANNED),
            t("political_prisoners", 777, When.parse("2026-01-18T10:00-04:00")),
            published=early,
        ),
    )
    (found,) = check(ds)
    assert found.kind is FindingKind.AS_OF_AFTER_PUBLICATION
    assert [str(r) for r in found.tallies] == ["r1#0"]
    assert "after its report r1 was published (18 Jan 2026)" in found.message


def test_stock_flow_residual() -> None:
    dec_1, jan_1 = When.parse("2025-12-01"), When.parse("2026-01-01")
    tallies = [
        t("political_prisoners", 900, dec_1),
        t("political_prisoners", 780, jan_1),
        t("releases", 150, jan_1, period_start=dec_1),
        t("newly_documented", 40, jan_1, period_start=dec_1),
    ]
    (found,) = check(make(report("r1", "foro-penal", *tallies)))
    assert found.kind is FindingKind.STOCK_FLOW_RESIDUAL
    assert found.severity is Severity.WARNING
    assert found.message.endswith(
        "with 150 releases and 40 newly documented detentions, -10 is left unexplained: "
        "the end figure is 10 below what the start figure and the flows imply."
    )
    assert found.text("es").endswith(
        "quedan -10 sin explicar: la cifra final está 10 por debajo de lo que implican la "
        "inicial y los flujos."
    )
    assert len(found.tallies) == 4
    # a residual that may be zero, or stocks without any flow, are no finding
    vague = attrs.evolve(tallies[2], count=Count.parse("about 160"))
    assert check(make(report("r1", "foro-penal", *tallies[:2], vague, tallies[3]))) == ()
    assert check(make(report("r1", "foro-penal", *tallies[:2]))) == ()


def test_findings_are_sorted_and_serialise() -> None:
    ds = make(
        report("b", "foro-penal", t("political_prisoners", 100, DAY), published=JAN_8),
        report(
            "a",
            "foro-penal",
            t("political_prisoners", 120, subgroup={"sex": "female"}),
            t("arbitrarily_detained", 50),
        ),
    )
    found = check(ds)
    order = list(FindingKind)
    assert [order.index(k) for k in kinds(found)] == sorted(order.index(k) for k in kinds(found))
    assert set(kinds(found)) == {
        FindingKind.NARROWER_ABOVE_BROADER,
        FindingKind.SUBGROUP_ABOVE_TOTAL,
        FindingKind.AS_OF_AFTER_PUBLICATION,
    }
    data = json.loads(json.dumps(converter.unstructure(found)))
    assert data[0]["kind"] == "narrower_above_broader"
    assert data[0]["tallies"][0]["report"] == "a"


# ---------------------------------------------------------------------- generated datasets

T0 = pendulum.datetime(2025, 3, 1, 21, tz=TZ)
ZONES = (TZ, "UTC", "Asia/Kolkata")
FLOWS = ("releases", "arrests", "newly_documented")


@st.composite
def wrapped(draw: st.DrawFn, truth: int) -> Count:
    """A stated count the true value satisfies."""
    k = draw(st.integers(0, 30))
    options = ["exact", "at_least", "at_most", "nearly"]
    if truth >= 1:
        options.append("about")
    if truth >= 2:
        options.append("many")
    options += [w for w, (lo, hi) in SEVERAL_BOUNDS.items() if lo <= truth <= hi]
    q = draw(st.sampled_from(options))
    if q == "exact":
        return Count.exact(truth)
    if q == "at_least":
        return Count.of(Qualifier.AT_LEAST, max(0, truth - k))
    if q == "at_most":
        return Count.of(Qualifier.AT_MOST, truth + k)
    if q == "nearly":
        return Count.of(Qualifier.NEARLY, truth + 1)
    if q == "about":
        return Count.of(Qualifier.ABOUT, truth)
    if q == "many":
        return Count.of(Qualifier.MANY)
    return Count.of(Qualifier.SEVERAL, word=q)


@st.composite
def consistent_datasets(draw: st.DrawFn) -> Dataset:
    """Figures derived from a history in which every change is explained by reported flows.

    Foro Penal reports stocks, cumulative flows since one or two starts (or direct flows
    between its cut-offs) and a subgroup; Clippve a broader measure at the same cut-offs;
    a news outlet relays some figures with other wordings. Every count contains the truth.
    """
    days = draw(st.integers(2, 10))
    stock = [draw(st.integers(0, 1_500))]
    moves: dict[str, list[int]] = {m: [] for m in FLOWS}
    reported = {m: draw(st.booleans()) for m in FLOWS}
    for _ in range(days):
        step = {
            "releases": draw(st.integers(0, min(stock[-1], 30))),
            "arrests": draw(st.integers(0, 20)),
            "newly_documented": draw(st.integers(0, 8)),
        }
        for m in FLOWS:
            moves[m].append(step[m] if reported[m] else 0)
        stock.append(stock[-1] - moves["releases"][-1] + moves["arrests"][-1])
        stock[-1] += moves["newly_documented"][-1]
    cut = [
        When.instant(T0.add(days=d).in_tz(draw(st.sampled_from(ZONES)))) for d in range(days + 1)
    ]
    at = sorted(draw(st.sets(st.integers(0, days), min_size=1, max_size=5)))
    fp: list[tuple[Tally, int]] = []
    cl: list[Tally] = []
    for k in at:
        fp.append((Tally("political_prisoners", draw(wrapped(stock[k])), cut[k]), stock[k]))
        women = draw(st.integers(0, stock[k]))
        women_count = draw(wrapped(women))
        fp.append(
            (Tally("political_prisoners", women_count, cut[k], subgroup={"sex": "female"}), women)
        )
        broader = stock[k] + draw(st.integers(0, 600))
        cl.append(Tally("arbitrarily_detained", draw(wrapped(broader)), cut[k]))
    for m in FLOWS:
        if not reported[m]:
            continue
        if draw(st.booleans()):  # cumulative since one or two starts
            for start in sorted({0, draw(st.integers(0, days))}):
                for k in at:
                    if k > start:
                        n = sum(moves[m][start:k])
                        tally = Tally(m, draw(wrapped(n)), cut[k], period_start=cut[start])
                        fp.append((tally, n))
        else:  # direct flows between successive cut-offs
            for i, j in itertools.pairwise(at):
                n = sum(moves[m][i:j])
                fp.append((Tally(m, draw(wrapped(n)), cut[j], period_start=cut[i]), n))
    relays = [
        attrs.evolve(x, count=draw(wrapped(n)), source="foro-penal")
        for x, n in draw(st.lists(st.sampled_from(fp), max_size=4))
    ]
    published = When.day(T0.add(days=days + 1).date(), TZ)
    reports = [
        Report("fp", "foro-penal", published, [x for x, _ in fp]),
        Report("cl", "clippve", published, cl),
    ]
    if relays:
        reports.append(Report("lt", "latin-times", published, relays))
    return make(*reports)


def _plant(kind: FindingKind, n: int) -> list[Report]:
    """Reports from a source the consistent data never uses, with one fault of ``kind``."""
    at = When.instant(pendulum.datetime(2031, 5, 1, 12, tz=TZ))
    later = When.instant(pendulum.datetime(2031, 5, 11, 12, tz=TZ))
    since = When.day(pendulum.date(2031, 4, 1), TZ)
    pub = When.day(pendulum.date(2031, 6, 1), TZ)
    pp, rel = "political_prisoners", "releases"

    def jep(*tallies: Tally, published: When = pub, rid: str = "jep") -> Report:
        return Report(rid, "jep", published, tallies)

    if kind is FindingKind.NARROWER_ABOVE_BROADER:
        return [
            jep(
                Tally(pp, Count.exact(n + 5), at), Tally("arbitrarily_detained", Count.exact(n), at)
            )
        ]
    if kind is FindingKind.SUBGROUP_ABOVE_TOTAL:
        return [
            jep(
                Tally(pp, Count.exact(n), at),
                Tally(pp, Count.exact(n + 1), at, subgroup={"age": "minor"}),
            )
        ]
    if kind is FindingKind.CUMULATIVE_DECREASE:
        return [
            jep(
                Tally(rel, Count.exact(n + 3), at, period_start=since),
                Tally(rel, Count.exact(n), later, period_start=since),
            )
        ]
    if kind is FindingKind.NEGATIVE_DERIVED_FLOW:
        mid = When.day(pendulum.date(2031, 4, 20), TZ)
        return [
            jep(
                Tally(rel, Count.exact(n), at, period_start=since),
                Tally(rel, Count.exact(n + 2), at, period_start=mid),
            )
        ]
    if kind is FindingKind.RELAYS_DISAGREE:
        relay = Report(
            "lt-jep", "latin-times", pub, [Tally(pp, Count.exact(n + 9), at, source="jep")]
        )
        return [jep(Tally(pp, Count.exact(n), at)), relay]
    if kind is FindingKind.AS_OF_AFTER_PUBLICATION:
        return [
            jep(Tally(pp, Count.exact(n), later), published=When.day(pendulum.date(2031, 5, 2), TZ))
        ]
    assert kind is FindingKind.STOCK_FLOW_RESIDUAL
    return [
        jep(
            Tally(pp, Count.exact(n), at),
            Tally(pp, Count.exact(n + 40), later),
            Tally(rel, Count.exact(0), later, period_start=at),
        )
    ]


PLANTABLE = [k for k in FindingKind if k is not FindingKind.RELEASE_DURING_STALL]


@given(consistent_datasets())
def test_nothing_found_in_consistent_data(ds: Dataset) -> None:
    assert check(ds) == ()


@settings(max_examples=100)
@given(consistent_datasets(), st.sampled_from(PLANTABLE), st.integers(0, 5_000))
def test_a_planted_fault_is_found(ds: Dataset, kind: FindingKind, n: int) -> None:
    planted = make(*ds.reports, *_plant(kind, n))
    found = check(planted)
    expected = {kind}
    if kind is FindingKind.NEGATIVE_DERIVED_FLOW and n == 0:
        # "0 since 1 Apr" rules out any release from 1 Apr, yet "2 since 20 Apr" places
        # two after 20 Apr: a release during a stall as well, rightly reported
        expected.add(FindingKind.RELEASE_DURING_STALL)
    assert {f.kind for f in found} == expected
    assert all(any(r.tally.source == "jep" for r in f.tallies) for f in found)


def _projection(found: tuple[Finding, ...]) -> list[Any]:
    return sorted(
        (f.kind.value, f.severity.value, f.message, sorted(repr(r.tally) for r in f.tallies))
        for f in found
    )


@settings(max_examples=60)
@given(vzst.datasets(max_reports=4), st.randoms(use_true_random=False))
def test_check_on_arbitrary_data(ds: Dataset, rnd: Any) -> None:
    found = check(ds)
    assert check(ds) == found
    assert list(found) == sorted(found, key=finding_key)
    order = list(FindingKind)
    assert [order.index(f.kind) for f in found] == sorted(order.index(f.kind) for f in found)
    json.dumps(converter.unstructure(found))
    reports = [attrs.evolve(r, tallies=rnd.sample(r.tallies, len(r.tallies))) for r in ds.reports]
    shuffled = attrs.evolve(ds, reports=rnd.sample(reports, len(reports)))
    assert _projection(check(shuffled)) == _projection(found)


@pytest.mark.parametrize("kind", PLANTABLE)
def test_each_planted_fault_alone(kind: FindingKind) -> None:
    found = check(make(*_plant(kind, 10)))
    assert [f.kind for f in found] == [kind]


_REPORT_IDS = st.sampled_from(("a", "a-1", "a.1", "b", "ab", "B", "a0"))
_PLACES = st.lists(st.tuples(_REPORT_IDS, st.integers(0, 300)), max_size=4)


@given(
    st.lists(
        st.tuples(st.sampled_from(list(FindingKind)), _PLACES, st.sampled_from(("", "x", "y"))),
        min_size=2,
        max_size=8,
    )
)
def test_the_sort_key_of_check_orders_as_finding_key(specs: list[Any]) -> None:
    """check() sorts by a flat tuple that must order findings as finding_key does."""
    tally = t("political_prisoners", 1)
    findings = [
        Finding(kind, Severity.ERROR, message, tuple(TallyRef(r, i, "x", tally) for r, i in places))
        for kind, places, message in specs
    ]
    for f, g in itertools.combinations(findings, 2):
        assert (_sort_key(f) < _sort_key(g)) == (finding_key(f) < finding_key(g))
        assert (_sort_key(f) == _sort_key(g)) == (finding_key(f) == finding_key(g))


def test_findings_of_every_kind_pickle_with_every_protocol() -> None:
    # "2 since 20 Apr" after "0 since 1 Apr" is also a release during a stall: every kind
    found = [f for kind in PLANTABLE for f in check(make(*_plant(kind, 0)))]
    assert {f.kind for f in found} == set(FindingKind)
    for f in found:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(f, protocol))
            assert back == f
            assert (back.text("en"), back.text("es")) == (f.message, f.text("es"))


def test_check_holds_one_stock_flow_engine_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    built = checks._engines
    seen: list[weakref.ref[Any]] = []

    def watched(*args: Any) -> Iterator[Any]:
        for engine in built(*args):
            assert all(ref() is None for ref in seen), "an earlier engine is still alive"
            seen.append(weakref.ref(engine))
            yield engine
            del engine

    monkeypatch.setattr(checks, "_engines", watched)
    planted = _plant(FindingKind.STOCK_FLOW_RESIDUAL, 3)
    women = [  # the same figures for a group: a second source and group, a second engine
        attrs.evolve(
            r,
            id=f"{r.id}-women",
            tallies=[attrs.evolve(x, subgroup={"sex": "female"}) for x in r.tallies],
        )
        for r in planted
    ]
    ds = make(*planted, *women)
    assert FindingKind.STOCK_FLOW_RESIDUAL in {f.kind for f in check(ds)}
    assert len(seen) >= 2


def _flows(narrow_cut: str, broad_cut: str) -> Dataset:
    def flow(measure: str, n: int, cut: str) -> Tally:
        return Tally(
            measure, Count.exact(n), When.parse(cut), period_start=When.parse("2026-01-08")
        )

    tallies = (flow("full_releases", 20, narrow_cut), flow("releases", 10, broad_cut))
    return Dataset((Report("fp", "foro-penal", When.parse("2026-01-21"), tallies),))


def test_a_narrower_flow_counted_to_a_day_may_run_past_a_broader_one_at_an_instant() -> None:
    """20 full releases to 19 January (any time that day) and 10 releases to 21:45 that day:
    ten more releases before midnight make both true, so no error."""
    assert check(_flows("2026-01-19", "2026-01-19T21:45-04:00")) == ()
    # the other way round, the narrower period ends first: certainly above
    (f,) = check(_flows("2026-01-19T21:45-04:00", "2026-01-19"))
    assert (f.kind, f.severity) == (FindingKind.NARROWER_ABOVE_BROADER, Severity.ERROR)
    (f,) = check(_flows("2026-01-19", "2026-01-19"))  # the same cut-off
    assert f.kind is FindingKind.NARROWER_ABOVE_BROADER
