"""Gap measures across an authority's wards (range, ratio, slope and relative index of
inequality), their trend over the periods of a ward set, and the indicator by deprivation
quintile: the ``gap_measures``, ``gap_trends`` and ``deprivation_quintiles`` tables.

Every (authority, indicator, period, ward set) is measured on the figures its ward table holds
(in the public extract, the figures shown), as the Ward gaps page used to per request."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd

from wardgaps import stats
from wardgaps.meta import deprivation_index, imd_edition, is_count, is_deprivation_index, polarity

GROUP = ["authority_code", "indicator_id", "period", "vintage"]

COUNT_NOTE = "No slope index for a count: it would mostly measure how big the wards are, not how deprived."
IOD_NOTE = (
    "No slope index for an Indices of Deprivation measure: ranking wards by the IMD, which is built "
    "from it, would be circular."
)
WIMD_NOTE = (
    "No slope index for a Welsh Index of Multiple Deprivation measure: ranking wards by the WIMD, which is "
    "built from it, would be circular."
)
NO_CHANGE = "not measured: a change needs the slope index in at least two periods on these wards"
GAP_COLUMNS = [
    "measured",
    "n",
    "highest_code",
    "highest",
    "lowest_code",
    "lowest",
    "range",
    "ratio",
    "sii",
    "rii",
    "sii_intercept",
    "sii_lower_95",
    "sii_upper_95",
    "rii_lower_95",
    "rii_upper_95",
    "sii_note",
    "withheld",
    "deprivation_edition",
]


def measure(cols: dict[str, np.ndarray], meta: dict, authority_code: str, period_start: object, withheld: bool) -> dict:
    """One authority's gap measures for one indicator and period: a row of ``gap_measures``.
    ``cols``: the group's ward rows as arrays (geo_code, value, lower_95, upper_95, denominator,
    population, deprivation, deprivation_period, suppressed).

    Weighted by the indicator's own denominator where it has one (e.g. children), else by
    population. No slope index for counts (ward size) or deprivation index measures (circular).
    English wards are ordered by the IMD, Welsh wards by Wales' own WIMD (never one scale for
    both); where the period's edition has no scores (WIMD 2025: ranks only), by the nearest edition
    that has them (the most used), named in the note with the index."""
    shown = ~cols["suppressed"].astype(bool)
    value = cols["value"][shown].astype(float)
    den, pop = cols["denominator"][shown].astype(float), cols["population"][shown].astype(float)
    weights = np.where(~np.isnan(den) & (meta["unit"] == "%"), den, pop)
    deprivation = cols["deprivation"][shown].astype(float)
    edition = imd_edition(period_start) if period_start is not None and not pd.isna(period_start) else ""
    note = ""
    if is_count(meta):
        note = COUNT_NOTE
    elif is_deprivation_index(meta):
        note = WIMD_NOTE if deprivation_index(authority_code) == "WIMD" else IOD_NOTE
    else:
        used = Counter(p for p in cols["deprivation_period"][shown] if isinstance(p, str))
        if used:
            top = max(used.values())
            edition = min(p for p, k in used.items() if k == top)  # as pandas' mode: the first in order
    if note:
        deprivation = np.full(len(value), np.nan)
    d = {
        "geo_code": cols["geo_code"][shown],
        "value": value,
        "population": weights,
        "deprivation": deprivation,
        "lower_95": cols["lower_95"][shown].astype(float),
        "upper_95": cols["upper_95"][shown].astype(float),
    }
    g = stats.gap_measures(d, meta["unit"], polarity(meta))
    row: dict = dict.fromkeys(GAP_COLUMNS)
    row.update(measured=g is not None, n=int((~np.isnan(value)).sum()), withheld=withheld, deprivation_edition=edition)
    if g is None:
        row["sii_note"] = note
        return row
    if withheld:  # no gap measure at all, the slope index included, when an extreme is hidden
        row["sii_note"] = ""
        return row
    if note:
        g = replace(g, sii=None, sii_note=note)
    elif g.sii is not None:
        g = replace(
            g,
            sii_note=(g.sii_note + " " if g.sii_note else "")
            + f"Wards ordered by {deprivation_index(authority_code)} {edition} score.",
        )
    row.update(
        highest_code=g.highest_code,
        highest=g.highest,
        lowest_code=g.lowest_code,
        lowest=g.lowest,
        range=g.range,
        ratio=g.ratio,
        sii_note=g.sii_note,
    )
    if g.sii is not None:
        lo, hi = g.sii.sii_limits.get(0.95, (np.nan, np.nan))
        rlo, rhi = g.sii.rii_limits.get(0.95, (np.nan, np.nan))
        row.update(
            sii=g.sii.sii,
            rii=g.sii.rii,
            sii_intercept=g.sii.intercept,
            sii_lower_95=lo,
            sii_upper_95=hi,
            rii_lower_95=rlo,
            rii_upper_95=rhi,
        )
    return row


def as_sii(row: dict | pd.Series) -> stats.SII | None:
    """The stored slope index of a ``gap_measures`` row (None where there is none)."""
    if row["sii"] is None or pd.isna(row["sii"]):
        return None
    limits = {} if pd.isna(row["sii_lower_95"]) else {0.95: (float(row["sii_lower_95"]), float(row["sii_upper_95"]))}
    rlimits = {} if pd.isna(row["rii_lower_95"]) else {0.95: (float(row["rii_lower_95"]), float(row["rii_upper_95"]))}
    return stats.SII(float(row["sii"]), float(row["rii"]), float(row["sii_intercept"]), limits, rlimits)


def trends(measures: pd.DataFrame) -> pd.DataFrame:
    """One row per authority, indicator and ward set: how many periods were measured and whether
    the slope index gap widened between the first and last periods that have one."""
    keys = ["authority_code", "indicator_id", "vintage"]
    out = measures.groupby(keys, sort=True).agg(periods=("measured", "sum")).reset_index()
    s = measures[measures["measured"].astype(bool) & measures["sii"].notna()]
    s = s.sort_values([*keys, "period_start"], kind="stable")
    g = s.groupby(keys, sort=True)
    n = g.size()
    first, last = g.head(1).set_index(keys), g.tail(1).set_index(keys)
    two = n[n >= 2].index
    changed = {
        k: stats.gap_change(as_sii(a), as_sii(b))
        for k, a, b in zip(two, first.loc[two].to_dict("records"), last.loc[two].to_dict("records"), strict=True)
    }
    out["change"] = [changed.get(k, NO_CHANGE) for k in out[keys].itertuples(index=False, name=None)]
    out["periods"] = out["periods"].astype(int)
    return out


def quintiles(figures: pd.DataFrame, meta: dict[str, dict], n: int = 5) -> pd.DataFrame:
    """Every group's indicator by authority-local quintile of wards' IMD score (1 = most deprived
    fifth): the population-weighted mean of the wards in each quintile, on the figures shown.
    Not for counts (ward size) or Indices of Deprivation measures (circular); only groups with at
    least ``n`` such wards."""
    ids = [i for i, m in meta.items() if not is_count(m) and not is_deprivation_index(m)]
    d = figures[
        figures["indicator_id"].isin(ids)
        & figures["value"].notna()
        & figures["deprivation"].notna()
        & ~figures["suppressed"]
    ]
    d = d[d.groupby(GROUP, sort=False)["value"].transform("size") >= n]
    if d.empty:
        return pd.DataFrame(columns=[*GROUP, "quintile", "wards", "value"])
    q = stats.quantiles_by(d, "deprivation", GROUP, n, invert=True)
    w = d["population"].fillna(1.0)
    d = d.assign(quintile=q.astype(int), w=w, vw=d["value"] * w)
    out = d.groupby([*GROUP, "quintile"], sort=True).agg(wards=("value", "size"), vw=("vw", "sum"), w=("w", "sum"))
    return out.assign(value=out["vw"] / out["w"]).drop(columns=["vw", "w"]).reset_index()
