"""The loaders' fast report constructor agrees with ``Report(...)``.

``_report_if_valid`` builds a report without running ``Report``'s checks again, for
values the loader has seen pass them. The law: whenever it returns a report, ``Report``
built from the same values succeeds and is equal, field for field; when it returns None,
the loader falls back to ``Report`` (which names the problem).
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vzdetain.counts import Count
from vzdetain.errors import ValidationError
from vzdetain.model import Report, Tally, _report_if_valid
from vzdetain.testing import tallies, whens
from vzdetain.when import When

# Good values of every field, and bad ones (of the right type and not)
GOOD: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["r-1", "AP:2026.01", "x" * 200]),
    "publisher": st.sampled_from(["foro-penal", "clippve"]),
    "published": whens(),
    "url": st.sampled_from([None, "https://example.org/r"]),
    "language": st.sampled_from(["en", "es", "pt-BR"]),
    "title": st.sampled_from(["", "Headline", " padded "]),
}
BAD: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["", " r-1", "r 1", "-r", None, 7, "x" * 201]),
    "publisher": st.sampled_from(["Foro-Penal", "", "foro penal", None, 1]),
    "published": st.sampled_from(["2026-01-19", None]),
    "url": st.sampled_from(["", "   ", 5]),
    "language": st.sampled_from(["EN", "", "e", None]),
    "title": st.sampled_from([None, 3]),
}


class _OwnTally(Tally):
    """A subclass of Tally: the fast path leaves it to ``Report``."""


def _tally_lists() -> st.SearchStrategy[list[Any]]:
    sourced = tallies()
    unsourced = tallies().map(lambda t: attrs.evolve(t, source=None))
    return st.lists(st.one_of(sourced, unsourced, st.just("not a tally")), min_size=0, max_size=3)


def _fields(draw: st.DrawFn) -> dict[str, Any]:
    """Good values, with none, one or a few of them replaced by bad ones."""
    spoilt = draw(st.sets(st.sampled_from(sorted(GOOD)), max_size=3))
    return {k: draw(BAD[k] if k in spoilt else GOOD[k]) for k in GOOD}


@given(st.data())
def test_fast_report_is_report_or_none(data: st.DataObject) -> None:
    fields = _fields(data.draw)
    tally_list = data.draw(_tally_lists())
    # Report(...) first: it records the publisher and language it has seen pass, which is
    # what lets the fast path accept them
    try:
        slow: Report | None = Report(tallies=tuple(tally_list), **fields)
    except ValidationError:
        slow = None
    fast = _report_if_valid(
        fields["id"],
        fields["publisher"],
        fields["published"],
        tally_list,
        fields["url"],
        fields["language"],
        fields["title"],
    )
    if fast is None:
        return
    assert slow is not None, f"fast path accepted what Report rejects: {fields}"
    assert fast == slow
    for a in attrs.fields(Report):
        assert getattr(fast, a.name) == getattr(slow, a.name), a.name
    assert all(t.source is not None for t in fast.tallies)


def test_fast_report_attributes_unsourced_tallies_to_the_publisher() -> None:
    at = When.instant(pendulum.datetime(2026, 1, 19, 21, 45, tz="America/Caracas"))
    t = Tally("political_prisoners", Count.exact(777), at)
    Report("r-1", "foro-penal", at, (t,), language="es")  # publisher and language seen
    got = _report_if_valid("r-2", "foro-penal", at, [t], None, "es", "")
    assert got is not None
    assert got.tallies[0].source == "foro-penal"
    assert got == Report("r-2", "foro-penal", at, (t,), language="es")


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "bad id"), ("publisher", "Not A Slug"), ("language", "ENGLISH"), ("url", " ")],
)
def test_fast_report_declines_bad_values(field: str, value: str) -> None:
    at = When.instant(pendulum.datetime(2026, 1, 19, 21, 45, tz="America/Caracas"))
    t = Tally("political_prisoners", Count.exact(777), at, source="foro-penal")
    Report("r-1", "foro-penal", at, (t,), language="es")
    args: dict[str, Any] = {
        "id": "r-2",
        "publisher": "foro-penal",
        "published": at,
        "tallies": [t],
        "url": None,
        "language": "es",
        "title": "",
    }
    args[field] = value
    assert _report_if_valid(**args) is None
    with pytest.raises(ValidationError, match=field):
        Report(**{k: tuple(v) if k == "tallies" else v for k, v in args.items()})


def test_fast_report_leaves_subclasses_to_report() -> None:
    at = When.instant(pendulum.datetime(2026, 1, 19, 21, 45, tz="America/Caracas"))
    t = _OwnTally("political_prisoners", Count.exact(777), at, source="foro-penal")
    Report("r-1", "foro-penal", at, (t,), language="es")
    assert _report_if_valid("r-2", "foro-penal", at, [t], None, "es", "") is None
    assert _report_if_valid("r-2", "foro-penal", at, [], None, "es", "") is None
