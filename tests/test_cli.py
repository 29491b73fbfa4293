"""The command line, in-process and as a subprocess, including bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from vzdetain import (
    Basis,
    ConditionKind,
    Count,
    Dataset,
    ReleaseCondition,
    Report,
    Tally,
    When,
    dump,
    load,
)
from vzdetain.__main__ import summary
from vzdetain.checks import check
from vzdetain.cli import main
from vzdetain.datasets import venezuela_2026_01
from vzdetain.reconcile import compare
from vzdetain.releases import conditions_summary, stalls
from vzdetain.serialize import unstructure

COMMANDS = ["compare", "check", "stalls", "conditions", "validate", "timeline"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_runs_on_the_bundled_example(command: str) -> None:
    code, out, err = run(command)
    assert code == 0, err
    assert out.strip()
    assert err == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_prints_json(command: str) -> None:
    code, out, _ = run(command, "--json")
    assert code == 0
    json.loads(out)


def test_compare_table_shows_qualifiers_bounds_and_reasons() -> None:
    code, out, _ = run("compare", "--measure", "political_prisoners")
    assert code == 0
    assert "777 [777, 777]" in out
    assert "2026-01-19T21:45-04:00" in out  # cut-off in the dataset's zone
    assert "nearly 800" in out  # the relay and why it was merged
    assert "Why:" in out


def test_compare_json_matches_the_api() -> None:
    ds = venezuela_2026_01()
    at = "2026-01-19T23:00-04:00"
    code, out, _ = run("compare", "--measure", "political_prisoners", "--at", at, "--json")
    assert code == 0
    c = compare(ds, "political_prisoners", pendulum.parse(at))
    expected = {**unstructure(c), "explanation": list(c.sentences())}
    assert json.loads(out) == json.loads(json.dumps(expected, ensure_ascii=False))


def test_check_stalls_conditions_json_match_the_api() -> None:
    ds = venezuela_2026_01()
    for command, value in (
        ("check", list(check(ds))),
        ("stalls", list(stalls(ds))),
        ("conditions", conditions_summary(ds)),
    ):
        code, out, _ = run(command, "--json")
        assert code == 0
        assert json.loads(out) == json.loads(json.dumps(unstructure(value), ensure_ascii=False)), (
            command
        )


def test_stalls_table_shows_the_ongoing_stall() -> None:
    code, out, _ = run("stalls")
    assert code == 0
    assert "2026-01-18T00:00-04:00" in out
    assert "ongoing" in out
    assert "confirmed" in out
    # one whole local day, but 45¾ hours: the table gives both, and how far it is known
    (row,) = [line for line in out.splitlines() if line.startswith("2026-01-18")]
    assert "2026-01-19T21:45-04:00  1 d 21 h 45 min  1 " in row
    assert out.rstrip().endswith(
        "Days without a release as of 2026-01-19T21:45-04:00: 1 (confirmed)"
    )
    # past the last report, the stall is only partly covered by zero-release statements
    _, later, _ = run("stalls", "--end", "2026-01-25", "--lang", "es")
    assert "8 d 0 h 0 min" in later
    assert later.rstrip().endswith(": 8 (mixta)")
    assert "sin declaraciones, no se informó ninguna excarcelación" in later


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h 0 min"),
        (24 * 60, "1 d 0 h 0 min"),
        (2745, "1 d 21 h 45 min"),
    ],
)
def test_stall_lengths_read_in_days_hours_and_minutes(minutes: int, text: str) -> None:
    import datetime as dt

    from vzdetain.cli import _length

    assert _length(dt.timedelta(minutes=minutes, seconds=59)) == text


def test_spanish_output() -> None:
    code, out, _ = run("conditions", "--lang", "es")
    assert code == 0
    assert "prohibición de salida del país" in out
    assert "excarcelación" in out
    code, out, _ = run("compare", "--measure", "political_prisoners", "--lang", "es")
    assert "Por qué:" in out


def test_strict_exit_code(tmp_path: Path) -> None:
    ds = venezuela_2026_01()
    assert run("check", "--strict")[0] == 0
    # a relay that contradicts its source: a conflict and a finding
    obj = json.loads(json.dumps(unstructure(ds)))
    obj["reports"][1]["tallies"][2]["count"] = {
        "qualifier": "exact",
        "stated": 900,
        "low": 900,
        "high": 900,
        "text": "900",
    }
    bad = tmp_path / "conflict.json"
    bad.write_text(json.dumps(obj), encoding="utf-8")
    assert run("check", str(bad))[0] == 0
    assert run("check", str(bad), "--strict")[0] == 1
    assert run("compare", str(bad), "-m", "political_prisoners", "--strict")[0] == 1


def test_compare_defaults_to_the_latest_cut_off_of_the_group_compared(tmp_path: Path) -> None:
    """With --subgroup and no --at, the time compared is the group's latest cut-off, not a
    later national figure's (which would leave the group's own figure outside the window)."""
    header = "report_id,publisher,published,source,measure,count,as_of,subgroup,timezone\n"
    rows = [
        "r1,foro-penal,2026-01-02,foro-penal,political_prisoners,50,2026-01-01,age=minor,UTC",
        "r2,foro-penal,2026-03-02,foro-penal,political_prisoners,800,2026-03-01,,UTC",
    ]
    path = tmp_path / "groups.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run("compare", str(path), "--subgroup", "age=minor")
    assert code == 0, err
    assert "political_prisoners [age=minor] @ 2026-01-01" in out
    assert "50 [50, 50]" in out
    code, out, _ = run("compare", str(path))
    assert "political_prisoners @ 2026-03-01" in out
    # a group without figures of its own: the latest of the groups that bound it
    code, out, _ = run("compare", str(path), "--subgroup", "age=minor;sex=female")
    assert code == 0
    assert "political_prisoners [age=minor;sex=female] @ 2026-03-01" in out


GROUPS_CSV = (
    "report_id,publisher,published,source,measure,count,as_of,subgroup,timezone\n"
    "r1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,UTC\n"
    "r2,foro-penal,2026-01-20,,political_prisoners,80,2026-01-19,sex=female,UTC\n"
    "r3,foro-penal,2026-01-20,,political_prisoners,60,2026-01-19,age=minor;sex=female,UTC\n"
)


def _lines_with(out: str, *words: str) -> list[list[str]]:
    """The cells of the table lines holding every one of ``words`` (not the "Why:" lines)."""
    lines = [line.split() for line in out.splitlines() if not line.startswith("  - ")]
    return [cells for cells in lines if all(w in cells for w in words)]


def test_bounds_from_groups_name_the_group(tmp_path: Path) -> None:
    """A subgroup's figure bounding the total says which group it counts: "80 political
    prisoners" alone, next to 777, would read as a contradiction."""
    path = tmp_path / "groups.csv"
    path.write_text(GROUPS_CSV, encoding="utf-8")
    code, out, err = run("compare", str(path), "-m", "political_prisoners")
    assert code == 0, err
    assert "Comparison: political_prisoners @ 2026-01-19" in out
    head = _lines_with(out, "source", "measure", "count")
    assert head == [["source", "measure", "group", "count", "as", "of", "bound", "status"]]
    rows = _lines_with(out, "lower")
    assert [r[2] for r in rows] == ["age=minor;sex=female", "sex=female"]
    code, out, err = run(
        "compare", str(path), "-m", "political_prisoners", "--subgroup", "sex=female"
    )
    assert code == 0, err
    assert "Comparison: political_prisoners [sex=female] @ 2026-01-19" in out
    # the total bounds the group from above; its group is everyone
    upper = _lines_with(out, "upper")
    assert [r[:4] for r in upper] == [["foro-penal", "political_prisoners", "(all)", "777"]]
    lower = _lines_with(out, "lower")
    assert [r[2] for r in lower] == ["age=minor;sex=female"]
    # Spanish labels
    code, out, _ = run(
        "compare",
        str(path),
        "-m",
        "political_prisoners",
        "--subgroup",
        "sex=female",
        "--lang",
        "es",
    )
    assert _lines_with(out, "fuente", "medida", "grupo")
    assert _lines_with(out, "(todos)", "777")


