"""Inputs at the edges: malformed CSV, times the clocks change in, wording that contradicts
its fields, and bad arguments, each met by a library error that names what is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pendulum
import pytest
from pendulum import FixedTimezone

from vzdetain import (
    ConditionKind,
    Count,
    Dataset,
    Qualifier,
    ReleaseCondition,
    Report,
    Tally,
    Vagueness,
    When,
    dump,
    files,
    load,
)
from vzdetain.errors import LoadError, ValidationError, VzdetainError
from vzdetain.files import dumps_json, json_schema, loads_json

HEADER = "report_id,publisher,published,measure,count,as_of,quote"
W = When.parse("2026-01-19")


def _write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------- malformed CSV


def test_an_unclosed_quote_is_reported_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "q.csv",
        HEADER,
        'r1,foro-penal,2026-01-20,political_prisoners,777,2026-01-19,"Nearly 800 remain',
        "r2,foro-penal,2026-01-20,political_prisoners,800,2026-01-19,",
        'r3,foro-penal,2026-01-20,political_prisoners,5,2026-01-19,"ok, ""quoted""',
        'two lines"',
    )
    result = load(path, errors="collect")
    problem = result.problems[0]
    assert problem.location == "row 2 (line 2)"
    assert "lines 3 to 4 are read again, as rows" in problem.message
    assert [r.id for r in result.dataset.reports] == ["r2", "r3"]
    assert result.dataset.reports[1].tallies[0].quote == 'ok, "quoted"\ntwo lines'
    with pytest.raises(LoadError):
        load(path)


def test_text_after_a_closing_quote_is_reported_and_the_next_rows_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "q.csv",
        HEADER,
        'r1,foro-penal,2026-01-20,political_prisoners,777,2026-01-19,"Más de 1.345" detenidos',
        "r2,foro-penal,2026-01-20,political_prisoners,1.5,2026-01-19,",
        "r3,foro-penal,2026-01-20,political_prisoners,800,2026-01-19,",
    )
    result = load(path, errors="collect")
    assert [
        (p.location, "text follows the closing quote" in p.message) for p in result.problems
    ] == [
        ("row 2 (line 2)", True),
        ("row 3", False),  # the next row's own problem is still found
    ]
    assert [r.id for r in result.dataset.reports] == ["r3"]


def test_a_row_with_too_many_cells_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "long.csv",
        HEADER,
        "r1,foro-penal,2026-01-20,political_prisoners,1.5,2026-01-19,",
        "r2,foro-penal,2026-01-20,political_prisoners,800,2026-01-19,,extra",
        "r3,foro-penal,2026-01-20,political_prisoners,5,19/01/2026,",
        "r4,foro-penal,2026-01-20,political_prisoners,777,2026-01-19,",
    )
    result = load(path, errors="collect")
    assert sorted(p.location for p in result.problems) == ["row 2", "row 3", "row 4"]
    assert [r.id for r in result.dataset.reports] == ["r4"]
    assert "8 cells for 7 columns" in str(next(p for p in result.problems if p.location == "row 3"))


def test_companion_file_cells_are_trimmed_except_free_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "t.csv",
        "report_id,publisher,published,source,measure,count,as_of",
        "r1,monitor-x,2026-01-20,monitor-x,detained_minors,12,2026-01-19",
    )
    _write(tmp_path, "t.sources.csv", "id,name,kind", " monitor-x , Monitor X , ngo ")
    _write(tmp_path, "t.measures.csv", "name,kind,within", " detained_minors , stock , ")
    ds = load(path)
    assert ds.source("monitor-x").name == " Monitor X "  # free text, as written
    assert ds.measure("detained_minors").kind.value == "stock"


# ---------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("2016-05-01T02", "America/Caracas"),  # 30 minutes: clocks went forward
        ("2007-12-09T02", "America/Caracas"),  # 90 minutes: clocks went back
        ("2026-11-01T01-04:00", "America/New_York"),  # two hours of wall clock
        ("1911-01-19T12:00", "America/Caracas"),  # local mean time, -04:27:40
        ("1911-01-19T12", "America/Caracas"),
        ("1960-01-19T12:00", "Africa/Monrovia"),  # -00:44:30
        ("1912-02-12T04:26Z", "America/Caracas"),  # a wall time that came twice in Caracas
        ("1911-01-19T12:00", "-04:27:40"),  # a fixed offset in seconds
        ("1911-01-19", "-04:27:40"),
    ],
)
@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_odd_hours_and_offsets_in_seconds_round_trip(
    tmp_path: Path, text: str, tz: str, suffix: str
) -> None:
    when = When.parse(text, tz=tz)
    if when.is_instant and not text.endswith("Z"):
        assert when.start.utcoffset() == When.parse(text, tz=tz).start.utcoffset()
    else:
        when = when.in_tz(tz)
    tally = Tally("political_prisoners", Count.exact(777), when)
    ds = Dataset(
        [Report("r1", "foro-penal", When.parse("2026-01-20", tz=tz), [tally])], timezone=tz
    )
    path = tmp_path / f"d{suffix}"
    dump(ds, path)
    back = load(path)
    assert back == ds
    got = next(back.tallies())[1].as_of
    assert got == when
    # instants, not wall times (PEP 495: a time in a repeated stretch equals no other zone's)
    assert (got.start.timestamp(), got.end.timestamp()) == (
        when.start.timestamp(),
        when.end.timestamp(),
    )


def test_a_day_in_a_fixed_offset_matches_the_schema() -> None:
    day = When.parse("2026-01-19", tz="-04:00")
    ds = Dataset(
        [Report("r", "foro-penal", day, [Tally("political_prisoners", Count.exact(1), day)])],
        timezone="-04:00",
    )
    doc = json.loads(dumps_json(ds))
    assert doc["reports"][0]["published"] == "2026-01-19[-04:00]"
    other = When.parse("2026-01-19", tz="+05:00")
    ds2 = Dataset(
        [Report("r", "foro-penal", other, [Tally("political_prisoners", Count.exact(1), other)])]
    )
    doc2 = json.loads(dumps_json(ds2))
    assert doc2["reports"][0]["published"] == "2026-01-19[+05:00]"
    for d in (doc, doc2):
        jsonschema.validate(d, json_schema())


# ---------------------------------------------------------------------- wording


def test_spanish_typed_with_combining_accents_reads() -> None:
    for text in ("más de 1.345", "como máximo 30", "medio millón"):
        decomposed = unicodedata.normalize("NFD", text)
        assert decomposed != text
        got = Count.parse(decomposed, lang="es")
        assert got == Count.parse(text, lang="es")
        assert got.text == decomposed  # kept as written


def test_a_float_relative_tolerance_is_read_as_the_decimal_it_shows() -> None:
    v = Vagueness(relative=0.07, roundness=False)
    assert v.relative == Fraction(7, 100)
    assert all(
        v.tolerance(n) == Vagueness(Fraction(7, 100), False).tolerance(n) for n in range(1, 5000)
    )


def _json_count(count: dict[str, Any], language: str = "en") -> str:
    return json.dumps(
        {
            "reports": [
                {
                    "id": "r",
                    "publisher": "foro-penal",
                    "published": "2026-01-20",
                    "language": language,
                    "tallies": [
                        {"measure": "political_prisoners", "count": count, "as_of": "2026-01-19"}
                    ],
                }
            ]
        }
    )


@pytest.mark.parametrize(
    "count",
    [
        {"text": "nearly 800", "qualifier": "exact", "stated": 5, "low": 5, "high": 5},
        {"text": "nearly 800", "qualifier": "nearly", "stated": 900},
    ],
)
def test_a_json_count_whose_phrase_contradicts_its_fields_is_refused(count: dict[str, Any]) -> None:
    with pytest.raises(LoadError) as info:
        loads_json(_json_count(count))
    (problem,) = info.value.problems
    assert problem.field.endswith("count.text")
    assert problem.value == "nearly 800"
    assert "reads as [750, 799], which allows none of the count's values" in problem.message


def test_counts_whose_phrase_allows_some_of_their_values_round_trip(tmp_path: Path) -> None:
    """A phrase is free wording: it need only not contradict the count's bounds."""
    counts = [
        Count.of(Qualifier.FEWER_THAN, 1, text="none"),
        Count.of(Qualifier.AT_LEAST, 777, text="777"),
        Count.of(Qualifier.ABOUT, 800, text="cerca de 800"),  # Spanish in an English report
    ]
    tallies = [Tally("political_prisoners", c, W) for c in counts]
    ds = Dataset([Report("r", "foro-penal", W, tallies)])
    for name in ("d.json", "d.csv"):
        dump(ds, tmp_path / name)
        assert load(tmp_path / name) == ds


