"""Hypothesis strategies for every public vzdetain type.

Use them to property-test your own pipeline; every value they generate is valid (it
constructs without error), and they cover open upper bounds, every qualifier, both
languages, many time zones and every precision.

>>> from hypothesis import given
>>> from vzdetain import testing as vzst
>>> @given(vzst.counts())
... def test_bounds(c):
...     assert c.low is None or c.high is None or c.low <= c.high
>>> test_bounds()

Requires the ``hypothesis`` package (the ``test`` extra).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Final

import pendulum
from hypothesis import strategies as st

from vzdetain.catalogue import MEASURES
from vzdetain.counts import SEVERAL_BOUNDS, Count, Qualifier
from vzdetain.errors import ValidationError
from vzdetain.model import (
    Basis,
    ConditionKind,
    Dataset,
    Measure,
    MeasureKind,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
)
from vzdetain.when import Precision, When, _next_wall_hour

__all__ = [
    "ZONES",
    "counts",
    "datasets",
    "languages",
    "measures",
    "release_conditions",
    "reports",
    "sources",
    "stated_counts",
    "tallies",
    "whens",
    "zones",
]

#: Zones the strategies draw from: Caracas (with its 2007 and 2016 changes), UTC, half- and
#: quarter-hour offsets, both hemispheres' daylight saving, and the date line.
ZONES: Final = (
    "America/Caracas",
    "UTC",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/Madrid",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "America/St_Johns",
)

_MIN_DAY: Final = dt.date(1995, 1, 1)
_MAX_DAY: Final = dt.date(2035, 12, 31)
_SLUG_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyz0123456789"


@functools.cache
def languages() -> st.SearchStrategy[str]:
    """The languages counts can be written in: ``"en"`` and ``"es"``."""
    return st.sampled_from(("en", "es"))


@functools.cache
def zones() -> st.SearchStrategy[str]:
    """IANA zone names from :data:`ZONES`."""
    return st.sampled_from(ZONES)


def stated_counts(
    *, qualifiers: Sequence[Qualifier] | None = None, max_value: int = 10**7
) -> st.SearchStrategy[Count]:
    """Counts as a statement can give them (never ``DERIVED``), with default vagueness.

    ``max_value`` caps the stated number (a qualifier that needs a positive figure, such as
    "nearly", still gets at least 1); the vague words keep their table bounds.
    """
    return _stated_counts(tuple(qualifiers or Qualifier), max_value)


@functools.cache
def _stated_counts(qualifiers: tuple[Qualifier, ...], max_value: int) -> st.SearchStrategy[Count]:
    allowed = [q for q in qualifiers if q is not Qualifier.DERIVED]

    @st.composite
    def build(draw: st.DrawFn) -> Count:
        q = draw(st.sampled_from(allowed))
        if q is Qualifier.SEVERAL:
            return Count.of(q, word=draw(st.sampled_from(sorted(SEVERAL_BOUNDS))))
        if q is Qualifier.MANY:
            return Count.of(q)
        low = 1 if q in (Qualifier.FEWER_THAN, Qualifier.NEARLY, Qualifier.ABOUT) else 0
        top = max(low, max_value)
        choices = [st.integers(low, min(2_000, top)), st.integers(low, top)]
        if top >= 100:  # round figures, as statements like to give them
            choices.append(st.integers(1, min(999, top // 100)).map(lambda k: k * 100))
        return Count.of(q, draw(st.one_of(choices)))

    return build()


@functools.cache
def counts(*, derived: bool = True, max_value: int = 10**7) -> st.SearchStrategy[Count]:
    """Any valid count, every qualifier.

    Unless ``derived=False``, also ``DERIVED`` intervals that may be negative or unbounded
    on either side.
    """
    base = stated_counts(max_value=max_value)
    if not derived:
        return base

    @st.composite
    def derived_counts(draw: st.DrawFn) -> Count:
        a = draw(st.one_of(st.none(), st.integers(-max_value, max_value)))
        b = draw(st.one_of(st.none(), st.integers(-max_value, max_value)))
        if a is not None and b is not None and a > b:
            a, b = b, a
        stated = None
        if draw(st.booleans()):
            lo = a if a is not None else -max_value
            hi = b if b is not None else max_value
            stated = draw(st.integers(lo, max(lo, hi)))
        return Count.between(a, b, stated=stated)

    return st.one_of(base, derived_counts())


@functools.cache
def _instants(zone: st.SearchStrategy[str]) -> st.SearchStrategy[pendulum.DateTime]:
    start = pendulum.datetime(_MIN_DAY.year, 1, 1, tz="UTC")
    span = int((pendulum.datetime(_MAX_DAY.year, 12, 31, tz="UTC") - start).total_seconds() // 60)

    @st.composite
    def build(draw: st.DrawFn) -> pendulum.DateTime:
        minutes = draw(st.integers(0, span))
        second = draw(st.sampled_from((0, 0, 0, 30)))
        t = start.add(minutes=minutes, seconds=second)
        z = draw(zone)
        if draw(st.booleans()):
            return t.in_tz(z)
        # the same instant written with a fixed UTC offset
        offset = t.in_tz(z).utcoffset()
        assert offset is not None
        return t.in_tz(pendulum.FixedTimezone(int(offset.total_seconds())))

    return build()


def _hour_of(t: pendulum.DateTime) -> When:
    """The wall-clock hour holding ``t``, in ``t``'s zone, as ``When.parse`` would give it.

    An hour is not always 60 minutes: when the clocks go back, the repeated wall hour spans
    both its occurrences, and when they go forward by half an hour, the hour before the
    change absorbs the part of the next wall hour that exists (``_next_wall_hour``). An
    instant in such a part (Lord Howe Island) has no wall hour of its own: it gets the
    hour before.
    """
    start = t.set(minute=0, second=0, microsecond=0)
    try:
        return When(start, _next_wall_hour(start), Precision.HOUR)
    except ValidationError:
        return _hour_of(t.subtract(hours=1))


def whens(
    *,
    precisions: Sequence[Precision] | None = None,
    zone: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[When]:
    """Times of every precision, in many zones (instants also with fixed offsets)."""
    return _whens(tuple(precisions or Precision), zone if zone is not None else zones())


@functools.cache
def _whens(
    precisions: tuple[Precision, ...], zs: st.SearchStrategy[str]
) -> st.SearchStrategy[When]:
    allowed = list(precisions)

    @st.composite
    def build(draw: st.DrawFn) -> When:
        p = draw(st.sampled_from(allowed))
        if p is Precision.MINUTE:
            return When.instant(draw(_instants(zs)))
        if p is Precision.HOUR:
            return _hour_of(draw(_instants(zs)))
        z = draw(zs)
        day = draw(st.dates(_MIN_DAY, _MAX_DAY))
        if p is Precision.DAY:
            try:
                return When.day(day, z)
            except ValidationError:  # a day the zone skipped (Kiritimati, 1994-12-31)
                return When.day(day + dt.timedelta(days=1), z)
        if p is Precision.MONTH:
            return When.month(day.year, day.month, z)
        return When.year(day.year, z)

    return build()


@functools.cache
def _slugs() -> st.SearchStrategy[str]:
    word = st.text(_SLUG_ALPHABET, min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=3).map("-".join)


@functools.cache
def _names() -> st.SearchStrategy[str]:
    word = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=3).map("_".join)


@functools.cache
def _texts(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=max_size)


@functools.cache
def sources() -> st.SearchStrategy[Source]:
    """Sources with custom ids (never clashing with the built-in catalogue)."""
    return st.builds(
        Source,
        _slugs().map(lambda s: "x-" + s),
        _texts().filter(lambda s: bool(s.strip())),
        st.sampled_from(SourceKind),
        url=st.one_of(st.none(), _slugs().map(lambda s: f"https://{s}.example.org")),
        notes=_texts(),
    )


@functools.cache
def measures(*, kind: MeasureKind | None = None) -> st.SearchStrategy[Measure]:
    """Custom measures, optionally within a built-in measure of the same kind.

    Some have English and Spanish labels, some neither or one of them.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Measure:
        k = kind or draw(st.sampled_from(MeasureKind))
        same = sorted(n for n, m in MEASURES.items() if m.kind is k)
        within = draw(st.lists(st.sampled_from(same), max_size=2, unique=True))
        label = _texts().map(str.strip)
        return Measure(
            "x_" + draw(_names()),
            k,
            description=draw(_texts()),
            within=tuple(within),
            label_en=draw(label),
            label_es=draw(label),
            feminine_es=draw(st.booleans()),
        )

    return build()


