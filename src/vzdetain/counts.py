"""Counts: figures with their qualifier and the interval of values they allow.

A :class:`Count` keeps the number as written (``stated``), the qualifier around it
(:class:`Qualifier`), and the integer bounds the statement allows (``low``, ``high``;
``None`` means unbounded). The bounds follow the qualifier table of the design:

>>> from vzdetain import Count
>>> Count.parse("more than 1,345")
Count('more than 1,345', low=1346, high=None)
>>> Count.parse("casi 16 mil", lang="es")
Count('casi 16 mil', low=15500, high=15999)
>>> 777 in Count.parse("nearly 800")
True

Arithmetic gives ``DERIVED`` counts, which may be negative:

>>> Count.exact(780) - (Count.exact(900) - Count.exact(150) + Count.exact(40))
Count('-10 (range -10 to -10)', low=-10, high=-10)
"""

from __future__ import annotations

import decimal
import enum
import functools
import math
import re
import unicodedata
from fractions import Fraction
from typing import Final

import attrs

from vzdetain.errors import CountParseError, ValidationError

__all__ = ["SEVERAL_BOUNDS", "Count", "Qualifier", "Vagueness"]

#: Longest text :meth:`Count.parse` accepts; longer input is rejected at once.
MAX_TEXT_LENGTH: Final = 200
#: Largest magnitude a count may have (a billion people is already absurd here).
MAX_MAGNITUDE: Final = 10**12


class Qualifier(enum.Enum):
    """How a figure was qualified in its statement (see the qualifier table)."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    FEWER_THAN = "fewer_than"
    AT_MOST = "at_most"
    NEARLY = "nearly"
    ABOUT = "about"
    SEVERAL = "several"
    MANY = "many"
    DERIVED = "derived"


#: Bounds of the vague plural words (``SEVERAL``), keyed by the English word.
SEVERAL_BOUNDS: Final[dict[str, tuple[int, int]]] = {
    "tens": (20, 99),
    "dozens": (24, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 999_999),
    "millions": (2_000_000, 999_999_999),
}

# Words for each qualifier, per language. The first word is the one ``render`` uses.
_PREFIXES: Final[dict[str, dict[Qualifier, tuple[str, ...]]]] = {
    "en": {
        Qualifier.MORE_THAN: ("more than", "over"),
        Qualifier.AT_LEAST: ("at least",),
        Qualifier.FEWER_THAN: ("fewer than", "less than"),
        Qualifier.AT_MOST: ("up to", "at most"),
        Qualifier.NEARLY: ("nearly", "almost"),
        Qualifier.ABOUT: ("about", "around", "approximately", "some", "roughly"),
    },
    "es": {
        Qualifier.MORE_THAN: ("más de", "mas de"),
        Qualifier.AT_LEAST: ("al menos", "por lo menos", "como mínimo", "como minimo"),
        Qualifier.FEWER_THAN: ("menos de",),
        Qualifier.AT_MOST: ("hasta", "como máximo", "como maximo", "a lo sumo"),
        Qualifier.NEARLY: ("casi",),
        Qualifier.ABOUT: (
            "unos",
            "unas",
            "cerca de",
            "alrededor de",
            "aproximadamente",
        ),
    },
}

_SEVERAL_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {
        "tens": ("tens",),
        "dozens": ("dozens",),
        "hundreds": ("hundreds",),
        "thousands": ("thousands",),
        "millions": ("millions",),
    },
    "es": {
        "tens": ("decenas",),
        "dozens": ("docenas",),
        "hundreds": ("cientos", "centenares"),
        "thousands": ("miles", "millares"),
        "millions": ("millones",),
    },
}

_MANY_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("many", "numerous"),
    "es": ("muchos", "muchas", "numerosos", "numerosas"),
}

_ZERO_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("none", "zero", "no one", "nobody"),
    "es": ("ninguno", "ninguna", "cero", "nadie"),
}

_MULTIPLIERS: Final[dict[str, dict[str, int]]] = {
    "en": {"hundred": 100, "thousand": 1_000, "million": 1_000_000},
    "es": {"mil": 1_000, "millón": 1_000_000, "millon": 1_000_000, "millones": 1_000_000},
}

# Numbers written as words: alone or before a multiplier ("two thousand", "dos mil").
# "a"/"un" count only before a multiplier ("a thousand", "un millón"); Spanish "mil"
# alone is a thousand. "hundred" takes a word ("two hundred", not "2 hundred").
_WORD_NUMBERS: Final[dict[str, dict[str, int]]] = {
    "en": {
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "a hundred": 100,
        "one hundred": 100,
    },
    "es": {
        "uno": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "cien": 100,
        "mil": 1_000,
    },
}
_BEFORE_MULTIPLIER: Final[dict[str, dict[str, int]]] = {"en": {"a": 1}, "es": {"un": 1}}
# Half a million, in words only (1.5 million and "1,5 millones" are numbers).
_HALF_WORDS: Final[dict[str, dict[str, int]]] = {
    "en": {"half a million": 500_000},
    "es": {"medio millón": 500_000, "medio millon": 500_000},
}

_DERIVED_WORDS: Final[dict[str, tuple[str, str]]] = {"en": ("range", "to"), "es": ("rango", "a")}

# Number grammar per language: integer part with optional grouping, optional decimals.
_NUMBER_RE: Final[dict[str, re.Pattern[str]]] = {
    "en": re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?"),
    "es": re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?"),
}
_GROUP_SEP: Final = {"en": ",", "es": "."}
_MINUS: Final = ("-", "\u2212")
_INFINITY: Final = ("∞", "inf", "infinity", "infinito")


def _lang(lang: str) -> str:
    if not isinstance(lang, str):
        raise ValidationError("must be 'en' or 'es'", path=("lang",), value=lang)
    base = lang.lower().replace("_", "-").split("-", 1)[0]
    if base not in _PREFIXES:
        raise ValidationError("unsupported language; use 'en' or 'es'", path=("lang",), value=lang)
    return base


def _fraction(value: object) -> Fraction:
    """``Vagueness.relative`` as an exact fraction; a float is read as the decimal it shows.

    ``0.07`` is the double nearest 7/100, a hair above it; read as that double, 7 % of 100
    would round up to 8.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(repr(value))
    if isinstance(value, (str, decimal.Decimal)):
        try:
            return Fraction(value)
        except (ValueError, OverflowError, ZeroDivisionError, decimal.InvalidOperation):
            pass
    raise ValidationError(
        "must be a fraction such as Fraction(1, 50) or 0.02", path=("relative",), value=value
    )


