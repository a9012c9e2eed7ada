"""Disclosure control for the public view: the only road from data to anything public.

In public mode every ward, borough or region figure that reaches a page, a chart, a download or a
briefing pack has passed through one of the functions here, called by the analysis layer
(:mod:`wardgaps.analysis`). Pages and packs never apply a rule of their own.

The rules (ONS practice for small-area counts), in :data:`RULES`:

* a count below 10, or a rate whose numerator is below 10, is suppressed;
* every other count (numerators, denominators, weights, count values) is rounded to the nearest 5;
* secondary suppression: where cells are suppressed, more are suppressed (the smallest first)
  until at least two are hidden and together they hold at least 10, so differencing the
  published borough total against the other wards recovers no single small count;
* a suppressed cell has no value, rank, significance label or interval;
* counts carry no interval in public (a Poisson interval from the exact count would undo the
  rounding); a rate's value is shown to one decimal and its intervals are worked out again from
  the rounded counts (the exact interval would give the exact counts back); ranks and labels are
  worked out on the disclosed figures only;
* a ward hidden on one set of ward boundaries is hidden on every set that carries the same
  period (codes shared between sets are the same ward), and ties are broken by ward code, so
  every page and download hides the same cells;
* gap measures use disclosed values only and are withheld where an extreme is suppressed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps.stats import wilson_interval

THRESHOLD = 10
BASE = 5

RULES = (
    "Counts below 10 are not shown, and neither are rates worked out from fewer than 10 people or households.",
    "All other counts are rounded to the nearest 5.",
    "Where hiding one ward's figure would let it be worked out from the borough total and the other wards, "
    "more wards' figures are hidden too, so no small number can be recovered by subtraction.",
    "A hidden figure has no rank, no comparison label and no interval.",
    "Gap measures (range, ratio and slope index) use the figures shown only, and are not given when the "
    "highest or lowest ward's figure is hidden.",
)
RULES_TEXT = " ".join(RULES)
SHORT_NOTE = "Public view: small counts are suppressed and the rest rounded to 5."
WITHHELD_EXTREME = (
    "The gap between the highest and lowest wards is not shown, because one of those wards' figures "
    "is hidden to protect small numbers."
)

RATES = ("%", "rate_per_1000")  # rates with a numerator (a rate per 1,000 only in local data)
_INTERVALS = ("lower_95", "upper_95", "lower_998", "upper_998")
_COUNT_COLS = ("numerator", "denominator", "population")


def round_count(values: pd.Series) -> pd.Series:
    """Counts rounded to the nearest 5, hidden (NaN) below 10."""
    c = pd.to_numeric(values, errors="coerce").astype(float)
    return (np.floor(c / BASE + 0.5) * BASE).where(c >= THRESHOLD)


def _cell_counts(df: pd.DataFrame, unit: str) -> pd.Series:
    """The count each cell rests on: the value of a count, the numerator of a rate (NaN where a
    published rate gives no numerator: nothing to protect that the publisher did not)."""
    if unit == "count":
        return pd.to_numeric(df["value"], errors="coerce").astype(float)
    if unit in RATES and "numerator" in df:
        return pd.to_numeric(df["numerator"], errors="coerce").astype(float)
    return pd.Series(np.nan, index=df.index)


def suppressed_cells(counts: pd.Series) -> pd.Series:
    """Which cells to hide: primary (below 10), then the smallest others until at least two are
    hidden and the hidden cells hold at least 10 between them (no recovery by differencing)."""
    c = counts.astype(float)
    hide = c.notna() & (c < THRESHOLD)
    if not hide.any():
        return hide
    others = c[~hide & c.notna()].sort_values(kind="stable")
    for idx in others.index:
        if hide.sum() >= 2 and c[hide].sum() >= THRESHOLD:
            break
        hide[idx] = True
    return hide


def hide(out: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """Hide the cells in ``mask`` (no value, numerator, interval, label or rank)."""
    out = out.copy()
    mask = mask.reindex(out.index).fillna(False).astype(bool)
    out["suppressed"] = out.get("suppressed", False) | mask
    hidden = out["suppressed"]
    out.loc[hidden, [c for c in ("value", "numerator", "rank", *_INTERVALS) if c in out]] = np.nan
    if "status" in out:
        out.loc[hidden, "status"] = "suppressed"
    for col in [c for c in out.columns if c.startswith("vs_")]:
        out[col] = out[col].astype(object)
        out.loc[hidden, col] = None
    return out


def _rate_intervals(out: pd.DataFrame) -> pd.DataFrame:
    """A rate's value to one decimal and its intervals from the rounded counts, where it has them."""
    if "value" in out:
        out["value"] = out["value"].round(1)
    if {"numerator", "denominator"} <= set(out.columns):
        has = out["numerator"].notna() & out["denominator"].notna()
        for level, (lo_col, hi_col) in {0.95: ("lower_95", "upper_95"), 0.998: ("lower_998", "upper_998")}.items():
            if lo_col in out and hi_col in out:
                lo, hi = wilson_interval(out.loc[has, "numerator"], out.loc[has, "denominator"], level)
                out.loc[has, lo_col] = np.round(lo, 1)
                out.loc[has, hi_col] = np.round(hi, 1)
    return out


