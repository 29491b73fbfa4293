"""Example tests of the release analysis: the bundled January 2026 data and hand-made cases."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pendulum
import pytest

from vzdetain import (
    Basis,
    ConditionKind,
    Count,
    Dataset,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
    When,
)
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import NaiveDatetimeError, UnknownReferenceError, ValidationError
from vzdetain.findings import FindingKind, Severity
from vzdetain.model import TallyRef
from vzdetain.releases import (
    Certainty,
    ConditionCount,
    ConditionsSummary,
    ReleaseBin,
    ReleaseEvidence,
    ReleaseEvidenceKind,
    ReleaseKindCount,
    Stall,
    conditions_summary,
    days_since_last_release,
    release_evidence,
    release_findings,
    release_series,
    stalls,
)
from vzdetain.serialize import converter

CCS = "America/Caracas"
CUTOFF = When.parse("2026-01-19T21:45-04:00")
SUNDAY = pendulum.datetime(2026, 1, 18, tz=CCS)


def caracas(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=CCS)


def with_reports(ds: Dataset, *reports: Report) -> Dataset:
    return attrs.evolve(ds, reports=(*ds.reports, *reports))


def releases(
    count: Count | int,
    start: str,
    end: str,
    *,
    source: str = "foro-penal",
    basis: Basis = Basis.VERIFIED,
    measure: str = "releases",
    **kw: Any,
) -> Tally:
    return Tally(
        measure,
        Count.exact(count) if isinstance(count, int) else count,
        When.parse(end),
        period_start=When.parse(start),
        source=source,
        basis=basis,
        **kw,
    )


def report(rid: str, *tallies: Tally, publisher: str = "foro-penal") -> Report:
    return Report(rid, publisher, When.parse("2026-02-01"), tallies)


def span(b: ReleaseBin) -> dt.timedelta:
    return b.end.in_tz("UTC") - b.start.in_tz("UTC")  # type: ignore[return-value]


def to_json(value: object) -> Any:
    return json.loads(json.dumps(converter.unstructure(value), ensure_ascii=False))


# ---------------------------------------------------------------------- the bundled example


def test_bundled_example_has_an_ongoing_confirmed_stall_since_sunday() -> None:
    ds = venezuela_2026_01()
    (stall,) = stalls(ds)
    assert stall.start == SUNDAY
    assert stall.start.isoformat() == "2026-01-18T00:00:00-04:00"
    assert stall.start.tzinfo is not None
    assert stall.start.tzinfo.name == CCS  # type: ignore[attr-defined]
    assert stall.end is None
    assert stall.ongoing
    assert stall.certainty is Certainty.CONFIRMED
    assert stall.days == 1
    assert stall.until == CUTOFF.start
    assert stall.length == dt.timedelta(hours=45, minutes=45)
    kinds = [(e.kind, e.count, tuple(map(str, e.tallies))) for e in stall.evidence]
    assert kinds == [
        (ReleaseEvidenceKind.RELEASES, Count.exact(143), ("latin-times-2026-01-20#3",)),
        (ReleaseEvidenceKind.NO_RELEASES, Count.exact(0), ("latin-times-2026-01-20#4",)),
    ]
    assert str(stall) == (
        "stall from 2026-01-18 00:00, ongoing as of 2026-01-19 21:45 (1 day, confirmed)"
    )


def test_bundled_example_as_of_the_cutoff() -> None:
    ds = venezuela_2026_01()
    assert stalls(ds, end=CUTOFF) == stalls(ds)
    assert stalls(ds, end=CUTOFF.start.in_tz("UTC")) == stalls(ds)
    (stall,) = stalls(ds, end=CUTOFF)
    for at in (CUTOFF, CUTOFF.start, CUTOFF.start.in_tz("UTC"), "2026-01-20T01:45Z"):
        assert days_since_last_release(ds, at) == stall.days == 1


def test_days_since_last_release_before_during_and_after() -> None:
    ds = venezuela_2026_01()
    assert days_since_last_release(ds, "2026-01-07T12:00-04:00") is None
    assert days_since_last_release(ds, "2026-01-17T12:00-04:00") == 0  # a release may lie there
    assert days_since_last_release(ds, "2026-01-18T23:59-04:00") == 0
    assert days_since_last_release(ds, "2026-01-19T00:00-04:00") == 1
    # read at its end, a date means "through that day"
    assert days_since_last_release(ds, dt.date(2026, 1, 19)) == 2
    # later than the evidence: the stall is not known to have ended
    assert days_since_last_release(ds, "2026-01-25T00:00-04:00") == 7
    assert days_since_last_release(ds, CUTOFF, basis=Basis.ANNOUNCED) is None


def test_bundled_example_release_evidence_places_the_143_before_sunday() -> None:
    ev = release_evidence(venezuela_2026_01())
    assert [e.kind for e in ev] == [ReleaseEvidenceKind.RELEASES, ReleaseEvidenceKind.NO_RELEASES]
    placed = ev[0]
    assert placed.start == caracas(2026, 1, 8)
    assert placed.end == CUTOFF.start
    assert placed.placed_start == caracas(2026, 1, 8)
    assert placed.placed_end == SUNDAY  # between 8 Jan and the end of Saturday 17 Jan
    assert not placed.derived
    assert ev[1].placed_start is None
    assert ev[1].start == SUNDAY


def test_bundled_example_conditions_summary() -> None:
    summary = conditions_summary(venezuela_2026_01())
    conditional = summary.release(ReleaseKind.CONDITIONAL)
    assert conditional is not None
    assert conditional.count == Count.exact(143)
    assert (conditional.label_en, conditional.label_es) == ("conditional release", "excarcelación")
    assert [r.kind for r in summary.releases] == [ReleaseKind.CONDITIONAL]
    assert summary.total == Count.exact(143)
    assert [c.kind for c in summary.conditions] == [
        ConditionKind.TRAVEL_BAN,
        ConditionKind.MEDIA_GAG,
    ]
    travel = summary.condition(ConditionKind.TRAVEL_BAN)
    gag = summary.condition(ConditionKind.MEDIA_GAG)
    assert travel is not None
    assert gag is not None
    assert summary.condition(ConditionKind.BAIL) is None
    assert travel.label_en == "ban on leaving the country"
    assert travel.label_es == "prohibición de salida del país"
    assert travel.label("es") == ConditionKind.TRAVEL_BAN.label("es")
    assert gag.label_en == "ban on speaking to the media"
    assert gag.label_es == "prohibición de declarar a medios"
    assert travel.mentions == gag.mentions == 1
    assert travel.applies_to == (Count.parse("many"),)
    assert gag.applies_to == (Count.parse("numerous"),)
    assert travel.sources == ("foro-penal",)
    assert [str(r) for r in travel.tallies] == ["latin-times-2026-01-20#3"]
    english = summary.render("en")
    assert "ban on leaving the country: reported 1 time, applies to many" in english
    assert "ban on speaking to the media" in english
    assert "conditional release: 143" in english
    spanish = summary.render("es")
    assert "prohibición de salida del país: reportada 1 vez, aplica a muchos" in spanish
    assert "prohibición de declarar a medios" in spanish
    assert "excarcelación: 143" in spanish
    assert str(summary) == english


def test_bundled_example_release_series() -> None:
    ds = venezuela_2026_01()
    days = release_series(ds)
    assert [b.date for b in days] == [dt.date(2026, 1, d) for d in range(8, 20)]
    assert all(b.count.interval() == "[0, 143]" for b in days[:10])
    assert days[10].count == Count.between(0, 0)
    assert days[11].count == Count.between(0, 0)
    assert days[11].end == CUTOFF.start  # clipped to the evidence
    weeks = release_series(ds, freq="week")
    assert [b.date for b in weeks] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
    ]
    assert weeks[0].start == caracas(2026, 1, 8)  # clipped to the window
    assert weeks[1].end == caracas(2026, 1, 19)
    assert release_series(ds, start="2026-01-18", end="2026-01-18")[0].count == Count.between(0, 0)
    wider = release_series(ds, end="2026-01-20")
    assert wider[-1].count == Count.between(0, None)  # after the cut-off nothing is known


def test_bundled_example_has_no_release_findings() -> None:
    assert release_findings(venezuela_2026_01()) == ()


def test_only_verified_figures_count_by_default() -> None:
    ds = venezuela_2026_01()
    assert stalls(ds, basis=Basis.ANNOUNCED) == ()
    assert stalls(ds, basis=[Basis.VERIFIED, Basis.ANNOUNCED]) == stalls(ds)
    assert stalls(ds, basis=None) == stalls(ds)
    assert stalls(ds, sources="clippve") == ()
    assert stalls(ds, sources=["foro-penal"]) == stalls(ds)


def test_a_window_that_starts_before_the_evidence() -> None:
    ds = venezuela_2026_01()
    first, second = stalls(ds, start=dt.date(2026, 1, 1))
    assert first.start == caracas(2026, 1, 1)
    assert first.end == caracas(2026, 1, 8)
    assert not first.ongoing
    assert first.certainty is Certainty.UNREPORTED
    assert first.days == 7
    assert [e.kind for e in first.evidence] == [ReleaseEvidenceKind.RELEASES]
    assert second.start == SUNDAY


def test_a_window_that_ends_after_the_evidence() -> None:
    (stall,) = stalls(venezuela_2026_01(), end="2026-01-25")
    assert stall.ongoing
    assert stall.until == caracas(2026, 1, 26)
    assert stall.certainty is Certainty.MIXED
    assert stall.days == 8


# ---------------------------------------------------------------------- announcements


def test_an_announcement_does_not_end_a_verified_stall() -> None:
    announced = releases(
        600,
        "2026-01-19T22:00-04:00",
        "2026-01-20T12:00-04:00",
        source="gobierno-venezuela",
        basis=Basis.ANNOUNCED,
    )
    ds = with_reports(venezuela_2026_01(), report("gov", announced, publisher="gobierno-venezuela"))
    (stall,) = stalls(ds, end="2026-01-21")
    assert stall.start == SUNDAY
    assert stall.ongoing
    assert stall.certainty is Certainty.MIXED
    first, second = stalls(ds, end="2026-01-21", basis=None)
    assert first.start == SUNDAY
    assert first.end == caracas(2026, 1, 19, 22)
    assert not first.ongoing
    assert [e.kind for e in first.evidence][-1] is ReleaseEvidenceKind.RELEASES
    assert first.evidence[-1].basis is Basis.ANNOUNCED
    assert second.start == caracas(2026, 1, 20, 12)
    assert second.ongoing
    assert second.certainty is Certainty.UNREPORTED


def test_an_announcement_inside_a_confirmed_stall_is_a_warning() -> None:
    announced = releases(
        600,
        "2026-01-19T08:00-04:00",
        "2026-01-19T12:00-04:00",
        source="gobierno-venezuela",
        basis=Basis.ANNOUNCED,
    )
    ds = with_reports(venezuela_2026_01(), report("gov", announced, publisher="gobierno-venezuela"))
    assert stalls(ds, basis=None) == stalls(ds)  # the zero statement covers it
    (finding,) = release_findings(ds)
    assert finding.kind is FindingKind.RELEASE_DURING_STALL
    assert finding.severity is Severity.WARNING
    assert [str(r) for r in finding.tallies] == ["gov#0", "latin-times-2026-01-20#4"]
    assert "Government of Venezuela" in finding.message
    (verified_only,) = release_findings(ds, basis=None)
    assert verified_only == finding
    assert release_findings(ds, basis=Basis.VERIFIED) == ()


def test_a_verified_release_inside_a_confirmed_stall_is_an_error() -> None:
    ds = with_reports(
        venezuela_2026_01(),
        report("jep", releases(2, "2026-01-18", "2026-01-18", source="jep"), publisher="jep"),
    )
    (finding,) = release_findings(ds)
    assert finding.kind is FindingKind.RELEASE_DURING_STALL
    assert finding.severity is Severity.ERROR
    assert isinstance(finding.tallies[0], TallyRef)
    (e,) = [e for e in release_evidence(ds) if e.source == "jep"]
    assert e.kind is ReleaseEvidenceKind.RELEASES
    # verified figures that contradict each other: no stall is claimed on the strength of
    # either, so the two releases may lie anywhere in their day
    assert (e.placed_start, e.placed_end) == (e.start, e.end)
    assert stalls(ds) == ()  # what is left of Sunday's stall is under a day
    for stall in stalls(ds, min_length=dt.timedelta(0)):
        assert stall.until <= e.start or stall.start >= e.end


def test_verified_figures_that_contradict_each_other_claim_no_stall() -> None:
    """143 verified releases from 8 to 19 January and a verified "no release" over the same
    period: not a twelve-day confirmed stall, but a finding (an error)."""
    zero = releases(0, "2026-01-08", "2026-01-19", source="gobierno-venezuela")
    some = releases(143, "2026-01-08", "2026-01-19")
    ds = Dataset(
        (report("fp", some), report("gov", zero, publisher="gobierno-venezuela")), timezone=CCS
    )
    assert stalls(ds) == ()
    assert days_since_last_release(ds, "2026-01-19") == 0
    (finding,) = release_findings(ds)
    assert (finding.kind, finding.severity) == (FindingKind.RELEASE_DURING_STALL, Severity.ERROR)
    # the figure's own tally is named with it, not among the zero statements
    assert "(a figure, verified: fp#0)" in finding.message
    assert finding.message.endswith("zero-release statements cover entirely (gov#0).")
    assert [str(r) for r in finding.tallies] == ["fp#0", "gov#0"]


# ---------------------------------------------------------------------- cumulative figures


def _series(*points: tuple[str, Count | int]) -> Dataset:
    tallies = [releases(c, "2026-01-08", cut, quote=f"at {cut}") for cut, c in points]
    return Dataset(tuple(report(f"fp{i}", t) for i, t in enumerate(tallies)), timezone=CCS)


def test_successive_cumulative_figures_are_differenced() -> None:
    ds = _series(("2026-01-19T21:45-04:00", 143), ("2026-01-22T21:45-04:00", 150))
    ev = release_evidence(ds)
    assert [(e.kind, e.derived) for e in ev] == [
        (ReleaseEvidenceKind.RELEASES, False),
        (ReleaseEvidenceKind.RELEASES, True),
    ]
    diff = ev[1]
    assert diff.start == CUTOFF.start
    assert diff.end == caracas(2026, 1, 22, 21, 45)
    assert (diff.count.low, diff.count.high, diff.count.stated) == (7, 7, 7)
    assert [str(r) for r in diff.tallies] == ["fp0#0", "fp1#0"]
    assert stalls(ds) == ()


def test_an_unchanged_cumulative_figure_is_negative_evidence() -> None:
    ds = _series(
        ("2026-01-17", 143),  # through the end of Saturday
        ("2026-01-19T21:45-04:00", 143),
        ("2026-01-22T21:45-04:00", 150),
    )
    ev = release_evidence(ds)
    assert [e.kind for e in ev] == [
        ReleaseEvidenceKind.RELEASES,
        ReleaseEvidenceKind.NO_RELEASES,
        ReleaseEvidenceKind.RELEASES,
    ]
    (stall,) = stalls(ds)
    assert stall.start == SUNDAY
    assert stall.end == CUTOFF.start
    assert not stall.ongoing
    assert stall.certainty is Certainty.CONFIRMED
    assert [e.kind for e in stall.evidence] == [e.kind for e in ev]
    days = release_series(ds)
    assert days[-1].date == dt.date(2026, 1, 22)
    assert sum(b.count.low or 0 for b in days) == 0
    # the difference of 7 over 19-22 January is contained in the sum of those days
    span = [b for b in days if b.date >= dt.date(2026, 1, 19)]
    assert all(b.count.high is not None for b in span)
    assert sum(b.count.high or 0 for b in span) >= 7


def test_a_cumulative_decrease_is_a_finding_not_a_release() -> None:
    ds = _series(("2026-01-12", 150), ("2026-01-19T21:45-04:00", 143))
    (finding,) = release_findings(ds)
    assert finding.kind is FindingKind.CUMULATIVE_DECREASE
    assert finding.severity is Severity.ERROR
    assert [str(r) for r in finding.tallies] == ["fp0#0", "fp1#0"]
    assert "went down from 150" in finding.message
    assert release_findings(ds, decreases=False) == ()
    ev = release_evidence(ds)
    assert ev[1].kind is ReleaseEvidenceKind.DECREASE
    assert ev[1].count.high == -7
    # no stall is claimed on the strength of contradictory figures
    assert stalls(ds) == ()
    assert all(b.count.high is None for b in release_series(ds)[5:])
    assert all((b.count.low or 0) == 0 for b in release_series(ds))


def test_a_decrease_past_a_vague_figure_is_a_finding_and_proves_no_stall() -> None:
    """3, then "at most 5", then 0: no two neighbours contradict each other, but the first
    and the last do. The zero differenced between them proves no stall."""
    ds = _series(("2026-01-12", 3), ("2026-01-15", Count.parse("at most 5")), ("2026-01-19", 0))
    (finding,) = release_findings(ds)
    assert finding.kind is FindingKind.CUMULATIVE_DECREASE
    assert [str(r) for r in finding.tallies] == ["fp0#0", "fp2#0"]
    assert "went down from 3 (to 2026-01-12) to 0 (to 2026-01-19" in finding.message
    kinds = [(e.kind, e.start.day, e.end.day) for e in release_evidence(ds)]
    assert kinds == [
        (ReleaseEvidenceKind.RELEASES, 8, 13),
        (ReleaseEvidenceKind.POSSIBLE_RELEASES, 13, 16),
        (ReleaseEvidenceKind.DECREASE, 13, 20),
    ]
    assert stalls(ds, min_length=dt.timedelta(0)) == ()
    assert days_since_last_release(ds, "2026-01-19") == 0
    # the zero between the first figure and a vague one that allows no more is taken back
    flat = _series(("2026-01-12", 3), ("2026-01-15", Count.parse("at most 3")), ("2026-01-19", 0))
    assert [e.kind for e in release_evidence(flat)] == [
        ReleaseEvidenceKind.RELEASES,
        ReleaseEvidenceKind.DECREASE,
    ]
    assert stalls(flat, min_length=dt.timedelta(0)) == ()
    # a later zero goes down from the 3 too (as check reports it): still no stall
    again = _series(
        ("2026-01-12", 3),
        ("2026-01-15", Count.parse("at most 5")),
        ("2026-01-19", 0),
        ("2026-01-22", 0),
    )
    assert [[str(r) for r in f.tallies] for f in release_findings(again)] == [
        ["fp0#0", "fp2#0"],
        ["fp0#0", "fp3#0"],
    ]
    assert stalls(again, min_length=dt.timedelta(0)) == ()


def test_a_decrease_is_measured_from_the_earliest_figure_it_goes_below() -> None:
    """7, "at most 5", 0: two decreases from the 7 (as check reports), and no stall after it;
    3, 3, 0: the zero step between the two 3s proves nothing either."""
    ds = _series(("2026-01-10", 7), ("2026-01-12", Count.parse("at most 5")), ("2026-01-19", 0))
    assert [[str(r) for r in f.tallies] for f in release_findings(ds)] == [
        ["fp0#0", "fp1#0"],
        ["fp0#0", "fp2#0"],
    ]
    assert stalls(ds, min_length=dt.timedelta(0)) == ()
    assert days_since_last_release(ds, "2026-01-19") == 0
    flat = _series(("2026-01-10", 3), ("2026-01-12", 3), ("2026-01-19", 0))
    (finding,) = release_findings(flat)
    assert "went down from 3 (to 2026-01-10) to 0" in finding.message
    assert stalls(flat, min_length=dt.timedelta(0)) == ()


def test_a_relay_that_disagrees_does_not_hide_a_decrease() -> None:
    """A bulletin's 5 and a relay's 0 at one cut-off, then 0: the 5 still went down."""
    fig = report("fp-bulletin", releases(5, "2026-01-08", "2026-01-10"))
    relay = report("outlet", releases(0, "2026-01-08", "2026-01-10"))
    later = report("fp-later", releases(0, "2026-01-08", "2026-01-19"))
    for order in ((fig, relay, later), (relay, fig, later)):
        ds = Dataset(order, timezone=CCS)
        (finding,) = release_findings(ds)
        assert "went down from 5 (to 2026-01-10) to 0 (to 2026-01-19" in finding.message
        assert stalls(ds, min_length=dt.timedelta(0)) == ()
        assert days_since_last_release(ds, "2026-01-19") == 0


def test_a_figure_after_the_period_start_uses_the_widest_period() -> None:
    # "as of 19 January" (a date) runs to the end of that day
    ds = _series(("2026-01-19", 143))
    (e,) = release_evidence(ds)
    assert e.end == caracas(2026, 1, 20)


def test_relays_of_one_figure_are_merged() -> None:
    t = releases(143, "2026-01-08", "2026-01-19T21:45-04:00")
    relay = releases(Count.parse("about 140"), "2026-01-08", "2026-01-19T21:45-04:00")
    ds = Dataset(
        (report("a", t), report("b", relay, publisher="latin-times")),
        sources=(Source("latin-times", "Latin Times", SourceKind.MEDIA),),
    )
    (e,) = release_evidence(ds)
    assert e.count == Count.between(143, 143)
    assert [str(r) for r in e.tallies] == ["a#0", "b#0"]
    clash = releases(200, "2026-01-08", "2026-01-19T21:45-04:00")
    ds2 = attrs.evolve(ds, reports=(report("a", t), report("c", clash)))
    (e2,) = release_evidence(ds2)
    assert (e2.count.low, e2.count.high) == (143, 200)


def test_stall_evidence_keeps_a_smallest_covering_set_of_zero_statements() -> None:
    zeros = [
        ("z1", "2026-01-02", "2026-01-05"),
        ("z2", "2026-01-03", "2026-01-04"),  # inside z1: not needed
        ("z3", "2026-01-04", "2026-01-09"),
        ("z4", "2026-01-05", "2026-01-06"),  # inside z3: not needed
        ("z5", "2026-01-08", "2026-01-10"),
    ]
    ds = Dataset(
        (
            report("a", releases(4, "2026-01-01", "2026-01-01")),
            *(report(rid, releases(0, s, e)) for rid, s, e in zeros),
            report("b", releases(4, "2026-01-11", "2026-01-11")),
        )
    )
    (stall,) = stalls(ds)
    assert stall.start == caracas(2026, 1, 2)
    assert stall.end == caracas(2026, 1, 11)
    assert stall.certainty is Certainty.CONFIRMED
    assert [str(r) for e in stall.evidence for r in e.tallies] == [
        "a#0",
        "z1#0",
        "z3#0",
        "z5#0",
        "b#0",
    ]
    assert len(release_evidence(ds)) == 7


# ---------------------------------------------------------------------- narrower evidence


def test_a_zero_of_a_narrower_measure_or_subgroup_is_not_negative_evidence() -> None:
    ds = Dataset(
        (
            report("a", releases(5, "2026-01-01", "2026-01-02")),
            report("b", releases(0, "2026-01-02", "2026-01-09", measure="full_releases")),
            report("c", releases(0, "2026-01-02", "2026-01-09", subgroup={"sex": "female"})),
            report("d", releases(0, "2026-01-09", "2026-01-10")),
        )
    )
    assert len(release_evidence(ds)) == 2
    (stall,) = stalls(ds)
    assert stall.start == caracas(2026, 1, 3)
    assert stall.certainty is Certainty.MIXED
    assert stall.ongoing


def test_a_release_of_a_subgroup_or_narrower_measure_ends_a_stall() -> None:
    for extra in (
        releases(1, "2026-01-05", "2026-01-05", subgroup={"age": "minor"}),
        releases(1, "2026-01-05", "2026-01-05", measure="full_releases"),
    ):
        ds = Dataset(
            (
                report("a", releases(0, "2026-01-01", "2026-01-04")),
                report("b", extra),
                report("c", releases(0, "2026-01-06", "2026-01-10")),
            )
        )
        first, second = stalls(ds)
        assert first.end == caracas(2026, 1, 5)
        assert second.start == caracas(2026, 1, 6)
        assert first.certainty is second.certainty is Certainty.CONFIRMED
        (bin5,) = [b for b in release_series(ds) if b.date == dt.date(2026, 1, 5)]
        assert bin5.count == Count.between(1, None)  # a narrower figure bounds nothing above


def test_a_vague_figure_may_hold_releases() -> None:
    ds = Dataset(
        (
            report("a", releases(0, "2026-01-01", "2026-01-10")),
            report("b", releases(Count.parse("up to 5"), "2026-01-12", "2026-01-12")),
            report("c", releases(0, "2026-01-13", "2026-01-20")),
        )
    )
    ev = release_evidence(ds)
    assert [e.kind for e in ev][1] is ReleaseEvidenceKind.POSSIBLE_RELEASES
    first, second = stalls(ds)
    assert first.end == caracas(2026, 1, 12)
    assert first.certainty is Certainty.MIXED  # 10-11 January only lack reports
    assert second.start == caracas(2026, 1, 13)
    series = {b.date: b.count for b in release_series(ds)}
    assert series[dt.date(2026, 1, 12)] == Count.between(0, 5)
    assert series[dt.date(2026, 1, 11)] == Count.between(0, None)
    assert series[dt.date(2026, 1, 5)] == Count.between(0, 0)
    assert release_findings(ds) == ()


def test_a_figure_inside_one_day_sets_that_days_lower_bound() -> None:
    ds = Dataset(
        (
            report("a", releases(10, "2026-01-01", "2026-01-03")),
            report("b", releases(0, "2026-01-01", "2026-01-01")),
            report("c", releases(0, "2026-01-03", "2026-01-03")),
        )
    )
    series = [b.count for b in release_series(ds)]
    assert series == [Count.between(0, 0), Count.between(10, 10), Count.between(0, 0)]


# ---------------------------------------------------------------------- Caracas time changes


def _around(day_before: str, day_after: str, zero_from: str, zero_to: str) -> Dataset:
    return Dataset(
        (
            report("before", releases(3, day_before, day_before)),
            report("zero", releases(0, zero_from, zero_to)),
            report("after", releases(4, day_after, day_after)),
        )
    )


def test_local_days_across_the_2016_change_of_offset() -> None:
    # 1 May 2016: Caracas moved from -04:30 to -04:00, a 23.5-hour day
    ds = _around("2016-04-29", "2016-05-02", "2016-04-30", "2016-05-01")
    (stall,) = stalls(ds)
    assert stall.start == pendulum.parse("2016-04-30T00:00:00-04:30")
    assert stall.end == pendulum.parse("2016-05-02T00:00:00-04:00")
    assert stall.length == dt.timedelta(hours=47, minutes=30)
    assert stall.days == 2
    assert stall.certainty is Certainty.CONFIRMED
    assert stalls(ds, min_length=dt.timedelta(hours=48)) == ()
    may_1 = next(b for b in release_series(ds) if b.date == dt.date(2016, 5, 1))
    assert span(may_1) == dt.timedelta(hours=23, minutes=30)


def test_local_days_across_the_2007_change_of_offset() -> None:
    # 9 December 2007: Caracas moved from -04:00 to -04:30, a 24.5-hour day
    ds = _around("2007-12-07", "2007-12-10", "2007-12-08", "2007-12-09")
    (stall,) = stalls(ds, min_length=dt.timedelta(hours=48))
    assert stall.length == dt.timedelta(hours=48, minutes=30)
    assert stall.days == 2
    dec_9 = next(b for b in release_series(ds) if b.date == dt.date(2007, 12, 9))
    assert span(dec_9) == dt.timedelta(hours=24, minutes=30)
    # the repeated half hour: 02:45 happened twice, and the instants stay apart
    for text in ("2007-12-09T02:45-04:00", "2007-12-09T02:45-04:30"):
        moment = When.parse(text)
        ds2 = Dataset(
            (
                report("a", releases(1, "2007-12-01", text)),
                report(
                    "b",
                    Tally(
                        "releases",
                        Count.exact(0),
                        When.parse("2007-12-12"),
                        period_start=moment,
                        source="foro-penal",
                        basis=Basis.VERIFIED,
                    ),
                ),
            )
        )
        (s,) = stalls(ds2)
        # (compare instants by timestamp: Python never finds a time in a fold equal to
        # one written in another zone)
        assert s.start.timestamp() == moment.start.timestamp()
        assert s.start.utcoffset() == moment.start.utcoffset()
        assert s.start.tzinfo is not None
        assert s.start.tzinfo.name == CCS  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- conditions


def test_conditions_summary_counts_each_period_once() -> None:
    every_30 = ReleaseCondition(
        ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=30)
    )
    every_15 = ReleaseCondition(
        ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=15), note="juez"
    )
    cond = ReleaseKind.CONDITIONAL
    ds = Dataset(
        (
            report(
                "a",
                releases(5, "2026-01-01", "2026-01-05", release_kind=cond, conditions=(every_30,)),
            ),
            report(
                "b",
                releases(
                    7,
                    "2026-01-06",
                    "2026-01-10",
                    release_kind=cond,
                    conditions=(every_30, every_15),
                ),
            ),
            # cumulative: overlaps both, fewer than their sum
            report("c", releases(10, "2026-01-01", "2026-01-10", release_kind=cond)),
            report("d", releases(2, "2026-01-01", "2026-01-10", measure="full_releases")),
            report("e", releases(0, "2026-01-11", "2026-01-12")),
            report(
                "f",
                releases(
                    3,
                    "2026-01-01",
                    "2026-01-10",
                    basis=Basis.ANNOUNCED,
                    release_kind=ReleaseKind.EXILE,
                ),
            ),
        )
    )
    summary = conditions_summary(ds)
    assert [r.kind for r in summary.releases] == [ReleaseKind.CONDITIONAL, ReleaseKind.FULL]
    conditional = summary.release(cond)
    assert conditional is not None
    assert (conditional.count.low, conditional.count.high) == (12, 12)
    assert [str(r) for r in conditional.counted] == ["a#0", "b#0"]
    assert [str(r) for r in conditional.tallies] == ["a#0", "b#0", "c#0"]
    full = summary.release(ReleaseKind.FULL)
    assert full is not None
    assert full.count == Count.exact(2)
    assert summary.total is not None
    assert summary.total.low == 12
    (periodic,) = summary.conditions
    assert periodic.mentions == 2  # figures: b gives two periods in one figure
    assert periodic.every == (pendulum.duration(days=15), pendulum.duration(days=30))
    assert periodic.notes == ("juez",)
    assert periodic.applies_to == ()
    assert "every 15 days or 30 days" in summary.render("en")  # as a court says it
    assert "reportada 2 veces, cada 15 días o 30 días" in summary.render("es")
    everything = conditions_summary(ds, basis=None)
    assert everything.release(ReleaseKind.EXILE) is not None
    early = conditions_summary(ds, end="2026-01-05")
    assert [str(r) for r in early.releases[0].tallies] == ["a#0"]
    late = conditions_summary(ds, start="2026-01-06")
    assert [r.kind for r in late.releases] == [ReleaseKind.CONDITIONAL]
    assert conditions_summary(ds, sources="clippve") == ConditionsSummary((), (), None)
    assert "(no figures)" in conditions_summary(ds, sources="clippve").render("en")


# ---------------------------------------------------------------------- arguments


def test_bad_arguments_are_rejected() -> None:
    ds = venezuela_2026_01()
    with pytest.raises(NaiveDatetimeError):
        stalls(ds, end=dt.datetime(2026, 1, 19))
    with pytest.raises(NaiveDatetimeError):
        days_since_last_release(ds, dt.datetime(2026, 1, 19))
    with pytest.raises(UnknownReferenceError):
        stalls(ds, sources=["no-such-source"])
    with pytest.raises(ValidationError, match="start must be before end"):
        stalls(ds, start="2026-01-19", end="2026-01-10")
    with pytest.raises(ValidationError, match="must not be negative"):
        stalls(ds, min_length=dt.timedelta(hours=-1))
    with pytest.raises(ValidationError, match="calendar month"):
        stalls(ds, min_length=pendulum.duration(months=1))
    with pytest.raises(ValidationError, match="duration"):
        stalls(ds, min_length=24)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'day' or 'week'"):
        release_series(ds, freq="month")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Basis"):
        stalls(ds, basis="verified")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least one Basis"):
        stalls(ds, basis=[])
    with pytest.raises(ValidationError, match="Dataset"):
        stalls("not a dataset")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not a time"):
        stalls(ds, start="19/01/2026")
    assert isinstance(ValidationError("x"), ValueError)


def test_min_length_zero_and_weeks() -> None:
    ds = venezuela_2026_01()
    assert stalls(ds, min_length=dt.timedelta(0)) == stalls(ds)
    assert stalls(ds, min_length=pendulum.duration(weeks=1)) == ()
    assert stalls(ds, min_length=pendulum.duration(hours=45, minutes=45)) == stalls(ds)


# ---------------------------------------------------------------------- values and JSON


@pytest.mark.parametrize(
    "cls",
    [Stall, ReleaseEvidence, ReleaseBin, ReleaseKindCount, ConditionCount, ConditionsSummary],
)
def test_results_are_frozen_slotted_attrs_values(cls: type) -> None:
    assert attrs.has(cls)
    assert "__slots__" in cls.__dict__
    assert not hasattr(cls, "__dict__") or "__dict__" not in cls.__dict__


def test_results_are_immutable_and_hashable() -> None:
    ds = venezuela_2026_01()
    (stall,) = stalls(ds)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        stall.days = 3  # type: ignore[misc]
    assert hash(stall) == hash(stalls(ds)[0])
    assert len({*release_series(ds), *release_series(ds)}) == 12
    assert hash(conditions_summary(ds)) == hash(conditions_summary(ds))


def test_results_serialise_to_json() -> None:
    ds = venezuela_2026_01()
    (stall,) = to_json(stalls(ds))
    assert stall["start"] == "2026-01-18T00:00-04:00"
    assert stall["end"] is None
    assert stall["ongoing"] is True
    assert stall["certainty"] == "confirmed"
    assert stall["days"] == 1
    assert stall["until"] == "2026-01-19T21:45-04:00"
    assert [e["kind"] for e in stall["evidence"]] == ["releases", "no_releases"]
    assert stall["evidence"][1]["tallies"][0]["report"] == "latin-times-2026-01-20"
    series = to_json(release_series(ds))
    assert series[0]["date"] == "2026-01-08"
    assert series[0]["count"]["low"] == 0
    assert series[0]["count"]["high"] == 143
    summary = to_json(conditions_summary(ds))
    assert [c["kind"] for c in summary["conditions"]] == ["travel_ban", "media_gag"]
    assert summary["conditions"][0]["label_es"] == "prohibición de salida del país"
    assert summary["releases"][0]["kind"] == "conditional"
    assert summary["total"]["stated"] == 143
    assert to_json(release_evidence(ds))[0]["placed_end"] == ("2026-01-18T00:00-04:00")
    decreasing = _series(("2026-01-12", 150), ("2026-01-19T21:45-04:00", 143))
    (finding,) = to_json(release_findings(decreasing))
    assert finding["kind"] == "cumulative_decrease"
    assert finding["severity"] == "error"
    every = ReleaseCondition(ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=30))
    periodic = Dataset((report("a", releases(5, "2026-01-01", "2026-01-05", conditions=(every,))),))
    assert to_json(conditions_summary(periodic))["conditions"][0]["every"] == ["P30D"]


def test_a_later_cumulative_figure_still_speaks_for_its_whole_period() -> None:
    """An earlier, vaguer figure of the series neither shortens the zero's stall nor
    loosens the bound a later figure puts on every day of its period."""

    def series(*points: tuple[str, str], since: str = "2026-01-16") -> Dataset:
        tallies = [releases(Count.parse(text), since, cut, quote=text) for cut, text in points]
        return Dataset(tuple(report(f"fp{i}", t) for i, t in enumerate(tallies)), timezone=CCS)

    zero = ("2026-01-19T21:45-04:00", "0")
    (alone,) = stalls(series(zero))
    (after_vaguer,) = stalls(series(("2026-01-18T12:00-04:00", "at most 2"), zero))
    assert after_vaguer.start == alone.start == caracas(2026, 1, 16)
    assert after_vaguer.certainty is Certainty.CONFIRMED
    bound = series(("2026-01-19", "143"), since="2026-01-08")
    looser = series(("2026-01-12", "more than 100"), ("2026-01-19", "143"), since="2026-01-08")
    highs = [b.count.high for b in release_series(looser)]
    assert len(highs) == len(release_series(bound))
    assert highs[:5] == [143] * 5  # 8 to 12 January: the later figure's own bound
    assert highs[5:] == [42] * (len(highs) - 5)  # after "more than 100": 143 - 101


def test_a_zero_on_another_basis_does_not_hide_one_on_the_figures_own() -> None:
    """With every basis, an announced figure that announced zeros contradict claims no stall,
    however many verified zeros also cover it (each zero that covers part of it counts, not
    only a smallest cover)."""
    announced = releases(
        10, "2026-01-08", "2026-01-11", source="gobierno-venezuela", basis=Basis.ANNOUNCED
    )
    zero_announced = releases(0, "2026-01-08", "2026-01-09", source="jep", basis=Basis.ANNOUNCED)
    zero_late = releases(0, "2026-01-10", "2026-01-11")
    zero_wide = releases(0, "2026-01-07", "2026-01-10", source="provea")

    def ds(*extra: Tally) -> Dataset:
        tallies = (announced, zero_announced, zero_late, *extra)
        return Dataset(tuple(report(f"r{i}", t) for i, t in enumerate(tallies)), timezone=CCS)

    period = (caracas(2026, 1, 8), caracas(2026, 1, 12))
    for data in (ds(), ds(zero_wide)):
        for stall in stalls(data, basis=None, min_length=dt.timedelta(0)):
            assert stall.until <= period[0] or stall.start >= period[1]
        (finding,) = release_findings(data, basis=None)
        assert finding.severity is Severity.ERROR


def test_a_decrease_names_a_cut_off_of_another_zone_with_its_zone() -> None:
    def cumulative(n: int, cut: str) -> Tally:
        return releases(n, "2026-01-08", cut)

    tallies = (cumulative(150, "2026-01-12"), cumulative(140, "2026-01-19[Asia/Kolkata]"))
    data = Dataset(tuple(report(f"r{i}", t) for i, t in enumerate(tallies)), timezone=CCS)
    (finding,) = release_findings(data)
    assert "to 2026-01-12)" in finding.message
    assert "2026-01-19[Asia/Kolkata]" in finding.message


def test_a_decrease_from_relays_that_disagree_keeps_its_whole_range() -> None:
    """5 and 20 at one cut-off (relays that disagree), then 3: down by 2 to 17."""
    ds = Dataset(
        (
            report("a", releases(5, "2026-01-08", "2026-01-10")),
            report("b", releases(20, "2026-01-08", "2026-01-10")),
            report("c", releases(3, "2026-01-08", "2026-01-15")),
        ),
        timezone=CCS,
    )
    (dec,) = [e for e in release_evidence(ds) if e.kind is ReleaseEvidenceKind.DECREASE]
    assert (dec.count.low, dec.count.high) == (-17, -2)


def test_a_relayed_condition_is_mentioned_once() -> None:
    every = (
        ReleaseCondition(ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=30)),
        ReleaseCondition(
            ConditionKind.PERIODIC_PRESENTATION,
            every=pendulum.duration(days=15),
            applies_to=Count.exact(12),
        ),
    )
    t = releases(
        143, "2026-01-08", "2026-01-19", release_kind=ReleaseKind.CONDITIONAL, conditions=every
    )
    ds = Dataset((report("a", t), report("b", t, publisher="provea")), timezone=CCS)
    (periodic,) = conditions_summary(ds).conditions
    assert periodic.mentions == 1
    assert periodic.applies_to == (Count.exact(12),)


def test_a_decrease_cites_the_figures_its_period_and_count_come_from() -> None:
    """3, 10, then 2: down by 8 from the 10; the period starts at the 3 (no step after it
    proves anything), and the evidence names all three; the finding names the 10 and the 2."""
    ds = _series(("2026-01-10", 3), ("2026-01-11", 10), ("2026-01-12", 2))
    (dec,) = [e for e in release_evidence(ds) if e.kind is ReleaseEvidenceKind.DECREASE]
    assert (dec.count.low, dec.count.high) == (-8, -8)
    assert (dec.start.day, dec.end.day) == (11, 13)
    assert [str(r) for r in dec.tallies] == ["fp0#0", "fp1#0", "fp2#0"]
    (finding,) = release_findings(ds)
    assert [str(r) for r in finding.tallies] == ["fp1#0", "fp2#0"]
    assert "went down from 10 (to 2026-01-11) to 2" in finding.message
