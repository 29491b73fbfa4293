"""Floors: the least any pure-Python, tally-by-tally implementation must spend.

The in-process targets ask vzdetain to load CSV within 3x of ``pd.read_csv`` and to run
(b) ``compare`` for every day, (c) ``check`` and (d) ``stalls`` no slower than pandas, which
does them in vectorised C. This script times, in one process and on the same file, the
cheapest step each operation cannot skip when written in Python, next to the pandas
baseline and to vzdetain:

- (a) load CSV: the standard library's ``csv.reader`` (itself C) turning the file into
  lists of strings, with nothing parsed, typed or checked; then the same plus one frozen,
  slotted attrs record per row.
- (b) compare: one loop over the loaded tallies, keeping per (measure, cut-off) the largest
  lower and the smallest upper bound. It ignores the seven-day window, supersession,
  relays, days and every explanation. Then the output alone: one frozen, slotted attrs
  record with :class:`vzdetain.Claim`'s ten fields per tally (each tally is a claim in at
  least the comparison of its own day).
- (c) check: one loop putting the tallies into series (source, measure, subgroup, period
  start) and sorting each by cut-off, which the cumulative and stock-flow checks need.
- (d) stalls: one loop picking the release flows out of the tallies, grouped by series.

Every figure is the best of ``--repeat`` runs (vzdetain's slow operations run once, from a
fresh session as in ``bench/run.py``). The floors read the tallies through a loaded
``Dataset``, so their loading is not counted. Usage, from the repository root::

    python bench/floors.py                 # 10^5 tallies
    python bench/floors.py --size 10000
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import baseline
import run

import vzdetain as vz
from vzdetain.releases import _is_release

HERE = Path(__file__).resolve().parent
#: ratio to pandas each operation's target allows
TARGETS = {"load_csv": 3.0, "compare_all": 1.0, "check": 1.0, "stalls": 1.0}


@attrs.frozen
class _Row:
    """A record with the twelve fields of a :class:`vzdetain.Tally` (nothing checked)."""

    measure: str
    count: str
    as_of: str
    source: str
    period_start: str
    subgroup: str
    basis: str
    via: str
    quote: str
    release_kind: str
    conditions: str
    report: str


@attrs.frozen
class _Claim:
    """A record with the ten fields of a :class:`vzdetain.Claim` (nothing checked)."""

    source: object
    measure: object
    as_of: object
    count: object
    period_start: object
    subgroup: object
    basis: object
    tallies: object
    publishers: object
    figures: object


def _best(fn: Callable[[], Any], repeat: int, reset: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if reset is not None:
            reset()
        gc.collect()
        gc.disable()  # as vzdetain's operations do: no collection scans the loaded data
        try:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


# ---------------------------------------------------------------------- the floors


def csv_strings(path: Path) -> list[list[str]]:
    """(a) The file as lists of strings, by the standard library's C reader."""
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def csv_records(path: Path) -> list[_Row]:
    """(a) One frozen attrs record per row, its fields the row's strings."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        at = [head.index(k) for k in ("measure", "count", "as_of", "source", "period_start")]
        at += [head.index(k) for k in ("subgroup", "basis", "via", "quote", "release_kind")]
        at += [head.index("conditions"), head.index("report_id")]
        return [_Row(*[r[i] for i in at]) for r in rows]


def bounds_by_cutoff(ds: vz.Dataset) -> dict[tuple[str, vz.When], list[int | None]]:
    """(b) Per (measure, cut-off): the largest low and smallest high of its tallies."""
    out: dict[tuple[str, vz.When], list[int | None]] = {}
    for report in ds.reports:
        for t in report.tallies:
            c = t.count
            lo, hi = c.low, c.high
            key = (t.measure, t.as_of)
            got = out.get(key)
            if got is None:
                out[key] = [lo, hi]
                continue
            if lo is not None and (got[0] is None or lo > got[0]):
                got[0] = lo
            if hi is not None and (got[1] is None or hi < got[1]):
                got[1] = hi
    return out


def claim_records(n: int) -> list[_Claim]:
    """(b) The output alone: ``n`` records with a claim's fields."""
    return [_Claim(i, i, i, i, i, i, i, i, i, i) for i in range(n)]


def sorted_series(ds: vz.Dataset) -> int:
    """(c) The tallies as series, each sorted by cut-off."""
    series: dict[tuple[Any, ...], list[tuple[int, vz.Tally]]] = {}
    for report in ds.reports:
        for t in report.tallies:
            key = (t.source, t.measure, t.subgroup, t.period_start)
            item = (t.as_of._key[1], t)
            got = series.get(key)
            if got is None:
                series[key] = [item]
            else:
                got.append(item)
    for items in series.values():
        items.sort(key=lambda item: item[0])
    return len(series)


