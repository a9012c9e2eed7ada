"""Children in relative low income before housing costs as a rate (DWP counts over ONS children
aged 0-19), for the three financial years whose children the mirror counts by small area:

* FYE 2020 (April 2019 - March 2020) over the mid-2019 estimates by 2011 LSOA,
* FYE 2021 over the mid-2020 estimates by 2011 LSOA,
* FYE 2022 over Census 2021 (March 2021) by 2021 LSOA, each 2011 LSOA given the children of its
  2021 pieces (a 2021 LSOA made from several 2011 LSOAs split equally between them).

Stat-Xplore's children are dependent children: under 16, or 16-19 in non-advanced education. The
denominator is every child aged 0-19 (no small-area count of dependent children exists), so the
rate is per 100 children aged 0-19 and a little lower than a rate of dependent children would be.

Every figure is a published count over a summed population of children. Each MSOA (outside London)
and each GLA 2018 ward (London) gets its rate (method ``aggregated``: its children summed from its
2011 LSOAs); a current ward's rate is its apportioned count over its apportioned children, both
carried by the weights that carry the counts (:mod:`wardgaps.ingest.msoa_series`,
:mod:`wardgaps.ingest.cilif_bhc`). It is recorded as the weighted mean of the source areas' rates,
each weighted by the children it brings (weight x children / the ward's children), so the contract
re-applies the stored weights to the stored rates. The ward's numerator is the ward's count as
stored (rounded to whole children), its denominator its children rounded likewise. Authorities:
Stat-Xplore's published counts over their children summed from 2011 LSOAs; regions and countries
sum both (``aggregated``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest import cilif_bhc, msoa_series
from wardgaps.ingest.aggregate import apportion
from wardgaps.ingest.common import CURRENT, DataError, fy_start, obs_frame, to_number
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.geo_files import F_POP19_LSOA11, F_POP20_LSOA11, F_TS007A
from wardgaps.ingest.statxplore import authority_values, wider_totals

INDICATOR = "child_poverty_bhc_rate_dwp"
# period -> the children 0-19 it is a rate of
DENOMINATORS = {"FYE 2020": "mid-2019", "FYE 2021": "mid-2020", "FYE 2022": "Census 2021"}


def children_lsoa11(geo: Geo, period: str) -> pd.Series:
    """Children aged 0-19 by 2011 LSOA, of the population that is ``period``'s denominator."""
    which = DENOMINATORS[period]
    if which == "mid-2019":
        return geo.children19_lsoa11
    if which == "mid-2020":
        return geo.children20_lsoa11
    return geo.children21_lsoa11


def children_of(lsoas: pd.Series, geo: Geo, period: str) -> pd.Series:
    """The children of each 2011 LSOA in ``lsoas``; refuses an LSOA the children's table lacks
    (naming the file) rather than counting it as none."""
    kids = lsoas.map(children_lsoa11(geo, period))
    if kids.isna().any():
        rel = {"mid-2019": F_POP19_LSOA11, "mid-2020": F_POP20_LSOA11}.get(DENOMINATORS[period], F_TS007A)
        raise DataError(geo.p(rel), f"LSOA '{lsoas[kids.isna()].iloc[0]}' has no children aged 0-19")
    return kids


def _status(period: str, value: pd.Series) -> np.ndarray:
    return np.where(value.isna(), "suppressed", "provisional" if period in cilif_bhc.PROVISIONAL else "final")


def _rate(num: pd.Series, den: pd.Series) -> pd.Series:
    return (100 * num / den).where(den > 0).round(4)


def _areas(codes, num, den, period: str, vintage: int, method, source_id: str) -> pd.DataFrame:
    """Rows of areas with their own count and children: the rate of the rounded children."""
    den = pd.Series(np.asarray(den, dtype=float)).round(0)
    num = pd.Series(np.asarray(num, dtype=float))
    value = _rate(num, den)
    return obs_frame(
        indicator_id=INDICATOR,
        geo_code=np.asarray(codes),
        vintage=vintage,
        period=period,
        period_start=fy_start(period),
        value=value.to_numpy(),
        numerator=num.where(value.notna()).to_numpy(),
        denominator=den.where(value.notna()).to_numpy(),
        method=method,
        status=_status(period, value),
        source_id=source_id,
    )


def _carried(src: pd.DataFrame, xw: pd.DataFrame, geo: Geo, basis: str, vintage: int, period: str) -> pd.DataFrame:
    """Current-ward rates from source-area rows (``from_code``, ``num``, ``den``, ``rate``: the
    stored ones) carried by the count's weights ``xw``; the rate's own weight set is recorded."""
    m = xw.merge(src, on="from_code", how="left")
    m["wp"] = m["weight"] * m["den"]
    den = m.groupby("to_code")["wp"].sum()
    # a rate only where every source area has one (never a partial sum)
    ok = m["rate"].notna().groupby(m["to_code"]).all() & (den > 0)
    weights = m[m["to_code"].map(ok).to_numpy()]
    weights = weights.assign(weight=weights["wp"] / weights["to_code"].map(den))
    geo.record_weights(basis, weights, vintage, CURRENT, [(INDICATOR, period)])
    rate = (weights["weight"] * weights["rate"]).groupby(weights["to_code"]).sum()
    a = apportion(src[["from_code", "num"]].rename(columns={"num": "value"}), xw)
    a = a.assign(value=a["value"].round(0), den=a["geo_code"].map(den).round(0), rate=a["geo_code"].map(rate))
    return a


