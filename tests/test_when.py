"""Times: parsing, precision, zones, Caracas' offset changes, identity by instant."""

from __future__ import annotations

import contextlib
import datetime as dt

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vzdetain import Precision, When
from vzdetain import testing as vzst
from vzdetain.errors import NaiveDatetimeError, ValidationError, VzdetainError, WhenParseError
from vzdetain.testing import _hour_of

CCS = "America/Caracas"


def test_instant_with_offset() -> None:
    w = When.parse("2026-01-19T21:45-04:00")
    assert w.precision is Precision.MINUTE
    assert w.is_instant
    assert w.start == w.end == pendulum.datetime(2026, 1, 20, 1, 45, tz="UTC")


def test_cutoff_posted_next_day_in_utc_is_still_the_19th_in_caracas() -> None:
    cutoff = When.parse("2026-01-20T01:45Z")
    assert cutoff.start.in_tz(CCS).date() == dt.date(2026, 1, 19)
    assert When.day(dt.date(2026, 1, 19)).contains(cutoff.start)
    assert not When.day(dt.date(2026, 1, 20)).contains(cutoff.start)


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2026-01-19", Precision.DAY, "2026-01-19T00:00:00-04:00", "2026-01-20T00:00:00-04:00"),
        ("2026-01", Precision.MONTH, "2026-01-01T00:00:00-04:00", "2026-02-01T00:00:00-04:00"),
        ("2026-12", Precision.MONTH, "2026-12-01T00:00:00-04:00", "2027-01-01T00:00:00-04:00"),
        ("2024", Precision.YEAR, "2024-01-01T00:00:00-04:00", "2025-01-01T00:00:00-04:00"),
        ("2026-01-19T21", Precision.HOUR, "2026-01-19T21:00:00-04:00", "2026-01-19T22:00:00-04:00"),
        (
            "2026-01-19T21:45",
            Precision.MINUTE,
            "2026-01-19T21:45:00-04:00",
            "2026-01-19T21:45:00-04:00",
        ),
        (
            "2026-01-19 21:45:30.5Z",
            Precision.MINUTE,
            "2026-01-19T21:45:30.500000+00:00",
            "2026-01-19T21:45:30.500000+00:00",
        ),
        (
            "2026-01-19[UTC]",
            Precision.DAY,
            "2026-01-19T00:00:00+00:00",
            "2026-01-20T00:00:00+00:00",
        ),
        (
            "2026-01-19T21:45-04:00[America/Caracas]",
            Precision.MINUTE,
            "2026-01-19T21:45:00-04:00",
            "2026-01-19T21:45:00-04:00",
        ),
    ],
)
def test_parse_forms(text: str, precision: Precision, start: str, end: str) -> None:
    w = When.parse(text)
    assert w.precision is precision
    assert w.start.isoformat() == start
    assert w.end.isoformat() == end


def test_caracas_2007_transition_day_is_24_and_a_half_hours() -> None:
    day = When.parse("2007-12-09")
    assert day.start.isoformat() == "2007-12-09T00:00:00-04:00"
    assert day.end.isoformat() == "2007-12-10T00:00:00-04:30"
    assert (day.end - day.start).in_minutes() == 24 * 60 + 30


def test_caracas_2016_transition_day_is_23_and_a_half_hours() -> None:
    day = When.parse("2016-05-01")
    assert day.start.isoformat() == "2016-05-01T00:00:00-04:30"
    assert day.end.isoformat() == "2016-05-02T00:00:00-04:00"
    assert (day.end - day.start).in_minutes() == 23 * 60 + 30


def test_ambiguous_and_skipped_local_times_are_rejected() -> None:
    # 2007-12-09: clocks went back from 03:00 to 02:30, so 02:45 happened twice.
    with pytest.raises(WhenParseError, match="ambiguous"):
        When.parse("2007-12-09T02:45")
    # 2016-05-01: clocks jumped from 02:30 to 03:00, so 02:45 never happened.
    with pytest.raises(WhenParseError, match="does not exist"):
        When.parse("2016-05-01T02:45")
    # With an offset there is no doubt.
    a = When.parse("2007-12-09T02:45-04:00")
    b = When.parse("2007-12-09T02:45-04:30")
    assert b.start.diff(a.start).in_minutes() == 30


def test_equality_hash_and_order_go_by_instant() -> None:
    a = When.parse("2026-01-19T21:45-04:00")
    b = When.parse("2026-01-20T01:45Z")
    c = When.parse("2026-01-20T05:45+04:00")
    assert a == b == c
    assert len({a, b, c}) == 1
    assert a.in_tz("Asia/Tokyo") == a
    later = When.parse("2026-01-19T21:46-04:00")
    assert a < later
    assert later > b
    assert a <= c
    assert c >= a
    assert sorted([later, a]) == [a, later]


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(NaiveDatetimeError, match="naive") as info:
        When.instant(dt.datetime(2026, 1, 19, 21, 45))
    assert isinstance(info.value, ValueError)
    assert "moment" in str(info.value)
    with pytest.raises(NaiveDatetimeError):
        When.coerce(dt.datetime(2026, 1, 19))


def test_aware_stdlib_datetimes_become_pendulum() -> None:
    w = When.coerce(dt.datetime(2026, 1, 19, tzinfo=dt.UTC))
    assert isinstance(w.start, pendulum.DateTime)
    assert When.coerce(dt.date(2026, 1, 19)) == When.parse("2026-01-19")
    assert When.coerce("2026-01") == When.parse("2026-01")


