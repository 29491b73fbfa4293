"""The JSON converter: one cattrs converter for datasets and every result type.

The stock cattrs JSON converter turns a pendulum ``DateTime`` into a plain ``datetime`` and
loses its zone; this one writes times as text that :meth:`When.parse` reads back, counts as
objects with their bounds, durations as ISO 8601 (``P30D``) and enums by value.

>>> from vzdetain import Count
>>> from vzdetain.serialize import converter
>>> converter.unstructure(Count.parse("more than 1,345"))
{'text': 'more than 1,345', 'stated': 1345, 'qualifier': 'more_than', 'low': 1346, 'high': None}
>>> converter.structure("nearly 800", Count)
Count('nearly 800', low=750, high=799)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from vzdetain.counts import Count, Qualifier
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
from vzdetain.when import DEFAULT_TIMEZONE, When, ensure_aware

if TYPE_CHECKING:
    import cattrs

    #: The converter for datasets and results (times relative to America/Caracas), made
    #: on first use: cattrs is imported only when a converter is needed.
    converter: cattrs.Converter

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "TALLY_FIELDS",
    "converter",
    "converter_for",
    "format_duration",
    "parse_duration",
]

#: Value of the ``format`` key of a vzdetain JSON file.
FORMAT_NAME: Final = "vzdetain-dataset"
#: Version of the JSON format written by this release.
FORMAT_VERSION: Final = 1

_DURATION_RE: Final = re.compile(
    r"P(?:(?P<y>[0-9]{1,4})Y)?(?:(?P<mo>[0-9]{1,4})M)?(?:(?P<w>[0-9]{1,5})W)?(?:(?P<d>[0-9]{1,6})D)?"
    r"(?:T(?:(?P<h>[0-9]{1,6})H)?(?:(?P<mi>[0-9]{1,6})M)?(?:(?P<s>[0-9]{1,8})S)?)?"
)


def format_duration(d: pendulum.Duration) -> str:
    """ISO 8601 text for a duration (whole seconds).

    >>> format_duration(pendulum.duration(days=30))
    'P30D'
    >>> format_duration(pendulum.duration(months=1, hours=12))
    'P1MT12H'
    """
    own_days = d.days - d.years * 365 - d.months * 30
    secs = d.seconds
    h, rem = divmod(secs, 3600)
    mi, s = divmod(rem, 60)
    date = "".join(f"{v}{u}" for v, u in ((d.years, "Y"), (d.months, "M"), (own_days, "D")) if v)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M"), (s, "S")) if v)
    out = "P" + date + ("T" + time if time else "")
    return out if out != "P" else "PT0S"


def parse_duration(text: str) -> pendulum.Duration:
    """Read an ISO 8601 duration such as ``P30D`` or ``P1W``."""
    m = _DURATION_RE.fullmatch(text) if isinstance(text, str) else None
    if m is None or text in ("P", "PT") or text.endswith("T"):
        raise ValidationError("not an ISO 8601 duration such as 'P30D'", value=text)
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    return pendulum.duration(
        years=g["y"],
        months=g["mo"],
        weeks=g["w"],
        days=g["d"],
        hours=g["h"],
        minutes=g["mi"],
        seconds=g["s"],
    )


def is_text(value: Any) -> bool:
    r"""True for a string that UTF-8 can encode (no lone surrogates such as ``"\ud800"``).

    >>> is_text("más de 100"), is_text("\ud800"), is_text(None)
    (True, False, False)
    """
    if not isinstance(value, str):
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: Any) -> str:
    """Return ``value`` if it is a string of valid Unicode text, else raise ValidationError.

    >>> check_text(7)
    Traceback (most recent call last):
    ...
    vzdetain.errors.ValidationError: must be a string (got 7)
    """
    if is_text(value):
        return typing.cast(str, value)
    if isinstance(value, str):
        raise ValidationError("not valid Unicode text", value=value)
    raise ValidationError("must be a string", value=value)


def _structure_str(value: Any, _: Any) -> str:
    return check_text(value)


def _structure_bool(value: Any, _: Any) -> bool:
    # the stock hook calls bool(): "false", 0 and [] would all be read as a choice
    if type(value) is not bool:
        raise ValidationError("must be true or false", value=value)
    return value


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    by_value = {m.value: m for m in cls}
    reason = "must be one of " + ", ".join(str(m.value) for m in cls)

    def structure(value: Any, _: Any) -> enum.Enum:
        if isinstance(value, cls):
            return value
        try:
            return by_value[value]
        except (KeyError, TypeError):  # TypeError: unhashable, such as a list
            raise ValidationError(reason, value=value) from None

    return structure


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _list_hook_factory(t: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    from cattrs.cols import homogenous_tuple_structure_factory

    inner = homogenous_tuple_structure_factory(t, conv)

    def structure(value: Any, cl: Any) -> Any:
        if not isinstance(value, list | tuple):  # a string would become its characters
            raise ValidationError("must be a list", value=value)
        return inner(value, cl)

    return structure


def _object_hook(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, cl: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("must be an object", value=value)
        return fn(value, cl)

    return structure


def _format_datetime(t: pendulum.DateTime) -> str:
    # ISO 8601 with the UTC offset, which names the instant; no zone in brackets, which
    # datetime.fromisoformat and most JSON readers refuse
    zone = t.tzinfo
    if not isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone):
        zone = None
    return When.instant(t).format(zone)


def _structure_datetime(value: Any, _: Any) -> pendulum.DateTime:
    if isinstance(value, dt.datetime):
        return ensure_aware(value)
    w = When.parse(value, tz="UTC")
    if not w.is_instant or "T" not in value or not _has_offset(value):
        raise ValidationError("an instant needs a time and a UTC offset", value=value)
    return w.start


def _has_offset(text: str) -> bool:
    clock = text.split("T", 1)[1].split("[", 1)[0]
    return clock.endswith("Z") or "+" in clock or "-" in clock


def _unstructure_count(c: Count) -> dict[str, Any]:
    return {
        "text": c.text or c.render("en"),
        "stated": c.stated,
        "qualifier": c.qualifier.value,
        "low": c.low,
        "high": c.high,
    }


def structure_count(value: Any, lang: str = "en") -> Count:
    """Build a :class:`Count` from its JSON object, or parse it from a phrase in ``lang``."""
    if isinstance(value, Count):
        return value
    if isinstance(value, str):
        return Count.parse(value, lang=lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return Count.exact(value)
    if not isinstance(value, dict):
        raise ValidationError("must be a count object, a phrase or a number", value=value)
    extra = set(value) - {"text", "stated", "qualifier", "low", "high"}
    if extra:
        raise ValidationError(
            f"unknown keys {sorted(extra)}", path=(sorted(extra)[0],), value=value
        )
    try:
        q = Qualifier(value["qualifier"])
    except (KeyError, ValueError, TypeError):
        raise ValidationError(
            "must be one of " + ", ".join(x.value for x in Qualifier),
            path=("qualifier",),
            value=value.get("qualifier"),
        ) from None
    text = value.get("text", "")
    if not is_text(text):
        try:
            check_text(text)
        except ValidationError as exc:
            raise exc.at("text") from None
    parsed: Count | None = None
    if text and q is not Qualifier.DERIVED:
        with contextlib.suppress(ValidationError):  # else free wording: the fields say it all
            parsed = Count.parse(text, lang=lang)
    if "low" not in value and "high" not in value:
        if q is Qualifier.DERIVED:
            raise ValidationError("a derived count needs low and high", path=("low",), value=None)
        if (
            parsed is not None
            and parsed.qualifier is q
            and parsed.stated == value.get("stated", parsed.stated)
        ):
            return parsed
        if q is Qualifier.SEVERAL and parsed is None:
            raise ValidationError(
                "a 'several' count needs low and high, or a phrase such as 'hundreds' in the "
                "report's language",
                path=("text",),
                value=text,
            )
        count = Count.of(q, value.get("stated"), text=text)
    else:
        count = Count(value.get("stated"), q, value.get("low"), value.get("high"), text)
    conflict = _wording_conflict(count, lang)  # the phrase is parsed once (parses are cached)
    if conflict is not None:
        raise ValidationError(_wording_conflict_reason(conflict, count), path=("text",), value=text)
    return count


def _wording_conflict(count: Count, lang: str) -> Count | None:
    """What a count's phrase reads as in ``lang``, when that allows none of its values.

    The phrase is free wording ("cerca de ochocientos"), kept as published; but one that
    reads as a figure the count's bounds exclude ("nearly 800" on a count of exactly 5)
    would mislead whoever quotes it. ``None`` when the phrase is empty, does not read as a
    count, or allows some value of the count.
    """
    if not count.text or count.qualifier is Qualifier.DERIVED:
        return None
    try:
        parsed = Count.parse(count.text, lang=lang)
    except ValidationError:
        return None
    return parsed if parsed.intersection(count) is None else None


def _wording_conflict_reason(parsed: Count, count: Count) -> str:
    """The message of a :func:`_wording_conflict`."""
    return (
        f"reads as {parsed.interval()}, which allows none of the count's values "
        f"{count.interval()}: the phrase and the fields must agree"
    )


#: The fields of a tally in JSON, in the order they are written.
TALLY_FIELDS: Final = (
    "source",
    "measure",
    "count",
    "as_of",
    "period_start",
    "subgroup",
    "basis",
    "via",
    "release_kind",
    "conditions",
    "quote",
)
_REPORT_ORDER: Final = ("id", "publisher", "published", "language", "title", "url", "tallies")


def _ordered(d: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    return {k: d[k] for k in order if k in d}


def _make(tz: str) -> cattrs.Converter:
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
    from cattrs.preconf.json import make_converter

    conv = make_converter(forbid_extra_keys=True)

    # Strict leaves: the stock hooks would turn 7, false or null into text ('7', 'False',
    # 'None'), a string into the list of its characters, and a bad enum value into an error
    # that forgets the value.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    for enum_cls in (Basis, ReleaseKind, ConditionKind, SourceKind, MeasureKind, Qualifier):
        conv.register_structure_hook(enum_cls, _enum_hook(enum_cls))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _list_hook_factory)

    conv.register_unstructure_hook(When, lambda w: w.format(tz))
    conv.register_structure_hook(
        When,
        lambda v, _: v if isinstance(v, When) else When.parse(v, tz=tz),
    )
    conv.register_unstructure_hook(pendulum.DateTime, _format_datetime)
    conv.register_structure_hook(pendulum.DateTime, _structure_datetime)
    conv.register_unstructure_hook(pendulum.Duration, format_duration)
    conv.register_structure_hook(pendulum.Duration, lambda v, _: parse_duration(v))
    conv.register_unstructure_hook(Count, _unstructure_count)
    conv.register_structure_hook(Count, lambda v, _: structure_count(v))

    # The hooks of the record classes are generated on first use: a command that only reads
    # a CSV file needs none of the ten, and generating one costs a millisecond. Each is
    # registered for its class as a plain hook would be (so it serves subclasses too, and
    # takes precedence over predicate hooks), and builds the generated function on its
    # first call.
    def lazy(
        register: Callable[[type, Callable[..., Any]], Any],
        cls: type,
        build: Callable[[], Callable[..., Any]],
    ) -> None:
        made: list[Callable[..., Any]] = []

        def hook(*args: Any) -> Any:  # (value) to unstructure, (value, type) to structure
            if not made:
                made.append(build())
            return made[0](*args)

        register(cls, hook)

    unstructure_hook, structure_hook = conv.register_unstructure_hook, conv.register_structure_hook

    for cls in (Source, Measure, ReleaseCondition):
        lazy(
            unstructure_hook,
            cls,
            functools.partial(make_dict_unstructure_fn, cls, conv, _cattrs_omit_if_default=True),
        )

    def tally_unstructure() -> Callable[[Any], Any]:
        fn = make_dict_unstructure_fn(
            Tally, conv, _cattrs_omit_if_default=True, subgroup=override(unstruct_hook=dict)
        )
        return lambda t: _ordered(fn(t), TALLY_FIELDS)

    def report_unstructure() -> Callable[[Any], Any]:
        fn = make_dict_unstructure_fn(
            Report,
            conv,
            _cattrs_omit_if_default=True,
            tallies=override(omit_if_default=False),
            language=override(omit_if_default=False),
        )
        return lambda r: _ordered(fn(r), _REPORT_ORDER)

    lazy(unstructure_hook, Tally, tally_unstructure)
    lazy(unstructure_hook, Report, report_unstructure)

    def structure_subgroup(v: Any, _: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(v, dict) or not all(is_text(k) and is_text(x) for k, x in v.items()):
            raise ValidationError("must be an object of text keys and values", value=v)
        return tuple(sorted(v.items()))

    def record_structure(cls: type) -> Callable[[Any, Any], Any]:
        return _object_hook(make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True))

    for cls in (Source, Measure, ReleaseCondition):
        lazy(structure_hook, cls, functools.partial(record_structure, cls))
    lazy(
        structure_hook,
        Tally,
        lambda: _object_hook(
            make_dict_structure_fn(
                Tally,
                conv,
                _cattrs_forbid_extra_keys=True,
                subgroup=override(struct_hook=structure_subgroup),
            )
        ),
    )

    def unstructure_dataset(d: Dataset) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
        if d.title:
            out["title"] = d.title
        out["timezone"] = d.timezone
        out["sources"] = [conv.unstructure(s, Source) for s in d.sources]
        out["measures"] = [conv.unstructure(m, Measure) for m in d.measures]
        sub = converter_for(d.timezone)
        out["reports"] = [sub.unstructure(r, Report) for r in d.reports]
        return out

    conv.register_unstructure_hook(Dataset, unstructure_dataset)

    # Results with properties worked out on first use (a Comparison's set-aside tallies)
    # name their public fields in ``__vz_fields__``, properties included.
    def unstructure_fields(obj: Any) -> dict[str, Any]:
        return {name: conv.unstructure(getattr(obj, name)) for name in obj.__vz_fields__}

    conv.register_unstructure_hook_func(
        lambda cls: isinstance(getattr(cls, "__vz_fields__", None), tuple), unstructure_fields
    )
    conv.register_structure_hook(Dataset, lambda v, _: _structure_dataset_strict(v))
    return conv


def _structure_dataset_strict(value: Any) -> Dataset:
    from vzdetain.files import dataset_from_obj

    return dataset_from_obj(value, origin="<object>")


@functools.cache
def converter_for(tz: str) -> cattrs.Converter:
    """The converter whose times are written relative to zone ``tz`` (cached per zone)."""
    return _make(tz)


def __getattr__(name: str) -> Any:
    if name == "converter":
        return converter_for(DEFAULT_TIMEZONE)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "converter"})


def unstructure(value: Any) -> Any:
    """Unstructure any vzdetain value with :data:`converter`."""
    conv = converter_for(DEFAULT_TIMEZONE)
    if attrs.has(type(value)):
        return conv.unstructure(value, type(value))
    return conv.unstructure(value)
