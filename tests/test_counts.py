"""Counts: the qualifier table, number formats, parsing, rendering and interval algebra."""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vzdetain import Count, Qualifier, Vagueness
from vzdetain import testing as vzst
from vzdetain.counts import SEVERAL_BOUNDS
from vzdetain.errors import CountParseError, ValidationError, VzdetainError

INF = None

# One row per word of the qualifier table (DESIGN section 2), for N = 800.
TABLE = [
    ("en", "800", Qualifier.EXACT, 800, 800),
    ("en", "more than 800", Qualifier.MORE_THAN, 801, INF),
    ("en", "over 800", Qualifier.MORE_THAN, 801, INF),
    ("es", "más de 800", Qualifier.MORE_THAN, 801, INF),
    ("en", "at least 800", Qualifier.AT_LEAST, 800, INF),
    ("es", "al menos 800", Qualifier.AT_LEAST, 800, INF),
    ("es", "por lo menos 800", Qualifier.AT_LEAST, 800, INF),
    ("en", "fewer than 800", Qualifier.FEWER_THAN, 0, 799),
    ("en", "less than 800", Qualifier.FEWER_THAN, 0, 799),
    ("es", "menos de 800", Qualifier.FEWER_THAN, 0, 799),
    ("en", "up to 800", Qualifier.AT_MOST, 0, 800),
    ("en", "at most 800", Qualifier.AT_MOST, 0, 800),
    ("es", "hasta 800", Qualifier.AT_MOST, 0, 800),
    ("es", "como máximo 800", Qualifier.AT_MOST, 0, 800),
    ("en", "nearly 800", Qualifier.NEARLY, 750, 799),
    ("en", "almost 800", Qualifier.NEARLY, 750, 799),
    ("es", "casi 800", Qualifier.NEARLY, 750, 799),
    ("en", "about 800", Qualifier.ABOUT, 750, 850),
    ("en", "around 800", Qualifier.ABOUT, 750, 850),
    ("en", "approximately 800", Qualifier.ABOUT, 750, 850),
    ("en", "some 800", Qualifier.ABOUT, 750, 850),
    ("es", "unos 800", Qualifier.ABOUT, 750, 850),
    ("es", "cerca de 800", Qualifier.ABOUT, 750, 850),
    ("es", "alrededor de 800", Qualifier.ABOUT, 750, 850),
    ("es", "aproximadamente 800", Qualifier.ABOUT, 750, 850),
    ("en", "tens", Qualifier.SEVERAL, 20, 99),
    ("es", "decenas", Qualifier.SEVERAL, 20, 99),
    ("en", "dozens", Qualifier.SEVERAL, 24, 199),
    ("es", "docenas", Qualifier.SEVERAL, 24, 199),
    ("en", "hundreds", Qualifier.SEVERAL, 200, 999),
    ("es", "cientos", Qualifier.SEVERAL, 200, 999),
    ("en", "thousands", Qualifier.SEVERAL, 2000, 999_999),
    ("es", "miles", Qualifier.SEVERAL, 2000, 999_999),
    ("en", "many", Qualifier.MANY, 2, INF),
    ("en", "numerous", Qualifier.MANY, 2, INF),
    ("es", "muchos", Qualifier.MANY, 2, INF),
    ("es", "numerosos", Qualifier.MANY, 2, INF),
]


@pytest.mark.parametrize(("lang", "text", "qualifier", "low", "high"), TABLE)
def test_qualifier_table(
    lang: str, text: str, qualifier: Qualifier, low: int, high: int | None
) -> None:
    c = Count.parse(text, lang=lang)
    assert (c.qualifier, c.low, c.high) == (qualifier, low, high)
    assert c.text == text


