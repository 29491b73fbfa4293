"""``python -m vzdetain``: a summary of a dataset (the bundled example by default)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vzdetain.datasets import venezuela_2026_01
from vzdetain.errors import VzdetainError
from vzdetain.files import load
from vzdetain.model import Dataset


def summary(dataset: Dataset) -> str:
    """A plain-text table of every tally in the dataset, in the dataset's zone."""
    tz = dataset.timezone
    lines = [dataset.title or "dataset", f"time zone: {tz}", ""]
    rows = [("source", "measure", "count", "bounds", "as of", "since", "published by")]
    for report, t in dataset.tallies():
        rows.append(
            (
                t.source or "",
                t.measure,
                t.count.render("en"),
                t.count.interval(),
                t.as_of.in_tz(tz).format(tz),
                "" if t.period_start is None else t.period_start.in_tz(tz).format(tz),
                report.publisher,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vzdetain`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        dataset = load(args[0]) if args else venezuela_2026_01()
    except VzdetainError as exc:
        print(f"vzdetain: {exc}", file=sys.stderr)
        return 2
    print(summary(dataset))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
