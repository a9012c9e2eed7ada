"""Statistics for Ward Gaps, using the field's reference implementation (PHStatsMethods)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PHStatsMethods.confidence_intervals import wilson_lower, wilson_upper


def wilson_interval(
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    confidence: float = 0.95,
    multiplier: float = 100.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of numerator/denominator × multiplier (PHStatsMethods).

    Missing or invalid inputs (denominator ≤ 0, numerator < 0 or > denominator) give NaN.
    """
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    lo = np.full(x.shape, np.nan)
    hi = np.full(x.shape, np.nan)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    for i in np.flatnonzero(ok):
        lo[i] = wilson_lower(x[i], n[i], confidence) * multiplier
        hi[i] = wilson_upper(x[i], n[i], confidence) * multiplier
    return lo, hi
