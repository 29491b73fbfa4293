"""The ``vzdetain`` command line.

Every subcommand takes an optional dataset file (JSON or CSV); without one it works on the
bundled January 2026 example, so ``vzdetain compare`` alone shows something useful.
Tables are for people; ``--json`` prints the same result as JSON (the library's own
serialisation) for machines; ``--lang es`` writes phrases and labels in Spanish.

Exit codes: ``0`` success; ``1`` findings or conflicts when ``--strict`` is given; ``2`` bad
input (every problem is listed on standard error with its row and field, without a
traceback).

>>> main(["validate"])
bundled example (venezuela_2026_01): valid, 2 reports, 9 tallies, 5 sources, 1 own measure
0
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import json
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from vzdetain.counts import Count
from vzdetain.errors import LoadError, ValidationError, VzdetainError
from vzdetain.files import dump, load
from vzdetain.model import Dataset, MeasureKind, Tally
from vzdetain.serialize import unstructure
from vzdetain.when import When

if TYPE_CHECKING:
    from vzdetain.reconcile import Claim

__all__ = ["build_parser", "main"]

_EXAMPLE = "bundled example (venezuela_2026_01)"


class _UsageError(Exception):
    """A bad command-line argument (exit 2)."""


# ---------------------------------------------------------------------- helpers


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    return "\n".join(lines)


def _count(c: Count | None, lang: str) -> str:
    if c is None:
        return "-"
    return f"{c.render(lang)} {c.interval()}" if c.qualifier.value != "derived" else c.interval()


def _claim_count(claim: Claim, lang: str) -> str:
    """A claim's count, or the primary's phrase and what the merged statements leave.

    No source stated a narrowed figure ("nearly 50" and "about 40" leave 45).
    """
    from vzdetain.reconcile import _narrowed

    count = claim.count
    if not _narrowed(claim) or count.qualifier.value != "derived":
        return _count(count, lang)
    return f"{claim.stated.render(lang)} → {count.interval()}"


def _when(w: When | None, tz: str) -> str:
    if w is None:
        return "-"
    return w.in_tz(tz).format(tz)


def _dt(t: dt.datetime | None, tz: str) -> str:
    if t is None:
        return "-"
    return When.instant(t).in_tz(tz).format(tz)


def _load(path: str | None, timezone: str | None) -> tuple[Dataset, str]:
    if path is None:
        from vzdetain.datasets import venezuela_2026_01

        return venezuela_2026_01(), _EXAMPLE
    return load(path, timezone=timezone), path


def _print_json(value: Any, out: TextIO) -> None:
    out.write(json.dumps(unstructure(value), ensure_ascii=False, indent=2) + "\n")


def _label(lang: str, en: str, es: str) -> str:
    return es if lang == "es" else en


def _parse_when(text: str | None, tz: str, name: str) -> When | None:
    if text is None:
        return None
    try:
        return When.parse(text, tz=tz)
    except VzdetainError as exc:
        raise _UsageError(f"--{name}: {exc}") from None


def _parse_subgroup(text: str | None) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    pairs = []
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _UsageError(f"--subgroup: write key=value;key=value (got {text!r})")
        pairs.append((key.strip(), value.strip()))
    return tuple(sorted(pairs))


def _days(value: float, name: str) -> float:
    """A number of days given on the command line: finite, not negative, under 100 years."""
    if not math.isfinite(value) or not 0 <= value <= 36_500:
        raise _UsageError(f"--{name}: give a number of days from 0 to 36500 (got {value})")
    return value


def _csv_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(x.strip() for x in text.split(",") if x.strip())


# ---------------------------------------------------------------------- commands


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    paths: list[str | None] = list(args.paths) or [None]
    results: list[dict[str, Any]] = []
    status = 0
    for path in paths:
        try:
            ds, name = _load(path, args.timezone)
        except (LoadError, VzdetainError, OSError) as exc:
            status = 2
            problems = [str(p) for p in exc.problems] if isinstance(exc, LoadError) else [str(exc)]
            results.append({"file": path, "valid": False, "problems": problems})
            continue
        results.append(
            {
                "file": name,
                "valid": True,
                "reports": len(ds.reports),
                "tallies": sum(len(r.tallies) for r in ds.reports),
                "sources": len(
                    {r.publisher for r in ds.reports}
                    | {s for _, t in ds.tallies() for s in (t.source or "", *t.via) if s}
                ),
                "measures": len(ds.measures),
            }
        )
    if args.json:
        out.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return status
    for r in results:
        if not r["valid"]:  # problems go to standard error, as for every command
            err: TextIO = args.stderr
            if len(r["problems"]) == 1:  # on one line, which names the file
                (problem,) = r["problems"]
                if r["file"] and r["file"] not in problem:
                    problem = f"{r['file']}: {problem}"
                err.write(f"vzdetain validate: {problem}\n")
            else:
                err.write(f"vzdetain validate: {r['file']}: {len(r['problems'])} problems\n")
                err.writelines(f"  {p}\n" for p in r["problems"])
            continue
        parts = [
            f"{r[key]} {_label(args.lang, *words[r[key] != 1])}"
            for key, words in _VALIDATE_WORDS.items()
        ]
        out.write(f"{r['file']}: {_label(args.lang, 'valid', 'válido')}, {', '.join(parts)}\n")
    return status


# what validate counts: (English, Spanish) for one, then for several
_VALIDATE_WORDS: Final = {
    "reports": (("report", "informe"), ("reports", "informes")),
    "tallies": (("tally", "cifra"), ("tallies", "cifras")),
    "sources": (("source", "fuente"), ("sources", "fuentes")),
    "measures": (("own measure", "medida propia"), ("own measures", "medidas propias")),
}


def _cmd_convert(args: argparse.Namespace, out: TextIO) -> int:
    ds, _ = _load(args.source, args.timezone)
    target = Path(args.target)
    dump(ds, target)
    if args.json:
        out.write(
            json.dumps({"written": str(target), "tallies": sum(len(r.tallies) for r in ds.reports)})
            + "\n"
        )
    else:
        out.write(f"wrote {target} ({sum(len(r.tallies) for r in ds.reports)} tallies)\n")
    return 0


def _default_at(
    tallies: Sequence[Tally],
    measure: str,
    subgroup: tuple[tuple[str, str], ...] = (),
    since: When | None = None,
) -> tuple[When, When | None]:
    """The time to compare by default, and for a flow the start of the period compared.

    The time is the latest cut-off of the measure's ``tallies``: of the group compared when
    it has figures, else of the groups it lies within or contains (which bound it), else of
    any group, so the comparison still shows them. For a flow, the latest of the figures
    over one period: the one ``since`` names, else the period start most sources share (then
    most cut-offs, then the earliest). That start is returned (``since`` if given), to be
    compared: the latest end of some other period, or another default period near the time
    compared, would leave the figures compared short of it.
    """
    if not tallies:
        raise _UsageError(f"no tallies of {measure!r} in the dataset")
    wanted = set(subgroup)
    chosen = (
        [t for t in tallies if t.subgroup == subgroup]
        or [t for t in tallies if wanted <= set(t.subgroup) or set(t.subgroup) <= wanted]
        or tallies
    )
    from vzdetain.reconcile import _same_time_matches, same_time, span

    # flows by period start, keyed by its span in µs (hashing a time is slow)
    by_start: dict[tuple[int, int], list[Tally]] = defaultdict(list)
    for t in chosen:
        if t.period_start is not None:
            by_start[span(t.period_start)].append(t)
    start = since
    if by_start:
        if since is not None:
            chosen = [
                t
                for ts in by_start.values()
                if same_time(ts[0].period_start, since)  # type: ignore[arg-type]
                for t in ts
            ] or chosen
        else:
            # most sources, then most cut-offs (relays of one figure count once), then
            # earliest; a start counts the figures of every start it matches (same_time), as
            # compare does
            groups = by_start
            if len(by_start) > 1:
                starts = {k: ts[0].period_start for k, ts in by_start.items()}
                matches = _same_time_matches(starts)  # type: ignore[arg-type]
                groups = {k: [t for k2 in ks for t in by_start[k2]] for k, ks in matches.items()}
            key = max(
                groups,
                key=lambda k: (
                    len({t.source for t in groups[k]}),
                    len({(t.source, span(t.as_of)) for t in groups[k]}),
                    -k[0],
                ),
            )
            chosen = groups[key]
            start = by_start[key][0].period_start
    return max((t.as_of for t in chosen), key=lambda w: (w.end, w.start)), start


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from vzdetain.reconcile import Policy, _compare_each

    ds, _ = _load(args.path, args.timezone)
    tz = ds.timezone
    by_measure: dict[str, list[Tally]] = defaultdict(list)
    for _, t in ds.tallies():
        by_measure[t.measure].append(t)
    # the most reported measure first (political prisoners, in the bundled example)
    measures = (
        [args.measure]
        if args.measure
        else sorted(by_measure, key=lambda m: (-len(by_measure[m]), m))
    )
    if args.measure and args.measure not in ds.all_measures:
        raise _UsageError(
            f"--measure: unknown measure {args.measure!r}; "
            f"known: {', '.join(sorted(ds.all_measures))}"
        )
    at_arg = _parse_when(args.at, tz, "at")
    since = _parse_when(args.since, tz, "since")
    try:
        policy = Policy(args.policy)
    except ValueError:
        raise _UsageError(f"--policy: one of {', '.join(p.value for p in Policy)}") from None
    subgroup = _parse_subgroup(args.subgroup)
    kwargs: dict[str, Any] = {"policy": policy, "subgroup": subgroup}
    if args.window is not None:
        kwargs["window"] = dt.timedelta(days=_days(args.window, "window"))
    if args.prefer and policy is not Policy.PREFERRED:
        raise _UsageError("--prefer: a priority applies only with --policy preferred")
    if args.prefer:
        prefer: tuple[str, ...] = _csv_list(args.prefer) or ()
        kwargs["priority"] = prefer
        unknown = [p for p in prefer if p not in ds.all_sources]
        if unknown:
            raise _UsageError(
                f"--prefer: unknown source id {unknown[0]!r}; "
                f"known: {', '.join(sorted(ds.all_sources))}"
            )
    elif policy is Policy.PREFERRED:
        raise _UsageError(
            "--policy preferred needs --prefer: source ids, most preferred first "
            f"(known: {', '.join(sorted(ds.all_sources))})"
        )
    if since is not None and args.measure and ds.measure(args.measure).kind is MeasureKind.STOCK:
        raise _UsageError(
            f"--since: {args.measure} is a stock, counted at a cut-off; --since picks the "
            "period of a flow"
        )
    calls = []
    for m in measures:
        flow = ds.measure(m).kind is MeasureKind.FLOW
        at, period = at_arg, since if flow else None
        if at is None:
            at, period = _default_at(by_measure.get(m, []), m, subgroup, period)
        calls.append({"measure": m, "at": at, "since": period if flow else None, **kwargs})
    # as compare() for each, indexing only the tallies near the times compared
    results = _compare_each(ds, calls)
    if args.json:
        # one object for the measure asked for; a list (maybe empty) for every measure; each
        # with the explanation in the language asked for (the "Why:" lines of the table)
        shaped = [_comparison_json(c, args.lang) for c in results]
        _print_json(shaped[0] if args.measure else shaped, out)
    elif not results:
        out.write(_label(args.lang, "No figures to compare.\n", "No hay cifras que comparar.\n"))
    else:
        blocks = []
        for c in results:
            blocks.append(_comparison_text(c, tz, args.lang))
        out.write("\n\n".join(blocks) + "\n")
        groups = {t.subgroup for m in measures for t in by_measure.get(m, [])}
        if subgroup and subgroup not in groups:
            present = "; ".join(sorted(_group(g) for g in groups if g))
            labels = [ds.measure(m).label(args.lang) for m in measures]
            last = _label(args.lang, " or ", " ni ")
            what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + last + labels[-1]
            out.write(
                _label(
                    args.lang,
                    f"\nNo tally of {what} counts the group {_group(subgroup)}"
                    + (
                        f" (groups with tallies: {present}).\n"
                        if present
                        else ", nor any other group.\n"
                    ),
                    f"\nNinguna cifra de {what} cuenta el grupo {_group(subgroup)}"
                    + (
                        f" (grupos con cifras: {present}).\n"
                        if present
                        else ", ni ningún otro grupo.\n"
                    ),
                )
            )
    conflicts = any(c.conflicts or any(not r.consistent for r in c.related) for c in results)
    return 1 if args.strict and conflicts else 0


def _comparison_json(c: Any, lang: str) -> dict[str, Any]:
    """A comparison as JSON, with its ``explanation``: one sentence a line, in ``lang``."""
    shaped: dict[str, Any] = unstructure(c)
    shaped["explanation"] = list(c.sentences(lang))
    return shaped


# Spanish for the values of enums shown in tables (identifiers such as kinds stay as they are)
_ES_VALUES: Final = {
    "info": "info",
    "warning": "advertencia",
    "error": "error",
    "confirmed": "confirmada",
    "unreported": "sin declaraciones",
    "mixed": "mixta",
    "lower": "inferior",
    "upper": "superior",
}


def _length(span: dt.timedelta) -> str:
    """A stall's length in days, hours and minutes: "1 d 21 h 45 min"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{mins} min")
    return " ".join(parts)


