"""Findings in English and Spanish: ``Finding.text(lang)`` and ``vzdetain check --lang es``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from vzdetain import load
from vzdetain.checks import check
from vzdetain.cli import main
from vzdetain.errors import ValidationError
from vzdetain.findings import Finding, FindingKind, Severity
from vzdetain.releases import release_findings
from vzdetain.serialize import unstructure

# One planted fault of every kind (UTC, so that days read alike everywhere).
FAULTS = """\
report_id,publisher,published,source,measure,count,as_of,period_start,subgroup,basis,timezone
r1,foro-penal,2026-01-20,,political_prisoners,777,2026-01-19,,,verified,UTC
r2,foro-penal,2026-01-20,,political_prisoners,800,2026-01-19,,sex=female,verified,UTC
r3,foro-penal,2026-01-20,,political_prisoners,1500,2026-01-19,,,verified,UTC
r4,clippve,2026-01-20,,arbitrarily_detained,700,2026-01-19,,,verified,UTC
r5,foro-penal,2026-01-21,,releases,50,2026-01-20,2026-01-08,,verified,UTC
r6,foro-penal,2026-01-22,,releases,40,2026-01-21,2026-01-08,,verified,UTC
r8,foro-penal,2026-01-22,,releases,60,2026-01-21,2026-01-15,,verified,UTC
r9,provea,2026-01-20,,political_prisoners,500,2026-01-25,,,verified,UTC
r10,provea,2026-01-11,,political_prisoners,100,2026-01-10,,,verified,UTC
r11,provea,2026-01-21,,political_prisoners,100,2026-01-20,,,verified,UTC
r12,provea,2026-01-21,,releases,50,2026-01-20,2026-01-10,,verified,UTC
r13,ovp,2026-01-14,,releases,0,2026-01-14,2026-01-12,,verified,UTC
r14,jep,2026-01-14,,releases,5,2026-01-13,2026-01-12,,verified,UTC
"""

# Words of the English sentences that a Spanish one must not carry.
ENGLISH = (" according to ", " since ", " is above ", " went ", " places ", " published by ")


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "faults.csv"
    path.write_text(FAULTS, encoding="utf-8")
    return path


def test_every_kind_of_finding_reads_in_spanish(faults: Path) -> None:
    ds = load(faults)
    found = (*check(ds), *release_findings(ds))
    assert {f.kind for f in found} == set(FindingKind)
    for f in found:
        assert f.text() == f.text("en") == f.message
        es = f.text("es")
        assert es != f.message, f.kind
        assert not any(word in es for word in ENGLISH), es
        assert f.text("es-VE") == es
    spanish = {f.kind: f.text("es") for f in check(ds)}
    assert spanish[FindingKind.SUBGROUP_ABOVE_TOTAL] == (
        "La cifra de 800 presos políticos (sex=female) el 19 ene 2026 según Foro Penal supera "
        "la de 777 presos políticos el 19 ene 2026 según Foro Penal, aunque el grupo "
        "(sex=female) es parte de todas las personas."
    )
    assert spanish[FindingKind.STOCK_FLOW_RESIDUAL] == (
        "La cifra de presos políticos según Provea pasó de 100 el 10 ene 2026 a 100 el 20 ene "
        "2026; con 50 excarcelaciones, quedan 50 sin explicar: la cifra final está 50 por encima "
        "de lo que implican la inicial y los flujos."
    )


def test_the_spanish_sentence_is_not_compared_nor_written(faults: Path) -> None:
    (f, *_) = check(load(faults))
    plain = Finding(f.kind, f.severity, f.message, f.tallies)
    assert plain == f
    assert hash(plain) == hash(f)
    assert plain.text("es") == f.message  # no Spanish without a sentence
    with pytest.raises(ValidationError):
        f.text("fr")
    assert set(unstructure(f)) == {"kind", "severity", "message", "tallies"}


def test_a_finding_built_by_hand_takes_a_sentence() -> None:
    f = Finding(
        FindingKind.RELAYS_DISAGREE,
        Severity.ERROR,
        "They disagree.",
        sentence=lambda lang: {"es": "No coinciden."}[lang],
    )
    assert (f.text("en"), f.text("es")) == ("They disagree.", "No coinciden.")


def _run(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(list(argv))
    return out.getvalue()


def test_check_in_spanish_on_the_command_line(faults: Path) -> None:
    out = _run("check", str(faults), "--lang", "es")
    assert "gravedad" in out
    assert "advertencia" in out
    assert "según Foro Penal" in out
    assert "according to" not in out
    english = _run("check", str(faults))
    assert "warning" in english
    assert "según" not in english
    data = json.loads(_run("check", str(faults), "--json", "--lang", "es"))
    assert all(set(d) == {"kind", "severity", "message", "tallies"} for d in data)


def test_stall_certainty_in_spanish() -> None:
    assert "confirmada" in _run("stalls", "--lang", "es")
    assert "confirmed" in _run("stalls")
