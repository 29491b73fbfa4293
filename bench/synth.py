"""Seeded generator of realistic synthetic vzdetain datasets, written as CSV and JSON.

The history is built first (a true stock of detainees per day, releases and arrests), then
sources publish figures about it:

* a few NGO monitors post daily bulletins: the stock of political prisoners at an evening
  cut-off (total and subgroups), cumulative verified releases since a fixed start, and on
  quiet days a "no releases since ..." zero statement;
* a broader monitor counts the arbitrarily detained;
* official bodies announce cumulative releases and arrests (rounded, "more than");
* many media outlets relay the monitors' figures with qualifiers ("nearly", "about",
  "more than", "hundreds") on the same cut-off.

Usage::

    python bench/synth.py 10000 --out bench/data        # writes synth-10000.csv / .json

Every file written loads with ``vzdetain.load`` (the benchmark checks this).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vzdetain.files import CSV_COLUMNS as FILE_COLUMNS

NGOS = ["foro-penal", "jep", "ovp", "provea"] + [f"ngo-{i:02d}" for i in range(1, 9)]
BROADER = ["clippve"]
OFFICIAL = ["gobierno-venezuela", "ministerio-publico"]
MEDIA = [f"media-{i:02d}" for i in range(1, 41)]
SUBGROUPS = [{"sex": "female"}, {"age": "minor"}, {"status": "military"}]
START = dt.date(2024, 7, 28)

# the library's own columns; the synthetic data has no dataset title
CSV_COLUMNS = [c for c in FILE_COLUMNS if c != "dataset_title"]


def _round_phrase(rng: random.Random, n: int, lang: str) -> str:
    """A media-style phrase that is true of n."""
    if n < 10:
        return str(n)
    choice = rng.random()
    if choice < 0.3:
        up = ((n // 100) + 1) * 100
        return ("casi " if lang == "es" else "nearly ") + _num(up, lang)
    if choice < 0.55:
        down = (n // 10) * 10 - 10
        return ("más de " if lang == "es" else "more than ") + _num(max(down, 0), lang)
    if choice < 0.8:
        return ("unos " if lang == "es" else "about ") + _num(n, lang)
    if choice < 0.9 and 200 <= n <= 999:
        return "cientos" if lang == "es" else "hundreds"
    return _num(n, lang)


def _num(n: int, lang: str) -> str:
    s = f"{n:,}"
    return s.replace(",", ".") if lang == "es" else s


def rows(size: int, seed: int = 2026) -> Iterator[dict[str, str]]:
    """Yield CSV rows (one tally each) until ``size`` tallies were produced."""
    rng = random.Random(seed)
    produced = 0
    stock = 800
    released_total = 0
    arrested_total = 0
    day = START
    report_no = 0
    last_release_day: dict[str, dt.date] = {}
    cumulative: dict[str, int] = {}
    while produced < size:
        # the true history of the day
        releases_today = 0 if rng.random() < 0.35 else rng.randint(1, 25)
        arrests_today = rng.randint(0, 20)
        stock = max(0, stock - releases_today + arrests_today)
        released_total += releases_today
        arrested_total += arrests_today
        cut = f"{day.isoformat()}T21:45-04:00"
        day_txt = day.isoformat()
        next_day = (day + dt.timedelta(days=1)).isoformat()
        for ngo in NGOS:
            if produced >= size:
                return
            report_no += 1
            rid = f"{ngo}-{report_no}"
            lang = "es"
            seen = stock + rng.randint(-15, 15)
            cum = cumulative.get(ngo, 0) + releases_today
            cumulative[ngo] = cum
            if releases_today:
                last_release_day[ngo] = day
            base = {
                "report_id": rid,
                "publisher": ngo,
                "published": next_day,
                "language": lang,
                "source": ngo,
                "basis": "verified",
                "timezone": "America/Caracas",
            }
            tallies: list[dict[str, str]] = [
                {"measure": "political_prisoners", "count": _num(max(seen, 0), lang), "as_of": cut},
                {
                    "measure": "releases",
                    "count": _num(cum, lang),
                    "as_of": cut,
                    "period_start": START.isoformat(),
                    "release_kind": "conditional",
                    "conditions": "travel_ban;media_gag" if rng.random() < 0.3 else "",
                },
            ]
            for sg in SUBGROUPS:
                if rng.random() < 0.4:
                    share = max(0, seen // rng.randint(8, 30))
                    key, value = next(iter(sg.items()))
                    tallies.append(
                        {
                            "measure": "political_prisoners",
                            "count": _num(share, lang),
                            "as_of": cut,
                            "subgroup": f"{key}={value}",
                        }
                    )
            if not releases_today and ngo in last_release_day:
                since = last_release_day[ngo] + dt.timedelta(days=1)
                if since <= day:
                    tallies.append(
                        {
                            "measure": "releases",
                            "count": "0",
                            "as_of": cut,
                            "period_start": since.isoformat(),
                        }
                    )
            for t in tallies:
                if produced >= size:
                    return
                produced += 1
                yield {**base, **t}
            # media relays of this bulletin
            for _ in range(rng.randint(0, 3)):
                if produced >= size:
                    return
                outlet = rng.choice(MEDIA)
                report_no += 1
                mlang = rng.choice(("en", "es"))
                produced += 1
                yield {
                    "report_id": f"{outlet}-{report_no}",
                    "publisher": outlet,
                    "published": next_day,
                    "language": mlang,
                    "source": ngo,
                    "measure": "political_prisoners",
                    "count": _round_phrase(rng, max(seen, 0), mlang),
                    "as_of": cut,
                    "basis": "verified",
                    "via": "",
                    "timezone": "America/Caracas",
                }
        for broad in BROADER:
            if produced >= size:
                return
            report_no += 1
            produced += 1
            yield {
                "report_id": f"{broad}-{report_no}",
                "publisher": broad,
                "published": next_day,
                "language": "es",
                "source": broad,
                "measure": "arbitrarily_detained",
                "count": "más de " + _num(stock + 500, "es"),
                "as_of": day_txt,
                "basis": "unstated",
                "timezone": "America/Caracas",
            }
        if day.weekday() == 0:
            for official in OFFICIAL:
                if produced >= size:
                    return
                report_no += 1
                produced += 1
                yield {
                    "report_id": f"{official}-{report_no}",
                    "publisher": official,
                    "published": next_day,
                    "language": "es",
                    "source": official,
                    "measure": "arrests",
                    "count": "más de " + _num((arrested_total // 100) * 100, "es"),
                    "as_of": day_txt,
                    "period_start": START.isoformat(),
                    "basis": "announced",
                    "timezone": "America/Caracas",
                }
        day += dt.timedelta(days=1)


def sources_rows() -> list[dict[str, str]]:
    """Sidecar rows for the synthetic sources that are not in the built-in catalogue."""
    out = [
        {"id": s, "name": f"Synthetic monitor {s[-2:]}", "kind": "ngo"}
        for s in NGOS
        if s.startswith("ngo-")
    ]
    out += [{"id": m, "name": f"Synthetic outlet {m[-2:]}", "kind": "media"} for m in MEDIA]
    return out


def write_csv(size: int, out: Path, seed: int = 2026) -> Path:
    """Write ``synth-SIZE.csv`` and its sources sidecar; return the CSV path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"synth-{size}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, CSV_COLUMNS, lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows(size, seed))
    with (out / f"synth-{size}.sources.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(
            f, ["id", "name", "kind", "url", "notes"], lineterminator="\n", restval=""
        )
        w.writeheader()
        w.writerows(sources_rows())
    return path


