"""The data model: sources, reports, tallies, measures, releases and datasets.

Every class here is an immutable, slotted attrs class that validates itself when built
and names the offending field and value when it refuses:

>>> from vzdetain import Count, Tally, When
>>> Tally("political_prisoners", Count.exact(777), When.parse("2026-01-19"),
...       period_start=When.parse("2026-01-20"))
Traceback (most recent call last):
...
vzdetain.errors.ValidationError: as_of: must end after period_start ...
"""

from __future__ import annotations

import contextvars
import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
import pendulum

from vzdetain.counts import Count, Qualifier
from vzdetain.errors import DuplicateIdError, UnknownReferenceError, ValidationError
from vzdetain.when import DEFAULT_TIMEZONE, When, timezone

__all__ = [
    "Basis",
    "ConditionKind",
    "Dataset",
    "Measure",
    "MeasureKind",
    "ReleaseCondition",
    "ReleaseKind",
    "Report",
    "Source",
    "SourceKind",
    "Tally",
    "TallyRef",
]

_SLUG_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_REPORT_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")
_LANG_RE: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class SourceKind(enum.Enum):
    """What kind of body a source is."""

    NGO = "ngo"
    GOVERNMENT = "government"
    INTERGOVERNMENTAL = "intergovernmental"
    MEDIA = "media"
    ACADEMIC = "academic"
    OTHER = "other"


class MeasureKind(enum.Enum):
    """A stock is counted at an instant; a flow over a period."""

    STOCK = "stock"
    FLOW = "flow"


class Basis(enum.Enum):
    """How a figure was established."""

    VERIFIED = "verified"
    """Verified case by case (e.g. a monitor's documented list)."""
    ANNOUNCED = "announced"
    """Announced without verification (e.g. an official statement)."""
    ESTIMATED = "estimated"
    """An estimate."""
    PLANNED = "planned"
    """Announced as intended, not yet done."""
    UNSTATED = "unstated"
    """The statement does not say."""


class ReleaseKind(enum.Enum):
    """What a release means for the person released."""

    CONDITIONAL = "conditional"
    """Excarcelación under court measures: out of prison, not free."""
    FULL = "full"
    """Libertad plena, e.g. by amnesty or dismissal of the case."""
    HOUSE_ARREST = "house_arrest"
    """Moved from prison to house arrest."""
    EXILE = "exile"
    """Released on condition of leaving the country, or expelled."""
    UNSPECIFIED = "unspecified"
    """The statement does not say."""

    def label(self, lang: str = "en") -> str:
        """A human label in English or Spanish.

        >>> ReleaseKind.CONDITIONAL.label("es")
        'excarcelación'
        """
        return _RELEASE_LABELS[self][_lang_index(lang)]


class ConditionKind(enum.Enum):
    """A restriction imposed on a released person."""

    PERIODIC_PRESENTATION = "periodic_presentation"
    TRAVEL_BAN = "travel_ban"
    MEDIA_GAG = "media_gag"
    SOCIAL_MEDIA_BAN = "social_media_ban"
    NO_CONTACT = "no_contact"
    PROTEST_BAN = "protest_ban"
    HOUSE_ARREST = "house_arrest"
    BAIL = "bail"
    OTHER = "other"

    def label(self, lang: str = "en") -> str:
        """A human label in English or Spanish.

        >>> ConditionKind.TRAVEL_BAN.label("es")
        'prohibición de salida del país'
        """
        return _CONDITION_LABELS[self][_lang_index(lang)]


def _lang_index(lang: str) -> int:
    base = lang.lower().split("-", 1)[0].split("_", 1)[0]
    if base == "en":
        return 0
    if base == "es":
        return 1
    raise ValidationError("unsupported language; use 'en' or 'es'", path=("lang",), value=lang)


_RELEASE_LABELS: Final = {
    ReleaseKind.CONDITIONAL: ("conditional release", "excarcelación"),
    ReleaseKind.FULL: ("full freedom", "libertad plena"),
    ReleaseKind.HOUSE_ARREST: ("moved to house arrest", "casa por cárcel"),
    ReleaseKind.EXILE: ("release into exile", "excarcelación con destierro"),
    ReleaseKind.UNSPECIFIED: ("release (kind not stated)", "excarcelación (sin precisar)"),
}

