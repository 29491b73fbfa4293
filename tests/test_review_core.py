"""Regression tests from a cold review of the core modules.

Each test reproduces a defect found in that review (loading, times, counts, the command line,
the test strategies) and pins its fix.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, find, settings
from hypothesis.errors import NoSuchExample

from vzdetain import Count, Dataset, Report, Tally, When
from vzdetain import testing as vzst
from vzdetain.cli import main
from vzdetain.counts import Qualifier
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import LoadError, ValidationError, VzdetainError
from vzdetain.files import dump, dumps_json, load, loads_json

_REPORT = {"id": "r", "publisher": "foro-penal", "published": "2026-01-20"}
_TALLY = {"measure": "political_prisoners", "count": "777", "as_of": "2026-01-19"}


def _doc(tally: Mapping[str, object] | None = None, **report: object) -> str:
    """A one-report, one-tally dataset as JSON text."""
    t = dict(_TALLY if tally is None else tally)
    return json.dumps({"reports": [{**_REPORT, **report, "tallies": [t]}]})


def _with_first_tally(ds: Dataset, **changes: Any) -> Dataset:
    r = ds.reports[1]
    t = attrs.evolve(r.tallies[2], **changes)
    return attrs.evolve(ds, reports=(ds.reports[0], attrs.evolve(r, tallies=(t, *r.tallies[3:]))))


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ JSON loading


@pytest.mark.parametrize(
    "doc",
    [
        _doc({**_TALLY, "quote": None}),
        _doc({**_TALLY, "quote": 5}),
        json.dumps(
            {
                "sources": [{"id": 7, "name": False, "kind": "ngo"}],
                "reports": [{**_REPORT, "publisher": "7", "tallies": [_TALLY]}],
            }
        ),
    ],
    ids=["quote-null", "quote-number", "source-id-and-name-not-strings"],
)
def test_json_non_string_where_text_expected_is_rejected(doc: str) -> None:
    with pytest.raises(LoadError):
        loads_json(doc)


@pytest.mark.parametrize(
    "text",
    ['{"reports": [' + "9" * 5000 + "]}", "[" * 100_000],
    ids=["int-over-4300-digits", "deeply-nested"],
)
def test_loads_json_odd_json_raises_load_error(text: str) -> None:
    with pytest.raises(LoadError):
        loads_json(text)


def test_json_duplicate_keys_are_reported() -> None:
    one = json.loads(_doc())["reports"]
    text = '{"reports": ' + json.dumps(one) + ', "reports": []}'
    with pytest.raises(LoadError):
        loads_json(text)


def test_lone_surrogate_is_rejected_at_load_or_dumped(tmp_path: Path) -> None:
    text = '{"title": "\\ud800", "reports": []}'
    try:
        ds = loads_json(text)
    except VzdetainError:
        return
    dump(ds, tmp_path / "x.json")  # must not raise UnicodeEncodeError


def test_bad_enum_problem_names_the_offending_value() -> None:
    res = loads_json(_doc({**_TALLY, "basis": "VERIFIED"}), errors="collect")
    (p,) = res.problems
    assert p.field == "basis"
    assert p.value == "VERIFIED"
    assert "got None" not in str(p)


def test_string_where_list_expected_names_the_field_and_value() -> None:
    res = loads_json(_doc({**_TALLY, "via": "la-republica"}), errors="collect")
    assert [(p.field, p.value) for p in res.problems] == [("via", "la-republica")]


def test_conditions_not_a_list_of_objects_gives_one_clear_problem() -> None:
    bad = {**_TALLY, "measure": "releases", "period_start": "2026-01-08"}
    res = loads_json(_doc({**bad, "conditions": "travel_ban"}), errors="collect")
    assert len(res.problems) == 1
    assert "attribute" not in res.problems[0].message


def test_condition_applies_to_is_read_in_the_report_language() -> None:
    tally = {
        "measure": "releases",
        "count": "más de 100",
        "as_of": "2026-01-19",
        "period_start": "2026-01-08",
        "conditions": [{"kind": "travel_ban", "applies_to": "muchos"}],
    }
    ds = loads_json(_doc(tally, language="es"))
    cond = ds.reports[0].tallies[0].conditions[0]
    assert cond.applies_to == Count.parse("muchos", lang="es")


def test_count_object_with_free_text_wording_loads() -> None:
    count = {"qualifier": "exact", "stated": 777, "text": "seven hundred seventy-seven"}
    ds = loads_json(_doc({**_TALLY, "count": count}))
    assert ds.reports[0].tallies[0].count == Count.exact(777)


# ------------------------------------------------------------------ CSV


@pytest.mark.parametrize("quote", ["a\r\nb", "a\rb"], ids=["crlf", "cr"])
def test_csv_round_trip_keeps_carriage_returns(tmp_path: Path, quote: str) -> None:
    ds = _with_first_tally(venezuela_2026_01(), quote=quote)
    dump(ds, tmp_path / "x.csv")
    assert load(tmp_path / "x.csv") == ds


def test_csv_collect_lists_every_row_left_out(tmp_path: Path) -> None:
    path = tmp_path / "jan.csv"
    dump(venezuela_2026_01(), path)
    (tmp_path / "jan.sources.csv").unlink()  # latin-times, la-republica now unknown
    res = load(path, errors="collect")
    kept = sum(len(r.tallies) for r in res.dataset.reports)
    rows = {p.location for p in res.problems}
    assert kept == 2
    assert {f"row {n}" for n in range(4, 11)} <= rows


# ------------------------------------------------------------------ When


@pytest.mark.parametrize(
    "tz", [dt.UTC, pendulum.FixedTimezone(5 * 3600)], ids=["datetime-utc", "fixed+05"]
)
def test_day_in_fixed_offset_zone_round_trips(tz: Any) -> None:
    day = When.day(dt.date(2026, 1, 19), tz)
    assert When.parse(day.format()) == day
    ds = _with_first_tally(venezuela_2026_01(), as_of=day)
    assert loads_json(dumps_json(ds)) == ds


@pytest.mark.parametrize(
    ("hours", "precision"),
    [(5, "DAY"), (72, "MONTH"), (2, "HOUR")],
)
def test_when_rejects_a_span_inconsistent_with_its_precision(hours: int, precision: str) -> None:
    t = pendulum.datetime(2026, 1, 19, 10, 30, tz="America/Caracas")
    from vzdetain.when import Precision

    with pytest.raises(ValidationError):
        When(t, t.add(hours=hours), Precision[precision])


def test_in_tz_of_a_period_keeps_its_meaning() -> None:
    month = When.parse("2026-01[UTC]")
    shown = month.in_tz("America/Caracas")
    assert shown == month
    assert When.parse(shown.format("America/Caracas")) == month


def test_hour_precision_spans_the_wall_clock_hour_at_caracas_transitions() -> None:
    caracas = "America/Caracas"
    forward = When.parse("2016-05-01T02")  # 02:30 -> 03:00: hour 2 lasts 30 minutes
    assert not forward.contains(pendulum.datetime(2016, 5, 1, 3, 15, tz=caracas))
    back = When.parse("2007-12-09T02")  # 03:00 -> 02:30: hour 2 lasts 90 minutes
    second_pass = pendulum.datetime(2007, 12, 9, 2, 45, tz=caracas, fold=1)
    assert back.contains(second_pass)


# ------------------------------------------------------------------ Count


def test_derived_stated_lies_within_its_bounds() -> None:
    for c in (
        Count.parse("more than 1,345") - Count.exact(777),
        Count.parse("nearly 800") - Count.exact(777),
        Count.parse("fewer than 10") + Count.exact(0),
    ):
        assert c.stated is None or c.stated in c, c
    with pytest.raises(ValidationError):
        Count.between(569, None, stated=568)


# ------------------------------------------------------------------ model constructors

_FIVE = Count.exact(5)
_Y2026 = When.parse("2026")
_NONE: Any = None
_SEX: Any = "sex=female"


@pytest.mark.parametrize(
    "build",
    [
        lambda: Tally("political_prisoners", _FIVE, _Y2026, subgroup=_NONE),
        lambda: Tally("political_prisoners", _FIVE, _Y2026, subgroup=_SEX),
        lambda: Tally("political_prisoners", _FIVE, _Y2026, via=_NONE),
        lambda: Report("r", "foro-penal", _Y2026, _NONE),
        lambda: When.month(2026, 13),
        lambda: Count.parse("5", lang=_NONE),
    ],
    ids=["subgroup-none", "subgroup-str", "via-none", "tallies-none", "month-13", "lang-none"],
)
def test_bad_constructor_arguments_raise_validation_error(build: Callable[[], object]) -> None:
    with pytest.raises(ValidationError):
        build()


# ------------------------------------------------------------------ CLI


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "--window", "nan"],
        ["compare", "--window", "1e300"],
        ["stalls", "--min-days", "inf"],
    ],
    ids=["window-nan", "window-huge", "min-days-inf"],
)
def test_cli_bad_numbers_exit_2(argv: list[str]) -> None:
    code, _, err = _run(argv)
    assert code == 2
    assert err


def test_cli_convert_onto_a_directory_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "ok.json"
    dump(venezuela_2026_01(), src)
    target = tmp_path / "out.json"
    target.mkdir()
    code, _, err = _run(["convert", str(src), str(target)])
    assert code == 2
    assert "out.json" in err


def test_cli_timeline_shows_periods_as_written(tmp_path: Path) -> None:
    path = tmp_path / "utc.json"
    tally = {**_TALLY, "as_of": "2026-01[UTC]"}
    path.write_text(_doc(tally, published="2026-02-01[UTC]"), encoding="utf-8")
    code, out, _ = _run(["timeline", str(path)])
    assert code == 0
    assert "2025-12" not in out
    assert "2026-01" in out


def test_cli_validate_reports_every_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    dump(venezuela_2026_01(), good)
    bad.write_text('{"reports": [{"id": 5}]}', encoding="utf-8")
    code, out, _ = _run(["validate", "--json", str(bad), str(good)])
    assert code == 2
    results = {r["file"]: r["valid"] for r in json.loads(out)}
    assert results == {str(bad): False, str(good): True}


# ------------------------------------------------------------------ testing strategies


@pytest.mark.parametrize("max_value", [0, 50, 10_000])
def test_stated_counts_respect_max_value(max_value: int) -> None:
    quick = settings(
        max_examples=300,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(NoSuchExample):
        find(
            vzst.stated_counts(qualifiers=[Qualifier.EXACT], max_value=max_value),
            lambda c: c.stated is not None and c.stated > max_value,
            settings=quick,
        )
