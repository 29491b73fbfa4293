"""Reading large CSV files: rows that repeat checked values read exactly as rows read in full.

The CSV reader checks each distinct combination of cells once (see ``files._RowTallies``)
and reads the zone as it goes; these tests pin that the short cuts change nothing a user
can see: the same tallies, the same problems, the same zone.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from vzdetain import dump, load
from vzdetain.errors import LoadError, Problem

HEADER = "report_id,publisher,published,source,measure,count,as_of,period_start,language"
GOOD = "fp1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19T21:45-04:00,,en"
GOOD_FLOW = "fp9,foro-penal,2026-01-20,,releases,143,2026-01-19T21:45-04:00,2026-01-08,en"

# Rows that repeat the measure, source and other cells of GOOD or GOOD_FLOW, each with one
# fault in the cells that are read on every row.
BAD_ROWS = [
    "fp2,foro-penal,2026-01-20,,political_prisoners,1.5 prisoners,2026-01-19,,en",
    "fp3,foro-penal,2026-01-20,,political_prisoners,,2026-01-19,,en",
    "fp4,foro-penal,2026-01-20,,political_prisoners,5,19/01/2026,,en",
    "fp5,foro-penal,2026-01-20,,political_prisoners,5,,,en",
    "fp6,foro-penal,2026-01-20,,political_prisoners,range 1 to 5,2026-01-19,,en",
    "fp7,foro-penal,2026-01-20,,releases,10,2026-01-08,2026-01-19,en",
    "fp8,foro-penal,2026-01-20,,releases,10,2026-01-19,2026-13-01,en",
]


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def problems(path: Path) -> list[Problem]:
    with pytest.raises(LoadError) as info:
        load(path)
    return list(info.value.problems)


@pytest.mark.parametrize("bad", BAD_ROWS)
def test_a_repeated_row_reports_what_a_first_row_reports(tmp_path: Path, bad: str) -> None:
    alone = problems(write(tmp_path, "alone.csv", [HEADER, bad]))
    after = problems(write(tmp_path, "after.csv", [HEADER, GOOD, GOOD_FLOW, bad]))
    assert alone, "each of these rows is faulty"
    assert [(p.field, p.value, p.message) for p in after] == [
        (p.field, p.value, p.message) for p in alone
    ]
    assert {p.location for p in alone} == {"row 2"}
    assert {p.location for p in after} == {"row 4"}


def test_rows_that_repeat_cells_share_the_checked_values(tmp_path: Path) -> None:
    rows = [f"r{i},foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en" for i in range(5)]
    ds = load(write(tmp_path, "many.csv", [HEADER, *rows]))
    tallies = [r.tallies[0] for r in ds.reports]
    assert len(tallies) == 5
    assert len({id(t.count) for t in tallies}) == 1
    assert len({id(t.as_of) for t in tallies}) == 1
    assert all(t.source == "foro-penal" for t in tallies)


def test_a_zone_named_after_rows_without_one_applies_to_every_row(tmp_path: Path) -> None:
    header = HEADER + ",timezone"
    lines = [
        header,
        "a1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en,",
        "a2,foro-penal,2026-01-21,,political_prisoners,778,2026-01-20,,en,Europe/Madrid",
    ]
    ds = load(write(tmp_path, "late.csv", lines))
    assert ds.timezone == "Europe/Madrid"
    first = ds.reports[0].tallies[0].as_of
    assert first.start == pendulum.datetime(2026, 1, 19, tz="Europe/Madrid")


def test_the_zone_the_file_names_wins_over_the_one_given(tmp_path: Path) -> None:
    """``timezone=`` is for files that name none, as with JSON (load's docstring)."""
    lines = [
        HEADER + ",timezone",
        "a1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en,Europe/Madrid",
    ]
    path = write(tmp_path, "given.csv", lines)
    result = load(path, timezone="America/Caracas", errors="collect")
    assert result.problems == ()
    assert result.dataset.timezone == "Europe/Madrid"
    json_path = tmp_path / "given.json"
    dump(result.dataset, json_path)
    assert load(json_path, timezone="America/Caracas") == result.dataset


def test_rows_that_disagree_on_the_zone_are_refused(tmp_path: Path) -> None:
    lines = [
        HEADER + ",timezone",
        "a1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en,America/Caracas",
        "a2,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en,Europe/Madrid",
        "a3,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en,Asia/Tokyo",
    ]
    found = problems(write(tmp_path, "zones.csv", lines))
    assert [(p.location, p.field, p.value) for p in found] == [
        ("rows", "timezone", ["America/Caracas", "Asia/Tokyo", "Europe/Madrid"])
    ]


def test_blank_and_short_rows(tmp_path: Path) -> None:
    lines = [
        HEADER,
        GOOD,
        ",,,,,,,,",
        "  ,  ,,,,,,,",
        "fp2,foro-penal,2026-01-20,,political_prisoners,780,2026-01-20",  # short: padded
    ]
    ds = load(write(tmp_path, "short.csv", lines))
    assert [r.id for r in ds.reports] == ["fp1", "fp2"]
    assert ds.reports[1].language == "en"


def test_a_byte_that_is_not_utf8_far_into_the_file_is_located(tmp_path: Path) -> None:
    head = (HEADER + "\n").encode()
    rows = b"".join(
        b"r%d,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en\n" % i
        for i in range(3000)  # well past the first block the reader decodes
    )
    bad = b"rx,foro-penal,2026-01-20,,political_prisoners,7\xff7,2026-01-19,,en\n"
    p = tmp_path / "bad.csv"
    p.write_bytes(head + rows + bad)
    found = problems(p)
    offset = len(head + rows) + bad.index(b"\xff")
    assert [(x.location, x.message) for x in found] == [(f"byte {offset}", "not UTF-8 text")]
