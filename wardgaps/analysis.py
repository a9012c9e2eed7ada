"""The questions pages and packs ask, answered from the extract with :mod:`wardgaps.stats`.

One function per question. Every function that returns figures takes ``public``: in the public
view its result has passed through :mod:`wardgaps.disclosure` (the only road to anything
public), so pages and packs never apply a disclosure rule of their own. Pure functions over
:func:`wardgaps.db.query`, cached per extract file and arguments.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from wardgaps import disclosure, stats, text
from wardgaps.db import query, stamp

COMPARATOR_LABEL = text.COMPARATOR_LABEL
WARD_VINTAGE = 2022  # the current London ward set


def memo(fn: Callable) -> Callable:
    """Cache a pure analysis by its arguments and the extract file's stamp (bounded, so a
    rebuilt extract is never answered from stale results). DataFrames come back as copies."""

    @functools.lru_cache(maxsize=512)
    def cached(file_stamp: float, args: tuple, kwargs: tuple):
        return fn(*(list(a) if isinstance(a, tuple) else a for a in args), **dict(kwargs))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        out = cached(stamp(), key, tuple(sorted(kwargs.items())))
        if isinstance(out, pd.DataFrame):
            return out.copy()
        if isinstance(out, tuple):
            return tuple(x.copy() if isinstance(x, pd.DataFrame) else x for x in out)
        return out

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper


# --- the catalogue, as plain dicts made once per extract ------------------------------------
@memo
def _catalogue() -> dict[str, dict]:
    df = query("indicator_catalogue")
    return {r["indicator_id"]: r for r in df.to_dict("records")}


def catalogue() -> pd.DataFrame:
    """Every indicator with its definition, source and licence (the Data and methods table)."""
    return query("indicator_catalogue")


def indicator_meta(indicator_id: str) -> dict | None:
    """The indicator's catalogue row as a dict (a copy), or None if it is not in the extract."""
    m = _catalogue().get(indicator_id)
    return None if m is None else dict(m)


def indicators_by_id() -> dict[str, dict]:
    """Every indicator's catalogue row, by id."""
    return {k: dict(v) for k, v in _catalogue().items()}


def is_count(meta: dict) -> bool:
    return meta.get("unit") == "count"


def polarity(meta: dict) -> str:
    """Counts are never judged better or worse: ward size drives them, not need."""
    return "neutral" if is_count(meta) else meta.get("polarity", "neutral")


def is_deprivation_index(meta: dict) -> bool:
    """Indicators from the Indices of Deprivation: ranking wards by IMD to measure their gap
    would be circular (the IMD is built from them)."""
    return "iod" in str(meta.get("source_id", ""))


@memo
def boroughs() -> dict[str, str]:
    """Borough code → name, in name order."""
    b = query("boroughs")
    return dict(zip(b["geo_code"], b["geo_name"], strict=True))


@memo
def indicators_by_theme() -> dict[str, dict[str, str]]:
    """Theme → {indicator id: "short title (unit)"}, for the sidebar."""
    out: dict[str, dict[str, str]] = {}
    for m in _catalogue().values():
        out.setdefault(m["theme"], {})[m["indicator_id"]] = f"{m['short_title']} ({text.unit_label(m['unit'])})"
    return out


def periods(borough_code: str, indicator_id: str) -> pd.DataFrame:
    """Ward-level periods of an indicator in a borough, newest first, with their ward vintage."""
    return query("indicator_periods", borough_code=borough_code, indicator_id=indicator_id)


@memo
def period_options(borough_code: str, indicator_id: str) -> list[str]:
    """Periods to offer, newest first: ward periods, or the borough's own for borough-only indicators."""
    p = periods(borough_code, indicator_id)
    options = list(dict.fromkeys(p["period"]))
    if not options:
        comp = query("comparator_series", borough_code=borough_code, indicator_id=indicator_id)
        options = list(dict.fromkeys(comp.sort_values("period_start", ascending=False)["period"]))
    return options


def default_vintage(p: pd.DataFrame, period: str) -> int | None:
    """The ward vintage to show for a period: May-2022 wards when the period has them."""
    rows = p[p["period"] == period]
    return None if rows.empty else int(rows["vintage"].max())


def imd_edition(period_start: object) -> str:
    """The IMD edition of a period's time: 2015 for periods up to 2018, 2019 up to FYE 2024
    (periods starting before April 2024), 2025 after."""
    d = pd.Timestamp(period_start).date()
    if d.year <= 2018:
        return "2015"
    if d < dt.date(2024, 4, 1):
        return "2019"
    return "2025"


def _period_start(borough_code: str, indicator_id: str, period: str, vintage: int) -> object | None:
    p = periods(borough_code, indicator_id)
    rows = p[(p["period"] == period) & (p["vintage"] == vintage)]
    return None if rows.empty else rows["period_start"].iloc[0]


