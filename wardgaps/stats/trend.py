"""Fingertips' recent-trend marker: chi-square test for trend (proportions) or weighted regression
(others) over the last five points, 99.8% threshold, outlier check."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import norm

CHI2_998 = 9.5495  # 1-df chi-square at 99.8%


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