@pytest.mark.parametrize(
    ("text", "lang", "low", "high"),
    [
        ("nearly 800", "en", 750, 799),
        ("casi 16 mil", "es", 15_500, 15_999),
        ("about 777", "en", 761, 793),
        ("more than 1,345", "en", 1346, None),
        ("más de 1.345", "es", 1346, None),
        ("more than 2,400", "en", 2401, None),
        ("2.400", "es", 2400, 2400),
        ("16 mil", "es", 16_000, 16_000),
        ("16 thousand", "en", 16_000, 16_000),
        ("1.5 million", "en", 1_500_000, 1_500_000),
        ("1,5 millones", "es", 1_500_000, 1_500_000),
        ("  More   THAN\u00a01,345 ", "en", 1346, None),
        ("mas de 1.345", "es", 1346, None),
        ("none", "en", 0, 0),
        ("ninguno", "es", 0, 0),
    ],
)
def test_design_examples(text: str, lang: str, low: int, high: int | None) -> None:
    c = Count.parse(text, lang=lang)
    assert (c.low, c.high) == (low, high)


@pytest.mark.parametrize(
    ("words", "digits", "lang"),
    [
        ("más de mil", "más de 1.000", "es"),
        ("casi mil", "casi 1.000", "es"),
        ("cerca de dos mil", "cerca de 2.000", "es"),
        ("un millón", "1.000.000", "es"),
        ("dos millones", "2.000.000", "es"),
        ("mil millones", "1.000.000.000", "es"),
        ("más de medio millón", "más de 500.000", "es"),
        ("cien", "100", "es"),
        ("more than a thousand", "more than 1,000", "en"),
        ("nearly one thousand", "nearly 1,000", "en"),
        ("about two hundred", "about 200", "en"),
        ("half a million", "500,000", "en"),
        ("over ten thousand", "over 10,000", "en"),
    ],
)
def test_numbers_in_words_read_as_their_digits(words: str, digits: str, lang: str) -> None:
    """Press and monitors write "más de mil"; it means what "más de 1.000" means."""
    w, d = Count.parse(words, lang=lang), Count.parse(digits, lang=lang)
    assert (w.stated, w.qualifier, w.low, w.high) == (d.stated, d.qualifier, d.low, d.high)
    assert w.text == words


@pytest.mark.parametrize(
    ("text", "lang"),
    [("a", "en"), ("un", "es"), ("hundred", "en"), ("2 hundred", "en"), ("mil", "en")],
)
def test_number_words_need_their_language_and_a_number(text: str, lang: str) -> None:
    with pytest.raises(CountParseError, match="not a number"):
        Count.parse(text, lang=lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("1.5 prisoners", "en"),
        ("1.5", "en"),
        ("1,5", "es"),
        ("1,2,3", "en"),
        ("1.345", "en"),  # Spanish thousands in an English phrase: ambiguous, never guessed
        ("1,345", "es"),
        ("2.40", "es"),
        ("1,34", "en"),
        ("", "en"),
        ("   ", "es"),
        ("nearly 0", "en"),
        ("fewer than 0", "en"),
        ("about 0", "en"),
        ("-5", "en"),
        ("more than -5", "en"),
        ("777 political prisoners", "en"),
        ("1.2345 thousand", "en"),
        ("more than", "en"),
        ("１２３", "en"),  # full-width digits are not silently read
        ("hundreds", "es"),  # English words are not Spanish
        ("cientos", "en"),
        ("9" * 40, "en"),
    ],
)
def test_rejects(text: str, lang: str) -> None:
    with pytest.raises(CountParseError) as info:
        Count.parse(text, lang=lang)
    assert isinstance(info.value, ValueError)
    assert "count" in str(info.value)


def test_rejection_message_names_field_and_value() -> None:
    with pytest.raises(CountParseError, match=r"count: .*'1\.5 prisoners'"):
        Count.parse("1.5 prisoners")


def test_wrong_language_hint() -> None:
    with pytest.raises(CountParseError, match="in lang='es' it is a whole number"):
        Count.parse("1.345", lang="en")


def test_unknown_language() -> None:
    with pytest.raises(ValidationError, match="lang"):
        Count.parse("5", lang="fr")


