"""Measure labels: how explanations and findings name a measure, in English and Spanish."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import attrs
import pytest

import vzdetain as vz
from vzdetain.catalogue import MEASURES
from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import DuplicateIdError, LoadError, ValidationError
from vzdetain.reconcile import Words, words_for
from vzdetain.releases import release_findings
from vzdetain.stockflow import stock_flow

DAY = vz.When.parse("2026-01-22")
TEAM = vz.Source("our-team", "Our team", vz.SourceKind.NGO)
DISAPPEARED = vz.Measure(
    "enforced_disappearances",
    vz.MeasureKind.STOCK,
    within=("arbitrarily_detained",),
    label_en="victims of enforced disappearance",
    label_es="víctimas de desaparición forzada",
    feminine_es=True,
)
EXILE = vz.Measure(
    "exile_releases",
    vz.MeasureKind.FLOW,
    within=("releases",),
    label_en="releases into exile",
    label_es="excarcelaciones con destierro",
    feminine_es=True,
)


def dataset(*measures: vz.Measure, measure: str = "enforced_disappearances") -> vz.Dataset:
    report = vz.Report("r1", "our-team", DAY, [vz.Tally(measure, vz.Count.parse("many"), DAY)])
    return vz.Dataset([report], sources=[TEAM], measures=measures)


# ---------------------------------------------------------------------- the field values


def test_label_falls_back_to_english_then_to_the_name() -> None:
    assert DISAPPEARED.label() == "victims of enforced disappearance"
    assert DISAPPEARED.label("es") == "víctimas de desaparición forzada"
    assert DISAPPEARED.label("es-VE") == "víctimas de desaparición forzada"
    only_en = vz.Measure("transfers", vz.MeasureKind.FLOW, label_en="prison transfers")
    assert only_en.label("es") == "prison transfers"
    bare = vz.Measure("prison_transfers", vz.MeasureKind.FLOW)
    assert (bare.label(), bare.label("es")) == ("prison transfers", "prison transfers")


def test_every_built_in_measure_has_both_labels() -> None:
    for m in MEASURES.values():
        assert m.label_en, m.name
        assert m.label_es, m.name


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("label_en", " cases", "one line without edge spaces"),
        ("label_es", "casos\n", "one line without edge spaces"),
        ("label_es", "casos\npendientes", "one line without edge spaces"),
        ("label_en", 7, "must be a string"),
        ("feminine_es", "true", "must be true or false"),
        ("feminine_es", 1, "must be true or false"),
    ],
)
def test_bad_labels_are_refused_naming_the_field(field: str, value: object, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        vz.Measure("x", vz.MeasureKind.STOCK, **{field: value})  # type: ignore[arg-type]
    assert info.value.path == (field,)
    assert info.value.value == value
    assert reason in str(info.value)


def test_label_rejects_an_unsupported_language() -> None:
    with pytest.raises(ValidationError, match="lang"):
        DISAPPEARED.label("fr")


# ---------------------------------------------------------------------- in sentences


def test_explanations_name_a_measure_by_its_labels() -> None:
    c = vz.compare(dataset(DISAPPEARED), "enforced_disappearances", DAY)
    en, es = c.explain(), c.explain("es")
    assert "many victims of enforced disappearance on 22 Jan 2026 according to Our team" in en
    # the Spanish label, with the vague count in its feminine form
    assert "muchas víctimas de desaparición forzada el 22 ene 2026 según Our team" in es
    assert "enforced" not in es


def test_a_labelled_measure_takes_of_after_a_vague_plural() -> None:
    words = words_for(dataset(DISAPPEARED), "en")
    figure = words.figure(vz.Count.parse("hundreds"), "enforced_disappearances", "x", DAY, None)
    assert figure.startswith("hundreds of victims of enforced disappearance on")
    es = words_for(dataset(DISAPPEARED), "es")
    figure = es.figure(vz.Count.parse("about 40"), "enforced_disappearances", "x", DAY, None)
    assert figure.startswith("unas 40 víctimas de desaparición forzada el")


def test_a_measure_without_labels_is_named_by_its_name_in_both_languages() -> None:
    bare = vz.Measure("pending_cases", vz.MeasureKind.STOCK)
    ds = dataset(bare, measure="pending_cases")
    es = words_for(ds, "es")
    # a name need not be a noun: no "de", and the masculine form of the vague count
    assert es.figure(vz.Count.parse("hundreds"), "pending_cases", "x", DAY, None).startswith(
        "cientos pending cases el"
    )
    assert es.figure(vz.Count.parse("many"), "pending_cases", "x", DAY, None).startswith(
        "muchos pending cases el"
    )


def test_a_dataset_may_list_a_built_in_measure_without_its_labels() -> None:
    # a copy of the built-in definition without labels (as files written before labels
    # have it) is the built-in measure, named by the built-in labels
    b = MEASURES["arrests"]
    copy = vz.Measure("arrests", b.kind, description=b.description, within=b.within)
    ds = dataset(copy, measure="political_prisoners")
    es = words_for(ds, "es")
    assert es.measure("arrests") == "detenciones"
    assert es.count_of(vz.Count.parse("about 800"), "arrests") == "unas 800"
    # other labels make it another measure, which needs another name
    own = vz.Measure(
        "arrests", b.kind, description=b.description, within=b.within, label_es="arrestos"
    )
    with pytest.raises(DuplicateIdError, match="gives other labels than the built-in measure"):
        dataset(own, measure="political_prisoners")
    # the public look-ups see the built-in measure, labels and all
    assert ds.measure("arrests") is b
    assert ds.all_measures["arrests"].label("es") == "detenciones"
    assert ds.measures == (copy,)  # as written, so files round-trip
    other = vz.Measure("arrests", b.kind, description="Something else.")
    with pytest.raises(DuplicateIdError, match="differs from the built-in measure"):
        dataset(other, measure="political_prisoners")


def test_words_without_measures_know_the_built_in_labels() -> None:
    es = Words("UTC", {}, "es")
    assert es.measure("political_prisoners") == "presos políticos"
    assert es.count_of(vz.Count.parse("many"), "releases") == "muchas"
    assert es.measure("enforced_disappearances") == "enforced disappearances"


def test_the_bundled_example_names_its_own_measure_in_spanish() -> None:
    ds = venezuela_2026_01()
    c = vz.compare(ds, "political_prisoners", "2026-01-19T23:00-04:00")
    es = c.explain("es")
    assert "la cifra de muchos casos pendientes de evaluación al 19 ene 2026 21:45" in es
    assert "cuenta otra medida (casos pendientes de evaluación)" in es
    assert "pending" not in es
    assert "many cases pending evaluation at 19 Jan 2026 21:45" in c.explain()


def test_stock_flow_explains_custom_flows_by_their_labels() -> None:
    start, end = vz.When.parse("2026-01-10"), vz.When.parse("2026-01-20")
    report = vz.Report(
        "r1",
        "foro-penal",
        end,
        [
            vz.Tally("political_prisoners", vz.Count.exact(800), start),
            vz.Tally("political_prisoners", vz.Count.exact(790), end),
            vz.Tally("exile_releases", vz.Count.parse("about 10"), end, period_start=start),
        ],
    )
    ds = vz.Dataset([report], measures=[EXILE])
    sf = stock_flow(ds, "foro-penal", start, end, outflows=("exile_releases",), inflows=())
    assert [m.name for m in sf.measures] == ["political_prisoners", "exile_releases"]
    es = sf.explain("es")
    assert "Excarcelaciones con destierro (resta): unas 10, informado" in es
    assert "exile" not in es
    assert "Releases into exile (subtracted): about 10, reported" in sf.explain()


# ---------------------------------------------------------------------- in files


def test_labels_survive_json_and_csv(tmp_path: Path) -> None:
    ds = dataset(DISAPPEARED)
    vz.dump(ds, tmp_path / "d.json")
    obj = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert obj["measures"][0]["label_es"] == "víctimas de desaparición forzada"
    assert obj["measures"][0]["feminine_es"] is True
    assert vz.load(tmp_path / "d.json") == ds
    vz.dump(ds, tmp_path / "d.csv")
    side = (tmp_path / "d.measures.csv").read_text(encoding="utf-8").splitlines()
    assert side[0] == "name,kind,description,within,label_en,label_es,feminine_es"
    assert side[1].endswith(
        ",victims of enforced disappearance,víctimas de desaparición forzada,true"
    )
    assert vz.load(tmp_path / "d.csv") == ds


def test_a_measures_file_may_leave_the_label_columns_out(tmp_path: Path) -> None:
    ds = dataset(vz.Measure("enforced_disappearances", vz.MeasureKind.STOCK))
    vz.dump(ds, tmp_path / "d.csv")
    side = tmp_path / "d.measures.csv"
    side.write_text("name,kind\nenforced_disappearances,stock\n", encoding="utf-8")
    assert vz.load(tmp_path / "d.csv") == ds


@pytest.mark.parametrize("cell", ["yes", "1", "verdadero"])
def test_a_bad_feminine_cell_is_named_with_its_row(tmp_path: Path, cell: str) -> None:
    ds = dataset(DISAPPEARED)
    vz.dump(ds, tmp_path / "d.csv")
    side = tmp_path / "d.measures.csv"
    side.write_text(side.read_text(encoding="utf-8").replace(",true", f",{cell}"), "utf-8")
    with pytest.raises(LoadError) as info:
        vz.load(tmp_path / "d.csv")
    (problem, *_) = info.value.problems
    assert (problem.location, problem.field, problem.value) == (
        "d.measures.csv row 2",
        "feminine_es",
        cell,
    )
    assert "must be true or false" in problem.message


@pytest.mark.parametrize("cell", ["TRUE", " true ", "False", ""])
def test_feminine_cells_read_true_or_false_in_any_case(tmp_path: Path, cell: str) -> None:
    ds = dataset(DISAPPEARED)
    vz.dump(ds, tmp_path / "d.csv")
    side = tmp_path / "d.measures.csv"
    side.write_text(side.read_text(encoding="utf-8").replace(",true", f",{cell}"), "utf-8")
    (m,) = vz.load(tmp_path / "d.csv").measures
    assert m.feminine_es is (cell.strip().lower() == "true")


@pytest.mark.parametrize("value", ["false", "true", 0, None])
def test_json_feminine_must_be_a_boolean(tmp_path: Path, value: object) -> None:
    ds = dataset(DISAPPEARED)
    vz.dump(ds, tmp_path / "d.json")
    obj = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    obj["measures"][0]["feminine_es"] = value
    (tmp_path / "d.json").write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        vz.load(tmp_path / "d.json")
    (problem, *_) = info.value.problems
    assert problem.field == "feminine_es"
    assert problem.value == value
    assert "must be true or false" in problem.message


# ---------------------------------------------------------------------- release findings


def _exile(count: str, start: str, cut: str, rid: str) -> vz.Report:
    tally = vz.Tally(
        "exile_releases",
        vz.Count.parse(count),
        vz.When.parse(cut, tz="America/Caracas"),
        period_start=vz.When.parse(start, tz="America/Caracas"),
        basis=vz.Basis.VERIFIED,
    )
    return vz.Report(rid, "foro-penal", vz.When.parse("2026-01-20"), [tally])


def test_release_findings_name_a_custom_measure_by_its_labels() -> None:
    ds = vz.Dataset(
        [
            _exile("about 30", "2026-01-10", "2026-01-15", "a"),
            _exile("12", "2026-01-10", "2026-01-19", "b"),
        ],
        measures=[EXILE],
        timezone="America/Caracas",
    )
    (finding,) = release_findings(ds)
    assert finding.kind is vz.FindingKind.CUMULATIVE_DECREASE
    assert "cumulative releases into exile since" in finding.message
    assert "went down from about 30" in finding.message
    es = finding.text("es")
    assert "La cifra acumulada de excarcelaciones con destierro de Foro Penal" in es
    assert "bajó de unas 30 " in es  # agrees with the feminine label
    assert "exile" not in es


@pytest.mark.parametrize(
    ("count", "en", "es"),
    [
        ("about 10", "places about 10 releases ", "sitúa unas 10 excarcelaciones "),
        ("hundreds", "places hundreds of releases ", "sitúa cientos de excarcelaciones "),
    ],
)
def test_a_release_during_a_stall_reads_like_every_other_figure(
    count: str, en: str, es: str
) -> None:
    ds = venezuela_2026_01()
    extra = vz.Report(
        "jep",
        "jep",
        vz.When.parse("2026-01-20"),
        [
            vz.Tally(
                "releases",
                vz.Count.parse(count),
                vz.When.parse("2026-01-18T12:00", tz="America/Caracas"),
                period_start=vz.When.parse("2026-01-18T08:00", tz="America/Caracas"),
                basis=vz.Basis.VERIFIED,
            )
        ],
    )
    ds = vz.Dataset(
        (*ds.reports, extra), sources=ds.sources, measures=ds.measures, timezone=ds.timezone
    )
    (finding,) = release_findings(ds)
    assert finding.kind is vz.FindingKind.RELEASE_DURING_STALL
    assert en in finding.message
    assert es in finding.text("es")
    assert "(una cifra, verificada: jep#0)" in finding.text("es")


# ---------------------------------------------------------------------- odds and ends


def test_feminine_es_without_a_spanish_label_does_not_change_the_count() -> None:
    m = vz.Measure("transfers", vz.MeasureKind.FLOW, label_en="prison transfers", feminine_es=True)
    es = words_for(dataset(m, measure="political_prisoners"), "es")
    # the Spanish sentence falls back on the English label, which has no gender
    assert es.count_of(vz.Count.parse("about 800"), "transfers") == "unos 800"


def test_label_cells_in_a_measures_file_are_trimmed(tmp_path: Path) -> None:
    ds = dataset(DISAPPEARED)
    vz.dump(ds, tmp_path / "d.csv")
    side = tmp_path / "d.measures.csv"
    text = side.read_text(encoding="utf-8")
    side.write_text(
        text.replace(
            ",victims of enforced disappearance,", ", victims of enforced disappearance ,"
        ),
        encoding="utf-8",
    )
    assert vz.load(tmp_path / "d.csv") == ds


@pytest.mark.parametrize(
    ("label", "ok"), [("casos", True), ("", True), (" casos", False), ("a\nb", False)]
)
def test_the_schema_allows_the_labels_a_measure_allows(label: str, ok: bool) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    obj = json.loads(vz.files.dumps_json(dataset(DISAPPEARED)))
    obj["measures"][0]["label_es"] = label
    valid = jsonschema.Draft202012Validator(vz.files.json_schema()).is_valid(obj)
    assert valid is ok
    with contextlib.nullcontext() if ok else pytest.raises(ValidationError):
        attrs.evolve(DISAPPEARED, label_es=label)


def test_chart_legends_use_the_labels() -> None:
    pytest.importorskip("matplotlib")
    from vzdetain.plot import timeline_figure

    tally = vz.Tally("enforced_disappearances", vz.Count.parse("about 40"), DAY)
    ds = vz.Dataset(
        [vz.Report("r1", "our-team", DAY, [tally])], sources=[TEAM], measures=[DISAPPEARED]
    )
    fig = timeline_figure(ds, lang="es")
    legends = [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    assert "Our team — víctimas de desaparición forzada" in legends


def test_a_bad_feminine_cell_does_not_hide_the_row_s_other_problems(tmp_path: Path) -> None:
    vz.dump(dataset(DISAPPEARED), tmp_path / "d.csv")
    side = tmp_path / "d.measures.csv"
    text = side.read_text(encoding="utf-8")
    side.write_text(text.replace(",stock,", ",stok,").replace(",true", ",yes"), "utf-8")
    with pytest.raises(LoadError) as info:
        vz.load(tmp_path / "d.csv")
    found = {(p.location, p.field, p.value) for p in info.value.problems}
    assert ("d.measures.csv row 2", "kind", "stok") in found
    assert ("d.measures.csv row 2", "feminine_es", "yes") in found


def test_chart_draws_no_relay_that_agrees_with_the_source_s_own_figure() -> None:
    pytest.importorskip("matplotlib")
    from vzdetain.plot import timeline_figure

    fig = timeline_figure(venezuela_2026_01())
    top = fig.axes[0]
    spans = sorted(
        (round(float(seg[0][1])), round(float(seg[1][1])))
        for coll in top.collections
        for seg in coll.get_segments()
    )
    # Foro Penal's 777 alone: not the 200-999 of the "hundreds" headline that relays it
    assert (777, 777) in spans
    assert (200, 999) not in spans
    assert (750, 799) not in spans
    # Clippve's figure is drawn (its relays have no figure of Clippve's own beside them)
    assert any(low == 1346 for low, _ in spans)


def test_chart_draws_a_relay_narrower_than_the_source_s_own_figure() -> None:
    pytest.importorskip("matplotlib")
    from vzdetain.plot import _within

    hundreds, nearly = vz.Count.parse("hundreds"), vz.Count.parse("nearly 800")
    assert _within(nearly, hundreds)  # a "hundreds" relay of "nearly 800" adds nothing
    assert not _within(hundreds, nearly)  # a "nearly 800" relay of "hundreds" says more
    assert _within(vz.Count.parse("more than 1,345"), vz.Count.parse("more than 1,000"))
    assert not _within(vz.Count.parse("more than 1,000"), vz.Count.parse("1,200"))
