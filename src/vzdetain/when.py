"""Reported times as intervals of instants.

A :class:`When` is what a statement's time can mean: an instant ("19 Jan 2026, 9:45 p.m.
Caracas"), or a whole local day, month or year in a time zone. ``start`` is the first
instant it covers and ``end`` the first instant *after* it (for an instant, ``end ==
start``). Equality, hashing and ordering go by instant, never by wall-clock fields.

>>> from vzdetain import When
>>> cutoff = When.parse("2026-01-19T21:45-04:00")
>>> cutoff.start.in_tz("UTC").isoformat()
'2026-01-20T01:45:00+00:00'
>>> day = When.parse("2026-01-19")          # the whole day in America/Caracas
>>> day.start.isoformat(), day.end.isoformat()
('2026-01-19T00:00:00-04:00', '2026-01-20T00:00:00-04:00')
>>> day.contains(cutoff.start)
True
>>> cutoff == When.parse("2026-01-20T01:45Z")
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re
from typing import Any, Final

import attrs
import pendulum
from pendulum import DateTime
from pendulum.tz.timezone import FixedTimezone, Timezone

from vzdetain.errors import NaiveDatetimeError, ValidationError, WhenParseError

__all__ = ["DEFAULT_TIMEZONE", "Precision", "When", "ensure_aware", "timezone"]

#: The zone in which dates without a time are read unless a dataset says otherwise.
DEFAULT_TIMEZONE: Final = "America/Caracas"

_MAX_TEXT = 100
_WHEN_RE: Final = re.compile(
    r"(?P<y>[0-9]{4})"
    r"(?:-(?P<mo>[0-9]{2})"
    r"(?:-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<h>[0-9]{2})"
    r"(?::(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:\.(?P<us>[0-9]{1,6}))?)?)?"
    r"(?P<off>Z|[+-][0-9]{2}(?::?[0-9]{2}(?::[0-9]{2})?)?)?)?)?)?"
    r"(?:\[(?P<zone>[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,2}|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)\])?"
)


_OFFSET_ZONE_RE: Final = re.compile(r"([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


class Precision(enum.Enum):
    """How finely a time was reported."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


ZoneLike = str | Timezone | FixedTimezone


def timezone(tz: ZoneLike | dt.tzinfo) -> Timezone | FixedTimezone:
    """Return a pendulum zone for a name or zone object; raise ``ValidationError`` if unknown.

    >>> timezone("America/Caracas").name
    'America/Caracas'
    """
    if isinstance(tz, Timezone | FixedTimezone):
        return tz
    if isinstance(tz, str):
        return _named_zone(tz)
    if isinstance(tz, dt.tzinfo):
        key = getattr(tz, "key", None) or getattr(tz, "zone", None)
        if isinstance(key, str):
            return timezone(key)
        offset = tz.utcoffset(None)
        if offset is not None:
            return FixedTimezone(int(offset.total_seconds()))
        if tz is dt.UTC:
            return FixedTimezone(0)
    raise ValidationError("not a time zone", path=("timezone",), value=tz)


@functools.lru_cache(maxsize=1024)
def _named_zone(tz: str) -> Timezone | FixedTimezone:
    """:func:`timezone` of a name or offset text (zones are immutable: each is made once)."""
    m = _OFFSET_ZONE_RE.fullmatch(tz)
    if m is not None:
        hh, mm, ss = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
        if hh > 23 or mm > 59 or ss > 59:
            raise ValidationError("bad UTC offset", path=("timezone",), value=tz)
        return FixedTimezone((hh * 3600 + mm * 60 + ss) * (-1 if m.group(1) == "-" else 1))
    try:
        return pendulum.timezone(tz)
    except Exception:  # pendulum raises several unrelated types for bad names
        raise ValidationError("unknown time zone", path=("timezone",), value=tz) from None