_CONDITION_LABELS: Final = {
    ConditionKind.PERIODIC_PRESENTATION: (
        "periodic presentation before a court",
        "régimen de presentación",
    ),
    ConditionKind.TRAVEL_BAN: ("ban on leaving the country", "prohibición de salida del país"),
    ConditionKind.MEDIA_GAG: ("ban on speaking to the media", "prohibición de declarar a medios"),
    ConditionKind.SOCIAL_MEDIA_BAN: (
        "ban on posting on social media",
        "prohibición de publicar en redes sociales",
    ),
    ConditionKind.NO_CONTACT: ("ban on contacting named people", "prohibición de contacto"),
    ConditionKind.PROTEST_BAN: (
        "ban on taking part in protests",
        "prohibición de participar en manifestaciones",
    ),
    ConditionKind.HOUSE_ARREST: ("house arrest", "arresto domiciliario"),
    ConditionKind.BAIL: ("bail or surety", "fianza"),
    ConditionKind.OTHER: ("other condition", "otra medida"),
}


# ---------------------------------------------------------------------- helpers


# Set by the file loaders, which have already run report_problems on exactly these reports
# (and dropped or reported every bad one), so building the Dataset does not repeat it.
_REPORTS_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "vzdetain_reports_checked", default=False
)

# Ids and names seen to match their pattern: datasets repeat a few of them very often.
_MATCHED: dict[re.Pattern[str], set[str]] = {}


def _check_str(
    value: Any, path: str, *, pattern: re.Pattern[str] | None = None, what: str = ""
) -> None:
    if pattern is not None:
        seen = _MATCHED.get(pattern)
        if seen is None:
            seen = _MATCHED[pattern] = set()
        elif value in seen:  # only strings get in
            return
        if not isinstance(value, str):
            raise ValidationError("must be a string", path=(path,), value=value)
        if not pattern.fullmatch(value):
            raise ValidationError(f"must be {what}", path=(path,), value=value)
        if len(seen) < 100_000:
            seen.add(value)
    elif not isinstance(value, str):
        raise ValidationError("must be a string", path=(path,), value=value)


def _check_enum(value: Any, cls: type[enum.Enum], path: str) -> None:
    if not isinstance(value, cls):
        raise ValidationError(f"must be a {cls.__name__}", path=(path,), value=value)


def _check_optional_str(value: Any, path: str) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError("must be a non-empty string or None", path=(path,), value=value)


