"""Reconciliation: compare conflicting tallies of one measure at one time.

:func:`compare` collects the figures of a measure around a time, merges relays of one figure
into one :class:`Claim`, sets aside what cannot be compared (each with a :class:`SetAside`
reason and a sentence), and reports the consensus, the conflicts, an estimate under a
:class:`Policy`, figures of broader or narrower measures that bound the one compared, and
the gap between announced and verified figures:

>>> import pendulum
>>> from vzdetain.datasets import venezuela_2026_01
>>> ds = venezuela_2026_01()
>>> c = compare(ds, "political_prisoners", pendulum.datetime(2026, 1, 19, 23, tz="America/Caracas"))
>>> [(claim.source, str(claim.count), claim.publishers) for claim in c.considered]
[('foro-penal', '777', ('foro-penal', 'latin-times'))]
>>> c.low, c.best, c.high
(777, 777, 777)
>>> [(r.claim.source, r.claim.measure, r.bound.value, r.consistent) for r in c.related]
[('clippve', 'arbitrarily_detained', 'upper', True)]

The consistency checks over a whole dataset live in :mod:`vzdetain.checks`
(:func:`~vzdetain.checks.check`) and the stock–flow balance in :mod:`vzdetain.stockflow`
(:func:`~vzdetain.stockflow.stock_flow`).

Times: a tally's cut-off is a :class:`~vzdetain.When`, an interval of instants. Two times are
*the same time* (:func:`same_time`) when they are equal, or when one is an instant inside the
other (the 21:45 cut-off is "on Monday"); one time is *after* another (:func:`is_after`) only
when every instant of it is.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from vzdetain.counts import Count
from vzdetain.errors import DuplicateIdError, UnknownReferenceError, ValidationError
from vzdetain.model import Basis, Dataset, Measure, MeasureKind, Tally, TallyRef
from vzdetain.when import Precision, When, ensure_aware, timezone

__all__ = [
    "DEFAULT_WINDOW",
    "Bound",
    "Claim",
    "Comparison",
    "Conflict",
    "Policy",
    "Related",
    "SetAside",
    "SetAsideTally",
    "VerificationGap",
    "build_claims",
    "compare",
    "is_after",
    "same_time",
]

#: Default half-width of the window of :func:`compare`: figures with a cut-off up to seven days
#: before or after ``at``.
DEFAULT_WINDOW: Final = pendulum.duration(days=7)

Subgroup: TypeAlias = tuple[tuple[str, str], ...]


# ---------------------------------------------------------------------- enums


class Policy(enum.Enum):
    """How :func:`compare` turns the figures considered into ``low``, ``best`` and ``high``.

    ``best`` is always a figure some considered tally states; see :class:`Comparison`.
    """

    CONSERVATIVE = "conservative"
    """Lowest reliable figure as best (verified figures first); low and high are the consensus,
    or the span of all figures when they conflict."""
    RANGE = "range"
    """Low and high are the lowest and highest values any figure allows; best is the middle
    stated figure (the lower median, never an invented midpoint)."""
    PREFERRED = "preferred"
    """Best comes from the first source of a user-given ``priority`` that states a usable
    figure; low and high are the consensus, or that source's bounds when figures conflict."""


class SetAside(enum.Enum):
    """Why a tally was not considered on its own (in the order :meth:`Comparison.explain` uses)."""

    RELAY = "relay"
    """It relays a figure already considered (same source, cut-off and period, compatible
    count); it was merged into that :class:`Claim`."""
    SUPERSEDED = "superseded"
    """A later cut-off of the same source inside the window replaces it."""
    OUTSIDE_WINDOW = "outside_window"
    """Its cut-off is outside the window."""
    DIFFERENT_PERIOD = "different_period"
    """A flow over another period than the one compared."""
    OTHER_BASIS = "other_basis"
    """Its basis is not among those asked for."""
    OTHER_SUBGROUP = "other_subgroup"
    """It counts a group that neither lies within nor contains the one compared."""
    OTHER_MEASURE = "other_measure"
    """It counts a measure with no bound relation to the one compared (or a stock against a
    flow)."""


class Bound(enum.Enum):
    """How a related figure bounds the measure compared."""

    LOWER = "lower"
    """The related figure counts part of what is compared (a narrower measure or a smaller
    group): the compared figure is at least as large."""
    UPPER = "upper"
    """The related figure counts more than what is compared (a broader measure or a larger
    group): the compared figure is at most as large."""


# ---------------------------------------------------------------------- times

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_PRECISION_ORDER: Final = {p: i for i, p in enumerate(Precision)}
_MICRO: Final = dt.timedelta(microseconds=1)


def _micros(t: dt.datetime) -> int:
    """Microseconds since the epoch (exact; bypasses pendulum's slow subtraction)."""
    delta: dt.timedelta = dt.datetime.__sub__(t, _EPOCH)
    return delta // _MICRO


@functools.lru_cache(maxsize=1 << 17)
def span(w: When) -> tuple[int, int]:
    """The half-open interval ``[start, end)`` of ``w`` in epoch microseconds.

    An instant covers one microsecond, so that it overlaps exactly what contains it.
    (Memoised: pendulum's zone look-ups are slow, and every sweep needs these numbers.)
    """
    s = _micros(w.start)
    return (s, s + 1) if w.is_instant else (s, _micros(w.end))


def same_time(a: When, b: When) -> bool:
    """True when ``a`` and ``b`` may name the same moment.

    That is, when they are equal, or when one is an instant inside the other: the 21:45
    cut-off of Monday 19 January is "on 19 January". Two different periods (a day and the
    month around it) are not the same time.

    >>> same_time(When.parse("2026-01-19T21:45-04:00"), When.parse("2026-01-19"))
    True
    >>> same_time(When.parse("2026-01-19"), When.parse("2026-01"))
    False
    """
    if a.is_instant == b.is_instant:
        return a == b
    inst, period = (a, b) if a.is_instant else (b, a)
    t = _micros(inst.start)
    s, e = span(period)
    return s <= t < e


def is_after(a: When, b: When) -> bool:
    """True when every instant of ``a`` comes after every instant of ``b``.

    >>> is_after(When.parse("2026-01-20"), When.parse("2026-01-19T21:45-04:00"))
    True
    >>> is_after(When.parse("2026-01-19T21:45-04:00"), When.parse("2026-01-19"))
    False
    """
    return span(a)[0] >= span(b)[1]


def from_micros(us: int, tz: Any) -> pendulum.DateTime:
    """The instant ``us`` microseconds after the epoch, in zone ``tz``."""
    return pendulum.instance(_EPOCH + dt.timedelta(microseconds=us)).in_tz(tz)


def when_key(w: When | None) -> tuple[int, int, int]:
    """A sort key for times (``None`` first): by instant, then end, then precision."""
    if w is None:
        return (-(2**62), 0, 0)
    s, e = span(w)
    return (s, e, _PRECISION_ORDER[w.precision])


def when_arg(value: Any, name: str, tz: str) -> When:
    """Coerce a time argument (``When``, aware datetime, date or text) or raise naming it."""
    if isinstance(value, When):
        return value
    if isinstance(value, dt.datetime):
        return When.instant(ensure_aware(value, path=(name,)))
    if isinstance(value, dt.date):
        return When.day(value, tz)
    if isinstance(value, str):
        try:
            return When.parse(value, tz=tz)
        except ValidationError as exc:
            raise type(exc)(exc.reason, path=(name,), value=value) from None
    raise ValidationError(
        "must be a When, an aware datetime, a date or a time text", path=(name,), value=value
    )


# ---------------------------------------------------------------------- sort keys


