"""Fingertips' recent-trend marker for every ward series (authority, indicator, ward set, ward)
over its last five periods: the ``trend_markers`` table."""

from __future__ import annotations

import pandas as pd

from wardgaps import stats
from wardgaps.meta import polarity

SERIES = ["authority_code", "indicator_id", "vintage", "geo_code"]
COLUMNS = [*SERIES, "geo_name", "marker", "reason", "judged"]
TOO_FEW = ("Cannot be calculated", "Not enough data points")


def _years(starts: pd.Series) -> pd.Series:
    t = pd.to_datetime(starts)
    return t.dt.year + t.dt.day_of_year / 366


def marker(g: pd.DataFrame, meta: dict) -> tuple[str, str]:
    """One ward's marker and its reason (``g``: the ward's rows of one ward set, any order)."""
    unit = meta.get("unit")
    years = _years(g["period_start"]).to_numpy()
    if unit == "count":
        # a count's change follows the ward's size and the apportioning, not a rate: not tested
        return "Not tested", "A count, not a rate: no trend is tested"
    if g["suppressed"].any():
        return "Cannot be calculated", "A figure is suppressed to protect small numbers"
    if unit == "%" and g["numerator"].notna().all() and g["denominator"].notna().all():
        return stats.trend_marker(years, numerator=g["numerator"], denominator=g["denominator"])
    return stats.trend_marker(years, g["value"], lower=g["lower_95"], upper=g["upper_95"])


def trend_markers(figures: pd.DataFrame, meta: dict[str, dict]) -> pd.DataFrame:
    """Every ward series' marker, judged better or worse by polarity. ``figures``: the
    ``ward_figures`` rows (a series is a ward's rows that have an observation). Series that
    cannot be tested (counts, a figure hidden, fewer than five periods: the great majority) are
    marked as :func:`marker` would mark them without calling it; the rest are tested one by one."""
    f = figures[figures["status"].notna()]
    g = f.groupby(SERIES, sort=False)
    out = g.agg(
        geo_name=("geo_name", "first"),
        n=("period", "size"),
        years=("period_start", "nunique"),
        hidden=("suppressed", "any"),
    ).reset_index()
    unit = out["indicator_id"].map(lambda i: meta.get(i, {}).get("unit"))
    out["marker"], out["reason"] = TOO_FEW
    rules = [
        (out["years"] < out["n"], ("Cannot be calculated", "Duplicate years in group")),
        (out["hidden"], ("Cannot be calculated", "A figure is suppressed to protect small numbers")),
        (unit.eq("count"), ("Not tested", "A count, not a rate: no trend is tested")),
    ]
    for mask, (m, r) in rules:  # last wins: the order marker() checks them in, reversed
        out.loc[mask.to_numpy(), ["marker", "reason"]] = [m, r]
    test = out[(out["n"] >= 5) & (out["years"] == out["n"]) & ~out["hidden"] & ~unit.eq("count")]
    if len(test):
        rows = f.merge(test[SERIES], on=SERIES)
        done = {key: marker(r, meta.get(key[1], {})) for key, r in rows.groupby(SERIES, sort=False)}
        keys = out[SERIES].itertuples(index=False, name=None)
        tested = [done.get(k) for k in keys]
        has = [t is not None for t in tested]
        out.loc[has, ["marker", "reason"]] = [list(t) for t in tested if t is not None]
    direction = out["marker"].map({"Increasing": "higher", "Decreasing": "lower"})
    pol = out["indicator_id"].map(lambda i: polarity(meta.get(i, {})))
    out["judged"] = [stats.judge(d, p) if isinstance(d, str) else None for d, p in zip(direction, pol, strict=True)]
    return out[COLUMNS]