def _to_subgroup(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    if value == () or value == {}:
        return ()
    if isinstance(value, str) or not isinstance(value, Mapping | Iterable):
        raise ValidationError(
            "must be a mapping of key to value, such as {'sex': 'female'}",
            path=("subgroup",),
            value=value,
        )
    items = value.items() if isinstance(value, Mapping) else value
    try:
        return tuple(sorted((k, v) for k, v in items))
    except (TypeError, ValueError):
        raise ValidationError(
            "must be a mapping of key to value", path=("subgroup",), value=value
        ) from None


def _as_tuple(value: Any, name: str) -> tuple[Any, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError("must be a sequence", path=(name,), value=value)
    return tuple(value)


def _tallies(value: Iterable[Tally]) -> tuple[Tally, ...]:
    return _as_tuple(value, "tallies")


def _reports(value: Iterable[Report]) -> tuple[Report, ...]:
    return _as_tuple(value, "reports")


def _sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return _as_tuple(value, "sources")


def _measures(value: Iterable[Measure]) -> tuple[Measure, ...]:
    return _as_tuple(value, "measures")


def _conditions(value: Iterable[ReleaseCondition]) -> tuple[ReleaseCondition, ...]:
    return _as_tuple(value, "conditions")


def _to_str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, str):
        return (value,)
    return _as_tuple(value, "ids")


# ---------------------------------------------------------------------- values


@attrs.frozen(slots=True)
class Source:
    """Who originates figures.

    Attributes:
        id: A slug such as ``"foro-penal"``.
        name: The display name.
        kind: What kind of body it is.
        url: Home page, if any.
        notes: Free text.
    """

    id: str
    name: str
    kind: SourceKind
    url: str | None = attrs.field(default=None, kw_only=True)
    notes: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_str(self.id, "id", pattern=_SLUG_RE, what="a lower-case slug such as 'foro-penal'")
        _check_str(self.name, "name")
        if not self.name.strip():
            raise ValidationError("must not be empty", path=("name",), value=self.name)
        _check_enum(self.kind, SourceKind, "kind")
        _check_optional_str(self.url, "url")
        _check_str(self.notes, "notes")


@attrs.frozen(slots=True)
class Measure:
    """What is counted.

    Explanations name a measure by its label: a plural noun phrase for what is counted,
    which may follow a count ("many cases pending evaluation", "hundreds of ...").

    >>> m = Measure("pending_evaluation", MeasureKind.STOCK,
    ...             label_en="cases pending evaluation",
    ...             label_es="casos pendientes de evaluación")
    >>> m.label(), m.label("es")
    ('cases pending evaluation', 'casos pendientes de evaluación')
    >>> Measure("detained_minors", MeasureKind.STOCK).label("es")
    'detained minors'

    Attributes:
        name: A snake_case name such as ``"political_prisoners"``.
        kind: Stock (counted at a cut-off) or flow (counted over a period).
        description: What the measure counts, in plain words.
        within: Names of broader measures this one lies within.
        label_en: The English label (default: the name, its underscores as spaces).
        label_es: The Spanish label (default: the English label).
        feminine_es: True when the Spanish label is grammatically feminine, so that the
            words of vague counts agree with it ("muchas detenciones", "unas 800").
    """

    name: str
    kind: MeasureKind
    description: str = attrs.field(default="", kw_only=True)
    within: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_to_str_tuple)
    label_en: str = attrs.field(default="", kw_only=True)
    label_es: str = attrs.field(default="", kw_only=True)
    feminine_es: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_str(self.name, "name", pattern=_NAME_RE, what="a snake_case name")
        _check_enum(self.kind, MeasureKind, "kind")
        _check_str(self.description, "description")
        for i, w in enumerate(self.within):
            _check_str(w, f"within[{i}]", pattern=_NAME_RE, what="a measure name")
        if self.name in self.within:
            raise ValidationError(
                "a measure cannot lie within itself", path=("within",), value=self.name
            )
        for field in ("label_en", "label_es"):
            label = getattr(self, field)
            _check_str(label, field)
            if label != label.strip() or "\n" in label or "\r" in label:
                raise ValidationError(
                    "must be one line without edge spaces", path=(field,), value=label
                )
        if type(self.feminine_es) is not bool:
            raise ValidationError(
                "must be true or false", path=("feminine_es",), value=self.feminine_es
            )

    def label(self, lang: str = "en") -> str:
        """The measure's label in English (``"en"``) or Spanish (``"es"``)."""
        english = self.label_en or self.name.replace("_", " ")
        if _lang_index(lang) == 0:
            return english
        return self.label_es or english


@attrs.frozen(slots=True)
class ReleaseCondition:
    """A restriction reported for released people.

    Attributes:
        kind: The kind of restriction.
        every: For periodic presentation, how often (a positive pendulum ``Duration`` of
            whole seconds).
        applies_to: How many people it applies to, if stated ("many of those released").
        note: Free text.
    """

    kind: ConditionKind
    every: pendulum.Duration | None = attrs.field(default=None, kw_only=True)
    applies_to: Count | None = attrs.field(default=None, kw_only=True)
    note: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_enum(self.kind, ConditionKind, "kind")
        if self.every is not None:
            if not isinstance(self.every, pendulum.Duration):
                raise ValidationError(
                    "must be a pendulum Duration", path=("every",), value=self.every
                )
            if self.every.total_seconds() <= 0:
                raise ValidationError("must be positive", path=("every",), value=self.every)
            if self.every.microseconds:  # ISO 8601 text (the file formats) keeps whole seconds
                raise ValidationError(
                    "must be a whole number of seconds", path=("every",), value=self.every
                )
        if self.applies_to is not None and not isinstance(self.applies_to, Count):
            raise ValidationError("must be a Count", path=("applies_to",), value=self.applies_to)
        _check_str(self.note, "note")


