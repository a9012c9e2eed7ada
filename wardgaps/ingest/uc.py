"""Households on Universal Credit (DWP Stat-Xplore), November of each year: London's MSOA (2011)
counts apportioned onto current wards; every local authority of England and Wales as published,
with regions and countries summed from them."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.aggregate import apportion
from wardgaps.ingest.common import CITY_OF_LONDON, CURRENT, DataError, check_unique, obs_frame, read_csv, to_number
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.statxplore import authority_observations

SOURCE_ID = "dwp_statxplore_uc"
INDICATOR = "uc_households"
F_MSOA = "dwp_statxplore_msoa_ltla/households_on_UC_msoa_15-22.csv"
F_LA = "dwp_statxplore_msoa_ltla/households_on_UC_ltla_15-22.csv"
MONTH = "November"


def month_label(col: str) -> tuple[str, int, str]:
    """'November 2023 (p)' -> ('November 2023', 2023, 'provisional'); '(r)' marks a revised month."""
    m = re.fullmatch(r"November (\d{4})(?: \((\w)\))?", col)
    if not m:
        raise ValueError(col)
    return f"November {m.group(1)}", int(m.group(1)), "provisional" if m.group(2) == "p" else "final"


def read_months(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Stat-Xplore CSV: title lines, then a 'Month' header row; areas named in the first column."""
    if not path.is_file():
        raise DataError(path, "file missing")
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    head = next((i for i, ln in enumerate(lines) if ln.startswith('"Month"')), None)
    if head is None:
        raise DataError(path, "header row starting 'Month' not found")
    df = read_csv(path, skiprows=head)
    months = [c for c in df.columns if re.fullmatch(MONTH + r" \d{4}(?: \(\w\))?", c)]
    if not months:
        raise DataError(path, f"no '{MONTH} <year>' columns")
    return df, months


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    pm = raw / F_MSOA
    df, months = read_months(pm)
    ls = geo.lsoa11
    msoa_code = dict(zip(ls["MSOA11NM"], ls["MSOA11CD"], strict=False))
    df = df[df["Month"].isin(msoa_code)]
    check_unique(df, ["Month"], pm)
    missing = sorted(set(msoa_code) - set(df["Month"]))
    if missing:
        raise DataError(pm, f"{len(missing)} London MSOAs missing, e.g. '{missing[0]}' (file truncated?)")
    # MSOA -> 2022 ward: split each MSOA over its LSOAs by mid-2020 population, then LSOAs over
    # wards by the GLA weights; p is the population of each MSOA ∩ ward piece.
    pop = geo.pop20_lsoa11
    city_msoa = set(ls.loc[ls["authority_code"] == CITY_OF_LONDON, "MSOA11CD"])
    outside_city = geo.london_wards[geo.london_wards["authority_code"] != CITY_OF_LONDON]
    frames = []
    for col in months:
        label, year, status = month_label(col)
        lu = geo.lsoa11_to_ward22(min(year, 2021)).merge(
            ls[["geo_code", "MSOA11CD"]], left_on="lsoa", right_on="geo_code"
        )
        lu["p"] = lu["lsoa"].map(pop) * lu["weight"]
        xw = lu.groupby(["MSOA11CD", "ward"], as_index=False)["p"].sum()
        xw["weight"] = xw["p"] / xw.groupby("MSOA11CD")["p"].transform("sum")
        xw = xw.rename(columns={"MSOA11CD": "from_code", "ward": "to_code"})
        # the City of London's wards are carried with the MSOA series (wardgaps.ingest.msoa_series):
        # the GLA weights give most of them nothing, and one weight set per ward and month is stored
        xw = xw[xw["to_code"].isin(outside_city["geo_code"])]
        share_year = min(year, 2021)
        geo.record_weights(
            f"MSOA 2011 to ward 2022: population mid-2020 x GLA LSOA 2011 shares {share_year}",
            xw,
            2011,
            CURRENT,
            [(INDICATOR, label)],
        )
        v, _ = to_number(df[col], pm, col)
        vals = pd.DataFrame({"from_code": df["Month"].map(msoa_code).to_numpy(), "value": v.to_numpy()})
        # The MSOA counts as published: the inputs the stored weights turn into ward estimates
        # (the City's, whose wards the MSOA series carries, is stored there).
        own = vals[~vals["from_code"].isin(city_msoa)]
        frames.append(
            obs_frame(
                indicator_id=INDICATOR,
                geo_code=own["from_code"].to_numpy(),
                vintage=2011,
                period=label,
                period_start=pd.Timestamp(year, 11, 1),
                value=own["value"].to_numpy(),
                numerator=own["value"].to_numpy(),
                method="published",
                status=np.where(own["value"].isna(), "suppressed", status),
                source_id=SOURCE_ID,
            )
        )
        a = apportion(vals, xw)
        a = a[a["geo_code"].isin(outside_city["geo_code"])]
        frames.append(
            obs_frame(
                indicator_id=INDICATOR,
                geo_code=a["geo_code"].to_numpy(),
                vintage=CURRENT,
                period=label,
                period_start=pd.Timestamp(year, 11, 1),
                value=a["value"].round(0).to_numpy(),
                numerator=a["value"].round(0).to_numpy(),
                method="apportioned",
                fit_quality=a["fit_quality"].to_numpy(),
                status=np.where(a["value"].isna(), "suppressed", "estimate"),
                source_id=SOURCE_ID,
            )
        )
    frames.append(_authorities(raw, geo))
    return pd.concat(frames, ignore_index=True)


def _authorities(raw: Path, geo: Geo) -> pd.DataFrame:
    """Every authority of England and Wales as Stat-Xplore publishes it (matched by name), with
    regions and countries summed from them."""
    pl = raw / F_LA
    la, months_la = read_months(pl)
    la = la[la["Month"].notna()].reset_index(drop=True)
    frames = []
    for col in months_la:
        label, year, status = month_label(col)
        v, marker = to_number(la[col], pl, col)
        frames.append(
            authority_observations(
                la["Month"],
                v,
                marker,
                geo,
                pl,
                col,
                status=status,
                indicator_id=INDICATOR,
                period=label,
                period_start=pd.Timestamp(year, 11, 1),
                source_id=SOURCE_ID,
            )
        )
    return pd.concat(frames, ignore_index=True)