def _count_key(c: Count) -> tuple[Any, ...]:
    return (
        c.low is None,
        c.low or 0,
        c.high is None,
        c.high or 0,
        c.stated is None,
        c.stated or 0,
        c.qualifier.value,
        c.text,
    )


def _tally_key(t: Tally) -> tuple[Any, ...]:
    return (
        t.source or "",
        t.measure,
        t.subgroup,
        when_key(t.as_of),
        when_key(t.period_start),
        _count_key(t.count),
        t.basis.value,
        t.via,
        t.quote,
        t.release_kind.value if t.release_kind is not None else "",
        tuple(
            (
                c.kind.value,
                c.every.total_seconds() if c.every is not None else -1.0,
                _count_key(c.applies_to) if c.applies_to is not None else (),
                c.note,
            )
            for c in t.conditions
        ),
    )


def ref_key(r: TallyRef) -> tuple[Any, ...]:
    """A sort key for tally references: by content first, location last.

    Sorting by content makes results independent of the order of reports and tallies.
    """
    return (_tally_key(r.tally), r.publisher, r.report, r.index)


def _width(c: Count) -> tuple[bool, int]:
    if c.high is None or c.low is None:
        return (True, 0)
    return (False, c.high - c.low)


# ---------------------------------------------------------------------- claims


@attrs.frozen(slots=True)
class Claim:
    """One figure of one source at one cut-off, with every relay that carries it.

    Tallies attributed to one source, of one measure and subgroup, with the same cut-off (and
    for flows the same period start) are *one claim* when their counts can all be true; its
    ``count`` is the intersection of theirs. Relays that cannot all be true are split into
    several claims (see :func:`build_claims`).

    Attributes:
        source: The source the figure is attributed to.
        measure: The measure counted.
        as_of: The cut-off (for a flow, the end of its period).
        count: The values every relay allows (the most precise relay's own count when it is
            exactly that intersection, else a ``DERIVED`` count).
        period_start: Start of a flow's period; ``None`` for a stock.
        subgroup: Who is counted (sorted pairs; empty means everyone).
        basis: The basis the relays state: the one informative basis they give, or
            ``UNSTATED`` when they give none or disagree.
        tallies: Every tally merged into the claim, the *primary* one first: the source's own
            publication if present, else the relay with the fewest intermediaries and the
            narrowest count.
        publishers: Everyone who published the figure, sorted.
        figures: The stated numbers of the relays that lie within both their own statement's
            bounds and the claim's ``count``; ``best`` estimates are chosen among these.
    """

    source: str
    measure: str
    as_of: When
    count: Count
    period_start: When | None = None
    subgroup: Subgroup = ()
    basis: Basis = Basis.UNSTATED
    tallies: tuple[TallyRef, ...] = ()
    publishers: tuple[str, ...] = ()
    figures: tuple[int, ...] = ()

    @property
    def primary(self) -> TallyRef:
        """The tally that stands for the claim (the original if present)."""
        return self.tallies[0]

    @property
    def stated(self) -> Count:
        """The primary tally's own count, as written (for display)."""
        return self.primary.tally.count

    @property
    def is_flow(self) -> bool:
        """True for a flow (a claim with a period)."""
        return self.period_start is not None


def claim_key(c: Claim) -> tuple[Any, ...]:
    """A deterministic sort key for claims (content only, never report order)."""
    return (
        c.source,
        c.measure,
        c.subgroup,
        when_key(c.as_of),
        when_key(c.period_start),
        _count_key(c.count),
    )


_GroupKey: TypeAlias = tuple[str, Subgroup, str, When, When | None]


def _cluster(members: Sequence[TallyRef]) -> list[list[TallyRef]]:
    """Split relays of one figure into groups whose counts share a value.

    The counts are intervals; sorting by upper bound and stabbing at the lowest upper bound
    gives the fewest groups, and groups whose intersections are pairwise disjoint. The
    result depends only on the counts, never on the input order.
    """
    order = sorted(
        members,
        key=lambda r: (
            r.tally.count.high is None,
            r.tally.count.high or 0,
            r.tally.count.low or 0,
            ref_key(r),
        ),
    )
    clusters: list[list[TallyRef]] = []
    point: int | None = None
    for r in order:
        c = r.tally.count
        if clusters and (point is None or (c.low or 0) <= point):
            clusters[-1].append(r)
        else:
            clusters.append([r])
            point = c.high
    return clusters


def _primary_key(r: TallyRef) -> tuple[Any, ...]:
    return (r.is_relay, len(r.tally.via), _width(r.tally.count), ref_key(r))


def _make_claim(refs: list[TallyRef]) -> Claim:
    refs = sorted(refs, key=_primary_key)
    t0 = refs[0].tally
    count: Count | None = t0.count
    for r in refs[1:]:
        assert count is not None
        count = count.intersection(r.tally.count)
    assert count is not None  # a cluster always shares a value
    if len(refs) > 1 and (count.low, count.high) == (t0.count.low, t0.count.high):
        count = t0.count
    informative = {r.tally.basis for r in refs} - {Basis.UNSTATED}
    basis = informative.pop() if len(informative) == 1 else Basis.UNSTATED
    figures = sorted(
        {
            r.tally.count.stated
            for r in refs
            if r.tally.count.stated is not None
            and r.tally.count.stated in r.tally.count
            and r.tally.count.stated in count
        }
    )
    assert t0.source is not None
    return Claim(
        source=t0.source,
        measure=t0.measure,
        as_of=t0.as_of,
        count=count,
        period_start=t0.period_start,
        subgroup=t0.subgroup,
        basis=basis,
        tallies=tuple(refs),
        publishers=tuple(sorted({r.publisher for r in refs})),
        figures=tuple(figures),
    )


def build_claims(refs: Iterable[TallyRef]) -> tuple[list[Claim], list[tuple[Claim, ...]]]:
    """Merge relays into claims.

    Tallies with the same source, measure, subgroup, cut-off (equal as instants) and period
    start are relays of one figure. When their counts share a value they form one
    :class:`Claim`; when they do not, they are split into the fewest groups that do, and the
    split is returned as a *disagreement* so that it is reported, never silently resolved.

    Returns:
        The claims (in no particular order) and the disagreements (each the claims of one
        figure whose relays disagree, sorted).
    """
    groups: dict[_GroupKey, list[TallyRef]] = defaultdict(list)
    for r in refs:
        t = r.tally
        assert t.source is not None
        groups[(t.measure, t.subgroup, t.source, t.as_of, t.period_start)].append(r)
    claims: list[Claim] = []
    disagreements: list[tuple[Claim, ...]] = []
    for members in groups.values():
        made = [_make_claim(c) for c in _cluster(members)]
        claims.extend(made)
        if len(made) > 1:
            disagreements.append(tuple(sorted(made, key=claim_key)))
    disagreements.sort(key=lambda d: claim_key(d[0]))
    return claims, disagreements


def latest_by_source(
    claims: Iterable[Claim],
) -> tuple[list[Claim], list[tuple[Claim, Claim]]]:
    """Apply supersession: a later cut-off of one source replaces its earlier ones.

    Claims are grouped by source, measure and subgroup; a claim is superseded when another
    claim of its group lies entirely after it (:func:`is_after`). Claims whose cut-offs
    overlap (a day and an instant inside it) do not supersede each other.

    Returns:
        The live claims, and ``(superseded, replaced_by)`` pairs.
    """
    groups: dict[tuple[str, Subgroup, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.measure, c.subgroup, c.source)].append(c)
    live: list[Claim] = []
    gone: list[tuple[Claim, Claim]] = []
    for members in groups.values():
        latest = min(members, key=lambda c: (-span(c.as_of)[0], claim_key(c)))
        top = span(latest.as_of)[0]
        for c in members:
            if top >= span(c.as_of)[1]:
                gone.append((c, latest))
            else:
                live.append(c)
    return live, gone