def test_render() -> None:
    assert Count.parse("more than 1,345").render("es") == "más de 1.345"
    assert Count.parse("casi 16 mil", lang="es").render("en") == "nearly 16,000"
    assert Count.parse("hundreds").render("es") == "cientos"
    assert Count.between(-12, None).render("es") == "rango -12 a ∞"
    assert Count.between(None, 5, stated=-1).render("en") == "-1 (range -∞ to 5)"
    assert str(Count.exact(777)) == "777"
    assert Count.parse("more than 1,345").interval() == "[1346, ∞)"


@given(
    n=st.integers(1, 10**12),
    relative=st.fractions(min_value=0, max_value=1, max_denominator=1000).filter(lambda f: f < 1),
    roundness=st.booleans(),
)
@example(n=1000, relative=Fraction(1, 50), roundness=True)
@example(n=777, relative=Fraction(1, 50), roundness=True)
def test_tolerance_is_the_ceiling_of_the_larger_allowance(
    n: int, relative: Fraction, roundness: bool
) -> None:
    """tolerance(n) = ceil(max(n * relative, unit / 2)), unit the roundness of n."""
    unit = 1
    while roundness and n % (unit * 10) == 0:
        unit *= 10
    allowance = max(n * relative, Fraction(unit, 2)) if roundness else n * relative
    assert Vagueness(relative=relative, roundness=roundness).tolerance(n) == math.ceil(allowance)


