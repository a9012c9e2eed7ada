"""Statistics for Ward Gaps: the Fingertips methods, via PHStatsMethods where it has them.

* Wilson intervals and quantiles come from PHStatsMethods (the reference Python package).
* Significance against a comparator is Fingertips' rule on those intervals.
* The slope and relative indices of inequality (SII/RII) port the PHE method (``phe_sii`` in
  PHEindicatormethods), which PHStatsMethods 0.1.16 does not carry.
* The recent-trend marker follows Fingertips' rule (chi-square test for trend / weighted
  regression over the last five points, 99.8% threshold, outlier check).
* Disclosure control lives in :mod:`wardgaps.disclosure`, words and formats in :mod:`wardgaps.text`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PHStatsMethods import ph_quantile
from PHStatsMethods.confidence_intervals import byars_lower, byars_upper, wilson_lower, wilson_upper
from scipy.stats import norm

Z95 = 1.959964  # the PHE code fixes z at the 95% value when deriving se from 95% limits
CHI2_998 = 9.5495  # 1-df chi-square at 99.8%


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


# --- slope and relative index of inequality -------------------------------------------------
def _link(value_type: int):
    if value_type == 1:
        return np.log, np.exp
    if value_type == 2:
        return (lambda p: np.log(p / (1 - p))), (lambda x: 1 / (1 + np.exp(-x)))
    return (lambda v: v), (lambda v: v)


@dataclass
class SII:
    """Slope and relative index of inequality with their limits, per confidence level."""

    sii: float
    rii: float
    intercept: float
    sii_limits: dict[float, tuple[float, float]]
    rii_limits: dict[float, tuple[float, float]]


def sii(
    quantile: Sequence[float],
    population: Sequence[float],
    value: Sequence[float] | None = None,
    *,
    value_type: int = 0,
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
    se: Sequence[float] | None = None,
    x: Sequence[float] | None = None,
    multiplier: float = 1.0,
    transform: bool = False,
    confidence: float | Sequence[float] = 0.95,
    repetitions: int = 100_000,
    rng: np.random.Generator | int | None = 0,
) -> SII:
    """Slope index of inequality (SII) and relative index (RII), the PHE method (``phe_sii``).

    Areas are ordered by ``quantile`` with 1 = **most deprived**, placed at cumulative population
    rank ≈ 0. So a positive SII means the value rises towards the least deprived end; for a
    "higher is worse" indicator that is more deprived → higher gives a negative SII (use
    ``multiplier = -1`` to flip it; the RII is then inverted). SII = fitted value at rank 1 minus
    rank 0; RII = their ratio. Limits are simulated (``repetitions`` normal draws per area from
    the value and its standard error, itself from ``se`` or from 95% limits ``lower``/``upper``).

    value_type: 0 = any (e.g. life expectancy), 1 = rate (log scale), 2 = proportion 0-1 (logit).
    """
    if value_type not in (0, 1, 2):
        raise ValueError("value_type must be 0, 1 or 2")
    if transform and value_type == 0:
        raise ValueError("transform needs a rate or proportion (value_type 1 or 2)")
    if transform and se is not None:
        raise ValueError("transform needs confidence limits, not a standard error")
    levels = [confidence] if isinstance(confidence, (int, float)) else list(confidence)
    levels = [c / 100 if c > 1 else c for c in levels]
    if any(not 0.9 <= c <= 1 for c in levels):
        raise ValueError("confidence must be between 0.9 and 1 (or 90 and 100)")
    if repetitions < 1000:
        raise ValueError("repetitions must be at least 1000")
    order = np.argsort(np.asarray(quantile, dtype=float), kind="stable")
    pop = np.asarray(population, dtype=float)[order]
    if len(pop) < 5:
        raise ValueError("at least 5 quantiles are needed")
    if np.any(~np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError("populations must be positive")
    if value is None:
        if x is None or value_type != 2:
            raise ValueError("a value is needed (or counts x for proportions)")
        v = np.asarray(x, dtype=float)[order] / pop
    else:
        v = np.asarray(value, dtype=float)[order]
    if np.any(~np.isfinite(v)):
        raise ValueError("every area needs a value")
    fwd, inv = _link(value_type)
    work = fwd(v)
    if se is not None:
        s = np.asarray(se, dtype=float)[order]
    elif lower is not None and upper is not None:
        lo = fwd(np.asarray(lower, dtype=float)[order])
        hi = fwd(np.asarray(upper, dtype=float)[order])
        s = (hi - lo) / (2 * Z95)
    else:
        s = None
    if s is not None and (np.any(~np.isfinite(s)) or np.any(s < 0)):
        raise ValueError("standard errors must be present and not negative")

    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    sq = np.sqrt(a)
    X = np.column_stack([sq, b * sq])
    solve = np.linalg.solve(X.T @ X, X.T)  # (X'X)^-1 X': the same fit for every replicate
    y = work if transform else v
    b0, b1 = solve @ (sq * y)
    if transform:
        f0, f1 = inv(b0), inv(b0 + b1)
        point_sii = (f1 - f0) * multiplier
        point_rii = f1 / f0
        intercept = f0 * abs(multiplier)
    else:
        point_sii = multiplier * b1
        point_rii = (b0 + b1) / b0
        intercept = b0
    if multiplier < 0:
        point_rii = 1 / point_rii

    sii_lim: dict[float, tuple[float, float]] = {}
    rii_lim: dict[float, tuple[float, float]] = {}
    if s is not None:
        gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        draws = gen.normal(work, s, size=(repetitions, len(work)))
        if not transform:
            draws = inv(draws)
        coef = (draws * sq) @ solve.T  # columns: intercept, slope
        r_int, r_slope = coef[:, 0], coef[:, 1]
        if transform:
            slopes = np.sort(r_slope)
        else:
            r_sii = np.sort(r_slope * multiplier)
            r_rii = (r_int + r_slope) / r_int
            r_rii = np.sort(1 / r_rii if multiplier < 0 else r_rii)
        for c in levels:
            i_lo = round(repetitions * (1 - c) / 2) - 1
            i_hi = round(repetitions * (c + (1 - c) / 2)) - 1
            i_lo = max(i_lo, 0)
            if transform:
                m = b0 + b1 / 2
                lims_s, lims_r = [], []
                for sl in (slopes[i_lo], slopes[i_hi]):
                    top, bottom = inv(m + sl / 2), inv(m - sl / 2)
                    lims_s.append((top - bottom) * multiplier)
                    ratio = top / bottom
                    lims_r.append(1 / ratio if multiplier < 0 else ratio)
                sii_lim[c] = (min(lims_s), max(lims_s))
                rii_lim[c] = (min(lims_r), max(lims_r))
            else:
                sii_lim[c] = (float(r_sii[i_lo]), float(r_sii[i_hi]))
                rii_lim[c] = (float(r_rii[i_lo]), float(r_rii[i_hi]))
    return SII(float(point_sii), float(point_rii), float(intercept), sii_lim, rii_lim)


# --- gap measures across a borough's wards --------------------------------------------------
@dataclass
class Gaps:
    n: int
    highest_code: str
    highest: float
    lowest_code: str
    lowest: float
    range: float
    ratio: float | None
    sii: SII | None
    sii_note: str


def gap_measures(df: pd.DataFrame, unit: str, polarity: str, repetitions: int = 20_000) -> Gaps | None:
    """Range, highest/lowest ratio and SII/RII across wards.

    ``df``: one row per ward with ``geo_code``, ``value``, ``lower_95``, ``upper_95``,
    ``population`` (weights) and ``deprivation`` (IMD score; higher = more deprived). Wards are
    ranked most deprived first (PHE convention); for a "higher is worse" indicator the SII is
    reported with multiplier −1, so a positive SII always means the more deprived wards fare
    worse by that amount. Seeded, so the same data give the same limits.
    """
    d = df.dropna(subset=["value"])
    if len(d) < 2:
        return None
    hi = d.loc[d["value"].idxmax()]
    lo = d.loc[d["value"].idxmin()]
    ratio = float(hi["value"] / lo["value"]) if lo["value"] > 0 else None
    result, note = None, ""
    need = d.dropna(subset=["population", "deprivation"])
    if len(need) < 5:
        note = "SII needs at least 5 wards with a value, a population and a deprivation score."
    else:
        need = need.sort_values("deprivation", ascending=False, kind="stable")
        rank = np.arange(1, len(need) + 1)
        has_ci = need[["lower_95", "upper_95"]].notna().all().all()
        mult = -1.0 if polarity == "higher_is_worse" else 1.0
        kw: dict = {"repetitions": repetitions, "rng": 20240401, "multiplier": mult}
        if unit == "%" and has_ci and need["value"].between(0, 100, inclusive="neither").all():
            kw.update(value_type=2, lower=need["lower_95"] / 100, upper=need["upper_95"] / 100)
            kw["multiplier"] = mult * 100
            result = sii(rank, need["population"], need["value"] / 100, **kw)
        else:
            if has_ci:
                kw.update(lower=need["lower_95"], upper=need["upper_95"])
            result = sii(rank, need["population"], need["value"], **kw)
        note = "" if has_ci else "No intervals for this indicator, so the SII has no confidence limits."
    return Gaps(
        n=len(d),
        highest_code=str(hi["geo_code"]),
        highest=float(hi["value"]),
        lowest_code=str(lo["geo_code"]),
        lowest=float(lo["value"]),
        range=float(hi["value"] - lo["value"]),
        ratio=ratio,
        sii=result,
        sii_note=note,
    )


def gap_change(first: SII, last: SII, level: float = 0.95) -> str:
    """'widening', 'narrowing' or 'not significantly changed' between two SIIs.

    The difference is tested with a normal approximation, each SII's standard error taken from
    its simulated 95% limits (half-width / 1.96).
    """
    if level not in first.sii_limits or level not in last.sii_limits:
        return "not enough information"
    se = [(s.sii_limits[level][1] - s.sii_limits[level][0]) / (2 * Z95) for s in (first, last)]
    diff = abs(last.sii) - abs(first.sii)
    z = diff / math.sqrt(se[0] ** 2 + se[1] ** 2) if any(se) else 0.0
    if abs(z) < norm.ppf(1 - (1 - level) / 2):
        return "not significantly changed"
    return "widening" if diff > 0 else "narrowing"


# --- recent trend ---------------------------------------------------------------------------
def trend_marker(
    years: Sequence[float],
    value: Sequence[float] | None = None,
    *,
    numerator: Sequence[float] | None = None,
    denominator: Sequence[float] | None = None,
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
    multiplier: float = 1.0,
    confidence: float = 0.95,
) -> tuple[str, str]:
    """Fingertips recent-trend marker over the last five points: (marker, reason).

    Proportions (numerator and denominator given): chi-square test for trend, direction from
    the slope of logit(p) on year. Others: weighted regression with weights 1/se² from the
    limits. Significant at 99.8% (X² > 9.5495), unless dropping any one point flips the slope.
    """
    if confidence > 1:  # the percent form the reference package's docs use (95, 99.8)
        confidence = confidence / 100
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be a level such as 0.95 or 95, not {confidence!r}")
    t = np.asarray(years, dtype=float)
    if len(t) != len(set(t)):
        return "Cannot be calculated", "Duplicate years in group"
    order = np.argsort(t)[-5:]
    if len(order) < 5:
        return "Cannot be calculated", "Not enough data points"
    t = t[order]
    if numerator is not None and denominator is not None:
        c = np.asarray(numerator, dtype=float)[order]
        d = np.asarray(denominator, dtype=float)[order]
        if np.any(~np.isfinite(c)) or np.any(~np.isfinite(d)):
            return "Cannot be calculated", "Missing values"
        if np.any(c <= 0) or np.any(c >= d):
            # logit(p) is undefined at 0% and 100%: the direction cannot be fitted
            return "Cannot be calculated", "A count of zero (or equal to its denominator) leaves the trend undefined"
        N, C = d.sum(), c.sum()
        num = N * (N * (c * t).sum() - C * (d * t).sum()) ** 2
        den = C * (N - C) * (N * (d * t * t).sum() - (d * t).sum() ** 2)
        x2 = num / den if den > 0 else 0.0

        def slope(idx: np.ndarray) -> float:
            p = c[idx] / d[idx]
            with np.errstate(divide="ignore"):
                logit = np.log(p / (1 - p))
            return float(np.polyfit(t[idx], logit, 1)[0])

    else:
        if value is None or lower is None or upper is None:
            return "Cannot be calculated", "Missing at least one confidence interval value"
        v = np.asarray(value, dtype=float)[order] / multiplier
        lo = np.asarray(lower, dtype=float)[order]
        hi = np.asarray(upper, dtype=float)[order]
        if np.any(~np.isfinite(v)):
            return "Cannot be calculated", "Missing values"
        if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)):
            return "Cannot be calculated", "Missing at least one confidence interval value"
        z = norm.ppf(1 - (1 - confidence) / 2)
        w = 1 / ((hi - lo) / (2 * z)) ** 2

        def slope(idx: np.ndarray) -> float:
            ww, tt, vv = w[idx], t[idx], v[idx]
            sw = ww.sum()
            return float(
                (sw * (ww * tt * vv).sum() - (ww * tt).sum() * (ww * vv).sum())
                / (sw * (ww * tt * tt).sum() - (ww * tt).sum() ** 2)
            )

        var = w.sum() / (w.sum() * (w * t * t).sum() - (w * t).sum() ** 2)
        x2 = slope(np.arange(5)) ** 2 / var
    beta = slope(np.arange(5))
    if x2 <= CHI2_998:
        return "No significant change", "No significant trend"
    for k in range(5):
        if np.sign(slope(np.delete(np.arange(5), k))) != np.sign(beta):
            return "No significant change", "Outlier found"
    return ("Increasing" if beta > 0 else "Decreasing"), "No outliers and significant trend"