# --- one borough, one indicator, one period -------------------------------------------------
@memo
def comparators(borough_code: str, indicator_id: str, period: str, public: bool = False) -> pd.DataFrame:
    """The borough, London and England figures for the period (counts rounded in public)."""
    df = query("comparators", borough_code=borough_code, indicator_id=indicator_id, period=period)
    df["label"] = df["geo_type"].map(COMPARATOR_LABEL)
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
    judged. In public, disclosed: suppressed wards have no value, rank, label or interval."""
    meta = indicator_meta(indicator_id) or {}
    df = _raw_wards(borough_code, indicator_id, period, vintage)
    df["rank"] = df["value"].rank(ascending=False, method="min")
    comp = comparators(borough_code, indicator_id, period)
    for _, c in comp.iterrows():
        col = c["label"]
        df[f"{col}_value"] = c["value"]
        if is_count(meta):
            df[f"vs_{col}"] = None  # a ward's count against a borough total means nothing
            continue
        direction = [stats.compare(lo, hi, c["value"]) for lo, hi in zip(df["lower_95"], df["upper_95"], strict=True)]
        df[f"vs_{col}"] = [stats.judge(d, polarity(meta)) for d in direction]
    if public:
        df = disclosure.wards(df, meta.get("unit", ""))
        totals = disclosure.totals(comp, meta.get("unit", ""))
        for _, c in totals.iterrows():
            df[f"{c['label']}_value"] = c["value"]
    else:
        df["suppressed"] = False
    return df


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
    g = stats.gap_measures(df.assign(population=weights), meta["unit"], polarity(meta))
    if g is None:
        return GapResult(None, withheld, note, edition)
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
    """The borough, London and England over time. Empty for counts: a total is no comparator
    for a ward's count (it would squash every ward's line)."""
    meta = indicator_meta(indicator_id) or {}
    df = query("comparator_series", borough_code=borough_code, indicator_id=indicator_id)
    if is_count(meta):
        return df.iloc[0:0]
    return disclosure.totals(df, meta.get("unit", "")) if public else df


@memo
def ward_trends(borough_code: str, indicator_id: str, vintage: int, public: bool = False) -> pd.DataFrame:
    """Fingertips recent-trend marker per ward over the last five periods on one ward vintage."""
    meta = indicator_meta(indicator_id) or {}
    s = ward_series(borough_code, indicator_id, vintage, public=public)
    out = []
    for (code, name), g in s.groupby(["geo_code", "geo_name"], sort=True):
        years = g["period_start"].map(lambda d: pd.Timestamp(d).year + pd.Timestamp(d).day_of_year / 366).to_numpy()
        if g["suppressed"].any():
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
    if unit == "count":
        if suppressed:
            return [text.narrative(row["geo_name"], None, None, None, "", None, unit, public, suppressed=True)]
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
        "London": val("London"),
        "England": val("England"),
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
    figures of the given indicators on May-2022 wards, with their average position (0 = best,
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
        return "This indicator is published for boroughs only, so there are no ward figures."
    why = _caveat_about(meta, name)
    return f"This indicator has no ward figures for {name}." + (f" {why}" if why else "")


def missing_wards_note(borough_code: str, indicator_id: str, table: pd.DataFrame) -> str:
    """One sentence when some wards have no figure (not hidden, just absent), with the reason the
    indicator's caveats give for this borough where there is one."""
    absent = table["value"].isna() & ~table["suppressed"].astype(bool)
    if not absent.any():
        return ""
    meta = indicator_meta(indicator_id) or {}
    name = boroughs().get(borough_code, borough_code)
    why = _caveat_about(meta, name) or (
        "The publisher gives no figure for them, or no neighbourhood (LSOA) the figure is built from lies in them."
    )
    return f"{int(absent.sum())} of {len(table)} wards have no figure for this period. {why}"


# --- geography --------------------------------------------------------------------------------
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


# --- London context ---------------------------------------------------------------------------
@memo
def london_table(indicator_id: str, period: str, vintage: int, public: bool = False) -> pd.DataFrame:
    """Every London ward for one indicator and period, with its rank among all London wards on
    the figures shown (each borough disclosed as its own set of cells in public)."""
    meta = indicator_meta(indicator_id) or {}
    d = query("region_ward_values", indicator_id=indicator_id, period=period, vintage=vintage)
    d = disclosure.by_borough(d, meta.get("unit", "")) if public else d.assign(suppressed=False)
    d["rank"] = d["value"].rank(ascending=False, method="min")
    return d


def london_summary(d: pd.DataFrame, borough_code: str) -> dict | None:
    """The borough's lowest and highest wards among London's, and the top one's London rank."""
    mine = d[(d["borough_code"] == borough_code)].dropna(subset=["value"])
    shown = d.dropna(subset=["value"])
    if mine.empty:
        return None
    top, bottom = mine.loc[mine["value"].idxmax()], mine.loc[mine["value"].idxmin()]
    return {"n": len(shown), "top": top, "bottom": bottom, "top_rank": int(top["rank"])}


