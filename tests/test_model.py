"""The model validates itself at construction and names the offending field and value."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from vzdetain import (
    Basis,
    ConditionKind,
    Count,
    Dataset,
    Measure,
    MeasureKind,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
    When,
)
from vzdetain.catalogue import MEASURES, SOURCES
from vzdetain.errors import (
    DuplicateIdError,
    UnknownReferenceError,
    ValidationError,
    VzdetainError,
)

CUTOFF = When.parse("2026-01-19T21:45-04:00")
JAN_8 = When.parse("2026-01-08")


def stock(**kw: object) -> Tally:
    return Tally("political_prisoners", Count.exact(777), CUTOFF, **kw)  # type: ignore[arg-type]


def report(*tallies: Tally, rid: str = "r1", publisher: str = "foro-penal") -> Report:
    return Report(rid, publisher, When.parse("2026-01-20"), tallies or (stock(),))


def test_values_are_frozen_slotted_and_hashable() -> None:
    for value in (
        stock(),
        report(),
        Count.exact(1),
        CUTOFF,
        SOURCES["foro-penal"],
        MEASURES["releases"],
    ):
        assert attrs.has(type(value)) or isinstance(value, When)
        assert not hasattr(value, "__dict__")
        hash(value)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        stock().measure = "x"  # type: ignore[misc]


def test_tally_source_defaults_to_publisher() -> None:
    r = report(stock(), stock(source="clippve"))
    assert [t.source for t in r.tallies] == ["foro-penal", "clippve"]


def expect(exc: type[Exception], field: str, value: str, make: object) -> None:
    with pytest.raises(exc) as info:
        make()  # type: ignore[operator]
    assert isinstance(info.value, VzdetainError)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert field in message, message
    assert value in message, message


def test_negative_stated_count() -> None:
    expect(ValidationError, "stated", "-3", lambda: Count.exact(-3))


def test_low_above_high() -> None:
    expect(ValidationError, "low", "9", lambda: Count(None, Count.between(0, 1).qualifier, 9, 3))


def test_naive_datetime() -> None:
    expect(ValidationError, "moment", "2026", lambda: When.instant(dt.datetime(2026, 1, 19)))


def test_flow_without_period_start() -> None:
    t = Tally("releases", Count.exact(143), CUTOFF)
    expect(
        ValidationError, "reports[0].tallies[0].period_start", "None", lambda: Dataset([report(t)])
    )


def test_stock_with_period_start() -> None:
    t = stock(period_start=JAN_8)
    expect(
        ValidationError,
        "reports[0].tallies[0].period_start",
        "2026-01-08",
        lambda: Dataset([report(t)]),
    )


def test_as_of_before_period_start() -> None:
    expect(
        ValidationError,
        "as_of",
        "2026-01-07",
        lambda: Tally("releases", Count.exact(1), When.parse("2026-01-07"), period_start=JAN_8),
    )


def test_unknown_measure_and_source() -> None:
    expect(
        UnknownReferenceError,
        "reports[0].tallies[0].measure",
        "prisoners",
        lambda: Dataset([report(Tally("prisoners", Count.exact(1), CUTOFF))]),
    )
    expect(
        UnknownReferenceError,
        "reports[0].tallies[0].source",
        "nobody",
        lambda: Dataset([report(stock(source="nobody"))]),
    )
    expect(
        UnknownReferenceError,
        "reports[0].publisher",
        "nobody",
        lambda: Dataset([report(publisher="nobody")]),
    )
    expect(
        UnknownReferenceError,
        "reports[0].tallies[0].via[0]",
        "nobody",
        lambda: Dataset([report(stock(via=("nobody",)))]),
    )


def test_duplicate_ids() -> None:
    expect(DuplicateIdError, "reports[1].id", "r1", lambda: Dataset([report(), report()]))
    src = Source("x-media", "X", SourceKind.MEDIA)
    expect(DuplicateIdError, "sources[1].id", "x-media", lambda: Dataset([], sources=[src, src]))
    m = Measure("x_cases", MeasureKind.STOCK)
    expect(DuplicateIdError, "measures[1].name", "x_cases", lambda: Dataset([], measures=[m, m]))
    clash = Source("foro-penal", "Not Foro Penal", SourceKind.OTHER)
    expect(DuplicateIdError, "sources[0].id", "foro-penal", lambda: Dataset([], sources=[clash]))


def test_measure_nesting_is_checked() -> None:
    bad = Measure("x_flow", MeasureKind.FLOW, within=("political_prisoners",))
    expect(
        ValidationError,
        "measures[0].within[0]",
        "political_prisoners",
        lambda: Dataset([], measures=[bad]),
    )
    a = Measure("x_a", MeasureKind.STOCK, within=("x_b",))
    b = Measure("x_b", MeasureKind.STOCK, within=("x_a",))
    expect(ValidationError, "measures", "x_a", lambda: Dataset([], measures=[a, b]))
    unknown = Measure("x_a", MeasureKind.STOCK, within=("x_zzz",))
    expect(
        UnknownReferenceError,
        "measures[0].within[0]",
        "x_zzz",
        lambda: Dataset([], measures=[unknown]),
    )


def test_release_fields_only_on_release_measures() -> None:
    t = stock(release_kind=ReleaseKind.FULL)
    expect(ValidationError, "release_kind", "political_prisoners", lambda: Dataset([report(t)]))
    ok = Tally(
        "full_releases", Count.exact(2), CUTOFF, period_start=JAN_8, release_kind=ReleaseKind.FULL
    )
    Dataset([report(ok)])


def test_tally_field_validation() -> None:
    expect(
        ValidationError,
        "measure",
        "Political Prisoners",
        lambda: Tally("Political Prisoners", Count.exact(1), CUTOFF),
    )
    expect(
        ValidationError, "count", "DERIVED", lambda: Tally("releases", Count.between(0, 3), CUTOFF)
    )
    expect(ValidationError, "subgroup.sex", "a;b", lambda: stock(subgroup={"sex": "a;b"}))
    expect(ValidationError, "basis", "verified", lambda: stock(basis="verified"))
    expect(ValidationError, "source", "Foro Penal", lambda: stock(source="Foro Penal"))


def test_report_needs_tallies_and_valid_fields() -> None:
    expect(ValidationError, "tallies", "()", lambda: Report("r", "foro-penal", CUTOFF, ()))
    expect(
        ValidationError, "id", "bad id", lambda: Report("bad id", "foro-penal", CUTOFF, (stock(),))
    )
    expect(
        ValidationError,
        "language",
        "Spanish",
        lambda: Report("r", "foro-penal", CUTOFF, (stock(),), language="Spanish"),
    )


def test_release_condition_validation() -> None:
    c = ReleaseCondition(ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=30))
    assert c.every is not None
    assert c.every.in_days() == 30
    expect(
        ValidationError,
        "every",
        "Duration()",
        lambda: ReleaseCondition(ConditionKind.BAIL, every=pendulum.duration()),
    )
    # files keep whole seconds: a fraction would be lost on the way out, so it is refused
    half = pendulum.duration(days=1, seconds=1.5)
    with pytest.raises(ValidationError, match="whole number of seconds") as info:
        ReleaseCondition(ConditionKind.PERIODIC_PRESENTATION, every=half)
    assert info.value.path == ("every",)
    expect(ValidationError, "kind", "travel", lambda: ReleaseCondition("travel"))  # type: ignore[arg-type]


def test_dataset_timezone_and_lookups() -> None:
    expect(
        ValidationError, "timezone", "Mars/Olympus", lambda: Dataset([], timezone="Mars/Olympus")
    )
    ds = Dataset([report()], sources=[Source("x-media", "X", SourceKind.MEDIA)])
    assert ds.source("x-media").name == "X"
    assert ds.source("foro-penal") is SOURCES["foro-penal"]
    assert ds.measure("political_prisoners").kind is MeasureKind.STOCK
    assert ds.broader("full_releases") == {"releases"}
    with pytest.raises(UnknownReferenceError, match="nobody"):
        ds.source("nobody")
    assert [str(r) for r in ds.refs()] == ["r1#0"]


def test_labels() -> None:
    assert ReleaseKind.FULL.label("es") == "libertad plena"
    assert ConditionKind.PERIODIC_PRESENTATION.label("es") == "régimen de presentación"
    assert all(k.label("en") and k.label("es") for k in ConditionKind)
    assert all(k.label("en") and k.label("es-VE") for k in ReleaseKind)
    with pytest.raises(ValidationError, match="lang"):
        ReleaseKind.FULL.label("de")


def test_basis_enum_values() -> None:
    assert {b.value for b in Basis} == {"verified", "announced", "estimated", "planned", "unstated"}


@attrs.frozen(slots=True)
class _NotedTally(Tally):
    note: str = attrs.field(default="", kw_only=True)


def test_a_tally_subclass_keeps_its_class_and_fields_when_attributed_to_the_publisher() -> None:
    t = _NotedTally("political_prisoners", Count.exact(5), CUTOFF, note="x")
    r = Report("r1", "foro-penal", When.parse("2026-01-20"), [t])
    (got,) = r.tallies
    assert type(got) is _NotedTally
    assert (got.note, got.source) == ("x", "foro-penal")


def test_strategy_flows_start_before_their_cut_off_across_a_skipped_day() -> None:
    """Kiritimati skipped 31 December 1994: a day back from 1 January 1995, 14:00 local is
    the same instant. The strategies' period starts must still come before the cut-off."""
    from vzdetain.testing import _days_before

    cut = pendulum.datetime(1995, 1, 1, 14, tz="Pacific/Kiritimati")
    assert cut.subtract(days=1) >= cut  # the trap
    assert _days_before(cut, 1) == pendulum.datetime(1994, 12, 31, 0, tz="UTC")
    later = pendulum.datetime(2026, 1, 19, 21, 45, tz="America/Caracas")
    assert _days_before(later, 3) == later.subtract(days=3)  # elsewhere, local days
