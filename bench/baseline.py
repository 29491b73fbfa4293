"""The pandas baseline: what a notebook user would write for the same questions.

These functions are deliberately plain pandas (``read_csv``, a regex for qualifiers,
``groupby``, ``merge_asof``, sort + diff). They answer the same questions as vzdetain's
``load``, ``compare`` (every measure and day), ``check`` and ``stalls`` in spirit, with the
simplifications listed in ``bench/README.md``.

Run as a script, it is the pandas counterpart of ``vzdetain compare FILE`` (whole process,
imports included)::

    python bench/baseline.py bench/data/synth-10000.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TZ = "America/Caracas"
WINDOW = pd.Timedelta(days=7)
DAY = pd.Timedelta(days=1)
#: narrower measure -> broader measure (vzdetain's built-in catalogue, hard-coded)
BROADER = {"political_prisoners": "arbitrarily_detained", "full_releases": "releases"}
FLOWS = {"arrests", "releases", "full_releases", "newly_documented", "measure_reviews"}
STOCKS = ("political_prisoners", "arbitrarily_detained")

# qualifier words (English and Spanish) -> kind
_WORDS = {
    "more than": "more_than",
    "over": "more_than",
    "más de": "more_than",
    "mas de": "more_than",
    "at least": "at_least",
    "al menos": "at_least",
    "por lo menos": "at_least",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "menos de": "fewer_than",
    "up to": "at_most",
    "at most": "at_most",
    "hasta": "at_most",
    "nearly": "nearly",
    "almost": "nearly",
    "casi": "nearly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "some": "about",
    "roughly": "about",
    "unos": "about",
    "unas": "about",
    "cerca de": "about",
    "alrededor de": "about",
    "aproximadamente": "about",
}
_VAGUE = {
    "tens": (20, 99),
    "decenas": (20, 99),
    "dozens": (24, 199),
    "docenas": (24, 199),
    "hundreds": (200, 999),
    "cientos": (200, 999),
    "centenares": (200, 999),
    "thousands": (2_000, 999_999),
    "miles": (2_000, 999_999),
}
_COUNT_RE = r"^(?P<q>" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")?\s*(?P<n>\d[\d.,]*)$"


# ---------------------------------------------------------------------- loading


def read_csv(path: str | Path) -> pd.DataFrame:
    """(a) The CSV as a notebook reads it."""
    return pd.read_csv(path)


def read_json(path: str | Path) -> pd.DataFrame:
    """(a) The nested JSON flattened to one row per tally."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return pd.json_normalize(
        doc["reports"], "tallies", ["id", "publisher", "published", "language"], errors="ignore"
    )


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df:
        return pd.Series("", index=df.index, dtype=object)
    return df[col].fillna("").astype(str).str.strip()


def _bounds(text: pd.Series) -> pd.DataFrame:
    """Low and high bounds of the count phrases, by a regex on the qualifier words."""
    t = text.str.lower().str.strip()
    parts = t.str.extract(_COUNT_RE)
    n = pd.to_numeric(parts["n"].str.replace(r"[.,]", "", regex=True), errors="coerce")
    kind = parts["q"].map(_WORDS).fillna("exact")
    # tolerance of "nearly"/"about": 2 % of n, at least half the unit of its last digit
    unit = pd.Series(1.0, index=t.index)
    for k in range(1, 10):
        unit = unit.where(n % 10**k != 0, float(10**k))
    tol = np.ceil(np.maximum(n / 50, unit / 2))
    low = n.copy()
    high = n.copy()
    low = low.mask(kind == "more_than", n + 1)
    high = high.mask(kind.isin(["more_than", "at_least"]), np.inf)
    low = low.mask(kind.isin(["fewer_than", "at_most"]), 0)
    high = high.mask(kind == "fewer_than", n - 1)
    low = low.mask(kind.isin(["nearly", "about"]), (n - tol).clip(lower=0))
    high = high.mask(kind == "nearly", n - 1)
    high = high.mask(kind == "about", n + tol)
    vague = t.map(_VAGUE)
    has_vague = vague.notna()
    if has_vague.any():
        low = low.mask(has_vague, vague[has_vague].str[0])
        high = high.mask(has_vague, vague[has_vague].str[1])
        n = n.mask(has_vague)
    return pd.DataFrame({"low": low, "high": high, "stated": n})