def test_dump_refuses_a_count_whose_phrase_contradicts_it(tmp_path: Path) -> None:
    bad = Count.of(Qualifier.EXACT, 5, text="nearly 800")
    ds = Dataset([Report("r", "foro-penal", W, [Tally("political_prisoners", bad, W)])])
    with pytest.raises(ValidationError) as info:
        dump(ds, tmp_path / "d.json")
    assert info.value.path == ("reports[0]", "tallies[0]", "count", "text")
    assert not (tmp_path / "d.json").exists()


def test_free_wording_and_custom_bounds_are_kept() -> None:
    free = {"text": "cerca de ochocientos", "qualifier": "about", "stated": 800}
    ds = loads_json(_json_count(free, "es"))
    assert next(ds.tallies())[1].count.text == "cerca de ochocientos"
    custom = {"text": "about 800", "qualifier": "about", "stated": 800, "low": 700, "high": 900}
    count = next(loads_json(_json_count(custom)).tallies())[1].count
    assert (count.low, count.high) == (700, 900)


def test_a_vague_plural_in_another_language_names_the_phrase() -> None:
    with pytest.raises(LoadError) as info:
        loads_json(_json_count({"text": "cientos", "qualifier": "several"}))
    (problem,) = info.value.problems
    assert problem.field.endswith("count.text")
    assert "report's language" in problem.message


