"""Bundled example data.

:func:`venezuela_2026_01` holds every figure of a January 2026 news report on political
prisoners in Venezuela (Latin Times, relaying Foro Penal, Clippve and official figures),
each with its source, cut-off, qualifier and, where the report relays another outlet,
the chain of relays.

>>> from vzdetain.datasets import venezuela_2026_01
>>> ds = venezuela_2026_01()
>>> for _, t in list(ds.tallies())[:3]:
...     print(t.source, t.measure, t.count)
foro-penal political_prisoners 777
foro-penal pending_evaluation many
foro-penal political_prisoners hundreds
"""

from __future__ import annotations

import datetime as dt
import functools

from vzdetain.counts import Count
from vzdetain.model import (
    Basis,
    ConditionKind,
    Dataset,
    Measure,
    MeasureKind,
    ReleaseCondition,
    ReleaseKind,
    Report,
    Source,
    SourceKind,
    Tally,
)
from vzdetain.when import When

__all__ = ["venezuela_2026_01"]

_TZ = "America/Caracas"


@functools.cache
def venezuela_2026_01() -> Dataset:
    """Every figure of the January 2026 report, as a :class:`~vzdetain.Dataset`.

    Two reports: Foro Penal's post on X with its cut-off of 19 January 2026, 9:45 p.m.
    Caracas time (posted on 20 January, UTC), and the Latin Times article of 20 January
    that relays it ("nearly 800", "hundreds"), adds Foro Penal's 143 releases since
    8 January and "no new releases confirmed since Saturday", the release conditions,
    Clippve's "more than 1,345" arbitrarily detained (told to La República on Monday
    19 January) and the official "more than 2,400" detained after the 28 July 2024 election.

    Short quotes are kept as data in each tally's ``quote``.
    """
    cutoff = When.parse("2026-01-19T21:45-04:00")
    monday = When.day(dt.date(2026, 1, 19), _TZ)
    since_jan_8 = When.day(dt.date(2026, 1, 8), _TZ)
    sunday = When.day(dt.date(2026, 1, 18), _TZ)
    verified = Basis.VERIFIED

    x_post = Report(
        "foro-penal-x-2026-01-19",
        "foro-penal",
        When.day(dt.date(2026, 1, 20), "UTC"),
        (
            Tally(
                "political_prisoners",
                Count.parse("777", lang="es"),
                cutoff,
                basis=verified,
                quote="777 siguen arbitrariamente detenidas por motivos políticos",
            ),
            Tally(
                "pending_evaluation",
                Count.parse("muchos", lang="es"),
                cutoff,
                basis=Basis.UNSTATED,
                quote="Tenemos pendientes por evaluación muchos casos "
                "que no nos habían sido reportados",
            ),
        ),
        language="es",
        title="#19Ene 9:45 p.m. De acuerdo a nuestro corte de hoy, 777 siguen arbitrariamente "
        "detenidas por motivos políticos.",
    )

    conditions = (
        ReleaseCondition(
            ConditionKind.TRAVEL_BAN,
            applies_to=Count.parse("many"),
            note="many of those released remain subject to restrictions",
        ),
        ReleaseCondition(
            ConditionKind.MEDIA_GAG,
            applies_to=Count.parse("numerous"),
            note="in numerous cases, prohibitions on speaking to the media",
        ),
    )
    article = Report(
        "latin-times-2026-01-20",
        "latin-times",
        When.day(dt.date(2026, 1, 20), _TZ),
        (
            Tally(
                "political_prisoners",
                Count.parse("hundreds"),
                cutoff,
                source="foro-penal",
                basis=verified,
                quote="Hundreds Of Political Prisoners Still Held in Venezuela",
            ),
            Tally(
                "political_prisoners",
                Count.parse("nearly 800"),
                cutoff,
                source="foro-penal",
                basis=verified,
                quote="Nearly 800 political prisoners remain detained",
            ),
            Tally(
                "political_prisoners",
                Count.parse("777"),
                cutoff,
                source="foro-penal",
                basis=verified,
                quote="it has documented 777 political prisoners nationwide",
            ),
            Tally(
                "releases",
                Count.parse("143"),
                cutoff,
                period_start=since_jan_8,
                source="foro-penal",
                basis=verified,
                release_kind=ReleaseKind.CONDITIONAL,
                conditions=conditions,
                quote="143 releases recorded between Jan. 8 and late Monday",
            ),
            Tally(
                "releases",
                Count.exact(0),
                cutoff,
                period_start=sunday,
                source="foro-penal",
                basis=verified,
                quote="No new releases have been confirmed since Saturday",
            ),
            Tally(
                "arbitrarily_detained",
                Count.parse("more than 1,345"),
                monday,
                source="clippve",
                via=("la-republica",),
                basis=Basis.UNSTATED,
                subgroup={},
                quote='more than 1,345 people remain "arbitrarily" detained, '
                "including children and teenagers",
            ),
            Tally(
                "arrests",
                Count.parse("more than 2,400"),
                When.day(dt.date(2026, 1, 20), _TZ),
                period_start=When.day(dt.date(2024, 7, 28), _TZ),
                source="gobierno-venezuela",
                basis=Basis.ANNOUNCED,
                quote="more than 2,400 people were detained, according to official figures",
            ),
        ),
        language="en",
        title="Hundreds Of Political Prisoners Still Held in Venezuela As Releases Stall, "
        "Local Rights Monitor Says",
    )
    return Dataset(
        (x_post, article),
        sources=(
            Source(
                "latin-times", "Latin Times", SourceKind.MEDIA, url="https://www.latintimes.com"
            ),
            Source("la-republica", "La República", SourceKind.MEDIA),
        ),
        measures=(
            Measure(
                "pending_evaluation",
                MeasureKind.STOCK,
                description="Reported cases a source has not yet evaluated or added to its count.",
                label_en="cases pending evaluation",
                label_es="casos pendientes de evaluación",
            ),
        ),
        timezone=_TZ,
        title="Venezuela, January 2026: political prisoners and releases",
    )