def _ward_rows(a: pd.DataFrame, period: str, source_id: str) -> pd.DataFrame:
    return obs_frame(
        indicator_id=INDICATOR,
        geo_code=a["geo_code"].to_numpy(),
        vintage=CURRENT,
        period=period,
        period_start=fy_start(period),
        value=a["rate"].round(4).to_numpy(),
        numerator=a["value"].where(a["rate"].notna()).to_numpy(),
        denominator=a["den"].where(a["rate"].notna()).to_numpy(),
        method="apportioned",
        fit_quality=a["fit_quality"].to_numpy(),
        status=np.where(a["rate"].isna(), "suppressed", "estimate"),
        source_id=source_id,
    )


def outside_london(raw: Path, geo: Geo) -> pd.DataFrame:
    """MSOA rates and the current wards' outside London, from Stat-Xplore's MSOA counts."""
    codes, columns = msoa_series.bhc_columns(raw, geo)
    xw = msoa_series.bhc_crosswalk(geo)
    keep = codes.isin(set(xw["from_code"])).to_numpy()
    lu = geo.lu_lsoa11_msoa11
    frames = []
    for values, period, *_ in columns:
        if period not in DENOMINATORS:
            continue
        kids = children_of(lu["lsoa"], geo, period).groupby(lu["msoa"]).sum()
        src = pd.DataFrame({"from_code": codes[keep].to_numpy(), "num": values[keep].to_numpy()})
        src["den"] = src["from_code"].map(kids).round(0)
        rows = _areas(src["from_code"], src["num"], src["den"], period, 2011, "aggregated", "dwp_statxplore")
        frames.append(rows)
        src["rate"] = rows["value"].to_numpy()
        basis = f"{msoa_series.BHC_BASIS}; rate weighted by children 0-19 {DENOMINATORS[period]}"
        a = _carried(src, xw, geo, basis, 2011, period)
        frames.append(_ward_rows(a, period, "dwp_statxplore"))
    return pd.concat(frames, ignore_index=True)


def london(raw: Path, geo: Geo) -> pd.DataFrame:
    """GLA 2018-ward rates and London's current wards', from the 2018-ward counts."""
    w = cilif_bhc.ward_counts(raw, geo)
    lu = geo.lu_lsoa11_ward18
    frames = []
    for period in DENOMINATORS:
        year = int(period[4:]) - 1
        kids = children_of(lu["lsoa"], geo, period).groupby(lu["ward"]).sum()
        y = w[w["year"] == year]
        src = pd.DataFrame({"from_code": y["geo_code"].to_numpy(), "num": y["value"].to_numpy()})
        src["den"] = src["from_code"].map(kids).round(0)
        rows = _areas(src["from_code"], src["num"], src["den"], period, 2018, "aggregated", "gla_cilif_wards2018")
        frames.append(rows)
        src["rate"] = rows["value"].to_numpy()
        basis, xw = cilif_bhc.london_crosswalk(geo, year)
        a = _carried(src, xw, geo, f"{basis}; rate weighted by children 0-19 {DENOMINATORS[period]}", 2018, period)
        # wards with no rate are kept, stored as suppressed, as outside London
        a = a[a["geo_code"].isin(geo.london_wards["geo_code"])]
        frames.append(_ward_rows(a, period, "gla_cilif_wards2018"))
    return pd.concat(frames, ignore_index=True)


def authorities(raw: Path, geo: Geo) -> pd.DataFrame:
    """Every authority's published count over its children, regions and countries summed."""
    path, df, years = cilif_bhc.authority_table(raw)
    share = geo.lsoa11_authority_share
    frames = []
    for c in years:
        period = f"FYE {int(c[:4]) + 1}"
        if period not in DENOMINATORS:
            continue
        v, marker = to_number(df[c], path, c)
        n = authority_values(df["Year"], v, marker, geo, path, c)
        kids = (children_of(share["lsoa"], geo, period) * share["share"]).groupby(share["authority_code"]).sum()
        p = pd.DataFrame({"geo_code": n["geo_code"], "value": n["geo_code"].map(kids).round(0)})
        n = pd.concat([n, wider_totals(n, geo)], ignore_index=True)
        p = pd.concat([p, wider_totals(p, geo)], ignore_index=True)
        m = n[["geo_code", "value"]].merge(p, on="geo_code", how="left", suffixes=("", "_den"))
        rows = _areas(m["geo_code"], m["value"], m["value_den"], period, CURRENT, "aggregated", "dwp_statxplore")
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    return pd.concat([outside_london(raw, geo), london(raw, geo), authorities(raw, geo)], ignore_index=True)