@attrs.frozen(slots=True, cache_hash=True)
class Vagueness:
    """The tolerance policy for ``NEARLY`` and ``ABOUT``.

    The default is *roundness*: half the unit of the last non-zero digit of N, but at least
    ``relative`` (2 %) of N, rounded outward to a whole number.

    >>> v = Vagueness()
    >>> v.tolerance(800), v.tolerance(777), v.tolerance(16_000)
    (50, 16, 500)
    >>> Vagueness(relative=Fraction(1, 10), roundness=False).tolerance(800)
    80
    """

    relative: Fraction = attrs.field(default=Fraction(1, 50), converter=_fraction)
    roundness: bool = attrs.field(default=True)

    @roundness.validator
    def _check_roundness(self, _: object, value: object) -> None:
        if not isinstance(value, bool):
            raise ValidationError("must be True or False", path=("roundness",), value=value)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.relative < 1:
            raise ValidationError(
                "must be at least 0 and below 1", path=("relative",), value=self.relative
            )

    def tolerance(self, n: int) -> int:
        """Return the tolerance *t* for a stated figure ``n`` (``n >= 1``)."""
        if isinstance(n, bool) or not isinstance(n, int | float | Fraction) or not n >= 1:
            raise ValidationError("tolerance needs a positive figure", path=("n",), value=n)
        rel = self.relative  # a Fraction (the converter makes it one)
        if type(n) is int:  # ceil(n * p / q) in integers
            whole = -(-n * rel.numerator // rel.denominator)
        else:
            whole = math.ceil(Fraction(n) * rel)
        if self.roundness:
            unit = 1
            while n % (unit * 10) == 0:
                unit *= 10
            whole = max(whole, (unit + 1) // 2)  # ceil(unit / 2)
        return whole


DEFAULT_VAGUENESS: Final = Vagueness()


def _fmt_int(n: int, lang: str) -> str:
    sign = "-" if n < 0 else ""
    digits = f"{abs(n):,}"
    if lang == "es":
        digits = digits.replace(",", ".")
    return sign + digits


def _fmt_bound(n: int | None, lang: str, *, upper: bool) -> str:
    if n is None:
        return "∞" if upper else "-∞"
    return _fmt_int(n, lang)


@attrs.frozen(slots=True, repr=False)
class Count:
    """A figure with its qualifier and integer bounds.

    Attributes:
        stated: The number as written (``None`` for vague words such as "hundreds").
        qualifier: How the statement qualified the number.
        low: Smallest value allowed (``None``: unbounded below, only for ``DERIVED``).
        high: Largest value allowed (``None``: unbounded above).
        text: The original phrase. Not part of equality: ``"1,345"`` and ``"1345"`` are one count.

    Construction checks that the bounds agree with the qualifier: build counts with
    :meth:`parse`, :meth:`exact`, :meth:`of` or :meth:`between` rather than by hand.
    """

    stated: int | None
    qualifier: Qualifier
    low: int | None
    high: int | None
    text: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        _validate(self)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def exact(cls, n: int, *, text: str = "") -> Count:
        """An exact figure: ``Count.exact(777)`` allows exactly 777."""
        return cls.of(Qualifier.EXACT, n, text=text)

    @classmethod
    def of(
        cls,
        qualifier: Qualifier,
        n: int | None = None,
        *,
        vagueness: Vagueness = DEFAULT_VAGUENESS,
        word: str | None = None,
        text: str = "",
    ) -> Count:
        """Build a stated count from a qualifier and a number, with the table's bounds.

        ``SEVERAL`` takes ``word`` (a key of :data:`SEVERAL_BOUNDS`) instead of ``n``;
        ``MANY`` takes neither.

        >>> Count.of(Qualifier.NEARLY, 800)
        Count('nearly 800', low=750, high=799)
        >>> Count.of(Qualifier.SEVERAL, word="hundreds")
        Count('hundreds', low=200, high=999)
        """
        q = qualifier
        if not isinstance(q, Qualifier):
            raise ValidationError("must be a Qualifier", path=("qualifier",), value=q)
        if not isinstance(vagueness, Vagueness):
            raise ValidationError("must be a Vagueness", path=("vagueness",), value=vagueness)
        if q is Qualifier.DERIVED:
            raise ValidationError(
                "DERIVED counts come from arithmetic; use Count.between",
                path=("qualifier",),
                value=q,
            )
        if q is Qualifier.SEVERAL:
            if not isinstance(word, str) or word not in SEVERAL_BOUNDS:
                raise ValidationError(
                    f"SEVERAL needs one of {sorted(SEVERAL_BOUNDS)}", path=("word",), value=word
                )
            lo, hi = SEVERAL_BOUNDS[word]
            return cls(None, q, lo, hi, text)
        if q is Qualifier.MANY:
            return cls(None, q, 2, None, text)
        if n is None or isinstance(n, bool) or not isinstance(n, int):
            raise ValidationError("must be a whole number", path=("stated",), value=n)
        if n < 0:
            raise ValidationError("a stated count is never negative", path=("stated",), value=n)
        low: int | None
        high: int | None
        if q is Qualifier.EXACT:
            low, high = n, n
        elif q is Qualifier.MORE_THAN:
            low, high = n + 1, None
        elif q is Qualifier.AT_LEAST:
            low, high = n, None
        elif q is Qualifier.FEWER_THAN:
            low, high = 0, n - 1
        elif q is Qualifier.AT_MOST:
            low, high = 0, n
        elif q is Qualifier.NEARLY:
            if n < 1:
                raise ValidationError("'nearly' needs a positive figure", path=("stated",), value=n)
            low, high = max(0, n - vagueness.tolerance(n)), n - 1
        else:  # ABOUT
            if n < 1:
                raise ValidationError("'about' needs a positive figure", path=("stated",), value=n)
            t = vagueness.tolerance(n)
            low, high = max(0, n - t), n + t
        return cls(n, q, low, high, text)

    @classmethod
    def between(cls, low: int | None, high: int | None, *, stated: int | None = None) -> Count:
        """A ``DERIVED`` interval (``None`` for an open end).

        >>> Count.between(-12, None)
        Count('range -12 to ∞', low=-12, high=None)
        """
        return cls(stated, Qualifier.DERIVED, low, high)

    @classmethod
    def parse(
        cls, text: str, *, lang: str = "en", vagueness: Vagueness = DEFAULT_VAGUENESS
    ) -> Count:
        """Read a count phrase in English (``lang="en"``) or Spanish (``lang="es"``).

        Raises :class:`~vzdetain.errors.CountParseError` for anything that is not a count;
        nothing is ever guessed.

        >>> Count.parse("2.400", lang="es").high
        2400
        >>> Count.parse("2.400", lang="en")
        Traceback (most recent call last):
        ...
        vzdetain.errors.CountParseError: count: not a whole number of people: '2.400'; ...es...
        """
        if not isinstance(text, str):
            raise CountParseError("must be a string", path=("count",), value=text)
        if not isinstance(vagueness, Vagueness):
            raise ValidationError("must be a Vagueness", path=("vagueness",), value=vagueness)
        return _parse_cached(text, _lang(lang), vagueness)

    # ------------------------------------------------------------------ views
    @property
    def bounded(self) -> bool:
        """True when both ends are finite."""
        return self.low is not None and self.high is not None

    def render(self, lang: str = "en") -> str:
        """The canonical phrase for this count in ``lang``; :meth:`parse` reads it back.

        >>> Count.parse("más de 1.345", lang="es").render("en")
        'more than 1,345'
        """
        lang = _lang(lang)
        q = self.qualifier
        if q is Qualifier.DERIVED:
            word, to = _DERIVED_WORDS[lang]
            rng = (
                f"{word} {_fmt_bound(self.low, lang, upper=False)} "
                f"{to} {_fmt_bound(self.high, lang, upper=True)}"
            )
            if self.stated is None:
                return rng
            return f"{_fmt_int(self.stated, lang)} ({rng})"
        if q is Qualifier.MANY:
            return _MANY_WORDS[lang][0]
        if q is Qualifier.SEVERAL:
            key = next(k for k, b in SEVERAL_BOUNDS.items() if b == (self.low, self.high))
            return _SEVERAL_WORDS[lang][key][0]
        assert self.stated is not None
        number = _fmt_int(self.stated, lang)
        if q is Qualifier.EXACT:
            return number
        return f"{_PREFIXES[lang][q][0]} {number}"

    def __repr__(self) -> str:
        return f"Count({self.text or self.render('en')!r}, low={self.low!r}, high={self.high!r})"

    def __str__(self) -> str:
        return self.render("en")

    def interval(self) -> str:
        """The bounds in interval notation, digits ungrouped: ``'[1346, ∞)'``."""
        lo = "(-∞" if self.low is None else f"[{self.low}"
        hi = "∞)" if self.high is None else f"{self.high}]"
        return f"{lo}, {hi}"

    # ------------------------------------------------------------------ interval algebra
    def __contains__(self, n: object) -> bool:
        if isinstance(n, bool) or not isinstance(n, int):
            return False
        return (self.low is None or self.low <= n) and (self.high is None or n <= self.high)

    def overlaps(self, other: Count) -> bool:
        """True when some value satisfies both counts."""
        return _max_low(self.low, other.low) is None or _le(
            _max_low(self.low, other.low), _min_high(self.high, other.high)
        )

    def intersection(self, other: Count) -> Count | None:
        """The values both counts allow, as a ``DERIVED`` count, or ``None`` if none.

        >>> Count.exact(777).intersection(Count.parse("nearly 800"))
        Count('range 777 to 777', low=777, high=777)
        """
        lo = _max_low(self.low, other.low)
        hi = _min_high(self.high, other.high)
        if not _le(lo, hi):
            return None
        return Count(None, Qualifier.DERIVED, lo, hi)

    def gap(self, other: Count) -> int:
        """The smallest distance between values of the two counts (0 if they overlap).

        >>> Count.exact(777).gap(Count.parse("more than 1,345"))
        569
        """
        if self.overlaps(other):
            return 0
        if self.high is not None and other.low is not None and self.high < other.low:
            return other.low - self.high
        assert other.high is not None
        assert self.low is not None
        return self.low - other.high

    def __add__(self, other: Count) -> Count:
        if not isinstance(other, Count):
            return NotImplemented
        return _derived(
            _add(self.stated, other.stated), _add(self.low, other.low), _add(self.high, other.high)
        )

    def __sub__(self, other: Count) -> Count:
        if not isinstance(other, Count):
            return NotImplemented
        return _derived(
            _sub(self.stated, other.stated), _sub(self.low, other.high), _sub(self.high, other.low)
        )

    def __neg__(self) -> Count:
        return _derived(
            None if self.stated is None else -self.stated,
            None if self.high is None else -self.high,
            None if self.low is None else -self.low,
        )


def _derived(stated: int | None, low: int | None, high: int | None) -> Count:
    """A DERIVED count; the stated figures' result is kept only where the bounds allow it.

    ("nearly 800" states 800 but means at most 799: 800 − 777 = 23 is not a possible
    difference, so no stated figure is carried.)
    """
    if stated is not None and (
        (low is not None and stated < low) or (high is not None and stated > high)
    ):
        stated = None
    return Count(stated, Qualifier.DERIVED, low, high)


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _sub(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _max_low(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min_high(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _le(lo: int | None, hi: int | None) -> bool:
    return lo is None or hi is None or lo <= hi


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_LIMIT: Final = MAX_MAGNITUDE * 4  # the largest magnitude a bound may have


def _validate(c: Count) -> None:
    q = c.qualifier
    if not isinstance(q, Qualifier):
        raise ValidationError("must be a Qualifier", path=("qualifier",), value=q)
    for name, v in (("stated", c.stated), ("low", c.low), ("high", c.high)):
        if v is None:
            continue
        if not _is_int(v):
            raise ValidationError("must be a whole number or None", path=(name,), value=v)
        if not -_LIMIT <= v <= _LIMIT:
            raise ValidationError("is implausibly large", path=(name,), value=v)
    if not isinstance(c.text, str):
        raise ValidationError("must be a string", path=("text",), value=c.text)
    if c.low is not None and c.high is not None and c.low > c.high:
        raise ValidationError(f"low must not exceed high ({c.high})", path=("low",), value=c.low)
    if q is Qualifier.DERIVED:
        if c.stated is not None and (
            (c.low is not None and c.stated < c.low) or (c.high is not None and c.stated > c.high)
        ):
            raise ValidationError(
                f"a derived figure must lie within its bounds {c.interval()}",
                path=("stated",),
                value=c.stated,
            )
        return
    for name, v in (("stated", c.stated), ("low", c.low), ("high", c.high)):
        if v is not None and v < 0:
            raise ValidationError("a stated count is never negative", path=(name,), value=v)
    if c.low is None:
        raise ValidationError(
            "only DERIVED counts may be unbounded below", path=("low",), value=None
        )
    if q in (Qualifier.SEVERAL, Qualifier.MANY):
        if c.stated is not None:
            raise ValidationError(
                f"{q.name} counts have no stated number", path=("stated",), value=c.stated
            )
        if q is Qualifier.MANY and (c.low, c.high) != (2, None):
            raise ValidationError("MANY means [2, ∞)", path=("low",), value=(c.low, c.high))
        if q is Qualifier.SEVERAL and (c.low, c.high) not in SEVERAL_BOUNDS.values():
            raise ValidationError(
                "SEVERAL bounds must be one of the table's rows",
                path=("low",),
                value=(c.low, c.high),
            )
        return
    n = c.stated
    if n is None:
        raise ValidationError(f"{q.name} counts need a stated number", path=("stated",), value=n)
    expected: tuple[int | None, int | None] | None
    if q is Qualifier.EXACT:
        expected = (n, n)
    elif q is Qualifier.MORE_THAN:
        expected = (n + 1, None)
    elif q is Qualifier.AT_LEAST:
        expected = (n, None)
    elif q is Qualifier.FEWER_THAN:
        expected = (0, n - 1)
    elif q is Qualifier.AT_MOST:
        expected = (0, n)
    else:
        expected = None
    if expected is not None:
        if (c.low, c.high) != expected:
            raise ValidationError(
                f"{q.name} {n} means bounds {expected}", path=("low",), value=(c.low, c.high)
            )
        return
    if q is Qualifier.NEARLY:
        if c.high != n - 1:
            raise ValidationError(
                f"NEARLY {n} must have high {n - 1}", path=("high",), value=c.high
            )
        return
    # ABOUT
    if c.high is None or not (c.low <= n <= c.high):
        raise ValidationError(
            f"ABOUT {n} must have low <= {n} <= high", path=("low",), value=(c.low, c.high)
        )


# ---------------------------------------------------------------------- parsing


def _fail(reason: str, value: str) -> CountParseError:
    return CountParseError(reason, path=("count",), value=value)


def _parse_number(body: str, lang: str, original: str) -> int:
    """Parse a non-negative number phrase such as ``1,345``, ``16 mil``, ``1.5 million``.

    Small numbers written as words count too, alone or before a multiplier: ``mil``,
    ``dos mil``, ``un millón``, ``medio millón``, ``a thousand``, ``two hundred``.
    """
    words = _WORD_NUMBERS[lang].get(body) or _HALF_WORDS[lang].get(body)
    if words is not None:
        return words
    mult = 1
    parts = body.rsplit(" ", 1)
    if len(parts) == 2 and parts[1] in _MULTIPLIERS[lang]:
        word = _WORD_NUMBERS[lang].get(parts[0]) or _BEFORE_MULTIPLIER[lang].get(parts[0])
        if word is not None:
            return word * _MULTIPLIERS[lang][parts[1]]
        if parts[1] == "hundred":  # after a word only: figures are not written "2 hundred"
            raise _fail(f"not a number: {body!r}", original)
        body, mult = parts[0], _MULTIPLIERS[lang][parts[1]]
    m = _NUMBER_RE[lang].fullmatch(body)
    if m is None:
        other = "es" if lang == "en" else "en"
        hint = ""
        if _NUMBER_RE[other].fullmatch(body):
            hint = f" in lang={lang!r}; try lang={other!r}"
        raise _fail(f"not a number{hint}: {body!r}", original)
    whole = m.group(1).replace(_GROUP_SEP[lang], "")
    frac = m.group(2) or ""
    if len(whole) + len(frac) > 15:
        raise _fail("number is implausibly large", original)
    if not frac:
        n = int(whole) * mult
        if n > MAX_MAGNITUDE:
            raise _fail("number is implausibly large", original)
        return n
    value = (Fraction(int(whole)) + Fraction(int(frac), 10 ** len(frac))) * mult
    if mult == 1 or value.denominator != 1:
        other = "es" if lang == "en" else "en"
        m2 = _NUMBER_RE[other].fullmatch(body)
        hint = f"; in lang={other!r} it is a whole number" if m2 and not m2.group(2) else ""
        raise _fail(f"not a whole number of people: {body!r}{hint}", original)
    n = int(value)
    if n > MAX_MAGNITUDE:
        raise _fail("number is implausibly large", original)
    return n


def _parse_signed(token: str, lang: str, original: str, *, upper: bool) -> int | None:
    if token in _INFINITY or (not upper and token[:1] in _MINUS and token[1:] in _INFINITY):
        if token in _INFINITY and not upper:
            raise _fail("a lower bound cannot be +∞", original)
        return None
    neg = token[:1] in _MINUS
    n = _parse_number(token[1:] if neg else token, lang, original)
    return -n if neg else n


def _parse_derived(s: str, lang: str, original: str) -> Count:
    word, to = _DERIVED_WORDS[lang]
    stated: int | None = None
    rng = s
    if not s.startswith(word + " "):
        head, sep, rest = s.partition(" (")
        if not sep or not rest.endswith(")"):
            raise _fail("not a count", original)
        stated = _parse_signed(head, lang, original, upper=False)
        if stated is None:
            raise _fail("a stated figure cannot be infinite", original)
        rng = rest[:-1]
        if not rng.startswith(word + " "):
            raise _fail("not a count", original)
    pieces = rng[len(word) + 1 :].split(f" {to} ")
    if len(pieces) != 2:
        raise _fail(f"expected '{word} LOW {to} HIGH'", original)
    low = _parse_signed(pieces[0], lang, original, upper=False)
    high = _parse_signed(pieces[1], lang, original, upper=True)
    try:
        return Count(stated, Qualifier.DERIVED, low, high, original)
    except ValidationError as exc:
        raise CountParseError(exc.reason, path=("count", *exc.path), value=original) from None


# Each qualifier phrase followed by a space, longest first: the longest that starts a text is
# its qualifier ("a lo sumo" before "a").
_PREFIXES_LONGEST_FIRST: Final = {
    lang: sorted(
        ((phrase + " ", q) for q, phrases in table.items() for phrase in phrases),
        key=lambda pq: -len(pq[0]),
    )
    for lang, table in _PREFIXES.items()
}


@functools.lru_cache(maxsize=65_536)
def _parse_cached(text: str, lang: str, vagueness: Vagueness) -> Count:
    """Counts are immutable, so equal phrases share one parsed value."""
    return _parse(text, lang, vagueness)


def _parse(text: str, lang: str, vagueness: Vagueness) -> Count:
    if not isinstance(text, str):
        raise CountParseError("must be a string", path=("count",), value=text)
    if len(text) > MAX_TEXT_LENGTH:
        raise _fail(f"text longer than {MAX_TEXT_LENGTH} characters", text[:40] + "…")
    # NFC: "más" typed as "a" plus a combining accent (as some systems paste it) reads as "más"
    s = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    if not s:
        raise _fail("empty text is not a count", text)
    if "0" <= s[0] <= "9" and not s.endswith(")"):
        # a bare figure ("1.035", "16 mil"): no word, qualifier or range starts with a digit
        return _stated(Qualifier.EXACT, s, lang, text, vagueness)
    if s in _MANY_WORDS[lang]:
        return Count(None, Qualifier.MANY, 2, None, text)
    for key, words in _SEVERAL_WORDS[lang].items():
        if s in words:
            lo, hi = SEVERAL_BOUNDS[key]
            return Count(None, Qualifier.SEVERAL, lo, hi, text)
    if s in _ZERO_WORDS[lang]:
        return Count(0, Qualifier.EXACT, 0, 0, text)
    word = _DERIVED_WORDS[lang][0]
    if s.startswith(word + " ") or s.endswith(")"):
        return _parse_derived(s, lang, text)
    qualifier = Qualifier.EXACT
    body = s
    for prefix, q in _PREFIXES_LONGEST_FIRST[lang]:
        if s.startswith(prefix):
            qualifier, body = q, s[len(prefix) :]
            break
    if body[:1] in _MINUS:
        raise _fail("a stated count is never negative", text)
    return _stated(qualifier, body, lang, text, vagueness)


def _stated(qualifier: Qualifier, body: str, lang: str, text: str, vagueness: Vagueness) -> Count:
    """The count of a qualifier and the number phrase ``body`` that follows it."""
    n = _parse_number(body, lang, text)
    try:
        return Count.of(qualifier, n, vagueness=vagueness, text=text)
    except ValidationError as exc:
        raise CountParseError(exc.reason, path=("count",), value=text) from None
