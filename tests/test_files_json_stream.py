"""JSON read a chunk at a time: the same datasets and problems as parsing the whole text.

The reference, ``_whole``, is how JSON was read before it was streamed: ``json.loads`` on
the whole text, keys given twice located by walking the whole tree, then
``dataset_from_obj``. Tiny chunks put a chunk boundary everywhere.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vzdetain import Dataset, LoadResult, files, load
from vzdetain import testing as vzst
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import LoadError, Problem
from vzdetain.files import dataset_from_obj, dumps_json, loads_json

TMP_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
REPEATED = "key appears more than once in the object"
Outcome = Dataset | LoadResult | tuple[Problem, ...]


def _whole(text: str, origin: str) -> Outcome:
    """What loading ``text`` gives when it is parsed whole first (the reference)."""
    repeated: list[tuple[dict[str, Any], str]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        keys = [k for k, _ in pairs]
        again = [k for i, k in enumerate(keys) if k in keys[:i]]
        repeated.extend((d, k) for k in dict.fromkeys(again))
        return d

    try:
        obj = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}"
        return (Problem(at, "", text[exc.pos : exc.pos + 20], f"malformed JSON: {exc.msg}"),)
    except ValueError as exc:
        return (Problem("$", "", None, f"unreadable JSON: {str(exc).split(';')[0]}"),)
    except RecursionError:
        return (Problem("$", "", None, "JSON nested too deeply"),)
    if repeated:
        paths: dict[int, str] = {}
        stack: list[tuple[Any, str]] = [(obj, "$")]
        while stack:
            node, path = stack.pop()
            paths[id(node)] = path
            if isinstance(node, dict):
                stack.extend((v, f"{path}.{k}") for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node))
        return tuple(Problem(paths.get(id(d), "$"), k, k, REPEATED) for d, k in repeated)
    return _outcome(lambda: dataset_from_obj(obj, origin=origin, errors="collect"))


def _outcome(read: Any) -> Outcome:
    try:
        result: Dataset | LoadResult = read()
    except LoadError as exc:
        return exc.problems
    return result


@contextlib.contextmanager
def _chunk(size: int) -> Iterator[None]:
    """Files read ``size`` characters at a time."""
    with mock.patch.object(files, "_JSON_CHUNK", size):
        yield


def _from_file(path: Path, size: int) -> Outcome:
    with _chunk(size):
        return _outcome(lambda: load(path, errors="collect"))


def _from_pieces(text: str, cuts: list[int], origin: str = "<string>") -> Outcome:
    """Load ``text`` given in pieces cut at ``cuts`` (empty pieces included)."""
    ends = sorted(cuts)
    pieces = [text[a:b] for a, b in zip([0, *ends], [*ends, len(text)], strict=True)]
    return _outcome(lambda: files._loads_json(iter(pieces), origin, "collect", decoded=False))


def _write(tmp_path: Path, text: str, name: str = "ds.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))  # line ends as given
    return path


def _big(n: int = 40) -> Dataset:
    """A dataset of ``n`` reports: a file many tiny chunks long."""
    ds = venezuela_2026_01()
    reports = [attrs.evolve(ds.reports[k % 2], id=f"r{k}") for k in range(n)]
    return attrs.evolve(ds, reports=tuple(reports))


# ---------------------------------------------------------------------- valid datasets


@TMP_OK
@given(ds=vzst.datasets(), size=st.integers(1, 64))
def test_tiny_chunks_load_the_dataset_dumped(tmp_path: Path, ds: Dataset, size: int) -> None:
    text = dumps_json(ds)
    path = _write(tmp_path, text)
    assert load(path) == ds
    with _chunk(size):
        assert load(path) == ds
    assert dataset_from_obj(json.loads(text)) == ds


@given(ds=vzst.datasets(), cuts=st.lists(st.integers(0, 10**6), max_size=12))
def test_text_in_any_pieces_loads_as_whole(ds: Dataset, cuts: list[int]) -> None:
    text = json.dumps(json.loads(dumps_json(ds)))  # on one line, as the benchmark files
    cuts = [c % (len(text) + 1) for c in cuts]
    assert _from_pieces(text, cuts) == _whole(text, "<string>") == LoadResult(ds, ())


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
def test_a_number_cut_by_a_chunk_is_read_whole(tmp_path: Path, size: int) -> None:
    text = '{"timezone": "UTC", "reports": [123, 4.5e+6, -78]}'
    found = _from_file(_write(tmp_path, text), size)
    assert isinstance(found, LoadResult)
    assert [p.value for p in found.problems] == [123, 4.5e6, -78]


_VALUES = '{"timezone": "UTC", "reports": [1234567, 1.5e-3, "\\u00e9\\ud83d\\ude00", true]}'


@pytest.mark.parametrize("cut", range(len(_VALUES) + 1))
def test_a_value_cut_anywhere_is_read_whole(cut: int) -> None:
    found = _from_pieces(_VALUES, [cut])
    assert found == _whole(_VALUES, "<string>")
    assert isinstance(found, LoadResult)
    assert [p.value for p in found.problems] == [1234567, 1.5e-3, "\u00e9\U0001f600", True]


def test_a_long_report_spans_many_chunks(tmp_path: Path) -> None:
    ds = venezuela_2026_01()
    r = ds.reports[0]
    long = attrs.evolve(r, tallies=(attrs.evolve(r.tallies[0], quote="q" * 50_000),))
    ds = attrs.evolve(ds, reports=(long, *ds.reports[1:]))
    assert _from_file(_write(tmp_path, dumps_json(ds)), 16) == LoadResult(ds, ())


@TMP_OK
@given(order=st.permutations(sorted(files._TOP_KEYS)), size=st.sampled_from([1, 5, 64, 1 << 20]))
def test_top_level_keys_in_any_order(tmp_path: Path, order: list[str], size: int) -> None:
    ds = attrs.evolve(venezuela_2026_01(), timezone="Asia/Kathmandu")  # the zone matters
    obj = json.loads(dumps_json(ds))
    text = json.dumps({k: obj[k] for k in order}, indent=2)
    path = _write(tmp_path, text)
    assert _from_file(path, size) == LoadResult(ds, ())


def test_reports_before_the_zone_are_read_in_it() -> None:
    ds = attrs.evolve(venezuela_2026_01(), timezone="Pacific/Chatham")
    obj = json.loads(dumps_json(ds))
    text = json.dumps({"reports": obj.pop("reports"), **obj})
    assert loads_json(text) == ds
    no_zone = json.loads(dumps_json(venezuela_2026_01()))
    del no_zone["timezone"]
    assert loads_json(json.dumps(no_zone)) == venezuela_2026_01()


class _Counted:
    """Pieces of text, counting those read."""

    def __init__(self, text: str, size: int) -> None:
        self.pieces = [text[i : i + size] for i in range(0, len(text), size)]
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for piece in self.pieces:
            self.read += 1
            yield piece


def _pieces_read_at_each_report(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[int]]:
    counted = _Counted(text, 100)
    seen: list[int] = []
    add = files._JsonReports.add

    def spy(self: files._JsonReports, loc: str, raw: Any, *, texts_checked: bool) -> None:
        seen.append(counted.read)
        add(self, loc, raw, texts_checked=texts_checked)

    monkeypatch.setattr(files._JsonReports, "add", spy)
    files._loads_json(iter(counted), "<string>", "raise", decoded=True)
    return len(counted.pieces), seen


def test_each_report_is_built_as_soon_as_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    total, seen = _pieces_read_at_each_report(dumps_json(_big()), monkeypatch)
    assert len(seen) == 40
    assert seen == sorted(seen)
    assert seen[0] < total / 10  # the first report is built long before the end
    assert seen[-2] < total


def test_reports_before_the_zone_are_built_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    obj = json.loads(dumps_json(_big()))
    text = json.dumps({"reports": obj.pop("reports"), **obj})
    total, seen = _pieces_read_at_each_report(text, monkeypatch)
    assert seen == [total] * 40


# ---------------------------------------------------------------------- malformed JSON


def _laid_out(ds: Dataset, layout: str) -> str:
    """The JSON text of ``ds``: as dumped, with CRLF line ends, or a report a line."""
    text = dumps_json(ds)
    if layout == "crlf":
        return text.replace("\n", "\r\n")
    if layout == "a report a line":
        obj = json.loads(text)
        reports = ",\n  ".join(json.dumps(r) for r in obj.pop("reports"))
        return json.dumps(obj)[:-1] + ', "reports": [\n  ' + reports + "\n]}\n"
    return text


_MUTATIONS = st.text(alphabet='{}[],:"\\ \n\r\t0123456789-.eEtfnul', min_size=0, max_size=3)


@TMP_OK
@given(
    ds=vzst.datasets(max_reports=3),
    at=st.integers(0, 10**6),
    cut=st.integers(0, 3),
    put=_MUTATIONS,
    size=st.integers(1, 64),
    layout=st.sampled_from(["indented", "a report a line", "crlf"]),
)
def test_a_damaged_file_gets_what_the_whole_text_gets(
    tmp_path: Path, ds: Dataset, at: int, cut: int, put: str, size: int, layout: str
) -> None:
    text = _laid_out(ds, layout)
    at %= len(text) + 1
    damaged = text[:at] + put + text[at + cut :]
    path = _write(tmp_path, damaged)
    expected = _whole(path.read_text(encoding="utf-8-sig"), str(path))
    assert _from_file(path, size) == expected


@given(
    ds=vzst.datasets(max_reports=3),
    at=st.integers(0, 10**6),
    cut=st.integers(0, 3),
    put=_MUTATIONS,
    cuts=st.lists(st.integers(0, 10**6), max_size=8),
)
def test_damaged_text_in_pieces_gets_what_the_whole_text_gets(
    ds: Dataset, at: int, cut: int, put: str, cuts: list[int]
) -> None:
    text = json.dumps(json.loads(dumps_json(ds)))
    at %= len(text) + 1
    damaged = text[:at] + put + text[at + cut :]
    assume(damaged != text)
    cuts = [c % (len(damaged) + 1) for c in cuts]
    assert _from_pieces(damaged, cuts) == _whole(damaged, "<string>")


@pytest.mark.parametrize("layout", ["indented", "a report a line"])
def test_malformed_json_far_into_a_file_is_located_in_the_whole_file(
    tmp_path: Path, layout: str
) -> None:
    text = _laid_out(_big(), layout)
    at = text.index('"count"', len(text) * 3 // 4)
    damaged = text[:at] + text[at + 1 :]  # the key's opening quote dropped
    path = _write(tmp_path, damaged)
    line = damaged.count("\n", 0, at) + 1
    column = at - damaged.rfind("\n", 0, at)
    expected = Problem(
        f"line {line} column {column}",
        "",
        damaged[at : at + 20],
        "malformed JSON: Expecting property name enclosed in double quotes",
    )
    for size in [*range(1, 100, 7), 1 << 20]:
        assert _from_file(path, size) == (expected,)
    line_start = damaged.rfind("\n", 0, at) + 1
    for cut in range(line_start - 3, at + 3):  # text read on from the line of the error
        assert _from_pieces(damaged, [cut], str(path)) == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\ufeff{}",
        "{} x",
        "{",
        '{"reports": [',
        '{"reports": [{}, ]}',
        '{"reports": [{} {}]}',
        '{"reports" []}',
        '{"timezone": "UTC",}',
        '{"timezone": "UTC" "reports": []}',
        '{"reports": [], }',
        "[1, 2",
        '"a string"',
        "7",
    ],
)
@pytest.mark.parametrize("size", [1, 3, 1 << 20])
def test_malformed_at_the_top_level(tmp_path: Path, text: str, size: int) -> None:
    path = _write(tmp_path, text)
    assert _from_file(path, size) == _whole(path.read_text(encoding="utf-8-sig"), str(path))
    assert _from_pieces(text, [size]) == _whole(text, "<string>")


@pytest.mark.parametrize("size", [1, 64, 1 << 20])
def test_unreadable_json_in_a_report(tmp_path: Path, size: int) -> None:
    for text in (
        '{"timezone": "UTC", "reports": [' + "9" * 5000 + "]}",
        '{"timezone": "UTC", "reports": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    ):
        path = _write(tmp_path, text)
        found = _from_file(path, size)
        assert found == _whole(text, str(path))
        assert isinstance(found, tuple)
        assert found[0].message in (
            "unreadable JSON: Exceeds the limit (4300 digits) for integer string conversion: "
            "value has 5000 digits",
            "JSON nested too deeply",
        )


# ---------------------------------------------------------------------- repeated keys


def test_a_key_repeated_deep_in_the_file(tmp_path: Path) -> None:
    obj = json.loads(dumps_json(_big()))
    tally = json.dumps(obj["reports"][33]["tallies"][0])
    obj["reports"][33]["tallies"][0] = "@@"
    twice = tally[:-1] + ', "measure": "x", "quote": "a", "quote": "b"}'
    text = json.dumps(obj, indent=2).replace('"@@"', twice)
    path = _write(tmp_path, text)
    expected = (
        Problem("$.reports[33].tallies[0]", "measure", "measure", REPEATED),
        Problem("$.reports[33].tallies[0]", "quote", "quote", REPEATED),
    )
    assert _whole(text, str(path)) == expected
    assert _from_file(path, 7) == expected
    assert _from_file(path, 1 << 20) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"title": "a", "title": "b", "reports": []}',
        '{"timezone": "UTC", "reports": [{"id": 1, "id": 2}], "reports": [{"b": 1, "b": 2}]}',
        '{"timezone": "UTC", "reports": [{"a": {"b": 1, "b": 2}}], "reports": []}',
        '{"reports": [{"a": {"b": 1, "b": 2}}], "timezone": "UTC", "timezone": "UTC"}',
        '{"sources": [{"x": 1, "x": 2}], "reports": [{"a": {"b": 1, "b": 2}, "a": 3}]}',
        '[{"a": 1, "a": 2}, {"b": [{"c": 1, "c": 1}]}]',
        '{"timezone": "UTC", "reports": [{"a": [{"b": {"c": 1, "c": 2}}], "d": 1, "d": 2}]}',
    ],
)
@pytest.mark.parametrize("size", [1, 4, 1 << 20])
def test_repeated_keys_are_located_as_before(tmp_path: Path, text: str, size: int) -> None:
    path = _write(tmp_path, text)
    expected = _whole(text, str(path))
    assert isinstance(expected, tuple)
    assert all(p.message == REPEATED for p in expected)
    assert _from_file(path, size) == expected


# ---------------------------------------------------------------------- text and bytes


def test_a_byte_that_is_not_utf8_far_into_the_file_is_located(tmp_path: Path) -> None:
    data = dumps_json(_big()).encode()
    at = len(data) * 3 // 4
    at = data.index(b'"quote"', at) + 3
    path = tmp_path / "bad.json"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    for size in (64, 1 << 20):
        assert _from_file(path, size) == (Problem(f"byte {at}", "", None, "not UTF-8 text"),)


def test_a_byte_that_is_not_utf8_wins_over_malformed_json_before_it(tmp_path: Path) -> None:
    data = dumps_json(_big()).encode()
    path = tmp_path / "bad.json"
    path.write_bytes(b"{ oops" + data[1:] + b"\xc3(")
    assert _from_file(path, 64) == (Problem(f"byte {len(data) + 5}", "", None, "not UTF-8 text"),)


def test_a_bom_is_skipped(tmp_path: Path) -> None:
    ds = venezuela_2026_01()
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_json(ds).encode())
    for size in (1, 64, 1 << 20):
        assert _from_file(path, size) == LoadResult(ds, ())
    path.write_bytes(b"\xef\xbb\xbf" + dumps_json(ds).encode() + b"\xff")
    with pytest.raises(UnicodeDecodeError) as info:
        path.read_text(encoding="utf-8-sig")
    expected = (Problem(f"byte {info.value.start}", "", None, "not UTF-8 text"),)
    assert _from_file(path, 64) == expected  # as the whole file's decoding says


@pytest.mark.parametrize("lone", [[0xD800], [0xDFFF], [0x78, 0xDC00, 0xD800]])
def test_a_lone_surrogate_is_a_problem_of_its_report_only(tmp_path: Path, lone: list[int]) -> None:
    obj = json.loads(dumps_json(_big(6)))
    obj["reports"][4]["tallies"][0]["quote"] = "".join(map(chr, lone))
    late = {"reports": obj["reports"]} | obj  # the reports kept, then built
    for text in (json.dumps(obj), json.dumps(late)):
        for found in (
            _from_pieces(text, [len(text) // 3, len(text) // 2]),  # escaped
            _from_pieces(json.dumps(json.loads(text), ensure_ascii=False), [99]),  # as is
            _from_file(_write(tmp_path, text), 64),
        ):
            assert isinstance(found, LoadResult)
            assert [p.location for p in found.problems] == ["$.reports[4].tallies[0]"]
            assert [p.message for p in found.problems] == ["not valid Unicode text"]


def test_line_ends_are_read_as_python_reads_them(tmp_path: Path) -> None:
    text = '{\r\n"timezone":\r"UTC",\n\r\n  "reports": [\r\n  1 2]}'
    path = _write(tmp_path, text)
    expected = _whole(path.read_text(encoding="utf-8-sig"), str(path))
    assert isinstance(expected, tuple)
    assert expected[0].location == "line 6 column 5"
    for size in (1, 2, 1 << 20):
        assert _from_file(path, size) == expected


def test_the_measure_and_source_of_tallies_are_kept_once(tmp_path: Path) -> None:
    ds = load(_write(tmp_path, dumps_json(_big(6))))
    tallies = [t for r in ds.reports for t in r.tallies]
    assert len({id(t.measure) for t in tallies}) == len({t.measure for t in tallies})
    assert len({id(t.source) for t in tallies}) == len({t.source for t in tallies})