def _times(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """UTC start and end of each time: a whole local day for dates, 1 µs for instants."""
    is_day = text.str.len() == 10
    inst = pd.to_datetime(text.where(~is_day & (text != "")), format="ISO8601", utc=True)
    day = (
        pd.to_datetime(text.where(is_day), format="%Y-%m-%d")
        .dt.tz_localize(TZ)
        .dt.tz_convert("UTC")
    )
    start = inst.where(~is_day, day)
    end = start + pd.to_timedelta(np.where(is_day, 86_400_000_000, 1), unit="us")
    return start, end


def prepare(raw: pd.DataFrame) -> pd.DataFrame:
    """Bounds from the count phrases, UTC times and local days: the frame every op uses."""
    df = pd.DataFrame(
        {
            k: _text(raw, k)
            for k in ("report_id", "publisher", "source", "measure", "count", "subgroup", "basis")
        }
    )
    df["source"] = df["source"].where(df["source"] != "", df["publisher"])
    df["basis"] = df["basis"].replace("", "unstated")
    df["period"] = _text(raw, "period_start")
    bounds = _bounds(df["count"])
    for col in ("low", "high"):
        if col in raw:  # explicit bounds override the phrase
            given = pd.to_numeric(raw[col], errors="coerce")
            bounds[col] = given.where(given.notna(), bounds[col])
    df[["low", "high", "stated"]] = bounds
    df["start"], df["end"] = _times(_text(raw, "as_of"))
    df["day"] = df["start"].dt.tz_convert(TZ).dt.floor("D").dt.tz_convert("UTC")
    _, df["published_end"] = _times(_text(raw, "published"))
    return df


# ---------------------------------------------------------------------- (b) compare


def _claims(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Relays of one figure merged: the intersection of their bounds."""
    return df.groupby(keys, as_index=False, sort=False, dropna=False).agg(
        low=("low", "max"), high=("high", "min"), stated=("stated", "min"), day=("day", "first")
    )


def _target(g: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Everyone (no subgroup); for flows, the period start most rows share."""
    t = g[g["subgroup"] == ""]
    if measure in FLOWS and len(t):
        t = t[t["period"] == t["period"].mode().iloc[0]]
    return t


def compare_all(df: pd.DataFrame) -> pd.DataFrame:
    """(b) For each measure and local day with a cut-off: consensus bounds and conflict flag.

    Per source, the latest cut-off within seven days either side of the day (merge_asof),
    relays merged by max(low)/min(high); then max(low), min(high) over sources.
    """
    out = []
    for measure, g in df.groupby("measure", sort=True):
        days = pd.Series(np.sort(g["day"].unique()))
        claims = _claims(_target(g, measure), ["source", "start", "end"])
        sources = claims["source"].unique()
        grid = pd.DataFrame(
            {
                "day": np.repeat(days.to_numpy(), len(sources)),
                "source": np.tile(sources, len(days)),
            }
        )
        grid["key"] = grid["day"] + DAY + WINDOW
        merged = pd.merge_asof(
            grid.sort_values("key"),
            claims.sort_values("start"),
            left_on="key",
            right_on="start",
            by="source",
            direction="backward",
            allow_exact_matches=False,
        )
        merged = merged[merged["end"] > merged["day_x"] - WINDOW]
        res = merged.groupby("day_x").agg(
            low=("low", "max"), high=("high", "min"), sources=("source", "nunique")
        )
        res = res.reindex(days.to_numpy())
        res.index.name = "day"
        res["conflict"] = res["low"] > res["high"]
        res["measure"] = measure
        out.append(res.reset_index())
    return pd.concat(out, ignore_index=True)


def compare_all_simple(df: pd.DataFrame) -> pd.DataFrame:
    """(b), the one-liner: group every figure by measure and day, no window, no supersession."""
    t = df[df["subgroup"] == ""]
    res = t.groupby(["measure", "day"]).agg(low=("low", "max"), high=("high", "min"))
    res["conflict"] = res["low"] > res["high"]
    return res.reset_index()


# ---------------------------------------------------------------------- (c) check


def check(df: pd.DataFrame) -> dict[str, int]:
    """(c) Counts of findings by kind, on claims (relays merged)."""
    keys = ["source", "measure", "subgroup", "period", "start", "end"]
    claims = _claims(df, keys)
    found: dict[str, int] = {}
    found["relays_disagree"] = int((claims["low"] > claims["high"]).sum())
    after = (df["start"] >= df["published_end"]) & (df["basis"] != "planned")
    found["as_of_after_publication"] = int(after.sum())
    # narrower above broader, subgroup above total: pairs on the same local day and period
    whole = claims[claims["subgroup"] == ""]
    n_above = 0
    for narrow, broad in BROADER.items():
        small = claims[claims["measure"] == narrow]
        big = whole[whole["measure"] == broad]
        pairs = small.merge(big, on=["day", "period"], suffixes=("_s", "_b"))
        n_above += int((pairs["low_s"] > pairs["high_b"]).sum())
    found["narrower_above_broader"] = n_above
    parts = claims[claims["subgroup"] != ""]
    pairs = parts.merge(whole, on=["measure", "period", "day"], suffixes=("_s", "_b"))
    found["subgroup_above_total"] = int((pairs["low_s"] > pairs["high_b"]).sum())
    # cumulative decrease: sort by cut-off, running max of earlier lows
    flows = claims[claims["period"] != ""].sort_values(
        ["source", "measure", "subgroup", "period", "end"]
    )
    group = [flows[k] for k in ("source", "measure", "subgroup", "period")]
    earlier = flows.groupby(group)["low"].cummax().groupby(group).shift()
    found["cumulative_decrease"] = int((flows["high"] < earlier).sum())
    # negative derived flow: at one cut-off, a later period start above an earlier one
    by_start = flows.sort_values(
        ["source", "measure", "subgroup", "end", "period"], ascending=False
    )
    group = [by_start[k] for k in ("source", "measure", "subgroup", "end")]
    later = by_start.groupby(group)["low"].cummax().groupby(group).shift()
    found["negative_derived_flow"] = int((by_start["high"] < later).sum())
    found["stock_flow_residual"] = _residuals(claims, df)
    return found


def _residuals(claims: pd.DataFrame, df: pd.DataFrame) -> int:
    """Successive stock figures of a source that its own releases and arrests cannot explain.

    Where relays of a figure disagree, the level is the span of their bounds.
    """
    keys = ["source", "measure", "subgroup", "period", "start", "end"]
    spans = df.groupby(keys, sort=False, dropna=False).agg(
        low_any=("low", "min"), high_any=("high", "max")
    )
    claims = claims.join(spans, on=keys)
    split = claims["low"] > claims["high"]
    claims["low"] = claims["low"].where(~split, claims["low_any"])
    claims["high"] = claims["high"].where(~split, claims["high_any"])
    whole = claims[claims["subgroup"] == ""]
    stocks = whole[whole["measure"].isin(STOCKS)].sort_values(["source", "measure", "end"])
    group = [stocks["source"], stocks["measure"]]
    for col in ("low", "high", "end"):
        stocks[f"prev_{col}"] = stocks.groupby(group)[col].shift()
    stocks = stocks[stocks["prev_end"].notna()]
    flows = whole[whole["measure"].isin(["releases", "arrests"])]
    lo = stocks["prev_low"].to_numpy()
    hi = stocks["prev_high"].to_numpy()
    reported = np.zeros(len(stocks), dtype=bool)
    for measure, sign in (("arrests", 1), ("releases", -1)):
        f = flows[flows["measure"] == measure]
        f = f[f["period"] == f["period"].mode().iloc[0]] if len(f) else f
        f = f[["source", "end", "low", "high"]]
        cur = stocks[["source", "end"]].merge(f, on=["source", "end"], how="left")
        prev = (
            stocks[["source", "prev_end"]]
            .merge(f.rename(columns={"end": "prev_end"}), on=["source", "prev_end"], how="left")
            .reindex(columns=["low", "high"])
        )
        d_lo = (cur["low"] - prev["high"]).to_numpy()
        d_hi = (cur["high"] - prev["low"]).to_numpy()
        ok = ~np.isnan(d_lo)
        reported |= ok
        if sign > 0:
            lo = np.where(ok, lo + d_lo, lo)
            hi = np.where(ok, hi + d_hi, hi)
        else:
            lo = np.where(ok, lo - d_hi, lo)
            hi = np.where(ok, hi - d_lo, hi)
    res_lo = stocks["low"].to_numpy() - hi
    res_hi = stocks["high"].to_numpy() - lo
    return int((reported & ((res_lo > 0) | (res_hi < 0))).sum())


# ---------------------------------------------------------------------- (d) stalls


def stalls(df: pd.DataFrame) -> pd.DataFrame:
    """(d) Gaps between release days: days a verified cumulative figure rose, sort + diff."""
    r = df[
        (df["measure"] == "releases")
        & (df["subgroup"] == "")
        & (df["basis"] == "verified")
        & (df["period"] != "")
    ]
    c = _claims(r, ["source", "period", "start", "end"]).sort_values(["source", "period", "end"])
    prev_high = c.groupby(["source", "period"])["high"].shift()
    days = np.sort(c.loc[c["low"] > prev_high, "day"].unique())
    last = df.loc[df["measure"] == "releases", "day"].max()
    edges = pd.Series(np.append(days, last + DAY))
    gaps = edges.diff()
    stall = gaps > DAY
    return pd.DataFrame(
        {
            "start": (edges.shift() + DAY)[stall].to_numpy(),
            "days": (gaps[stall] / DAY - 1).to_numpy(),
            "ongoing": (edges.index == len(edges) - 1)[stall.to_numpy()],
        }
    )


# ---------------------------------------------------------------------- the compare script


def _fmt(low: float, high: float) -> str:
    if np.isnan(low):
        return "-"
    hi = "∞" if np.isinf(high) else str(int(high))
    return f"[{int(low)}, {hi}]"


def compare_latest(df: pd.DataFrame) -> str:
    """What ``vzdetain compare FILE`` prints, in pandas: each measure at its latest cut-off."""
    blocks = []
    for measure, g in df.groupby("measure", sort=True):
        latest = g.loc[g["end"].idxmax()]
        t = _target(g, str(measure))
        t = t[(t["start"] < latest["end"] + WINDOW) & (t["end"] > latest["start"] - WINDOW)]
        t = t[t["start"] == t.groupby("source")["start"].transform("max")]
        claims = t.groupby(["source", "start", "end"], as_index=False).agg(
            count=("count", "first"),
            low=("low", "max"),
            high=("high", "min"),
            stated=("stated", "min"),
            basis=("basis", "first"),
            publishers=("publisher", lambda s: ", ".join(sorted(set(s)))),
        )
        low, high = claims["low"].max(), claims["high"].min()
        conflict = low > high
        lows = np.sort(claims["low"].to_numpy())
        n_conflicts = int(
            np.sum(len(lows) - np.searchsorted(lows, claims["high"].to_numpy(), side="right"))
        )
        ok = claims["stated"].between(low, high) & ~conflict
        verified = claims[ok & (claims["basis"] == "verified")]
        best = (verified if len(verified) else claims[ok])["stated"].min()
        lines = [f"Comparison: {measure} @ {latest['start'].tz_convert(TZ)}", ""]
        table = pd.DataFrame(
            {
                "source": claims["source"],
                "count": [
                    f"{c} {_fmt(lo, hi)}"
                    for c, lo, hi in claims[["count", "low", "high"]].itertuples(index=False)
                ],
                "as of": claims["start"].dt.tz_convert(TZ).dt.strftime("%Y-%m-%d %H:%M"),
                "basis": claims["basis"],
                "published by": claims["publishers"],
            }
        )
        lines.append(table.to_string(index=False) if len(table) else "(no figure considered)")
        lines.append("")
        consensus = "-" if conflict else _fmt(low, high)
        lines.append(
            f"consensus: {consensus}   low: {int(low)}   "
            f"best: {'-' if np.isnan(best) else int(best)}   "
            f"high: {'∞' if np.isinf(high) else int(high)}"
        )
        lines.append(f"conflicts: {n_conflicts}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python bench/baseline.py FILE.csv", file=sys.stderr)
        return 2
    print(compare_latest(prepare(read_csv(args[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
