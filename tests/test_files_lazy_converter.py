"""Reading CSV without the converter: same results, and cattrs left unimported.

Release conditions and sidecar sources and measures of plain text are built directly; any
other value goes to the converter. The laws: whenever the direct path builds a value, the
converter builds an equal one, and whenever the converter rejects a value, so does the
direct path (it hands the value over, and the converter names the problem).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vzdetain import serialize
from vzdetain.counts import Count
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import LoadError, ValidationError
from vzdetain.files import (
    _CONDITIONS_TYPE,
    _conditions,
    _LazyConverter,
    _sidecar_record,
    dump,
    load,
)
from vzdetain.model import ConditionKind, Measure, MeasureKind, Source, SourceKind, Tally
from vzdetain.serialize import converter_for
from vzdetain.when import When

TZ = "America/Caracas"

TEXTS = st.sampled_from(["", "weekly", "cada 15 días", "\ud800", " ", "x" * 50])
ODD = st.sampled_from([None, 7, 1.5, True, ["a"], {"k": "v"}])


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        return ("ok", build())
    except Exception as exc:  # what the converter raises varies: only that it raised counts
        return ("error", type(exc).__name__)


def _condition() -> st.SearchStrategy[Any]:
    kinds = st.sampled_from([k.value for k in ConditionKind] + ["curfew", "", "TRAVEL_BAN"])
    fields = st.fixed_dictionaries(
        {"kind": kinds | ODD},
        optional={
            "note": TEXTS | ODD,
            "applies_to": st.sampled_from([Count.exact(3), Count.parse("more than 10")]) | ODD,
            "every": st.sampled_from(["P15D", "P1W", "soon"]),
            "other": TEXTS,
        },
    )
    return fields | ODD


@given(st.lists(_condition(), max_size=3))
def test_conditions_match_the_converter(items: list[Any]) -> None:
    conv = converter_for(TZ)
    expected = _outcome(lambda: conv.structure(items, _CONDITIONS_TYPE))
    got = _outcome(lambda: _conditions(items, _LazyConverter(TZ)))
    assert got == expected


def _source_row() -> st.SearchStrategy[dict[str, Any]]:
    kinds = st.sampled_from([k.value for k in SourceKind] + ["NGO", "think-tank", ""])
    return st.fixed_dictionaries(
        {},
        optional={
            "id": st.sampled_from(["foro-penal", "Foro Penal", ""]) | ODD,
            "name": TEXTS | ODD,
            "kind": kinds | ODD,
            "url": st.sampled_from(["https://example.org", " ", ""]) | ODD,
            "notes": TEXTS | ODD,
            "within": st.just(["x"]),
        },
    )


def _measure_row() -> st.SearchStrategy[dict[str, Any]]:
    kinds = st.sampled_from([k.value for k in MeasureKind] + ["Stock", ""])
    names = st.sampled_from(["detained", "political_prisoners", "Bad Name", ""])
    return st.fixed_dictionaries(
        {},
        optional={
            "name": names | ODD,
            "kind": kinds | ODD,
            "description": TEXTS | ODD,
            "within": st.lists(names | ODD, max_size=2) | TEXTS,
            "url": TEXTS,
            "label_en": st.sampled_from(["cases", " cases", ""]) | TEXTS | ODD,
            "label_es": st.sampled_from(["casos", "casos\n", ""]) | ODD,
            "feminine_es": st.sampled_from([True, False, "true", 0, 1, None]),
        },
    )


@given(
    st.one_of(_source_row().map(lambda r: (Source, r)), _measure_row().map(lambda r: (Measure, r)))
)
def test_sidecar_records_match_the_converter(case: tuple[type[Any], dict[str, Any]]) -> None:
    cls, raw = case
    conv = converter_for(TZ)
    expected = _outcome(lambda: conv.structure(raw, cls))
    got = _outcome(lambda: _sidecar_record(raw, cls, _LazyConverter(TZ)))
    assert got == expected


def test_plain_records_are_built_without_the_converter() -> None:
    class NoConverter(_LazyConverter):
        def structure(self, value: Any, cl: Any) -> Any:
            raise AssertionError(f"the converter was asked for {value!r}")

    conv = NoConverter(TZ)
    got = _sidecar_record({"id": "ngo-01", "name": "NGO 1", "kind": "ngo"}, Source, conv)
    assert got == Source("ngo-01", "NGO 1", SourceKind.NGO)
    raw = {"name": "minors", "kind": "stock", "within": ["political_prisoners"]}
    assert _sidecar_record(raw, Measure, conv) == Measure(
        "minors", MeasureKind.STOCK, within=("political_prisoners",)
    )
    conditions = _conditions([{"kind": "travel_ban"}, {"kind": "media_gag"}], conv)
    assert [c.kind for c in conditions] == [ConditionKind.TRAVEL_BAN, ConditionKind.MEDIA_GAG]


def test_reading_csv_does_not_import_cattrs(tmp_path: Path) -> None:
    path = tmp_path / "example.csv"
    dump(venezuela_2026_01(), path)
    # the rows carry release conditions, and the sources and measures sidecars exist
    assert "travel_ban" in path.read_text(encoding="utf-8")
    assert (tmp_path / "example.sources.csv").exists()
    assert (tmp_path / "example.measures.csv").exists()
    code = (
        "import sys\n"
        "from vzdetain.files import load\n"
        "from vzdetain.reconcile import compare\n"
        f"ds = load({str(path)!r})\n"
        "assert ds.sources and ds.measures\n"
        "assert any(t.conditions for _, t in ds.tallies())\n"
        "compare(ds, 'political_prisoners', '2026-01-19')\n"
        "print('cattrs' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


@attrs.frozen(slots=True)
class _OwnTally(Tally):
    extra: int = 0


@attrs.frozen(slots=True)
class _OwnSource(Source):
    pass


def test_record_hooks_made_on_first_use_serve_subclasses_first() -> None:
    """The record hooks, generated on first use, are registered for their classes as
    eager hooks are: a subclass uses its base's, and predicate hooks come after them."""
    conv = serialize._make(TZ)
    at = When.parse("2026-01-19", tz=TZ)
    base = Tally("political_prisoners", Count.exact(777), at, source="foro-penal")
    own = _OwnTally("political_prisoners", Count.exact(777), at, source="foro-penal", extra=3)
    assert conv.unstructure(own, _OwnTally) == conv.unstructure(base, Tally)
    assert list(conv.unstructure(own, _OwnTally)) == ["source", "measure", "count", "as_of"]
    with pytest.raises(ValidationError, match="must be an object"):
        conv.structure("nope", _OwnSource)
    later = serialize._make(TZ)
    later.register_unstructure_hook_func(attrs.has, lambda _: "generic")
    source = Source("ngo-01", "NGO 1", SourceKind.NGO)
    assert later.unstructure(source, Source) == {"id": "ngo-01", "name": "NGO 1", "kind": "ngo"}
    assert "converter" in dir(serialize)


def test_a_sidecar_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "example.csv"
    dump(venezuela_2026_01(), path)
    side = tmp_path / "example.sources.csv"
    side.write_bytes(side.read_bytes() + b"bad-source,Bad \xff name,ngo\n")
    with pytest.raises(LoadError) as info:
        load(path)
    assert info.value.source == str(side)
    assert "not UTF-8 text" in str(info.value)
