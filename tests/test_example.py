"""The bundled January 2026 example pins every figure of the seed article."""

from __future__ import annotations

import pendulum
import pytest

from vzdetain import Basis, ConditionKind, Count, MeasureKind, Precision, Qualifier, ReleaseKind
from vzdetain.datasets import venezuela_2026_01

CCS = "America/Caracas"
CUTOFF = pendulum.datetime(2026, 1, 19, 21, 45, tz=CCS)


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, str, str, str, str]]:
    ds = venezuela_2026_01()
    return [
        (r.publisher, t.source or "", t.measure, t.count.render("en"), t.basis.value)
        for r, t in ds.tallies()
    ]


def test_every_figure(rows: list[tuple[str, str, str, str, str]]) -> None:
    assert rows == [
        ("foro-penal", "foro-penal", "political_prisoners", "777", "verified"),
        ("foro-penal", "foro-penal", "pending_evaluation", "many", "unstated"),
        ("latin-times", "foro-penal", "political_prisoners", "hundreds", "verified"),
        ("latin-times", "foro-penal", "political_prisoners", "nearly 800", "verified"),
        ("latin-times", "foro-penal", "political_prisoners", "777", "verified"),
        ("latin-times", "foro-penal", "releases", "143", "verified"),
        ("latin-times", "foro-penal", "releases", "0", "verified"),
        ("latin-times", "clippve", "arbitrarily_detained", "more than 1,345", "unstated"),
        ("latin-times", "gobierno-venezuela", "arrests", "more than 2,400", "announced"),
    ]


def test_foro_penal_stock_and_cutoff() -> None:
    ds = venezuela_2026_01()
    x_post = ds.reports[0]
    t = x_post.tallies[0]
    assert t.count == Count.exact(777)
    assert t.as_of.is_instant
    assert t.as_of.start == CUTOFF
    assert t.as_of.start.in_tz("UTC").date().isoformat() == "2026-01-20"  # posted on 20 Jan UTC
    assert x_post.published.precision is Precision.DAY
    assert x_post.published.zone.name == "UTC"
    assert x_post.language == "es"


def test_headlines_relay_the_same_cutoff() -> None:
    ds = venezuela_2026_01()
    relays = [
        t
        for r, t in ds.tallies()
        if r.publisher == "latin-times" and t.measure == "political_prisoners"
    ]
    assert {t.as_of for t in relays} == {ds.reports[0].tallies[0].as_of}
    nearly = relays[1].count
    assert nearly.qualifier is Qualifier.NEARLY
    assert (nearly.stated, nearly.low, nearly.high) == (800, 750, 799)
    assert 777 in nearly
    assert 777 in relays[0].count  # "hundreds"


def test_releases_since_january_8_and_none_since_saturday() -> None:
    ds = venezuela_2026_01()
    flows = {t.count.stated: t for _, t in ds.tallies() if t.measure == "releases"}
    since_8 = flows[143]
    assert since_8.period_start is not None
    assert since_8.period_start.start == pendulum.datetime(2026, 1, 8, tz=CCS)
    assert since_8.as_of.start == CUTOFF
    assert since_8.release_kind is ReleaseKind.CONDITIONAL
    none = flows[0]
    assert none.period_start is not None
    # "since Saturday" (17 Jan): nothing from the start of Sunday 18 Jan, Caracas time
    assert none.period_start.start == pendulum.datetime(2026, 1, 18, tz=CCS)
    assert none.period_start.start.day_of_week == pendulum.SUNDAY
    assert none.basis is Basis.VERIFIED


def test_conditions() -> None:
    ds = venezuela_2026_01()
    t = next(t for _, t in ds.tallies() if t.conditions)
    kinds = [c.kind for c in t.conditions]
    assert kinds == [ConditionKind.TRAVEL_BAN, ConditionKind.MEDIA_GAG]
    assert all(
        c.applies_to is not None and c.applies_to.qualifier is Qualifier.MANY for c in t.conditions
    )


def test_broader_measure_and_official_flow() -> None:
    ds = venezuela_2026_01()
    clippve = next(t for _, t in ds.tallies() if t.source == "clippve")
    assert clippve.measure == "arbitrarily_detained"
    assert "arbitrarily_detained" in ds.broader("political_prisoners")
    assert clippve.via == ("la-republica",)
    assert (clippve.count.low, clippve.count.high) == (1346, None)
    assert clippve.as_of.precision is Precision.DAY
    official = next(t for _, t in ds.tallies() if t.measure == "arrests")
    assert ds.measure("arrests").kind is MeasureKind.FLOW
    assert official.period_start is not None
    assert official.period_start.start == pendulum.datetime(2024, 7, 28, tz=CCS)
    assert official.basis is Basis.ANNOUNCED
    assert official.source == "gobierno-venezuela"


def test_no_prose_beyond_short_quotes() -> None:
    ds = venezuela_2026_01()
    assert all(len(t.quote) <= 120 for _, t in ds.tallies())
    assert ds.timezone == CCS