def test_the_bundled_example_has_no_group_column() -> None:
    code, out, _ = run("compare", "-m", "political_prisoners")
    assert code == 0
    assert not _lines_with(out, "group")


def test_summary_shows_groups_when_any_tally_has_one(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(GROUPS_CSV, encoding="utf-8")
    lines = summary(load(path)).splitlines()
    assert lines[3].split()[:3] == ["source", "measure", "group"]
    assert lines[4].split()[:3] == ["foro-penal", "political_prisoners", "(all)"]
    assert lines[5].split()[:3] == ["foro-penal", "political_prisoners", "sex=female"]
    assert "group" not in summary(venezuela_2026_01()).splitlines()[3].split()


def test_convert_and_validate(tmp_path: Path) -> None:
    src = tmp_path / "jan.json"
    dump(venezuela_2026_01(), src)
    code, out, _ = run("convert", str(src), str(tmp_path / "jan.csv"))
    assert code == 0
    assert (tmp_path / "jan.csv").exists()
    code, out, _ = run("validate", str(tmp_path / "jan.csv"), str(src))
    assert code == 0
    assert out.count(": valid,") == 2


def test_bad_inputs_exit_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    malformed = tmp_path / "bad.json"
    malformed.write_text("{not json", encoding="utf-8")
    code, _out, err = run("validate", str(malformed))
    assert code == 2
    assert "malformed JSON" in err
    assert "Traceback" not in err

    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        "report_id,publisher,published,measure,count,as_of\n"
        "a,foro-penal,2026-01-20,political_prisoners,777,2026-01-19\n"
        "b,foro-penal,2026-01-20,political_prisoners,1.5 prisoners,2026-01-19\n"
        "c,foro-penal,yesterday,political_prisoners,5,2026-01-19\n",
        encoding="utf-8",
    )
    code, _, err = run("check", str(csv_path))
    assert code == 2
    assert "row 3 field 'count'" in err
    assert "row 4 field 'published'" in err
    assert "Traceback" not in err

    code, _, err = run("compare", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "missing.csv" in err

    code, _, err = run("compare", "--measure", "nope")
    assert code == 2
    assert "nope" in err


def test_timeline_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "timeline.png"
    code, _out, err = run("timeline", "--plot", str(png))
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


def test_no_command_prints_a_summary() -> None:
    code, out, _ = run()
    assert code == 0
    assert "foro-penal" in out
    assert "compare" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_subprocess(command: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vzdetain", command, "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)


def test_the_vzdetain_script_runs_the_same_function_as_python_m() -> None:
    """The installed script and ``python -m vzdetain`` both end in ``__main__.main``.

    It, not ``cli.main``, pauses the collector while the command line is imported and
    freezes what is alive before the process ends (a third of the run on 10^4 tallies).
    """
    import importlib.metadata
    import tomllib

    root = Path(__file__).resolve().parent.parent
    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["scripts"] == {"vzdetain": "vzdetain.__main__:main"}
    installed = importlib.metadata.entry_points(group="console_scripts", name="vzdetain")
    for ep in installed:  # an install made before the entry point changed would differ
        assert ep.value == "vzdetain.__main__:main"


def test_subprocess_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("report_id,publisher\nx,y\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "vzdetain", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "required column missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_counts_in_words_in_either_language(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        "report_id,publisher,published,source,measure,count,as_of\n"
        "r1,foro-penal,2026-01-20,,political_prisoners,5,2026-01-19\n",
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(path))
    assert code == 0
    assert out.endswith(": valid, 1 report, 1 tally, 1 source, 0 own measures\n")
    code, out, _ = run("validate", "--lang", "es")
    assert out.endswith(": válido, 2 informes, 9 cifras, 5 fuentes, 1 medida propia\n")


def test_check_without_findings_points_to_compare_for_disagreements(tmp_path: Path) -> None:
    # two sources that disagree: a conflict for compare, no finding for check
    ds = venezuela_2026_01()
    obj = json.loads(json.dumps(unstructure(ds)))
    clippve = obj["reports"][1]["tallies"][5]
    assert clippve["source"] == "clippve"
    clippve["measure"] = "political_prisoners"
    clippve["count"] = "about 900"
    path = tmp_path / "disagree.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    code, out, _ = run("check", str(path))
    assert code == 0
    assert out.startswith("No findings. Sources that disagree on a figure are not findings")
    assert "`vzdetain compare` lists them as conflicts" in out
    _, es, _ = run("check", str(path), "--lang", "es")
    assert es.startswith("Sin hallazgos. Las fuentes que discrepan")
    assert run("compare", str(path), "-m", "political_prisoners", "--strict")[0] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--policy", "preferred"), "--policy preferred needs --prefer: source ids"),
        (
            ("--policy", "preferred", "--prefer", "clipve"),
            "--prefer: unknown source id 'clipve'; known: clippve,",
        ),
        (
            ("-m", "political_prisoners", "--since", "2026-01-01"),
            "--since: political_prisoners is a stock",
        ),
    ],
)
def test_compare_usage_errors_name_the_flag(argv: tuple[str, ...], message: str) -> None:
    code, out, err = run("compare", *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_compare_says_when_no_tally_counts_the_group_asked_for() -> None:
    _, out, _ = run("compare", "-m", "political_prisoners", "--subgroup", "edad=menor")
    assert out.rstrip().endswith(
        "No tally of political prisoners counts the group edad=menor, nor any other group."
    )
    _, out, _ = run("compare", "-m", "political_prisoners")
    assert "counts the group" not in out


def test_spanish_comparison_tables_translate_basis_bound_and_policy() -> None:
    _, out, _ = run("compare", "-m", "political_prisoners", "--lang", "es")
    assert "verificada" in out
    assert "verified" not in out
    (row,) = [line for line in out.splitlines() if line.startswith("clippve")]
    # "more than 1,345" bounds political prisoners from above, but sets no limit
    assert row.split()[-3:] == ["superior", "sin", "límite"]
    assert "(conservadora)" in out
    header = [line for line in out.splitlines() if line.startswith("fuente   medida")]
    assert header[0].split()[-2:] == ["cota", "estado"]
    # English keeps the values of the files and flags
    _, en, _ = run("compare", "-m", "political_prisoners")
    assert "  verified  " in en
    assert "(conservative)" in en
    (row,) = [line for line in en.splitlines() if line.startswith("clippve")]
    assert row.split()[-3:] == ["upper", "no", "limit"]


def test_stalls_say_when_the_sources_asked_for_have_no_release_figures() -> None:
    _, out, _ = run("stalls", "--sources", "clippve")
    assert out == (
        "No stall found: no verified release figures of the sources asked for "
        "(--basis adds others).\n"
    )
    _, out, _ = run("stalls", "--sources", "clippve", "--basis", "announced,verified")
    assert out == (
        "No stall found: no release figures of the sources asked for on the bases asked for.\n"
    )
    _, out, _ = run("stalls", "--basis", "announced")
    assert out == "No stall found: no release figures on the bases asked for.\n"
    _, out, _ = run("stalls", "--min-days", "3")
    assert out == "No stall found.\n"


@pytest.mark.parametrize("command", ["compare", "stalls"])
def test_json_instants_read_with_fromisoformat(command: str) -> None:
    import datetime as dt
    import re
    from collections.abc import Iterator

    _, out, _ = run(command, "--json")

    def texts(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from texts(v)
        elif isinstance(value, list):
            for v in value:
                yield from texts(v)

    instants = [t for t in texts(json.loads(out)) if re.fullmatch(r"\d{4}-\d\d-\d\dT[^ ]+", t)]
    assert instants
    for text in instants:
        assert dt.datetime.fromisoformat(text).tzinfo is not None, text


def _with_government_releases(tmp_path: Path, *tallies: dict[str, str]) -> Path:
    """The bundled example plus a report of the government's release figures."""
    obj = json.loads(json.dumps(unstructure(venezuela_2026_01())))
    obj["reports"].append(
        {
            "id": "gov-1",
            "publisher": "gobierno-venezuela",
            "published": "2026-01-21",
            "language": "es",
            "tallies": [
                {"source": "gobierno-venezuela", "measure": "releases", **t} for t in tallies
            ],
        }
    )
    path = tmp_path / "gov.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_the_days_since_line_reads_the_same_figures_as_the_table(tmp_path: Path) -> None:
    path = _with_government_releases(
        tmp_path,
        {"count": "5", "as_of": "2026-01-09", "period_start": "2026-01-01", "basis": "announced"},
        {"count": "0", "as_of": "2026-01-16", "period_start": "2026-01-10", "basis": "announced"},
    )
    _, out, _ = run("stalls", str(path), "--basis", "announced")
    (row,) = [line for line in out.splitlines() if line.startswith("2026-01-10")]
    assert row.split()[1] == "ongoing"
    assert "  7 d 0 h 0 min  7  " in row
    assert out.rstrip().endswith(
        "Days without a release as of 2026-01-17T00:00-04:00: 7 (confirmed)"
    )


def test_a_flow_is_compared_by_default_at_the_latest_cut_off_of_its_own_period(
    tmp_path: Path,
) -> None:
    # a later figure over another period must not set the time compared
    path = _with_government_releases(
        tmp_path,
        {"count": "300", "as_of": "2026-01-20", "period_start": "2026-01-10", "basis": "announced"},
    )
    _, out, _ = run("compare", str(path), "-m", "releases")
    assert out.startswith("Comparison: releases @ 2026-01-19T21:45-04:00 (since 2026-01-08)")
    assert "Beware" not in out
    _, out, _ = run("compare", str(path), "-m", "releases", "--since", "2026-01-10")
    assert out.startswith("Comparison: releases @ 2026-01-20 (since 2026-01-10)")


def test_the_default_period_and_time_of_a_flow_go_together(tmp_path: Path) -> None:
    from vzdetain import Count, Dataset, Report, Tally, When

    def flow(rid: str, src: str, start: str, cut: str) -> Report:
        t = Tally("releases", Count.parse("10"), When.parse(cut), period_start=When.parse(start))
        return Report(rid, src, When.parse("2026-01-31"), [t])

    # three sources count from 1 January (one of them up to 28 January), two from 20 January
    ds = Dataset(
        [
            flow("a", "jep", "2026-01-01", "2026-01-02"),
            flow("b", "ovp", "2026-01-01", "2026-01-03"),
            flow("c", "foro-penal", "2026-01-01", "2026-01-28"),
            flow("d", "provea", "2026-01-20", "2026-01-30"),
            flow("e", "foro-penal", "2026-01-20", "2026-01-30"),
        ]
    )
    path = tmp_path / "flows.json"
    dump(ds, path)
    _, out, _ = run("compare", str(path), "-m", "releases")
    # the period most sources share, compared at its own latest cut-off: nothing to warn
    assert out.startswith("Comparison: releases @ 2026-01-28 (since 2026-01-01)")
    assert "Beware" not in out


def _empty_dataset(tmp_path: Path) -> Path:
    path = tmp_path / "empty.json"
    empty = {
        "format": "vzdetain-dataset",
        "version": 1,
        "title": "nothing yet",
        "timezone": "America/Caracas",
        "sources": [],
        "reports": [],
    }
    path.write_text(json.dumps(empty), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("as_json", [False, True])
def test_every_command_runs_on_an_empty_dataset(
    tmp_path: Path, command: str, as_json: bool
) -> None:
    code, out, err = run(command, str(_empty_dataset(tmp_path)), *(["--json"] if as_json else []))
    assert (code, err) == (0, "")
    if as_json:
        json.loads(out)
    else:
        assert out.strip()


def test_compare_json_is_a_list_for_every_measure_and_an_object_for_one(tmp_path: Path) -> None:
    """The shape follows the command line, never the data: a one-measure dataset still
    gives a list without -m."""
    _, out, _ = run("compare", str(_empty_dataset(tmp_path)), "--json")
    assert json.loads(out) == []
    assert run("compare", str(_empty_dataset(tmp_path)))[1] == "No figures to compare.\n"
    ds = venezuela_2026_01()
    report = ds.reports[0]
    prisoners = [t for t in report.tallies if t.measure == "political_prisoners"]
    one = tmp_path / "one.json"
    dump(attrs.evolve(ds, reports=(attrs.evolve(report, tallies=tuple(prisoners)),)), one)
    listed = json.loads(run("compare", str(one), "--json")[1])
    assert [c["measure"] for c in listed] == ["political_prisoners"]
    single = json.loads(run("compare", str(one), "-m", "political_prisoners", "--json")[1])
    assert single["measure"] == "political_prisoners"


def test_stalls_with_only_zero_statements_says_at_least_not_none(tmp_path: Path) -> None:
    zero = vz_tally("releases", 0, "2026-01-19T21:45-04:00", period_start="2026-01-10")
    path = tmp_path / "zero.json"
    dump(Dataset((Report("r1", "foro-penal", When.parse("2026-01-20"), (zero,)),)), path)
    for lang, expected in (
        ("en", "Days without a release as of 2026-01-19T21:45-04:00: at least 9 (confirmed)"),
        ("es", "Días sin excarcelaciones al 2026-01-19T21:45-04:00: al menos 9 (confirmada)"),
    ):
        code, out, _ = run("stalls", str(path), "--lang", lang)
        assert code == 0
        assert expected in out
        assert "None" not in out
    # a later window start gives a lower bound still: "at least" the days it shows
    _, out, _ = run("stalls", str(path), "--start", "2026-01-16")
    assert "at least 3 (confirmed): no figure places a release before then." in out


def test_conditions_table_says_how_often_in_words(tmp_path: Path) -> None:
    every = ReleaseCondition(ConditionKind.PERIODIC_PRESENTATION, every=pendulum.duration(days=30))
    freed = vz_tally("releases", 143, "2026-01-19", period_start="2026-01-08", conditions=(every,))
    path = tmp_path / "cond.json"
    dump(Dataset((Report("r1", "foro-penal", When.parse("2026-01-20"), (freed,)),)), path)
    _, out, _ = run("conditions", str(path))
    assert "every" in out.splitlines()[-3]
    assert "30 days" in out.splitlines()[-1]
    _, out, _ = run("conditions", str(path), "--lang", "es")
    assert "30 días" in out
    assert "P30D" not in out
    _, out, _ = run("conditions")  # no periodic condition: no such column
    assert "every" not in out


def vz_tally(measure: str, n: int, as_of: str, **kw: Any) -> Tally:
    if "period_start" in kw:
        kw["period_start"] = When.parse(kw["period_start"])
    return Tally(measure, Count.exact(n), When.parse(as_of), basis=Basis.VERIFIED, **kw)


def test_validate_names_the_file_of_a_single_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run("validate", str(bad), "--json")
    assert code == 2
    (result,) = json.loads(out)
    assert result["file"] == str(bad)
    assert not result["problems"][0].startswith(str(bad))  # the file has its own key
    _, _, err = run("validate", str(bad))
    assert err.startswith(f"vzdetain validate: {bad}: line 1 column 2: malformed JSON")


def test_check_json_speaks_the_language_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "decrease.json"
    tallies = (
        vz_tally("releases", 150, "2026-01-12", period_start="2026-01-08"),
        vz_tally("releases", 140, "2026-01-19", period_start="2026-01-08"),
    )
    dump(Dataset((Report("r1", "foro-penal", When.parse("2026-01-20"), tallies),)), path)
    english = json.loads(run("check", str(path), "--json")[1])
    spanish = json.loads(run("check", str(path), "--json", "--lang", "es")[1])
    assert [f["kind"] for f in english] == [f["kind"] for f in spanish] == ["cumulative_decrease"]
    assert english[0]["message"].startswith("Cumulative releases since 8 Jan 2026")
    assert "excarcelaciones" in spanish[0]["message"]
    assert "8 ene 2026" in spanish[0]["message"]


def test_compare_prints_the_range_the_related_figures_leave(tmp_path: Path) -> None:
    rows = (
        "report_id,publisher,published,language,source,measure,count,as_of,period_start,basis\n"
        "r1,foro-penal,2026-02-01,en,,political_prisoners,777,2026-02-01,,verified\n"
        "r2,clippve,2026-02-01,en,,arbitrarily_detained,hundreds,2026-02-01,,verified\n"
    )
    path = tmp_path / "bounds.csv"
    path.write_text(rows, encoding="utf-8")
    code, out, err = run("compare", str(path), "-m", "arbitrarily_detained")
    assert code == 0, err
    assert "low: 200" in out
    assert "with the related figures as bounds: [777, 999]" in out
    code, out, err = run("compare", str(path), "-m", "arbitrarily_detained", "--json")
    assert json.loads(out)["bounded"]["low"] == 777


def test_a_file_alone_prints_its_summary_and_errors_name_the_command(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        "report_id,publisher,published,source,measure,count,as_of\n"
        "r1,foro-penal,2026-02-01,,political_prisoners,777,2026-02-01\n",
        encoding="utf-8",
    )
    code, out, err = run(str(path))
    assert code == 0, err
    assert "political_prisoners" in out
    assert "777" in out
    code, out, err = run(str(path), "--timezone", "UTC")
    assert code == 0, err
    assert "time zone: UTC" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "report_id,publisher,published,source,measure,count,as_of\n"
        "r1,foro-penal,2026-02-01,,political_prisoners,many many,2026-02-01\n",
        encoding="utf-8",
    )
    code, _, err = run("compare", str(bad))
    assert code == 2
    assert err.startswith(f"vzdetain compare: {bad}")
    # --strict only where something can be found
    assert run("stalls", "--strict")[0] == 2


def test_timeline_plot_to_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code, _, err = run("timeline", "--plot", str(tmp_path / "chart.txt"))
    assert code == 2
    assert err.startswith("vzdetain timeline: --plot: Format 'txt' is not supported")
    assert "Traceback" not in err


def test_compare_json_carries_the_explanation_in_the_language_asked_for() -> None:
    code, out, err = run("compare", "-m", "political_prisoners", "--json", "--lang", "es")
    assert code == 0, err
    got = json.loads(out)
    assert got["explanation"][0].startswith("Comparación de presos políticos")
    code, out, _ = run("compare", "--json")
    assert all(c["explanation"][0].startswith("Comparing ") for c in json.loads(out))


def test_conditions_says_why_it_is_empty_and_takes_basis(tmp_path: Path) -> None:
    path = tmp_path / "unstated.csv"
    path.write_text(
        "report_id,publisher,published,source,measure,count,as_of,period_start,"
        "release_kind,conditions\n"
        "r1,foro-penal,2026-01-20,,releases,143,2026-01-19,2026-01-08,conditional,travel_ban\n",
        encoding="utf-8",
    )
    code, out, err = run("conditions", str(path))
    assert code == 0, err
    assert "no verified release figures" in out
    assert "(the figures with kinds or conditions are unstated: --basis unstated shows them)" in out
    code, out, err = run("conditions", str(path), "--basis", "verified,unstated")
    assert code == 0, err
    assert "conditional release  143" in out
    assert "ban on leaving the country" in out
    assert run("conditions", "--basis", "sure")[0] == 2
    for command in ("conditions", "stalls"):
        code, _, err = run(command, "--basis", "")
        assert code == 2
        assert f"vzdetain {command}: --basis: comma-separated values of verified, " in err
    code, out, _ = run("conditions", "--basis", "planned")
    assert "--basis verified shows them" in out


def test_option_errors_name_the_option() -> None:
    code, _, err = run("compare", "--prefer", "clippve")
    assert code == 2
    assert err == "vzdetain compare: --prefer: a priority applies only with --policy preferred\n"
    code, _, err = run("stalls", "--start", "2026-01-20", "--end", "2026-01-10")
    assert code == 2
    assert "--start: 2026-01-20 is not before --end 2026-01-10" in err
    code, _, err = run("stalls", "--sources", "nobody")
    assert code == 2
    assert "--sources: unknown source id 'nobody'; known: clippve, " in err


def test_timeline_plot_names_the_file_it_wrote(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code, out, err = run("timeline", "--plot", str(tmp_path / "chart"))
    assert code == 0, err
    assert out == f"wrote {tmp_path / 'chart.png'}\n"
    assert (tmp_path / "chart.png").exists()
