"""The slope and relative indices of inequality (PHE's ``phe_sii``, ported: PHStatsMethods 0.1.16
does not carry it) and the gap measures across an authority's wards."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

Z95 = 1.959964  # the PHE code fixes z at the 95% value when deriving se from 95% limits


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
        # the order statistics at each level's limits: a partition gives them as a sort would
        ranks = {
            c: (max(round(repetitions * (1 - c) / 2) - 1, 0), round(repetitions * (c + (1 - c) / 2)) - 1)
            for c in levels
        }
        kth = sorted({i for pair in ranks.values() for i in pair})
        if transform:
            slopes = np.partition(r_slope, kth)
        else:
            r_sii = np.partition(r_slope * multiplier, kth)
            r_rii = (r_int + r_slope) / r_int
            r_rii = np.partition(1 / r_rii if multiplier < 0 else r_rii, kth)
        for c in levels:
            i_lo, i_hi = ranks[c]
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


# --- gap measures across an authority's wards --------------------------------------------------
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


def gap_measures(
    df: pd.DataFrame | dict[str, np.ndarray], unit: str, polarity: str, repetitions: int = 20_000
) -> Gaps | None:
    """Range, highest/lowest ratio and SII/RII across wards.

    ``df``: one row per ward (a frame, or a dict of arrays) with ``geo_code``, ``value``, ``lower_95``, ``upper_95``,
    ``population`` (weights) and ``deprivation`` (IMD score; higher = more deprived). Wards are
    ranked most deprived first (PHE convention); for a "higher is worse" indicator the SII is
    reported with multiplier −1, so a positive SII always means the more deprived wards fare
    worse by that amount. Seeded, so the same data give the same limits. (Plain arrays inside:
    the views run this for every authority, indicator and period.)
    """
    value = np.asarray(df["value"], dtype=float)
    ok = ~np.isnan(value)
    if ok.sum() < 2:
        return None
    codes = np.asarray(df["geo_code"])[ok]
    v = value[ok]
    i_hi, i_lo = int(np.argmax(v)), int(np.argmin(v))  # the first of equal values, as idxmax
    ratio = float(v[i_hi] / v[i_lo]) if v[i_lo] > 0 else None
    result, note = None, ""
    pop = np.asarray(df["population"], dtype=float)[ok]
    dep = np.asarray(df["deprivation"], dtype=float)[ok]
    lower = np.asarray(df["lower_95"], dtype=float)[ok]
    upper = np.asarray(df["upper_95"], dtype=float)[ok]
    need = ~np.isnan(pop) & ~np.isnan(dep)
    if need.sum() < 5:
        note = "SII needs at least 5 wards with a value, a population and a deprivation score."
    else:
        order = np.flatnonzero(need)[np.argsort(-dep[need], kind="stable")]  # most deprived first
        rank = np.arange(1, len(order) + 1)
        lo, hi, val = lower[order], upper[order], v[order]
        has_ci = bool(np.all(~np.isnan(lo)) and np.all(~np.isnan(hi)))
        mult = -1.0 if polarity == "higher_is_worse" else 1.0
        kw: dict = {"repetitions": repetitions, "rng": 20240401, "multiplier": mult}
        if unit == "%" and has_ci and np.all((val > 0) & (val < 100)):
            kw.update(value_type=2, lower=lo / 100, upper=hi / 100)
            kw["multiplier"] = mult * 100
            result = sii(rank, pop[order], val / 100, **kw)
        else:
            if has_ci:
                kw.update(lower=lo, upper=hi)
            result = sii(rank, pop[order], val, **kw)
        note = "" if has_ci else "No intervals for this indicator, so the SII has no confidence limits."
    return Gaps(
        n=int(ok.sum()),
        highest_code=str(codes[i_hi]),
        highest=float(v[i_hi]),
        lowest_code=str(codes[i_lo]),
        lowest=float(v[i_lo]),
        range=float(v[i_hi] - v[i_lo]),
        ratio=ratio,
        sii=result,
        sii_note=note,
    )


def gap_change(first: SII, last: SII, level: float = 0.95) -> str:
    """'widening', 'narrowing', 'reversed' or 'not significantly changed' between two SIIs.

    The change in the SII itself is tested with a normal approximation, each SII's standard error
    taken from its simulated 95% limits (half-width / 1.96). A significant change is 'reversed'
    when the gradient has turned round (the SIIs' signs differ and both are significantly
    non-zero), else 'widening' or 'narrowing' by the size of the gap.
    """
    if level not in first.sii_limits or level not in last.sii_limits:
        return "not enough information"
    se = [(s.sii_limits[level][1] - s.sii_limits[level][0]) / (2 * Z95) for s in (first, last)]
    z = (last.sii - first.sii) / math.sqrt(se[0] ** 2 + se[1] ** 2) if any(se) else 0.0
    if abs(z) < norm.ppf(1 - (1 - level) / 2):
        return "not significantly changed"

    def clear_of_zero(s: SII) -> bool:
        lo, hi = s.sii_limits[level]
        return lo > 0 or hi < 0

    if first.sii * last.sii < 0 and clear_of_zero(first) and clear_of_zero(last):
        return "reversed"
    return "widening" if abs(last.sii) > abs(first.sii) else "narrowing"
