"""Geography and places: ward outlines and LSOAs, the London context, one ward's profile."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import disclosure, text
from wardgaps.analysis.cache import memo
from wardgaps.analysis.catalogue import WARD_VINTAGE, indicator_meta, is_count, polarity, region_of
from wardgaps.analysis.wards import comparators, disclosed_region, hidden_elsewhere, ward_table
from wardgaps.db import query


@memo
def ward_boundaries(borough_code: str, vintage: int) -> pd.DataFrame:
    """The borough's ward outlines (simplified at build time) with a label point inside each."""
    return query("ward_boundaries", borough_code=borough_code, vintage=vintage)


@memo
def ward_names(borough_code: str, vintage: int) -> dict[str, str]:
    b = ward_boundaries(borough_code, vintage)
    return dict(zip(b["geo_code"], b["geo_name"], strict=True))


def ranked_wards(table: pd.DataFrame) -> pd.DataFrame:
    """The wards with a figure shown, highest first."""
    return table.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")


@memo
def lsoa_layers(borough_code: str) -> pd.DataFrame:
    """Neighbourhood (LSOA) scores available for the borough, with a label for each."""
    lp = query("lsoa_periods", borough_code=borough_code)
    lp["label"] = [f"{r.short_title} {r.period}" for r in lp.itertuples()]
    return lp


@memo
def lsoa_values(borough_code: str, indicator_id: str, period: str) -> pd.DataFrame:
    """One LSOA score for every LSOA in the borough (scores, not counts: nothing to disclose)."""
    return query("lsoa_values", borough_code=borough_code, indicator_id=indicator_id, period=period)


@memo
def ward_lsoas(ward_code: str, imd_period: str = "2025") -> pd.DataFrame:
    """The ward's LSOAs (2021) with their IMD score (one edition) and outline."""
    return query("ward_lsoas", ward_code=ward_code, imd_period=imd_period)


@memo
def context_table(indicator_id: str, period: str, vintage: int, area_code: str, public: bool = False) -> pd.DataFrame:
    """Every ward of a region or country for one indicator and period, with its rank there on
    the figures shown. In public each authority is disclosed as its own set of cells, exactly as
    its own table is, and a ward hidden on another set of boundaries is hidden here too."""
    if public:
        d = disclosed_region(indicator_id, period, vintage, area_code)
        d = disclosure.hide(d, d["geo_code"].isin(hidden_elsewhere(indicator_id, period, vintage)))
    else:
        d = query("region_ward_values", area_code=area_code, indicator_id=indicator_id, period=period, vintage=vintage)
        d = d.assign(suppressed=False)
    d["rank"] = d["value"].rank(ascending=False, method="min")
    return d


def context_summary(d: pd.DataFrame, borough_code: str) -> dict | None:
    """The authority's lowest and highest wards among the area's, and the top one's rank there."""
    mine = d[(d["borough_code"] == borough_code)].dropna(subset=["value"])
    shown = d.dropna(subset=["value"])
    if mine.empty:
        return None
    top, bottom = mine.loc[mine["value"].idxmax()], mine.loc[mine["value"].idxmin()]
    return {"n": len(shown), "top": top, "bottom": bottom, "top_rank": int(top["rank"])}


