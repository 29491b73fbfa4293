"""stock_flow() and roll_forward(): the residual a source's own figures leave unexplained."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vzdetain import (
    Basis,
    Count,
    Dataset,
    Measure,
    MeasureKind,
    Qualifier,
    Report,
    Source,
    SourceKind,
    Tally,
    When,
)
from vzdetain.checks import check
from vzdetain.counts import SEVERAL_BOUNDS
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import NaiveDatetimeError, UnknownReferenceError, ValidationError
from vzdetain.reconcile import Words
from vzdetain.serialize import converter
from vzdetain.stockflow import FlowMethod, _gap_text, roll_forward, stock_flow

TZ = "America/Caracas"
DEC_1 = When.parse("2025-12-01")
JAN_1 = When.parse("2026-01-01")
MEDIA = (Source("latin-times", "Latin Times", SourceKind.MEDIA),)


def make(*tallies: Tally, publisher: str = "foro-penal") -> Dataset:
    return Dataset([Report("r1", publisher, When.parse("2026-02-01"), tallies)], sources=MEDIA)


def stock(n: int, as_of: When, **kw: Any) -> Tally:
    return Tally("political_prisoners", Count.exact(n), as_of, **kw)


def flow(measure: str, n: int | str, since: When, as_of: When, **kw: Any) -> Tally:
    c = Count.exact(n) if isinstance(n, int) else Count.parse(n)
    return Tally(measure, c, as_of, period_start=since, **kw)


def design_example() -> Dataset:
    return make(
        stock(900, DEC_1),
        stock(780, JAN_1),
        flow("releases", 150, DEC_1, JAN_1),
        flow("newly_documented", 40, DEC_1, JAN_1),
    )


def test_design_example_leaves_minus_ten() -> None:
    sf = stock_flow(design_example(), "foro-penal", "2025-12-01", "2026-01-01")
    assert sf.residual is not None
    assert (sf.residual.low, sf.residual.high) == (-10, -10)
    assert sf.implied is not None
    assert (sf.implied.low, sf.implied.high) == (790, 790)
    assert sf.start_stock is not None
    assert sf.end_stock is not None
    assert sf.start_stock.count == Count.exact(900)
    assert sf.end_stock.count == Count.exact(780)
    terms = {t.measure: t for t in sf.flows}
    assert [t.measure for t in sf.flows] == ["releases", "arrests", "newly_documented"]
    assert terms["releases"].sign == -1
    assert terms["releases"].count == Count.exact(150)
    assert terms["releases"].evidence[0].method is FlowMethod.DIRECT
    assert not terms["arrests"].reported
    assert terms["arrests"].count == Count.exact(0)
    assert f"leave -10 unexplained: {EN_GAP}" in sf.explain()
    assert f"dejan -10 sin explicar: {ES_GAP}" in sf.explain("es")


EN, ES = Words("America/Caracas", {}, "en"), Words("America/Caracas", {}, "es")
EN_GAP = "the end figure is 10 below that."
ES_GAP = "la cifra final está 10 por debajo de esa."


@pytest.mark.parametrize(
    ("low", "high", "en", "es"),
    [
        (-10, -10, "10 below", "10 por debajo"),
        (5, 5, "5 above", "5 por encima"),
        (-1_345, -20, "20 to 1,345 below", "entre 20 y 1.345 por debajo"),
        (3, 40, "3 to 40 above", "entre 3 y 40 por encima"),
        (None, -7, "at least 7 below", "al menos 7 por debajo"),
        (2_400, None, "at least 2,400 above", "al menos 2.400 por encima"),
    ],
)
def test_a_residual_says_which_way_the_stock_misses(
    low: int | None, high: int | None, en: str, es: str
) -> None:
    assert _gap_text(EN, low, high) == (
        f": the end figure is {en} what the start figure and the flows imply"
    )
    assert _gap_text(ES, low, high) == (
        f": la cifra final está {es} de lo que implican la inicial y los flujos"
    )
    assert _gap_text(EN, low, high, named=True) == f": the end figure is {en} that"
    assert _gap_text(ES, low, high, named=True) == f": la cifra final está {es} de esa"


@given(
    st.one_of(st.none(), st.integers(-(10**6), 10**6)),
    st.one_of(st.none(), st.integers(-(10**6), 10**6)),
)
def test_the_direction_is_said_exactly_when_the_residual_cannot_be_zero(
    low: int | None, high: int | None
) -> None:
    if low is not None and high is not None and low > high:
        low, high = high, low
    text = _gap_text(EN, low, high)
    may_be_zero = (low is None or low <= 0) and (high is None or high >= 0)
    assert (text == "") is may_be_zero
    if not may_be_zero:
        assert ("above" in text) is (low is not None and low > 0)
        nearest = low if low is not None and low > 0 else -high  # type: ignore[operator]
        assert f" {EN.number(nearest)} " in text


def test_a_residual_that_may_be_zero_gets_no_direction() -> None:
    ds = make(
        stock(900, DEC_1),
        Tally("political_prisoners", Count.parse("nearly 800"), JAN_1),
        flow("releases", 150, DEC_1, JAN_1),
        flow("newly_documented", 40, DEC_1, JAN_1),
    )
    text = stock_flow(ds, "foro-penal", "2025-12-01", "2026-01-01").explain()
    assert "-40 to 9 unexplained, which may be zero." in text
    assert "the end figure is" not in text


def test_stocks_are_the_latest_at_or_before_each_time() -> None:
    ds = design_example()
    sf = stock_flow(ds, "foro-penal", dt.date(2025, 12, 20), pendulum.datetime(2026, 1, 5, tz=TZ))
    assert sf.start_stock is not None
    assert sf.start_stock.as_of == DEC_1
    assert sf.end_stock is not None
    assert sf.end_stock.as_of == JAN_1
    same = stock_flow(ds, "foro-penal", "2025-12-05", "2025-12-20")
    assert same.residual == Count.between(0, 0, stated=0)
    assert all(not t.reported for t in same.flows)
    assert "same cut-off" in same.explain()
    early = stock_flow(ds, "foro-penal", "2025-11-01", "2026-01-01")
    assert early.start_stock is None
    assert early.residual is None
    assert "No stock at or before 1 Nov 2025" in early.explain()


def test_cumulative_figures_are_differenced() -> None:
    jan_8, jan_12 = When.parse("2026-01-08"), When.parse("2026-01-12")
    cutoff = When.parse("2026-01-19T21:45-04:00")
    ds = make(
        stock(820, jan_12),
        stock(777, cutoff),
        flow("releases", 100, jan_8, jan_12),
        flow("releases", "more than 140", jan_8, cutoff),
    )
    sf = stock_flow(ds, "foro-penal", "2026-01-12", cutoff)
    (releases,) = [t for t in sf.flows if t.measure == "releases"]
    (ev,) = releases.evidence
    assert ev.method is FlowMethod.DIFFERENCE
    assert [c.as_of for c in ev.claims] == [jan_12, cutoff]
    assert (releases.count.low, releases.count.high) == (41, None)
    assert sf.residual is not None
    assert (sf.residual.low, sf.residual.high) == (-2, None)
    assert "difference between the cumulative figures" in sf.explain()


def test_disagreeing_evidence_is_marked() -> None:
    ds = make(
        stock(900, DEC_1),
        stock(780, JAN_1),
        flow("releases", 150, DEC_1, JAN_1),
        flow("releases", 100, When.parse("2025-11-01"), DEC_1),
        flow("releases", 260, When.parse("2025-11-01"), JAN_1),
    )
    sf = stock_flow(ds, "foro-penal", DEC_1, JAN_1)
    (releases,) = [t for t in sf.flows if t.measure == "releases"]
    assert not releases.consistent
    assert (releases.count.low, releases.count.high) == (150, 160)
    assert "the figures disagree" in sf.explain()


def test_relays_count_once() -> None:
    ds = Dataset(
        [
            Report("fp", "foro-penal", When.parse("2026-01-02"), [stock(900, DEC_1)]),
            Report(
                "lt",
                "latin-times",
                When.parse("2026-01-02"),
                [
                    Tally(
                        "political_prisoners", Count.parse("nearly 800"), JAN_1, source="foro-penal"
                    ),
                    stock(780, JAN_1, source="foro-penal"),
                ],
            ),
        ],
        sources=MEDIA,
    )
    sf = stock_flow(ds, "foro-penal", DEC_1, JAN_1)
    assert sf.end_stock is not None
    (claim,) = sf.end_stock.claims
    assert claim.publishers == ("latin-times",)
    assert sf.end_stock.count == Count.exact(780)


def test_the_bundled_example() -> None:
    ds = venezuela_2026_01()
    sf = stock_flow(ds, "foro-penal", "2026-01-08", pendulum.datetime(2026, 1, 19, 23, tz=TZ))
    assert sf.start_stock is None
    assert sf.end_stock is not None
    assert sf.end_stock.count == Count.exact(777)
    assert sf.residual is None
    (releases,) = [t for t in sf.flows if t.measure == "releases"]
    assert releases.count == Count.exact(143)
    # the 0 since Saturday is not over the span and is not used
    assert [c.count for ev in releases.evidence for c in ev.claims] == [Count.exact(143)]


def test_roll_forward() -> None:
    dec_15 = When.parse("2025-12-15")
    ds = make(
        stock(900, DEC_1),
        flow("releases", "about 50", DEC_1, dec_15),
        flow("arrests", 7, DEC_1, dec_15),
    )
    rf = roll_forward(ds, "foro-penal", dec_15)
    assert rf.start_stock is not None
    assert rf.start_stock.as_of == DEC_1
    assert rf.end_stock is None
    assert rf.residual is None
    assert rf.implied is not None
    assert (rf.implied.low, rf.implied.high) == (900 - 55 + 7, 900 - 45 + 7)
    assert "The stock implied at 15 Dec 2025 is 852 to 862." in rf.explain()
    assert rf.explain("es")
    none = roll_forward(ds, "foro-penal", "2025-11-01")
    assert none.start_stock is None
    assert none.implied is None


def test_json_of_results() -> None:
    for value in (
        stock_flow(design_example(), "foro-penal", DEC_1, JAN_1),
        roll_forward(design_example(), "foro-penal", "2026-01-10"),
        stock_flow(venezuela_2026_01(), "foro-penal", "2026-01-08", "2026-01-20"),
    ):
        data = json.loads(json.dumps(converter.unstructure(value)))
        assert data["source"] == "foro-penal"
        assert isinstance(data["flows"], list)


@pytest.mark.parametrize(
    ("kwargs", "error", "where"),
    [
        ({"source": "nobody"}, ValidationError, "source"),
        ({"measure": "releases"}, ValidationError, "measure"),
        ({"measure": "nothing"}, UnknownReferenceError, "measure"),
        ({"inflows": ["political_prisoners"]}, ValidationError, "inflows[0]"),
        ({"outflows": ["releases", "arrests"]}, ValidationError, "outflows"),
        ({"start": "2026-01-02", "end": "2026-01-01"}, ValidationError, "end"),
        ({"start": dt.datetime(2026, 1, 1)}, NaiveDatetimeError, "start"),
        ({"end": "soon"}, ValidationError, "end"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], error: type[Exception], where: str) -> None:
    args: dict[str, Any] = {"source": "foro-penal", "start": DEC_1, "end": JAN_1}
    args.update(kwargs)
    with pytest.raises(error) as info:
        stock_flow(design_example(), **args)
    assert isinstance(info.value, ValidationError)
    assert info.value.where == where


# ---------------------------------------------------------------------- a generated history

T0 = pendulum.datetime(2025, 6, 1, 21, tz=TZ)
ZONES = (TZ, "UTC", "Asia/Kathmandu", "America/St_Johns")
FLOWS = ("releases", "arrests", "newly_documented")


@st.composite
def wrapped(draw: st.DrawFn, truth: int) -> Count:
    """A stated count that the true value satisfies, with any qualifier."""
    k = draw(st.integers(0, 40))
    options = ["exact", "at_least", "at_most", "fewer_than", "nearly"]
    if truth >= 1:
        options.append("about")
    if truth >= k + 1:
        options.append("more_than")
    if truth >= 2:
        options.append("many")
    options += [w for w, (lo, hi) in SEVERAL_BOUNDS.items() if lo <= truth <= hi]
    q = draw(st.sampled_from(options))
    if q == "exact":
        c = Count.exact(truth)
    elif q == "at_least":
        c = Count.of(Qualifier.AT_LEAST, max(0, truth - k))
    elif q == "more_than":
        c = Count.of(Qualifier.MORE_THAN, truth - k - 1)
    elif q == "at_most":
        c = Count.of(Qualifier.AT_MOST, truth + k)
    elif q == "fewer_than":
        c = Count.of(Qualifier.FEWER_THAN, truth + k + 1)
    elif q == "nearly":
        c = Count.of(Qualifier.NEARLY, truth + 1)
    elif q == "about":
        c = Count.of(Qualifier.ABOUT, truth)
    elif q == "many":
        c = Count.of(Qualifier.MANY)
    else:
        c = Count.of(Qualifier.SEVERAL, word=q)
    assert truth in c
    return c


@st.composite
def cutoff(draw: st.DrawFn, day: int) -> When:
    return When.instant(T0.add(days=day).in_tz(draw(st.sampled_from(ZONES))))


@attrs.frozen
class History:
    """A true history and the figures one source published about it."""

    dataset: Dataset
    cuts: list[When]
    stocks: list[int]
    flows: dict[str, list[int]]
    modes: dict[str, str]
    direct: dict[str, set[tuple[int, int]]]
    reported_at: list[int]


@st.composite
def histories(draw: st.DrawFn, *, unexplained: bool = True) -> History:
    days = draw(st.integers(2, 12))
    stocks = [draw(st.integers(0, 2_000))]
    flows: dict[str, list[int]] = {m: [] for m in FLOWS}
    modes = {m: draw(st.sampled_from(("none", "direct", "cumulative"))) for m in FLOWS}
    for _ in range(days):
        moves = {
            "releases": draw(st.integers(0, min(stocks[-1], 40))),
            "arrests": draw(st.integers(0, 30)),
            "newly_documented": draw(st.integers(0, 10)),
        }
        other = draw(st.integers(-5, 5)) if unexplained else 0
        nxt = stocks[-1] - moves["releases"] + moves["arrests"] + moves["newly_documented"] + other
        for m in FLOWS:
            flows[m].append(moves[m])
        stocks.append(max(0, nxt))
    cuts = [draw(cutoff(d)) for d in range(days + 1)]
    at = sorted(draw(st.sets(st.integers(0, days), min_size=2, max_size=6)))
    figures: list[tuple[Tally, int]] = []
    for k in at:
        figures.append((Tally("political_prisoners", draw(wrapped(stocks[k])), cuts[k]), stocks[k]))
    direct: dict[str, set[tuple[int, int]]] = {m: set() for m in FLOWS}
    for m in FLOWS:
        values = flows[m]
        if modes[m] == "direct":
            direct[m] = set(itertools.pairwise(at))
            if draw(st.booleans()):
                direct[m].add((at[0], at[-1]))
            for i, j in sorted(direct[m]):
                n = sum(values[i:j])
                figures.append((Tally(m, draw(wrapped(n)), cuts[j], period_start=cuts[i]), n))
        elif modes[m] == "cumulative":
            start = draw(st.integers(0, at[0]))
            for k in sorted({*at, draw(st.integers(0, days))}):
                if k > start:
                    n = sum(values[start:k])
                    tally = Tally(m, draw(wrapped(n)), cuts[k], period_start=cuts[start])
                    figures.append((tally, n))
    own = [t for t, _ in figures]
    relays = [
        attrs.evolve(t, count=draw(wrapped(n)), source="foro-penal")
        for t, n in draw(st.lists(st.sampled_from(figures), max_size=4))
    ]
    published = When.day(T0.add(days=days + 1).date(), TZ)
    reports = [Report("fp", "foro-penal", published, own)]
    if relays:
        reports.append(Report("lt", "latin-times", published, relays))
    return History(Dataset(reports, sources=MEDIA), cuts, stocks, flows, modes, direct, at)


@given(histories(), st.data())
def test_residual_contains_the_true_unexplained_change(h: History, data: st.DataObject) -> None:
    i, j = sorted(
        data.draw(st.lists(st.sampled_from(h.reported_at), min_size=2, max_size=2, unique=True))
    )
    sf = stock_flow(h.dataset, "foro-penal", h.cuts[i], h.cuts[j])
    expected = h.stocks[j] - h.stocks[i]
    for term in sf.flows:
        true_flow = sum(h.flows[term.measure][i:j])
        mode = h.modes[term.measure]
        pairs = h.direct[term.measure]
        # a direct figure for the span, or two with one period start, ending at i and at j
        # (their difference, as for cumulative figures)
        reported = mode == "cumulative" or (
            mode == "direct"
            and ((i, j) in pairs or any((k, i) in pairs and (k, j) in pairs for k in range(i)))
        )
        assert term.reported == reported, (term, mode)
        if reported:
            assert true_flow in term.count
            assert term.consistent
            expected += true_flow if term.sign < 0 else -true_flow
    assert sf.residual is not None
    assert expected in sf.residual
    assert sf.explain()


def test_spanish_flow_lines_agree_with_the_measure() -> None:
    ds = make(
        stock(900, DEC_1),
        stock(780, JAN_1),
        flow("releases", "about 150", DEC_1, JAN_1),
    )
    text = stock_flow(ds, "foro-penal", "2025-12-01", "2026-01-01").explain("es")
    assert "Excarcelaciones (resta): unas 150, informado del" in text
    nov_1 = When.parse("2025-11-01")
    cumulative = make(
        stock(900, DEC_1),
        stock(780, JAN_1),
        flow("releases", "about 100", nov_1, DEC_1),
        flow("releases", "about 250", nov_1, JAN_1),
    )
    text = stock_flow(cumulative, "foro-penal", "2025-12-01", "2026-01-01").explain("es")
    assert "acumuladas desde el 1 nov 2025: unas 100 el 1 dic 2025 y unas 250 el 1 ene" in text


def _foro(*tallies: Tally, measures: Sequence[Measure] = ()) -> Dataset:
    """A dataset of one Foro Penal report carrying ``tallies``."""
    report = Report("fp", "foro-penal", When.parse("2026-02-01"), list(tallies))
    return Dataset([report], measures=measures)


def test_planned_flows_take_no_part_and_nested_flows_are_refused() -> None:
    dec, jan = When.parse("2025-12-01"), When.parse("2026-01-01")
    planned = _foro(
        Tally("political_prisoners", Count.exact(900), dec),
        Tally("political_prisoners", Count.exact(900), jan),
        Tally(
            "releases",
            Count.exact(300),
            jan,
            period_start=dec,
            basis=Basis.PLANNED,
        ),
    )
    residual = stock_flow(planned, "foro-penal", dec, jan).residual
    assert residual is not None
    assert (residual.low, residual.high) == (0, 0)
    assert check(planned) == ()
    nested = _foro(
        Tally("political_prisoners", Count.exact(900), dec),
        Tally("political_prisoners", Count.exact(750), jan),
        Tally("releases", Count.exact(150), jan, period_start=dec),
        Tally("full_releases", Count.exact(30), jan, period_start=dec),
    )
    with pytest.raises(ValidationError, match=r"outflows\[1\]: lies within releases"):
        stock_flow(nested, "foro-penal", dec, jan, outflows=("releases", "full_releases"))


def test_check_balances_no_narrower_stock_against_everyone_s_flows() -> None:
    """Military political prisoners 100 → 95 while 120 political prisoners were released:
    no residual (the total balances: 900 → 780)."""
    dec, jan = When.parse("2025-12-01"), When.parse("2026-01-01")
    mil = Measure(
        "military_political_prisoners",
        MeasureKind.STOCK,
        within=("political_prisoners",),
        label_en="military political prisoners",
    )
    ds = _foro(
        Tally("political_prisoners", Count.exact(900), dec),
        Tally("political_prisoners", Count.exact(780), jan),
        Tally("military_political_prisoners", Count.exact(100), dec),
        Tally("military_political_prisoners", Count.exact(95), jan),
        Tally("releases", Count.exact(120), jan, period_start=dec),
        measures=[mil],
    )
    assert check(ds) == ()


def test_the_explanation_shows_the_values_its_arithmetic_uses() -> None:
    """Relays narrow "nearly 800" to 781–799 and "about 150" to 151–155: the sentences say
    so, and their numbers give the residual they state."""
    dec, jan = When.parse("2025-12-01"), When.parse("2026-01-01")
    ds = Dataset(
        [
            Report(
                "fp",
                "foro-penal",
                When.parse("2026-01-02"),
                [
                    Tally("political_prisoners", Count.exact(900), dec),
                    Tally("political_prisoners", Count.parse("nearly 800"), jan),
                    Tally("releases", Count.parse("about 150"), jan, period_start=dec),
                ],
            ),
            Report(
                "efe",
                "efe",
                When.parse("2026-01-03"),
                [
                    Tally(
                        "political_prisoners",
                        Count.parse("more than 780"),
                        jan,
                        source="foro-penal",
                    ),
                    Tally(
                        "releases",
                        Count.parse("more than 150"),
                        jan,
                        period_start=dec,
                        source="foro-penal",
                    ),
                ],
            ),
        ],
        sources=[Source("efe", "EFE", SourceKind.MEDIA)],
    )
    sf = stock_flow(ds, "foro-penal", dec, jan)
    text = sf.explain()
    assert "Stock at the end: nearly 800 (781 to 799 with the statements merged into it)" in text
    assert "about 150 (151 to 155 with the statements merged into it)" in text
    assert "imply 745 to 749 at the end" in text
    assert "leave 32 to 54 unexplained" in text
    assert "con las cifras fusionadas con ella" in sf.explain("es")


def test_figures_at_two_instants_of_an_end_day_do_not_disagree() -> None:
    """The end stock is "as of 19 January"; cumulative releases since 8 January are 100 at
    08:00 and 143 at 21:45 that day. Both match the end; they describe different instants,
    so the flow over the span is either (100 to 143), and nothing disagrees."""
    w = When.parse
    ds = _foro(
        Tally("political_prisoners", Count.exact(920), w("2026-01-08")),
        Tally("political_prisoners", Count.exact(800), w("2026-01-19")),
        Tally(
            "releases",
            Count.exact(100),
            w("2026-01-19T08:00-04:00"),
            period_start=w("2026-01-08"),
        ),
        Tally(
            "releases",
            Count.parse("more than 110"),
            w("2026-01-19T21:45-04:00"),
            period_start=w("2026-01-08"),
        ),
    )
    sf = stock_flow(ds, "foro-penal", "2026-01-08", "2026-01-19")
    (releases, *_) = sf.flows
    assert releases.consistent
    assert (releases.count.low, releases.count.high) == (100, None)
    assert "the figures cover different periods" in sf.explain()
    assert "disagree" not in sf.explain()
    # 920 - (100 or more) allows 800: check finds no residual either
    assert check(ds) == ()


def test_check_leaves_out_a_planned_figure_merged_with_a_verified_one() -> None:
    """ "more than 80" verified and "fewer than 85" planned releases merge into one claim;
    the planned figure must not narrow it, in check as in stock_flow."""
    w = When.parse

    def report(rid: str, tally: Tally) -> Report:
        return Report(rid, "foro-penal", w("2026-02-01"), [tally])

    ds = Dataset(
        [
            report("a", Tally("political_prisoners", Count.exact(790), w("2026-01-10"))),
            report("b", Tally("political_prisoners", Count.exact(700), w("2026-01-19"))),
            report(
                "c",
                Tally(
                    "releases",
                    Count.parse("more than 80"),
                    w("2026-01-19"),
                    period_start=w("2026-01-10"),
                ),
            ),
            report(
                "d",
                Tally(
                    "releases",
                    Count.parse("fewer than 85"),
                    w("2026-01-19"),
                    period_start=w("2026-01-10"),
                    basis=Basis.PLANNED,
                ),
            ),
        ]
    )
    residual = stock_flow(ds, "foro-penal", "2026-01-10", "2026-01-19").residual
    assert residual is not None
    assert (residual.low, residual.high) == (-9, None)
    assert check(ds) == ()
    with pytest.raises(ValidationError, match=r"outflows\[1\]: given twice"):
        stock_flow(ds, "foro-penal", "2026-01-10", "2026-01-19", outflows=("releases", "releases"))


def test_check_starts_a_span_where_stock_flow_does() -> None:
    """Stocks of 900 on 10 Jan (the day) and 880 at 18:00 that day, 780 on 15 Jan; 100
    releases from 18:00. stock_flow from 10 Jan starts at the 18:00 figure (residual 0);
    check must start there too, and report nothing."""
    w = When.parse
    ds = _foro(
        Tally("political_prisoners", Count.exact(900), w("2026-01-10")),
        Tally("political_prisoners", Count.exact(880), w("2026-01-10T18:00-04:00")),
        Tally("political_prisoners", Count.exact(780), w("2026-01-15")),
        Tally(
            "releases",
            Count.exact(100),
            w("2026-01-15"),
            period_start=w("2026-01-10T18:00-04:00"),
        ),
    )
    residual = stock_flow(ds, "foro-penal", "2026-01-10", "2026-01-15").residual
    assert residual is not None
    assert (residual.low, residual.high) == (0, 0)
    assert check(ds) == ()


def test_check_rebuilds_a_figure_without_its_planned_tally_as_stock_flow_does() -> None:
    """Relays that disagree ("more than 90", 100, 110) and a planned 120 at one cut-off:
    without the planned one, the figure is grouped as stock_flow groups it."""
    w = When.parse
    t1, t2, p = w("2026-01-10"), w("2026-01-15"), "political_prisoners"

    def rep(i: int, m: str, text: str, as_of: When, basis: Basis = Basis.VERIFIED) -> Report:
        start = t1 if m == "releases" else None
        tally = Tally(m, Count.parse(text), as_of, period_start=start, basis=basis)
        return Report(f"r{i}", "foro-penal", w("2026-01-20"), [tally])

    ds = Dataset(
        [
            rep(0, p, "more than 90", t1),
            rep(1, p, "100", t1),
            rep(2, p, "110", t1),
            rep(3, p, "120", t1, Basis.PLANNED),
            rep(4, p, "300", t2),
            rep(5, "releases", "0", t2),
        ]
    )
    residual = stock_flow(ds, "foro-penal", t1, t2).residual
    assert residual is not None
    assert (residual.low, residual.high) == (190, 200)
    kinds = sorted(f.kind.value for f in check(ds))
    assert kinds == ["relays_disagree", "stock_flow_residual"]


def test_check_ends_a_span_where_stock_flow_does() -> None:
    """900 on 5 Jan; 880 on 10 Jan (the day) and 860 at 18:00 that day; 40 releases to
    18:00. stock_flow to 10 Jan ends at the 18:00 figure (residual 0): so does check."""
    w = When.parse
    p = "political_prisoners"
    ds = _foro(
        Tally(p, Count.exact(900), w("2026-01-05")),
        Tally(p, Count.exact(880), w("2026-01-10")),
        Tally(p, Count.exact(860), w("2026-01-10T18:00-04:00")),
        Tally(
            "releases",
            Count.exact(40),
            w("2026-01-10T18:00-04:00"),
            period_start=w("2026-01-05"),
        ),
    )
    residual = stock_flow(ds, "foro-penal", "2026-01-05", "2026-01-10").residual
    assert residual is not None
    assert (residual.low, residual.high) == (0, 0)
    assert check(ds) == ()


def test_a_flow_over_exactly_the_span_counts_inside_one_day() -> None:
    """800 on 19 Jan (the day), 777 at 21:45, 23 releases from 19 Jan to 21:45: the span
    from noon to 22:00 starts at the day's figure and ends at 21:45, and the releases cover
    exactly that: nothing is left unexplained."""
    w = When.parse
    pm = w("2026-01-19T21:45-04:00")
    ds = _foro(
        Tally("political_prisoners", Count.exact(800), w("2026-01-19")),
        Tally("political_prisoners", Count.exact(777), pm),
        Tally("releases", Count.exact(23), pm, period_start=w("2026-01-19")),
    )
    sf = stock_flow(ds, "foro-penal", "2026-01-19T12:00-04:00", "2026-01-19T22:00-04:00")
    assert sf.residual is not None
    assert (sf.residual.low, sf.residual.high) == (0, 0)
    assert "Releases (subtracted): 23, reported for" in sf.explain()


def test_an_empty_span_counts_no_flow_and_a_same_day_pair_counts_like_a_figure() -> None:
    """Rolling forward to the stock's own cut-off subtracts nothing (the stock already
    reflects its releases); and from noon to 22:00 on a day whose stock is given for the
    day, cumulative figures at 08:00 and 21:45 count as the direct figure would."""
    w = When.parse
    pm, am = w("2026-01-19T21:45-04:00"), w("2026-01-19T08:00-04:00")
    p = "political_prisoners"

    ds = _foro(
        Tally(p, Count.exact(800), w("2026-01-18")),
        Tally(p, Count.exact(777), pm),
        Tally("releases", Count.exact(23), pm, period_start=w("2026-01-19")),
    )
    for to in (pm, w("2026-01-19")):
        implied = roll_forward(ds, "foro-penal", to).implied
        assert implied is not None
        assert (implied.low, implied.high) == (777, 777)
    pairs = _foro(
        Tally(p, Count.exact(800), w("2026-01-19")),
        Tally(p, Count.exact(777), pm),
        Tally("releases", Count.exact(120), am, period_start=w("2026-01-08")),
        Tally("releases", Count.exact(143), pm, period_start=w("2026-01-08")),
    )
    sf = stock_flow(pairs, "foro-penal", "2026-01-19T12:00-04:00", "2026-01-19T22:00-04:00")
    assert sf.residual is not None
    assert (sf.residual.low, sf.residual.high) == (0, 0)