@functools.cache
def release_conditions() -> st.SearchStrategy[ReleaseCondition]:
    """Release conditions of every kind, sometimes with a period and a count."""
    return st.builds(
        ReleaseCondition,
        st.sampled_from(ConditionKind),
        every=st.one_of(
            st.none(),
            st.integers(1, 90).map(lambda d: pendulum.duration(days=d)),
            st.integers(1, 12).map(lambda h: pendulum.duration(hours=h)),
        ),
        applies_to=st.one_of(st.none(), stated_counts(max_value=10_000)),
        note=_texts(),
    )


def tallies(
    *,
    measure: Measure | None = None,
    source_ids: Sequence[str] = ("foro-penal", "clippve", "provea"),
    measure_pool: Sequence[Measure] = tuple(MEASURES.values()),
) -> st.SearchStrategy[Tally]:
    """Tallies that are valid for their measure (flows have a period start, stocks none)."""
    pool = (measure,) if measure is not None else tuple(measure_pool)
    return _tallies(pool, tuple(source_ids))


_SUBGROUPS: Final = st.dictionaries(
    st.sampled_from(("sex", "age", "status", "state")),
    st.sampled_from(("female", "male", "minor", "military", "zulia")),
    max_size=2,
)


def _days_before(t: pendulum.DateTime, days: int) -> pendulum.DateTime:
    """``days`` local days before ``t``, and always before it in time.

    Across a local day a zone skipped (Kiritimati's 31 December 1994), the same wall time a
    day earlier is the same instant; the days are then counted in UTC.
    """
    start = t.subtract(days=days)
    return start if start < t else t.in_tz("UTC").subtract(days=days)