# --- one ward across every indicator ----------------------------------------------------------
@memo
def ward_profile(ward_code: str, public: bool = False) -> pd.DataFrame:
    """One May-2022 ward across every indicator, latest period of each: value, rank in the
    borough and in London, the comparators, and its change since the previous period. In public
    each figure is the ward's cell from its disclosed borough table, so it matches every page."""
    p = query("ward_profile", ward_code=ward_code, vintage=WARD_VINTAGE)
    if p.empty:
        return p
    borough = p["borough_code"].iloc[0] if "borough_code" in p else None
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
            lon = london_table(r["indicator_id"], r["period"], WARD_VINTAGE, public=True).set_index("geo_code")
            r.update(
                rank_london=lon.loc[ward_code, "rank"] if ward_code in lon.index else np.nan,
                n_london=int(lon["value"].notna().sum()),
            )
            for col, label in (("borough_value", "borough"), ("london_value", "London"), ("england_value", "England")):
                c = comparators(b, r["indicator_id"], r["period"], public=True)
                c = c[c["label"] == label]["value"]
                r[col] = c.iloc[0] if len(c) else np.nan
            if r["previous_period"] is not None and not pd.isna(r["previous_value"]):
                prev = ward_table(b, r["indicator_id"], r["previous_period"], WARD_VINTAGE, public=True)
                prev = prev.set_index("geo_code")
                r["previous_value"] = prev.loc[ward_code, "value"] if ward_code in prev.index else np.nan
        if is_count(meta):
            r["borough_value"] = r["london_value"] = r["england_value"] = np.nan
        rows.append(r)
    out = pd.DataFrame(rows)
    out["judged_polarity"] = [polarity(indicator_meta(i) or {}) for i in out["indicator_id"]]
    out["trend"] = [_change_words(r) for r in out.to_dict("records")]
    out["rank_in_borough"] = [_rank_words(a, b) for a, b in zip(out["rank_borough"], out["n_borough"], strict=True)]
    out["rank_in_london"] = [_rank_words(a, b) for a, b in zip(out["rank_london"], out["n_london"], strict=True)]
    return out


def _rank_words(rank: object, n: object) -> str:
    if pd.isna(rank) or pd.isna(n):
        return "not ranked"
    return f"{int(rank)} of {int(n)}"


def _change_words(r: dict) -> str:
    """The change since the previous period, in words ("up from 12.0% (2019)")."""
    if r.get("suppressed") or pd.isna(r.get("value")):
        return "not shown"
    if pd.isna(r.get("previous_value")):
        return "no earlier period"
    d = r["value"] - r["previous_value"]
    word = "up" if d > 0 else "down" if d < 0 else "no change"
    return f"{word} from {text.fmt(r['previous_value'], r['unit'])} ({text.period_label(r['previous_period'])})"


def profile_top3(profile: pd.DataFrame) -> pd.DataFrame:
    """The judged indicators (higher is worse) on which the ward is among its borough's three highest."""
    judged = profile[profile["judged_polarity"] == "higher_is_worse"]
    return judged[judged["rank_borough"] <= 3]


# --- data and methods -------------------------------------------------------------------------
@memo
def sources() -> pd.DataFrame:
    """Every source with its licence, release dates and the raw files read (names only)."""
    src = query("sources_list")
    src["files"] = [", ".join(f["file"].split("/")[-1] for f in json.loads(x)) for x in src["raw_files"]]
    return src


def hidden_in_public() -> pd.DataFrame:
    """How many ward figures rest on a count below 10, by indicator: what the public view hides
    first (before secondary suppression). Counts of cells, not of people: nothing to disclose."""
    d = query("small_cells")
    out = d.groupby("indicator_id").size().rename("ward_figures").reset_index()
    out["indicator"] = [(indicator_meta(i) or {}).get("short_title", i) for i in out["indicator_id"]]
    return out


def fit_quality() -> pd.DataFrame:
    """How well the smaller areas behind apportioned figures fit the wards, per indicator."""
    return query("fit_quality")


DOWNLOAD_COLUMNS = [
    "geo_code",
    "geo_name",
    "indicator_id",
    "unit",
    "period",
    "vintage",
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "rank",
    "borough_value",
    "London_value",
    "England_value",
    "vs_borough",
    "vs_London",
    "vs_England",
    "method",
    "status",
    "fit_quality",
]


def download_view(
    borough_code: str, indicator_id: str, period: str, vintage: int, public: bool = False
) -> pd.DataFrame:
    """The current view as a download: the ward table with its indicator, unit and period."""
    meta = indicator_meta(indicator_id) or {}
    t = ward_table(borough_code, indicator_id, period, vintage, public=public)
    view = t.assign(indicator_id=indicator_id, unit=meta.get("unit"), period=period, vintage=vintage)
    return view[[c for c in DOWNLOAD_COLUMNS if c in view.columns]]


def extract_observations() -> pd.DataFrame:
    """The whole observations table (full view only: it is not disclosed cell by cell)."""
    return query("extract_observations")


def source_periods(items: list[tuple[str, str]]) -> list[str]:
    """ "Publisher period (released …; next …)" for each distinct (source id, period)."""
    src = sources().set_index("source_id")
    seen, parts = set(), []
    for sid, period in items:
        if (sid, period) in seen or sid not in src.index:
            continue
        seen.add((sid, period))
        s = src.loc[sid]
        parts.append(
            f"{s['publisher'].split(' (')[0]} {text.period_label(period)} "
            f"(released {s['release_date']}; next {s['next_release']})"
        )
    return parts
