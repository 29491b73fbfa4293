"""Reading JSON tallies: tallies that repeat checked values read exactly as tallies read in full.

The JSON reader checks each distinct combination of a tally's fields other than its count,
times and quote once (see ``files._JsonTallies``); these tests pin that the short cut
changes nothing a user can see: the same tallies, the same problems, in the same places.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vzdetain import Tally, load
from vzdetain.errors import LoadError, Problem
from vzdetain.files import _Collector, _JsonTallies, _structure_tally, _TallyLocs, loads_json
from vzdetain.serialize import converter_for

TZ = "America/Caracas"
GOOD = {"measure": "political_prisoners", "count": "777", "as_of": "2026-01-19T21:45-04:00"}
GOOD_FLOW = {
    "measure": "releases",
    "count": "143",
    "as_of": "2026-01-19T21:45-04:00",
    "period_start": "2026-01-08",
}

# Tallies that repeat every other field of GOOD or GOOD_FLOW, each with one fault in the
# fields read on every tally (count, times, quote).
BAD_TALLIES: list[dict[str, Any]] = [
    {**GOOD, "count": "1.5 prisoners"},
    {k: v for k, v in GOOD.items() if k != "count"},
    {**GOOD, "count": True},
    {**GOOD, "count": 2.5},
    {**GOOD, "count": {"qualifier": "derived", "stated": 5}},
    {**GOOD, "count": {"qualifier": "exact", "stated": 5, "extra": 1}},
    {**GOOD, "as_of": "19/01/2026"},
    {k: v for k, v in GOOD.items() if k != "as_of"},
    {**GOOD, "as_of": 20260119},
    {**GOOD, "quote": 5},
    {**GOOD_FLOW, "as_of": "2026-01-08", "period_start": "2026-01-19"},
    {**GOOD_FLOW, "period_start": "2026-13-01"},
    {**GOOD_FLOW, "period_start": 5},
]


def document(tallies: list[dict[str, Any]]) -> dict[str, Any]:
    reports = [
        {"id": f"r{i}", "publisher": "foro-penal", "published": "2026-01-20", "tallies": [t]}
        for i, t in enumerate(tallies)
    ]
    sources = [{"id": "relay-outlet", "name": "A relaying outlet", "kind": "media"}]
    return {
        "format": "vzdetain-dataset",
        "version": 1,
        "timezone": TZ,
        "sources": sources,
        "reports": reports,
    }


def problems(tmp_path: Path, name: str, tallies: list[dict[str, Any]]) -> list[Problem]:
    path = tmp_path / name
    path.write_text(json.dumps(document(tallies)), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    return list(info.value.problems)


@pytest.mark.parametrize("bad", BAD_TALLIES)
def test_a_repeated_tally_reports_what_a_first_tally_reports(
    tmp_path: Path, bad: dict[str, Any]
) -> None:
    alone = problems(tmp_path, "alone.json", [bad])
    after = problems(tmp_path, "after.json", [GOOD, GOOD_FLOW, bad])
    assert alone, "each of these tallies is faulty"
    assert [(p.field, p.value, p.message) for p in after] == [
        (p.field, p.value, p.message) for p in alone
    ]
    assert {p.location for p in alone} == {"$.reports[0].tallies[0]"}
    assert {p.location for p in after} == {"$.reports[2].tallies[0]"}


def test_tallies_that_repeat_fields_share_the_checked_values(tmp_path: Path) -> None:
    shared = {
        **GOOD_FLOW,
        "subgroup": {"sex": "female", "age": "adult"},
        "conditions": [{"kind": "travel_ban"}, {"kind": "periodic_presentation", "every": "P15D"}],
        "via": ["relay-outlet"],
    }
    raw = [{**shared, "count": str(100 + i % 2), "quote": f"q{i}"} for i in range(6)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(document(raw)), encoding="utf-8")
    tallies = [r.tallies[0] for r in load(path).reports]
    assert [t.quote for t in tallies] == [f"q{i}" for i in range(6)]
    assert [t.count.stated for t in tallies] == [100, 101] * 3
    for name in ("subgroup", "conditions", "via", "as_of", "period_start"):
        assert len({id(getattr(t, name)) for t in tallies}) == 1, name
    assert len({id(t.count) for t in tallies}) == 2
    assert tallies[0].subgroup == (("age", "adult"), ("sex", "female"))


def test_subgroup_keys_in_another_order_read_alike(tmp_path: Path) -> None:
    a = {**GOOD, "subgroup": {"sex": "female", "age": "adult"}}
    b = {**GOOD, "subgroup": {"age": "adult", "sex": "female"}}
    path = tmp_path / "order.json"
    path.write_text(json.dumps(document([a, b])), encoding="utf-8")
    first, second = (r.tallies[0] for r in load(path).reports)
    assert first == second


# Small pools of field values, good and bad, so that tallies often repeat one another's.
_FIELDS: dict[str, list[Any]] = {
    "measure": ["political_prisoners", "releases", "Not A Name", 5],
    "count": [
        "777",
        "more than 1,345",
        "nearly 800",
        "más de mil",
        12,
        0,
        True,
        1.5,
        None,
        "1.5 prisoners",
        {"qualifier": "exact", "stated": 5},
        {"qualifier": "more_than", "stated": 5, "low": 6},
        {"qualifier": "derived", "stated": 5},
    ],
    "as_of": ["2026-01-19T21:45-04:00", "2026-01-19", "2026-01", "19/01/2026", 5, None],
    "period_start": ["2026-01-08", "2026-01-20", "2026-13-01", None, 3],
    "source": ["foro-penal", "Not A Slug", None, 7],
    "subgroup": [{"sex": "female"}, {"sex": ""}, {"sex": 1}, {"a": "x", "b": "y"}, [], "x"],
    "basis": ["verified", "announced", "bogus", None],
    "via": [["efecto-cocuyo"], ["Not A Slug"], "efecto-cocuyo", [1], None],
    "quote": ["", "dijo", 5, None],
    "release_kind": ["full", "conditional", "bogus", None],
    "conditions": [
        [{"kind": "travel_ban"}],
        [{"kind": "travel_ban"}, {"kind": "media_gag"}],
        [{"kind": "bogus"}],
        [{"kind": "periodic_presentation", "every": "P15D"}],
        [{"kind": "periodic_presentation", "every": "P1.5D"}],
        [{"kind": "travel_ban", "applies_to": "many"}],
        [{"kind": "travel_ban", "applies_to": "más de 50"}],
        [{"kind": "travel_ban", "applies_to": 2.5}],
        {"kind": "travel_ban"},
    ],
    "extra": [1],
}
_REQUIRED = ("measure", "count", "as_of")


@st.composite
def raw_tallies(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON tally drawn from the pools; the required fields are usually given."""
    out: dict[str, Any] = {}
    for name, pool in _FIELDS.items():
        given_p = 0.95 if name in _REQUIRED else (0.05 if name == "extra" else 0.4)
        if draw(st.floats(0, 1)) < given_p:
            out[name] = draw(st.sampled_from(pool))
    return out


