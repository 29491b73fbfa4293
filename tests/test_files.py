"""JSON and CSV files: round-trips, canonical output, every bad record reported."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from vzdetain import Count, Dataset, LoadResult, dump, load
from vzdetain import testing as vzst
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import DatasetNotFoundError, FormatError, LoadError, VzdetainError
from vzdetain.files import CSV_COLUMNS, dumps_json, json_schema, loads_json
from vzdetain.serialize import converter, format_duration, parse_duration

TMP_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(vzst.datasets())
def test_json_round_trip_is_identity(ds: Dataset) -> None:
    text = dumps_json(ds)
    back = loads_json(text)
    assert back == ds
    assert dumps_json(back) == text  # canonical: byte-identical on a second dump
    assert [t.count.text for _, t in back.tallies()] == [
        t.count.text or t.count.render("en") for _, t in ds.tallies()
    ]


@TMP_OK
@given(ds=vzst.datasets())
def test_csv_round_trip_is_identity(tmp_path: Path, ds: Dataset) -> None:
    path = tmp_path / "tallies.csv"
    dump(ds, path)
    back = load(path)
    assert back == ds
    first = path.read_bytes()
    dump(back, path)
    assert path.read_bytes() == first


@settings(max_examples=50)
@given(vzst.datasets(max_reports=3))
def test_dumped_json_matches_the_schema(ds: Dataset) -> None:
    jsonschema.validate(json.loads(dumps_json(ds)), json_schema())


def test_example_json_is_byte_stable(tmp_path: Path) -> None:
    ds = venezuela_2026_01()
    dump(ds, tmp_path / "a.json")
    dump(load(tmp_path / "a.json"), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert '"format": "vzdetain-dataset"' in text
    assert "más" not in text or "\\u" not in text  # UTF-8, not escaped


def test_example_csv_columns_and_sidecars(tmp_path: Path) -> None:
    ds = venezuela_2026_01()
    dump(ds, tmp_path / "jan.csv")
    header = (tmp_path / "jan.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(CSV_COLUMNS)
    assert (tmp_path / "jan.sources.csv").exists()
    assert (tmp_path / "jan.measures.csv").exists()
    assert load(tmp_path / "jan.csv") == ds


GOOD_HEADER = "report_id,publisher,published,source,measure,count,as_of,period_start,language"


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_csv_written_by_hand(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "mine.csv",
        [
            GOOD_HEADER,
            "fp1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19T21:45-04:00,,en",
            "fp1,foro-penal,2026-01-20,,releases,143,2026-01-19T21:45-04:00,2026-01-08,en",
            "cl1,clippve,2026-01-19,,arbitrarily_detained,más de 1.345,2026-01-19,,es",
            ",,,,,,,,",
        ],
    )
    ds = load(p)
    assert [len(r.tallies) for r in ds.reports] == [2, 1]
    assert ds.reports[1].tallies[0].count == Count.parse("more than 1,345")
    assert ds.reports[0].tallies[0].source == "foro-penal"


def test_csv_lists_every_bad_row(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "bad.csv",
        [
            GOOD_HEADER,
            "fp1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19T21:45-04:00,,en",
            "fp2,foro-penal,2026-01-20,,political_prisoners,1.5 prisoners,2026-01-19,,en",
            "fp3,foro-penal,2026-01-20,,releases,143,2026-01-19,,en",
            "fp4,foro-penal,20/01/2026,,political_prisoners,5,2026-01-19,,en",
            "fp5,foro-penal,2026-01-20,nobody,political_prisoners,5,2026-01-19,,en",
            "fp6,foro-penal,2026-01-20,,prisoners,5,2026-01-19,,en",
        ],
    )
    with pytest.raises(LoadError) as info:
        load(p)
    err = info.value
    assert isinstance(err, VzdetainError)
    assert isinstance(err, ValueError)
    found = {(pr.location, pr.field) for pr in err.problems}
    assert found == {
        ("row 3", "count"),
        ("row 4", "period_start"),
        ("row 5", "published"),
        ("row 6", "source"),
        ("row 7", "measure"),
    }
    text = str(err)
    assert "5 problems" in text
    for n in range(3, 8):
        assert f"row {n}" in text
    assert "'1.5 prisoners'" in text


def test_csv_collect_returns_good_rows_and_problems(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "bad.csv",
        [
            GOOD_HEADER,
            "fp1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19T21:45-04:00,,en",
            "fp1,foro-penal,2026-01-20,,political_prisoners,oops,2026-01-19T21:45-04:00,,en",
            "fp2,foro-penal,2026-01-21,,political_prisoners,780,2026-01-20,,en",
        ],
    )
    result = load(p, errors="collect")
    assert isinstance(result, LoadResult)
    assert [len(r.tallies) for r in result.dataset.reports] == [1, 1]
    assert [(pr.location, pr.field) for pr in result.problems] == [("row 3", "count")]


def test_csv_report_fields_must_agree(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "bad.csv",
        [
            GOOD_HEADER,
            "fp1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,en",
            "fp1,clippve,2026-01-20,,political_prisoners,778,2026-01-19,,en",
        ],
    )
    with pytest.raises(LoadError, match="row 3 field 'publisher'"):
        load(p)


def test_csv_header_problems(tmp_path: Path) -> None:
    p = write(tmp_path, "h.csv", ["report_id,publisher,measure,count,as_of,colour", "a,b,c,d,e,f"])
    with pytest.raises(LoadError) as info:
        load(p)
    fields = {pr.field for pr in info.value.problems}
    assert fields == {"published", "colour"}


def test_csv_too_many_cells(tmp_path: Path) -> None:
    p = write(tmp_path, "h.csv", [GOOD_HEADER, "a,b,c,d,e,f,g,h,i,j,k"])
    with pytest.raises(LoadError, match="row 2"):
        load(p)


def test_json_lists_every_bad_record_with_its_path() -> None:
    obj = json.loads(dumps_json(venezuela_2026_01()))
    obj["reports"][1]["tallies"][0]["count"] = "1,2,3"
    obj["reports"][1]["tallies"][3]["as_of"] = "yesterday"
    obj["reports"][1]["tallies"][5]["colour"] = "red"
    obj["reports"][0]["published"] = "soon"
    obj["sources"][0]["kind"] = "blog"
    with pytest.raises(LoadError) as info:
        loads_json(json.dumps(obj))
    found = {(p.location, p.field) for p in info.value.problems}
    assert ("$.reports[1].tallies[0]", "count") in found
    assert ("$.reports[1].tallies[3]", "as_of") in found
    assert ("$.reports[1].tallies[5]", "") in found
    assert ("$.reports[0]", "published") in found
    assert ("$.sources[0]", "kind") in found
    # the source's bad definition also makes the report published by it fail: never silent
    assert any(p.location.startswith("$.reports[1]") and p.field == "" for p in info.value.problems)


def test_json_collect() -> None:
    obj = json.loads(dumps_json(venezuela_2026_01()))
    obj["reports"][1]["tallies"][1]["count"] = {
        "qualifier": "nearly",
        "stated": 800,
        "low": 700,
        "high": 900,
    }
    result = loads_json(json.dumps(obj), errors="collect")
    assert len(result.problems) == 1
    assert result.problems[0].location == "$.reports[1].tallies[1]"
    assert sum(len(r.tallies) for r in result.dataset.reports) == 8


def test_json_counts_may_be_phrases_in_the_report_language() -> None:
    obj = {
        "reports": [
            {
                "id": "a",
                "publisher": "clippve",
                "published": "2026-01-19",
                "language": "es",
                "tallies": [
                    {
                        "measure": "arbitrarily_detained",
                        "count": "más de 1.345",
                        "as_of": "2026-01-19",
                    }
                ],
            }
        ]
    }
    ds = loads_json(json.dumps(obj))
    assert ds.reports[0].tallies[0].count.low == 1346


def test_malformed_json_and_missing_files(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"reports": [', encoding="utf-8")
    with pytest.raises(LoadError, match="malformed JSON"):
        load(p)
    with pytest.raises(DatasetNotFoundError) as info:
        load(tmp_path / "missing.json")
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(FormatError):
        load(tmp_path / "data.xlsx")
    with pytest.raises(LoadError, match="must be a JSON object"):
        loads_json("[]")
    with pytest.raises(LoadError, match="version"):
        loads_json('{"format": "vzdetain-dataset", "version": 99, "reports": []}')
    with pytest.raises(LoadError, match="timezone"):
        loads_json('{"timezone": "Mars/Olympus", "reports": []}')


def test_csv_cannot_hold_settings_of_an_empty_dataset(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        dump(Dataset((), timezone="UTC"), tmp_path / "e.csv")
    dump(Dataset(()), tmp_path / "e.csv")
    assert load(tmp_path / "e.csv") == Dataset(())


def test_durations() -> None:
    import pendulum

    assert format_duration(pendulum.duration(days=30)) == "P30D"
    assert parse_duration("P30D") == pendulum.duration(days=30)
    assert parse_duration("P1Y2M3DT4H5M6S").months == 2
    with pytest.raises(VzdetainError):
        parse_duration("P")
    with pytest.raises(VzdetainError):
        parse_duration("30 days")


def test_converter_handles_values() -> None:
    assert converter.unstructure(Count.parse("nearly 800"))["low"] == 750
    assert converter.structure({"qualifier": "exact", "stated": 5}, Count) == Count.exact(5)


def test_timezone_argument_is_the_zone_of_a_json_file_that_names_none(tmp_path: Path) -> None:
    """``load(..., timezone=)`` reads local days of a JSON file without a ``timezone`` key
    in that zone, as it does for a CSV file without a ``timezone`` column; a zone the file
    names wins."""
    obj = json.loads(dumps_json(venezuela_2026_01()))
    assert obj.pop("timezone") == "America/Caracas"
    # a day-precision cut-off: its instants depend on the zone it is read in
    obj["reports"][0]["tallies"][0]["as_of"] = "2026-01-19"
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(obj), encoding="utf-8")
    utc = load(bare, timezone="UTC")
    assert utc.timezone == "UTC"
    assert utc.reports[0].tallies[0].as_of.start.isoformat() == "2026-01-19T00:00:00+00:00"
    caracas = load(bare)
    assert caracas.timezone == "America/Caracas"
    assert caracas.reports[0].tallies[0].as_of.start.isoformat() == "2026-01-19T00:00:00-04:00"
    named = tmp_path / "named.json"
    dump(venezuela_2026_01(), named)
    assert load(named, timezone="UTC").timezone == "America/Caracas"
    with pytest.raises(LoadError, match="Mars/Olympus"):
        load(bare, timezone="Mars/Olympus")


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_file_with_another_separator_is_one_clear_problem(
    tmp_path: Path, sep: str, name: str
) -> None:
    path = tmp_path / "semi.csv"
    head = sep.join(["report_id", "publisher", "published", "measure", "count", "as_of"])
    row = sep.join(["r1", "foro-penal", "2026-01-20", "political_prisoners", "5", "2026-01-19"])
    path.write_text(f"{head}\r\n{row}\r\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    (problem,) = info.value.problems
    assert f"separated by {name}, not commas" in problem.message


def test_a_reference_to_a_refused_companion_row_says_so(tmp_path: Path) -> None:
    (tmp_path / "own.csv").write_text(
        "report_id,publisher,published,source,measure,count,as_of\n"
        "r1,el-pitazo,2026-01-20,,political_prisoners,5,2026-01-19\n",
        encoding="utf-8",
    )
    (tmp_path / "own.sources.csv").write_text(
        "id,name,kind\nel-pitazo,El Pitazo,press\n", encoding="utf-8"
    )
    with pytest.raises(LoadError) as info:
        load(tmp_path / "own.csv")
    messages = [p.message for p in info.value.problems]
    assert messages[0].startswith("must be one of ngo, ")
    assert (
        messages[1:]
        == [
            "unknown source id: its definition (own.sources.csv row 2) was refused, see its own "
            "problem"
        ]
        * 2
    )


def test_problems_come_in_file_order(tmp_path: Path) -> None:
    """A reference problem (row 2) before a parsing problem (row 3), and row 9 before 10."""
    rows = [
        "report_id,publisher,published,source,measure,count,as_of",
        "r1,nobody,2026-01-20,,political_prisoners,5,2026-01-19",
        "r2,foro-penal,2026-01-20,,political_prisoners,many many,2026-01-19",
        *(f"r{i},foro-penal,2026-01-20,,political_prisoners,{i},2026-01-19" for i in range(3, 9)),
        "r9,foro-penal,2026-01-20,,nowhere,5,2026-01-19",
        "r10,foro-penal,2026-01-20,,political_prisoners,x,2026-01-19",
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = load(path, errors="collect").problems
    rows_named = [p.location.split(" (")[0] for p in problems]
    assert rows_named == sorted(rows_named, key=lambda r: int(r.split()[-1]))
    assert rows_named[0] == "row 2"
    assert rows_named[-1] == "row 11"
