"""compare(): what it works out on demand, and the short cut it takes for stocks.

A :class:`~vzdetain.reconcile.Comparison` works out its set-aside tallies and names on
first use; for a stock without a basis filter, :func:`compare` reads only the latest
cut-off of each line in the window (``_Track.latest``). These tests pin that neither
changes what a user sees.
"""

from __future__ import annotations

import json
import pickle
from types import SimpleNamespace

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from vzdetain import compare
from vzdetain import testing as vzst
from vzdetain.datasets import venezuela_2026_01
from vzdetain.model import Dataset
from vzdetain.reconcile import COMPARISON_FIELDS, Comparison, _Track
from vzdetain.serialize import unstructure

AT = pendulum.datetime(2026, 1, 19, 23, tz="America/Caracas")


def test_set_aside_and_names_are_worked_out_once() -> None:
    c = compare(venezuela_2026_01(), "political_prisoners", AT)
    first = c.set_aside
    assert first is c.set_aside
    assert len(first) == 7  # three relays merged, one other measure, three flows
    assert dict(c.names)["foro-penal"] == "Foro Penal"


def test_equality_hash_pickle_and_json_include_the_worked_out_parts() -> None:
    ds = venezuela_2026_01()
    a = compare(ds, "political_prisoners", AT)
    b = compare(ds, "political_prisoners", AT)
    assert a == b
    assert hash(a) == hash(b)
    assert a != compare(ds, "political_prisoners", AT.add(days=1))
    again = pickle.loads(pickle.dumps(a))
    assert isinstance(again, Comparison)
    assert again == a
    out = unstructure(a)
    assert list(out) == list(COMPARISON_FIELDS)
    assert len(out["set_aside"]) == len(a.set_aside)
    json.dumps(out)


@settings(max_examples=60)
@given(ds=vzst.datasets(), data=st.data())
def test_every_public_field_is_what_a_fresh_call_gives(ds: Dataset, data: st.DataObject) -> None:
    """Reading the parts in any order gives the same comparison."""
    stocks = sorted({t.measure for _, t in ds.tallies() if t.period_start is None})
    if not stocks:
        return
    measure = data.draw(st.sampled_from(stocks))
    t = data.draw(st.sampled_from([t for _, t in ds.tallies() if t.measure == measure]))
    a = compare(ds, measure, t.as_of)
    b = compare(ds, measure, t.as_of)
    _ = b.set_aside  # worked out first on one of them only
    assert [getattr(a, f) for f in COMPARISON_FIELDS] == [getattr(b, f) for f in COMPARISON_FIELDS]


spans = st.tuples(st.integers(0, 100), st.integers(1, 30)).map(lambda p: (p[0], p[0] + p[1]))


@given(
    st.lists(spans, min_size=1, max_size=12),
    st.integers(-20, 120),
    st.integers(0, 40),
)
def test_latest_keeps_what_superseding_by_hand_keeps(
    cutoffs: list[tuple[int, int]], ws: int, width: int
) -> None:
    we = ws + width
    groups = sorted((SimpleNamespace(start=s, end=e) for s, e in cutoffs), key=lambda g: g.start)
    by_end = sorted(groups, key=lambda g: g.end)
    track = _Track(
        [g.end for g in by_end],
        by_end,  # type: ignore[arg-type]
        [g.start for g in groups],
        groups,  # type: ignore[arg-type]
        max(g.end - g.start for g in groups),
    )
    inside = [g for g in groups if g.start <= we and g.end > ws]
    if inside:
        top = max(g.start for g in inside)
        expected = [g for g in inside if g.end > top]
    else:
        expected = []
    assert sorted(map(id, track.latest(ws, we))) == sorted(map(id, expected))


def test_a_related_figure_writes_its_sentence_on_first_use() -> None:
    c = compare(venezuela_2026_01(), "arbitrarily_detained", AT)
    (related,) = c.related
    assert related.message is related.message
    assert "narrower measure" in related.message
    assert unstructure(related)["message"] == related.message
