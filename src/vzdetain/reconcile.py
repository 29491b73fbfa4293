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

import array
import bisect
import datetime as dt
import enum
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Final, NamedTuple, TypeAlias, TypeVar, cast

import attrs
import pendulum

from vzdetain._bulk import paused_gc
from vzdetain.catalogue import MEASURES
from vzdetain.counts import Count, Qualifier
from vzdetain.errors import DuplicateIdError, UnknownReferenceError, ValidationError
from vzdetain.model import Basis, Dataset, Measure, MeasureKind, Report, Tally, TallyRef
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
    figure; low and high are the consensus, or that source's bounds when figures conflict.
    When no source of the priority states a usable figure, the conservative choice applies
    (and the explanation says so)."""


class SetAside(enum.Enum):
    """Why a tally was not considered on its own (in the order :meth:`Comparison.explain` uses)."""

    RELAY = "relay"
    """It relays a figure already considered (same source, cut-off and period, compatible
    count); it was merged into that :class:`Claim`."""
    SUPERSEDED = "superseded"
    """A later cut-off of the same source inside the window replaces it."""
    OUTSIDE_WINDOW = "outside_window"
    """Its cut-off is outside the window. Only the nearest figures outside the window, per
    source, are listed (for the measure and group compared, the tallies of the last cut-off
    before the window and of the first after it), so a year of daily figures does not bury
    the comparison."""
    DIFFERENT_PERIOD = "different_period"
    """A flow over another period than the one compared."""
    OTHER_BASIS = "other_basis"
    """Its basis is not among those asked for."""
    OTHER_SUBGROUP = "other_subgroup"
    """It counts a group that neither lies within nor contains the one compared, or one that
    does but of a measure related the other way (women among the arbitrarily detained,
    against all political prisoners), which bounds nothing."""
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
_PRECISION_RANK: Final = {id(p): i for i, p in enumerate(Precision)}  # hashing enums is slow
_MICRO: Final = dt.timedelta(microseconds=1)


def _micros(t: dt.datetime) -> int:
    """Microseconds since the epoch (exact; bypasses pendulum's slow subtraction)."""
    delta: dt.timedelta = dt.datetime.__sub__(t, _EPOCH)
    return delta // _MICRO


_SPANS: dict[int, tuple[When, tuple[int, int]]] = {}
_SPANS_LIMIT: Final = 1 << 17


def span(w: When) -> tuple[int, int]:
    """The half-open interval ``[start, end)`` of ``w`` in epoch microseconds.

    An instant covers one microsecond, so that it overlaps exactly what contains it.
    (Memoised by identity, as times are shared objects and hashing one is slow; the memo
    holds the times it names, so an id is never mistaken for another's, and it is emptied
    when it grows past ``_SPANS_LIMIT`` entries.)
    """
    got = _SPANS.get(id(w))
    if got is not None and got[0] is w:
        return got[1]
    s = _micros(w.start)
    out = (s, s + 1) if w.is_instant else (s, _micros(w.end))
    if len(_SPANS) >= _SPANS_LIMIT:
        _SPANS.clear()
    _SPANS[id(w)] = (w, out)
    return out


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


_K = TypeVar("_K", bound=Hashable)


def _same_time_matches(times: Mapping[_K, When]) -> dict[_K, list[_K]]:
    """For each key, the keys whose time is the :func:`same_time` as its own (itself first).

    Distinct times match only an instant inside a period, so each period finds its instants
    by bisection: ``O(n log n + m)`` for ``n`` times and ``m`` matches, where comparing
    every pair would cost ``O(n²)``. Keys of equal times are expected to be one key.

    >>> days = {"day": When.parse("2026-01-08"), "nine": When.parse("2026-01-08T09:00-04:00")}
    >>> _same_time_matches({**days, "dec": When.parse("2025-12-01")})
    {'day': ['day', 'nine'], 'nine': ['nine', 'day'], 'dec': ['dec']}
    """
    out: dict[_K, list[_K]] = {k: [k] for k in times}
    instants = sorted((span(w)[0], i, k) for i, (k, w) in enumerate(times.items()) if w.is_instant)
    at = [t for t, _, _ in instants]
    for k, w in times.items():
        if w.is_instant:
            continue
        s, e = span(w)
        for _, _, i in instants[bisect.bisect_left(at, s) : bisect.bisect_left(at, e)]:
            out[k].append(i)
            out[i].append(k)
    return out


def is_after(a: When, b: When) -> bool:
    """True when every instant of ``a`` comes after every instant of ``b``.

    >>> is_after(When.parse("2026-01-20"), When.parse("2026-01-19T21:45-04:00"))
    True
    >>> is_after(When.parse("2026-01-19T21:45-04:00"), When.parse("2026-01-19"))
    False
    """
    return span(a)[0] >= span(b)[1]


def from_micros(us: int, tz: Any) -> pendulum.DateTime:
    """The instant ``us`` microseconds after the epoch, in zone ``tz`` (a pendulum zone)."""
    t = (_EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)
    return pendulum.DateTime(
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, tzinfo=tz, fold=t.fold
    )


def when_key(w: When | None) -> tuple[int, int, int]:
    """A sort key for times (``None`` first): by instant, then end, then precision."""
    if w is None:
        return (-(2**62), 0, 0)
    s, e = span(w)
    return (s, e, _PRECISION_RANK[id(w.precision)])


def when_arg(value: Any, name: str, tz: str, zone: Any = None) -> When:
    """Coerce a time argument (``When``, aware datetime, date or text) or raise naming it.

    ``zone`` is ``timezone(tz)`` if already at hand (looking a zone up is slow).
    """
    if isinstance(value, When):
        return value
    if isinstance(value, dt.datetime):
        return When.instant(ensure_aware(value, path=(name,)))
    if isinstance(value, dt.date):
        return When.day(value, tz if zone is None else zone)
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


def _tally_tail(t: Tally) -> tuple[Any, ...]:
    """The part of :func:`_tally_key` after source, measure, subgroup and times."""
    return (
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


def _tally_key(t: Tally) -> tuple[Any, ...]:
    return (
        t.source or "",
        t.measure,
        t.subgroup,
        when_key(t.as_of),
        when_key(t.period_start),
        *_tally_tail(t),
    )


def ref_key(r: TallyRef) -> tuple[Any, ...]:
    """A sort key for tally references: by content first, location last.

    Sorting by content makes results independent of the order of reports and tallies.
    """
    return (_tally_key(r.tally), r.publisher, r.report, r.index)


def _member_key(r: TallyRef) -> tuple[Any, ...]:
    """:func:`ref_key` without the parts every relay of one figure shares (same order)."""
    return (_tally_tail(r.tally), r.publisher, r.report, r.index)


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


def _narrowed(c: Claim) -> bool:
    """Whether the statements merged into a claim narrow it below its primary's own count.

    The narrowed values ("nearly 50" and "about 40": 45) may be stated by none of them.
    """
    own = c.stated
    return (c.count.low, c.count.high) != (own.low, own.high)


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


def _cluster(
    members: Sequence[TallyRef], keys: Mapping[int, tuple[Any, ...]] | None = None
) -> list[list[TallyRef]]:
    """Split relays of one figure into groups whose counts share a value.

    The counts are intervals; sorting by upper bound and stabbing at the lowest upper bound
    gives the fewest groups, and groups whose intersections are pairwise disjoint. The
    result depends only on the counts, never on the input order. ``keys`` maps ``id(ref)``
    to :func:`_member_key` (computed when not given).
    """
    if len(members) == 1:
        return [list(members)]
    k = keys if keys is not None else _member_keys(members)
    order = sorted(
        members,
        key=lambda r: (
            r.tally.count.high is None,
            r.tally.count.high or 0,
            r.tally.count.low or 0,
            k[id(r)],
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


def _member_keys(refs: Iterable[TallyRef]) -> dict[int, tuple[Any, ...]]:
    """:func:`_member_key` of relays of one figure, by ``id``.

    Relays of one figure agree on everything :func:`ref_key` puts before this key, so it
    orders them as :func:`ref_key` does.
    """
    return {id(r): _member_key(r) for r in refs}


_T = TypeVar("_T")
_ONES: dict[Any, tuple[Any]] = {}
_ONES_LIMIT: Final = 1 << 16


def _one(value: _T) -> tuple[_T]:
    """``(value,)``, one shared tuple per value (claims of one figure hold many).

    Most claims have one publisher and one figure: sharing their tuples saves about a
    tenth of what an index of claims keeps. The memo is emptied when it grows past
    ``_ONES_LIMIT`` values.
    """
    got = _ONES.get(value)
    if got is None:
        if len(_ONES) >= _ONES_LIMIT:
            _ONES.clear()
        got = _ONES[value] = (value,)
    return got


def _make_claim(
    refs: Sequence[TallyRef], keys: Mapping[int, tuple[Any, ...]] | None = None
) -> Claim:
    if len(refs) == 1:  # most figures have no relay: the general case, made short
        r = refs[0]
        count = r.tally.count
        n = count.stated
        basis = r.tally.basis
        figures: tuple[int, ...] = _one(n) if n is not None and n in count else ()
        publishers: tuple[str, ...] = _one(r.publisher)
    else:
        k = keys if keys is not None else _member_keys(refs)
        refs = sorted(
            refs,
            key=lambda r: (r.is_relay, len(r.tally.via), _width(r.tally.count), k[id(r)]),
        )
        count = refs[0].tally.count
        # the intersection of the counts (a cluster always shares a value), as one DERIVED
        # count unless it is exactly the primary's
        low, high = count.low, count.high
        for r in refs[1:]:
            c = r.tally.count
            if c.low is not None and (low is None or c.low > low):
                low = c.low
            if c.high is not None and (high is None or c.high < high):
                high = c.high
        assert low is None or high is None or low <= high
        if (low, high) != (count.low, count.high):
            # a relay's own count when it is exactly the intersection, else a DERIVED one
            count = next(
                (
                    r.tally.count
                    for r in refs
                    if (r.tally.count.low, r.tally.count.high) == (low, high)
                ),
                None,
            ) or Count.between(low, high)
        # the one informative basis the relays state, else UNSTATED
        basis = Basis.UNSTATED
        for r in refs:
            b = r.tally.basis
            if b is not Basis.UNSTATED and b is not basis:
                if basis is not Basis.UNSTATED:
                    basis = Basis.UNSTATED
                    break
                basis = b
        figures = tuple(
            sorted(
                {
                    r.tally.count.stated
                    for r in refs
                    if r.tally.count.stated is not None
                    and r.tally.count.stated in r.tally.count
                    and r.tally.count.stated in count
                }
            )
        )
        publishers = tuple(sorted({r.publisher for r in refs}))
    t0 = refs[0].tally
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
        publishers=publishers,
        figures=figures,
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
        keys = _member_keys(members) if len(members) > 1 else None
        made = [_make_claim(c, keys) for c in _cluster(members, keys)]
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
    first = True
    low: int | None = None
    high: int | None = None
    for c in counts:
        if first:
            low, high, first = c.low, c.high, False
            continue
        if c.low is not None and (low is None or c.low > low):
            low = c.low
        if c.high is not None and (high is None or c.high < high):
            high = c.high
    if first or (low is not None and high is not None and low > high):
        return None
    return Count.between(low, high)


# ---------------------------------------------------------------------- words

_MONTHS: Final = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}
_FEMININE_START: Final = re.compile(r"^(un|much)os\b")


def _feminine(m: re.Match[str]) -> str:
    return m[1] + "as"


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


@functools.lru_cache(maxsize=1 << 16)
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
        text = _moment_text(w.start, tz, lang)
        if text.endswith(":00"):
            return text[:-3] + "h"
        # an hour of another zone, off the hour here (UTC in Caracas before 2016): its span
        end = pendulum.instance(w.end).in_tz(tz)
        return f"{text}–{end.hour:02d}:{end.minute:02d}"
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
    #: measure definitions by name, for their labels (built-in measures need not be listed)
    measures: Mapping[str, Measure] = attrs.field(factory=dict, kw_only=True)
    # memos: counts by value (their text ignores the wording), times by identity, labels
    _counts: dict[Count, str] = attrs.field(factory=dict, init=False, repr=False)
    _whens: dict[int, tuple[When, str]] = attrs.field(factory=dict, init=False, repr=False)
    _labels: dict[str, tuple[str, bool, bool]] = attrs.field(factory=dict, init=False, repr=False)

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
        """A measure's label (:meth:`Measure.label`)."""
        return self._measure_words(name)[0]

    def _measure_words(self, name: str) -> tuple[str, bool, bool]:
        """A measure's label, its Spanish gender, and whether it is a noun phrase.

        The second item is True when vague counts take their feminine form; the third,
        when "of" may come between the label and "hundreds". A built-in measure has its
        built-in labels (a dataset may list a copy of it without labels). A measure
        without labels is named by its name, underscores as spaces, which need not be a
        noun.
        """
        got = self._labels.get(name)
        if got is None:
            m = MEASURES.get(name) or self.measures.get(name)
            if m is None:
                got = (name.replace("_", " "), False, False)
            elif self.es:  # the gender is that of the Spanish label, if there is one
                got = (
                    m.label("es"),
                    m.feminine_es and bool(m.label_es),
                    bool(m.label_es or m.label_en),
                )
            else:
                got = (m.label("en"), False, bool(m.label_en))
            self._labels[name] = got
        return got

    def basis(self, b: Basis) -> str:
        """A basis label."""
        return _BASIS_LABELS[b][1 if self.es else 0]

    def policy(self, p: Policy) -> str:
        """A policy label."""
        return _POLICY_LABELS[p][1 if self.es else 0]

    def count(self, c: Count) -> str:
        """A count as a phrase; derived intervals as ranges."""
        got = self._counts.get(c)
        if got is None:
            if c.qualifier.value != "derived":
                got = c.render(self.lang)
            elif self.es and c.low is not None and c.high is not None and c.low != c.high:
                # "la cifra de entre 41 y 44 presos", not "la cifra de de 41 a 44 presos"
                got = f"entre {self.number(c.low)} y {self.number(c.high)}"
            else:
                got = self.interval(c)
            self._counts[c] = got
        return got

    def count_of(self, c: Count, measure: str) -> str:
        """:meth:`count`, agreeing with the measure's label: "unas 800 (detenciones)"."""
        phrase = self.count(c)
        if self.es and self._measure_words(measure)[1]:
            phrase = _FEMININE_START.sub(_feminine, phrase)
        return phrase

    def number(self, n: int) -> str:
        """An integer with the language's digit grouping."""
        return _fmt_int(n, self.lang)

    def interval(self, c: Count) -> str:
        """The values a count allows, in words: "777", "761 to 795", "1,346 or more"."""
        return self.bounds(c.low, c.high)

    def bounds(self, lo: int | None, hi: int | None) -> str:
        """:meth:`interval` of the count with these bounds (``None``: unbounded)."""
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
        got = self._whens.get(id(w))
        if got is not None and got[0] is w:
            return got[1]
        text = _when_text(w, self.tz, self.lang)
        self._whens[id(w)] = (w, text)
        return text

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
        return self.counted(count, measure) + self._after_label(
            source, as_of, period_start, subgroup
        )

    def counted(self, count: Count, measure: str) -> str:
        """A count of a measure: "hundreds of political prisoners", "unas 10 excarcelaciones".

        "of" ("de") comes between a vague plural and the measure's label, not its name,
        which may not be a noun; the count agrees with a feminine Spanish label.
        """
        of = " "
        if count.qualifier is Qualifier.SEVERAL and self._measure_words(measure)[2]:
            of = self.pick(" of ", " de ")
        return f"{self.count_of(count, measure)}{of}{self.measure(measure)}"

    def named(
        self,
        measure: str,
        source: str,
        as_of: When,
        period_start: When | None,
        subgroup: Subgroup = (),
    ) -> str:
        """:meth:`figure` without its count: "political prisoners at 19 Jan 2026 21:45 ..."."""
        return self.measure(measure) + self._after_label(source, as_of, period_start, subgroup)

    def _after_label(
        self,
        source: str,
        as_of: When,
        period_start: When | None,
        subgroup: Subgroup,
    ) -> str:
        """What follows a measure's label in :meth:`named`: " at 19 Jan 2026 ... to X"."""
        what = f" ({self.group(subgroup)})" if subgroup else ""
        if period_start is None:
            when = self.at(as_of)
        else:
            when = self.pick(
                f"from {self.when(period_start)} to {self.when(as_of)}",
                f"del {self.when(period_start)} al {self.when(as_of)}",
            )
        return f"{what} {when} " + self.pick("according to ", "según ") + self.source(source)

    def claim(self, c: Claim) -> str:
        """A claim in words, with its primary tally's count as written.

        When relays narrow the claim ("hundreds", relayed as "777"), it reads as what the
        claim allows (777): the words of the original would allow values it does not.
        """
        count = c.count if _narrowed(c) else c.stated
        return self.figure(count, c.measure, c.source, c.as_of, c.period_start, c.subgroup)

    def tally(self, t: Tally) -> str:
        """A tally in words."""
        assert t.source is not None
        return self.figure(t.count, t.measure, t.source, t.as_of, t.period_start, t.subgroup)


def words_for(dataset: Dataset, lang: str = "en", ids: Iterable[str] = ()) -> Words:
    """A :class:`Words` for a dataset (every source's short name)."""
    lang = ("en", "es")[lang_index(lang)]
    names = dict(source_names(dataset, ids or dataset.all_sources))
    return Words(dataset.timezone, names, lang, measures=dataset.all_measures)


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

    The sentence, :attr:`message`, is written on first use; equality and hashing compare
    the other attributes, of which it is a function.

    Attributes:
        claim: The related figure (relays merged, latest cut-off of its source).
        bound: Whether it is a lower or an upper bound for the measure compared.
        consistent: True when the bound can hold together with every figure considered.
        contradicts: The considered claims the bound cannot hold with.
    """

    claim: Claim
    bound: Bound
    consistent: bool
    contradicts: tuple[Claim, ...]
    _sentence: Callable[[], str] = attrs.field(eq=False, repr=False)
    _memo: list[str] = attrs.field(init=False, factory=list, eq=False, repr=False)

    __vz_fields__: ClassVar = ("claim", "bound", "consistent", "contradicts", "message")

    @property
    def message(self) -> str:
        """One plain English sentence."""
        if not self._memo:
            self._memo.append(self._sentence())
        return self._memo[0]


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


_Details: TypeAlias = tuple[tuple[SetAsideTally, ...], tuple[tuple[str, str], ...]]

#: The public fields of a :class:`Comparison`, in the order they are documented and written.
COMPARISON_FIELDS: Final = (
    "measure",
    "kind",
    "at",
    "window_start",
    "window_end",
    "since",
    "subgroup",
    "basis",
    "policy",
    "priority",
    "considered",
    "set_aside",
    "related",
    "consensus",
    "conflicts",
    "low",
    "best",
    "high",
    "bounded",
    "best_claim",
    "verification_gap",
    "timezone",
    "names",
)


@attrs.frozen(slots=True, eq=False)
class Comparison:
    """The result of :func:`compare`.

    ``set_aside`` and ``names`` are worked out on first use (the figures, the consensus and
    the estimate are not): listing every tally in the window with its reason costs more
    than the comparison itself, and a series of comparisons rarely reads them. Equality,
    hashing and the JSON the command line writes include them.

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
    related: tuple[Related, ...]
    consensus: Count | None
    conflicts: tuple[Conflict, ...]
    low: int | None
    best: int | None
    high: int | None
    best_claim: Claim | None
    verification_gap: VerificationGap | None
    timezone: str
    # () -> (set_aside, names); called once, on first use of either
    _details: Callable[[], tuple[tuple[SetAsideTally, ...], tuple[tuple[str, str], ...]]] = (
        attrs.field(repr=False)
    )
    _memo: list[_Details] = attrs.field(init=False, factory=list, repr=False)

    @property
    def set_aside(self) -> tuple[SetAsideTally, ...]:
        """Every tally not considered on its own, with its reason."""
        return self._worked_out()[0]

    @property
    def bounded(self) -> Count | None:
        """``low`` to ``high``, narrowed by the related figures that are consistent.

        ``low``, ``best`` and ``high`` summarise the figures of the measure compared alone.
        A consistent lower bound (a narrower measure or a smaller group) above ``low``
        raises it, and a consistent upper bound below ``high`` lowers it: 777 political
        prisoners and "hundreds" arbitrarily detained leave 777 to 999 arbitrarily
        detained. With nothing considered, the bounds alone (from 0). ``None`` when there
        is neither a figure nor a consistent bound, or when the bounds cannot hold
        together (one says more than another allows); the explanation says which.

        >>> from vzdetain.datasets import venezuela_2026_01
        >>> c = compare(venezuela_2026_01(), "arbitrarily_detained", "2026-01-19")
        >>> c.low, c.high, c.bounded
        (1346, None, Count('range 1,346 to ∞', low=1346, high=None))
        """
        lows, highs = _bound_ends(self)
        if not self.considered and not lows and not highs:
            return None
        low = max([self.low or 0, *lows])
        tops = [h for h in (self.high, *highs) if h is not None] if self.considered else highs
        high = min(tops, default=None)
        if high is not None and low > high:
            return None
        return Count.between(low, high)

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        """``(source id, short name)`` pairs used by :meth:`explain`."""
        return self._worked_out()[1]

    def _worked_out(self) -> _Details:
        if not self._memo:
            self._memo.append(self._details())
        return self._memo[0]

    __vz_fields__: ClassVar = COMPARISON_FIELDS

    def _values(self) -> tuple[Any, ...]:
        return (*(getattr(self, name) for name in COMPARISON_FIELDS),)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Comparison)
        return self is other or self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._values())

    def sentences(self, lang: str = "en") -> tuple[str, ...]:
        """One plain sentence per decision, in English (``"en"``) or Spanish (``"es"``)."""
        details = self._details
        measures = details.measures() if isinstance(details, _DetailsOf) else {}
        w = Words(
            self.timezone, dict(self.names), ("en", "es")[lang_index(lang)], measures=measures
        )
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


# ---------------------------------------------------------------------- index

_INDEX: Final = "vzdetain.reconcile.index"
#: Groups with more tallies than this find a tally's rank through a dict.
_SCAN: Final = 8


class _Group:
    """Relays of one figure: the tallies with one source, measure, subgroup, cut-off and period.

    A window holds all of a group's tallies or none of them, so the group's claims and its
    set-aside entries are built once per dataset and reused by every :func:`compare`. Each
    tally has a *rank*, its position in :func:`ref_key` order over the whole dataset, and
    each claim one in :func:`claim_key` order, so that results are sorted by integers.

    Memoised parts are built on first use, and kept in few objects: the garbage collector's
    passes grow with the objects it tracks (and it stops tracking tuples of numbers).
    """

    __slots__ = (
        "_info",
        "_pos",
        "_ranks",
        "as_of",
        "base",
        "bucket",
        "cls",
        "end",
        "ids",
        "line",
        "measure",
        "period_start",
        "pid",
        "place",
        "refs",
        "seq",
        "seqs",
        "source",
        "start",
        "subgroup",
        "wid",
    )

    def __init__(self, ref: TallyRef, seq: int, start: int, end: int, wid: int, pid: int) -> None:
        t = ref.tally
        # a tuple, shared with the claim, until a second tally (a relay) makes it a list
        self.refs: list[TallyRef] | tuple[TallyRef, ...] = (ref,)
        self.seq = seq  # dataset position of the first tally
        self.seqs: tuple[int, ...] | None = None  # of every tally, when more than one
        self.measure = t.measure
        self.subgroup: Subgroup = t.subgroup
        self.source = t.source or ""
        self.as_of = t.as_of
        self.period_start = t.period_start
        self.start = start
        self.end = end
        self.wid = wid  # one number per cut-off (equal times, equal numbers)
        self.pid = pid  # one number per period start (-1: none)
        self.base = 0  # rank of the first tally in ref_key order; ranks run base, base + 1...
        self.cls = 0  # one number per measure and subgroup
        self.line = 0  # one number per measure, subgroup and source
        self.ids: tuple[str, ...] = ()  # the source and every publisher
        self.bucket: _Bucket | None = None
        self.place = 0  # position in the bucket
        self._ranks: tuple[int, ...] | None = None
        self._pos: dict[int, int] | None = None
        # per claim, flat: the claim, its rank, its tallies' ranks (one tuple per group)
        self._info: tuple[Any, ...] | None = None

    def _prepare(self) -> None:
        """Rank the tallies and build the claims (one sort of the tallies for both)."""
        refs = self.refs
        if len(refs) == 1:
            self._ranks = (self.base,)
            self._info = (_make_claim(refs), self.base, self._ranks)
            return
        keys = _member_keys(refs)
        order = sorted(range(len(refs)), key=lambda i: keys[id(refs[i])])
        ranks = [0] * len(refs)
        for pos, i in enumerate(order):
            ranks[i] = self.base + pos
        rank_of = {id(r): k for r, k in zip(refs, ranks, strict=True)}
        if len(refs) > _SCAN:
            self._pos = rank_of
        claims = [_make_claim(c, keys) for c in _cluster(refs, keys)]
        claim_ranks = [self.base] * len(claims)
        if len(claims) > 1:
            by_count = sorted(range(len(claims)), key=lambda i: _count_key(claims[i].count))
            for pos, i in enumerate(by_count):
                claim_ranks[i] = self.base + pos
        self._ranks = tuple(ranks)
        info: list[Any] = []
        for c, k in zip(claims, claim_ranks, strict=True):
            info += (c, k, tuple(rank_of[id(r)] for r in c.tallies))
        self._info = tuple(info)

    def ranks(self) -> tuple[int, ...]:
        """The rank of each tally, aligned with ``refs``."""
        if self._ranks is None:
            self._prepare()
        assert self._ranks is not None
        return self._ranks

    def rank(self, ref: TallyRef) -> int:
        """The rank of one of the group's tallies."""
        refs = self.refs
        if len(refs) == 1:
            return self.base
        ranks = self.ranks()
        if self._pos is not None:
            return self._pos[id(ref)]
        for i, r in enumerate(refs):
            if r is ref:
                return ranks[i]
        raise KeyError(ref)

    def claims(self) -> list[Claim]:
        """The claims of all the group's tallies (several when relays disagree)."""
        return list(self.info()[::3])

    def info(self) -> tuple[Any, ...]:
        """The claims with their ranks, flat: three items per claim.

        The claim, its rank in :func:`claim_key` order, and its tallies' ranks (aligned with
        its ``tallies``).
        """
        if self._info is None:
            self._prepare()
        assert self._info is not None
        return self._info


class _Bucket:
    """The groups of one measure and precision, by cut-off start.

    A cut-off of one precision is at most ``longest`` long, so the groups whose cut-off has
    an instant in a window are found by bisection. Set-aside entries that do not depend on
    the comparison (another measure, outside the window, ...) are kept in one flat list per
    sentence, aligned with ``ranks`` (the tallies' ranks, group after group), and built
    group by group on first use: a window of groups is then a slice.
    """

    __slots__ = (
        "_flat",
        "_ranked",
        "groups",
        "id_offsets",
        "ids",
        "longest",
        "measure",
        "offsets",
        "ranks",
        "starts",
    )

    def __init__(self, groups: list[_Group]) -> None:
        groups.sort(key=lambda g: g.start)
        self.groups = groups
        self.measure = groups[0].measure
        self.starts = [g.start for g in groups]
        self.longest = max(g.end - g.start for g in groups)
        self.offsets = array.array("q", [0])
        self.ids: list[str] = []
        self.id_offsets = array.array("q", [0])
        self.ranks = array.array("q")
        self._ranked = bytearray(len(groups))
        for i, g in enumerate(groups):
            g.bucket, g.place = self, i
            self.offsets.append(self.offsets[-1] + len(g.refs))
            self.ids.extend(g.ids)
            self.id_offsets.append(len(self.ids))
            self.ranks.append(g.base)
            if len(g.refs) == 1:
                self._ranked[i] = 1
            else:
                self.ranks.extend(range(g.base + 1, g.base + len(g.refs)))  # until ranked
        self._flat: dict[str, tuple[list[SetAsideTally | None], bytearray]] = {}

    def range(self, ws: int, we: int) -> tuple[int, int, int]:
        """Where a window ``[ws, we]`` lies: ``lo, mid, hi``.

        Groups ``[lo, mid)`` start before the window and may reach into it; groups
        ``[mid, hi)`` start inside it.
        """
        lo = bisect.bisect_left(self.starts, ws + 1 - self.longest)
        mid = bisect.bisect_right(self.starts, ws, lo)
        hi = bisect.bisect_right(self.starts, we, mid)
        return lo, mid, hi

    def entries(
        self, key: str, make: Callable[[TallyRef], SetAsideTally], lo: int, hi: int
    ) -> list[SetAsideTally]:
        """The entries of ``key`` for the tallies of groups ``[lo, hi)`` (built once each).

        Their ranks are ``ranks[offsets[lo]:offsets[hi]]``.
        """
        got = self._flat.get(key)
        if got is None:
            got = self._flat[key] = ([None] * self.offsets[-1], bytearray(len(self.groups)))
        flat, built = got
        i = built.find(0, lo, hi)
        while i != -1:
            g = self.groups[i]
            at = self.offsets[i]
            if not self._ranked[i]:
                self.ranks[at : at + len(g.refs)] = array.array("q", g.ranks())
                self._ranked[i] = 1
            for r in g.refs:
                flat[at] = make(r)
                at += 1
            built[i] = 1
            i = built.find(0, i + 1, hi)
        # every entry of groups [lo, hi) is built now
        return cast("list[SetAsideTally]", flat[self.offsets[lo] : self.offsets[hi]])


@attrs.frozen(slots=True)
class _Track:
    """One source's groups of one measure and subgroup, by end and by start."""

    ends: list[int]
    by_end: list[_Group]
    starts: list[int]
    by_start: list[_Group]
    longest: int  # the longest cut-off, in microseconds

    def latest(self, ws: int, we: int) -> list[_Group]:
        """The groups in the window ``[ws, we]`` that the latest of them does not supersede.

        The latest is the one starting last; it supersedes those ending before it starts
        (as :func:`compare` does line by line), so what is left is it and the cut-offs that
        reach past its start. Found by bisection, then a scan over at most the cut-offs
        starting within ``longest`` of it.
        """
        starts, groups = self.starts, self.by_start
        i = bisect.bisect_right(starts, we) - 1
        floor = ws - self.longest  # a cut-off starting at or before this ends by ws
        while i >= 0 and starts[i] > floor:
            if groups[i].end > ws:
                break
            i -= 1
        else:
            return []
        top = starts[i]
        reach = max(top, ws)
        floor = top - self.longest
        kept: list[_Group] = []
        while i >= 0 and starts[i] > floor:
            if groups[i].end > reach:
                kept.append(groups[i])
            i -= 1
        return kept


class _Index:
    """What :func:`compare` and :func:`~vzdetain.checks.check` derive from a dataset once.

    Groups of relays (:class:`_Group`), in buckets per measure and precision
    (:class:`_Bucket`) and in tracks per measure, subgroup and source (for the nearest
    figures outside a window); the words of explanations, the roles of measures, and
    memoised sentences.
    """

    __slots__ = (
        "_all_claims",
        "_claim_ranks",
        "buckets",
        "classes",
        "consistent",
        "figures",
        "groups",
        "heads",
        "names",
        "relays",
        "roles",
        "tails",
        "texts",
        "tracks",
        "words",
        "zone",
    )

    def __init__(self, dataset: Dataset, hull: tuple[int, int] | None = None) -> None:
        """Index every tally of ``dataset``, or only those a comparison in ``hull`` can use.

        With ``hull`` (``[lo, hi]`` in epoch microseconds), only the tallies whose cut-off
        has an instant in it, and per line (measure, subgroup and source) every tally with
        the nearest cut-off before it (the one ending latest) and after it (the one
        starting earliest): what :func:`compare` reads for any window within the hull. Such
        an index serves those comparisons alone (see :func:`_compare_each`).
        """
        self.words = words_for(dataset)
        self.zone = timezone(dataset.timezone)
        self.names: dict[str, str] = dict(self.words.names)
        self.roles: dict[str, dict[str, _Role]] = {}
        # memos by id of a tally or claim the index holds (so ids are never reused)
        self.figures: dict[int, str] = {}  # words.tally of a tally
        self.heads: dict[int, str] = {}  # start of "superseded" sentences of a tally
        self.texts: dict[int, str] = {}  # words.claim of a claim
        self.tails: dict[int, str] = {}  # end of "superseded" sentences of a claim
        self.relays: dict[int, tuple[list[SetAsideTally], Sequence[int]]] = {}
        self.consistent: dict[tuple[int, str, bool], Related] = {}
        self._claim_ranks: dict[int, int] | None = None
        self._all_claims: tuple[tuple[Claim, ...], tuple[tuple[Claim, ...], ...]] | None = None
        by_id: dict[int, tuple[int, int, int]] = {}
        interned: dict[When, int] = {}

        def info(w: When) -> tuple[int, int, int]:
            got = by_id.get(id(w))
            if got is None:
                s, e = span(w)
                got = by_id[id(w)] = (interned.setdefault(w, len(interned)), s, e)
            return got

        found: dict[tuple[str, Subgroup, str | None, int, int], _Group] = {}
        seqs: dict[int, list[int]] = {}
        width = 1  # the most tallies in a group
        rows: Iterable[_Row] = enumerate(
            (report, i, t) for report in dataset.reports for i, t in enumerate(report.tallies)
        )
        if hull is not None:
            rows = _rows_for(rows, hull, info)
        for seq, (report, i, t) in rows:
            ref = TallyRef(report.id, i, report.publisher, t)
            wid, s, e = info(t.as_of)
            pid = -1 if t.period_start is None else info(t.period_start)[0]
            key = (t.measure, t.subgroup, t.source, wid, pid)
            g = found.get(key)
            if g is None:
                found[key] = _Group(ref, seq, s, e, wid, pid)
            else:
                refs = g.refs
                if isinstance(refs, tuple):
                    refs = g.refs = list(refs)
                refs.append(ref)
                width = max(width, len(refs))
                seqs.setdefault(id(g), [g.seq]).append(seq)
        groups = list(found.values())
        del found
        # ranks: groups in the order of the part of ref_key their tallies share
        src = {x: i for i, x in enumerate(sorted({g.source for g in groups}))}
        msr = {x: i for i, x in enumerate(sorted({g.measure for g in groups}))}
        sub = {x: i for i, x in enumerate(sorted({g.subgroup for g in groups}))}
        prec = {p: _PRECISION_ORDER[p] for p in Precision}

        def head(g: _Group) -> tuple[int, ...]:
            ps = (-(2**62), 0, 0) if g.period_start is None else when_key(g.period_start)
            return (
                src[g.source],
                msr[g.measure],
                sub[g.subgroup],
                g.start,
                g.end,
                prec[g.as_of.precision],
                *ps,
                g.seq,  # ties (none known) in dataset order, as the groups were found
            )

        groups.sort(key=head)
        buckets: dict[tuple[str, Precision], list[_Group]] = defaultdict(list)
        tracks: dict[tuple[str, Subgroup, str], list[_Group]] = defaultdict(list)
        classes: dict[tuple[str, Subgroup], int] = {}
        id_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        for n, g in enumerate(groups):
            g.base = n * width
            refs = g.refs
            if len(refs) > 1:
                g.seqs = tuple(seqs[id(g)])
                ids = tuple(dict.fromkeys((g.source, *(r.publisher for r in refs))))
            else:  # the same, for the one tally most groups have
                publisher = refs[0].publisher
                ids = (g.source,) if publisher == g.source else (g.source, publisher)
            g.ids = id_tuples.setdefault(ids, ids)  # shared: most groups repeat a few
            buckets[(g.measure, g.as_of.precision)].append(g)
            members = tracks[(g.measure, g.subgroup, g.source)]
            g.line = len(tracks) - 1 if not members else members[0].line
            members.append(g)
            g.cls = classes.setdefault((g.measure, g.subgroup), len(classes))
        self.groups = groups
        self.buckets = [_Bucket(members) for members in buckets.values()]
        self.tracks: dict[tuple[str, Subgroup], dict[str, _Track]] = defaultdict(dict)
        for (m, sg, source), members in tracks.items():
            by_end = sorted(members, key=lambda g: g.end)
            by_start = sorted(members, key=lambda g: g.start)
            self.tracks[(m, sg)][source] = _Track(
                [g.end for g in by_end],
                by_end,
                [g.start for g in by_start],
                by_start,
                max(g.end - g.start for g in members),
            )
        self.classes: dict[str, list[tuple[Subgroup, int, list[_Track]]]] = defaultdict(list)
        for (m, sg), by_source in self.tracks.items():
            tracks_of = list(by_source.values())
            self.classes[m].append((sg, tracks_of[0].by_start[0].cls, tracks_of))

    def nearest_outside(self, measure: str, sub: Subgroup, ws: int, we: int) -> Iterator[_Group]:
        """Per source, the groups of the nearest cut-off before and after ``[ws, we]``."""
        for track in self.tracks.get((measure, sub), {}).values():
            i = bisect.bisect_right(track.ends, ws)
            if i:
                last = track.ends[i - 1]
                while i and track.ends[i - 1] == last:
                    i -= 1
                    yield track.by_end[i]
            j = bisect.bisect_right(track.starts, we)
            if j < len(track.starts):
                first = track.starts[j]
                while j < len(track.starts) and track.starts[j] == first:
                    yield track.by_start[j]
                    j += 1

    def roles_for(self, dataset: Dataset, measure: str, kind: MeasureKind) -> dict[str, _Role]:
        """Each measure's role against ``measure``: itself, broader or narrower."""
        roles = self.roles.get(measure)
        if roles is None:
            roles = {}
            above = dataset.broader(measure)
            for name, m in dataset.all_measures.items():
                if name == measure:
                    roles[name] = _Role.TARGET
                elif name in above:
                    roles[name] = _Role.UPPER
                elif m.kind is kind and measure in dataset.broader(name):
                    roles[name] = _Role.LOWER
            self.roles[measure] = roles
        return roles

    def tally_text(self, ref: TallyRef) -> str:
        """``words.tally`` of one of the index's tallies."""
        got = self.figures.get(id(ref))
        if got is None:
            got = self.figures[id(ref)] = self.words.tally(ref.tally)
        return got

    def head(self, ref: TallyRef) -> str:
        """The start of the sentence setting aside one of the index's tallies as superseded."""
        got = self.heads.get(id(ref))
        if got is None:
            got = self.heads[id(ref)] = _superseded_head(self.words, ref, self.tally_text(ref))
        return got

    def claim_text(self, claim: Claim, held: bool) -> str:
        """``words.claim``, memoised for claims the index holds (``held``)."""
        if not held:
            return self.words.claim(claim)
        got = self.texts.get(id(claim))
        if got is None:
            got = self.texts[id(claim)] = self.words.claim(claim)
        return got

    def tail(self, claim: Claim, held: bool) -> str:
        """The end of the sentences setting aside the tallies ``claim`` supersedes."""
        if not held:
            return _superseded_tail(self.words, claim)
        got = self.tails.get(id(claim))
        if got is None:
            got = self.tails[id(claim)] = _superseded_tail(self.words, claim)
        return got

    def claim_ranks(self) -> dict[int, int]:
        """The rank (:func:`claim_key` order) of every claim of :meth:`all_claims`, by id."""
        got = self._claim_ranks
        if got is None:
            got = self._claim_ranks = {
                id(info[j]): info[j + 1]
                for info in (g.info() for g in self.groups)
                for j in range(0, len(info), 3)
            }
        return got

    def all_claims(self) -> tuple[list[Claim], list[tuple[Claim, ...]]]:
        """What :func:`build_claims` gives for every tally of the dataset (in the same order).

        Worked out once per index; each call returns new lists.
        """
        got = self._all_claims
        if got is None:
            got = self._all_claims = self._build_all_claims()
        return list(got[0]), list(got[1])

    def _build_all_claims(self) -> tuple[tuple[Claim, ...], tuple[tuple[Claim, ...], ...]]:
        claims: list[Claim] = []
        disagreements: list[tuple[Claim, ...]] = []
        with paused_gc():
            for g in self.groups:
                g.info()
        for g in sorted(self.groups, key=lambda g: g.seq):
            made = g.claims()
            claims.extend(made)
            if len(made) > 1:
                disagreements.append(tuple(sorted(made, key=claim_key)))
        disagreements.sort(key=lambda d: claim_key(d[0]))
        return tuple(claims), tuple(disagreements)


_Row: TypeAlias = tuple[int, tuple[Report, int, Tally]]  # dataset position, tally
_Line: TypeAlias = tuple[str, Subgroup, str]  # measure, subgroup, source


def _rows_for(
    rows: Iterable[_Row], hull: tuple[int, int], info: Callable[[When], tuple[int, int, int]]
) -> list[_Row]:
    """The ``rows`` (dataset position, tally) that :class:`_Index` keeps for ``hull``.

    Those whose cut-off ``[s, e)`` has an instant in ``[lo, hi]``, and per line (measure,
    subgroup and source) those with the greatest end at or before ``lo`` and those with the
    least start after ``hi``: for a window within the hull, the nearest cut-off outside it
    is one of these or has an instant in the hull.
    """
    lo, hi = hull
    kept: list[_Row] = []
    before: dict[_Line, tuple[int, list[_Row]]] = {}
    after: dict[_Line, tuple[int, list[_Row]]] = {}
    for row in rows:
        t = row[1][2]
        _, s, e = info(t.as_of)
        if s <= hi and e > lo:
            kept.append(row)
            continue
        line = (t.measure, t.subgroup, t.source or "")
        side, edge = (before, e) if e <= lo else (after, -s)
        best = side.get(line)
        if best is None or edge > best[0]:
            side[line] = (edge, [row])
        elif edge == best[0]:
            best[1].append(row)
    for side in (before, after):
        for _, chosen in side.values():
            kept += chosen
    kept.sort(key=lambda row: row[0])
    return kept


def dataset_index(dataset: Dataset) -> _Index:
    """The dataset's index, built on first use and kept in the dataset's memo."""
    memo = dataset._derived
    got = memo.get(_INDEX)
    if got is None:
        with paused_gc():
            got = memo.setdefault(_INDEX, _Index(dataset))
    assert isinstance(got, _Index)
    return got


def dataset_words(dataset: Dataset) -> Words:
    """:func:`words_for` the dataset in English, memoised."""
    return dataset_index(dataset).words


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
    3. a cut-off outside the window: set aside, and listed only for the measure and group
       compared, and only the nearest figures outside the window, per source: every tally
       with the last cut-off of that source before the window (the one ending latest) and
       every tally with its first cut-off after the window (the one starting earliest), so
       a year of daily figures does not bury the comparison;
    4. a basis not in ``basis``: set aside (a relay that states no basis goes with a figure
       of the same source, cut-off and period that states one);
    5. for flows, a period start that is not the same time as the one compared: set aside
       with both periods named;
    6. relays of one figure (same source, cut-off and period) merge into one :class:`Claim`
       when their counts share a value; relays that cannot all be true become separate
       claims and show up as a :class:`Conflict` with ``same_figure=True``;
    7. within the window, a later cut-off of the same source supersedes an earlier one
       (every tally of the earlier claim, relays included, is set aside as superseded).

    Related figures (step 2) go through steps 3 to 7 as well, each measure and group on its
    own; they bound the measure compared but never change ``consensus``, ``low``, ``best``
    or ``high``, which summarise the measure's own figures. A related figure is
    ``consistent`` when its bound can hold with every considered claim (figures within the
    window are treated as if at the same time). :attr:`Comparison.bounded` is ``low`` to
    ``high`` narrowed by the consistent ones.

    Cost: the first call on a dataset indexes it (``O(n log n)`` for ``n`` tallies) and
    keeps the index with the dataset. For a stock without ``basis``, a call then costs
    ``O(s log n + c)``: a binary search per line (source, measure and group) of the measures
    involved, and ``c``, the cut-offs each line keeps. For a flow, or with ``basis``, it
    costs ``O(log n + k)``, where ``k`` counts the tallies in the window. The set-aside
    tallies and the names are worked out on first use (``O(log n + k)``, plus the nearest
    tallies outside the window), and claims and sentences are memoised with the index as
    they are first needed.

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
    args = _compare_args(
        dataset, measure, at, since, window, policy, priority, subgroup, basis
    )._replace(idx=dataset_index(dataset))
    got = _compare(args, details=False)
    assert isinstance(got, Comparison)
    return got


def _compare_args(
    dataset: Dataset,
    measure: str,
    at: When | dt.datetime | dt.date | str,
    since: When | dt.datetime | dt.date | str | None = None,
    window: dt.timedelta | tuple[dt.timedelta, dt.timedelta] = DEFAULT_WINDOW,
    policy: Policy | str = Policy.CONSERVATIVE,
    priority: Sequence[str] = (),
    subgroup: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    basis: Basis | Iterable[Basis] | None = None,
) -> _Args:
    """The arguments of :func:`compare` (same defaults), checked; ``idx`` is left unset."""
    target = _measure_arg(dataset, measure)
    tz = dataset.timezone
    zone = timezone(tz)
    at_w = when_arg(at, "at", tz, zone)
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
        since_w = when_arg(since, "since", tz, zone)
    return _Args(dataset, None, target, at_w, since_w, before, after, pol, prio, sub, bases)


def _compare_each(dataset: Dataset, calls: Sequence[Mapping[str, Any]]) -> list[Comparison]:
    """``compare(dataset, **call)`` for each call, for a few calls on a dataset not indexed yet.

    Gives what :func:`compare` gives, but indexes only the tallies these calls can read:
    those whose cut-off has an instant in the hull of their windows, and per line (measure,
    subgroup and source) the nearest cut-offs before and after that hull. On a dataset
    spanning months, a few comparisons of its last days then cost a pass over the tallies
    rather than indexing them all. That index is not kept with the dataset; when the
    dataset has its full index already, that one is used.
    """
    checked = [_compare_args(dataset, **call) for call in calls]
    idx = dataset._derived.get(_INDEX)
    if idx is None and checked:
        windows = [a.window() for a in checked]
        hull = (min(ws for ws, _ in windows), max(we for _, we in windows))
        with paused_gc():
            idx = _Index(dataset, hull)
    assert idx is None or isinstance(idx, _Index)
    got = [_compare(a._replace(idx=idx), details=False) for a in checked]
    return cast("list[Comparison]", got)


class _Args(NamedTuple):
    """The arguments of :func:`compare`, checked."""

    dataset: Dataset
    idx: _Index | None  # None only until set, before _compare is called
    target: Measure
    at_w: When
    since_w: When | None
    before: int
    after: int
    pol: Policy
    prio: tuple[str, ...]
    sub: Subgroup
    bases: tuple[Basis, ...]

    def window(self) -> tuple[int, int]:
        """The window ``[ws, we]`` in epoch microseconds: the cut-offs that may be compared."""
        a_start, a_end = span(self.at_w)
        return a_start - self.before, a_end - 1 + self.after


@attrs.frozen(slots=True)
class _DetailsOf:
    """Works out the set-aside tallies and names of a comparison."""

    args: _Args

    def measures(self) -> Mapping[str, Measure]:
        """The dataset's measures, for their labels."""
        return self.args.dataset.all_measures

    def __call__(self) -> _Details:
        got = _compare(self.args, details=True)
        assert not isinstance(got, Comparison)
        return got


@paused_gc()  # what a call builds is memoised with the index or returned
def _compare(args: _Args, *, details: bool) -> Comparison | _Details:
    """:func:`compare` once its arguments are checked.

    Without ``details``, the comparison, whose set-aside tallies and names are worked out
    by calling this again with ``details``, which returns just them.
    """
    dataset, idx, target, at_w, since_w, _, _, pol, prio, sub, bases = args
    assert idx is not None
    measure = target.name
    tz = dataset.timezone
    ws, we = args.window()
    words = idx.words
    kind = target.kind
    roles = idx.roles_for(dataset, measure, kind)
    # set-aside entries with their ranks, per reason
    blocks: dict[SetAside, tuple[list[int], list[SetAsideTally]]] = {r: ([], []) for r in SetAside}
    b_relay, b_superseded = blocks[SetAside.RELAY], blocks[SetAside.SUPERSEDED]
    b_outside, b_period = blocks[SetAside.OUTSIDE_WINDOW], blocks[SetAside.DIFFERENT_PERIOD]
    b_basis, b_subgroup = blocks[SetAside.OTHER_BASIS], blocks[SetAside.OTHER_SUBGROUP]
    b_measure = blocks[SetAside.OTHER_MEASURE]

    def maker(reason: SetAside, extra: str = "") -> tuple[str, Callable[[TallyRef], Any]]:
        key = f"{reason.value}|{extra}|{kind.value if reason is SetAside.OTHER_MEASURE else ''}"

        def make(ref: TallyRef) -> SetAsideTally:
            text = _aside_sentence(words, ref, reason, extra, kind, idx.tally_text(ref))
            return SetAsideTally(ref, reason, text)

        return key, make

    def add(
        block: tuple[list[int], list[SetAsideTally]],
        g: _Group,
        made: tuple[str, Callable[[TallyRef], Any]],
        refs: Sequence[TallyRef] | None = None,
    ) -> None:
        """Set aside the group's tallies (``refs`` of them only, if given)."""
        if not details:
            return
        bucket = g.bucket
        assert bucket is not None
        entries = bucket.entries(*made, g.place, g.place + 1)
        at = bucket.offsets[g.place]
        ranks = bucket.ranks[at : at + len(entries)]
        if refs is not None and refs is not g.refs:
            keep = {id(r) for r in refs}
            chosen = [i for i, r in enumerate(g.refs) if id(r) in keep]
            ranks = array.array("q", [ranks[i] for i in chosen])
            entries = [entries[i] for i in chosen]
        block[0].extend(ranks)
        block[1].extend(entries)

    other_measure = maker(SetAside.OTHER_MEASURE)
    other_subgroup = maker(SetAside.OTHER_SUBGROUP)
    # a related group combined with a related measure the other way: bounds nothing
    crossed_groups = {r: maker(SetAside.OTHER_SUBGROUP, extra) for r, extra in _CROSSED.items()}
    crossed: dict[int, _Role] = {}  # classes of such groups: their subgroup's role
    other_basis = maker(SetAside.OTHER_BASIS, ", ".join(words.basis(b) for b in bases))
    # claims by line (measure, subgroup and source): the latest cut-off of a line supersedes
    # those entirely before it, as latest_by_source does
    lines: dict[int, list[tuple[Claim, _Group, tuple[int, ...] | None]]] = {}
    ranked: dict[int, int] = {}  # id of a claim the index holds -> its rank

    def claim(g: _Group, refs: Sequence[TallyRef]) -> None:
        """Put the claims of a group's tallies kept in their line."""
        line = lines.get(g.line)
        if line is None:
            line = lines[g.line] = []
        if refs is g.refs:
            info = g._info or g.info()
            for j in range(0, len(info), 3):
                c = info[j]
                line.append((c, g, info[j + 2]))
                ranked[id(c)] = info[j + 1]
        else:
            line.extend((_make_claim(c), g, None) for c in _cluster(refs))

    # per measure and subgroup (of a related measure): its role, or None for another group
    decided: dict[int, _Role | None] = {}
    ids: set[str] = set()  # every source and publisher named
    # tallies kept, when a period is still to be chosen (flows) or bases filter them
    pool: list[tuple[_Group, Sequence[TallyRef]]] = []
    direct = kind is MeasureKind.STOCK and not bases
    for bucket in idx.buckets:
        if not details and (direct or bucket.measure not in roles):
            continue
        lo, mid, hi = bucket.range(ws, we)
        if lo == hi:
            continue
        if details:
            for i in range(lo, mid):  # groups that start before the window
                if bucket.groups[i].end > ws:
                    ids.update(bucket.groups[i].ids)
            ids.update(bucket.ids[bucket.id_offsets[mid] : bucket.id_offsets[hi]])
        if bucket.measure not in roles:  # every tally is of another measure
            for i in range(lo, mid):
                if bucket.groups[i].end > ws:
                    add(b_measure, bucket.groups[i], other_measure)
            if mid < hi:
                b_measure[1].extend(bucket.entries(*other_measure, mid, hi))
                b_measure[0].extend(bucket.ranks[bucket.offsets[mid] : bucket.offsets[hi]])
            continue
        for g in bucket.groups[lo:hi]:
            if g.end <= ws:
                continue
            if g.cls in decided:
                role = decided[g.cls]
            else:
                s_role = _subgroup_relation(g.subgroup, sub)
                role = None if s_role is None else _combine(roles[g.measure], s_role)
                decided[g.cls] = role
                if role is None and s_role is not None:
                    crossed[g.cls] = s_role
            if role is None:
                c_role = crossed.get(g.cls)
                add(b_subgroup, g, other_subgroup if c_role is None else crossed_groups[c_role])
            elif direct:
                claim(g, g.refs)
            elif not bases:
                pool.append((g, g.refs))
            else:
                kept = [r for r in g.refs if r.tally.basis in bases]
                if kept and len(kept) < len(g.refs) and Basis.UNSTATED not in bases:
                    # a relay that states no basis takes that of the figure it relays
                    unstated = Basis.UNSTATED
                    kept = [
                        r for r in g.refs if r.tally.basis in bases or r.tally.basis is unstated
                    ]
                if len(kept) == len(g.refs):
                    pool.append((g, g.refs))
                    continue
                dropped = [r for r in g.refs if r.tally.basis not in bases]
                add(b_basis, g, other_basis, dropped)
                if kept:
                    pool.append((g, kept))
    if direct and not details:
        # Only the claims that can be kept: per line, the latest cut-off in the window and
        # those reaching past its start (the others are superseded, and only listed).
        for m in roles:
            for sg, cls, tracks in idx.classes.get(m, ()):
                s_role = _subgroup_relation(sg, sub)
                role = decided[cls] = None if s_role is None else _combine(roles[m], s_role)
                if role is not None:
                    for track in tracks:
                        for g in track.latest(ws, we):
                            claim(g, g.refs)
    # outside the window: per source, only the nearest cut-off before and after it
    if details:
        outside = maker(SetAside.OUTSIDE_WINDOW)
        for g in idx.nearest_outside(measure, sub, ws, we):
            ids.update(g.ids)
            add(b_outside, g, outside)

    if kind is MeasureKind.FLOW:
        if since_w is None:
            own = [p for p in pool if decided[p[0].cls] is _Role.TARGET]
            since_w = _default_period_of(own or pool)
        if pool:
            assert since_w is not None
            period = maker(SetAside.DIFFERENT_PERIOD, _when_text(since_w, tz, words.lang))
            matches: dict[int, bool] = {}
            same_period: list[tuple[_Group, Sequence[TallyRef]]] = []
            for g, refs in pool:
                match = matches.get(g.pid)
                if match is None:
                    assert g.period_start is not None
                    match = matches[g.pid] = same_time(g.period_start, since_w)
                if match:
                    same_period.append((g, refs))
                else:
                    add(b_period, g, period, refs)
            if not details:
                # Only the claims that can be kept, as for stocks: per line, the latest
                # cut-off and those reaching past its start (the others are superseded).
                line_top: dict[int, int] = {}
                for g, _ in same_period:
                    if g.start > line_top.get(g.line, -(2**62)):
                        line_top[g.line] = g.start
                same_period = [(g, r) for g, r in same_period if g.end > line_top[g.line]]
            for g, refs in same_period:
                claim(g, refs)
    else:
        for g, refs in pool:
            claim(g, refs)
    # claims sort by claim_key; when the index holds them all, by their ranks
    key: Callable[[Claim], Any] = claim_key
    if all(tks is not None for line in lines.values() for _, _, tks in line):
        key = _by_id(ranked)

    superseded = SetAside.SUPERSEDED
    heads = idx.heads
    considered: list[Claim] = []
    related_claims: list[tuple[Claim, _Role]] = []
    for line in lines.values():
        top = -(2**62)
        tail = ""
        latest = line[0][0]
        if len(line) > 1:
            top = max(item[1].start for item in line)
            tops = [c for c, g, _ in line if g.start == top]
            latest = tops[0] if len(tops) == 1 else min(tops, key=key)
            tail = idx.tail(latest, id(latest) in ranked)
        role = decided[line[0][1].cls]
        assert role is not None
        for c, g, tally_ranks in line:
            if top >= g.end:
                if not details:
                    continue
                if tally_ranks is None:
                    b_superseded[0].extend([g.rank(r) for r in c.tallies])
                else:
                    b_superseded[0].extend(tally_ranks)
                for r in c.tallies:
                    head = heads.get(id(r))
                    if head is None:
                        head = idx.head(r)
                    b_superseded[1].append(SetAsideTally(r, superseded, head + tail, latest))
                continue
            if details and len(c.tallies) > 1:
                entries, ranks = _relays(idx, g, c, tally_ranks)
                b_relay[0].extend(ranks)
                b_relay[1].extend(entries)
            if role is _Role.TARGET:
                considered.append(c)
            else:
                related_claims.append((c, role))
    if details:
        asides: list[SetAsideTally] = []
        for reason in SetAside:  # in the order of SetAside, each reason by rank (of ref_key)
            ranks, entries = blocks[reason]
            asides.extend([entries[i] for i in sorted(range(len(ranks)), key=ranks.__getitem__)])
        ids.update(prio)  # named in the policy's sentence
        ids.discard("")
        return tuple(asides), tuple(sorted((i, idx.names.get(i, i)) for i in ids))
    considered.sort(key=key)

    consensus = meet(c.count for c in considered)
    conflicts = _conflicts(considered, key)
    low, best, high, best_claim = _estimate(considered, consensus, pol, prio, key)
    by_high = sorted(
        (c for c in considered if c.count.high is not None), key=lambda c: c.count.high or 0
    )
    by_low = sorted(considered, key=lambda c: c.count.low or 0)
    consistent = idx.consistent

    def relate(c: Claim, role: _Role) -> Related:
        bound, bad = _contradicted(c, role, by_high, by_low, key)
        if not bad and id(c) in ranked:  # the same in every comparison: memoised
            memo = (id(c), measure, bound is Bound.LOWER)
            got = consistent.get(memo)
            if got is None:
                sentence = functools.partial(_related_sentence, words, c, bound, (), measure)
                got = consistent[memo] = Related(c, bound, True, (), sentence)
            return got
        contradicts = tuple(bad)
        sentence = functools.partial(_related_sentence, words, c, bound, contradicts, measure)
        return Related(c, bound, not bad, contradicts, sentence)

    related = tuple(
        sorted(
            (relate(c, role) for c, role in related_claims),
            key=lambda r: (r.bound is Bound.UPPER, key(r.claim)),
        )
    )
    zone = idx.zone
    return Comparison(
        measure=measure,
        kind=kind,
        at=at_w,
        window_start=from_micros(ws, zone),
        window_end=from_micros(we, zone),
        since=since_w if kind is MeasureKind.FLOW else None,
        subgroup=sub,
        basis=bases,
        policy=pol,
        priority=prio,
        considered=tuple(considered),
        related=related,
        consensus=consensus,
        conflicts=conflicts,
        low=low,
        best=best,
        high=high,
        best_claim=best_claim,
        verification_gap=_verification_gap(considered),
        timezone=tz,
        details=_DetailsOf(args),
    )


def _bound_ends(c: Comparison) -> tuple[list[int], list[int]]:
    """The lows of the consistent lower bounds and the highs of the consistent upper ones."""
    lows = [r.claim.count.low or 0 for r in c.related if r.consistent and r.bound is Bound.LOWER]
    highs = [
        h
        for r in c.related
        if r.consistent and r.bound is Bound.UPPER and (h := r.claim.count.high) is not None
    ]
    return lows, highs


def _by_id(ranks: Mapping[int, int]) -> Callable[[Claim], int]:
    """A sort key for claims: their rank, looked up by ``id``."""

    def key(c: Claim) -> int:
        return ranks[id(c)]

    return key


def _relays(
    idx: _Index, g: _Group, claim: Claim, tally_ranks: tuple[int, ...] | None
) -> tuple[list[SetAsideTally], Sequence[int]]:
    """The entries (and their ranks) of the relays merged into a live claim.

    ``tally_ranks`` are the ranks of the claim's tallies when the index holds the claim
    (the entries are then memoised), else ``None``.
    """
    held = tally_ranks is not None
    if held:
        got = idx.relays.get(id(claim))
        if got is not None:
            return got
    text = idx.claim_text(claim, held)
    rest = claim.tallies[1:]
    entries = [
        SetAsideTally(r, SetAside.RELAY, _relay_sentence(idx.words, r, claim, text), claim)
        for r in rest
    ]
    made = (entries, tally_ranks[1:] if tally_ranks is not None else [g.rank(r) for r in rest])
    if held:
        idx.relays[id(claim)] = made
    return made


def _default_period_of(entries: Sequence[tuple[_Group, Sequence[TallyRef]]]) -> When | None:
    """The period start most figures share: most sources, then most claims, then earliest.

    ``entries`` are groups with the tallies kept of them. Equal period starts written
    differently are one period, named by the first of its tallies in the dataset. A start
    shares the figures of every start it matches (:func:`same_time`: "8 January" matches
    "8 January, 09:00"), as the comparison then keeps them.
    """
    sources: dict[int, set[str]] = defaultdict(set)
    cuts: dict[int, set[tuple[str, int]]] = defaultdict(set)
    first: dict[int, tuple[int, When]] = {}
    for g, refs in entries:
        sources[g.pid].add(g.source)
        cuts[g.pid].add((g.source, g.wid))
        seq = g.seq if refs is g.refs or g.seqs is None else _first_seq(g, refs[0])
        if g.pid not in first or seq < first[g.pid][0]:
            ps = refs[0].tally.period_start
            assert ps is not None
            first[g.pid] = (seq, ps)
    if not sources:
        return None
    if len(sources) > 1:
        # a period start is matched by same_time (a day and the instants inside it), so
        # each candidate counts the sources and claims of every start it would match
        matched = _same_time_matches({p: first[p][1] for p in sources})
        sources = {p: set().union(*(sources[q] for q in qs)) for p, qs in matched.items()}
        cuts = {p: set().union(*(cuts[q] for q in qs)) for p, qs in matched.items()}
    pid = min(sources, key=lambda p: (-len(sources[p]), -len(cuts[p]), when_key(first[p][1])))
    return first[pid][1]


def _first_seq(g: _Group, ref: TallyRef) -> int:
    """The dataset position of one of a group's tallies."""
    assert g.seqs is not None
    return next(q for r, q in zip(g.refs, g.seqs, strict=True) if r is ref)


def _conflicts(
    claims: Sequence[Claim], key: Callable[[Claim], Any] = claim_key
) -> tuple[Conflict, ...]:
    """Every pair of claims that cannot both be true, found by sorting (output-sensitive).

    ``key`` is :func:`claim_key` or a memo of it.
    """
    keys = {id(c): key(c) for c in claims}
    by_low = sorted(claims, key=lambda c: (c.count.low or 0, keys[id(c)]))
    lows = [c.count.low or 0 for c in by_low]
    out: list[Conflict] = []
    for a in by_low:
        high = a.count.high
        if high is None:
            continue
        for b in by_low[bisect.bisect_right(lows, high) :]:
            same = a.source == b.source and a.as_of == b.as_of and a.period_start == b.period_start
            low = b.count.low
            gap = low - high if low is not None else a.count.gap(b.count)
            out.append(Conflict(a, b, gap, same))
    out.sort(key=lambda x: (keys[id(x.lower)], keys[id(x.higher)]))
    return tuple(out)


def _estimate(
    considered: Sequence[Claim],
    consensus: Count | None,
    policy: Policy,
    priority: Sequence[str],
    key: Callable[[Claim], Any] = claim_key,
) -> tuple[int | None, int | None, int | None, Claim | None]:
    """``low``, ``best``, ``high`` and the claim of ``best`` under a policy.

    ``key`` is :func:`claim_key` or a memo of it.
    """
    if not considered:
        return None, None, None, None
    env = hull(c.count for c in considered)
    pairs = sorted(
        ((f, c) for c in considered for f in c.figures if consensus is None or f in consensus),
        key=lambda p: (p[0], key(p[1])),
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
            if consensus is None:
                bounds = pick[1].count
        # else no source of the priority states a usable figure: the conservative choice
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


def _contradicted(
    claim: Claim,
    role: _Role,
    by_high: Sequence[Claim],
    by_low: Sequence[Claim],
    key: Callable[[Claim], Any] = claim_key,
) -> tuple[Bound, list[Claim]]:
    """The bound a related claim gives, and the considered claims it contradicts (sorted).

    ``by_high``: the considered claims with a finite high, by high; ``by_low``: all, by low.
    A lower bound contradicts the claims whose high is below its low; an upper bound the
    claims whose low is above its high (found by bisection, so output-sensitive).
    """
    bound = Bound.LOWER if role is _Role.LOWER else Bound.UPPER
    rc = claim.count
    if bound is Bound.LOWER:
        n = bisect.bisect_left(by_high, rc.low or 0, key=_high)
        bad = list(by_high[:n])
    elif rc.high is None:
        bad = []
    else:
        bad = list(by_low[bisect.bisect_right(by_low, rc.high, key=_low) :])
    if len(bad) > 1:
        bad.sort(key=key)
    return bound, bad


def _high(c: Claim) -> int:
    return c.count.high or 0


def _low(c: Claim) -> int:
    return c.count.low or 0


# ---------------------------------------------------------------------- sentences


def _quoted(words: Words, c: Count) -> str:
    """A count in quotation marks: its words as published, never a translation of them."""
    text = c.text or words.count(c)
    return f'"{text}"' if not words.es else f"«{text}»"


def _aside_sentence(
    words: Words,
    ref: TallyRef,
    reason: SetAside,
    extra: str,
    kind: MeasureKind,
    tally_text: str | None = None,
) -> str:
    """The sentence for a tally set aside.

    ``extra`` is the period compared (``DIFFERENT_PERIOD``) or the bases asked for
    (``OTHER_BASIS``); ``kind`` is the kind of the measure compared; ``tally_text`` is
    ``words.tally(ref.tally)`` if already known.
    """
    w = words
    fig = w.tally(ref.tally) if tally_text is None else tally_text
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
    if extra in _CROSSED.values():
        smaller = extra == _CROSSED[_Role.LOWER]
        size, scope = ("smaller", "broader") if smaller else ("larger", "narrower")
        size_es, scope_es = ("menor", "más amplia") if smaller else ("mayor", "más estrecha")
        return w.pick(
            f"Set aside {fig}: it counts a {size} group ({w.group(t.subgroup)}) of a {scope} "
            f"measure ({w.measure(t.measure)}), so it bounds the figure compared neither from "
            "below nor from above.",
            f"Se deja aparte la cifra de {fig}: cuenta un grupo {size_es} ({w.group(t.subgroup)}) "
            f"de una medida {scope_es} ({w.measure(t.measure)}), así que no acota la cifra "
            "comparada ni por abajo ni por arriba.",
        )
    return w.pick(
        f"Set aside {fig}: it counts another group ({w.group(t.subgroup)}), which neither "
        "contains nor lies within the one compared.",
        f"Se deja aparte la cifra de {fig}: cuenta otro grupo ({w.group(t.subgroup)}), que "
        "ni contiene ni está contenido en el comparado.",
    )


#: ``extra`` of a group that lies within (LOWER) or contains (UPPER) the one compared, of a
#: measure related the other way: neither a lower nor an upper bound
_CROSSED: Final = {_Role.LOWER: "smaller group", _Role.UPPER: "larger group"}


def _relay_sentence(
    words: Words, ref: TallyRef, claim: Claim, claim_text: str | None = None
) -> str:
    w = words
    via = ref.tally.via
    chain = w.pick(" via ", " vía ") + w.sources(via) if via else ""
    into = w.claim(claim) if claim_text is None else claim_text
    if not ref.is_relay:  # the source's own statement, again: not a relay
        return w.pick(
            f"Merged {_quoted(w, ref.tally.count)}, also published by "
            f"{w.source(ref.publisher)}{chain}, into {into}: the source gave the figure at "
            "this cut-off more than once, and the statements are compatible.",
            f"Se fusiona {_quoted(w, ref.tally.count)}, también publicada por "
            f"{w.source(ref.publisher)}{chain}, con la cifra de {into}: la fuente dio la "
            "cifra de ese corte más de una vez, y las declaraciones son compatibles.",
        )
    return w.pick(
        f"Merged {_quoted(w, ref.tally.count)} as published by {w.source(ref.publisher)}{chain} "
        f"into {into}: it relays that figure and is compatible with it.",
        f"Se fusiona {_quoted(w, ref.tally.count)} publicado por {w.source(ref.publisher)}"
        f"{chain} con la cifra de {into}: reproduce esa cifra y es compatible con ella.",
    )


def _superseded_sentence(words: Words, ref: TallyRef, new: Claim) -> str:
    return _superseded_head(words, ref) + _superseded_tail(words, new)


def _superseded_head(words: Words, ref: TallyRef, tally_text: str | None = None) -> str:
    """The part of :func:`_superseded_sentence` about the tally set aside."""
    w = words
    fig = w.tally(ref.tally) if tally_text is None else tally_text
    return w.pick(
        f"Set aside {fig}, as published by {w.source(ref.publisher)}: a later cut-off from ",
        f"Se deja aparte la cifra de {fig}, publicada por "
        f"{w.source(ref.publisher)}: la reemplaza un corte posterior de ",
    )


def _superseded_tail(words: Words, new: Claim) -> str:
    """The part of :func:`_superseded_sentence` about the claim that replaces it."""
    w = words
    return w.pick(
        f"{w.source(new.source)} ({w.when(new.as_of)}) replaces it.",
        f"{w.source(new.source)} ({w.when(new.as_of)}).",
    )


def _related_sentence(
    words: Words,
    claim: Claim,
    bound: Bound,
    bad: Sequence[Claim],
    measure: str,
    text: Callable[[Claim], str] | None = None,
) -> str:
    """The sentence for a related claim; ``text`` names claims (default ``words.claim``)."""
    w = words
    name = text or w.claim
    if claim.measure != measure:
        why = w.pick(
            f'"{w.measure(claim.measure)}" is a '
            f"{'narrower' if bound is Bound.LOWER else 'broader'} measure than "
            f'"{w.measure(measure)}"',
            f'"{w.measure(claim.measure)}" es una medida '
            f"{'más estrecha' if bound is Bound.LOWER else 'más amplia'} que "
            f'"{w.measure(measure)}"',
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
            "it contradicts " + "; ".join(name(c) for c in bad),
            "contradice " + "; ".join(name(c) for c in bad),
        )
    elif bound is Bound.UPPER and claim.count.high is None:  # "more than 1,345" caps nothing
        verdict = w.pick(
            "it is open above, so it sets no limit",
            "no tiene tope, así que no fija ningún límite",
        )
    else:
        verdict = w.pick(
            "it is consistent with the figures compared",
            "es coherente con las cifras comparadas",
        )
    return w.pick(
        f"Kept {name(claim)} as {kind}, since {why}; {verdict}.",
        f"Se toma la cifra de {name(claim)} como {kind}, porque {why}; {verdict}.",
    )


def _off_time_sentence(c: Comparison, w: Words) -> str:
    """A warning when figures used (considered, or bounds) do not describe the time compared.

    Empty when they all do. The window reaches both sides of the time compared. A stock
    counted after it may have changed in between; a flow whose period ends before or after
    it counts over another period than the one compared, so it is not that period's count.
    """
    flow = c.kind is MeasureKind.FLOW
    used = [*c.considered, *(r.claim for r in c.related)]  # bounds describe a time too
    off = [k for k in used if is_after(k.as_of, c.at) or (flow and is_after(c.at, k.as_of))]
    if not off:
        return ""
    off.sort(key=lambda k: span(k.as_of))
    # per source, its cut-offs: "that of Foro Penal on 12 Jan 2026 and at 22 Jan 2026 12:00"
    cuts: dict[str, list[When]] = {}
    for k in off:
        mine = cuts.setdefault(w.source(k.source), [])
        if k.as_of not in mine:
            mine.append(k.as_of)
    at = c.at

    def en(name: str, verb: str = "") -> str:
        return f"that of {name}{verb} " + w.join(w.at(t) for t in cuts[name])

    def es(name: str, gender: str, verb: str = "") -> str:
        times = w.join((_el(w, t) if verb else w.at(t)) for t in cuts[name])
        return f"{gender} de {name}{verb} {times}"

    if flow:
        if len(cuts) == 1:
            (name,) = cuts
            return w.pick(
                f"Beware: the period of the figure of {name} ends "
                f"{w.join(w.at(t) for t in cuts[name])}, not {w.at(at)}; a count over another "
                "period is not the count of the period compared.",
                f"Atención: el periodo de la cifra de {name} termina "
                f"{w.join(_el(w, t) for t in cuts[name])}, no {_el(w, at)}; un recuento de otro "
                "periodo no es el del periodo comparado.",
            )
        return w.pick(
            f"Beware: these periods do not end {w.at(at)}: "
            + w.join(en(name, " ends") for name in cuts)
            + "; a count over another period is not the count of the period compared.",
            f"Atención: estos periodos no terminan {_el(w, at)}: "
            + w.join(es(name, "el", " termina") for name in cuts)
            + "; un recuento de otro periodo no es el del periodo comparado.",
        )
    if len(cuts) == 1:
        (name,) = cuts
        return w.pick(
            f"Beware: the figure of {name} was counted {w.join(w.at(t) for t in cuts[name])}, "
            f"after the time compared ({w.when(at)}); the number may have changed in between.",
            f"Atención: la cifra de {name} se contó {w.join(w.at(t) for t in cuts[name])}, "
            f"después del momento comparado ({w.when(at)}); el número puede haber cambiado "
            "entretanto.",
        )
    return w.pick(
        f"Beware: these figures were counted after the time compared ({w.when(at)}): "
        + w.join(en(name) for name in cuts)
        + "; the numbers may have changed in between.",
        f"Atención: estas cifras se contaron después del momento comparado ({w.when(at)}): "
        + w.join(es(name, "la") for name in cuts)
        + "; los números pueden haber cambiado entretanto.",
    )


def _el(w: Words, t: When) -> str:
    """A time after a Spanish verb or "no": "el 19 ene 2026", but "en ene 2026"."""
    if t.precision in (Precision.MONTH, Precision.YEAR):
        return "en " + w.when(t)
    return "el " + w.when(t)


def _hasta(w: Words, t: When) -> str:
    """A time after Spanish "hasta": "el 19 ene 2026", but "ene 2026"."""
    if t.precision in (Precision.MONTH, Precision.YEAR):
        return w.when(t)
    return "el " + w.when(t)


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
            f"between {frm} and {to} ({c.timezone} time).",
            f"Comparación de {what}{period}, hasta {_hasta(w, c.at)}, con cifras cuyo "
            f"periodo termina entre el {frm} y el {to} (hora de {c.timezone}).",
        )
    else:
        yield w.pick(
            f"Comparing {what} {w.at(c.at)}, with figures whose cut-off falls between {frm} "
            f"and {to} ({c.timezone} time).",
            f"Comparación de {what} {w.at(c.at)}, con cifras de corte entre el {frm} y el {to} "
            f"(hora de {c.timezone}).",
        )
    for claim in c.considered:
        basis = "" if claim.basis is Basis.UNSTATED else f" ({w.basis(claim.basis)})"
        narrowed = ""
        if _narrowed(claim):  # the values the merged statements all allow
            own = claim.stated
            narrowed = w.pick(
                f": {_quoted(w, own)}, narrowed by the statements merged into it",
                f": {_quoted(w, own)}, acotada por las cifras fusionadas con ella",
            )
        yield w.pick(
            f"Considered {w.claim(claim)}{basis}, as published by "
            f"{w.sources(claim.publishers)}{narrowed}.",
            f"Se considera la cifra de {w.claim(claim)}{basis}, publicada por "
            f"{w.sources(claim.publishers)}{narrowed}.",
        )
    off = _off_time_sentence(c, w)
    if off:
        yield off
    yield from _aside_sentences(c, w)
    for rel in c.related:
        yield _related_sentence(w, rel.claim, rel.bound, rel.contradicts, c.measure)
    for k in c.conflicts:
        gap = w.number(k.gap)
        if k.same_figure:
            yield w.pick(
                f"Statements of one figure disagree: {w.claim(k.lower)} and "
                f"{_quoted(w, k.higher.stated)} as published by {w.sources(k.higher.publishers)}"
                f" cannot both be true (at least {gap} apart); both are kept and reported.",
                f"Las versiones de una misma cifra no coinciden: la de {w.claim(k.lower)} y "
                f"{_quoted(w, k.higher.stated)} publicada por {w.sources(k.higher.publishers)} "
                f"no pueden ser ciertas a la vez (al menos {gap} de diferencia); se mantienen "
                "ambas y se informa.",
            )
        else:
            text = w.claim(k.lower)
            yield w.pick(
                f"{text[:1].upper()}{text[1:]} and {w.claim(k.higher)} cannot both be true: "
                f"they are at least {gap} apart.",
                f"Las cifras de {w.claim(k.lower)} y de {w.claim(k.higher)} no pueden ser ciertas "
                f"a la vez: hay al menos {gap} de diferencia.",
            )
    if not c.considered:
        yield w.pick(
            f"No figure of {what} was considered, so there is no estimate.",
            f"No se consideró ninguna cifra de {what}, así que no hay estimación.",
        )
        yield from _bounded_sentences(c, w)
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
        if c.best_claim is None or c.best_claim.source not in c.priority:
            one = len(c.priority) == 1
            prio += w.pick(
                (", which states no" if one else ", none of which states a")
                + " usable figure, so the conservative choice applies",
                (", que no da ninguna" if one else ", ninguna de las cuales da una")
                + " cifra utilizable, así que se aplica la elección conservadora",
            )
    yield w.pick(
        f"Under the {w.policy(c.policy)} policy{prio}: low {low}, high {high}; {best}.",
        f"Con la política {w.policy(c.policy)}{prio}: mínimo {low}, máximo {high}; {best}.",
    )
    yield from _bounded_sentences(c, w)
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


def _bounded_sentences(c: Comparison, w: Words) -> Iterator[str]:
    """What the consistent related figures add to ``low`` and ``high``, if anything."""
    lows, highs = _bound_ends(c)
    if not lows and not highs:
        return
    b = c.bounded
    if b is None and lows and highs:
        yield w.pick(
            f"The related figures cannot all hold together: one gives at least "
            f"{w.number(max(lows))}, another at most {w.number(min(highs))}; they narrow "
            f"nothing.",
            f"Las cifras relacionadas no pueden ser ciertas a la vez: una da al menos "
            f"{w.number(max(lows))}, otra como mucho {w.number(min(highs))}; no acotan nada.",
        )
    elif b is None:
        return
    elif not c.considered:
        yield w.pick(
            f"With no figure of the measure itself, the related figures leave {w.interval(b)}.",
            f"Sin cifras de la medida misma, las cifras relacionadas dejan {w.interval(b)}.",
        )
    elif (b.low, b.high) != (c.low or 0, c.high):
        tail_en = tail_es = "."
        if c.best is not None and c.best not in b:  # a stated figure the bounds rule out
            tail_en = f"; the best figure, {w.number(c.best)}, lies outside it."
            tail_es = f"; la mejor cifra, {w.number(c.best)}, queda fuera."
        yield w.pick(
            f"With the related figures as bounds, what is left is {w.interval(b)}{tail_en}",
            f"Con las cifras relacionadas como cotas, queda {w.interval(b)}{tail_es}",
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
                if first == last:  # one figure and its relays, or figures of one cut-off
                    yield w.pick(
                        f"Set aside {len(group)} figures according to {w.source(src)}, all "
                        f"{w.at(first)}: they are outside the window.",
                        f"Se dejan aparte {len(group)} cifras según {w.source(src)}, todas con "
                        f"corte {w.at(first)}: quedan fuera de la ventana.",
                    )
                    continue
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
    if a.reason is SetAside.OTHER_SUBGROUP:  # a related group of a measure related the other way
        s_role = _subgroup_relation(a.ref.tally.subgroup, c.subgroup)
        return "" if s_role is None else _CROSSED.get(s_role, "")
    return ""