def hull(counts: Iterable[Count]) -> Count:
    """The smallest ``DERIVED`` interval containing every count (at least one)."""
    lows: list[int | None] = []
    highs: list[int | None] = []
    for c in counts:
        lows.append(c.low)
        highs.append(c.high)
    if not lows:
        raise ValueError("hull of no counts")
    low = None if any(x is None for x in lows) else min(x for x in lows if x is not None)
    high = None if any(x is None for x in highs) else max(x for x in highs if x is not None)
    return Count.between(low, high)


def meet(counts: Iterable[Count]) -> Count | None:
    """The intersection of the counts as a ``DERIVED`` count, ``None`` if empty or no counts."""
    out: Count | None = None
    first = True
    for c in counts:
        if first:
            out = c.intersection(c)
            first = False
        elif out is not None:
            out = out.intersection(c)
    return out


# ---------------------------------------------------------------------- words

_MONTHS: Final = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}
_MEASURE_LABELS: Final = {
    "political_prisoners": ("political prisoners", "presos políticos"),
    "arbitrarily_detained": ("arbitrarily detained", "personas detenidas arbitrariamente"),
    "arrests": ("arrests", "detenciones"),
    "releases": ("releases", "excarcelaciones"),
    "full_releases": ("full releases", "liberaciones plenas"),
    "newly_documented": ("newly documented detentions", "detenciones documentadas de nuevo"),
    "measure_reviews": ("reviews of detention measures", "revisiones de medidas"),
}
_BASIS_LABELS: Final = {
    Basis.VERIFIED: ("verified", "verificada"),
    Basis.ANNOUNCED: ("announced", "anunciada"),
    Basis.ESTIMATED: ("estimated", "estimada"),
    Basis.PLANNED: ("planned", "prevista"),
    Basis.UNSTATED: ("basis not stated", "sin base indicada"),
}
_POLICY_LABELS: Final = {
    Policy.CONSERVATIVE: ("conservative", "conservadora"),
    Policy.RANGE: ("range", "de rango"),
    Policy.PREFERRED: ("preferred-source", "de fuente preferida"),
}
_SHORT_NAME_RE: Final = re.compile(r".*\(([^\s()]+)\)\s*")


def lang_index(lang: str) -> int:
    """0 for English, 1 for Spanish; raise ``ValidationError`` naming ``lang`` otherwise."""
    base = lang.lower().replace("_", "-").split("-", 1)[0] if isinstance(lang, str) else ""
    if base == "en":
        return 0
    if base == "es":
        return 1
    raise ValidationError("unsupported language; use 'en' or 'es'", path=("lang",), value=lang)


def short_name(name: str) -> str:
    """A source's name for sentences: a trailing one-word acronym in brackets if present.

    >>> short_name("Comité por la Libertad de los Presos Políticos en Venezuela (Clippve)")
    'Clippve'
    >>> short_name("Government of Venezuela (official figures)")
    'Government of Venezuela (official figures)'
    """
    m = _SHORT_NAME_RE.fullmatch(name)
    return m.group(1) if m else name