def test_vagueness_policy() -> None:
    v = Vagueness()
    assert [v.tolerance(n) for n in (800, 777, 16_000, 1)] == [50, 16, 500, 1]
    wide = Vagueness(relative=__import__("fractions").Fraction(1, 10), roundness=False)
    c = Count.parse("about 1000", vagueness=wide)
    assert (c.low, c.high) == (900, 1100)
    with pytest.raises(ValidationError, match="relative"):
        Vagueness(relative=__import__("fractions").Fraction(3, 2))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stated": -1, "qualifier": Qualifier.EXACT, "low": -1, "high": -1}, "stated"),
        ({"stated": 5, "qualifier": Qualifier.EXACT, "low": 5, "high": 4}, "low"),
        ({"stated": 5, "qualifier": Qualifier.EXACT, "low": 4, "high": 5}, "low"),
        ({"stated": None, "qualifier": Qualifier.MANY, "low": 3, "high": None}, "low"),
        ({"stated": 5, "qualifier": Qualifier.MORE_THAN, "low": None, "high": None}, "low"),
        ({"stated": None, "qualifier": Qualifier.DERIVED, "low": 4, "high": 2}, "low"),
        ({"stated": 1.5, "qualifier": Qualifier.DERIVED, "low": 1, "high": 2}, "stated"),
        ({"stated": 800, "qualifier": Qualifier.NEARLY, "low": 700, "high": 800}, "high"),
    ],
)
def test_invalid_construction(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Count(**kwargs)  # type: ignore[arg-type]
    assert info.value.path[0] == field
    assert field in str(info.value)


def test_derived_may_be_negative_and_unbounded_below() -> None:
    c = Count.exact(780) - (Count.exact(900) - Count.exact(150) + Count.exact(40))
    assert (c.stated, c.low, c.high, c.qualifier) == (-10, -10, -10, Qualifier.DERIVED)
    open_below = Count.exact(5) - Count.parse("more than 10")
    assert open_below.low is None
    assert open_below.high == -6


def test_text_is_not_part_of_equality() -> None:
    assert Count.parse("1,345") == Count.parse("1345") == Count.exact(1345)
    assert hash(Count.parse("1,345")) == hash(Count.exact(1345))


def test_gap() -> None:
    assert Count.exact(777).gap(Count.parse("more than 1,345")) == 569
    assert Count.parse("more than 1,345").gap(Count.exact(777)) == 569
    assert Count.exact(777).gap(Count.parse("nearly 800")) == 0


# ---------------------------------------------------------------------- laws


@given(vzst.counts(), vzst.languages())
def test_parse_render_round_trip(c: Count, lang: str) -> None:
    assert Count.parse(c.render(lang), lang=lang) == c


@given(st.text(max_size=300), vzst.languages())
@example("9" * 100_000, "en")
@example("1," * 50_000, "en")
@example("more than " * 10_000, "en")
@example("range " + "-" * 50_000, "en")
def test_parse_only_raises_our_errors(text: str, lang: str) -> None:
    try:
        c = Count.parse(text, lang=lang)
    except VzdetainError:
        return
    assert isinstance(c, Count)


@given(st.text(alphabet="0123456789.,- ()rangetomásdemil∞", max_size=60), vzst.languages())
def test_parse_numberish_only_raises_our_errors(text: str, lang: str) -> None:
    with contextlib.suppress(VzdetainError):
        Count.parse(text, lang=lang)


@st.composite
def count_and_member(draw: st.DrawFn) -> tuple[Count, int]:
    c = draw(vzst.counts())
    lo = c.low if c.low is not None else (c.high if c.high is not None else 0) - 10**6
    hi = c.high if c.high is not None else lo + 10**6
    return c, draw(st.integers(lo, hi))


@given(count_and_member())
def test_members_lie_within_bounds(pair: tuple[Count, int]) -> None:
    c, n = pair
    assert n in c
    assert c.low is None or c.low <= n
    assert c.high is None or n <= c.high


@given(vzst.counts(), vzst.counts())
def test_intersection_is_contained_in_both(a: Count, b: Count) -> None:
    i = a.intersection(b)
    assert (i is not None) == a.overlaps(b) == b.overlaps(a)
    if i is None:
        assert a.gap(b) > 0
        return
    assert a.gap(b) == 0
    for bound in (i.low, i.high):
        if bound is not None:
            assert bound in a
            assert bound in b
    if i.low is None:
        assert a.low is None
        assert b.low is None
    if i.high is None:
        assert a.high is None
        assert b.high is None


@given(count_and_member(), count_and_member())
def test_arithmetic_contains_every_combination(x: tuple[Count, int], y: tuple[Count, int]) -> None:
    (a, m), (b, n) = x, y
    assert m + n in a + b
    assert m - n in a - b
    assert -m in -a


@given(vzst.counts())
def test_construction_is_validated_and_repr_is_readable(c: Count) -> None:
    assert repr(c).startswith("Count(")
    assert Count(c.stated, c.qualifier, c.low, c.high, c.text) == c


def test_several_bounds_table() -> None:
    assert SEVERAL_BOUNDS["hundreds"] == (200, 999)
    for word, (lo, hi) in SEVERAL_BOUNDS.items():
        c = Count.of(Qualifier.SEVERAL, word=word)
        assert (c.low, c.high) == (lo, hi)


def test_no_word_or_qualifier_starts_with_a_digit() -> None:
    """Count.parse reads a phrase that starts with a digit as a bare figure, skipping the
    word tables: that holds only while no entry of them starts with one."""
    from vzdetain import counts

    phrases = [
        *(w for table in counts._MANY_WORDS.values() for w in table),
        *(w for table in counts._ZERO_WORDS.values() for w in table),
        *(w for table in counts._SEVERAL_WORDS.values() for ws in table.values() for w in ws),
        *(p for table in counts._PREFIXES.values() for ps in table.values() for p in ps),
        *(w for pair in counts._DERIVED_WORDS.values() for w in pair),
    ]
    assert phrases
    assert not [p for p in phrases if p[:1].isdigit()]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1.035", "es", (1035, 1035)),
        ("1,035", "en", (1035, 1035)),
        ("16 mil", "es", (16000, 16000)),
        ("2.5 million", "en", (2_500_000, 2_500_000)),
        ("0", "en", (0, 0)),
        ("1,000 (range 990 to 1,010)", "en", (990, 1010)),
    ],
)
def test_bare_figures(text: str, lang: str, expected: tuple[int, int]) -> None:
    c = Count.parse(text, lang=lang)
    assert (c.low, c.high) == expected
    assert c.text == text


def test_tolerance_of_a_non_integer_figure_is_a_whole_number() -> None:
    got = Vagueness().tolerance(1.5)  # type: ignore[arg-type]
    assert got == 1
    assert type(got) is int