@attrs.frozen(slots=True)
class Tally:
    """One figure inside a report.

    Attributes:
        measure: Name of the measure counted.
        count: The figure.
        as_of: The cut-off of a stock, or the end of a flow's period.
        source: Id of the source the figure is attributed to; ``None`` until the tally is put in
            a :class:`Report`, which fills in its publisher.
        period_start: Start of a flow's period; ``None`` for a stock.
        subgroup: Who is counted, as sorted ``(key, value)`` pairs (a dict is accepted); empty
            means everyone.
        basis: How the figure was established.
        via: Ids of intermediaries that relayed the figure, nearest to the source first.
        quote: The statement, verbatim.
        release_kind: For release measures, what kind of release.
        conditions: For release measures, restrictions reported for those released.
    """

    measure: str
    count: Count
    as_of: When
    source: str | None = attrs.field(default=None, kw_only=True)
    period_start: When | None = attrs.field(default=None, kw_only=True)
    subgroup: tuple[tuple[str, str], ...] = attrs.field(
        default=(), kw_only=True, converter=_to_subgroup
    )
    basis: Basis = attrs.field(default=Basis.UNSTATED, kw_only=True)
    via: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_to_str_tuple)
    quote: str = attrs.field(default="", kw_only=True)
    release_kind: ReleaseKind | None = attrs.field(default=None, kw_only=True)
    conditions: tuple[ReleaseCondition, ...] = attrs.field(
        default=(), kw_only=True, converter=_conditions
    )

    def __attrs_post_init__(self) -> None:
        _check_str(self.measure, "measure", pattern=_NAME_RE, what="a measure name")
        if not isinstance(self.count, Count):
            raise ValidationError("must be a Count", path=("count",), value=self.count)
        if not isinstance(self.as_of, When):
            raise ValidationError("must be a When", path=("as_of",), value=self.as_of)
        if self.source is not None:
            _check_str(self.source, "source", pattern=_SLUG_RE, what="a source id")
        if self.period_start is not None:
            if not isinstance(self.period_start, When):
                raise ValidationError(
                    "must be a When", path=("period_start",), value=self.period_start
                )
            if self.as_of._key[1] <= self.period_start._key[0]:  # end <= start, by instant
                raise ValidationError(
                    f"must end after period_start ({self.period_start})",
                    path=("as_of",),
                    value=str(self.as_of),
                )
        if self.count.qualifier is Qualifier.DERIVED:
            raise ValidationError(
                "a tally holds a stated figure, not a DERIVED one",
                path=("count",),
                value=self.count,
            )
        if self.subgroup:
            self._check_subgroup()
        _check_enum(self.basis, Basis, "basis")
        for i, v in enumerate(self.via):
            _check_str(v, f"via[{i}]", pattern=_SLUG_RE, what="a source id")
        if not isinstance(self.quote, str):
            raise ValidationError("must be a string", path=("quote",), value=self.quote)
        if self.release_kind is not None:
            _check_enum(self.release_kind, ReleaseKind, "release_kind")
        for i, c in enumerate(self.conditions):
            if not isinstance(c, ReleaseCondition):
                raise ValidationError(
                    "must be a ReleaseCondition", path=(f"conditions[{i}]",), value=c
                )

    def _check_subgroup(self) -> None:
        keys = [k for k, _ in self.subgroup]
        for i, (k, v) in enumerate(self.subgroup):
            _check_str(k, f"subgroup[{i}]", pattern=_NAME_RE, what="a snake_case key")
            _check_str(v, f"subgroup.{k}")
            if not v or v != v.strip() or any(c in v for c in ";="):
                raise ValidationError(
                    "must be a non-empty value without ';' or '=' or edge spaces",
                    path=(f"subgroup.{k}",),
                    value=v,
                )
        if len(set(keys)) != len(keys):
            raise DuplicateIdError("a subgroup key appears twice", path=("subgroup",), value=keys)

    @property
    def subgroup_dict(self) -> dict[str, str]:
        """The subgroup as a dict (``{}`` means everyone)."""
        return dict(self.subgroup)

    @property
    def is_flow(self) -> bool:
        """True when the tally has a period (a flow)."""
        return self.period_start is not None


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of an attrs slotted class's fields, in field order (for fast builds)."""
    return tuple(cls.__dict__[a.name].__set__ for a in attrs.fields(cls))


_SET_TALLY: Final = _slot_setters(Tally)