def source_names(dataset: Dataset, ids: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(id, short name)`` pairs for the source ids, sorted, for explanations."""
    out = {}
    for i in ids:
        src = dataset.all_sources.get(i)
        out[i] = short_name(src.name) if src is not None else i
    return tuple(sorted(out.items()))


def _fmt_int(n: int, lang: str) -> str:
    return Count.exact(abs(n)).render(lang) if n >= 0 else "-" + Count.exact(-n).render(lang)


def _moment_text(t: dt.datetime, tz: str, lang: str) -> str:
    local = pendulum.instance(t).in_tz(tz)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if local.second or local.microsecond:
        clock += f":{local.second:02d}"
    return f"{local.day} {_MONTHS[lang][local.month - 1]} {local.year} {clock}"


def _when_text(w: When, tz: str, lang: str) -> str:
    # Equal times written in different zones may read differently: key the cache by zone too.
    return _when_text_cached(w, str(w.start.tzinfo), tz, lang)


@functools.lru_cache(maxsize=1 << 14)
def _when_text_cached(w: When, _zone: str, tz: str, lang: str) -> str:
    if w.precision is Precision.MINUTE:
        return _moment_text(w.start, tz, lang)
    if w.precision is Precision.HOUR:
        return _moment_text(w.start, tz, lang)[:-3] + "h"
    s = w.start
    month = _MONTHS[lang][s.month - 1]
    if w.precision is Precision.DAY:
        text = f"{s.day} {month} {s.year}"
    elif w.precision is Precision.MONTH:
        text = f"{month} {s.year}"
    else:
        text = f"{s.year}"
    zone = getattr(s.tzinfo, "name", None)
    if zone != timezone(tz).name:
        text += f" ({zone or s.strftime('%z')})"
    return text


@attrs.frozen(slots=True, eq=False)
class Words:
    """What explanations need to name things: the zone for times, source names, language."""

    tz: str
    names: Mapping[str, str]
    lang: str = "en"

    @property
    def es(self) -> bool:
        """True for Spanish."""
        return self.lang == "es"

    def pick(self, en: str, es: str) -> str:
        """The English or Spanish text."""
        return es if self.es else en

    def source(self, sid: str) -> str:
        """A source's short name."""
        return self.names.get(sid, sid)

    def join(self, items: Iterable[str]) -> str:
        """Phrases joined with commas and "and" (or "y")."""
        parts = list(items)
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + self.pick(" and ", " y ") + parts[-1]

    def sources(self, ids: Iterable[str]) -> str:
        """Source names joined with commas and "and" (or "y")."""
        return self.join(self.source(i) for i in ids)

    def measure(self, name: str) -> str:
        """A measure's label."""
        labels = _MEASURE_LABELS.get(name)
        if labels is None:
            return name.replace("_", " ")
        return labels[1] if self.es else labels[0]

    def basis(self, b: Basis) -> str:
        """A basis label."""
        return _BASIS_LABELS[b][1 if self.es else 0]

    def policy(self, p: Policy) -> str:
        """A policy label."""
        return _POLICY_LABELS[p][1 if self.es else 0]

    def count(self, c: Count) -> str:
        """A count as a phrase; derived intervals as ranges."""
        if c.qualifier.value != "derived":
            return c.render(self.lang)
        return self.interval(c)

    def number(self, n: int) -> str:
        """An integer with the language's digit grouping."""
        return _fmt_int(n, self.lang)

    def interval(self, c: Count) -> str:
        """The values a count allows, in words: "777", "761 to 795", "1,346 or more"."""
        lo, hi = c.low, c.high
        if lo is not None and hi is not None:
            if lo == hi:
                return self.number(lo)
            return self.pick(
                f"{self.number(lo)} to {self.number(hi)}",
                f"de {self.number(lo)} a {self.number(hi)}",
            )
        if lo is not None:
            return self.pick(f"{self.number(lo)} or more", f"{self.number(lo)} o más")
        if hi is not None:
            return self.pick(f"{self.number(hi)} or fewer", f"{self.number(hi)} o menos")
        return self.pick("any number", "cualquier número")

    def moment(self, t: dt.datetime) -> str:
        """An instant in the dataset's zone: "19 Jan 2026 21:45"."""
        return _moment_text(t, self.tz, self.lang)

    def when(self, w: When) -> str:
        """A reported time: instants in the dataset's zone, periods in their own."""
        return _when_text(w, self.tz, self.lang)

    def at(self, w: When) -> str:
        """A cut-off with its preposition: "at 19 Jan 2026 21:45", "on 19 Jan 2026"."""
        if w.precision in (Precision.MINUTE, Precision.HOUR):
            return self.pick("at ", "al ") + self.when(w)
        if w.precision is Precision.DAY:
            return self.pick("on ", "el ") + self.when(w)
        return self.pick("in ", "en ") + self.when(w)

    def group(self, subgroup: Subgroup) -> str:
        """A subgroup as ``sex=female, age=minor``; everyone when empty."""
        if not subgroup:
            return self.pick("everyone", "todas las personas")
        return ", ".join(f"{k}={v}" for k, v in subgroup)

    def figure(
        self,
        count: Count,
        measure: str,
        source: str,
        as_of: When,
        period_start: When | None,
        subgroup: Subgroup = (),
    ) -> str:
        """A figure in words: "777 political prisoners at 19 Jan 2026 21:45 according to X"."""
        what = f"{self.count(count)} {self.measure(measure)}"
        if subgroup:
            what += f" ({self.group(subgroup)})"
        if period_start is None:
            when = self.at(as_of)
        else:
            when = self.pick(
                f"from {self.when(period_start)} to {self.when(as_of)}",
                f"del {self.when(period_start)} al {self.when(as_of)}",
            )
        return f"{what} {when} " + self.pick("according to ", "según ") + self.source(source)

    def claim(self, c: Claim) -> str:
        """A claim in words (its primary tally's count as written)."""
        return self.figure(c.stated, c.measure, c.source, c.as_of, c.period_start, c.subgroup)

    def tally(self, t: Tally) -> str:
        """A tally in words."""
        assert t.source is not None
        return self.figure(t.count, t.measure, t.source, t.as_of, t.period_start, t.subgroup)


def words_for(dataset: Dataset, lang: str = "en", ids: Iterable[str] = ()) -> Words:
    """A :class:`Words` for a dataset (every source's short name)."""
    lang = ("en", "es")[lang_index(lang)]
    names = dict(source_names(dataset, ids or dataset.all_sources))
    return Words(dataset.timezone, names, lang)


# ---------------------------------------------------------------------- results


@attrs.frozen(slots=True)
class SetAsideTally:
    """A tally :func:`compare` did not consider on its own, and why.

    Attributes:
        ref: The tally.
        reason: Why it was set aside.
        message: One plain English sentence saying so.
        claim: For ``RELAY``, the claim it was merged into; for ``SUPERSEDED``, the claim that
            replaced it; else ``None``.
    """

    ref: TallyRef
    reason: SetAside
    message: str
    claim: Claim | None = None


@attrs.frozen(slots=True)
class Related:
    """A figure of a broader or narrower measure, or of a larger or smaller group.

    Such figures are not compared with the measure as equals, but they bound it: political
    prisoners are at most the arbitrarily detained; women political prisoners at most all.

    Attributes:
        claim: The related figure (relays merged, latest cut-off of its source).
        bound: Whether it is a lower or an upper bound for the measure compared.
        consistent: True when the bound can hold together with every figure considered.
        contradicts: The considered claims the bound cannot hold with.
        message: One plain English sentence.
    """

    claim: Claim
    bound: Bound
    consistent: bool
    contradicts: tuple[Claim, ...]
    message: str


@attrs.frozen(slots=True)
class Conflict:
    """Two considered figures that cannot both be true.

    Attributes:
        lower: The figure whose values all lie below the other's.
        higher: The other figure.
        gap: The smallest distance between values of the two (at least 1).
        same_figure: True when both are relays of one figure (same source and cut-off) that
            disagree: an outlet misquoted, or the source corrected itself.
    """

    lower: Claim
    higher: Claim
    gap: int
    same_figure: bool = False


@attrs.frozen(slots=True)
class VerificationGap:
    """How far announced figures are from verified ones (same measure, period and time).

    Attributes:
        announced: The considered claims with basis ``ANNOUNCED``.
        verified: The considered claims with basis ``VERIFIED``.
        announced_count: The span of the announced figures.
        verified_count: The span of the verified figures.
        difference: Announced minus verified, as an interval.
        gap: The smallest distance between the two spans (0 when they overlap).
    """

    announced: tuple[Claim, ...]
    verified: tuple[Claim, ...]
    announced_count: Count
    verified_count: Count
    difference: Count
    gap: int


@attrs.frozen(slots=True)
class Comparison:
    """The result of :func:`compare`.

    Attributes:
        measure: The measure compared.
        kind: Whether it is a stock or a flow.
        at: The time compared.
        window_start: The first instant a cut-off may fall on.
        window_end: The last instant a cut-off may fall on.
        since: For flows, the start of the period compared; ``None`` for stocks.
        subgroup: The group compared (empty: everyone).
        basis: The bases asked for (empty: every basis).
        policy: The policy of ``low``, ``best`` and ``high``.
        priority: For ``Policy.PREFERRED``, source ids from most to least preferred.
        considered: The claims compared, one per source and cut-off (relays merged).
        set_aside: Every tally not considered on its own, with its reason.
        related: Figures of broader or narrower measures or groups, as bounds.
        consensus: The values every considered claim allows, or ``None`` when they cannot all
            be true (or nothing was considered).
        conflicts: Pairs of considered claims that cannot both be true.
        low: The low end under the policy; ``None`` when nothing was considered.
        best: A stated figure under the policy, or ``None`` when no considered tally states a
            number inside its own bounds and inside the consensus ("nearly 800" states 800,
            which its own bounds exclude; "hundreds" states none).
        high: The high end under the policy; ``None`` when unbounded or nothing was considered.
        best_claim: The claim ``best`` was taken from.
        verification_gap: Announced against verified figures, when both were considered.
        timezone: The dataset's zone, used to write times in :meth:`explain`.
        names: ``(source id, short name)`` pairs used by :meth:`explain`.
    """

    measure: str
    kind: MeasureKind
    at: When
    window_start: pendulum.DateTime
    window_end: pendulum.DateTime
    since: When | None
    subgroup: Subgroup
    basis: tuple[Basis, ...]
    policy: Policy
    priority: tuple[str, ...]
    considered: tuple[Claim, ...]
    set_aside: tuple[SetAsideTally, ...]
    related: tuple[Related, ...]
    consensus: Count | None
    conflicts: tuple[Conflict, ...]
    low: int | None
    best: int | None
    high: int | None
    best_claim: Claim | None
    verification_gap: VerificationGap | None
    timezone: str
    names: tuple[tuple[str, str], ...]

    def sentences(self, lang: str = "en") -> tuple[str, ...]:
        """One plain sentence per decision, in English (``"en"``) or Spanish (``"es"``)."""
        w = Words(self.timezone, dict(self.names), ("en", "es")[lang_index(lang)])
        return tuple(_explain(self, w))

    def explain(self, lang: str = "en") -> str:
        """The reasoning as text, one sentence per line, so a journalist can quote it.

        >>> import pendulum
        >>> from vzdetain.datasets import venezuela_2026_01
        >>> at = pendulum.datetime(2026, 1, 19, 23, tz="America/Caracas")
        >>> print(compare(venezuela_2026_01(), "political_prisoners", at).explain("es"))
        Comparación de presos políticos al 19 ene 2026 23:00, con cifras de corte entre el ...
        Se considera la cifra de 777 presos políticos al 19 ene 2026 21:45 según Foro Penal ...
        ...
        """
        return "\n".join(self.sentences(lang))


# ---------------------------------------------------------------------- compare


class _Role(enum.Enum):
    TARGET = 0
    LOWER = 1
    UPPER = 2


def _measure_arg(dataset: Dataset, name: Any, param: str = "measure") -> Measure:
    if not isinstance(name, str):
        raise ValidationError("must be a measure name", path=(param,), value=name)
    m = dataset.all_measures.get(name)
    if m is None:
        known = ", ".join(sorted(dataset.all_measures))
        raise UnknownReferenceError(
            f"unknown measure; the dataset knows {known}", path=(param,), value=name
        )
    return m


def subgroup_arg(value: Any, param: str = "subgroup") -> Subgroup:
    """Normalise a subgroup argument (a mapping or pairs) to sorted pairs."""
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = tuple(sorted((str(k), str(v)) for k, v in items))
    except (TypeError, ValueError):
        raise ValidationError(
            "must be a mapping of keys to values, such as {'sex': 'female'}",
            path=(param,),
            value=value,
        ) from None
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateIdError("a subgroup key appears twice", path=(param,), value=value)
    return pairs


def _bases_arg(value: Any) -> tuple[Basis, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, Basis | str) else list(value)
    out: set[Basis] = set()
    for v in items:
        try:
            out.add(v if isinstance(v, Basis) else Basis(v))
        except ValueError:
            raise ValidationError(
                "must be a Basis (or a collection of them), or None for every basis",
                path=("basis",),
                value=value,
            ) from None
    return tuple(sorted(out, key=list(Basis).index))


def _policy_arg(value: Any) -> Policy:
    try:
        return value if isinstance(value, Policy) else Policy(value)
    except ValueError:
        raise ValidationError(
            "must be a Policy: " + ", ".join(p.value for p in Policy), path=("policy",), value=value
        ) from None


def _priority_arg(value: Any, policy: Policy, dataset: Dataset) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value or ())
    if policy is Policy.PREFERRED and not items:
        raise ValidationError(
            "Policy.PREFERRED needs a priority: source ids, most preferred first",
            path=("priority",),
            value=value,
        )
    if policy is not Policy.PREFERRED and items:
        raise ValidationError(
            f"a priority applies only to Policy.PREFERRED, not {policy}",
            path=("priority",),
            value=value,
        )
    seen: set[str] = set()
    for i, sid in enumerate(items):
        if not isinstance(sid, str) or sid not in dataset.all_sources:
            raise UnknownReferenceError("unknown source id", path=(f"priority[{i}]",), value=sid)
        if sid in seen:
            raise DuplicateIdError("source listed twice", path=(f"priority[{i}]",), value=sid)
        seen.add(sid)
    return items