def _enum_label(value: enum.Enum, lang: str) -> str:
    """A severity, certainty or bound as a table shows it, in the language asked for."""
    text = str(value.value)
    return _label(lang, text, _ES_VALUES.get(text, text))


def _group(subgroup: tuple[tuple[str, str], ...]) -> str:
    """A subgroup as ``--subgroup`` takes it (``sex=female;age=minor``); empty for everyone."""
    return ";".join(f"{k}={v}" for k, v in subgroup)


def _group_cell(subgroup: tuple[tuple[str, str], ...], lang: str) -> str:
    """A subgroup in a table column next to others: ``(all)`` for everyone."""
    return _group(subgroup) or _label(lang, "(all)", "(todos)")


def _comparison_text(c: Any, tz: str, lang: str) -> str:
    shown: dict[int, str] = {}  # each cut-off object's text (loaded tallies share them)

    def when(w: When | None) -> str:
        got = shown.get(id(w))
        if got is None:
            got = shown[id(w)] = _when(w, tz)
        return got

    from vzdetain.reconcile import Words

    words = Words(tz, {}, "es" if lang == "es" else "en")
    title = _label(lang, "Comparison", "Comparación")
    group = f" [{_group(c.subgroup)}]" if c.subgroup else ""
    head = f"{title}: {c.measure}{group} @ {_when(c.at, tz)}"
    if c.since is not None:
        head += f" ({_label(lang, 'since', 'desde')} {_when(c.since, tz)})"
    rows = []
    for claim in c.considered:
        rows.append(
            [
                claim.source,
                _claim_count(claim, lang),
                when(claim.as_of),
                _label(lang, claim.basis.value, words.basis(claim.basis))
                if hasattr(claim, "basis")
                else "",
                ", ".join(claim.publishers) if hasattr(claim, "publishers") else "",
            ]
        )
    parts = [head, ""]
    if rows:
        parts.append(
            _table(
                rows,
                [
                    _label(lang, "source", "fuente"),
                    _label(lang, "count", "cifra"),
                    _label(lang, "as of", "corte"),
                    _label(lang, "basis", "base"),
                    _label(lang, "published by", "publicada por"),
                ],
            )
        )
    else:
        parts.append(_label(lang, "(no figure considered)", "(ninguna cifra considerada)"))
    if c.related:
        # the group of each related figure, when any figure here is of a group
        grouped = bool(c.subgroup) or any(r.claim.subgroup for r in c.related)
        parts.append("")
        parts.append(_label(lang, "Bounds from related figures:", "Cotas de cifras relacionadas:"))
        parts.append(
            _table(
                [
                    [
                        r.claim.source,
                        r.claim.measure,
                        *([_group_cell(r.claim.subgroup, lang)] if grouped else []),
                        _claim_count(r.claim, lang),
                        when(r.claim.as_of),
                        _enum_label(r.bound, lang),
                        _label(lang, "CONTRADICTS", "CONTRADICE")
                        if not r.consistent
                        else _label(lang, "no limit", "sin límite")
                        if r.bound.value == "upper" and r.claim.count.high is None
                        else _label(lang, "consistent", "coherente"),
                    ]
                    for r in c.related
                ],
                [
                    _label(lang, "source", "fuente"),
                    _label(lang, "measure", "medida"),
                    *([_label(lang, "group", "grupo")] if grouped else []),
                    _label(lang, "count", "cifra"),
                    _label(lang, "as of", "corte"),
                    _label(lang, "bound", "cota"),
                    _label(lang, "status", "estado"),
                ],
            )
        )
    consensus = "-" if c.consensus is None else c.consensus.interval()
    high = "∞" if c.high is None and c.low is not None else ("-" if c.high is None else str(c.high))
    parts.append("")
    parts.append(
        f"{_label(lang, 'consensus', 'consenso')}: {consensus}   "
        f"{_label(lang, 'low', 'mínimo')}: {'-' if c.low is None else c.low}   "
        f"{_label(lang, 'best', 'mejor')}: {'-' if c.best is None else c.best}   "
        f"{_label(lang, 'high', 'máximo')}: {high}   "
        f"({_label(lang, c.policy.value, words.policy(c.policy))})"
    )
    b = c.bounded
    if b is not None and (not c.considered or (b.low, b.high) != (c.low or 0, c.high)):
        within = _label(
            lang, "with the related figures as bounds", "con las cifras relacionadas como cotas"
        )
        parts.append(f"{within}: {b.interval()}")
    parts.append(f"{_label(lang, 'conflicts', 'conflictos')}: {len(c.conflicts)}")
    parts.append("")
    parts.append(_label(lang, "Why:", "Por qué:"))
    parts.extend(f"  - {s}" for s in c.sentences(lang))
    return "\n".join(parts)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from vzdetain.checks import check

    ds, _ = _load(args.path, args.timezone)
    findings = check(ds)
    if args.json:
        items = unstructure(list(findings))
        if args.lang == "es":  # the message in the language asked for, as in the table
            for item, f in zip(items, findings, strict=True):
                item["message"] = f.text("es")
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    elif not findings:
        out.write(
            _label(
                args.lang,
                "No findings. Sources that disagree on a figure are not findings: "
                "`vzdetain compare` lists them as conflicts.\n",
                "Sin hallazgos. Las fuentes que discrepan sobre una cifra no son hallazgos: "
                "`vzdetain compare` las muestra como conflictos.\n",
            )
        )
    else:
        rows = [
            [
                _enum_label(f.severity, args.lang),
                f.kind.value,
                ", ".join(str(r) for r in f.tallies),
                f.text(args.lang),
            ]
            for f in findings
        ]
        out.write(
            _table(
                rows,
                [
                    _label(args.lang, "severity", "gravedad"),
                    _label(args.lang, "kind", "tipo"),
                    _label(args.lang, "tallies", "cifras"),
                    _label(args.lang, "message", "mensaje"),
                ],
            )
            + "\n"
        )
    return 1 if args.strict and findings else 0


