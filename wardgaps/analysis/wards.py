"""One borough, one indicator: its wards, their comparators, gaps and trends."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from wardgaps import disclosure, stats, text
from wardgaps.analysis.cache import memo
from wardgaps.analysis.catalogue import (
    COMPARATOR_LABEL,
    LONDON,
    _period_start,
    boroughs,
    imd_edition,
    indicator_meta,
    is_count,
    is_deprivation_index,
    periods,
    polarity,
)
from wardgaps.db import query


@memo
def comparators(borough_code: str, indicator_id: str, period: str, public: bool = False) -> pd.DataFrame:
    """The authority's figure and its region's and country's for the period (counts rounded in
    public); ``label`` is the level (borough, region, country), ``name`` the area's name."""
    df = query("comparators", borough_code=borough_code, indicator_id=indicator_id, period=period)
    df["label"] = df["geo_type"].map(COMPARATOR_LABEL)  # the level: borough, region or country
    df["name"] = df["geo_name"]
    meta = indicator_meta(indicator_id) or {}
    return disclosure.totals(df, meta.get("unit", "")) if public else df


def _raw_wards(borough_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    start = _period_start(borough_code, indicator_id, period, vintage)
    edition = imd_edition(start) if start is not None else "2019"
    return query(
        "borough_ward_values",
        borough_code=borough_code,
        indicator_id=indicator_id,
        period=period,
        vintage=vintage,
        imd_period=edition,
    )


@memo
def ward_table(borough_code: str, indicator_id: str, period: str, vintage: int, public: bool = False) -> pd.DataFrame:
    """All wards with value, rank in the borough (1 = highest) and significance against the
    borough, London and England (Fingertips' rule on the ward's 95% interval). Counts are not
    judged. In public, disclosed first, then ranked and judged on what is shown: suppressed wards
    have no value, rank, label or interval."""
    meta = indicator_meta(indicator_id) or {}
    unit = meta.get("unit", "")
    df = _raw_wards(borough_code, indicator_id, period, vintage)
    if public:
        df = disclosure.wards(df, unit)
        # a ward hidden on another set of boundaries for the same period is hidden here too
        df = disclosure.hide(df, df["geo_code"].isin(hidden_elsewhere(indicator_id, period, vintage)))
    else:
        df["suppressed"] = False
    df["rank"] = df["value"].rank(ascending=False, method="min")
    comp = comparators(borough_code, indicator_id, period, public=public)
    for _, c in comp.iterrows():
        col = c["label"]
        df[f"{col}_value"] = c["value"]
        if is_count(meta):
            df[f"vs_{col}"] = None  # a ward's count against a borough total means nothing
            continue
        direction = [stats.compare(lo, hi, c["value"]) for lo, hi in zip(df["lower_95"], df["upper_95"], strict=True)]
        df[f"vs_{col}"] = [
            stats.judge(d, polarity(meta)) if not h else None for d, h in zip(direction, df["suppressed"], strict=True)
        ]
    return df


WALES_SII = (
    "No slope index in Wales: the English Indices of Deprivation do not cover Welsh wards and the Welsh "
    "index is not in Ward Gaps' sources, so wards cannot be ordered by deprivation."
)
VINTAGES = (2014, 2018, 2024)  # the ward sets the extract holds (2014 and 2018: London only)


@memo
def disclosed_region(indicator_id: str, period: str, vintage: int, area_code: str = LONDON) -> pd.DataFrame:
    """Every ward of a region or country with a figure, each authority disclosed as its own set
    of cells (the same cells ``ward_table`` hides: same counts, ties broken by ward code)."""
    unit = (indicator_meta(indicator_id) or {}).get("unit", "")
    d = query("region_ward_values", area_code=area_code, indicator_id=indicator_id, period=period, vintage=vintage)
    return disclosure.by_borough(d, unit)


@memo
def hidden_elsewhere(indicator_id: str, period: str, vintage: int) -> frozenset[str]:
    """Ward codes the public view hides for this period on London's other ward sets (the only
    region with more than one): hidden on one set (codes shared between sets are the same ward)
    means hidden on all."""
    out: set[str] = set()
    for other in VINTAGES:
        if other != vintage:
            t = disclosed_region(indicator_id, period, other)
            out |= set(t.loc[t["suppressed"], "geo_code"])
    return frozenset(out)


def sii_direction(meta: dict) -> str:
    """What the sign of the slope index means for this indicator, in one sentence."""
    if polarity(meta) == "higher_is_worse":
        return "Positive means the more deprived wards have higher figures: they fare worse."
    if polarity(meta) == "higher_is_better":
        return "Positive means the more deprived wards have lower figures: they fare worse."
    return "Positive means the more deprived wards have lower figures; negative, higher (no better or worse here)."


@dataclass(frozen=True)
class GapResult:
    """Gap measures as shown: ``gaps`` is None when there are too few figures; ``withheld``
    says in one sentence why range and ratio are not given; ``sii_note`` why SII is not."""

    gaps: stats.Gaps | None
    withheld: str = ""
    sii_note: str = ""
    deprivation_edition: str = ""

    @property
    def shown(self) -> bool:
        return self.gaps is not None and not self.withheld


@memo
def borough_gaps(
    borough_code: str, indicator_id: str, period: str, vintage: int, public: bool = False
) -> GapResult | None:
    """Range, highest/lowest ratio and SII/RII across the borough's wards for one period, on the
    figures shown (disclosed in public). SII is withheld for counts (it would measure ward size)
    and for the Indices of Deprivation (ranking them by the IMD is circular)."""
    meta = indicator_meta(indicator_id)
    if meta is None:
        return None
    df = ward_table(borough_code, indicator_id, period, vintage, public=public)
    withheld = ""
    if public and disclosure.extreme_hidden(ward_table(borough_code, indicator_id, period, vintage), df):
        withheld = disclosure.WITHHELD_EXTREME
    df = df[~df["suppressed"] & (df["status"] != "suppressed")]
    # Weight by the indicator's own denominator where it has one (e.g. children), else population.
    weights = df["denominator"].where(df["denominator"].notna() & (meta["unit"] == "%"), df["population"])
    start = _period_start(borough_code, indicator_id, period, vintage)
    edition = imd_edition(start) if start is not None else ""
    note = ""
    if is_count(meta):
        note = "No slope index for a count: it would mostly measure how big the wards are, not how deprived."
        df = df.assign(deprivation=np.nan)
    elif is_deprivation_index(meta):
        note = (
            "No slope index for an Indices of Deprivation measure: ranking wards by the IMD, which is built "
            "from it, would be circular."
        )
        df = df.assign(deprivation=np.nan)
    elif borough_code.startswith("W"):
        note = WALES_SII
        df = df.assign(deprivation=np.nan)
    else:
        # Outside London the mirror has no IMD 2019 scores: the query falls back to the nearest
        # edition with scores for these wards, and the note names the one used.
        used = df["deprivation_period"].dropna()
        if len(used):
            edition = str(used.mode().iloc[0])
    g = stats.gap_measures(df.assign(population=weights), meta["unit"], polarity(meta))
    if g is None:
        return GapResult(None, withheld, note, edition)
    if withheld:  # the slope index is a gap measure too: not given when an extreme is hidden
        note = withheld
    if note:
        g = replace(g, sii=None, sii_note=note)
    elif g.sii is not None:
        g = replace(g, sii_note=(g.sii_note + " " if g.sii_note else "") + f"Wards ordered by IMD {edition} score.")
    return GapResult(g, withheld, g.sii_note, edition)


@memo
def gap_trend(borough_code: str, indicator_id: str, vintage: int, public: bool = False) -> tuple[pd.DataFrame, str]:
    """Gap measures for every period on one ward vintage, and whether the SII gap is widening."""
    p = periods(borough_code, indicator_id)
    p = p[p["vintage"] == vintage].sort_values("period_start")
    rows, siis = [], []
    for period in p["period"]:
        r = borough_gaps(borough_code, indicator_id, period, vintage, public=public)
        if r is None or r.gaps is None:
            continue
        g = r.gaps
        lo, hi = g.sii.sii_limits.get(0.95, (np.nan, np.nan)) if g.sii else (np.nan, np.nan)
        hidden = bool(r.withheld)
        rows.append(
            {
                "period": period,
                "range": np.nan if hidden else g.range,
                "ratio": np.nan if hidden or g.ratio is None else g.ratio,
                "sii": g.sii.sii if g.sii else np.nan,
                "sii_lower_95": lo,
                "sii_upper_95": hi,
                "rii": g.sii.rii if g.sii else np.nan,
            }
        )
        if g.sii:
            siis.append(g.sii)
    table = pd.DataFrame(rows, columns=["period", "range", "ratio", "sii", "sii_lower_95", "sii_upper_95", "rii"])
    if len(siis) < 2:
        return table, "not measured: a change needs the slope index in at least two periods on these wards"
    return table, stats.gap_change(siis[0], siis[-1])


@memo
def ward_series(borough_code: str, indicator_id: str, vintage: int, public: bool = False) -> pd.DataFrame:
    """Every ward's figure in every period on one ward vintage (each period disclosed in public)."""
    meta = indicator_meta(indicator_id) or {}
    s = query("borough_ward_series", borough_code=borough_code, indicator_id=indicator_id, vintage=vintage)
    if public:
        return disclosure.series(s, meta.get("unit", ""))
    return s.assign(suppressed=False)


@memo
def comparator_series(borough_code: str, indicator_id: str, public: bool = False) -> pd.DataFrame:
    """The authority, its region and its country over time.

    For a count, the authority's own figures alone, and only where it has no ward figures: a
    region's or country's total is no comparator for an authority's count, nor an authority's
    for a ward's (it would squash every ward's line)."""
    meta = indicator_meta(indicator_id) or {}
    df = query("comparator_series", borough_code=borough_code, indicator_id=indicator_id)
    if is_count(meta):
        if len(periods(borough_code, indicator_id)):
            return df.iloc[0:0]
        df = df[df["geo_type"] == "borough"].reset_index(drop=True)
    return disclosure.totals(df, meta.get("unit", "")) if public else df


@memo
def ward_trends(borough_code: str, indicator_id: str, vintage: int, public: bool = False) -> pd.DataFrame:
    """Fingertips recent-trend marker per ward over the last five periods on one ward vintage."""
    meta = indicator_meta(indicator_id) or {}
    s = ward_series(borough_code, indicator_id, vintage, public=public)
    out = []
    for (code, name), g in s.groupby(["geo_code", "geo_name"], sort=True):
        years = g["period_start"].map(lambda d: pd.Timestamp(d).year + pd.Timestamp(d).day_of_year / 366).to_numpy()
        if meta.get("unit") == "count":
            # a count's change follows the ward's size and the apportioning, not a rate: not tested
            marker, reason = "Not tested", "A count, not a rate: no trend is tested"
        elif g["suppressed"].any():
            marker, reason = "Cannot be calculated", "A figure is suppressed to protect small numbers"
        elif meta.get("unit") == "%" and g["numerator"].notna().all() and g["denominator"].notna().all():
            marker, reason = stats.trend_marker(years, numerator=g["numerator"], denominator=g["denominator"])
        elif meta.get("unit") == "count" and g["lower_95"].isna().all():
            # Counts: Poisson (Byar) limits give the weights Fingertips uses for counts.
            lo, hi = stats.count_interval(g["value"])
            marker, reason = stats.trend_marker(years, g["value"], lower=lo, upper=hi)
        else:
            marker, reason = stats.trend_marker(years, g["value"], lower=g["lower_95"], upper=g["upper_95"])
        direction = {"Increasing": "higher", "Decreasing": "lower"}.get(marker)
        judged = stats.judge(direction, polarity(meta)) if direction else None
        out.append({"geo_code": code, "geo_name": name, "marker": marker, "reason": reason, "judged": judged})
    return pd.DataFrame(out, columns=["geo_code", "geo_name", "marker", "reason", "judged"])


@memo
def deprivation_quintiles(
    borough_code: str, indicator_id: str, period: str, vintage: int, public: bool = False
) -> pd.DataFrame:
    """The indicator by borough-local deprivation quintile of the wards shown (see below). Empty for
    counts (ward size) and Indices of Deprivation measures (ordering them by the IMD is circular)."""
    meta = indicator_meta(indicator_id) or {}
    if is_count(meta) or is_deprivation_index(meta):
        return pd.DataFrame(columns=["quintile", "wards", "value"])
    return deprivation_breakdown(ward_table(borough_code, indicator_id, period, vintage, public=public))


def deprivation_breakdown(table: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The indicator by borough-local quintile of wards' IMD score (1 = most deprived fifth),
    population-weighted mean of the wards in each quintile (figures shown only)."""
    d = table.dropna(subset=["value", "deprivation"])
    if "suppressed" in d:
        d = d[~d["suppressed"]]
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
    """Sentences comparing one ward with its borough and England, gated on significance. Counts
    are not compared with totals."""
    suppressed = bool(row.get("suppressed", False))
    if suppressed or pd.isna(row.get("value")):  # said once, not once per comparator
        return [text.narrative(row["geo_name"], None, None, None, "", None, unit, public, suppressed=suppressed)]
    if unit == "count":
        return [f"{row['geo_name']}'s count is {text.fmt(row['value'], unit)}."]
    out = []
    for _, c in comp.iterrows():
        if c["geo_type"] == "region":
            continue
        out.append(
            text.narrative(
                row["geo_name"],
                row["value"],
                row["lower_95"],
                row["upper_95"],
                c["geo_name"],
                c["value"],
                unit,
                public,
                suppressed=suppressed,
            )
        )
    return out


def _caveat_about(meta: dict, place: str) -> str:
    """The sentence of an indicator's caveats that speaks of a place (e.g. the City of London)."""
    for sentence in str(meta.get("caveats") or "").split(". "):
        if place in sentence:
            return sentence.rstrip(".") + "."
    return ""


def no_ward_figures_note(borough_code: str, indicator_id: str) -> str:
    """Why an indicator has no ward figures in a borough: published for boroughs only, or (when
    other boroughs have them) missing here, with the caveat that says why where there is one."""
    meta = indicator_meta(indicator_id) or {}
    name = boroughs().get(borough_code, borough_code)
    if meta.get("native_geography") == "borough":
        return "This indicator is published for local authorities only, so there are no ward figures."
    if borough_code.startswith("W") and is_deprivation_index(meta):
        return (
            f"This indicator has no ward figures for {name}: the English Indices of Deprivation cover England "
            "only, and the Welsh index is not in Ward Gaps' sources (an English index is never shown on a Welsh "
            "ward). Census 2021 and DWP indicators cover Welsh wards."
        )
    if not borough_code.startswith("E09") and _london_only(indicator_id):
        return (
            f"This indicator has no ward figures for {name}: they come from London-only sources (the GLA's ward "
            "series, or the GLA's weights that carry smaller areas onto wards), so only London's wards have them."
        )
    why = _caveat_about(meta, name)
    return f"This indicator has no ward figures for {name}." + (f" {why}" if why else "")


@memo
def _london_only(indicator_id: str) -> bool:
    """True when every ward figure of the indicator is a London ward's."""
    return bool(query("london_only", indicator_id=indicator_id)["london_only"].iloc[0])


def missing_wards_note(borough_code: str, indicator_id: str, table: pd.DataFrame) -> str:
    """One sentence when some wards have no figure (not hidden, just absent), with the reason the
    indicator's caveats give for this borough where there is one."""
    absent = table["value"].isna() & ~table["suppressed"].astype(bool)
    if not absent.any():
        return ""
    meta = indicator_meta(indicator_id) or {}
    name = boroughs().get(borough_code, borough_code)
    n = int(absent.sum())
    it = "it" if n == 1 else "them"
    why = _caveat_about(meta, name) or (
        f"The publisher gives no figure for {it}, or no neighbourhood (LSOA) the figure is built from lies in {it}."
    )
    return f"{n} of {len(table)} wards {'has' if n == 1 else 'have'} no figure for this period. {why}"