def window_micros(window: Any) -> tuple[int, int]:
    """The ``(before, after)`` widths of a window argument, in microseconds."""
    if isinstance(window, dt.timedelta):
        pair: tuple[Any, Any] = (window, window)
    elif isinstance(window, tuple) and len(window) == 2:
        pair = window
    else:
        pair = (None, None)
    if not all(isinstance(x, dt.timedelta) for x in pair):
        raise ValidationError(
            "must be a duration, or a (before, after) pair of durations",
            path=("window",),
            value=window,
        )
    out = tuple(round(x.total_seconds() * 1_000_000) for x in pair)
    if min(out) < 0:
        raise ValidationError("must not be negative", path=("window",), value=window)
    return out[0], out[1]


def _subgroup_relation(tally_sub: Subgroup, target: Subgroup) -> _Role | None:
    """TARGET if equal; LOWER if the tally's group lies within; UPPER if it contains."""
    if tally_sub == target:
        return _Role.TARGET
    ts, gs = set(tally_sub), set(target)
    if gs <= ts:
        return _Role.LOWER
    if ts <= gs:
        return _Role.UPPER
    return None


def _combine(measure_role: _Role, sub_role: _Role) -> _Role | None:
    if measure_role is _Role.TARGET:
        return sub_role
    if sub_role is _Role.TARGET or sub_role is measure_role:
        return measure_role
    return None


def _default_period(refs: Sequence[TallyRef]) -> When | None:
    """The period start most figures share: most sources, then most claims, then earliest."""
    sources: dict[When, set[str]] = defaultdict(set)
    claims: dict[When, set[tuple[str, When]]] = defaultdict(set)
    for r in refs:
        t = r.tally
        assert t.period_start is not None
        assert t.source is not None
        sources[t.period_start].add(t.source)
        claims[t.period_start].add((t.source, t.as_of))
    if not sources:
        return None
    return min(sources, key=lambda p: (-len(sources[p]), -len(claims[p]), when_key(p)))