def _checked_tally(
    measure: str,
    count: Count,
    as_of: When,
    source: str | None,
    period_start: When | None,
    subgroup: tuple[tuple[str, str], ...],
    basis: Basis,
    via: tuple[str, ...],
    quote: str,
    release_kind: ReleaseKind | None,
    conditions: tuple[ReleaseCondition, ...],
) -> Tally:
    """A tally from field values that have each passed ``Tally``'s checks already.

    For the file loaders, which validate every distinct field value once by building a
    full :class:`Tally` and then reuse the validated values on the rows that repeat them.
    The checks that tie fields of one row together are the caller's to make (``as_of`` ends
    after ``period_start``; the count is not DERIVED). Skips ``__init__`` and its checks, at
    a fifth of the cost.
    """
    t: Tally = object.__new__(Tally)
    (sm, sc, sa, ss, sp, ssg, sb, sv, sq, sr, scd) = _SET_TALLY
    sm(t, measure)
    sc(t, count)
    sa(t, as_of)
    ss(t, source)
    sp(t, period_start)
    ssg(t, subgroup)
    sb(t, basis)
    sv(t, via)
    sq(t, quote)
    sr(t, release_kind)
    scd(t, conditions)
    return t


@attrs.frozen(slots=True)
class Report:
    """One publication or statement, carrying one or more tallies.

    Attributes:
        id: Unique id within the dataset.
        publisher: Source id of whoever published it (a news outlet is a MEDIA source).
        published: When it was published.
        tallies: The figures it carries (at least one). A tally without a ``source`` is
            attributed to the publisher.
        url: Where it can be read.
        language: Language tag of the text (``"en"``, ``"es"``, ...).
        title: Its title or headline.
    """

    id: str
    publisher: str
    published: When
    tallies: tuple[Tally, ...] = attrs.field(converter=_tallies)
    url: str | None = attrs.field(default=None, kw_only=True)
    language: str = attrs.field(default="en", kw_only=True)
    title: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_str(self.id, "id", pattern=_REPORT_ID_RE, what="an id of letters, digits and ._:-")
        _check_str(self.publisher, "publisher", pattern=_SLUG_RE, what="a source id")
        if not isinstance(self.published, When):
            raise ValidationError("must be a When", path=("published",), value=self.published)
        _check_optional_str(self.url, "url")
        _check_str(self.language, "language", pattern=_LANG_RE, what="a language tag such as 'es'")
        _check_str(self.title, "title")
        if not self.tallies:
            raise ValidationError(
                "a report carries at least one tally", path=("tallies",), value=()
            )
        fixed = []
        for i, t in enumerate(self.tallies):
            if not isinstance(t, Tally):
                raise ValidationError("must be a Tally", path=(f"tallies[{i}]",), value=t)
            fixed.append(t if t.source is not None else _with_source(t, self.publisher))
        object.__setattr__(self, "tallies", tuple(fixed))


_SET_REPORT: Final = _slot_setters(Report)


def _report_if_valid(
    id: Any,
    publisher: Any,
    published: Any,
    tallies: Sequence[Tally],
    url: Any,
    language: Any,
    title: Any,
) -> Report | None:
    """``Report(...)`` of values that pass its checks, else None (and nothing raised).

    For the file loaders: a report that passes is built without a second round of checks,
    at a third of the cost; one that does not is built with ``Report(...)``, which names
    the problem. A tally without a source is attributed to the publisher, as ``Report``
    does; a subclass of ``Tally`` or of ``When`` takes the general path.
    """
    if not (
        type(id) is str
        and _REPORT_ID_RE.fullmatch(id)
        and type(publisher) is str
        and publisher in _MATCHED.get(_SLUG_RE, ())
        and type(language) is str
        and language in _MATCHED.get(_LANG_RE, ())
        and type(title) is str
        and type(published) is When
        and (url is None or (type(url) is str and url.strip()))
        and tallies
    ):
        return None
    fixed = []
    for t in tallies:
        if type(t) is not Tally:
            return None
        fixed.append(t if t.source is not None else _with_source(t, publisher))
    r: Report = object.__new__(Report)
    s_id, s_pub, s_when, s_tallies, s_url, s_lang, s_title = _SET_REPORT
    s_id(r, id)
    s_pub(r, publisher)
    s_when(r, published)
    s_tallies(r, tuple(fixed))
    s_url(r, url)
    s_lang(r, language)
    s_title(r, title)
    return r


