"""Where the time goes: cProfile of each benchmarked vzdetain operation.

Prints, for each op, the functions with the most time of their own and the vzdetain
functions with the most cumulative time, each as a share of the op's total::

    python bench/hotspots.py --size 10000
    python bench/hotspots.py --size 100000 --ops check stalls --top 20

``compare_all`` profiles ``--pairs`` (measure, day) pairs of the shuffled order that
``bench/run.py`` uses, since every pair costs about the same.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path
from typing import Any

import run

import vzdetain as vz

HERE = Path(__file__).resolve().parent


def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    path = Path(filename)
    if "vzdetain" in path.parts:
        short = "vzdetain/" + path.name
    elif "site-packages" in path.parts:
        parts = path.parts
        short = "/".join(parts[parts.index("site-packages") + 1 :])
    elif filename == "~":
        return name
    else:
        short = path.name
    return f"{short}:{line} {name}"


def report(prof: cProfile.Profile, top: int) -> str:
    stats = pstats.Stats(prof)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in raw.values())
    lines = [f"  total {total:.2f} s (profiled)", "  own time:"]
    by_own = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for key, (_, calls, tt, _ct, _) in by_own:
        lines.append(f"    {tt / total:6.1%}  {tt:8.3f} s  {calls:>9} calls  {_where(key)}")
    lines.append("  cumulative, vzdetain functions:")
    ours = [kv for kv in raw.items() if "vzdetain" in Path(kv[0][0]).parts]
    for key, (_, calls, _tt, ct, _) in sorted(ours, key=lambda kv: kv[1][3], reverse=True)[:top]:
        lines.append(f"    {ct / total:6.1%}  {ct:8.3f} s  {calls:>9} calls  {_where(key)}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--ops", nargs="+", default=list(run.OPS), choices=run.OPS)
    parser.add_argument("--pairs", type=int, default=40, help="pairs profiled for compare_all")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args()
    run.ensure_data([args.size], args.data)
    csv = args.data / f"synth-{args.size}.csv"
    ds = vz.load(csv)
    pairs = run.day_pairs(ds)[: args.pairs]

    def compare_some() -> None:
        for measure, day in pairs:
            vz.compare(ds, measure, day)

    ops = {
        "load_csv": lambda: vz.load(csv),
        "load_json": lambda: vz.load(args.data / f"synth-{args.size}.json"),
        "compare_all": compare_some,
        "check": lambda: vz.check(ds),
        "stalls": lambda: vz.stalls(ds),
    }
    for op in args.ops:
        run.clear_vzdetain_caches()
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.runcall(ops[op])
        wall = time.perf_counter() - t0
        what = f"{len(pairs)} pairs" if op == "compare_all" else f"{args.size:,} tallies"
        print(f"{op} ({what}, {wall:.2f} s wall with the profiler)")
        print(report(prof, args.top))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