@pytest.mark.parametrize(
    "text",
    [
        "19/01/2026",
        "2026-13",
        "2026-02-30",
        "2026-01-19T25:00",
        "2026-01-19T21:61",
        "2026-01-19+04:00",
        "2026-01-19T21:45+25:00",
        "2026-01-19[Nowhere/City]",
        "2026-01-19[../etc]",
        "9999-12-31",
        "0000",
        "2026-01-19T21:45-05:00[America/Caracas]",
        "",
        "yesterday",
    ],
)
def test_rejects(text: str) -> None:
    with pytest.raises(WhenParseError) as info:
        When.parse(text)
    assert isinstance(info.value, ValueError)
    assert "when" in str(info.value)


def test_construction_is_validated() -> None:
    t = pendulum.datetime(2026, 1, 19, tz=CCS)
    with pytest.raises(ValidationError, match="end"):
        When(t, t.subtract(hours=1), Precision.DAY)
    with pytest.raises(ValidationError, match="instant"):
        When(t, t.add(hours=1), Precision.MINUTE)


def test_overlaps() -> None:
    day = When.parse("2026-01-18")
    assert day.overlaps(When.parse("2026-01"))
    assert not day.overlaps(When.parse("2026-01-19"))  # touching ends do not overlap
    assert day.overlaps(When.parse("2026-01-18T12:00-04:00"))
    assert not day.overlaps(When.parse("2026-01-19T00:00-04:00"))


def test_format() -> None:
    assert When.parse("2026-01-17").format() == "2026-01-17"
    assert When.parse("2026-01-17", tz="UTC").format() == "2026-01-17[UTC]"
    assert When.parse("2026-01-19T21:45Z").format() == "2026-01-19T21:45Z"
    assert str(When.parse("2026")) == "2026[America/Caracas]"


# ---------------------------------------------------------------------- laws


@given(vzst.whens(), vzst.zones())
def test_format_parse_round_trip(w: When, tz: str) -> None:
    assert When.parse(w.format(tz), tz=tz) == w


@given(vzst.whens(), vzst.zones())
def test_equality_and_hash_agree_with_instants(w: When, tz: str) -> None:
    moved = w.in_tz(tz)
    assert moved == w
    assert hash(moved) == hash(w)
    assert moved.start.timestamp() == w.start.timestamp()


@given(vzst.whens(), vzst.whens())
def test_order_is_by_instant(a: When, b: When) -> None:
    if a.start < b.start:
        assert a < b
    assert (a == b) == (a.start == b.start and a.end == b.end and a.precision is b.precision)
    assert (a < b) + (b < a) + (a == b) == 1


@given(st.text(max_size=120))
@example("2026-01-19T21:45" + "0" * 100_000)
@example("2026" + "-01" * 30_000)
def test_parse_only_raises_our_errors(text: str) -> None:
    with contextlib.suppress(VzdetainError):
        When.parse(text)


@given(st.text(alphabet="0123456789-:T Z+[]/.AmericaCrsUT", max_size=50), vzst.zones())
def test_parse_timeish_only_raises_our_errors(text: str, tz: str) -> None:
    with contextlib.suppress(VzdetainError):
        When.parse(text, tz=tz)


def test_identity_inside_the_repeated_half_hour_of_2007() -> None:
    # Python's own datetime equality says False across zones inside a repeated hour (PEP 495).
    a = When.parse("2007-12-09T02:45-04:00")
    local = a.in_tz("America/Caracas")
    assert local == a
    assert hash(local) == hash(a)
    b = When.parse("2007-12-09T02:45-04:30").in_tz("America/Caracas")
    assert b != a
    assert a < b
    assert When.parse("2007-12-09").contains(local.start)


def test_a_skipped_local_day_is_refused_clearly() -> None:
    with pytest.raises(ValidationError, match="does not exist in Pacific/Kiritimati"):
        When.day(dt.date(1994, 12, 31), "Pacific/Kiritimati")
    with pytest.raises(WhenParseError, match="does not exist"):
        When.parse("1994-12-31[Pacific/Kiritimati]")


@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from(
            [
                pendulum.timezone("America/Caracas"),
                pendulum.timezone("Europe/London"),
                pendulum.timezone("Asia/Kathmandu"),
                pendulum.timezone("Pacific/Chatham"),
                pendulum.FixedTimezone(-16_200),
                pendulum.FixedTimezone(0),
            ]
        ),
        allow_imaginary=True,
    )
)
def test_utc_microseconds_match_the_calendar_module(t: dt.datetime) -> None:
    """The integer arithmetic of _utc_us gives what calendar.timegm gives (fold included)."""
    import calendar

    from vzdetain.when import _utc_us

    assert _utc_us(t) == calendar.timegm(t.utctimetuple()) * 1_000_000 + t.microsecond


@pytest.mark.parametrize("zone", vzst.ZONES)
def test_the_strategies_hours_are_valid_across_clock_changes(zone: str) -> None:
    """Every half hour of the days a zone changes its clocks (2016) has a valid hour.

    The strategy once ended every hour 60 minutes after its start, which ``When`` rejects
    for the repeated hour when the clocks go back (St John's, 2016-11-06).
    """
    day = pendulum.datetime(2016, 1, 1, tz=zone)
    changes = 0
    for _ in range(366):
        nxt = day.add(days=1)
        if day.utcoffset() != nxt.utcoffset():
            changes += 1
            t = pendulum.instance(day.in_tz("UTC"))
            for _ in range(4 * 48):
                hour = _hour_of(t.in_tz(zone))  # raises if invalid
                assert hour.precision is Precision.HOUR
                assert hour.start <= t
                assert hour.end - hour.start <= dt.timedelta(hours=2)
                t = t.add(minutes=30)
        day = nxt
    fixed = {"UTC", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Kiritimati"}
    assert changes == 0 if zone in fixed else changes >= 1
