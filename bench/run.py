"""Benchmarks of vzdetain against a pandas baseline: speed and peak memory.

For each size (tallies) it times, in this one process, (a) loading the CSV and the JSON file
into a ``Dataset``, (b) ``compare`` for every (measure, local day) pair, (c) ``check`` and
(d) ``stalls``, each next to the same computation done the obvious way in pandas
(``bench/baseline.py``). It also times ``import vzdetain`` and the whole ``vzdetain compare``
process on the 10^4 file against an equivalent pandas script, prints a table and writes
``bench/results.json``. See ``bench/README.md`` for how to read it.

Usage (from the repository root)::

    python bench/run.py                                  # 10^3, 10^4, 10^5
    python bench/run.py --sizes 100000 1000000           # 10^6 is opt-in
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import ctypes
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import baseline
import numpy as np
import pandas as pd
import pendulum
import synth

import vzdetain as vz

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000)
OPS = ("load_csv", "load_json", "compare_all", "check", "stalls")
LABELS = {
    "load_csv": "(a) load CSV",
    "load_json": "(a) load JSON",
    "compare_all": "(b) compare, all days",
    "check": "(c) check",
    "stalls": "(d) stalls",
}
#: the previous size took longer than this (s) ...
SKIP_IF_PREVIOUS_OVER = 60.0
#: ... and the projected time exceeds this (s): skip the op at the larger size
SKIP_IF_PROJECTED_OVER = 600.0
#: tracemalloc slows pure-Python code down roughly this much (measured on load and check)
TRACE_SLOWDOWN = 8.0
#: the sizes of the scaling target: each op runs --scaling-runs times at both ...
SCALING_SIZES = (100_000, 1_000_000)
#: ... unless one run takes longer than this (s)
LONGEST_REPEATED = 120.0
#: most seconds one interleaved run at the smaller scaling size may take
BUDGET_REFERENCE = 120.0
SEED = 2026


class BudgetExceededError(BaseException):
    """Raised by SIGALRM when a measurement runs past its budget.

    A BaseException, so that library code catching ``Exception`` cannot swallow it.
    """


@contextlib.contextmanager
def alarm(seconds: float | None) -> Iterator[None]:
    """Interrupt the body with BudgetExceededError after ``seconds`` (wall clock)."""
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise BudgetExceededError

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------------- resident memory

try:
    _LIBC: Any = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc
    _LIBC = None


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_reset() -> int | None:
    """Return freed memory to the OS and reset the peak-RSS mark; the current RSS in bytes.

    ``None`` where the peak cannot be reset (not Linux, or /proc/self/clear_refs refused).
    """
    gc.collect()
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return None
    kb = _status_kb("VmRSS")
    return None if kb is None else kb * 1024


def rss_peak() -> int | None:
    kb = _status_kb("VmHWM")
    return None if kb is None else kb * 1024


# ---------------------------------------------------------------------- the operations


def clear_vzdetain_caches() -> int:
    """Empty every memoised function of vzdetain (parsed phrases and times, time spans, ...).

    Called before each vzdetain run, so that no run profits from the caches an earlier run
    (or op) filled: every number is that of a first call in a fresh session.
    """
    cleared = 0
    for name, module in list(sys.modules.items()):
        if name != "vzdetain" and not name.startswith("vzdetain."):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and (
                getattr(value, "__module__", None) == name
            ):
                value.cache_clear()
                cleared += 1
    return cleared


def fresh_session(ds: vz.Dataset | None) -> None:
    """Before a vzdetain run: empty vzdetain's caches and what the dataset memoises.

    The dataset keeps its index (relays merged, cut-offs sorted) once :func:`vz.compare` or
    :func:`vz.check` has built it; emptied, every run of every op builds what it needs, as
    in a session that loaded the file and then ran that op alone.
    """
    clear_vzdetain_caches()
    if ds is not None:
        ds._derived.clear()
        gc.collect()  # what the memo held is freed here, not within the next timed run


@dataclass
class Partial:
    """What an op stopped at its deadline returns: the work done and the projected time."""

    result: Any
    done: int
    total: int
    projected: float


@dataclass
class Context:
    size: int
    csv: Path
    json: Path
    sample_budget: float
    ds: Any = None
    raw: Any = None
    frame: Any = None
    vz_results: dict[str, Any] = field(default_factory=dict)
    pd_results: dict[str, Any] = field(default_factory=dict)


def day_pairs(ds: vz.Dataset) -> list[tuple[str, dt.date]]:
    """Every (measure, local day in the dataset's zone) with a cut-off of that measure."""
    zone = ds.timezone
    day_of: dict[vz.When, dt.date] = {}
    pairs: set[tuple[str, dt.date]] = set()
    for _, t in ds.tallies():
        d = day_of.get(t.as_of)
        if d is None:
            d = day_of[t.as_of] = pendulum.instance(t.as_of.start).in_tz(zone).date()
        pairs.add((t.measure, d))
    order = sorted(pairs)
    random.Random(SEED).shuffle(order)  # a stopped run is then a fair sample
    return order


def vz_compare_all(ds: vz.Dataset, deadline: float | None) -> Any:
    """``compare(ds, measure, day)`` for every pair; stops (and projects) at the deadline."""
    t0 = time.perf_counter()
    pairs = day_pairs(ds)
    t1 = time.perf_counter()
    out = []
    for measure, day in pairs:
        if deadline is not None and out and time.perf_counter() > deadline:
            break
        c = vz.compare(ds, measure, day)
        k = c.consensus
        out.append((measure, day, k and k.low, k and k.high, bool(c.conflicts)))
    if len(out) == len(pairs):
        return out
    calls = time.perf_counter() - t1
    return Partial(out, len(out), len(pairs), (t1 - t0) + calls / len(out) * len(pairs))


def _vz_op(name: str, ctx: Context) -> Callable[[float | None], Any]:
    if name == "load_csv":
        return lambda _: vz.load(ctx.csv)
    if name == "load_json":
        return lambda _: vz.load(ctx.json)
    if name == "compare_all":
        return lambda deadline: vz_compare_all(ctx.ds, deadline)
    if name == "check":
        return lambda _: vz.check(ctx.ds)
    return lambda _: vz.stalls(ctx.ds)


def _pd_op(name: str, ctx: Context) -> Callable[[float | None], Any]:
    if name == "load_csv":
        return lambda _: baseline.read_csv(ctx.csv)
    if name == "load_json":
        return lambda _: baseline.read_json(ctx.json)
    if name == "compare_all":
        return lambda _: baseline.compare_all(ctx.frame)
    if name == "check":
        return lambda _: baseline.check(ctx.frame)
    return lambda _: baseline.stalls(ctx.frame)


# ---------------------------------------------------------------------- measuring


@dataclass
class Settings:
    budget: float
    sample_budget: float
    trace_budget: float
    repeat: int
    memory: str
    scaling_runs: int = 3


def measure(
    fn: Callable[[float | None], Any],
    s: Settings,
    iterative: bool,
    reset: Callable[[], None] | None,
    min_runs: int = 1,
    between: Callable[[], float | None] | None = None,
) -> dict[str, Any]:
    """Time ``fn`` (best of a few runs when fast) and measure its peak memory.

    Returns a record with ``status`` (``ok``, ``projected``, ``timeout`` or ``error``),
    ``seconds``, ``runs``, the peak RSS growth of the first run, the tracemalloc peak of a
    separate traced run, and ``result`` (the op's return value, not written to JSON).
    ``between``, if given, runs before each timed run (untimed by it); the seconds it
    returns are kept as ``reference_runs``.
    """
    rec: dict[str, Any] = {"status": "ok", "runs": []}
    result: Any = None
    spent = 0.0
    while True:
        if between is not None:
            took = between()
            if took is not None:
                rec.setdefault("reference_runs", []).append(took)
        if reset is not None:
            reset()
        rss0 = rss_reset() if not rec["runs"] else None
        start = time.perf_counter()
        deadline = start + s.sample_budget if iterative else None
        try:
            with alarm(s.budget):
                result = fn(deadline)
        except BudgetExceededError:
            rec.update(status="timeout", seconds=None, note=f"stopped after {s.budget:g} s")
            return rec
        except Exception as exc:  # recorded, the benchmark goes on
            rec.update(status="error", seconds=None, note=f"{type(exc).__name__}: {exc}")
            return rec
        elapsed = time.perf_counter() - start
        if rss0 is not None:
            peak = rss_peak()
            rec["rss_peak_bytes"] = None if peak is None else max(0, peak - rss0)
        rec["runs"].append(elapsed)
        spent += elapsed
        if isinstance(result, Partial):
            rec.update(
                status="projected",
                seconds=result.projected,
                note=f"stopped after {result.done} of {result.total} calls "
                f"({elapsed:.0f} s); time projected from the mean per call",
                done=result.done,
                total=result.total,
            )
            break
        enough = len(rec["runs"]) >= s.repeat or elapsed > 1.0 or spent > 3.0
        if enough and (len(rec["runs"]) >= min_runs or elapsed > LONGEST_REPEATED):
            rec["seconds"] = min(rec["runs"])
            break
        del result
        result = None
    rec["result"] = result.result if isinstance(result, Partial) else result
    if s.memory == "tracemalloc":
        rec.update(trace(fn, s, iterative, rec["runs"][0], reset))
    return rec


def trace(
    fn: Callable[[float | None], Any],
    s: Settings,
    iterative: bool,
    seconds: float,
    reset: Callable[[], None] | None,
) -> Any:
    """Peak of traced allocations (tracemalloc) in one more run, above what was live before."""
    if not iterative and seconds * TRACE_SLOWDOWN > s.trace_budget:
        return {
            "trace_note": f"not traced: a traced run would take about "
            f"{seconds * TRACE_SLOWDOWN:.0f} s (--trace-budget {s.trace_budget:g})"
        }
    if reset is not None:
        reset()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        deadline = time.perf_counter() + min(s.sample_budget, s.trace_budget / 4)
        with alarm(s.trace_budget * 1.5):
            result = fn(deadline if iterative else None)
        current, peak = tracemalloc.get_traced_memory()
    except BudgetExceededError:
        return {"trace_note": "traced run stopped at the budget"}
    finally:
        tracemalloc.stop()
    out: dict[str, Any] = {"peak_bytes": peak - base, "retained_bytes": current - base}
    if isinstance(result, Partial):
        out["trace_note"] = f"traced over {result.done} of {result.total} calls"
    del result
    gc.collect()
    return out


def projected_skip(history: list[tuple[int, float]], size: int) -> tuple[bool, float | None]:
    """Skip when the previous size took over 60 s and the projection passes 10 minutes.

    The projection scales the previous time by the growth exponent seen between the two
    previous sizes (at least linear).
    """
    if not history:
        return False, None
    prev_size, prev = history[-1]
    exponent = 1.0
    if len(history) > 1:
        size0, t0 = history[-2]
        if t0 > 0 and prev > 0:
            exponent = max(1.0, math.log(prev / t0) / math.log(prev_size / size0))
    projected = prev * (size / prev_size) ** exponent
    return prev > SKIP_IF_PREVIOUS_OVER and projected > SKIP_IF_PROJECTED_OVER, projected


# ---------------------------------------------------------------------- one size


def _reference(size: int, data: Path, s: Settings) -> Context | None:
    """At the larger scaling size, the smaller size's data, for interleaved runs.

    The scaling target divides a time at 10^6 by one at 10^5. Timed minutes apart, the two
    can fall on a fast and a slow spell of a shared machine, which moves the ratio by a
    third either way. So each vzdetain run at 10^6 is preceded by a run of the same op at
    10^5, and the target compares those neighbours (the 10^5 row keeps its own runs).
    """
    small, large = SCALING_SIZES
    if size != large or s.scaling_runs < 1:
        return None
    ref = Context(small, data / f"synth-{small}.csv", data / f"synth-{small}.json", 0.0)
    if not ref.csv.exists():
        return None
    ref.ds = vz.load(ref.csv)  # as the smaller size's own row does
    return ref


def _reference_run(ref: Context, op: str) -> Callable[[], float | None]:
    """One fresh, full run of ``op`` on the reference data; its seconds (None on error)."""
    fn = _vz_op(op, ref)

    def run() -> float | None:
        fresh_session(ref.ds)
        start = time.perf_counter()
        try:
            with alarm(BUDGET_REFERENCE):
                result = fn(None)
        except (BudgetExceededError, Exception):
            return None
        took = time.perf_counter() - start
        del result
        return took

    return run


def run_size(
    size: int, data: Path, s: Settings, history: dict[tuple[str, str], list[tuple[int, float]]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every op at one size; returns the rows and the cross-checks."""
    ctx = Context(size, data / f"synth-{size}.csv", data / f"synth-{size}.json", s.sample_budget)
    rows: list[dict[str, Any]] = []
    checks: dict[str, Any] = {}
    ref = _reference(size, data, s)
    for op in OPS:
        row: dict[str, Any] = {"size": size, "op": op}
        for impl in ("vzdetain", "pandas"):
            key = (impl, op)
            needs = ctx.ds if impl == "vzdetain" else ctx.frame
            skip, proj = projected_skip(history.get(key, []), size)
            if op not in ("load_csv", "load_json") and needs is None:
                rec: dict[str, Any] = {"status": "skipped", "note": "no dataset loaded"}
            elif skip:
                rec = {
                    "status": "skipped",
                    "projected_seconds": proj,
                    "note": f"previous size took > {SKIP_IF_PREVIOUS_OVER:g} s and the "
                    f"projection is {proj:.0f} s > {SKIP_IF_PROJECTED_OVER:g} s",
                }
            else:
                fn = (_vz_op if impl == "vzdetain" else _pd_op)(op, ctx)
                print(f"  {size:>9,} {op:<12} {impl:<9}", end=" ", flush=True)
                ours = impl == "vzdetain"
                reset = (lambda: fresh_session(ctx.ds)) if ours else None
                rec = measure(
                    fn,
                    s,
                    iterative=ours and op == "compare_all",
                    reset=reset,
                    min_runs=s.scaling_runs if size in SCALING_SIZES else 1,
                    between=_reference_run(ref, op) if ours and ref is not None else None,
                )
                print(_seconds(rec), flush=True)
            if rec.get("seconds") is not None:
                history.setdefault(key, []).append((size, rec["seconds"]))
            result = rec.pop("result", None)
            if impl == "vzdetain":
                ctx.vz_results[op] = result
            else:
                ctx.pd_results[op] = result
            row[impl] = rec
        if op == "load_csv":
            ctx.ds = ctx.vz_results.pop("load_csv")
            ctx.raw = ctx.pd_results.pop("load_csv")
            if ctx.ds is not None:
                n = sum(len(r.tallies) for r in ctx.ds.reports)
                checks["tallies_loaded"] = n
                kept = row["vzdetain"].get("retained_bytes")
                if kept is not None:
                    checks["dataset_bytes_per_tally"] = round(kept / n)
            if ctx.raw is not None:
                t0 = time.perf_counter()
                ctx.frame = baseline.prepare(ctx.raw)
                checks["pandas_prepare_seconds"] = round(time.perf_counter() - t0, 4)
        elif op == "load_json":
            ds_json = ctx.vz_results.pop("load_json")
            if ds_json is not None and ctx.ds is not None:
                checks["csv_and_json_load_equal"] = ds_json == ctx.ds
            del ds_json
            ctx.pd_results.pop("load_json", None)
        elif op == "compare_all":
            checks.update(_compare_checks(ctx))
            if ctx.frame is not None and row["pandas"].get("status") == "ok":
                t0 = time.perf_counter()
                baseline.compare_all_simple(ctx.frame)
                row["pandas"]["simple_groupby_seconds"] = round(time.perf_counter() - t0, 4)
        elif op == "check":
            vz_found = ctx.vz_results.get("check")
            if vz_found is not None:
                checks["check_findings_vzdetain"] = dict(
                    collections.Counter(f.kind.value for f in vz_found)
                )
            checks["check_findings_pandas"] = ctx.pd_results.get("check")
        elif op == "stalls":
            if ctx.vz_results.get("stalls") is not None:
                checks["stalls_vzdetain"] = len(ctx.vz_results["stalls"])
            if ctx.pd_results.get("stalls") is not None:
                checks["stalls_pandas"] = len(ctx.pd_results["stalls"])
        ctx.vz_results.pop(op, None)
        ctx.pd_results.pop(op, None)
        rows.append(row)
    return rows, checks


def _compare_checks(ctx: Context) -> dict[str, Any]:
    """How often vzdetain's and pandas' (measure, day) answers agree."""
    ours = ctx.vz_results.get("compare_all")
    theirs = ctx.pd_results.get("compare_all")
    if not ours or theirs is None:
        return {}
    days = theirs["day"].dt.tz_convert(baseline.TZ).dt.date
    index = {
        (m, d): (lo, hi, c)
        for m, d, lo, hi, c in zip(
            theirs["measure"], days, theirs["low"], theirs["high"], theirs["conflict"], strict=True
        )
    }
    same = 0
    for measure, day, low, high, conflict in ours:
        lo, hi, c = index.get((measure, day), (np.nan, np.nan, None))
        if c is None or bool(c) != conflict:
            continue
        p_low = None if np.isnan(lo) else int(lo)
        p_high = None if np.isnan(hi) or np.isinf(hi) else int(hi)
        same += conflict or (low, high) == (p_low, p_high)
    return {"compare_pairs_checked": len(ours), "compare_pairs_agreeing": same}


# ---------------------------------------------------------------------- whole processes


def _installed_env() -> dict[str, str]:
    """The environment of a normal installation: bytecode is cached in ``.pyc`` files.

    (A sandbox may set PYTHONDONTWRITEBYTECODE, which makes every start compile vzdetain's
    sources again; an installed package never pays that.)
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _compile_sources() -> None:
    """Write the ``.pyc`` files of vzdetain, as ``pip install`` does."""
    package = Path(vz.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=True,
        env=_installed_env(),
    )


def _timed_runs(cmds: list[list[str]], n: int) -> list[list[float]]:
    """Wall times of ``n`` runs of each command, the commands taking turns.

    Taking turns spreads a slow spell of a shared machine over every command, where
    running one command's runs and then the other's would charge it to one of them.
    """
    times: list[list[float]] = [[] for _ in cmds]
    env = _installed_env()
    for _ in range(n):
        for cmd, out in zip(cmds, times, strict=True):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
            out.append(time.perf_counter() - t0)
    return times


def import_time(n: int) -> dict[str, Any]:
    """``python -c "import vzdetain"`` minus ``python -c pass``, best of n; and -X importtime."""
    py = sys.executable
    _compile_sources()
    subprocess.run([py, "-c", "import vzdetain, pandas"], check=True, env=_installed_env())
    bare, ours, pandas_ = _timed_runs(
        [[py, "-c", "pass"], [py, "-c", "import vzdetain"], [py, "-c", "import pandas"]], n
    )
    cumulative = []
    for _ in range(n):
        err = subprocess.run(
            [py, "-X", "importtime", "-c", "import vzdetain"],
            check=True,
            capture_output=True,
            text=True,
            env=_installed_env(),
        ).stderr
        for line in err.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "vzdetain":
                cumulative.append(int(parts[1]) / 1e6)
    return {
        "method": f"wall time of python -c 'import vzdetain' minus python -c pass, best of {n} "
        "runs taking turns, with bytecode cached in .pyc files as in an installed package",
        "seconds": min(ours) - min(bare),
        "python_startup_seconds": min(bare),
        "importtime_cumulative_seconds": min(cumulative) if cumulative else None,
        "pandas_seconds": min(pandas_) - min(bare),
    }


def _check_script_entry_point() -> None:
    """Stop if the installed ``vzdetain`` script runs another function than pyproject.toml names.

    An editable install keeps the script it was installed with: after the entry point
    changes, the timed command would not be what a fresh install runs.
    """
    import importlib.metadata
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    installed = {
        ep.name: ep.value for ep in importlib.metadata.entry_points(group="console_scripts")
    }
    if installed.get("vzdetain") != declared["vzdetain"]:
        raise SystemExit(
            f"the installed vzdetain script runs {installed.get('vzdetain')!r}, "
            f"pyproject.toml names {declared['vzdetain']!r}: reinstall (pip install -e .)"
        )


def cli_time(csv: Path, n: int) -> dict[str, Any]:
    """Whole-process wall time of ``vzdetain compare FILE`` and of the pandas script."""
    script = Path(sys.executable).with_name("vzdetain")
    if script.exists():
        _check_script_entry_point()
    ours = [str(script)] if script.exists() else [sys.executable, "-m", "vzdetain"]
    name = str(csv.relative_to(ROOT)) if csv.is_relative_to(ROOT) else str(csv)
    ours += ["compare", name]
    theirs = [sys.executable, str(HERE / "baseline.py"), name]
    _compile_sources()
    for cmd in (ours, theirs):  # warm-up: .pyc files, page cache
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=_installed_env())
    t_ours, t_theirs = _timed_runs([ours, theirs], n)
    return {
        "file": name,
        "vzdetain_command": " ".join(Path(c).name if c == ours[0] else c for c in ours),
        "pandas_command": "python bench/baseline.py FILE",
        "vzdetain_seconds": min(t_ours),
        "pandas_seconds": min(t_theirs),
        "vzdetain_runs": t_ours,
        "pandas_runs": t_theirs,
        "ratio": min(t_ours) / min(t_theirs),
        "vzdetain_median": statistics.median(t_ours),
        "pandas_median": statistics.median(t_theirs),
    }


# ---------------------------------------------------------------------- targets, table


def _peak(rec: dict[str, Any]) -> tuple[int | None, str]:
    """The peak used in the table: tracemalloc if measured, else the RSS growth ("r")."""
    if rec.get("peak_bytes") is not None:
        return rec["peak_bytes"], ""
    if rec.get("rss_peak_bytes") is not None:
        return rec["rss_peak_bytes"], "r"
    return None, ""


def _ratio(row: dict[str, Any]) -> float | None:
    a, b = row["vzdetain"].get("seconds"), row["pandas"].get("seconds")
    return a / b if a is not None and b else None


def _first_runs(rec: dict[str, Any], k: int) -> float | None:
    """The best of an op's first ``k`` runs; a projected time for a sampled one."""
    if rec.get("seconds") is None:
        return None
    if rec.get("status") == "projected" or not rec.get("runs"):
        return float(rec["seconds"])
    return float(min(rec["runs"][:k]))


def _scaling(ours: dict[str, Any], prev: dict[str, Any] | None) -> dict[str, Any]:
    """Time at 10^6 over time at 10^5: each the best of the same number of runs.

    ``value`` uses the 10^5 runs interleaved with the 10^6 ones (``reference_runs``), so a
    slow spell of the machine weighs on both sides; ``sequential`` uses the 10^5 row's own
    first runs, timed minutes earlier. Both sizes run each op ``--scaling-runs`` times (once
    when a run takes over ``LONGEST_REPEATED`` seconds); an op under a second at 10^5 runs up
    to ``--repeat`` times in its row, and only as many runs as 10^6 had count.
    """
    out: dict[str, Any] = {"value": None, "runs_compared": 0}
    if prev is None:
        return out
    k = max(1, min(len(ours.get("runs") or [0]), len(prev.get("runs") or [0])))
    a, b = _first_runs(ours, k), _first_runs(prev, k)
    sequential = None if a is None or b is None else a / b
    refs = ours.get("reference_runs") or []
    if refs and a is not None and ours.get("status") == "ok":
        k = min(len(ours["runs"]), len(refs))
        a = min(ours["runs"][:k])
        out.update(value=a / min(refs[:k]), method="interleaved")
    else:
        out.update(value=sequential, method="sequential")
    out.update(runs_compared=k, sequential=sequential)
    return out


def row_targets(row: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets that apply to one row, each met, missed or not measured."""
    out = []
    ours = row["vzdetain"]
    ratio = _ratio(row)
    projected = ours.get("status") == "projected"

    def verdict(ok: bool | None, timed: bool = True) -> str:
        if ok is None:
            return "not measured"
        return ("met" if ok else "missed") + (" (projected)" if projected and timed else "")

    if row["op"] in ("load_csv", "load_json"):
        ok = None if ratio is None else ratio <= 3
        out.append({"target": "load <= 3x pandas", "status": verdict(ok)})
    elif row["size"] == 100_000:
        ok = None if ratio is None else ratio <= 1
        out.append({"target": "<= 1x pandas", "status": verdict(ok)})
    small, large = SCALING_SIZES
    if row["size"] == large:
        prev = next(
            (r for r in rows if r["size"] == small and r["op"] == row["op"]),
            None,
        )
        scaling = _scaling(ours, prev["vzdetain"] if prev else None)
        value = scaling["value"]
        ok = None if value is None else value <= 12
        out.append({"target": "10^6/10^5 <= 12", **scaling, "status": verdict(ok)})
        peak, mark = _peak(ours)
        ok = None if peak is None else peak / row["size"] < 1024
        status = verdict(ok, timed=False)
        if ok and mark:  # the growth of the resident set misses memory freed and reused
            status += " (RSS growth, which can read low)"
        out.append({"target": "< 1 kB/tally", "status": status})
    return out


def _seconds(rec: dict[str, Any]) -> str:
    status = rec.get("status")
    if status == "skipped":
        return "skipped"
    if status == "timeout":
        return "timeout"
    if status == "error":
        return "error"
    value = rec["seconds"]
    text = f"{value:.3g}" if value < 1000 else f"{value:.2e}"
    return f"~{text} proj" if status == "projected" else text


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "size",
        "operation",
        "vzdetain s",
        "pandas s",
        "ratio",
        "vz peak MB",
        "B/tally",
        "target",
    )
    lines = []
    for row in rows:
        ours = row["vzdetain"]
        ratio = _ratio(row)
        peak, mark = _peak(ours)
        targets = "; ".join(f"{t['target']}: {t['status']}" for t in row["targets"])
        lines.append(
            (
                f"{row['size']:,}",
                LABELS[row["op"]],
                _seconds(ours),
                _seconds(row["pandas"]),
                "-" if ratio is None else f"{ratio:.3g}",
                "-" if peak is None else f"{peak / 2**20:.1f}{mark}",
                "-" if peak is None else f"{peak / row['size']:.0f}{mark}",
                targets or "-",
            )
        )
    widths = [max(len(x) for x in col) for col in zip(head, *lines, strict=True)]
    right = {2, 3, 4, 5, 6}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [fmt(head), "  ".join("-" * w for w in widths)]
    previous = None
    for row, cells in zip(rows, lines, strict=True):
        if previous is not None and row["size"] != previous:
            out.append("")
        previous = row["size"]
        out.append(fmt(cells))
    return "\n".join(out)


def _scaling_note(t: dict[str, Any]) -> str:
    """`` (11.2 interleaved, best of 3; 13.0 sequential)`` for a scaling target."""
    if t.get("value") is None or "method" not in t:
        return ""
    note = f" ({t['value']:.1f} {t['method']}, best of {t['runs_compared']}"
    if t["method"] == "interleaved" and t.get("sequential") is not None:
        note += f"; {t['sequential']:.1f} sequential"
    return note + ")"


# ---------------------------------------------------------------------- main


def ensure_data(sizes: list[int], data: Path) -> None:
    for size in sizes:
        if not (data / f"synth-{size}.csv").exists():
            print(f"generating {size:,} tallies (CSV) ...", flush=True)
            synth.write_csv(size, data, SEED)
        if not (data / f"synth-{size}.json").exists():
            print(f"generating {size:,} tallies (JSON) ...", flush=True)
            synth.write_json(size, data, SEED)


def git_state() -> dict[str, Any]:
    """The commit benchmarked and whether src/ had uncommitted changes (read-only git calls)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.rstrip() if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", "src").splitlines()
    return {"commit": git("rev-parse", "HEAD") or None, "src_changes": changed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", type=int, default=list(DEFAULT_SIZES), help="tallies per dataset"
    )
    parser.add_argument("--data", type=Path, default=HERE / "data", help="synthetic data folder")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument(
        "--budget", type=float, default=600, help="most seconds one measurement may run"
    )
    parser.add_argument(
        "--sample-budget",
        type=float,
        default=120,
        help="seconds of compare calls before (b) stops and projects the rest",
    )
    parser.add_argument(
        "--trace-budget",
        type=float,
        default=400,
        help="seconds a tracemalloc run may take (longer ones keep the RSS figure)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="most runs of an op under 1 s")
    parser.add_argument(
        "--scaling-runs",
        type=int,
        default=3,
        help="runs of each op at 10^5 and 10^6, for the scaling target (fewer over 120 s a run)",
    )
    parser.add_argument(
        "--memory",
        choices=("tracemalloc", "rss"),
        default="tracemalloc",
        help="peak memory from a separate tracemalloc run, or only the RSS of the timed run",
    )
    parser.add_argument("--cli-size", type=int, default=10_000)
    parser.add_argument(
        "--cli-repeat", type=int, default=21, help="runs of each whole process (best is kept)"
    )
    parser.add_argument("--skip-process", action="store_true", help="skip import and CLI timing")
    args = parser.parse_args()

    sizes = sorted(set(args.sizes))
    settings = Settings(
        args.budget,
        args.sample_budget,
        args.trace_budget,
        args.repeat,
        args.memory,
        args.scaling_runs,
    )
    ensure_data(sorted({*sizes, args.cli_size}), args.data)
    started = time.time()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": os.getloadavg(),
        },
        "versions": {"vzdetain": vz.__version__, "pandas": pd.__version__},
        "git": git_state(),
        "settings": {
            "sizes": sizes,
            "budget_seconds": args.budget,
            "sample_budget_seconds": args.sample_budget,
            "trace_budget_seconds": args.trace_budget,
            "repeat": args.repeat,
            "scaling_runs": args.scaling_runs,
            "vzdetain_runs_start": "fresh: vzdetain's caches and the dataset's memo emptied",
            "skip_rule": f"skip when the previous size took > {SKIP_IF_PREVIOUS_OVER:g} s and "
            f"the projected time is > {SKIP_IF_PROJECTED_OVER:g} s",
            "seed": SEED,
        },
        "memory_method": (
            "peak_bytes: tracemalloc peak of a separate run above the memory live before it "
            "(Python and numpy allocations); rss_peak_bytes: growth of the peak resident set "
            "(VmHWM, reset through /proc/self/clear_refs after malloc_trim) during the first "
            "timed run"
        ),
    }
    if not args.skip_process:
        print("import and whole-process timing ...", flush=True)
        results["import"] = import_time(args.cli_repeat)
        results["cli"] = cli_time(args.data / f"synth-{args.cli_size}.csv", args.cli_repeat)

    rows: list[dict[str, Any]] = []
    checks: dict[str, Any] = {}
    history: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for size in sizes:
        print(f"size {size:,}", flush=True)
        size_rows, checks[str(size)] = run_size(size, args.data, settings, history)
        rows.extend(size_rows)
        gc.collect()
    for row in rows:
        row["ratio"] = _ratio(row)
        row["targets"] = row_targets(row, rows)

    targets = []
    if "import" in results:
        ms = results["import"]["seconds"] * 1000
        targets.append(
            {
                "target": "import vzdetain < 120 ms",
                "value": ms,
                "status": "met" if ms < 120 else "missed",
            }
        )
        cli = results["cli"]
        targets.append(
            {
                "target": f"vzdetain compare on {args.cli_size:,} tallies <= 0.5x pandas script",
                "value": cli["ratio"],
                "status": "met" if cli["ratio"] <= 0.5 else "missed",
            }
        )
    for row in rows:
        for t in row["targets"]:
            targets.append({"size": row["size"], "op": row["op"], **t})
    results["rows"] = rows
    results["checks"] = checks
    results["targets"] = targets
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    results["wall_seconds"] = time.time() - started
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")

    print()
    print(table(rows))
    print()
    print("peak MB, B/tally: tracemalloc peak; 'r': RSS growth (tracemalloc run not affordable)")
    for size, c in checks.items():
        print(f"{int(size):,}: " + ", ".join(f"{k}={v}" for k, v in c.items()))
    if "import" in results:
        imp, cli = results["import"], results["cli"]
        print(
            f"import vzdetain: {imp['seconds'] * 1000:.0f} ms (pandas: "
            f"{imp['pandas_seconds'] * 1000:.0f} ms; python startup "
            f"{imp['python_startup_seconds'] * 1000:.0f} ms)"
        )
        print(
            f"whole process, {cli['file']}: vzdetain compare {cli['vzdetain_seconds']:.3f} s, "
            f"pandas script {cli['pandas_seconds']:.3f} s, ratio {cli['ratio']:.2f}"
        )
    print()
    print("targets:")
    for t in targets:
        where = f"{t['size']:,} {LABELS[t['op']]}: " if "size" in t else ""
        print(f"  {t['status']:<22} {where}{t['target']}{_scaling_note(t)}")
    print(f"\nwrote {args.out} ({time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
