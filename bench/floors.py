"""Floors: the cheapest steps a pure-Python, tally-by-tally implementation cannot skip.

The in-process targets ask vzdetain to load CSV within 3x of ``pd.read_csv`` and to run
(b) ``compare`` for every day, (c) ``check`` and (d) ``stalls`` no slower than pandas, which
does them in vectorised C. This script times, in one process and on the same file, the
cheapest step each operation cannot skip when written in Python, taking turns with the
pandas baseline, and vzdetain itself:

- (a) load CSV: the standard library's ``csv.reader`` (itself C) turning the file into
  lists of strings, with nothing parsed, typed or checked; then the same plus one record
  per row holding a tally's eleven fields and its report id, as a tuple, as an instance
  of a plain slotted class, and as an instance of a frozen attrs class (the form
  vzdetain's values take).
- (b) compare: one loop over the loaded tallies, keeping per (measure, cut-off) the largest
  lower and the smallest upper bound. It ignores the seven-day window, supersession,
  relays, days and every explanation. Then the output alone: one record with
  :class:`vzdetain.Claim`'s ten fields for each claim the comparisons return (counted
  once from vzdetain's own answers), in the same three forms.
- (c) check: one loop putting the tallies into series (source, measure, subgroup, period
  start) and sorting each by cut-off, which the cumulative and stock-flow checks need.
- (d) stalls: one loop picking the release flows out of the tallies, grouped by series.

The floors and pandas are the best of ``--repeat`` runs each, taken in turns; vzdetain's
operations run after them, from a fresh session as in ``bench/run.py`` (the slow ones
once). The floors read the tallies through a loaded ``Dataset``, so their loading is not
counted. Usage, from the repository root::

    python bench/floors.py                 # 10^5 tallies
    python bench/floors.py --size 10000
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gc
import json
import operator
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
#: a CSV record: the fields of a tally (each a CSV column) and its report's id
_TALLY_FIELDS = [*(f.name for f in attrs.fields(vz.Tally)), "report"]
_CLAIM_FIELDS = [f.name for f in attrs.fields(vz.Claim)]


def _slotted(name: str, fields: list[str]) -> type:
    """A plain slotted class (a dataclass, not frozen: its ``__init__`` just assigns)."""
    return dataclasses.make_dataclass(name, fields, slots=True)


def _frozen(name: str, fields: list[str]) -> type:
    """A frozen, slotted attrs class, as vzdetain's values are (nothing checked)."""
    return attrs.make_class(name, fields, frozen=True, slots=True)


_SlotRow, _FrozenRow = _slotted("_SlotRow", _TALLY_FIELDS), _frozen("_FrozenRow", _TALLY_FIELDS)
_SlotClaim = _slotted("_SlotClaim", _CLAIM_FIELDS)
_FrozenClaim = _frozen("_FrozenClaim", _CLAIM_FIELDS)
#: the record forms a floor is timed in
FORMS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "tuple": (lambda *cells: cells, lambda *cells: cells),
    "slotted class": (_SlotRow, _SlotClaim),
    "frozen attrs": (_FrozenRow, _FrozenClaim),
}


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


def csv_records(path: Path, make: Callable[..., Any]) -> list[Any]:
    """(a) One record per row, made by ``make`` from the row's strings."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        cells = operator.itemgetter(
            *[head.index(k) for k in _TALLY_FIELDS[:-1]], head.index("report_id")
        )
        return [make(*cells(r)) for r in rows]


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


def claim_records(n: int, make: Callable[..., Any]) -> list[Any]:
    """(b) The output alone: ``n`` records with a claim's fields, made by ``make``."""
    return [make(i, i, i, i, i, i, i, i, i, i) for i in range(n)]


def claims_returned(ds: vz.Dataset) -> int:
    """How many claims the comparisons of every (measure, day) pair consider, in all."""
    run.fresh_session(ds)
    return sum(len(vz.compare(ds, m, d).considered) for m, d in run.day_pairs(ds))


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


def measure_all(size: int, repeat: int, data: Path) -> dict[str, Any]:
    run.ensure_data([size], data)
    path = data / f"synth-{size}.csv"
    frame = baseline.prepare(baseline.read_csv(path))
    ds = vz.load(path)
    claims = claims_returned(ds)

    def fresh() -> None:
        run.fresh_session(ds)

    def vz_time(fn: Callable[[], Any]) -> float:
        once = _best(fn, 1, fresh)
        if once > 5 or repeat < 2:
            return once
        return min(once, _best(fn, repeat - 1, fresh))

    def per_form(
        what: str, fn: Callable[[Callable[..., Any]], Any], index: int
    ) -> list[tuple[str, Callable[[], Any]]]:
        return [
            (f"{what}, as {form}", lambda make=makes[index]: fn(make))
            for form, makes in FORMS.items()
        ]

    # each op: its pandas baseline, vzdetain, its floors (name, function), and the floors
    # to add up into one more line (the loop and the frozen records together)
    ops: list[tuple[str, Callable[[], Any], Callable[[], Any], list[Any], list[str]]] = [
        (
            "load_csv",
            lambda: baseline.read_csv(path),
            lambda: vz.load(path),
            [
                ("csv.reader: lists of strings", lambda: csv_strings(path)),
                *per_form("  + a record a row", lambda make: csv_records(path, make), 0),
            ],
            [],
        ),
        (
            "compare_all",
            lambda: baseline.compare_all(frame),
            lambda: run.vz_compare_all(ds, None),
            [
                ("one loop: bounds by cut-off", lambda: bounds_by_cutoff(ds)),
                *per_form(f"{claims:,} claims", lambda make: claim_records(claims, make), 1),
            ],
            ["one loop: bounds by cut-off", f"{claims:,} claims, as frozen attrs"],
        ),
        (
            "check",
            lambda: baseline.check(frame),
            lambda: vz.check(ds),
            [("one loop: series sorted by cut-off", lambda: sorted_series(ds))],
            [],
        ),
        (
            "stalls",
            lambda: baseline.stalls(frame),
            lambda: vz.stalls(ds),
            [("one loop: release flows by series", lambda: release_series(ds))],
            [],
        ),
    ]
    rows: list[dict[str, Any]] = []
    for op, pandas_fn, vz_fn, floors, summed in ops:
        times = _interleaved([pandas_fn] + [fn for _, fn in floors], repeat)
        steps = [
            {"step": name, "seconds": t} for (name, _), t in zip(floors, times[1:], strict=True)
        ]
        if summed:
            total = sum(st["seconds"] for st in steps if st["step"] in summed)
            steps.append({"step": "  the first and the last together", "seconds": total})
        rows.append(
            {
                "op": op,
                "pandas_seconds": times[0],
                "vzdetain_seconds": vz_time(vz_fn),
                "floors": steps,
            }
        )
    return {"claims_returned": claims, "rows": rows}


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
    got = measure_all(args.size, args.repeat, args.data)
    print_table(args.size, got["rows"])
    if args.json is not None:
        record = {"size": args.size, "repeat": args.repeat, "targets": TARGETS, **got}
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