def _cmd_stalls(args: argparse.Namespace, out: TextIO) -> int:
    from vzdetain.releases import days_since_last_release, stalls

    ds, _ = _load(args.path, args.timezone)
    tz = ds.timezone
    kwargs: dict[str, Any] = {
        "start": _parse_when(args.start, tz, "start"),
        "end": _parse_when(args.end, tz, "end"),
        "min_length": dt.timedelta(days=_days(args.min_days, "min-days")),
        "sources": _csv_list(args.sources),
    }
    if args.basis is not None:
        kwargs["basis"] = _basis_arg(args.basis)
    start, end = kwargs["start"], kwargs["end"]
    if start is not None and end is not None and not start.start < end.end:
        raise _UsageError(f"--start: {args.start} is not before --end {args.end}")
    unknown = [x for x in kwargs["sources"] or () if x not in ds.all_sources]
    if unknown:
        known = ", ".join(sorted(ds.all_sources))
        raise _UsageError(f"--sources: unknown source id {unknown[0]!r}; known: {known}")
    result = stalls(ds, **kwargs)
    evidence_args = {k: v for k, v in kwargs.items() if k in ("sources", "basis")}
    if args.json:
        _print_json(list(result), out)
        return 0
    if not result:
        from vzdetain.releases import release_evidence

        if not release_evidence(ds, **evidence_args):
            given = "basis" in kwargs
            which = (
                _label(args.lang, "release figures", "cifras de excarcelaciones")
                if given
                else _label(
                    args.lang, "verified release figures", "cifras de excarcelaciones verificadas"
                )
            )
            of = (
                _label(args.lang, " of the sources asked for", " de las fuentes pedidas")
                if args.sources
                else ""
            )
            hint = (
                _label(args.lang, " on the bases asked for", " con las bases pedidas")
                if given
                else _label(args.lang, " (--basis adds others)", " (--basis añade otras)")
            )
            out.write(
                _label(
                    args.lang,
                    f"No stall found: no {which}{of}{hint}.\n",
                    f"No se encontró ninguna paralización: no hay {which}{of}{hint}.\n",
                )
            )
        else:
            out.write(
                _label(args.lang, "No stall found.\n", "No se encontró ninguna paralización.\n")
            )
        return 0
    rows = [
        [
            _dt(s.start, tz),
            _label(args.lang, "ongoing", "en curso") if s.ongoing else _dt(s.end, tz),
            _dt(s.until, tz),
            _length(s.length),
            str(s.days),
            _enum_label(s.certainty, args.lang),
            ", ".join(sorted({str(r) for e in s.evidence for r in e.tallies})),
        ]
        for s in result
    ]
    out.write(
        _table(
            rows,
            [
                _label(args.lang, "start", "inicio"),
                _label(args.lang, "end", "fin"),
                _label(args.lang, "until", "hasta"),
                _label(args.lang, "length", "duración"),
                _label(args.lang, "days", "días"),
                _label(args.lang, "certainty", "certeza"),
                _label(args.lang, "evidence", "evidencia"),
            ],
        )
        + "\n"
    )
    out.write(
        _label(
            args.lang,
            "\ndays: whole local days from 'start' to 'until'. "
            "certainty: confirmed, zero-release statements cover all of it; unreported, "
            "no release was reported but none was ruled out; mixed, partly each.\n",
            "\ndías: días locales completos de 'inicio' a 'hasta'. "
            "certeza: confirmada, declaraciones de cero excarcelaciones la cubren entera; "
            "sin declaraciones, no se informó ninguna excarcelación pero ninguna se "
            "descartó; mixta, en parte cada cosa.\n",
        )
    )
    ongoing = [s for s in result if s.ongoing]
    if ongoing:
        last = ongoing[-1]
        at = last.until
        days = days_since_last_release(ds, When.instant(at), **evidence_args)
        certainty = _enum_label(last.certainty, args.lang)
        if days is None:  # no figure places a release before: the stall is a lower bound
            out.write(
                _label(
                    args.lang,
                    f"\nDays without a release as of {_dt(at, tz)}: at least {last.days} "
                    f"({certainty}): no figure places a release before then.\n",
                    f"\nDías sin excarcelaciones al {_dt(at, tz)}: al menos {last.days} "
                    f"({certainty}): ninguna cifra sitúa una excarcelación antes.\n",
                )
            )
        else:
            out.write(
                _label(
                    args.lang,
                    f"\nDays without a release as of {_dt(at, tz)}: {days} ({certainty})\n",
                    f"\nDías sin excarcelaciones al {_dt(at, tz)}: {days} ({certainty})\n",
                )
            )
    return 0