def ensure_aware(value: Any, *, path: tuple[str, ...] = ()) -> DateTime:
    """Return ``value`` as a pendulum ``DateTime``; reject naive datetimes.

    >>> ensure_aware(pendulum.datetime(2026, 1, 19, tz="UTC")).isoformat()
    '2026-01-19T00:00:00+00:00'
    >>> import datetime
    >>> ensure_aware(datetime.datetime(2026, 1, 19))
    Traceback (most recent call last):
    ...
    vzdetain.errors.NaiveDatetimeError: naive datetime: give a time zone ...
    """
    if not isinstance(value, dt.datetime):
        raise ValidationError("must be a datetime", path=path, value=value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "naive datetime: give a time zone (naive datetimes are never guessed)",
            path=path,
            value=value,
        )
    if isinstance(value, DateTime):
        return value
    return pendulum.instance(value)


def _offset_text(t: dt.datetime) -> str:
    """``+05:45``-style offset of an aware datetime.

    With seconds when it has some (``-04:27:40``: local mean time, before standard zones).
    """
    off = t.utcoffset()
    assert off is not None
    seconds = round(off.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hh, rest = divmod(abs(seconds), 3600)
    mm, ss = divmod(rest, 60)
    return f"{sign}{hh:02d}:{mm:02d}" + (f":{ss:02d}" if ss else "")


def _zone_name(tz: Any) -> str | None:
    """The IANA name of a named zone, or None for a fixed offset."""
    if isinstance(tz, Timezone) and not isinstance(tz, FixedTimezone):
        return tz.name
    return None


def _local(
    y: int, mo: int, d: int, h: int, mi: int, s: int, us: int, tz: Timezone | FixedTimezone
) -> DateTime:
    """A local wall time in ``tz``; raise if it is ambiguous or does not exist there."""
    naive = dt.datetime(y, mo, d, h, mi, s, us)
    if isinstance(tz, FixedTimezone):
        return pendulum.instance(naive.replace(tzinfo=tz))
    a = naive.replace(tzinfo=tz, fold=0)
    b = naive.replace(tzinfo=tz, fold=1)
    if a.utcoffset() != b.utcoffset():
        # Either a repeated wall time (fold matters) or a skipped one (round trip fails).
        back = a.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
        what = "does not exist" if back != naive else "is ambiguous"
        raise ValidationError(
            f"local time {what} in {tz.name}; write it with a UTC offset",
            path=(),
            value=naive.isoformat(),
        )
    return pendulum.instance(a)


def _midnight(day: dt.date, tz: Timezone | FixedTimezone) -> DateTime:
    """The first instant of a local day (midnight, or later if midnight was skipped)."""
    return pendulum.datetime(day.year, day.month, day.day, tz=tz)


def _check_year(year: object) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise ValidationError("must be a whole number from 1 to 9999", path=("year",), value=year)


_OUT_OF_RANGE: Final = "out of range: years 1 to 9999, in UTC as well"


def _midnights(
    first: dt.date, after: dt.date | None, tz: Timezone | FixedTimezone, path: str
) -> tuple[DateTime, DateTime, tuple[int, int]]:
    """The midnights starting ``first`` and ``after``, and their instants in µs.

    ``after`` is None past the calendar's end, which is out of range.
    """
    if after is not None:
        try:
            start, end = _midnight(first, tz), _midnight(after, tz)
            return start, end, (_utc_us(start), _utc_us(end))
        except (OverflowError, ValueError):
            pass
    raise ValidationError(_OUT_OF_RANGE, path=(path,), value=str(first))


@attrs.frozen(slots=True, eq=False, repr=False)
class When:
    """A reported time: the interval ``[start, end)`` of instants it can mean.

    Build one with :meth:`parse`, :meth:`instant`, :meth:`day`, :meth:`month` or
    :meth:`year`. For an instant (``Precision.MINUTE``), ``end == start``.

    Attributes:
        start: First instant covered (pendulum ``DateTime``, in the zone it was written in).
        end: First instant after the interval (equal to ``start`` for an instant).
        precision: How finely the time was reported.
    """

    start: DateTime
    end: DateTime
    precision: Precision
    _key: tuple[int, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        ensure_aware(self.start, path=("start",))
        ensure_aware(self.end, path=("end",))
        if not isinstance(self.start, DateTime) or not isinstance(self.end, DateTime):
            raise ValidationError("must be a pendulum DateTime", path=("start",), value=self.start)
        if not isinstance(self.precision, Precision):
            raise ValidationError("must be a Precision", path=("precision",), value=self.precision)
        try:
            key = (_utc_us(self.start), _utc_us(self.end))
        except OverflowError:  # within a day of the ends of the calendar, in UTC
            raise ValidationError(
                _OUT_OF_RANGE,
                path=("start",),
                value=self.start.isoformat(),
            ) from None
        object.__setattr__(self, "_key", key)
        if key[1] < key[0]:
            raise ValidationError(
                f"end must not be before start ({self.start.isoformat()})",
                path=("end",),
                value=self.end.isoformat(),
            )
        if (self.precision is Precision.MINUTE) != (key[1] == key[0]):
            raise ValidationError(
                "an instant (MINUTE) has end == start; other precisions span time",
                path=("end",),
                value=self.end.isoformat(),
            )
        if self.precision is not Precision.MINUTE:
            zone = _zone_key(self.start)
            if _canonical_span(self.start.isoformat(), zone, self.precision) != key:
                raise ValidationError(
                    f"a {self.precision.value} must be a whole local {self.precision.value} "
                    f"in its zone ({zone}), from its first instant to the next one's",
                    path=("start",),
                    value=f"{self.start.isoformat()} .. {self.end.isoformat()}",
                )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def instant(cls, moment: dt.datetime) -> When:
        """An instant; ``moment`` must carry a time zone.

        >>> When.instant(pendulum.datetime(2026, 1, 19, 21, 45, tz="America/Caracas"))
        When('2026-01-19T21:45-04:00[America/Caracas]')
        """
        t = ensure_aware(moment, path=("moment",))
        return cls(t, t, Precision.MINUTE)

    @classmethod
    def day(cls, day: dt.date, tz: ZoneLike = DEFAULT_TIMEZONE) -> When:
        """The whole local ``day`` in ``tz`` (default America/Caracas)."""
        zone = timezone(tz)
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ValidationError(
                "must be a date (a datetime is a moment: When.instant)", path=("day",), value=day
            )
        d = dt.date(day.year, day.month, day.day)
        start, end, key = _midnights(
            d, d + dt.timedelta(days=1) if d < dt.date.max else None, zone, "day"
        )
        if key[0] == key[1]:  # e.g. 1994-12-31 in Pacific/Kiritimati, skipped at the date line
            raise ValidationError(
                f"this local day does not exist in {zone.name}", path=("day",), value=d.isoformat()
            )
        return cls._whole(start, end, key, Precision.DAY)

    @classmethod
    def _whole(
        cls, start: DateTime, end: DateTime, key: tuple[int, int], precision: Precision
    ) -> When:
        """A period from two local midnights of one zone, which make it whole by construction.

        Skips the check that ``__init__`` would make by computing the same midnights again.
        ``key`` holds their instants in µs.
        """
        if key[1] <= key[0]:
            return cls(start, end, precision)  # which raises, and says why
        w: When = object.__new__(cls)
        _SET_START(w, start)
        _SET_END(w, end)
        _SET_PRECISION(w, precision)
        _SET_KEY(w, key)
        return w

    @classmethod
    def month(cls, year: int, month: int, tz: ZoneLike = DEFAULT_TIMEZONE) -> When:
        """The whole local month."""
        zone = timezone(tz)
        _check_year(year)
        if isinstance(month, bool) or not (isinstance(month, int) and 1 <= month <= 12):
            raise ValidationError("month must be 1..12", path=("month",), value=month)
        first = dt.date(year, month, 1)
        nxt = (
            None if (year, month) == (9999, 12) else dt.date(year + month // 12, month % 12 + 1, 1)
        )
        return cls._whole(*_midnights(first, nxt, zone, "month"), Precision.MONTH)

    @classmethod
    def year(cls, year: int, tz: ZoneLike = DEFAULT_TIMEZONE) -> When:
        """The whole local year."""
        zone = timezone(tz)
        _check_year(year)
        nxt = dt.date(year + 1, 1, 1) if year < 9999 else None
        return cls._whole(*_midnights(dt.date(year, 1, 1), nxt, zone, "year"), Precision.YEAR)

    @classmethod
    def parse(cls, text: str, *, tz: ZoneLike = DEFAULT_TIMEZONE) -> When:
        """Read an ISO-8601-like time.

        Accepted forms: ``2026``, ``2026-01``, ``2026-01-19`` (whole local periods in ``tz``),
        ``2026-01-19T21`` (an hour), ``2026-01-19T21:45`` (an instant, with optional seconds),
        each with an optional UTC offset (``Z``, ``-04:00``) and an optional zone in brackets
        (``2026-01-19[America/Caracas]``) that overrides ``tz``. A local time without an offset
        is read in the zone; one that is ambiguous or skipped there is rejected.

        >>> When.parse("2026-01").precision
        <Precision.MONTH: 'month'>
        >>> When.parse("19/01/2026")
        Traceback (most recent call last):
        ...
        vzdetain.errors.WhenParseError: when: not a time; expected e.g. 2026-01-19 or ...
        """
        if not isinstance(text, str):
            raise WhenParseError("must be a string", path=("when",), value=text)
        if not isinstance(tz, str | Timezone | FixedTimezone):
            raise ValidationError(
                "not a time zone: a name such as 'America/Caracas', an offset such as "
                "'-04:00', or a pendulum zone",
                path=("tz",),
                value=tz,
            )
        return _parse_cached(text, tz)

    @classmethod
    def _parse(cls, text: str, tz: ZoneLike) -> When:
        if len(text) > _MAX_TEXT:
            raise WhenParseError(
                f"text longer than {_MAX_TEXT} characters", path=("when",), value=text[:40] + "…"
            )
        s = text.strip()
        m = _WHEN_RE.fullmatch(s)
        if m is None:
            raise WhenParseError(
                "not a time; expected e.g. 2026-01-19 or 2026-01-19T21:45-04:00",
                path=("when",),
                value=text,
            )
        try:
            return cls._from_match(m, tz)
        except ValidationError as exc:
            if exc.path == ("timezone",) and not m.group("zone"):  # the zone given, not the text
                raise WhenParseError(exc.reason, path=("tz",), value=tz) from None
            raise WhenParseError(exc.reason, path=("when",), value=text) from None
        except (ValueError, OverflowError) as exc:
            raise WhenParseError(f"not a valid time: {exc}", path=("when",), value=text) from None

    @classmethod
    def _from_match(cls, m: re.Match[str], tz: ZoneLike) -> When:
        g = m.groupdict()
        zone = timezone(g["zone"]) if g["zone"] else timezone(tz)
        off = g["off"]
        if off is not None and g["h"] is None:
            raise ValidationError("a UTC offset needs a time of day", value=off)
        if off is not None:
            if off == "Z":
                seconds = 0
            else:
                digits = off[1:].replace(":", "")
                hh, mm, ss = int(digits[:2]), int(digits[2:4] or "0"), int(digits[4:] or "0")
                if hh > 23 or mm > 59 or ss > 59:
                    raise ValidationError("bad UTC offset", value=off)
                seconds = (hh * 3600 + mm * 60 + ss) * (-1 if off[0] == "-" else 1)
        y = int(g["y"])
        if g["mo"] is None:
            return cls.year(y, zone)
        mo = int(g["mo"])
        if g["d"] is None:
            if not 1 <= mo <= 12:
                raise ValidationError("month must be 1..12", value=mo)
            return cls.month(y, mo, zone)
        d = int(g["d"])
        if g["h"] is None:
            return cls.day(dt.date(y, mo, d), zone)
        h = int(g["h"])
        mi = int(g["mi"] or 0)
        sec = int(g["s"] or 0)
        us = int((g["us"] or "0").ljust(6, "0"))
        if off is not None:
            fixed = FixedTimezone(seconds)
            start = pendulum.instance(dt.datetime(y, mo, d, h, mi, sec, us, tzinfo=fixed))
            if g["zone"]:
                start = start.in_tz(zone)
                if start.utcoffset() != dt.timedelta(seconds=seconds):
                    raise ValidationError(
                        f"offset {off} does not match {g['zone']} at that time", value=off
                    )
        else:
            start = _local(y, mo, d, h, mi, sec, us, zone)
        if g["mi"] is None:
            return cls(start, _next_wall_hour(start), Precision.HOUR)
        return cls(start, start, Precision.MINUTE)

    @classmethod
    def coerce(
        cls, value: When | dt.datetime | dt.date | str, *, tz: ZoneLike = DEFAULT_TIMEZONE
    ) -> When:
        """Turn a ``When``, an aware datetime, a date (a whole local day) or a text into one."""
        if isinstance(value, When):
            return value
        if isinstance(value, dt.datetime):
            return cls.instant(value)
        if isinstance(value, dt.date):
            return cls.day(value, tz)
        if isinstance(value, str):
            return cls.parse(value, tz=tz)
        raise ValidationError("must be a When, datetime, date or text", value=value)

    # ------------------------------------------------------------------ views
    @property
    def is_instant(self) -> bool:
        """True for an instant (``end == start``)."""
        return self.precision is Precision.MINUTE

    @property
    def zone(self) -> Timezone | FixedTimezone:
        """The zone the time was written in."""
        tz = self.start.tzinfo
        assert isinstance(tz, Timezone | FixedTimezone)
        return tz

    def contains(self, moment: dt.datetime) -> bool:
        """True if the instant ``moment`` is one this time can mean."""
        t = _utc_us(ensure_aware(moment, path=("moment",)))
        a, b = self._key
        if a == b:
            return t == a
        return a <= t < b

    def overlaps(self, other: When) -> bool:
        """True if some instant is meant by both (an instant at a period's end is outside)."""
        (a0, a1), (b0, b1) = self._key, other._key
        if a0 == a1 and b0 == b1:
            return a0 == b0
        if a0 == a1:
            return b0 <= a0 < b1
        if b0 == b1:
            return a0 <= b0 < a1
        return a0 < b1 and b0 < a1

    def in_tz(self, tz: ZoneLike) -> When:
        """An instant displayed in another zone (equal to ``self``).

        A period (an hour, day, month or year) is returned unchanged: it is defined by the
        calendar of its own zone, so "19 January in UTC" is not re-labelled as a Caracas day.
        """
        zone = timezone(tz)
        if not self.is_instant:
            return self
        return When(self.start.in_tz(zone), self.end.in_tz(zone), self.precision)

    def format(self, default_tz: ZoneLike | None = DEFAULT_TIMEZONE) -> str:
        """The canonical text, read back by :meth:`parse` with ``tz=default_tz``.

        The zone is written in brackets only when it differs from ``default_tz``.

        >>> When.day(dt.date(2026, 1, 17)).format()
        '2026-01-17'
        >>> When.day(dt.date(2026, 1, 17), "UTC").format()
        '2026-01-17[UTC]'
        """
        s = self.start
        name = _zone_name(s.tzinfo)
        default = _zone_name(timezone(default_tz)) if default_tz is not None else None
        suffix = f"[{name}]" if name is not None and name != default else ""
        p = self.precision
        if name is None and p in (Precision.DAY, Precision.MONTH, Precision.YEAR):
            suffix = f"[{_offset_text(s)}]"  # a local period in a fixed UTC offset
        if p is Precision.YEAR:
            return f"{s.year:04d}{suffix}"
        if p is Precision.MONTH:
            return f"{s.year:04d}-{s.month:02d}{suffix}"
        if p is Precision.DAY:
            return f"{s.year:04d}-{s.month:02d}-{s.day:02d}{suffix}"
        off = _offset_text(s)
        off = "Z" if off == "+00:00" else off
        if p is Precision.HOUR:
            if not suffix and name is not None and self._key[1] - self._key[0] != 3_600_000_000:
                # an hour the clocks change in is not an hour long: only its zone says how long
                suffix = f"[{name}]"
            return f"{s.year:04d}-{s.month:02d}-{s.day:02d}T{s.hour:02d}{off}{suffix}"
        clock = f"{s.hour:02d}:{s.minute:02d}"
        if s.second or s.microsecond:
            clock += f":{s.second:02d}"
        if s.microsecond:
            clock += f".{s.microsecond:06d}"
        return f"{s.year:04d}-{s.month:02d}-{s.day:02d}T{clock}{off}{suffix}"

    def __str__(self) -> str:
        return self.format(None)

    def __repr__(self) -> str:
        return f"When({self.format(None)!r})"

    # ------------------------------------------------------------------ identity by instant
    # Python compares datetimes of different zones unequal when either lies in a repeated
    # or skipped wall-clock hour (PEP 495), so identity goes by UTC microseconds instead.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key == other._key and self.precision is other.precision

    def __hash__(self) -> int:
        return hash((self._key, self.precision))

    def __lt__(self, other: When) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key < other._key or (
            self._key == other._key and _ORDER[self.precision] < _ORDER[other.precision]
        )

    def __le__(self, other: When) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self == other or self < other

    def __gt__(self, other: When) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return other < self

    def __ge__(self, other: When) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self == other or other < self


_ORDER: Final = {p: i for i, p in enumerate(Precision)}
_SET_START, _SET_END, _SET_PRECISION, _SET_KEY = (
    When.__dict__[name].__set__ for name in ("start", "end", "precision", "_key")
)


_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()


def _utc_us(t: dt.datetime) -> int:
    """Microseconds since the epoch, honouring ``fold`` in repeated wall-clock hours.

    ``calendar.timegm(t.utctimetuple()) * 10**6 + t.microsecond``, in integers: the same
    for an offset of whole seconds (every zone's), away from the ends of the calendar.
    """
    off = t.utcoffset()
    if off is None or off.microseconds or not 1 < t.year < 9999:
        return calendar.timegm(t.utctimetuple()) * 1_000_000 + t.microsecond
    seconds = (t.toordinal() - _EPOCH_ORDINAL) * 86_400 + t.hour * 3600 + t.minute * 60
    return (seconds + t.second - off.days * 86_400 - off.seconds) * 1_000_000 + t.microsecond


def _zone_key(t: dt.datetime) -> str:
    """The zone of ``t`` as text: its IANA name, or its fixed offset."""
    name = _zone_name(t.tzinfo)
    return name if name is not None else _offset_text(t)


def _next_wall_hour(start: DateTime) -> DateTime:
    """The first instant of the next wall-clock hour in ``start``'s zone.

    Across a change of offset a wall-clock hour may last 30 or 90 minutes (Caracas,
    2016-05-01 and 2007-12-09).
    """
    tz = start.tzinfo
    assert tz is not None
    wall = dt.datetime(start.year, start.month, start.day, start.hour) + dt.timedelta(hours=1)
    nxt = pendulum.instance(wall.replace(tzinfo=tz, fold=0).astimezone(dt.UTC))
    return nxt.in_tz(tz)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=65_536)
def _canonical_span(start_iso: str, zone: str, precision: Precision) -> tuple[int, int]:
    """The span a period of ``precision`` starting at ``start_iso`` must have in ``zone``."""
    # fromisoformat reads offsets in seconds too (local mean time), which pendulum.parse refuses
    start = pendulum.instance(dt.datetime.fromisoformat(start_iso))
    z = timezone(zone)
    local = start.in_tz(z)
    if precision is Precision.HOUR:
        first = local.set(minute=0, second=0, microsecond=0)
        return _utc_us(first), _utc_us(_next_wall_hour(first))
    day = local.date()
    if precision is Precision.DAY:
        return _utc_us(_midnight(day, z)), _utc_us(_midnight(day + dt.timedelta(days=1), z))
    if precision is Precision.MONTH:
        first_day = day.replace(day=1)
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return _utc_us(_midnight(first_day, z)), _utc_us(_midnight(nxt, z))
    return (
        _utc_us(_midnight(dt.date(day.year, 1, 1), z)),
        _utc_us(_midnight(dt.date(day.year + 1, 1, 1), z)),
    )


@functools.lru_cache(maxsize=65_536)
def _parse_cached(text: str, tz: ZoneLike) -> When:
    """Times are immutable, so equal texts in one zone share one parsed value."""
    return When._parse(text, tz)
