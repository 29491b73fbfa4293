"""``python -m vzdetain``: the command line (see :mod:`vzdetain.cli`)."""

from __future__ import annotations

import gc

from vzdetain.model import Dataset


def summary(dataset: Dataset) -> str:
    """A plain-text table of every tally in the dataset, in the dataset's zone.

    A ``group`` column (``sex=female;age=minor``, ``(all)`` for everyone) is shown when any
    tally is of a subgroup.
    """
    tz = dataset.timezone
    lines = [dataset.title or "dataset", f"time zone: {tz}", ""]
    from vzdetain.cli import _group_cell

    grouped = any(t.subgroup for _, t in dataset.tallies())  # a group column, if needed
    head = ["source", "measure", "group", "count", "bounds", "as of", "since", "published by"]
    rows = [head if grouped else [h for h in head if h != "group"]]
    for report, t in dataset.tallies():
        group = [_group_cell(t.subgroup, "en")] if grouped else []
        rows.append(
            [
                t.source or "",
                t.measure,
                *group,
                t.count.render("en"),
                t.count.interval(),
                t.as_of.in_tz(tz).format(tz),
                "" if t.period_start is None else t.period_start.in_tz(tz).format(tz),
                report.publisher,
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def main() -> int:
    """Entry point of ``python -m vzdetain`` and the ``vzdetain`` script.

    The process ends once it returns: it freezes what is alive (``gc.freeze()``), so
    that shutting down does not collect the dataset read. To run the command line within a
    longer-lived program, call :func:`vzdetain.cli.main`, which does not.
    """
    from vzdetain._bulk import paused_gc

    with paused_gc():  # as `import vzdetain` does: the modules live as long as the process
        from vzdetain.cli import main as cli_main

    code = cli_main()
    # The process ends next. Freezing what is still alive spares the interpreter the
    # collections it runs while shutting down, over every object of the dataset read
    # (tens of milliseconds for 10^4 tallies). Nothing of the command is left to collect.
    gc.freeze()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