def _basis_arg(value: str) -> tuple[Any, ...]:
    """``--basis``: comma-separated bases."""
    from vzdetain.model import Basis

    try:
        got = tuple(Basis(b) for b in _csv_list(value) or ())
    except ValueError:
        got = ()
    if not got:
        raise _UsageError(f"--basis: comma-separated values of {', '.join(b.value for b in Basis)}")
    return got


def _cmd_conditions(args: argparse.Namespace, out: TextIO) -> int:
    from vzdetain.releases import ConditionCount, conditions_summary, duration_words

    ds, _ = _load(args.path, args.timezone)
    given = args.basis is not None
    summary = (
        conditions_summary(ds, basis=_basis_arg(args.basis)) if given else (conditions_summary(ds))
    )
    if args.json:
        _print_json(summary, out)
        return 0
    if not summary.releases and not summary.conditions:
        # say why the tables are empty, and what would fill them: the bases of the release
        # figures that carry a kind or conditions
        from vzdetain.model import _is_release

        bases = sorted(
            {
                t.basis.value
                for _, t in ds.tallies()
                if (t.release_kind is not None or t.conditions)
                and _is_release(t.measure, ds.all_measures)
            }
        )
        hint = (
            _label(
                args.lang,
                f" (the figures with kinds or conditions are {', '.join(bases)}: "
                f"--basis {','.join(bases)} shows them)",
                f" (las cifras con tipos o medidas son de base {', '.join(bases)}: "
                f"--basis {','.join(bases)} las muestra)",
            )
            if bases
            else ""
        )
        which = (
            _label(args.lang, "release figures on the bases asked for", "cifras con esas bases")
            if given
            else _label(args.lang, "verified release figures", "cifras verificadas")
        )
        out.write(
            _label(
                args.lang,
                f"No release kinds or conditions: no {which}{hint}.\n",
                f"Ningún tipo de excarcelación ni medida: no hay {which}{hint}.\n",
            )
        )
        return 0
    es = args.lang == "es"
    rows = [
        [k.label_es if es else k.label_en, _count(k.count, args.lang)] for k in summary.releases
    ]
    out.write(_label(args.lang, "Releases by kind\n", "Excarcelaciones por tipo\n"))
    out.write(
        _table(
            rows,
            [_label(args.lang, "kind", "tipo"), _label(args.lang, "releases", "excarcelaciones")],
        )
        + "\n\n"
    )
    periodic = any(c.every for c in summary.conditions)  # an "every" column only if needed

    def every(c: ConditionCount) -> list[str]:
        words = _label(args.lang, " or ", " o ").join(duration_words(e, args.lang) for e in c.every)
        return [words or "-"] if periodic else []

    rows = [
        [
            c.label_es if es else c.label_en,
            str(c.mentions),
            ", ".join(a.render(args.lang) for a in c.applies_to) or "-",
            *every(c),
            ", ".join(c.sources),
        ]
        for c in summary.conditions
    ]
    out.write(_label(args.lang, "Conditions reported\n", "Medidas reportadas\n"))
    out.write(
        _table(
            rows,
            [
                _label(args.lang, "condition", "medida"),
                _label(args.lang, "mentions", "menciones"),
                _label(args.lang, "applies to", "aplica a"),
                *([_label(args.lang, "every", "cada")] if periodic else []),
                _label(args.lang, "sources", "fuentes"),
            ],
        )
        + "\n"
    )
    return 0


