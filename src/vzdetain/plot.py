"""Charts (needs the ``plot`` extra: ``pip install 'vzdetain[plot]'``).

:func:`timeline_figure` draws, in the dataset's local time:

* top: each source's stock figures over time, each as a bar spanning the values its count
  allows (an arrow for an open upper bound) with a dot at the stated figure when the
  figure lies inside its own bounds; relays drawn hollow, unless the source's own figure at
  the same cut-off agrees with them;
* bottom: verified releases per local day, as the interval the evidence allows (a solid bar
  up to the fewest releases certain, a pale bar up to the most possible that day, each day
  on its own: the highs of several days do not add up);
* on both: stalls shaded.

>>> from vzdetain.datasets import venezuela_2026_01
>>> fig = timeline_figure(venezuela_2026_01())
>>> [ax.get_title() for ax in fig.axes]
['Stock figures by source', "Verified releases per day (each day's range on its own)"]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.figure import Figure

from vzdetain.counts import Count, Qualifier
from vzdetain.model import Dataset, MeasureKind
from vzdetain.when import timezone

__all__ = ["timeline_figure"]

_TEXT = {
    "en": {
        "stocks": "Stock figures by source",
        "releases": "Verified releases per day (each day's range on its own)",
        "count": "people",
        "per_day": "releases",
        "stall": "stall (no release on the evidence)",
        "time": "local time ({tz})",
        "relay": "relay",
        "certain": "releases certain",
        "possible": "releases possible that day",
    },
    "es": {
        "stocks": "Cifras de existencias por fuente",
        "releases": "Excarcelaciones verificadas por día (el rango de cada día por separado)",
        "count": "personas",
        "per_day": "excarcelaciones",
        "stall": "paralización (ninguna excarcelación según los datos)",
        "time": "hora local ({tz})",
        "relay": "reproducción",
        "certain": "excarcelaciones seguras",
        "possible": "excarcelaciones posibles ese día",
    },
}


def _local(t: dt.datetime, tz: Any) -> dt.datetime:
    """Wall time in the dataset's zone, without tzinfo, for the axis."""
    return t.astimezone(tz).replace(tzinfo=None)


def _within(inner: Count, outer: Count) -> bool:
    """True when every value ``inner`` allows, ``outer`` allows (``None``: unbounded)."""
    low_ok = outer.low is None or (inner.low is not None and inner.low >= outer.low)
    high_ok = outer.high is None or (inner.high is not None and inner.high <= outer.high)
    return low_ok and high_ok


def _middle(a: dt.datetime, b: dt.datetime) -> dt.datetime:
    """An instant itself, or the middle of a period (a day-precision cut-off is drawn at noon)."""
    return a + (b - a) / 2


def timeline_figure(dataset: Dataset, *, lang: str = "en") -> Figure:
    """A two-panel chart of stock figures, releases per day and stalls.

    Args:
        dataset: The data.
        lang: ``"en"`` or ``"es"`` for titles and legend.

    Returns:
        A matplotlib ``Figure`` (no GUI needed): save it with ``fig.savefig("out.png")``.
    """
    from vzdetain.releases import release_series, stalls

    words = _TEXT["es" if lang.startswith("es") else "en"]
    tz = timezone(dataset.timezone)
    fig = Figure(figsize=(11, 7), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    top.set_title(words["stocks"])
    bottom.set_title(words["releases"])

    series: dict[tuple[str, str], list[Any]] = {}
    for ref in dataset.refs():
        t = ref.tally
        if dataset.measure(t.measure).kind is not MeasureKind.STOCK or t.subgroup:
            continue
        if t.count.qualifier is Qualifier.MANY:
            continue  # "many" gives no magnitude to draw
        series.setdefault((t.measure, t.source or ref.publisher), []).append(ref)
    # a relay that allows every value of the source's own figure at the same cut-off adds
    # nothing, and drawn in the source's colour its wider bar ("hundreds" for 777) would pass
    # for the source's; a narrower or contradicting relay is drawn
    for key, refs in series.items():
        own = [r.tally for r in refs if not r.is_relay]
        series[key] = [
            r
            for r in refs
            if not r.is_relay
            or not any(o.as_of == r.tally.as_of and _within(o.count, r.tally.count) for o in own)
        ]
    colours = [f"C{i % 10}" for i in range(len(series))]
    tops: list[int] = []
    for refs in series.values():
        for r in refs:
            c = r.tally.count
            tops.extend(v for v in (c.low, c.high, c.stated) if v is not None)
    ceiling = (max(tops) * 1.15) if tops else 1.0
    for colour, ((measure, source), refs) in zip(colours, sorted(series.items()), strict=False):
        name = dataset.all_sources[source].name if source in dataset.all_sources else source
        label = f"{name if len(name) <= 30 else source} — {dataset.measure(measure).label(lang)}"
        # relays first, so the source's own figure is drawn on top
        for i, r in enumerate(sorted(refs, key=lambda r: not r.is_relay)):
            t = r.tally
            x = _local(_middle(t.as_of.start, t.as_of.end), tz)
            low = t.count.low or 0
            high = t.count.high if t.count.high is not None else ceiling
            top.vlines(
                x,
                low,
                high,
                colors=colour,
                linewidth=2 if r.is_relay else 6,
                alpha=0.6,
                label=label if i == 0 else None,
            )
            if t.count.high is None:
                top.annotate(
                    "",
                    xy=(x, ceiling),
                    xytext=(x, max(low, ceiling * 0.9)),
                    arrowprops={"arrowstyle": "->", "color": colour},
                )
            stated = t.count.stated
            if stated is not None and stated in t.count:
                top.plot(
                    [x],
                    [stated],
                    "o",
                    color=colour,
                    markerfacecolor="white" if r.is_relay else colour,
                )
    top.set_ylabel(words["count"])
    top.set_ylim(0, ceiling)

    bins = release_series(dataset, freq="day")
    if bins:
        xs = [_local(b.start, tz) for b in bins]
        widths = [(b.end - b.start).total_seconds() / 86400 for b in bins]
        lows = [b.count.low or 0 for b in bins]
        highs = [b.count.high if b.count.high is not None else (b.count.low or 0) for b in bins]
        bottom.bar(
            xs, highs, width=widths, align="edge", color="C0", alpha=0.25, label=words["possible"]
        )
        bottom.bar(
            xs, lows, width=widths, align="edge", color="C0", alpha=0.9, label=words["certain"]
        )
    bottom.set_ylabel(words["per_day"])

    for i, s in enumerate(stalls(dataset)):
        end = s.end if s.end is not None else s.until
        for ax in (top, bottom):
            ax.axvspan(
                _local(s.start, tz),
                _local(end, tz),
                color="grey",
                alpha=0.2,
                label=words["stall"] if (i == 0 and ax is bottom) else None,
            )
    bottom.set_xlabel(words["time"].format(tz=dataset.timezone))
    for ax in (top, bottom):
        handles, _labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    if dataset.title:
        fig.suptitle(dataset.title)
    return fig
