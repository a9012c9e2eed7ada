"""The council's own areas (the local layer's area sets: named groups of current wards of one
authority): their figures, intervals, significance against the authority, gaps, series, outlines
and profile, one function per question a page or pack asks.

An area's figures are worked out from its wards' figures in SQL (``queries/local/overlay_areas.sql``
in the officer view; the public extract holds the published sets' figures, disclosed by the publish
step): rates from the summed numerators and denominators, counts summed, scores as the
population-weighted mean of the wards'. Here the intervals are worked out from the sums by the same
method as wards' (Wilson's, :mod:`wardgaps.stats`), and the areas are ranked and judged against
their authority by Fingertips' rule, as wards are. Every function answers empty when the files
hold no area sets.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wardgaps import stats
from wardgaps.analysis.catalogue import indicator_meta, is_count, is_deprivation_index, polarity
from wardgaps.analysis.wards import GapResult
from wardgaps.db import Reader

# The aggregation rules, as the Data and methods page and the docs state them.
RULES = (
    "A rate or percentage that carries its counts (a numerator and a denominator) is the area's summed "
    "numerators over its summed denominators, with its interval worked out from those sums by the method "
    "wards use (Wilson's score interval).",
    "A count is the sum of the area's wards' counts.",
    "A score is the mean of the area's wards' scores weighted by their population.",
    "An area has a figure only when every one of its wards has one.",
    "Any other indicator (a rate or share published without its counts, such as a share of LSOAs, a "
    "distance, a ratio or a median) cannot be carried to areas, and the page says so.",
    "The slope index across areas is given only where a set has at least five areas in the authority, "
    "ordered by their population-weighted deprivation score.",
)
RULES_TEXT = " ".join(RULES)
MIN_SII_AREAS = 5
FEW_AREAS = "No slope index across areas: it needs at least five areas with a figure."
_UNCARRIED = {
    "%": "it is a percentage published without its counts (such as a share of LSOAs), and an area's share "
    "cannot be worked out from its wards' shares alone",
    "rate_per_1000": "it is a rate published without its counts, and an area's rate cannot be worked out "
    "from its wards' rates alone",
}
TABLE_COLUMNS = ["area_name", "n_wards", "value", "lower_95", "upper_95", "rank", "vs_authority"]


def has_areas(r: Reader) -> bool:
    """Whether the files this run reads hold area sets (the local layer's, or the published ones)."""
    return r.once("has_areas", lambda: bool(r.peek("local_areas_present")["present"].iloc[0]))


def area_sets(r: Reader, authority_code: str | None = None) -> pd.DataFrame:
    """The area sets (one row per set and authority), all or those with areas in one authority."""
    if not has_areas(r):
        return pd.DataFrame(columns=["set_name", "authority_code", "areas", "wards", "published"])
    return r.query("area_set_list", authority_code=authority_code)


def area_set_names(r: Reader, authority_code: str) -> list[str]:
    """The names of the sets with areas in the authority (for ``?areas=``)."""
    return list(area_sets(r, authority_code)["set_name"])


def area_members(r: Reader, set_name: str, authority_code: str) -> pd.DataFrame:
    """The wards of each area of the set in the authority (area_name, geo_code, geo_name)."""
    if not has_areas(r):
        return pd.DataFrame(columns=["area_name", "geo_code", "geo_name"])
    return r.query("area_members", set_name=set_name, authority_code=authority_code)


def not_carried_note(meta: dict) -> str:
    """Why an indicator is not carried to areas, in one sentence ("" when it is)."""
    unit = meta.get("unit", "")
    if unit in ("count", "score") or (
        unit in _UNCARRIED
        and (
            meta.get("ci_method") == "wilson"
            or (_given(meta.get("numerator_label")) and _given(meta.get("denominator_label")))
        )
    ):
        return ""
    why = _UNCARRIED.get(unit, f"a {stats_unit(unit)} cannot be added up or averaged over wards")
    return f"{meta.get('short_title') or meta.get('title', 'This indicator')} is not shown for areas: {why}."


def _given(label: object) -> bool:
    """Whether a catalogue label is given (a local indicator's missing one reads as NaN, not "")."""
    return isinstance(label, str) and bool(label.strip())


def stats_unit(unit: str) -> str:
    """A unit in words, for the sentence that says an indicator is not carried to areas."""
    return {"km": "distance", "£": "median in pounds", "ratio": "ratio"}.get(unit, unit)


def _intervals(df: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """Wilson intervals from the summed counts where the indicator has them and none are stored."""
    if meta.get("ci_method") != "wilson" or meta.get("unit") not in ("%", "rate_per_1000"):
        return df
    scale = 100.0 if meta["unit"] == "%" else 1000.0
    todo = df["lower_95"].isna() & df["numerator"].notna() & df["denominator"].gt(0)
    if todo.any():
        for level, lo, hi in ((0.95, "lower_95", "upper_95"), (0.998, "lower_998", "upper_998")):
            a, b = stats.wilson_interval(df.loc[todo, "numerator"], df.loc[todo, "denominator"], level, scale)
            df.loc[todo, lo], df.loc[todo, hi] = a, b
    return df


def area_table(r: Reader, set_name: str, authority_code: str, indicator_id: str, period: str) -> pd.DataFrame:
    """The set's areas in the authority for one indicator and period: value with its interval, rank
    (1 = highest) and significance against the authority (Fingertips' rule on the 95% interval;
    counts not judged). Hidden areas (public view) have no value, rank, label or interval."""
    meta = indicator_meta(r, indicator_id) or {}
    if not has_areas(r):
        return pd.DataFrame(columns=[*TABLE_COLUMNS, "suppressed"])
    df = r.query(
        "area_figures", set_name=set_name, authority_code=authority_code, indicator_id=indicator_id, period=period
    )
    for c in ("value", "numerator", "denominator", "lower_95", "upper_95", "lower_998", "upper_998"):
        df[c] = df[c].astype("float64")
    df["suppressed"] = df["suppressed"].fillna(False).astype(bool)
    df = _intervals(df, meta)
    df["rank"] = df["value"].rank(ascending=False, method="min")
    pol = polarity(meta)
    df["vs_authority"] = [
        None if is_count(meta) else stats.judge(stats.compare(lo, hi, a), pol)
        for lo, hi, a in zip(df["lower_95"], df["upper_95"], df["authority_value"], strict=True)
    ]
    df["vs_authority"] = df["vs_authority"].astype(object)
    return df


def area_gaps(r: Reader, set_name: str, authority_code: str, indicator_id: str, period: str) -> GapResult | None:
    """Range, highest/lowest ratio and (with at least five areas) the slope index across the set's
    areas in the authority, on the figures shown; None when fewer than two areas have a figure."""
    meta = indicator_meta(r, indicator_id)
    if meta is None:
        return None
    t = area_table(r, set_name, authority_code, indicator_id, period)
    shown = t[t["value"].notna() & ~t["suppressed"]]
    if len(shown) < 2:
        return None
    d = {
        "geo_code": shown["area_name"].to_numpy(),
        "value": shown["value"].to_numpy(float),
        "population": np.where(shown["denominator"].notna(), shown["denominator"], shown["population"]).astype(float),
        "deprivation": shown["deprivation"].to_numpy(float),
        "lower_95": shown["lower_95"].to_numpy(float),
        "upper_95": shown["upper_95"].to_numpy(float),
    }
    note = ""
    if is_count(meta) or is_deprivation_index(meta):
        note = "No slope index for this indicator across areas, as for wards (see Ward gaps)."
    elif len(shown) < MIN_SII_AREAS:
        note = FEW_AREAS
    if note:
        d["deprivation"] = np.full(len(shown), np.nan)
    g = stats.gap_measures(d, meta["unit"], polarity(meta))
    if g is None:
        return None
    if note:
        from dataclasses import replace

        g = replace(g, sii=None, sii_note=note)
    editions = shown["deprivation_period"].dropna().mode()
    return GapResult(g, "", g.sii_note, str(editions.iloc[0]) if len(editions) else "")


def area_series(r: Reader, set_name: str, authority_code: str, indicator_id: str) -> pd.DataFrame:
    """Every area's figure in every period (hidden ones marked ``suppressed``), with intervals."""
    meta = indicator_meta(r, indicator_id) or {}
    if not has_areas(r):
        return pd.DataFrame(columns=["area_name", "period", "value", "lower_95", "upper_95", "suppressed"])
    s = r.query("area_series", set_name=set_name, authority_code=authority_code, indicator_id=indicator_id)
    for c in ("value", "numerator", "denominator", "lower_95", "upper_95"):
        s[c] = s[c].astype("float64")
    s["lower_998"], s["upper_998"] = np.nan, np.nan
    s["suppressed"] = s["suppressed"].fillna(False).astype(bool)
    return _intervals(s, meta).drop(columns=["lower_998", "upper_998"])


def area_outlines(r: Reader, set_name: str, authority_code: str, vintage: int) -> pd.DataFrame:
    """Each area's outline: its wards' outlines dissolved into one (GeoJSON), with a label point."""
    from shapely import unary_union
    from shapely.geometry import mapping, shape

    members = area_members(r, set_name, authority_code)
    wards = r.query("ward_boundaries", authority_code=authority_code, vintage=vintage)
    m = members.merge(wards[["geo_code", "geojson"]], on="geo_code")
    rows = []
    for area, g in m.groupby("area_name", sort=True):
        shapes = [shape(json.loads(x)) for x in g["geojson"]]
        # a hair of buffer closes the slivers simplified neighbours leave between them
        merged = unary_union([s.buffer(0) for s in shapes]).buffer(1e-7).buffer(-1e-7)
        point = merged.representative_point()
        rows.append(
            {
                "area_name": area,
                "geojson": json.dumps(mapping(merged)),
                "label_lon": point.x,
                "label_lat": point.y,
                "wards": len(g),
            }
        )
    return pd.DataFrame(rows, columns=["area_name", "geojson", "label_lon", "label_lat", "wards"])


def area_profile(
    r: Reader, set_name: str, authority_code: str, area_name: str, indicator_ids: list[str]
) -> pd.DataFrame:
    """One area's latest figure of each indicator against its authority (as a ward's profile)."""
    rows = []
    for ind in indicator_ids:
        meta = indicator_meta(r, ind) or {}
        periods = r.query("area_series", set_name=set_name, authority_code=authority_code, indicator_id=ind)
        mine = periods[periods["area_name"].eq(area_name) & periods["value"].notna()]
        if mine.empty:
            continue
        period = str(mine["period"].iloc[-1])
        t = area_table(r, set_name, authority_code, ind, period)
        row = t[t["area_name"].eq(area_name)].iloc[0]
        rows.append(
            {
                "indicator_id": ind,
                "indicator": meta.get("short_title") or meta.get("title"),
                "unit": meta.get("unit"),
                "period": period,
                "value": row["value"],
                "lower_95": row["lower_95"],
                "upper_95": row["upper_95"],
                "authority_value": row["authority_value"],
                "vs_authority": row["vs_authority"],
                "rank": row["rank"],
                "n_areas": int(t["value"].notna().sum()),
                "suppressed": bool(row["suppressed"]),
            }
        )
    return pd.DataFrame(rows)


def furthest_behind_areas(r: Reader, set_name: str, authority_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """The areas furthest behind on the key indicators: per area, on how many of those that can be
    carried to areas and judged (with intervals) it is significantly worse than its authority, in
    each indicator's latest period with area figures; worst first."""
    tally: dict[str, dict] = {}
    for ind in indicator_ids:
        meta = indicator_meta(r, ind)
        if meta is None or not_carried_note(meta) or is_count(meta):
            continue
        s = area_series(r, set_name, authority_code, ind)
        s = s[s["value"].notna()]
        if s.empty:
            continue
        t = area_table(r, set_name, authority_code, ind, str(s["period"].iloc[-1]))
        for row in t.itertuples():
            a = tally.setdefault(row.area_name, {"area_name": row.area_name, "worse_count": 0, "tested": 0, "on": []})
            if row.vs_authority is not None:
                a["tested"] += 1
            if row.vs_authority == "worse":
                a["worse_count"] += 1
                a["on"].append(meta.get("short_title") or ind)
    rows = [{**a, "worse_on": ", ".join(a.pop("on"))} for a in tally.values()]
    out = pd.DataFrame(rows, columns=["area_name", "worse_count", "tested", "worse_on"])
    return out.sort_values(["worse_count", "area_name"], ascending=[False, True], kind="stable").reset_index(drop=True)