def _outcome(raw: Any, read: Any) -> Tally | list[Problem]:
    try:
        return read(raw)  # type: ignore[no-any-return]
    except Exception as exc:
        col = _Collector()
        col.add("here", exc)
        return col.problems


# Text that is not valid Unicode (a lone surrogate), which only text not yet checked can
# hold: the reader is told so with ``texts_checked=False``.
_UNCHECKED: dict[str, list[Any]] = {
    "measure": ["political_\ud800"],
    "count": ["77\ud800", {"qualifier": "exact", "stated": 5, "text": "\udc00"}],
    "as_of": ["2026-01-19\ud800"],
    "source": ["foro-\ud800"],
    "subgroup": [{"sex": "fem\ud800"}, {"se\ud800": "female"}],
    "via": [["\udc00"]],
    "quote": ["dijo \ud800", "\udc00"],
    "conditions": [[{"kind": "travel_ban", "note": "\ud800"}]],
}


@st.composite
def unchecked_raw_tallies(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON tally whose fields may hold lone surrogates."""
    out = draw(raw_tallies())
    for name, pool in _UNCHECKED.items():
        if draw(st.floats(0, 1)) < 0.15:
            out[name] = draw(st.sampled_from(pool))
    return out


@given(
    data=st.data(),
    lang=st.sampled_from(["en", "es"]),
    texts_checked=st.booleans(),
)
def test_tallies_read_through_the_cache_read_as_each_read_in_full(
    data: st.DataObject, lang: str, texts_checked: bool
) -> None:
    tallies = raw_tallies() if texts_checked else unchecked_raw_tallies()
    raws = data.draw(st.lists(tallies, min_size=1, max_size=30))
    conv = converter_for(TZ)
    cached = _JsonTallies(TZ, conv)
    for raw in raws:
        full = _outcome(
            raw, lambda r: _structure_tally(r, conv, lang, TZ, texts_checked=texts_checked)
        )
        got = _outcome(raw, lambda r: cached.tally(r, lang, texts_checked=texts_checked))
        assert got == full, raw
        if isinstance(full, Tally):
            assert isinstance(got, Tally)
            assert type(got.count) is type(full.count)


def test_tallies_left_out_with_their_report_keep_their_places() -> None:
    """A report that is left out lists its other tallies where they stand in the file."""
    bad_id = {
        "id": "bad id!",
        "publisher": "foro-penal",
        "published": "2026-01-20",
        "tallies": [GOOD, {**GOOD, "count": "x"}, {**GOOD, "count": "778"}],
    }
    doc = {**document([GOOD]), "reports": [bad_id]}
    found = loads_json(json.dumps(doc), errors="collect").problems
    assert [(p.location, p.field) for p in found] == [  # in file order
        ("$.reports[0]", "id"),
        ("$.reports[0].tallies[0]", ""),
        ("$.reports[0].tallies[1]", "count"),
        ("$.reports[0].tallies[2]", ""),
    ]
    assert found[1].message.startswith("left out with report 'bad id!': id: ")


def test_tally_locations_are_made_when_asked() -> None:
    locs = _TallyLocs("$.reports[4]", 3)
    assert list(locs) == [f"$.reports[4].tallies[{j}]" for j in range(3)]
    assert locs[-1] == locs[2] == "$.reports[4].tallies[2]"
    assert locs[1:] == ["$.reports[4].tallies[1]", "$.reports[4].tallies[2]"]
    assert len(locs) == 3
    with pytest.raises(IndexError):
        locs[3]


@pytest.mark.parametrize("field", ["via", "subgroup", "conditions"])
def test_a_deeply_nested_field_gets_the_error_it_gets_read_in_full(field: str) -> None:
    """A key is not made of a value nested deeper than any field nests (nor does it recurse
    without end): the tally is read in full, for its error."""
    deep: Any = "x"
    for _ in range(600):
        deep = [deep]
    raw = {**GOOD, field: deep}
    conv = converter_for(TZ)
    full = _outcome(raw, lambda r: _structure_tally(r, conv, "en", TZ))
    assert isinstance(full, list)
    assert full == _outcome(
        raw, lambda r: _JsonTallies(TZ, conv).tally(r, "en", texts_checked=True)
    )
    assert all("recursion" not in p.message for p in full)


def test_null_and_absent_period_start_read_alike() -> None:
    conv = converter_for(TZ)
    cached = _JsonTallies(TZ, conv)
    a = cached.tally({**GOOD, "period_start": None}, "en", texts_checked=True)
    b = cached.tally(dict(GOOD), "en", texts_checked=True)
    assert a == b == _structure_tally(dict(GOOD), conv, "en", TZ)
    assert a.period_start is None