def write_json(size: int, out: Path, seed: int = 2026) -> Path:
    """Write ``synth-SIZE.json`` (the nested format) from the same rows; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    reports: dict[str, dict[str, Any]] = {}
    for row in rows(size, seed):
        rep = reports.get(row["report_id"])
        if rep is None:
            rep = reports[row["report_id"]] = {
                "id": row["report_id"],
                "publisher": row["publisher"],
                "published": row["published"],
                "language": row["language"],
                "tallies": [],
            }
        tally: dict[str, Any] = {
            "source": row["source"],
            "measure": row["measure"],
            "count": row["count"],
            "as_of": row["as_of"],
        }
        for key in ("period_start", "basis", "release_kind"):
            if row.get(key):
                tally[key] = row[key]
        if row.get("subgroup"):
            k, v = row["subgroup"].split("=")
            tally["subgroup"] = {k: v}
        if row.get("conditions"):
            tally["conditions"] = [{"kind": k} for k in row["conditions"].split(";")]
        rep["tallies"].append(tally)
    doc = {
        "format": "vzdetain-dataset",
        "version": 1,
        "timezone": "America/Caracas",
        "sources": sources_rows(),
        "measures": [],
        "reports": list(reports.values()),
    }
    path = out / f"synth-{size}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main() -> None:
    """Command line: write the CSV and JSON files for the sizes given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    for size in args.sizes:
        print(write_csv(size, args.out, args.seed), write_json(size, args.out, args.seed))


if __name__ == "__main__":
    main()