def _hidden_in(df: pd.DataFrame, counts: pd.Series) -> pd.Series:
    """The cells one set hides, ties broken by ward code whatever order the rows came in."""
    order = df.sort_values("geo_code", kind="stable").index if "geo_code" in df else df.index
    return suppressed_cells(counts.loc[order]).reindex(df.index)


def cells(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One set of cells that add up to a published total (a borough's wards for one indicator
    and period): suppression, secondary suppression and rounding. Adds ``suppressed`` (bool)."""
    return _disclose(df, unit, _hidden_in(df, _cell_counts(df, unit)))


def _disclose(df: pd.DataFrame, unit: str, hidden: pd.Series) -> pd.DataFrame:
    """Round every cell and hide those in ``hidden`` (row-wise rules: the same for one set or many)."""
    out = df.copy()
    out["suppressed"] = False
    for col in _COUNT_COLS:
        if col in out:
            out[col] = round_count(out[col])
    if unit == "count":
        out["value"] = round_count(out["value"])
        # a Poisson interval from the exact count would undo the rounding
        out[[c for c in _INTERVALS if c in out]] = np.nan
    elif unit == "%":
        out = _rate_intervals(out)
    elif unit == "rate_per_1000" and "value" in out:
        out["value"] = out["value"].round(1)
    out = hide(out, hidden)
    if "rank" in out:
        out["rank"] = out["value"].rank(ascending=False, method="min")
    return out


def wards(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A borough's wards for one indicator and period, disclosed."""
    return cells(df, unit)


def series(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A borough's wards over several periods: each period's wards are one set of cells."""
    if df.empty:
        return df.assign(suppressed=pd.Series(dtype=bool))
    return pd.concat([cells(g, unit) for _, g in df.groupby("period", sort=False)]).sort_index()


def by_borough(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Wards across many boroughs (one indicator and period): each borough is one set of cells."""
    if df.empty:
        return df.assign(suppressed=pd.Series(dtype=bool))
    # Suppression is decided borough by borough; rounding is row by row, so it is done once for
    # all (thousands of wards nationally). Only boroughs with a cell below the threshold can hide any.
    counts = _cell_counts(df, unit)
    hidden = pd.Series(False, index=df.index)
    small = counts.notna() & (counts < THRESHOLD)
    for b in df.loc[small, "borough_code"].unique():
        g = df[df["borough_code"] == b]
        hidden.loc[g.index] = _hidden_in(g, counts.loc[g.index])
    out = _disclose(df, unit, hidden)
    if "rank" in out:  # a rank within each borough, as each borough's own table gives it
        out["rank"] = out.groupby("borough_code")["value"].rank(ascending=False, method="min")
    return out.sort_index()


def totals(df: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Borough, region and country figures: counts rounded (hidden below 10), the rest as published."""
    out = df.copy()
    if unit == "count" and "value" in out:
        out["value"] = round_count(out["value"])
        out[[c for c in _INTERVALS if c in out]] = np.nan
    for col in _COUNT_COLS:
        if col in out:
            out[col] = round_count(out[col])
    if unit == "%":
        out = _rate_intervals(out)
    return out


def extreme_hidden(raw: pd.DataFrame, disclosed: pd.DataFrame) -> bool:
    """True when the highest or lowest ward by the undisclosed values is hidden in public."""
    d = raw.dropna(subset=["value"])
    if d.empty:
        return False
    hidden = set(disclosed.loc[disclosed["suppressed"], "geo_code"])
    return bool({d.loc[d["value"].idxmax(), "geo_code"], d.loc[d["value"].idxmin(), "geo_code"]} & hidden)


def as_decided(df: pd.DataFrame, unit: str, hidden: pd.Series) -> pd.DataFrame:
    """Cells gathered from several sets (e.g. wards of different authorities, one indicator and
    period) whose hiding was decided in their own sets (``hidden``: each ward's cell in its
    authority's disclosed table): rounded, intervals worked out again and hidden by the same
    row-wise rules, so each shows exactly as in its own set."""
    return _disclose(df, unit, hidden.reindex(df.index).fillna(False).astype(bool))
