"""The questions pages ask, answered from the extract with the statistics in :mod:`wardgaps.stats`.

Pure functions over :func:`wardgaps.db.query`, so they are tested without Streamlit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from wardgaps import stats
from wardgaps.db import query, stamp


def memo(fn: Callable) -> Callable:
    """Cache a pure analysis by its arguments and the extract file's stamp (bounded, so a
    rebuilt extract is never answered from stale results). DataFrames come back as copies."""

    @functools.lru_cache(maxsize=256)
    def cached(file_stamp: float, *args):
        return fn(*(list(a) if isinstance(a, tuple) else a for a in args))

    @functools.wraps(fn)
    def wrapper(*args):
        out = cached(stamp(), *(tuple(a) if isinstance(a, list) else a for a in args))
        if isinstance(out, pd.DataFrame):
            return out.copy()
        if isinstance(out, tuple):
            return tuple(x.copy() if isinstance(x, pd.DataFrame) else x for x in out)
        return out

    return wrapper


COMPARATOR_LABEL = {"borough": "borough", "region": "London", "country": "England"}


def indicator_meta(indicator_id: str) -> dict | None:
    df = query("indicator_catalogue")
    row = df[df["indicator_id"] == indicator_id]
    return None if row.empty else row.iloc[0].to_dict()


def periods(borough_code: str, indicator_id: str) -> pd.DataFrame:
    """Ward-level periods of an indicator in a borough, newest first, with their ward vintage."""
    return query("indicator_periods", borough_code=borough_code, indicator_id=indicator_id)


def default_vintage(p: pd.DataFrame, period: str) -> int | None:
    """The ward vintage to show for a period: May-2022 wards when the period has them."""
    rows = p[p["period"] == period]
    return None if rows.empty else int(rows["vintage"].max())


def comparators(borough_code: str, indicator_id: str, period: str) -> pd.DataFrame:
    df = query("comparators", borough_code=borough_code, indicator_id=indicator_id, period=period)
    df["label"] = df["geo_type"].map(COMPARATOR_LABEL)
    return df


def ward_table(borough_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    """All wards with value, rank in the borough (1 = highest) and significance against the
    borough, London and England (Fingertips' rule on the ward's 95% interval)."""
    meta = indicator_meta(indicator_id) or {}
    polarity = meta.get("polarity", "neutral")
    df = query(
        "borough_ward_values", borough_code=borough_code, indicator_id=indicator_id, period=period, vintage=vintage
    )
    df["rank"] = df["value"].rank(ascending=False, method="min")
    comp = comparators(borough_code, indicator_id, period)
    for _, c in comp.iterrows():
        col = c["label"]
        df[f"{col}_value"] = c["value"]
        direction = [stats.compare(lo, hi, c["value"]) for lo, hi in zip(df["lower_95"], df["upper_95"], strict=True)]
        df[f"vs_{col}"] = [stats.judge(d, polarity) for d in direction]
    return df


@memo
def borough_gaps(borough_code: str, indicator_id: str, period: str, vintage: int) -> stats.Gaps | None:
    """Range, highest/lowest ratio and SII/RII across the borough's wards for one period."""
    meta = indicator_meta(indicator_id)
    if meta is None:
        return None
    df = query(
        "borough_ward_values", borough_code=borough_code, indicator_id=indicator_id, period=period, vintage=vintage
    )
    df = df[df["status"] != "suppressed"]
    # Weight by the indicator's own denominator where it has one (e.g. children), else population.
    weights = df["denominator"].where(df["denominator"].notna() & (meta["unit"] == "%"), df["population"])
    return stats.gap_measures(df.assign(population=weights), meta["unit"], meta["polarity"])


@memo
def gap_trend(borough_code: str, indicator_id: str, vintage: int) -> tuple[pd.DataFrame, str]:
    """Gap measures for every period on one ward vintage, and whether the SII gap is widening."""
    p = periods(borough_code, indicator_id)
    p = p[p["vintage"] == vintage].sort_values("period_start")
    rows, siis = [], []
    for period in p["period"]:
        g = borough_gaps(borough_code, indicator_id, period, vintage)
        if g is None:
            continue
        lo, hi = g.sii.sii_limits.get(0.95, (np.nan, np.nan)) if g.sii else (np.nan, np.nan)
        rows.append(
            {
                "period": period,
                "range": g.range,
                "ratio": g.ratio,
                "sii": g.sii.sii if g.sii else np.nan,
                "sii_lower_95": lo,
                "sii_upper_95": hi,
                "rii": g.sii.rii if g.sii else np.nan,
            }
        )
        if g.sii:
            siis.append(g.sii)
    table = pd.DataFrame(rows)
    if len(siis) < 2:
        return table, "only one period on these wards, so no change can be measured"
    return table, stats.gap_change(siis[0], siis[-1])