@memo
def ward_profile(ward_code: str, public: bool = False) -> pd.DataFrame:
    """One current ward across every indicator, latest period of each: value, rank in the
    authority, the region and the country, the comparators, and its change since the previous
    period. In public each figure is the ward's cell from its disclosed authority table, so it
    matches every page."""
    p = query("ward_profile", ward_code=ward_code, vintage=WARD_VINTAGE)
    if p.empty:
        return p
    borough = p["borough_code"].iloc[0] if "borough_code" in p else None
    region, _, country, _ = region_of(borough)
    areas = {"region": region, "country": country} if region != country else {"country": country}
    wider = {
        (w["indicator_id"], w["period"]): w
        for w in query("ward_wider_ranks", ward_code=ward_code, vintage=WARD_VINTAGE).to_dict("records")
    }
    rows = []
    for r in p.to_dict("records"):
        meta = indicator_meta(r["indicator_id"]) or {}
        r["suppressed"] = False
        if public:
            b = r.get("borough_code") or borough
            t = ward_table(b, r["indicator_id"], r["period"], WARD_VINTAGE, public=True).set_index("geo_code")
            if ward_code not in t.index:
                continue  # the ward is not on its borough's list for this period: nothing to show
            mine = t.loc[ward_code]
            r.update(
                value=mine["value"],
                lower_95=mine["lower_95"],
                upper_95=mine["upper_95"],
                rank_borough=mine["rank"],
                n_borough=int(t["value"].notna().sum()),
                suppressed=bool(mine["suppressed"]),
                status=mine["status"],
            )
            for col, label in (("borough_value", "borough"), ("region_value", "region"), ("country_value", "country")):
                c = comparators(b, r["indicator_id"], r["period"], public=True)
                c = c[c["label"] == label]["value"]
                r[col] = c.iloc[0] if len(c) else np.nan
            if r["previous_period"] is not None and not pd.isna(r["previous_value"]):
                prev = ward_table(b, r["indicator_id"], r["previous_period"], WARD_VINTAGE, public=True)
                prev = prev.set_index("geo_code")
                r["previous_value"] = prev.loc[ward_code, "value"] if ward_code in prev.index else np.nan
                r["previous_suppressed"] = bool(ward_code in prev.index and prev.loc[ward_code, "suppressed"])
        for level in ("region", "country"):
            if level not in areas or r.get("suppressed") or pd.isna(r.get("value")):
                r[f"rank_{level}"], r[f"n_{level}"] = np.nan, np.nan
                continue
            if not public:  # one query for every indicator (ranks on the figures as published)
                w = wider.get((r["indicator_id"], r["period"]))
                r[f"rank_{level}"] = w[f"rank_{level}"] if w is not None else np.nan
                r[f"n_{level}"] = w[f"n_{level}"] if w is not None else np.nan
                continue
            # in public, ranks among the figures shown: each authority's disclosed cells
            t = context_table(r["indicator_id"], r["period"], WARD_VINTAGE, areas[level], public=True)
            t = t.set_index("geo_code")
            r[f"rank_{level}"] = t.loc[ward_code, "rank"] if ward_code in t.index else np.nan
            r[f"n_{level}"] = int(t["value"].notna().sum())
        if is_count(meta):
            r["borough_value"] = r["region_value"] = r["country_value"] = np.nan
        rows.append(r)
    out = pd.DataFrame(rows)
    out["judged_polarity"] = [polarity(indicator_meta(i) or {}) for i in out["indicator_id"]]
    out["trend"] = [_change_words(r) for r in out.to_dict("records")]
    out["rank_in_borough"] = [_rank_words(a, b) for a, b in zip(out["rank_borough"], out["n_borough"], strict=True)]
    for level in ("region", "country"):
        out[f"rank_in_{level}"] = [
            _rank_words(a, b) for a, b in zip(out[f"rank_{level}"], out[f"n_{level}"], strict=True)
        ]
    return out


def _rank_words(rank: object, n: object) -> str:
    if pd.isna(rank) or pd.isna(n):
        return "not ranked"
    return f"{int(rank)} of {int(n)}"


def _change_words(r: dict) -> str:
    """The change since the previous period, in words ("up from 12.0% (2019)")."""
    if r.get("suppressed") or pd.isna(r.get("value")):
        return "not shown"
    if r.get("previous_suppressed"):
        return f"earlier figure ({text.period_label(r['previous_period'])}) not shown"
    if pd.isna(r.get("previous_value")):
        return "no earlier period"
    d = r["value"] - r["previous_value"]
    word = "up" if d > 0 else "down" if d < 0 else "no change"
    return f"{word} from {text.fmt(r['previous_value'], r['unit'])} in {text.period_label(r['previous_period'])}"


def profile_top3(profile: pd.DataFrame) -> pd.DataFrame:
    """The judged indicators (higher is worse) on which the ward is among its borough's three highest."""
    judged = profile[profile["judged_polarity"] == "higher_is_worse"]
    return judged[judged["rank_borough"] <= 3]