def _with_source(t: Tally, source: str) -> Tally:
    """``attrs.evolve(t, source=source)`` for a ``source`` checked already (a publisher).

    The copy shares the tally's other values instead of converting them again. A subclass
    of ``Tally`` (with fields of its own) is evolved.
    """
    if type(t) is not Tally:
        return attrs.evolve(t, source=source)
    return _checked_tally(
        t.measure,
        t.count,
        t.as_of,
        source,
        t.period_start,
        t.subgroup,
        t.basis,
        t.via,
        t.quote,
        t.release_kind,
        t.conditions,
    )


@attrs.frozen(slots=True)
class TallyRef:
    """A tally together with where it sits in a dataset.

    Results (comparisons, findings, stall evidence) point at tallies through these, so a
    reader can tell which report said what.

    Attributes:
        report: Id of the report that carries the tally.
        index: Position of the tally in that report's ``tallies``.
        publisher: Source id of the report's publisher (who relayed the figure, if it is not
            the tally's source).
        tally: The tally itself.
    """

    report: str
    index: int
    publisher: str
    tally: Tally

    @property
    def is_relay(self) -> bool:
        """True when the figure was published by someone other than its source."""
        return self.publisher != self.tally.source or bool(self.tally.via)

    def __str__(self) -> str:
        return f"{self.report}#{self.index}"


