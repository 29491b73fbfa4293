"""Comparisons a journalist would read wrongly if the rules or the wording slipped: the
default period of a flow, the preferred-source policy without a usable preferred figure,
claims narrowed by their relays, groups of measures related the other way, relays that
state no basis, and hours of another zone."""

from __future__ import annotations

from vzdetain import Basis, Count, Dataset, Report, SetAside, Source, SourceKind, Tally, When
from vzdetain.datasets import venezuela_2026_01
from vzdetain.reconcile import compare

W = When.parse
LT = (Source("latin-times", "Latin Times", SourceKind.MEDIA),)


def test_the_default_period_counts_every_start_it_matches() -> None:
    """Three sources count releases since 8 January (a day, and two instants of that day),
    two since 1 December: 8 January is the period most sources share."""

    def rel(n: int, source: str, start: str) -> Tally:
        return Tally(
            "releases", Count.exact(n), W("2026-01-19"), period_start=W(start), source=source
        )

    tallies = [
        rel(143, "foro-penal", "2026-01-08"),
        rel(150, "provea", "2026-01-08T00:00-04:00"),
        rel(148, "jep", "2026-01-08T09:00-04:00"),
        rel(300, "ovp", "2025-12-01"),
        rel(310, "clippve", "2025-12-01"),
    ]
    ds = Dataset([Report("r", "latin-times", W("2026-01-20"), tallies)], sources=LT)
    c = compare(ds, "releases", "2026-01-19")
    assert c.since == W("2026-01-08")
    assert sorted(k.source for k in c.considered) == ["foro-penal", "jep", "provea"]


def _preferred(priority: list[str]) -> tuple[tuple[int | None, int | None, int | None], str]:
    tallies = [
        Tally(
            "political_prisoners",
            Count.parse("777"),
            W("2026-01-19"),
            source="foro-penal",
            basis=Basis.VERIFIED,
        ),
        Tally(
            "political_prisoners", Count.parse("more than 900"), W("2026-01-19"), source="clippve"
        ),
    ]
    ds = Dataset([Report("r", "latin-times", W("2026-01-20"), tallies)], sources=LT)
    c = compare(ds, "political_prisoners", "2026-01-19", policy="preferred", priority=priority)
    return (c.low, c.best, c.high), c.explain().splitlines()[-1]


def test_a_preferred_source_without_a_usable_figure_does_not_narrow_the_bounds() -> None:
    bounds, sentence = _preferred(["clippve"])
    assert bounds == (777, 777, None)  # the conservative choice: the conflict stays visible
    assert "(priority: Clippve), which states no usable figure" in sentence
    bounds, _ = _preferred(["foro-penal"])
    assert bounds == (777, 777, 777)  # the preferred source's own bounds


def test_several_preferred_sources_are_named_and_said_to_state_no_figure() -> None:
    c = compare(
        venezuela_2026_01(),
        "political_prisoners",
        "2026-01-19",
        policy="preferred",
        priority=["provea", "jep"],
    )
    last = c.explain().splitlines()[-1]
    assert "(priority: Provea and Justicia, Encuentro y Perdón), none of which states" in last
    assert "ninguna de las cuales da una cifra utilizable" in c.explain("es")


def test_a_claim_narrowed_by_a_relay_reads_as_what_it_allows() -> None:
    ds = Dataset(
        [
            Report(
                "fp",
                "foro-penal",
                W("2026-01-20"),
                [
                    Tally(
                        "political_prisoners", Count.parse("hundreds"), W("2026-01-19T21:45-04:00")
                    )
                ],
            ),
            Report(
                "lt",
                "latin-times",
                W("2026-01-20"),
                [
                    Tally(
                        "political_prisoners",
                        Count.parse("777"),
                        W("2026-01-19T21:45-04:00"),
                        source="foro-penal",
                    )
                ],
            ),
            Report(
                "pv",
                "provea",
                W("2026-01-20"),
                [Tally("political_prisoners", Count.parse("more than 900"), W("2026-01-19"))],
            ),
        ],
        sources=LT,
    )
    c = compare(ds, "political_prisoners", "2026-01-19")
    fp = next(k for k in c.considered if k.source == "foro-penal")
    assert fp.count == Count.parse("777")
    assert fp.count.text == "777"  # the relay's own count, not a derived range
    (line,) = [s for s in c.explain().splitlines() if "cannot both be true" in s]
    assert line.startswith("777 political prisoners at 19 Jan 2026 21:45 according to Foro Penal")


def test_a_group_of_a_measure_related_the_other_way_is_named_for_what_it_is() -> None:
    ds = Dataset(
        [
            Report(
                "r",
                "foro-penal",
                W("2026-01-20"),
                [
                    Tally("political_prisoners", Count.exact(777), W("2026-01-19")),
                    Tally(
                        "arbitrarily_detained",
                        Count.exact(50),
                        W("2026-01-19"),
                        subgroup={"sex": "female"},
                        source="clippve",
                    ),
                    Tally(
                        "full_releases",
                        Count.exact(3),
                        W("2026-01-19"),
                        period_start=W("2026-01-08"),
                    ),
                ],
            )
        ]
    )
    (aside,) = compare(ds, "political_prisoners", "2026-01-19").set_aside[:1]
    assert aside.reason is SetAside.OTHER_SUBGROUP
    assert "a smaller group (sex=female) of a broader measure" in aside.message
    assert "neither contains nor lies within" not in aside.message
    flows = compare(ds, "releases", "2026-01-19", subgroup={"sex": "female"})
    (larger,) = [a for a in flows.set_aside if a.ref.tally.measure == "full_releases"]
    assert "a larger group (everyone) of a narrower measure" in larger.message
    assert "un grupo mayor (todas las personas) de una medida más estrecha" in flows.explain("es")


def test_a_relay_that_states_no_basis_goes_with_the_verified_figure_it_relays() -> None:
    c = compare(venezuela_2026_01(), "political_prisoners", "2026-01-19", basis=Basis.VERIFIED)
    (claim,) = c.considered
    assert claim.basis is Basis.VERIFIED
    assert "latin-times" in claim.publishers
    assert not [
        a
        for a in c.set_aside
        if a.reason is SetAside.OTHER_BASIS and a.ref.tally.source == "foro-penal"
    ]
    assert compare(venezuela_2026_01(), "political_prisoners", "2026-01-19") == compare(
        venezuela_2026_01(), "political_prisoners", "2026-01-19", basis=None
    )


def test_an_hour_of_another_zone_reads_with_its_minutes() -> None:
    """18:00 UTC was 13:30 in Caracas in 2014 (UTC-04:30): not "13h"."""
    ds = Dataset(
        [
            Report(
                "r",
                "foro-penal",
                W("2014-02-13"),
                [Tally("political_prisoners", Count.exact(40), W("2014-02-12T18Z"))],
            )
        ]
    )
    text = compare(ds, "political_prisoners", "2014-02-12").explain()
    assert "at 12 Feb 2014 13:30–14:30 according to Foro Penal" in text
