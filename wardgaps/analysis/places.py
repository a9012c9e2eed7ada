"""Geography and places: ward outlines and LSOAs, a region's or country's wards, one ward's profile."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import text
from wardgaps.analysis.catalogue import WARD_VINTAGE, indicator_meta, polarity
from wardgaps.analysis.wards import RANKS, as_float, comparators
from wardgaps.db import Reader
from wardgaps.meta import IMD_SCORE


def ward_boundaries(r: Reader, authority_code: str, vintage: int) -> pd.DataFrame:
    """The authority's ward outlines (simplified at build time) with a label point inside each."""
    return r.query("ward_boundaries", authority_code=authority_code, vintage=vintage)


def ward_names(r: Reader, authority_code: str, vintage: int) -> dict[str, str]:
    b = ward_boundaries(r, authority_code, vintage)
    return dict(zip(b["geo_code"], b["geo_name"], strict=True))


def ranked_wards(table: pd.DataFrame) -> pd.DataFrame:
    """The wards with a figure shown, highest first."""
    return table.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")


def lsoa_layers(r: Reader, authority_code: str) -> pd.DataFrame:
    """Neighbourhood (LSOA) scores available for the authority, with a label for each."""
    lp = r.query("lsoa_periods", authority_code=authority_code)
    lp["label"] = [f"{row.short_title} {row.period}" for row in lp.itertuples()]
    return lp


def lsoa_values(r: Reader, authority_code: str, indicator_id: str, period: str) -> pd.DataFrame:
    """One LSOA score for every LSOA in the authority."""
    return r.query("lsoa_values", authority_code=authority_code, indicator_id=indicator_id, period=period)


def ward_lsoas(r: Reader, ward_code: str, imd_period: str = "2025") -> pd.DataFrame:
    """The ward's LSOAs (2021) with their IMD score (one edition) and outline."""
    return r.query(
        "ward_lsoas", ward_code=ward_code, ward_vintage=WARD_VINTAGE, imd_indicator=IMD_SCORE, imd_period=imd_period
    )


def context_table(r: Reader, indicator_id: str, period: str, vintage: int, area_code: str) -> pd.DataFrame:
    """Every ward of a region or country with a figure for one indicator and period, with its
    rank there among the figures shown (each authority's hidden cells hidden here too)."""
    d = r.query("context_wards", area_code=area_code, indicator_id=indicator_id, period=period, vintage=vintage)
    d["suppressed"] = d["suppressed"].fillna(False).astype(bool)
    return as_float(d, ("rank",))


def context_summary(d: pd.DataFrame, authority_code: str) -> dict | None:
    """The authority's lowest and highest wards among the area's, and the top one's rank there."""
    mine = d[(d["authority_code"] == authority_code)].dropna(subset=["value"])
    shown = d.dropna(subset=["value"])
    if mine.empty:
        return None
    top, bottom = mine.loc[mine["value"].idxmax()], mine.loc[mine["value"].idxmin()]
    return {"n": len(shown), "top": top, "bottom": bottom, "top_rank": int(top["rank"])}


def ward_profile(r: Reader, ward_code: str, levels: tuple[str, ...] = ("region", "country")) -> pd.DataFrame:
    """One current ward across every indicator, latest period of each: value, rank in the
    authority and in the wider areas of ``levels`` (a Welsh ward: the country only), the
    comparators, and its change since the previous period. Hidden figures (public view) say so."""
    p = r.query("ward_profile", ward_code=ward_code, vintage=WARD_VINTAGE)  # no rows: a ward with no figures
    p = as_float(p, ("rank_authority", *RANKS[1:]))
    p["suppressed"] = p["suppressed"].fillna(False).astype(bool)
    p["previous_suppressed"] = p["previous_suppressed"].fillna(False).astype(bool)
    counts = p["unit"].eq("count").to_numpy()
    p.loc[counts, ["authority_value", "region_value", "country_value"]] = np.nan
    for level in ("region", "country"):
        if level not in levels:
            p[f"rank_{level}"] = p[f"n_{level}"] = np.nan
    p["judged_polarity"] = [polarity(indicator_meta(r, i) or {}) for i in p["indicator_id"]]
    p["trend"] = [_change_words(row) for row in p.to_dict("records")]
    for level in ("authority", "region", "country"):
        p[f"rank_in_{level}"] = [_rank_words(a, b) for a, b in zip(p[f"rank_{level}"], p[f"n_{level}"], strict=True)]
    # every ward the same (one larger area's figure on all of them, or 0% everywhere): a rank of
    # "1 of 25" would read as the worst ward
    p["all_tied"] = p["all_tied"].fillna(False).astype(bool)
    p.loc[p["all_tied"], "rank_in_authority"] = [f"all {int(n)} the same" for n in p.loc[p["all_tied"], "n_authority"]]
    return p


def profile_groups(
    r: Reader, authority_code: str, p: pd.DataFrame, *, similar: bool = False, benchmark: str | None = None
) -> pd.DataFrame:
    """The ward profile ``p`` with the comparison groups chosen beside region and country: the
    similar authorities' figure (``similar_value``) and the benchmark authority's
    (``benchmark_value``) for each indicator's period, as the other pages draw them (none for counts)."""
    p = p.copy()
    p["similar_value"] = p["benchmark_value"] = np.nan
    if not (similar or benchmark):
        return p
    for i, row in p.iterrows():
        if row["unit"] == "count":
            continue
        c = comparators(r, authority_code, row["indicator_id"], row["period"], similar=similar, benchmark=benchmark)
        c = c.set_index("label")["value"]
        p.loc[i, "similar_value"] = c.get("similar authorities", np.nan)
        p.loc[i, "benchmark_value"] = c.get("benchmark", np.nan)
    return p


def _rank_words(rank: object, n: object) -> str:
    if pd.isna(rank) or pd.isna(n):
        return "not ranked"
    return f"{int(rank)} of {int(n)}"


def _change_words(row: dict) -> str:
    """The change since the previous period, in words ("up from 12.0% in 2019")."""
    if row.get("suppressed") or pd.isna(row.get("value")):
        return "not shown"
    if pd.isna(row.get("previous_period")) or row.get("previous_period") is None:
        return "no earlier period"
    if row.get("previous_suppressed"):
        return f"earlier figure ({text.period_label(row['previous_period'])}) not shown"
    if pd.isna(row.get("previous_value")):
        return "no earlier figure"
    d = row["value"] - row["previous_value"]
    word = "up" if d > 0 else "down" if d < 0 else "no change"
    return f"{word} from {text.fmt(row['previous_value'], row['unit'])} in {text.period_label(row['previous_period'])}"


def profile_top3(profile: pd.DataFrame) -> pd.DataFrame:
    """The judged indicators (higher is worse) on which the ward is among its authority's three highest."""
    judged = profile[profile["judged_polarity"].eq("higher_is_worse") & ~profile["all_tied"]]
    return judged[judged["rank_authority"] <= 3]
