"""Intervals (PHStatsMethods), Fingertips' significance rule, and quantiles."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from PHStatsMethods import ph_quantile
from PHStatsMethods.confidence_intervals import byars_lower, byars_upper, wilson_lower, wilson_upper


# --- intervals ------------------------------------------------------------------------------
def wilson_interval(
    numerator: pd.Series | np.ndarray | Sequence[float],
    denominator: pd.Series | np.ndarray | Sequence[float],
    confidence: float = 0.95,
    multiplier: float = 100.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of numerator/denominator × multiplier (PHStatsMethods).

    Missing or invalid inputs (denominator ≤ 0, numerator < 0 or > denominator) give NaN.
    """
    if confidence > 1:  # accept 95 / 99.8 as well as 0.95 / 0.998
        confidence = confidence / 100
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    lo = np.full(x.shape, np.nan)
    hi = np.full(x.shape, np.nan)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    for i in np.flatnonzero(ok):
        lo[i] = wilson_lower(x[i], n[i], confidence) * multiplier
        hi[i] = wilson_upper(x[i], n[i], confidence) * multiplier
    return lo, hi


def count_interval(
    counts: pd.Series | np.ndarray | Sequence[float], confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson limits of a count (PHStatsMethods: Byar's method, exact below 10)."""
    x = np.asarray(counts, dtype=float)
    lo = np.full(x.shape, np.nan)
    hi = np.full(x.shape, np.nan)
    for i in np.flatnonzero(np.isfinite(x) & (x >= 0)):
        lo[i] = byars_lower(x[i], confidence)
        hi[i] = byars_upper(x[i], confidence)
    return lo, hi


# --- significance against a comparator ------------------------------------------------------
def compare(lower: float | None, upper: float | None, comparator: float | None) -> str | None:
    """'higher', 'lower' or 'similar' (Fingertips: comparator outside the area's interval).

    None when there is no interval or no comparator: never a judgement without one.
    """
    vals = (lower, upper, comparator)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
        return None
    if comparator < lower:
        return "higher"
    if comparator > upper:
        return "lower"
    return "similar"


def judge(direction: str | None, polarity: str) -> str | None:
    """Turn 'higher'/'lower'/'similar' into 'better'/'worse'/'similar' by polarity.

    Neutral indicators keep 'higher'/'lower' (no judgement, shown in a blue-orange palette).
    """
    if direction is None or direction == "similar" or polarity == "neutral":
        return direction
    worse = "higher" if polarity == "higher_is_worse" else "lower"
    return "worse" if direction == worse else "better"


# --- quantiles ------------------------------------------------------------------------------
def quantiles(values: pd.Series, n: int = 5, invert: bool = False) -> pd.Series:
    """Fingertips quantiles (PHStatsMethods ``ph_quantile``): 1 holds the lowest values, or the
    highest when ``invert``; NaN when fewer than ``n`` values."""
    df = pd.DataFrame({"v": values.astype(float)})
    out = ph_quantile(df, "v", nquantiles=n, invert=invert, type="standard")
    q = out["quantile"] if "quantile" in out else out.iloc[:, -1]
    return pd.Series(q.to_numpy(), index=values.index)


def quantiles_by(df: pd.DataFrame, column: str, groups: list[str], n: int = 5, invert: bool = False) -> pd.Series:
    """:func:`quantiles` within each group of ``groups`` (one PHStatsMethods call for them all)."""
    out = ph_quantile(
        df[[*groups, column]], column, group_cols=list(groups), nquantiles=n, invert=invert, type="standard"
    )
    return pd.Series(out["quantile"].to_numpy(), index=df.index)