@functools.lru_cache(maxsize=256)
def _tallies(pool: tuple[Measure, ...], source_ids: tuple[str, ...]) -> st.SearchStrategy[Tally]:
    ids = st.sampled_from(source_ids)
    measure_st = st.sampled_from(pool)
    counts_st = stated_counts(max_value=100_000)
    kinds = st.one_of(st.none(), st.sampled_from(ReleaseKind))
    conds = st.lists(release_conditions(), max_size=2).map(tuple)
    via = st.lists(ids, max_size=2).map(tuple)

    @st.composite
    def build(draw: st.DrawFn) -> Tally:
        m = draw(measure_st)
        as_of = draw(whens())
        period_start = None
        if m.kind is MeasureKind.FLOW:
            start = _days_before(as_of.start, draw(st.integers(1, 800)))
            if draw(st.booleans()):
                period_start = When.instant(start)
            else:
                try:
                    period_start = When.day(start.date(), draw(zones()))
                except ValidationError:  # a day the zone skipped
                    period_start = When.instant(start)
                if as_of.end <= period_start.start:
                    period_start = When.instant(start)
        is_release = m.name in ("releases", "full_releases") or "releases" in m.within
        return Tally(
            m.name,
            draw(counts_st),
            as_of,
            source=draw(ids),
            period_start=period_start,
            subgroup=draw(_SUBGROUPS),
            basis=draw(st.sampled_from(Basis)),
            via=draw(via),
            quote=draw(_texts()),
            release_kind=draw(kinds) if is_release else None,
            conditions=draw(conds) if is_release else (),
        )

    return build()


def reports(
    *,
    report_id: str | None = None,
    source_ids: Sequence[str] = ("foro-penal", "clippve", "provea"),
    measure_pool: Sequence[Measure] = tuple(MEASURES.values()),
    max_tallies: int = 4,
) -> st.SearchStrategy[Report]:
    """Reports with one to ``max_tallies`` valid tallies."""
    return _reports(report_id, tuple(source_ids), tuple(measure_pool), max_tallies)


@functools.lru_cache(maxsize=256)
def _reports(
    report_id: str | None,
    source_ids: tuple[str, ...],
    measure_pool: tuple[Measure, ...],
    max_tallies: int,
) -> st.SearchStrategy[Report]:
    ids = st.just(report_id) if report_id is not None else _slugs()
    return st.builds(
        Report,
        ids,
        st.sampled_from(source_ids),
        whens(),
        st.lists(
            tallies(source_ids=source_ids, measure_pool=measure_pool),
            min_size=1,
            max_size=max_tallies,
        ).map(tuple),
        url=st.one_of(st.none(), _slugs().map(lambda s: f"https://{s}.example.org/r")),
        language=st.sampled_from(("en", "es", "pt")),
        title=_texts(),
    )


@functools.cache
def datasets(
    *, min_reports: int = 1, max_reports: int = 5, max_tallies: int = 4
) -> st.SearchStrategy[Dataset]:
    """Valid datasets: custom sources and measures, reports whose references all resolve."""

    @st.composite
    def build(draw: st.DrawFn) -> Dataset:
        own_sources = draw(st.lists(sources(), max_size=3, unique_by=lambda s: s.id))
        own_measures = draw(st.lists(measures(), max_size=2, unique_by=lambda m: m.name))
        source_ids = ("foro-penal", "clippve", *[s.id for s in own_sources])
        pool = (*MEASURES.values(), *own_measures)
        n = draw(st.integers(min_reports, max_reports))
        rs = tuple(
            draw(
                reports(
                    report_id=f"r{i}",
                    source_ids=source_ids,
                    measure_pool=pool,
                    max_tallies=max_tallies,
                )
            )
            for i in range(n)
        )
        return Dataset(
            rs,
            sources=tuple(own_sources),
            measures=tuple(own_measures),
            timezone=draw(zones()),
            title=draw(_texts()),
        )

    return build()