@pytest.mark.parametrize(("language", "count"), [("spa", 1345), ("es-VE", 1345), ("est", None)])
def test_the_primary_language_subtag_decides_how_counts_read(
    tmp_path: Path, language: str, count: int | None
) -> None:
    path = _write(
        tmp_path,
        "l.csv",
        "report_id,publisher,published,measure,count,as_of,language",
        f"r1,foro-penal,2026-01-20,political_prisoners,1.345,2026-01-19,{language}",
    )
    if count is None:  # read as English: "1.345" is not a whole number
        with pytest.raises(LoadError, match="not a whole number"):
            load(path)
    else:
        assert next(load(path).tallies())[1].count.stated == count


# ---------------------------------------------------------------------- arguments

BAD_CALLS: list[tuple[str, Callable[[], object], str]] = [
    ("tz", lambda: When.parse("2026-01-19", tz=5), "5"),  # type: ignore[arg-type]
    ("tz", lambda: When.parse("2026", tz=["UTC"]), "['UTC']"),  # type: ignore[arg-type]
    ("tz", lambda: When.parse("2026-01-19", tz="Mars/Base"), "'Mars/Base'"),
    ("year", lambda: When.year(0), "0"),
    ("year", lambda: When.year(9999), "'9999-01-01'"),
    ("year", lambda: When.year("2026"), "'2026'"),  # type: ignore[arg-type]
    ("year", lambda: When.month(0, 1), "0"),
    ("month", lambda: When.month(2026, 13), "13"),
    ("day", lambda: When.day("2026-01-19"), "'2026-01-19'"),  # type: ignore[arg-type]
    ("day", lambda: When.day(dt.date(1, 1, 1), tz="+05:00"), "'0001-01-01'"),
    (
        "start",
        lambda: When.instant(pendulum.datetime(1, 1, 1, tz=FixedTimezone(3600))),
        "'0001-01-01T00:00:00+01:00'",
    ),
    ("vagueness", lambda: Count.parse("about 800", vagueness=None), "None"),  # type: ignore[arg-type]
    ("word", lambda: Count.of(Qualifier.SEVERAL, word=[]), "[]"),  # type: ignore[arg-type]
    ("qualifier", lambda: Count.of("nearly", 800), "'nearly'"),  # type: ignore[arg-type]
    ("relative", lambda: Vagueness(relative="x"), "'x'"),  # type: ignore[arg-type]
    ("relative", lambda: Vagueness(relative=float("nan")), "nan"),  # type: ignore[arg-type]
    ("roundness", lambda: Vagueness(roundness=1), "1"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("path", "call", "shown"), BAD_CALLS)
def test_bad_arguments_raise_library_errors_naming_the_argument_and_value(
    path: str, call: Callable[[], object], shown: str
) -> None:
    with pytest.raises(VzdetainError) as info:
        call()
    assert isinstance(info.value, ValidationError)
    assert info.value.path == (path,)
    assert str(info.value).startswith(f"{path}: ")
    assert str(info.value).endswith(f"(got {shown})")


def test_without_companion_files_an_unknown_id_says_which_file_is_missing(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "t.csv",
        "report_id,publisher,published,source,measure,count,as_of",
        "r1,monitor-x,2026-01-20,monitor-x,detained_minors,12,2026-01-19",
    )
    with pytest.raises(LoadError) as info:
        load(path)
    messages = {p.field: p.message for p in info.value.problems}
    assert messages["source"].endswith("no t.sources.csv beside the file")
    assert messages["measure"].endswith("no t.measures.csv beside the file")
    _write(tmp_path, "t.sources.csv", "id,name,kind", "monitor-y,Monitor Y,ngo")
    with pytest.raises(LoadError) as info:
        load(path)
    assert {p.message for p in info.value.problems if p.field == "source"} == {"unknown source id"}


def test_many_stray_quotes_are_read_in_linear_time(tmp_path: Path) -> None:
    """Each row opens a quote the next row breaks: every row is read again once, not once
    per malformed row before it (counted in lines fed, not timed)."""
    rows = [f'r{i},foro-penal,2026-01-20,political_prisoners,"800,2026-01-19,' for i in range(2000)]
    path = _write(tmp_path, "q.csv", HEADER, *rows)
    records = files._Records(path.read_text(encoding="utf-8").splitlines(True), [])
    fed = 0
    original = records._feed

    def counting() -> Iterator[str]:
        nonlocal fed
        for line in original():
            fed += 1
            yield line

    records._feed = counting  # type: ignore[method-assign]
    records._reader = csv.reader(records._feed(), strict=True)
    list(records)
    assert fed < 3 * len(rows)
    result = load(path, errors="collect")
    assert len(result.problems) >= len(rows) // 2


def test_a_multi_line_cell_with_text_after_it_is_reported_and_its_lines_read_again(
    tmp_path: Path,
) -> None:
    """A quoted cell may hold a line break, or a quote mark may be stray: the lines after
    the record's first are read again, and the problem says so (nothing is silent)."""
    path = tmp_path / "m.csv"
    path.write_text(
        HEADER + "\n"
        'r1,foro-penal,2026-01-20,political_prisoners,777,2026-01-19,"He said:\n'
        'r9,foro-penal,2026-01-20,political_prisoners,999,2026-01-19,more" detained\n'
        "r2,foro-penal,2026-01-20,political_prisoners,800,2026-01-19,\n",
        encoding="utf-8",
    )
    result = load(path, errors="collect")
    problem = result.problems[0]
    assert problem.location == "row 2 (line 2)"
    assert "a quoted cell from line 2 to line 3 is followed by text" in problem.message
    assert "line 3 is read again, as rows" in problem.message
    assert "r2" in [r.id for r in result.dataset.reports]


def test_a_malformed_header_is_reported_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path, "h.csv", 'report_id,"publisher,published,measure,count,as_of')
    with pytest.raises(LoadError) as info:
        load(path)
    (problem,) = info.value.problems
    assert problem.location == "row 1 (line 1)"
    assert "quote mark opens a quoted cell on line 1" in problem.message
    assert "read again" not in problem.message


def test_a_stray_quote_in_a_companion_file_names_its_own_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "d.csv",
        "report_id,publisher,published,source,measure,count,as_of",
        "r1,monitor-x,2026-01-20,monitor-x,political_prisoners,12,2026-01-19",
    )
    _write(tmp_path, "d.sources.csv", "id,name,kind", 'monitor-x,"Monitor X,ngo', "a,b,ngo")
    with pytest.raises(LoadError) as info:
        load(path)
    assert info.value.problems[0].location == "row 2 (line 2)"
    assert "on line 2" in info.value.problems[0].message


def test_dump_refuses_a_condition_count_whose_phrase_contradicts_it(tmp_path: Path) -> None:
    cond = ReleaseCondition(
        ConditionKind.TRAVEL_BAN, applies_to=Count.of(Qualifier.EXACT, 5, text="nearly 800")
    )
    tally = Tally("releases", Count.exact(5), W, period_start=When.parse("2026-01-08"))
    tally = attrs.evolve(tally, conditions=(cond,))
    ds = Dataset([Report("r", "foro-penal", W, [tally])])
    with pytest.raises(ValidationError) as info:
        dump(ds, tmp_path / "d.json")
    assert info.value.path[-3:] == ("conditions[0]", "applies_to", "text")
