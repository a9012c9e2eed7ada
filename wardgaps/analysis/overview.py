"""The authority at a glance: headline figures, wards furthest behind, worse and worsening."""

from __future__ import annotations

import pandas as pd

from wardgaps import text
from wardgaps.analysis.catalogue import WARD_VINTAGE, indicator_meta, periods, polarity
from wardgaps.analysis.places import ward_names
from wardgaps.analysis.wards import authority_gaps, comparator_series, comparators, ward_table
from wardgaps.db import Reader


def headline(
    r: Reader, authority_code: str, indicator_id: str, *, similar: bool = False, benchmark: str | None = None
) -> dict | None:
    """Latest ward-level period of an indicator: authority, region and country figures and the
    widest ward gap (``highest_name`` None when the gap is withheld in public); with ``similar``
    the similar authorities' figure too, with ``benchmark`` that authority's (and its name)."""
    p = periods(r, authority_code, indicator_id)
    if p.empty:
        return None
    period = p.iloc[0]["period"]
    vintage = int(p.iloc[0]["vintage"])
    comp = comparators(r, authority_code, indicator_id, period, similar=similar, benchmark=benchmark)
    comp = comp.set_index("label")

    def val(label: str) -> float | None:
        return float(comp.loc[label, "value"]) if label in comp.index and pd.notna(comp.loc[label, "value"]) else None

    out = {
        "indicator_id": indicator_id,
        "period": period,
        "vintage": vintage,
        "authority": val("authority"),
        "region": val("region"),
        "country": val("country"),
        "highest_name": None,
        "highest": None,
        "lowest_name": None,
        "lowest": None,
        "ratio": None,
        "withheld": "",
    }
    if similar:
        out["similar authorities"] = val("similar authorities")
    if benchmark:
        out["benchmark"] = val("benchmark")
        out["benchmark_name"] = str(comp.loc["benchmark", "name"]) if "benchmark" in comp.index else None
    g = authority_gaps(r, authority_code, indicator_id, period, vintage)
    if g is not None and g.withheld:
        out["withheld"] = g.withheld
        return out
    if g is None or g.gaps is None:
        return out
    names = ward_names(r, authority_code, vintage)
    out.update(
        highest_name=names.get(g.gaps.highest_code, g.gaps.highest_code),
        highest=g.gaps.highest,
        lowest_name=names.get(g.gaps.lowest_code, g.gaps.lowest_code),
        lowest=g.gaps.lowest,
        ratio=g.gaps.ratio,
    )
    return out


def longest_series(r: Reader, authority_code: str) -> dict | None:
    """The authority's longest ward series: indicator, short title, ward set, number of periods,
    first and last period (None where it has no ward figures)."""
    s = r.query("longest_ward_series", authority_code=authority_code)
    if s.empty:
        return None
    top = s.iloc[0]
    return {
        "indicator_id": top["indicator_id"],
        "short_title": top["short_title"],
        "vintage": int(top["vintage"]),
        "periods": int(top["periods"]),
        "first_period": top["first_period"],
        "last_period": top["last_period"],
    }


FURTHEST_COLUMNS = ["geo_code", "geo_name", "worse_count", "tested", "indicators", "mean_position", "worse_on"]


def furthest_behind(r: Reader, authority_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """Wards ranked by how often they are significantly worse than the authority across the
    latest figures of the given indicators on the current wards, with their average position
    (0 = best, 100 = worst in the authority) to break ties."""
    frames = []
    for ind in indicator_ids:
        meta = indicator_meta(r, ind)
        p = periods(r, authority_code, ind)
        p = p[p["vintage"] == WARD_VINTAGE]
        if meta is None or polarity(meta) == "neutral" or p.empty:
            continue
        t = ward_table(r, authority_code, ind, p.iloc[0]["period"], WARD_VINTAGE).dropna(subset=["value"])
        worst_high = meta["polarity"] == "higher_is_worse"
        pct = t["value"].rank(ascending=not worst_high, pct=True)
        frames.append(
            pd.DataFrame(
                {
                    "geo_code": t["geo_code"],
                    "geo_name": t["geo_name"],
                    "worse": (t["vs_authority"] == "worse").to_numpy(bool),
                    "tested": t["vs_authority"].notna().to_numpy(bool),  # only intervals allow a significance test
                    "position": 100 * (1 - pct),
                    "indicator": meta["short_title"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=FURTHEST_COLUMNS)
    d = pd.concat(frames, ignore_index=True)
    keys = ["geo_code", "geo_name"]
    g = d.groupby(keys).agg(
        worse_count=("worse", "sum"),
        tested=("tested", "sum"),
        indicators=("indicator", "nunique"),
        mean_position=("position", "mean"),
    )
    worse_on = d[d["worse"]].groupby(keys)["indicator"].agg(lambda s: ", ".join(sorted(s)))
    g["worse_on"] = worse_on.reindex(g.index).fillna("")
    return (
        g.reset_index().sort_values(["worse_count", "mean_position"], ascending=[False, False]).reset_index(drop=True)
    )


def two_child_poverty_figures(r: Reader, authority_code: str) -> dict | None:
    """DWP's and End Child Poverty's after-housing-costs rates for the authority in the latest
    financial year both publish: {"period": label, "dwp": value, "ecp": value}."""
    dwp = comparator_series(r, authority_code, "child_poverty_ahc_dwp")
    ecp = comparator_series(r, authority_code, "child_poverty_ahc_ecp")
    dwp = dwp[(dwp["geo_type"] == "authority") & dwp["value"].notna()]
    ecp = ecp[(ecp["geo_type"] == "authority") & ecp["value"].notna()]
    dwp = dwp.assign(label=dwp["period"].map(text.period_label))
    ecp = ecp.assign(label=ecp["period"].map(text.period_label))
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


def worse_and_worsening(r: Reader, authority_code: str, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Wards significantly worse than the authority or the country in their latest period and
    with a significant worsening recent trend, on the same ward set (of ``indicator_ids``, or all)."""
    d = r.query("worse_and_worsening", authority_code=authority_code)
    if indicator_ids is not None:
        d = d[d["indicator_id"].isin(indicator_ids)].reset_index(drop=True)
    return d[["indicator_id", "indicator", "vintage", "period", "geo_code", "geo_name", "value", "marker"]]