def compare(
    dataset: Dataset,
    measure: str,
    at: When | dt.datetime | dt.date | str,
    *,
    since: When | dt.datetime | dt.date | str | None = None,
    window: dt.timedelta | tuple[dt.timedelta, dt.timedelta] = DEFAULT_WINDOW,
    policy: Policy | str = Policy.CONSERVATIVE,
    priority: Sequence[str] = (),
    subgroup: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    basis: Basis | Iterable[Basis] | None = None,
) -> Comparison:
    """Compare every figure of ``measure`` around ``at``.

    Each tally of the dataset is decided, in this order:

    1. another measure with no bound relation (or a stock against a flow), or a group that
       neither lies within nor contains ``subgroup``: set aside (listed only when its cut-off
       is in the window);
    2. figures of a narrower measure or a smaller group (lower bounds), and of a broader
       measure or a larger group (upper bounds), are kept apart in ``related``;
    3. a cut-off outside the window: set aside (listed only for the measure and group
       compared);
    4. a basis not in ``basis``: set aside;
    5. for flows, a period start that is not the same time as the one compared: set aside
       with both periods named;
    6. relays of one figure (same source, cut-off and period) merge into one :class:`Claim`
       when their counts share a value; relays that cannot all be true become separate
       claims and show up as a :class:`Conflict` with ``same_figure=True``;
    7. within the window, a later cut-off of the same source supersedes an earlier one
       (every tally of the earlier claim, relays included, is set aside as superseded).

    Related figures (step 2) go through steps 3 to 7 as well, each measure and group on its
    own; they bound the measure compared but never change ``consensus``, ``low``, ``best``
    or ``high``. A related figure is ``consistent`` when its bound can hold with every
    considered claim (figures within the window are treated as if at the same time).

    Args:
        dataset: The data.
        measure: Name of the measure to compare.
        at: The time compared: a ``When``, an aware datetime, a date (a whole local day in
            the dataset's zone) or a time text such as ``"2026-01-19"``.
        since: For flows, the start of the period compared; a period start matches when it is
            the same time (:func:`same_time`). Without it, the period start most figures in
            the window share (most sources, then most claims, then the earliest, i.e. the
            longest period). The default can change with the window.
        window: How far a cut-off may be from ``at``: one duration for both sides (default
            seven days), or a ``(before, after)`` pair. A cut-off is in the window if any
            instant of it is (a day-precision cut-off counts when part of the day is).
            Months in a pendulum duration count as 30 days.
        policy: How to choose ``low``, ``best`` and ``high`` (:class:`Policy`).
        priority: For ``Policy.PREFERRED`` only: source ids, most preferred first.
        subgroup: The group compared, e.g. ``{"sex": "female"}``; empty means everyone.
        basis: Only figures with this basis (or these bases); ``None`` for every basis.

    Returns:
        The :class:`Comparison`.

    Raises:
        ValidationError: For a bad argument (unknown measure or source, naive datetime,
            negative window, ``since`` for a stock, ``priority`` without
            ``Policy.PREFERRED`` or the reverse), naming the parameter and value.

    >>> import pendulum
    >>> from vzdetain.datasets import venezuela_2026_01
    >>> ds = venezuela_2026_01()
    >>> at = pendulum.datetime(2026, 1, 19, 23, tz="America/Caracas")
    >>> c = compare(ds, "arbitrarily_detained", at)
    >>> [(claim.source, str(claim.count)) for claim in c.considered]
    [('clippve', 'more than 1,345')]
    >>> c.low, c.best, c.high
    (1346, None, None)
    >>> [(str(r.claim.count), r.bound.value, r.consistent) for r in c.related]
    [('777', 'lower', True)]
    >>> flows = compare(ds, "releases", at)
    >>> [str(claim.count) for claim in flows.considered], str(flows.since)
    (['143'], '2026-01-08[America/Caracas]')
    >>> compare(ds, "prisoners", at)
    Traceback (most recent call last):
    ...
    vzdetain.errors.UnknownReferenceError: measure: unknown measure; the dataset knows ...
    """
    target = _measure_arg(dataset, measure)
    tz = dataset.timezone
    at_w = when_arg(at, "at", tz)
    before, after = window_micros(window)
    pol = _policy_arg(policy)
    prio = _priority_arg(priority, pol, dataset)
    sub = subgroup_arg(subgroup)
    bases = _bases_arg(basis)
    since_w: When | None = None
    if since is not None:
        if target.kind is MeasureKind.STOCK:
            raise ValidationError(
                f"{measure} is a stock, counted at a cut-off: since= applies to flows",
                path=("since",),
                value=since,
            )
        since_w = when_arg(since, "since", tz)

    a_start, a_end = span(at_w)
    ws, we = a_start - before, a_end - 1 + after
    roles: dict[str, _Role] = {}
    above = dataset.broader(measure)
    for name, m in dataset.all_measures.items():
        if name == measure:
            roles[name] = _Role.TARGET
        elif name in above:
            roles[name] = _Role.UPPER
        elif m.kind is target.kind and measure in dataset.broader(name):
            roles[name] = _Role.LOWER
    sub_cache: dict[Subgroup, _Role | None] = {}

    words = words_for(dataset)
    asides: list[SetAsideTally] = []
    pool: list[TallyRef] = []
    role_of: dict[tuple[str, Subgroup], _Role] = {}

    def aside(ref: TallyRef, reason: SetAside, extra: str = "") -> None:
        msg = _aside_sentence(words, ref, reason, extra, target.kind)
        asides.append(SetAsideTally(ref, reason, msg))

    for ref in dataset.refs():
        t = ref.tally
        s, e = span(t.as_of)
        inside = s <= we and e > ws
        m_role = roles.get(t.measure)
        if t.subgroup not in sub_cache:
            sub_cache[t.subgroup] = _subgroup_relation(t.subgroup, sub)
        s_role = sub_cache[t.subgroup]
        role = None if m_role is None or s_role is None else _combine(m_role, s_role)
        if role is None:
            if inside:
                reason = SetAside.OTHER_MEASURE if m_role is None else SetAside.OTHER_SUBGROUP
                aside(ref, reason)
            continue
        if not inside:
            if role is _Role.TARGET:
                aside(ref, SetAside.OUTSIDE_WINDOW)
            continue
        if bases and t.basis not in bases:
            aside(ref, SetAside.OTHER_BASIS, ", ".join(words.basis(b) for b in bases))
            continue
        role_of[(t.measure, t.subgroup)] = role
        pool.append(ref)

    if target.kind is MeasureKind.FLOW:
        if since_w is None:
            own = [r for r in pool if role_of[(r.tally.measure, r.tally.subgroup)] is _Role.TARGET]
            since_w = _default_period(own or pool)
        kept: list[TallyRef] = []
        for r in pool:
            ps = r.tally.period_start
            assert ps is not None
            assert since_w is not None
            if same_time(ps, since_w):
                kept.append(r)
            else:
                aside(r, SetAside.DIFFERENT_PERIOD, words.when(since_w))
        pool = kept

    claims, _ = build_claims(pool)
    live, gone = latest_by_source(claims)
    for old, new in gone:
        for r in old.tallies:
            msg = _superseded_sentence(words, r, new)
            asides.append(SetAsideTally(r, SetAside.SUPERSEDED, msg, new))
    considered: list[Claim] = []
    related_claims: list[tuple[Claim, _Role]] = []
    for c in live:
        for r in c.tallies[1:]:
            asides.append(SetAsideTally(r, SetAside.RELAY, _relay_sentence(words, r, c), c))
        role = role_of[(c.measure, c.subgroup)]
        if role is _Role.TARGET:
            considered.append(c)
        else:
            related_claims.append((c, role))
    considered.sort(key=claim_key)

    consensus = meet(c.count for c in considered)
    conflicts = _conflicts(considered)
    low, best, high, best_claim = _estimate(considered, consensus, pol, prio)
    by_high = sorted(
        (c for c in considered if c.count.high is not None), key=lambda c: c.count.high or 0
    )
    by_low = sorted(considered, key=lambda c: c.count.low or 0)
    related = tuple(
        sorted(
            (_related(words, c, role, by_high, by_low, measure) for c, role in related_claims),
            key=lambda r: (r.bound is Bound.UPPER, claim_key(r.claim)),
        )
    )
    order = list(SetAside)
    asides.sort(key=lambda a: (order.index(a.reason), ref_key(a.ref)))
    ids: set[str] = set()
    for a in asides:
        ids.update((a.ref.tally.source or "", a.ref.publisher))
    for c in considered:
        ids.update((c.source, *c.publishers))
    for rel in related:
        ids.update((rel.claim.source, *rel.claim.publishers))
    zone = timezone(tz)
    return Comparison(
        measure=measure,
        kind=target.kind,
        at=at_w,
        window_start=from_micros(ws, zone),
        window_end=from_micros(we, zone),
        since=since_w if target.kind is MeasureKind.FLOW else None,
        subgroup=sub,
        basis=bases,
        policy=pol,
        priority=prio,
        considered=tuple(considered),
        set_aside=tuple(asides),
        related=related,
        consensus=consensus,
        conflicts=conflicts,
        low=low,
        best=best,
        high=high,
        best_claim=best_claim,
        verification_gap=_verification_gap(considered),
        timezone=tz,
        names=source_names(dataset, ids - {""}),
    )


def _conflicts(claims: Sequence[Claim]) -> tuple[Conflict, ...]:
    """Every pair of claims that cannot both be true, found by sorting (output-sensitive)."""
    by_low = sorted(claims, key=lambda c: (c.count.low or 0, claim_key(c)))
    lows = [c.count.low or 0 for c in by_low]
    out: list[Conflict] = []
    for a in by_low:
        if a.count.high is None:
            continue
        for b in by_low[bisect.bisect_right(lows, a.count.high) :]:
            same = (a.source, a.as_of, a.period_start) == (b.source, b.as_of, b.period_start)
            out.append(Conflict(a, b, a.count.gap(b.count), same))
    out.sort(key=lambda x: (claim_key(x.lower), claim_key(x.higher)))
    return tuple(out)