@memo
def ward_trends(borough_code: str, indicator_id: str, vintage: int) -> pd.DataFrame:
    """Fingertips recent-trend marker per ward over the last five periods on one ward vintage."""
    meta = indicator_meta(indicator_id) or {}
    s = query("borough_ward_series", borough_code=borough_code, indicator_id=indicator_id, vintage=vintage)
    out = []
    for (code, name), g in s.groupby(["geo_code", "geo_name"], sort=True):
        years = g["period_start"].map(lambda d: pd.Timestamp(d).year + pd.Timestamp(d).dayofyear / 366).to_numpy()
        if meta.get("unit") == "%" and g["numerator"].notna().all() and g["denominator"].notna().all():
            marker, reason = stats.trend_marker(years, numerator=g["numerator"], denominator=g["denominator"])
        elif meta.get("unit") == "count" and g["lower_95"].isna().all():
            # Counts: Poisson (Byar) limits give the weights Fingertips uses for counts.
            lo, hi = stats.count_interval(g["value"])
            marker, reason = stats.trend_marker(years, g["value"], lower=lo, upper=hi)
        else:
            marker, reason = stats.trend_marker(years, g["value"], lower=g["lower_95"], upper=g["upper_95"])
        direction = {"Increasing": "higher", "Decreasing": "lower"}.get(marker)
        judged = stats.judge(direction, meta.get("polarity", "neutral")) if direction else None
        out.append({"geo_code": code, "geo_name": name, "marker": marker, "reason": reason, "judged": judged})
    return pd.DataFrame(out, columns=["geo_code", "geo_name", "marker", "reason", "judged"])


@memo
def worse_and_worsening(borough_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """Wards significantly worse than the borough or England in their latest period and with a
    significant worsening recent trend, on the same ward vintage."""
    rows = []
    for ind in indicator_ids:
        meta = indicator_meta(ind)
        if meta is None or meta["polarity"] == "neutral":
            continue
        p = periods(borough_code, ind)
        for vintage in sorted(p["vintage"].unique()):
            pv = p[p["vintage"] == vintage]
            if len(pv) < 5:
                continue
            latest = pv.sort_values("period_start")["period"].iloc[-1]
            t = ward_table(borough_code, ind, latest, int(vintage))
            tr = ward_trends(borough_code, ind, int(vintage))
            m = t.merge(tr[["geo_code", "marker", "judged"]], on="geo_code")
            worse = pd.Series(False, index=m.index)
            for col in ("vs_borough", "vs_England"):
                if col in m:
                    worse |= m[col] == "worse"
            hit = m[worse & (m["judged"] == "worse")]
            for _, r in hit.iterrows():
                rows.append(
                    {
                        "indicator_id": ind,
                        "indicator": meta["short_title"],
                        "vintage": int(vintage),
                        "period": latest,
                        "geo_code": r["geo_code"],
                        "geo_name": r["geo_name"],
                        "value": r["value"],
                        "marker": r["marker"],
                    }
                )
    return pd.DataFrame(
        rows, columns=["indicator_id", "indicator", "vintage", "period", "geo_code", "geo_name", "value", "marker"]
    )


def deprivation_breakdown(table: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The indicator by borough-local quintile of wards' IMD score (1 = most deprived fifth),
    population-weighted mean of the wards in each quintile."""
    d = table.dropna(subset=["value", "deprivation"])
    if len(d) < n:
        return pd.DataFrame(columns=["quintile", "wards", "value"])
    q = stats.quantiles(d["deprivation"], n, invert=True)
    d = d.assign(quintile=q.astype(int), w=d["population"].fillna(1.0))
    g = d.groupby("quintile").apply(
        lambda x: pd.Series({"wards": len(x), "value": float(np.average(x["value"], weights=x["w"]))}),
        include_groups=False,
    )
    return g.reset_index()


def narrative_for_ward(row: pd.Series, comp: pd.DataFrame, unit: str, public: bool = False) -> list[str]:
    """Sentences comparing one ward with its borough and England, gated on significance."""
    out = []
    for _, c in comp.iterrows():
        if c["geo_type"] == "region":
            continue
        out.append(
            stats.narrative(
                row["geo_name"], row["value"], row["lower_95"], row["upper_95"], c["geo_name"], c["value"], unit, public
            )
        )
    return out


def public_table(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Disclosure control for the public view (DESIGN §4): counts Ward Gaps derived
    (aggregated/apportioned) below 10 are suppressed and the rest rounded to 5, with secondary
    suppression; a rate whose numerator is suppressed is suppressed; published figures stay."""
    out = df.copy()
    derived = out["method"].isin(["aggregated", "apportioned"])
    if unit == "count" and "numerator" not in out:
        out["numerator"] = out["value"]  # a count's value is its numerator
    if "numerator" in out:
        num = stats.suppress_counts(out["numerator"], derived)
        hidden = derived & out["numerator"].notna() & num.isna()
        out["numerator"] = num
        if "denominator" in out:
            out["denominator"] = stats.suppress_counts(out["denominator"], derived)
        cols = [c for c in ("value", "lower_95", "upper_95", "lower_998", "upper_998") if c in out]
        out.loc[hidden, cols] = np.nan
        if unit == "count":
            out.loc[derived, "value"] = out.loc[derived, "numerator"]
        if "status" in out:
            out.loc[hidden, "status"] = "suppressed"
    return out


def public_series(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Disclosure control period by period (each period's wards are one set of cells)."""
    if df.empty:
        return df
    return pd.concat([public_table(g, unit) for _, g in df.groupby("period", sort=False)], ignore_index=True)


def headline(borough_code: str, indicator_id: str) -> dict | None:
    """Latest ward-level period of an indicator: borough/London/England and the widest ward gap."""
    p = periods(borough_code, indicator_id)
    if p.empty:
        return None
    period = p.iloc[0]["period"]
    vintage = int(p.iloc[0]["vintage"])
    comp = comparators(borough_code, indicator_id, period).set_index("label")
    t = query(
        "borough_ward_values", borough_code=borough_code, indicator_id=indicator_id, period=period, vintage=vintage
    )
    t = t.dropna(subset=["value"])
    if t.empty:
        return None
    hi, lo = t.loc[t["value"].idxmax()], t.loc[t["value"].idxmin()]

    def val(label: str) -> float | None:
        return float(comp.loc[label, "value"]) if label in comp.index and pd.notna(comp.loc[label, "value"]) else None

    return {
        "indicator_id": indicator_id,
        "period": period,
        "vintage": vintage,
        "borough": val("borough"),
        "London": val("London"),
        "England": val("England"),
        "highest_name": hi["geo_name"],
        "highest": float(hi["value"]),
        "lowest_name": lo["geo_name"],
        "lowest": float(lo["value"]),
        "ratio": float(hi["value"] / lo["value"]) if lo["value"] > 0 else None,
    }


@memo
def furthest_behind(borough_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """Wards ranked by how often they are significantly worse than the borough across the latest
    figures of the given indicators on May-2022 wards, with their average position (0 = best,
    100 = worst in the borough) to break ties."""
    rows = []
    for ind in indicator_ids:
        meta = indicator_meta(ind)
        p = periods(borough_code, ind)
        p = p[p["vintage"] == 2022]
        if meta is None or meta["polarity"] == "neutral" or p.empty:
            continue
        t = ward_table(borough_code, ind, p.iloc[0]["period"], 2022).dropna(subset=["value"])
        worst_high = meta["polarity"] == "higher_is_worse"
        pct = t["value"].rank(ascending=not worst_high, pct=True)
        for (_, r), q in zip(t.iterrows(), pct, strict=True):
            rows.append(
                {
                    "geo_code": r["geo_code"],
                    "geo_name": r["geo_name"],
                    "worse": r.get("vs_borough") == "worse",
                    "tested": r.get("vs_borough") is not None,  # only intervals allow a significance test
                    "position": 100 * (1 - q),
                    "indicator": meta["short_title"],
                }
            )
    d = pd.DataFrame(rows)
    if d.empty:
        return pd.DataFrame(
            columns=["geo_code", "geo_name", "worse_count", "tested", "indicators", "mean_position", "worse_on"]
        )
    g = d.groupby(["geo_code", "geo_name"]).agg(
        worse_count=("worse", "sum"),
        tested=("tested", "sum"),
        indicators=("indicator", "nunique"),
        mean_position=("position", "mean"),
        worse_on=("indicator", lambda s: ", ".join(sorted(s[d.loc[s.index, "worse"]]))),
    )
    return (
        g.reset_index().sort_values(["worse_count", "mean_position"], ascending=[False, False]).reset_index(drop=True)
    )
