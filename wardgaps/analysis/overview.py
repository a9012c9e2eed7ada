"""The borough at a glance: headline figures, wards furthest behind, worse and worsening."""

from __future__ import annotations

import pandas as pd

from wardgaps import text
from wardgaps.analysis.cache import memo
from wardgaps.analysis.catalogue import WARD_VINTAGE, indicator_meta, periods, polarity
from wardgaps.analysis.places import ward_names
from wardgaps.analysis.wards import borough_gaps, comparator_series, comparators, ward_table, ward_trends


@memo
def headline(borough_code: str, indicator_id: str, public: bool = False) -> dict | None:
    """Latest ward-level period of an indicator: borough/London/England and the widest ward gap
    (``highest_name`` None when the gap is withheld in public)."""
    p = periods(borough_code, indicator_id)
    if p.empty:
        return None
    period = p.iloc[0]["period"]
    vintage = int(p.iloc[0]["vintage"])
    comp = comparators(borough_code, indicator_id, period, public=public).set_index("label")

    def val(label: str) -> float | None:
        return float(comp.loc[label, "value"]) if label in comp.index and pd.notna(comp.loc[label, "value"]) else None

    out = {
        "indicator_id": indicator_id,
        "period": period,
        "vintage": vintage,
        "borough": val("borough"),
        "region": val("region"),
        "country": val("country"),
        "highest_name": None,
        "highest": None,
        "lowest_name": None,
        "lowest": None,
        "ratio": None,
        "withheld": "",
    }
    r = borough_gaps(borough_code, indicator_id, period, vintage, public=public)
    if r is None or r.gaps is None:
        return out
    if r.withheld:
        out["withheld"] = r.withheld
        return out
    names = ward_names(borough_code, vintage)
    g = r.gaps
    out.update(
        highest_name=names.get(g.highest_code, g.highest_code),
        highest=g.highest,
        lowest_name=names.get(g.lowest_code, g.lowest_code),
        lowest=g.lowest,
        ratio=g.ratio,
    )
    return out


@memo
def furthest_behind(borough_code: str, indicator_ids: list[str], public: bool = False) -> pd.DataFrame:
    """Wards ranked by how often they are significantly worse than the borough across the latest
    figures of the given indicators on the current wards, with their average position (0 = best,
    100 = worst in the borough) to break ties."""
    rows = []
    for ind in indicator_ids:
        meta = indicator_meta(ind)
        p = periods(borough_code, ind)
        p = p[p["vintage"] == WARD_VINTAGE]
        if meta is None or polarity(meta) == "neutral" or p.empty:
            continue
        t = ward_table(borough_code, ind, p.iloc[0]["period"], WARD_VINTAGE, public=public).dropna(subset=["value"])
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


@memo
def two_child_poverty_figures(borough_code: str, public: bool = False) -> dict | None:
    """DWP's and End Child Poverty's after-housing-costs rates for the borough in the latest
    financial year both publish: {"period": label, "dwp": value, "ecp": value}."""
    dwp = comparator_series(borough_code, "child_poverty_ahc_dwp", public=public)
    ecp = comparator_series(borough_code, "child_poverty_ahc_ecp", public=public)
    dwp = dwp[dwp["geo_type"] == "borough"].assign(label=lambda d: d["period"].map(text.period_label))
    ecp = ecp[ecp["geo_type"] == "borough"].assign(label=lambda d: d["period"].map(text.period_label))
    common = dwp.merge(ecp, on="label", suffixes=("_dwp", "_ecp"))
    if common.empty:
        return None
    last = common.sort_values("period_start_dwp").iloc[-1]
    return {
        "period": last["label"],
        "dwp_period": last["period_dwp"],
        "ecp_period": last["period_ecp"],
        "dwp": float(last["value_dwp"]),
        "ecp": float(last["value_ecp"]),
    }


@memo
def worse_and_worsening(borough_code: str, indicator_ids: list[str], public: bool = False) -> pd.DataFrame:
    """Wards significantly worse than the borough or England in their latest period and with a
    significant worsening recent trend, on the same ward vintage."""
    rows = []
    for ind in indicator_ids:
        meta = indicator_meta(ind)
        if meta is None or polarity(meta) == "neutral":
            continue
        p = periods(borough_code, ind)
        for vintage in sorted(p["vintage"].unique()):
            pv = p[p["vintage"] == vintage]
            if len(pv) < 5:
                continue
            latest = pv.sort_values("period_start")["period"].iloc[-1]
            t = ward_table(borough_code, ind, latest, int(vintage), public=public)
            tr = ward_trends(borough_code, ind, int(vintage), public=public)
            m = t.merge(tr[["geo_code", "marker", "judged"]], on="geo_code")
            worse = pd.Series(False, index=m.index)
            for col in ("vs_borough", "vs_country"):
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