class _Memo(dict[str, Any]):
    """A memo dict that pickles (and deep-copies) empty: its content can always be rebuilt."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Memo, ())


@attrs.frozen(slots=True)
class Dataset:
    """Sources, measures and reports together, with every reference checked.

    Sources and measures of the built-in catalogue (:data:`vzdetain.catalogue.SOURCES`,
    :data:`vzdetain.catalogue.MEASURES`) may be referenced without being listed; ``sources``
    and ``measures`` hold the dataset's own additions. An addition may repeat a built-in id
    only with identical content.

    Attributes:
        reports: The reports.
        sources: Sources defined by this dataset.
        measures: Measures defined by this dataset.
        timezone: IANA zone of local days ("since Saturday"); default ``America/Caracas``.
        title: A name for the dataset.
    """

    reports: tuple[Report, ...] = attrs.field(converter=_reports)
    sources: tuple[Source, ...] = attrs.field(default=(), kw_only=True, converter=_sources)
    measures: tuple[Measure, ...] = attrs.field(default=(), kw_only=True, converter=_measures)
    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, kw_only=True)
    title: str = attrs.field(default="", kw_only=True)
    _source_index: dict[str, Source] = attrs.field(init=False, eq=False, repr=False)
    _measure_index: dict[str, Measure] = attrs.field(init=False, eq=False, repr=False)
    # Per-dataset memo of derived indexes (see vzdetain.reconcile); never compared, hashed,
    # printed or pickled, and fresh in every copy made with attrs.evolve.
    _derived: dict[str, Any] = attrs.field(init=False, eq=False, repr=False, factory=_Memo)

    def __attrs_post_init__(self) -> None:
        sources, measures, problems = index_parts(self.sources, self.measures, self.timezone)
        object.__setattr__(self, "_source_index", sources)
        object.__setattr__(self, "_measure_index", measures)
        if not isinstance(self.title, str):
            problems.append(ValidationError("must be a string", path=("title",), value=self.title))
        if not _REPORTS_CHECKED.get():
            problems.extend(report_problems(self.reports, sources, measures))
        if problems:
            raise problems[0]

    # ------------------------------------------------------------------ look-ups
    def source(self, source_id: str) -> Source:
        """The source with this id (the dataset's own, else the catalogue's)."""
        try:
            return self._source_index[source_id]
        except KeyError:
            raise UnknownReferenceError(
                "unknown source id", path=("source",), value=source_id
            ) from None

    def measure(self, name: str) -> Measure:
        """The measure with this name (the dataset's own, else built in)."""
        try:
            return self._measure_index[name]
        except KeyError:
            raise UnknownReferenceError("unknown measure", path=("measure",), value=name) from None

    @property
    def all_sources(self) -> Mapping[str, Source]:
        """Every source this dataset can reference, by id."""
        return self._source_index

    @property
    def all_measures(self) -> Mapping[str, Measure]:
        """Every measure this dataset can reference, by name."""
        return self._measure_index

    def tallies(self) -> Iterator[tuple[Report, Tally]]:
        """Every ``(report, tally)`` pair, in report order."""
        for r in self.reports:
            for t in r.tallies:
                yield r, t

    def refs(self) -> Iterator[TallyRef]:
        """Every tally with its location, in report order."""
        for r in self.reports:
            for i, t in enumerate(r.tallies):
                yield TallyRef(r.id, i, r.publisher, t)

    def broader(self, name: str) -> frozenset[str]:
        """Every measure ``name`` lies within, directly or not.

        >>> from vzdetain.datasets import venezuela_2026_01
        >>> sorted(venezuela_2026_01().broader("political_prisoners"))
        ['arbitrarily_detained']
        """
        seen: set[str] = set()
        stack = list(self.measure(name).within)
        while stack:
            m = stack.pop()
            if m not in seen:
                seen.add(m)
                stack.extend(self._measure_index[m].within)
        return frozenset(seen)

    def zone(self) -> Any:
        """The dataset's zone as a pendulum ``Timezone``."""
        return timezone(self.timezone)


def index_parts(
    sources: tuple[Source, ...], measures: tuple[Measure, ...], tz: str
) -> tuple[dict[str, Source], dict[str, Measure], list[ValidationError]]:
    """Index sources and measures (the catalogue's and a dataset's own) and list their problems."""
    from vzdetain.catalogue import MEASURES, SOURCES

    problems: list[ValidationError] = []
    if not isinstance(tz, str):
        problems.append(ValidationError("must be an IANA zone name", path=("timezone",), value=tz))
    else:
        try:
            timezone(tz)
        except ValidationError as exc:
            problems.append(exc)
    src_index = dict(SOURCES)
    own: set[str] = set()
    for i, s in enumerate(sources):
        if not isinstance(s, Source):
            problems.append(ValidationError("must be a Source", path=(f"sources[{i}]",), value=s))
            continue
        if s.id in own:
            problems.append(
                DuplicateIdError("duplicate source id", path=(f"sources[{i}]", "id"), value=s.id)
            )
        elif s.id in SOURCES and SOURCES[s.id] != s:
            problems.append(
                DuplicateIdError(
                    "differs from the built-in source with this id; choose another id",
                    path=(f"sources[{i}]", "id"),
                    value=s.id,
                )
            )
        own.add(s.id)
        src_index[s.id] = s
    m_index = dict(MEASURES)
    own = set()
    for i, m in enumerate(measures):
        if not isinstance(m, Measure):
            problems.append(ValidationError("must be a Measure", path=(f"measures[{i}]",), value=m))
            continue
        builtin = MEASURES.get(m.name)
        same = builtin is not None and _same_measure(builtin, m)
        if m.name in own:
            problems.append(
                DuplicateIdError(
                    "duplicate measure name", path=(f"measures[{i}]", "name"), value=m.name
                )
            )
        elif builtin is not None and not same:
            problems.append(
                DuplicateIdError(
                    "gives other labels than the built-in measure with this name; leave "
                    "them out to use the built-in ones, or choose another name"
                    if _labelled_as(m, builtin) == builtin
                    else "differs from the built-in measure with this name; choose another name",
                    path=(f"measures[{i}]", "name"),
                    value=m.name,
                )
            )
        own.add(m.name)
        # a copy of a built-in measure without labels stands for the built-in one
        m_index[m.name] = builtin if builtin is not None and same else m
    for i, m in enumerate(measures):
        if not isinstance(m, Measure):
            continue
        for j, w in enumerate(m.within):
            where = (f"measures[{i}]", f"within[{j}]")
            if w not in m_index:
                problems.append(UnknownReferenceError("unknown measure", path=where, value=w))
            elif m_index[w].kind is not m.kind:
                problems.append(
                    ValidationError(
                        f"a {m.kind.value} cannot lie within a {m_index[w].kind.value}",
                        path=where,
                        value=w,
                    )
                )
    problems.extend(_cycle_problems(m_index))
    return src_index, m_index, problems


def _same_measure(builtin: Measure, m: Measure) -> bool:
    """True when ``m`` is the built-in measure, or a copy of it that gives no labels.

    A copy without labels (as written before measures had them) is the same definition,
    and is named by the built-in labels.
    """
    if m == builtin:
        return True
    if m.label_en or m.label_es or m.feminine_es:
        return False
    return _labelled_as(m, builtin) == builtin


def _labelled_as(m: Measure, builtin: Measure) -> Measure:
    """``m`` with the labels of ``builtin``."""
    return attrs.evolve(
        m, label_en=builtin.label_en, label_es=builtin.label_es, feminine_es=builtin.feminine_es
    )


def report_problems(
    reports: Iterable[Report], sources: Mapping[str, Source], measures: Mapping[str, Measure]
) -> Iterator[ValidationError]:
    """Problems of reports (duplicate ids, unknown references), with ``reports[i]`` paths."""
    seen: set[str] = set()
    sound: set[tuple[Any, ...]] = set()
    for i, r in enumerate(reports):
        where = f"reports[{i}]"
        if not isinstance(r, Report):
            yield ValidationError("must be a Report", path=(where,), value=r)
            continue
        if r.id in seen:
            yield DuplicateIdError("duplicate report id", path=(where, "id"), value=r.id)
        seen.add(r.id)
        if r.publisher not in sources:
            yield UnknownReferenceError(
                "unknown source id", path=(where, "publisher"), value=r.publisher
            )
        for j, t in enumerate(r.tallies):
            # What tally_problems looks at; most tallies repeat a key already found sound.
            key = (
                t.measure,
                t.source,
                t.via,
                t.period_start is None,
                t.release_kind is None and not t.conditions,
            )
            if key in sound:
                continue
            found = False
            for e in tally_problems(t, sources, measures):
                found = True
                yield e.at(where, f"tallies[{j}]")
            if not found:
                sound.add(key)


def tally_problems(
    t: Tally, sources: Mapping[str, Source], measures: Mapping[str, Measure]
) -> Iterator[ValidationError]:
    """Problems of one tally against the sources and measures it may reference."""
    if t.source not in sources:
        yield UnknownReferenceError("unknown source id", path=("source",), value=t.source)
    for k, v in enumerate(t.via):
        if v not in sources:
            yield UnknownReferenceError("unknown source id", path=(f"via[{k}]",), value=v)
    m = measures.get(t.measure)
    if m is None:
        yield UnknownReferenceError("unknown measure", path=("measure",), value=t.measure)
        return
    if m.kind is MeasureKind.FLOW and t.period_start is None:
        yield ValidationError(
            f"{t.measure} is a flow: give the start of its period",
            path=("period_start",),
            value=None,
        )
    if m.kind is MeasureKind.STOCK and t.period_start is not None:
        yield ValidationError(
            f"{t.measure} is a stock, counted at a cut-off: it has no period start",
            path=("period_start",),
            value=str(t.period_start),
        )
    if (t.release_kind is not None or t.conditions) and not _is_release(t.measure, measures):
        yield ValidationError(
            "release kind and conditions belong to release measures",
            path=("release_kind" if t.release_kind is not None else "conditions",),
            value=t.measure,
        )


def _is_release(name: str, measures: Mapping[str, Measure]) -> bool:
    seen: set[str] = set()
    stack = [name]
    while stack:
        n = stack.pop()
        if n == "releases":
            return True
        if n in seen or n not in measures:
            continue
        seen.add(n)
        stack.extend(measures[n].within)
    return False


def _cycle_problems(measures: Mapping[str, Measure]) -> Iterator[ValidationError]:
    state: dict[str, int] = {}

    def visit(n: str, trail: list[str]) -> list[str] | None:
        state[n] = 1
        for w in measures[n].within:
            if w not in measures:
                continue
            if state.get(w) == 1:
                return [*trail, n, w]
            if w not in state:
                found = visit(w, [*trail, n])
                if found:
                    return found
        state[n] = 2
        return None

    for name in sorted(measures):
        if name not in state:
            cycle = visit(name, [])
            if cycle:
                yield ValidationError(
                    "measures lie within each other in a cycle",
                    path=("measures",),
                    value=" -> ".join(cycle),
                )
                return