def _cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    ds, _ = _load(args.path, args.timezone)
    tz = ds.timezone
    if args.plot:
        try:
            from vzdetain.plot import timeline_figure
        except ImportError as exc:
            raise _UsageError(
                f"charts need matplotlib: pip install 'vzdetain[plot]' ({exc})"
            ) from None
        fig = timeline_figure(ds, lang=args.lang)
        try:
            fig.savefig(args.plot, dpi=120, bbox_inches="tight")
        except ValueError as exc:  # a file name whose suffix names no image format
            raise _UsageError(f"--plot: {exc}") from None
        # a name without a suffix gets matplotlib's default format's
        written = args.plot if Path(args.plot).suffix else f"{args.plot}.png"
        out.write(_label(args.lang, f"wrote {written}\n", f"escrito {written}\n"))
        return 0
    entries = sorted(
        ds.refs(),
        key=lambda r: (
            r.tally.as_of.end,
            r.tally.as_of.start,
            r.tally.measure,
            r.tally.source or "",
        ),
    )
    if args.json:
        _print_json(entries, out)
        return 0
    rows = [
        [
            _when(r.tally.as_of, tz),
            r.tally.measure,
            r.tally.source or "",
            _count(r.tally.count, args.lang),
            _when(r.tally.period_start, tz) if r.tally.period_start else "",
            _group(r.tally.subgroup),
            r.publisher,
        ]
        for r in entries
    ]
    out.write(
        _table(
            rows,
            [
                _label(args.lang, "as of", "corte"),
                _label(args.lang, "measure", "medida"),
                _label(args.lang, "source", "fuente"),
                _label(args.lang, "count", "cifra"),
                _label(args.lang, "since", "desde"),
                _label(args.lang, "group", "grupo"),
                _label(args.lang, "published by", "publicada por"),
            ],
        )
        + "\n"
    )
    return 0


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``vzdetain`` command."""
    from vzdetain import __version__

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    common.add_argument(
        "--lang", choices=("en", "es"), default="en", help="language of phrases and labels"
    )
    common.add_argument(
        "--timezone", help="zone of local days for files that name none (default America/Caracas)"
    )

    # only where there is something to find: the other commands would always exit 0
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument(
        "--strict", action="store_true", help="exit 1 when there are findings or conflicts"
    )

    parser = argparse.ArgumentParser(
        prog="vzdetain",
        description="Reconcile conflicting tallies of political prisoners and arbitrary "
        "detentions. Without a dataset file, every command runs on the bundled "
        "January 2026 example.",
    )
    parser.add_argument("--version", action="version", version=f"vzdetain {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "compare", parents=[common, strict], help="compare the figures of each measure"
    )
    p.add_argument("path", nargs="?", help="dataset file (.json or .csv)")
    p.add_argument("-m", "--measure", help="measure to compare (default: every measure)")
    p.add_argument(
        "--at",
        help="time compared (default: the latest cut-off of the measure, for the group "
        "compared; for a flow, of the period compared)",
    )
    p.add_argument(
        "--since",
        help="for flows: the start of the period compared (default: the one most sources share)",
    )
    p.add_argument(
        "--window", type=float, help="days a cut-off may lie before or after the time compared"
    )
    p.add_argument("--policy", default="conservative", help="conservative, range or preferred")
    p.add_argument("--prefer", help="with --policy preferred: source ids, most preferred first")
    p.add_argument("--subgroup", help="group compared, as key=value;key=value")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("check", parents=[common, strict], help="list consistency findings")
    p.add_argument("path", nargs="?")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("stalls", parents=[common], help="periods in which releases stalled")
    p.add_argument("path", nargs="?")
    p.add_argument("--start", help="start of the period analysed")
    p.add_argument("--end", help="end of the period analysed")
    p.add_argument(
        "--min-days", type=float, default=1.0, help="shortest stall, in days (default 1)"
    )
    p.add_argument("--sources", help="comma-separated source ids")
    p.add_argument("--basis", help="comma-separated bases (default: verified)")
    p.set_defaults(func=_cmd_stalls)

    p = sub.add_parser("conditions", parents=[common], help="release kinds and conditions")
    p.add_argument("path", nargs="?")
    p.add_argument("--basis", help="comma-separated bases (default: verified)")
    p.set_defaults(func=_cmd_conditions)

    p = sub.add_parser("validate", parents=[common], help="check that dataset files load")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("convert", parents=[common], help="convert between CSV and JSON")
    p.add_argument("source", help="dataset file to read")
    p.add_argument("target", help="file to write (.json or .csv)")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("timeline", parents=[common], help="every figure in time order, or a chart")
    p.add_argument("path", nargs="?")
    p.add_argument("--plot", metavar="PNG", help="write a chart (needs the 'plot' extra)")
    p.set_defaults(func=_cmd_timeline)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0].lower().endswith((".csv", ".json")):
        # `vzdetain FILE [--timezone ZONE]`: the summary table of a dataset file
        from vzdetain.__main__ import summary

        alone = argparse.ArgumentParser(
            prog="vzdetain", description="Every figure of a dataset file, one line per tally."
        )
        alone.add_argument("path", metavar="FILE", help="dataset file (.json or .csv)")
        alone.add_argument(
            "--timezone",
            help="zone of local days for files that name none (default America/Caracas)",
        )
        try:
            opts = alone.parse_args(given)
        except SystemExit as exc:  # argparse printed its message
            return int(exc.code or 0) if isinstance(exc.code, int) else 2
        try:
            ds, _ = _load(opts.path, opts.timezone)
        except (VzdetainError, ValidationError, OSError) as exc:
            err.write(f"vzdetain: {exc}\n")
            return 2
        out.write(summary(ds) + "\n")
        return 0
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own message
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    if args.command is None:
        from vzdetain.__main__ import summary
        from vzdetain.datasets import venezuela_2026_01

        out.write(summary(venezuela_2026_01()) + "\n\n")
        out.write(
            "Commands: " + ", ".join(sorted(_commands(parser))) + " (vzdetain COMMAND --help)\n"
        )
        return 0
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    args.stderr = err
    try:
        return func(args, out)
    except LoadError as exc:
        err.write(f"vzdetain {args.command}: {exc}\n")
        return 2
    except _UsageError as exc:
        err.write(f"vzdetain {args.command}: {exc}\n")
        return 2
    except (VzdetainError, ValidationError, OSError) as exc:
        err.write(f"vzdetain {args.command}: {exc}\n")
        return 2


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []
