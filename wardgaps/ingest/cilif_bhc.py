"""Children in relative low income before housing costs (DWP), FYE 2015-2022, counts: London's
2018 wards (GLA), carried onto current wards as apportioned estimates; every local authority of
England and Wales (Stat-Xplore), with regions and countries summed from them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.aggregate import apportion
from wardgaps.ingest.common import (
    CITY_OF_LONDON,
    CURRENT,
    DataError,
    check_unique,
    fy_start,
    obs_frame,
    read_csv,
    to_number,
)
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.statxplore import authority_observations

INDICATOR = "child_poverty_bhc_dwp"
F_WARD = "gla_cilif_london_wards_2018/children_low_income_data.csv"
F_LA = "dwp_statxplore_msoa_ltla/children_relative_low_income_ltla_14-22.csv"
PROVISIONAL = {"FYE 2022"}


def _period(first_year: int) -> str:
    return f"FYE {first_year + 1}"


def ward_counts(raw: Path, geo: Geo) -> pd.DataFrame:
    """London's 2018-ward counts: ``geo_code``, ``year`` (the financial year's first), ``value``,
    ``suppressed``; the City of London's wards left out (see :func:`load`)."""
    pw = raw / F_WARD
    w = read_csv(pw, required=["Ward code", "year", "children"])
    check_unique(w, ["Ward code", "year"], pw)
    yr, _ = to_number(w["year"], pw, "year")
    # This file is an R export: "NA" is R's missing value.
    n, marker = to_number(w["children"], pw, "children", frozenset({"na"}))
    if (n < 0).any():
        raise DataError(pw, "column 'children' has a negative count")
    w = pd.DataFrame({"geo_code": w["Ward code"], "year": yr.astype(int), "value": n, "suppressed": marker | n.isna()})
    # The City of London's residential wards are listed one by one here but merged in the 2018
    # boundary set; they are left out rather than forced onto the merged area.
    w = w[~w["geo_code"].isin(_city_wards(geo))]
    unknown = ~w["geo_code"].isin(geo.wards18["geo_code"])
    if unknown.any():
        raise DataError(pw, f"unknown ward code '{w.loc[unknown, 'geo_code'].iloc[0]}'")
    return w.reset_index(drop=True)


def london_crosswalk(geo: Geo, year: int) -> tuple[str, pd.DataFrame]:
    """The weight set (basis, weights) carrying the 2018 wards' figures of financial year ``year``
    (its first year) onto the current wards: GLA LSOA weights of that year (2021 at the latest)."""
    share_year = int(min(year, 2021))
    basis = f"2018 ward to 2022 ward: population mid-2020 x GLA LSOA 2011 shares {share_year}"
    return basis, geo.ward_crosswalk(geo.lu_lsoa11_ward18, share_year)


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    w = ward_counts(raw, geo)
    frames = [
        obs_frame(
            indicator_id=INDICATOR,
            geo_code=w["geo_code"].to_numpy(),
            vintage=2018,
            period=[_period(y) for y in w["year"]],
            period_start=[fy_start(_period(y)) for y in w["year"]],
            value=w["value"].to_numpy(),
            numerator=w["value"].to_numpy(),
            method="published",
            status=[
                "suppressed" if s else ("provisional" if _period(y) in PROVISIONAL else "final")
                for s, y in zip(w["suppressed"], w["year"], strict=False)
            ],
            source_id="gla_cilif_wards2018",
        )
    ]
    # 2018 wards -> 2022 wards: population-weighted, per year (GLA LSOA weights of that year).
    for y in sorted(w["year"].unique()):
        basis, xw = london_crosswalk(geo, int(y))
        geo.record_weights(basis, xw, 2018, CURRENT, [(INDICATOR, _period(int(y)))])
        vals = w[w["year"] == y].rename(columns={"geo_code": "from_code"})[["from_code", "value"]]
        a = apportion(vals, xw)
        a = a[a["geo_code"].isin(geo.london_wards["geo_code"]) & a["value"].notna()]
        p = _period(int(y))
        frames.append(
            obs_frame(
                indicator_id=INDICATOR,
                geo_code=a["geo_code"].to_numpy(),
                vintage=CURRENT,
                period=p,
                period_start=fy_start(p),
                value=a["value"].round(0).to_numpy(),
                numerator=a["value"].round(0).to_numpy(),
                method="apportioned",
                fit_quality=a["fit_quality"].to_numpy(),
                status="estimate",
                source_id="gla_cilif_wards2018",
            )
        )
    frames.append(_authorities(raw, geo))
    return pd.concat(frames, ignore_index=True)


def _city_wards(geo: Geo) -> set[str]:
    return set(geo.london_wards.loc[geo.london_wards["authority_code"] == CITY_OF_LONDON, "geo_code"])


def authority_table(raw: Path) -> tuple[Path, pd.DataFrame, list[str]]:
    """Stat-Xplore's local-authority table (path, rows, year columns such as '2019/20')."""
    path = raw / F_LA
    df = read_csv(path, required=["Year"])
    years = [c for c in df.columns if c[:4].isdigit() and "Annotations" not in c]
    if len(years) < 2:
        raise DataError(path, "no year columns (expected '2014/15', '2015/16', ...)")
    return path, df[df["Year"].notna()].reset_index(drop=True), years


def _authorities(raw: Path, geo: Geo) -> pd.DataFrame:
    """Stat-Xplore's local-authority table, matched by name to every authority of England and
    Wales; regions, England and Wales summed from them."""
    path, df, years = authority_table(raw)
    out = []
    for c in years:
        v, marker = to_number(df[c], path, c)
        p = _period(int(c[:4]))
        out.append(
            authority_observations(
                df["Year"],
                v,
                marker,
                geo,
                path,
                c,
                status="provisional" if p in PROVISIONAL else "final",
                indicator_id=INDICATOR,
                period=p,
                period_start=fy_start(p),
                source_id="dwp_statxplore",
            )
        )
    return pd.concat(out, ignore_index=True)