def _estimate(
    considered: Sequence[Claim],
    consensus: Count | None,
    policy: Policy,
    priority: Sequence[str],
) -> tuple[int | None, int | None, int | None, Claim | None]:
    """``low``, ``best``, ``high`` and the claim of ``best`` under a policy."""
    if not considered:
        return None, None, None, None
    env = hull(c.count for c in considered)
    pairs = sorted(
        ((f, c) for c in considered for f in c.figures if consensus is None or f in consensus),
        key=lambda p: (p[0], claim_key(p[1])),
    )
    verified = [p for p in pairs if p[1].basis is Basis.VERIFIED]
    conservative = (verified or pairs)[0] if pairs else None
    pick = conservative
    bounds = consensus if consensus is not None else env
    if policy is Policy.RANGE:
        bounds = env
        pick = pairs[(len(pairs) - 1) // 2] if pairs else None
    elif policy is Policy.PREFERRED:
        rank = {s: i for i, s in enumerate(priority)}
        ranked = [p for p in pairs if p[1].source in rank]
        if ranked:
            top = min(rank[p[1].source] for p in ranked)
            pick = next(p for p in ranked if rank[p[1].source] == top)
        if consensus is None and pick is not None:
            bounds = pick[1].count
    if pick is None:
        return bounds.low, None, bounds.high, None
    return bounds.low, pick[0], bounds.high, pick[1]


def _verification_gap(considered: Sequence[Claim]) -> VerificationGap | None:
    announced = tuple(c for c in considered if c.basis is Basis.ANNOUNCED)
    verified = tuple(c for c in considered if c.basis is Basis.VERIFIED)
    if not announced or not verified:
        return None
    a = hull(c.count for c in announced)
    v = hull(c.count for c in verified)
    return VerificationGap(announced, verified, a, v, a - v, a.gap(v))


def _related(
    words: Words,
    claim: Claim,
    role: _Role,
    by_high: Sequence[Claim],
    by_low: Sequence[Claim],
    measure: str,
) -> Related:
    """A related claim as a bound; ``by_high``/``by_low``: considered claims sorted by bound.

    A lower bound contradicts the claims whose high is below its low; an upper bound the
    claims whose low is above its high (found by bisection, so output-sensitive).
    """
    bound = Bound.LOWER if role is _Role.LOWER else Bound.UPPER
    rc = claim.count
    if bound is Bound.LOWER:
        highs = [c.count.high or 0 for c in by_high]  # finite highs only, ascending
        bad = list(by_high[: bisect.bisect_left(highs, rc.low or 0)])
    elif rc.high is None:
        bad = []
    else:
        lows = [c.count.low or 0 for c in by_low]
        bad = list(by_low[bisect.bisect_right(lows, rc.high) :])
    bad.sort(key=claim_key)
    return Related(
        claim, bound, not bad, tuple(bad), _related_sentence(words, claim, bound, bad, measure)
    )


# ---------------------------------------------------------------------- sentences


def _quoted(words: Words, c: Count) -> str:
    return f'"{words.count(c)}"' if not words.es else f"«{words.count(c)}»"


def _aside_sentence(
    words: Words, ref: TallyRef, reason: SetAside, extra: str, kind: MeasureKind
) -> str:
    """The sentence for a tally set aside.

    ``extra`` is the period compared (``DIFFERENT_PERIOD``) or the bases asked for
    (``OTHER_BASIS``); ``kind`` is the kind of the measure compared.
    """
    w = words
    fig = w.tally(ref.tally)
    if ref.is_relay:
        fig += w.pick(", as published by ", ", publicada por ") + w.source(ref.publisher)
    t = ref.tally
    own_kind = MeasureKind.FLOW if t.period_start is not None else MeasureKind.STOCK
    if reason is SetAside.OUTSIDE_WINDOW:
        return w.pick(
            f"Set aside {fig}: its cut-off is outside the window.",
            f"Se deja aparte la cifra de {fig}: su corte queda fuera de la ventana.",
        )
    if reason is SetAside.OTHER_BASIS:
        return w.pick(
            f"Set aside {fig}: its basis ({w.basis(t.basis)}) is not among those asked for "
            f"({extra}).",
            f"Se deja aparte la cifra de {fig}: su base ({w.basis(t.basis)}) no está entre "
            f"las pedidas ({extra}).",
        )
    if reason is SetAside.DIFFERENT_PERIOD:
        assert t.period_start is not None
        return w.pick(
            f"Set aside {fig}: its period starts {w.when(t.period_start)}, not {extra} like the "
            "figures compared.",
            f"Se deja aparte la cifra de {fig}: su periodo empieza el "
            f"{w.when(t.period_start)}, no el {extra} como las cifras comparadas.",
        )
    if reason is SetAside.OTHER_MEASURE and own_kind is not kind:
        if own_kind is MeasureKind.FLOW:
            return w.pick(
                f"Set aside {fig}: it is a flow over a period, never compared with a stock.",
                f"Se deja aparte la cifra de {fig}: es un flujo a lo largo de un periodo y "
                "nunca se compara con un stock.",
            )
        return w.pick(
            f"Set aside {fig}: it is a stock at a cut-off, never compared with a flow.",
            f"Se deja aparte la cifra de {fig}: es un stock a una fecha de corte y nunca se "
            "compara con un flujo.",
        )
    if reason is SetAside.OTHER_MEASURE:
        return w.pick(
            f"Set aside {fig}: it counts another measure ({w.measure(t.measure)}), which "
            "neither contains nor lies within the one compared.",
            f"Se deja aparte la cifra de {fig}: cuenta otra medida ({w.measure(t.measure)}), "
            "que ni contiene ni está contenida en la comparada.",
        )
    return w.pick(
        f"Set aside {fig}: it counts another group ({w.group(t.subgroup)}), which neither "
        "contains nor lies within the one compared.",
        f"Se deja aparte la cifra de {fig}: cuenta otro grupo ({w.group(t.subgroup)}), que "
        "ni contiene ni está contenido en el comparado.",
    )


def _relay_sentence(words: Words, ref: TallyRef, claim: Claim) -> str:
    w = words
    via = ref.tally.via
    chain = w.pick(" via ", " vía ") + w.sources(via) if via else ""
    return w.pick(
        f"Merged {_quoted(w, ref.tally.count)} as published by {w.source(ref.publisher)}{chain} "
        f"into {w.claim(claim)}: it relays that figure and is compatible with it.",
        f"Se fusiona {_quoted(w, ref.tally.count)} publicado por {w.source(ref.publisher)}"
        f"{chain} con la cifra de {w.claim(claim)}: reproduce esa cifra y es compatible con ella.",
    )


def _superseded_sentence(words: Words, ref: TallyRef, new: Claim) -> str:
    w = words
    return w.pick(
        f"Set aside {w.tally(ref.tally)}, as published by {w.source(ref.publisher)}: a later "
        f"cut-off from {w.source(new.source)} ({w.when(new.as_of)}) replaces it.",
        f"Se deja aparte la cifra de {w.tally(ref.tally)}, publicada por "
        f"{w.source(ref.publisher)}: la reemplaza un corte posterior de {w.source(new.source)} "
        f"({w.when(new.as_of)}).",
    )


def _related_sentence(
    words: Words, claim: Claim, bound: Bound, bad: Sequence[Claim], measure: str
) -> str:
    w = words
    if claim.measure != measure:
        why = w.pick(
            f"{w.measure(claim.measure)} is a "
            f"{'narrower' if bound is Bound.LOWER else 'broader'} measure than "
            f"{w.measure(measure)}",
            f"{w.measure(claim.measure)} es una medida "
            f"{'más estrecha' if bound is Bound.LOWER else 'más amplia'} que "
            f"{w.measure(measure)}",
        )
    else:
        why = w.pick(
            f"it counts a {'smaller' if bound is Bound.LOWER else 'larger'} group "
            f"({w.group(claim.subgroup)})",
            f"cuenta un grupo {'menor' if bound is Bound.LOWER else 'mayor'} "
            f"({w.group(claim.subgroup)})",
        )
    kind = w.pick(
        "a lower bound" if bound is Bound.LOWER else "an upper bound",
        "cota inferior" if bound is Bound.LOWER else "cota superior",
    )
    if bad:
        verdict = w.pick(
            "it contradicts " + "; ".join(w.claim(c) for c in bad),
            "contradice " + "; ".join(w.claim(c) for c in bad),
        )
    else:
        verdict = w.pick(
            "it is consistent with the figures compared",
            "es coherente con las cifras comparadas",
        )
    return w.pick(
        f"Kept {w.claim(claim)} as {kind}, since {why}; {verdict}.",
        f"Se toma la cifra de {w.claim(claim)} como {kind}, porque {why}; {verdict}.",
    )


def _explain(c: Comparison, w: Words) -> Iterator[str]:
    what = w.measure(c.measure)
    if c.subgroup:
        what += f" ({w.group(c.subgroup)})"
    if c.basis:
        what += " (" + ", ".join(w.basis(b) for b in c.basis) + ")"
    frm, to = w.moment(c.window_start), w.moment(c.window_end)
    if c.kind is MeasureKind.FLOW:
        period = (
            w.pick(
                f" over the period starting {w.when(c.since)}",
                f" del periodo desde el {w.when(c.since)}",
            )
            if c.since is not None
            else ""
        )
        yield w.pick(
            f"Comparing {what}{period}, ending {w.at(c.at)}, with figures whose period ends "
            f"between {frm} and {to}.",
            f"Comparación de {what}{period}, hasta {w.at(c.at)}, con cifras cuyo periodo termina "
            f"entre el {frm} y el {to}.",
        )
    else:
        yield w.pick(
            f"Comparing {what} {w.at(c.at)}, with figures whose cut-off falls between {frm} "
            f"and {to}.",
            f"Comparación de {what} {w.at(c.at)}, con cifras de corte entre el {frm} y el {to}.",
        )
    for claim in c.considered:
        basis = "" if claim.basis is Basis.UNSTATED else f" ({w.basis(claim.basis)})"
        yield w.pick(
            f"Considered {w.claim(claim)}{basis}, as published by {w.sources(claim.publishers)}.",
            f"Se considera la cifra de {w.claim(claim)}{basis}, publicada por "
            f"{w.sources(claim.publishers)}.",
        )
    yield from _aside_sentences(c, w)
    for rel in c.related:
        yield _related_sentence(w, rel.claim, rel.bound, rel.contradicts, c.measure)
    for k in c.conflicts:
        gap = w.number(k.gap)
        if k.same_figure:
            yield w.pick(
                f"Relays of one figure disagree: {w.claim(k.lower)} and "
                f"{_quoted(w, k.higher.stated)} as published by {w.sources(k.higher.publishers)}"
                f" cannot both be true (at least {gap} apart); both are kept and reported.",
                f"Las reproducciones de una misma cifra no coinciden: la de {w.claim(k.lower)} y "
                f"{_quoted(w, k.higher.stated)} publicado por {w.sources(k.higher.publishers)} "
                f"no pueden ser ciertas a la vez (al menos {gap} de diferencia); se mantienen "
                "ambas y se informa.",
            )
        else:
            yield w.pick(
                f"{w.claim(k.lower)} and {w.claim(k.higher)} cannot both be true: they are at "
                f"least {gap} apart.",
                f"Las cifras de {w.claim(k.lower)} y de {w.claim(k.higher)} no pueden ser ciertas "
                f"a la vez: hay al menos {gap} de diferencia.",
            )
    if not c.considered:
        yield w.pick(
            f"No figure of {what} was considered, so there is no estimate.",
            f"No se consideró ninguna cifra de {what}, así que no hay estimación.",
        )
        return
    if c.consensus is None:
        yield w.pick(
            "The figures considered cannot all be true, so there is no consensus.",
            "Las cifras consideradas no pueden ser todas ciertas, así que no hay consenso.",
        )
    elif len(c.considered) == 1:
        yield w.pick(
            f"With one figure considered, the consensus is what it allows: "
            f"{w.interval(c.consensus)}.",
            f"Con una sola cifra considerada, el consenso es lo que ella admite: "
            f"{w.interval(c.consensus)}.",
        )
    else:
        yield w.pick(
            f"Every figure considered allows {w.interval(c.consensus)}, the consensus.",
            f"Todas las cifras consideradas admiten {w.interval(c.consensus)}, el consenso.",
        )
    low = w.number(c.low) if c.low is not None else "?"
    high = w.number(c.high) if c.high is not None else w.pick("unbounded", "sin límite")
    if c.best is not None and c.best_claim is not None:
        best = w.pick(
            f"best {w.number(c.best)} (stated by {w.source(c.best_claim.source)})",
            f"mejor cifra {w.number(c.best)} (la de {w.source(c.best_claim.source)})",
        )
    else:
        best = w.pick(
            "no best figure, as no considered tally states a number inside its own bounds "
            "and the consensus",
            "ninguna mejor cifra, pues ninguna cifra considerada da un número dentro de sus "
            "propios límites y del consenso",
        )
    prio = ""
    if c.priority:
        prio = w.pick(" (priority: ", " (prioridad: ") + w.sources(c.priority) + ")"
    yield w.pick(
        f"Under the {w.policy(c.policy)} policy{prio}: low {low}, high {high}; {best}.",
        f"Con la política {w.policy(c.policy)}{prio}: mínimo {low}, máximo {high}; {best}.",
    )
    g = c.verification_gap
    if g is not None:
        yield w.pick(
            f"Announced figures ({w.interval(g.announced_count)}) and verified figures "
            f"({w.interval(g.verified_count)}) are at least {w.number(g.gap)} apart; announced "
            f"minus verified is {w.interval(g.difference)}.",
            f"Las cifras anunciadas ({w.interval(g.announced_count)}) y las verificadas "
            f"({w.interval(g.verified_count)}) distan al menos {w.number(g.gap)}; anunciadas "
            f"menos verificadas da {w.interval(g.difference)}.",
        )


def _aside_sentences(c: Comparison, w: Words) -> Iterator[str]:
    """Set-aside sentences; figures outside the window are summed up per source."""
    outside: dict[str, list[SetAsideTally]] = defaultdict(list)
    for a in c.set_aside:
        if a.reason is SetAside.OUTSIDE_WINDOW:
            outside[a.ref.tally.source or ""].append(a)
    done: set[str] = set()
    for a in c.set_aside:
        t = a.ref.tally
        if a.reason is SetAside.OUTSIDE_WINDOW:
            src = t.source or ""
            if src in done:
                continue
            done.add(src)
            group = outside[src]
            if len(group) > 1:
                first = min(group, key=lambda x: when_key(x.ref.tally.as_of)).ref.tally.as_of
                last = max(group, key=lambda x: when_key(x.ref.tally.as_of)).ref.tally.as_of
                yield w.pick(
                    f"Set aside {len(group)} figures according to {w.source(src)}, with cut-offs "
                    f"from {w.when(first)} to {w.when(last)}: they are outside the window.",
                    f"Se dejan aparte {len(group)} cifras según {w.source(src)}, con cortes del "
                    f"{w.when(first)} al {w.when(last)}: quedan fuera de la ventana.",
                )
                continue
        if w.lang == "en":
            yield a.message
        elif a.reason is SetAside.RELAY:
            assert a.claim is not None
            yield _relay_sentence(w, a.ref, a.claim)
        elif a.reason is SetAside.SUPERSEDED:
            assert a.claim is not None
            yield _superseded_sentence(w, a.ref, a.claim)
        else:
            yield _aside_sentence(w, a.ref, a.reason, _extra_for(c, a, w), c.kind)


def _extra_for(c: Comparison, a: SetAsideTally, w: Words) -> str:
    """The detail a set-aside sentence needs, rebuilt from the comparison (for translation)."""
    if a.reason is SetAside.DIFFERENT_PERIOD:
        return w.when(c.since) if c.since is not None else "?"
    if a.reason is SetAside.OTHER_BASIS:
        return ", ".join(w.basis(b) for b in c.basis)
    return ""