def release_series(ds: vz.Dataset) -> int:
    """(d) The release flows, grouped by series."""
    measures = ds.all_measures
    is_release: dict[str, bool] = {}
    series: dict[tuple[Any, ...], list[vz.Tally]] = {}
    for report in ds.reports:
        for t in report.tallies:
            ps = t.period_start
            if ps is None:
                continue
            m = t.measure
            rel = is_release.get(m)
            if rel is None:
                rel = is_release[m] = _is_release(m, measures)
            if not rel:
                continue
            key = (t.source, m, t.subgroup, t.basis, ps)
            got = series.get(key)
            if got is None:
                series[key] = [t]
            else:
                got.append(t)
    return len(series)


# ---------------------------------------------------------------------- main


def _interleaved(fns: list[Callable[[], Any]], repeat: int) -> list[float]:
    """Best time of each function, the functions taking turns in each round.

    Taking turns, a slow spell of the machine weighs on pandas and the floors alike.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            best[k] = min(best[k], _best(fn, 1))
    return best


def measure_all(size: int, repeat: int, data: Path) -> list[dict[str, Any]]:
    run.ensure_data([size], data)
    path = data / f"synth-{size}.csv"
    frame = baseline.prepare(baseline.read_csv(path))
    ds = vz.load(path)
    n = sum(1 for _ in ds.tallies())

    def fresh() -> None:
        run.fresh_session(ds)

    def vz_time(fn: Callable[[], Any]) -> float:
        once = _best(fn, 1, fresh)
        return once if once > 5 else min(once, _best(fn, repeat - 1, fresh))

    ops: list[tuple[str, Callable[[], Any], Callable[[], Any], list[tuple[str, Any]]]] = [
        (
            "load_csv",
            lambda: baseline.read_csv(path),
            lambda: vz.load(path),
            [
                ("csv.reader: lists of strings", lambda: csv_strings(path)),
                ("  + one attrs record a row", lambda: csv_records(path)),
            ],
        ),
        (
            "compare_all",
            lambda: baseline.compare_all(frame),
            lambda: run.vz_compare_all(ds, None),
            [
                ("one loop: bounds by cut-off", lambda: bounds_by_cutoff(ds)),
                ("one attrs claim a tally", lambda: claim_records(n)),
                ("  both", None),
            ],
        ),
        (
            "check",
            lambda: baseline.check(frame),
            lambda: vz.check(ds),
            [("one loop: series sorted by cut-off", lambda: sorted_series(ds))],
        ),
        (
            "stalls",
            lambda: baseline.stalls(frame),
            lambda: vz.stalls(ds),
            [("one loop: release flows by series", lambda: release_series(ds))],
        ),
    ]
    rows: list[dict[str, Any]] = []
    for op, pandas_fn, vz_fn, floors in ops:
        steps = [(name, fn) for name, fn in floors if fn is not None]
        times = _interleaved([pandas_fn] + [fn for _, fn in steps], repeat)
        floor_times = dict(zip([name for name, _ in steps], times[1:], strict=True))
        if any(fn is None for _, fn in floors):  # the sum of the steps before it
            floor_times[floors[-1][0]] = sum(times[1:])
        rows.append(
            {
                "op": op,
                "pandas_seconds": times[0],
                "vzdetain_seconds": vz_time(vz_fn),
                "floors": [{"step": name, "seconds": floor_times[name]} for name, _ in floors],
            }
        )
    return rows


def print_table(size: int, rows: list[dict[str, Any]]) -> None:
    print(f"{size:,} tallies; seconds, and in brackets the ratio to pandas")
    print(f"{'operation':<13} {'target':>6}  {'pandas':>7}  {'vzdetain':>15}  floor step")
    for r in rows:
        pd_s = r["pandas_seconds"]
        vz_s = r["vzdetain_seconds"]
        target = "<=" + format(TARGETS[r["op"]], "g") + "x"
        lead = f"{r['op']:<13} {target:>6}  {pd_s:7.3f}  {vz_s:7.3f} ({vz_s / pd_s:5.1f})"
        for f in r["floors"]:
            print(f"{lead}  {f['seconds']:7.3f} ({f['seconds'] / pd_s:4.2f})  {f['step']}")
            lead = " " * len(lead)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    rows = measure_all(args.size, args.repeat, args.data)
    print_table(args.size, rows)
    if args.json is not None:
        record = {"size": args.size, "repeat": args.repeat, "targets": TARGETS, "rows": rows}
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
