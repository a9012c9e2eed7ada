"""DWP Stat-Xplore's MSOA (2011) tables carried onto the current wards of every authority outside
London: children in relative low income before housing costs (FYE 2015-2022) and households on
Universal Credit (November 2015-2023).

Each MSOA's count, as published, is stored (vintage 2011, ``published``) and split over the current
wards by the population the measure counts (:mod:`wardgaps.ingest.msoa_lookups`): children aged
0-19 for the children's series (mid-2020 estimates between a MSOA's 2011 LSOAs, Census 2021
between a 2011 LSOA's 2021 pieces), Census 2021 households for Universal Credit. The ward figures
are ``apportioned`` estimates with ``fit_quality``, rounded to whole children or households; the
weight sets are recorded so the data contract re-applies them to the stored MSOA counts. London's
wards keep their own series (the GLA's 2018-ward children's series and GLA LSOA weights for
Universal Credit), made by :mod:`wardgaps.ingest.cilif_bhc` and :mod:`wardgaps.ingest.uc`.

Stat-Xplore names MSOAs without codes; the names are the ONS 2011 names, matched exactly to the
ONS LSOA-to-MSOA lookup (all 7,201 of England and Wales; Scottish zones, "Unknown" and "Total" rows
match none and are left out).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest import cilif_bhc, uc
from wardgaps.ingest.aggregate import apportion
from wardgaps.ingest.common import CURRENT, DataError, check_unique, fy_start, obs_frame, read_csv, to_number
from wardgaps.ingest.geo import Geo

F_BHC_MSOA = "dwp_statxplore_msoa_ltla/children_relative_low_income_msoa_14-22.csv"
BHC_BASIS = "MSOA 2011 to ward 2024 outside London: children 0-19 (ONS mid-2020 by LSOA 2011; Census 2021 by LSOA 2021)"
UC_BASIS = "MSOA 2011 to ward 2024 outside London: Census 2021 households by LSOA 2021"


def _matched(names: pd.Series, geo: Geo, path: Path) -> pd.Series:
    """Each row's MSOA code (NaN for rows that are no MSOA of England and Wales); refuses a table
    that names an MSOA twice or leaves one outside London out."""
    code = names.map(geo.msoa11_code_by_name)
    check_unique(pd.DataFrame({"code": code.dropna()}), ["code"], path)
    missing = sorted(set(geo.msoa11_outside_london["geo_code"]) - set(code.dropna()))
    if missing:
        raise DataError(path, f"{len(missing)} MSOAs missing, e.g. '{missing[0]}' (file truncated?)")
    return code


def _series(
    codes: pd.Series,
    columns: list[tuple[pd.Series, str, pd.Timestamp, str]],
    xw: pd.DataFrame,
    geo: Geo,
    *,
    indicator: str,
    basis: str,
    source_id: str,
) -> pd.DataFrame:
    """MSOA inputs and apportioned ward estimates for each (values, period, start, status)."""
    keep = codes.isin(set(xw["from_code"])).to_numpy()
    frames = []
    for values, period, start, status in columns:
        geo.record_weights(basis, xw, 2011, CURRENT, [(indicator, period)])
        vals = pd.DataFrame({"from_code": codes[keep].to_numpy(), "value": values[keep].to_numpy()})
        frames.append(
            obs_frame(
                indicator_id=indicator,
                geo_code=vals["from_code"].to_numpy(),
                vintage=2011,
                period=period,
                period_start=start,
                value=vals["value"].to_numpy(),
                numerator=vals["value"].to_numpy(),
                method="published",
                status=np.where(vals["value"].isna(), "suppressed", status),
                source_id=source_id,
            )
        )
        a = apportion(vals, xw)
        frames.append(
            obs_frame(
                indicator_id=indicator,
                geo_code=a["geo_code"].to_numpy(),
                vintage=CURRENT,
                period=period,
                period_start=start,
                value=a["value"].round(0).to_numpy(),
                numerator=a["value"].round(0).to_numpy(),
                method="apportioned",
                fit_quality=a["fit_quality"].to_numpy(),
                status=np.where(a["value"].isna(), "suppressed", "estimate"),
                source_id=source_id,
            )
        )
    return pd.concat(frames, ignore_index=True)


def bhc_columns(raw: Path, geo: Geo) -> tuple[pd.Series, list[tuple[pd.Series, str, pd.Timestamp, str]]]:
    """The MSOA table of children in relative low income (BHC): each row's MSOA code and, for each
    year, (counts, period, period start, status)."""
    path = raw / F_BHC_MSOA
    df = read_csv(path, required=["Year"])
    years = [c for c in df.columns if c[:4].isdigit() and "Annotations" not in c]
    if len(years) < 2:
        raise DataError(path, "no year columns (expected '2014/15', '2015/16', ...)")
    codes = _matched(df["Year"], geo, path)
    columns = []
    for c in years:
        v, _ = to_number(df[c], path, c)
        if (v < 0).any():
            raise DataError(path, f"column '{c}' has a negative count")
        p = f"FYE {int(c[:4]) + 1}"
        columns.append((v, p, fy_start(p), "provisional" if p in cilif_bhc.PROVISIONAL else "final"))
    return codes, columns


def bhc_crosswalk(geo: Geo) -> pd.DataFrame:
    """MSOA 2011 -> current ward outside London by children aged 0-19 (see :data:`BHC_BASIS`)."""
    return geo.msoa11_to_ward(geo.children21_lsoa21, geo.children20_lsoa11)


def children_bhc(raw: Path, geo: Geo) -> pd.DataFrame:
    """Children in relative low income (BHC), FYE 2015-2022, on current wards outside London."""
    codes, columns = bhc_columns(raw, geo)
    xw = bhc_crosswalk(geo)
    return _series(codes, columns, xw, geo, indicator=cilif_bhc.INDICATOR, basis=BHC_BASIS, source_id="dwp_statxplore")


def uc_households(raw: Path, geo: Geo) -> pd.DataFrame:
    """Households on Universal Credit, November of each year, on current wards outside London."""
    path = raw / uc.F_MSOA
    df, months = uc.read_months(path)
    codes = _matched(df["Month"], geo, path)
    columns = []
    for col in months:
        label, year, status = uc.month_label(col)
        v, _ = to_number(df[col], path, col)
        columns.append((v, label, pd.Timestamp(year, 11, 1), status))
    xw = geo.msoa11_to_ward(geo.households21_lsoa21)
    return _series(codes, columns, xw, geo, indicator=uc.INDICATOR, basis=UC_BASIS, source_id=uc.SOURCE_ID)


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    return pd.concat([children_bhc(raw, geo), uc_households(raw, geo)], ignore_index=True)
