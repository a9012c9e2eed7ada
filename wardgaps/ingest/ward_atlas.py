"""GLA Ward Atlas 2015: time series on 2014 wards (house prices, HMRC child poverty, income, benefits)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.common import (
    CURRENT,
    ENGLAND,
    LONDON,
    DataError,
    check_percent,
    check_unique,
    fye_label,
    obs_frame,
    read_csv,
    to_number,
)
from wardgaps.ingest.geo import Geo

SOURCE_ID = "gla_ward_atlas"
F = "gla_ward_atlas_2015/ward-atlas-data.csv"
# indicator -> (column prefix "Topic; Indicator", is a percentage, last year to take)
SERIES = {
    "children_in_poverty_hmrc": ("Children in Poverty; % of children aged under 16 in poverty", True, None),
    "median_house_price": ("House Prices; Median House Price", False, None),
    "median_household_income": ("Household Income; Median Modelled Household income (£)", False, None),
    "out_of_work_benefit_rate": ("Benefits claimants; DWP Working-age client group (rates)", True, None),
    # Estimates only: the atlas continues the series with GLA projections from 2014.
    "population": ("Population and Age; Population Estimates and Projections", False, 2013),
    "children_0_15": ("Population and Age; Aged 0-15", False, 2013),
}


def _start(label: str) -> pd.Timestamp:
    # "2012/13" is a financial year; a plain year is a calendar year.
    return pd.Timestamp(int(label[:4]), 4 if "/" in label else 1, 1)


def load(raw: Path, geo: Geo, report: list[str] | None = None) -> pd.DataFrame:
    path = raw / F
    df = read_csv(path, skiprows=[1], encoding="latin-1", required=["New Code", "Names"])
    check_unique(df, ["New Code"], path)
    codes = df["New Code"]
    wards = codes.str.startswith("E05")
    known = codes.isin(geo.wards14["geo_code"])
    unmatched = df[wards & ~known]
    if report is not None and len(unmatched):
        authorities = ", ".join(sorted(unmatched["Borough"].dropna().unique()))
        report.append(
            f"{path.name}: {len(unmatched)} ward rows with codes outside the 2014 ward set left out ({authorities})"
        )
    keep = df[(wards & known) | codes.isin([LONDON, ENGLAND])]
    frames = []
    for ind, (prefix, pct, last) in SERIES.items():
        cols = [c for c in df.columns if c.startswith(prefix + ";")]
        if last is not None:
            cols = [c for c in cols if int(c.split(";")[-1].strip()[:4]) <= last]
        if not cols:
            raise DataError(path, f"column '{prefix}; <year>' missing")
        for c in cols:
            label = c.split(";")[-1].strip()
            v, marker = to_number(keep[c], path, c)
            if pct:
                check_percent(v.dropna(), path, c)
            elif (v < 0).any():
                raise DataError(path, f"column '{c}' has a negative value")
            frames.append(
                obs_frame(
                    indicator_id=ind,
                    geo_code=keep["New Code"].to_numpy(),
                    vintage=[2014 if g.startswith("E05") else CURRENT for g in keep["New Code"]],
                    period=fye_label(label),
                    period_start=_start(label),
                    value=v.to_numpy(),
                    method="published",
                    status=["suppressed" if m else "final" for m in marker],
                    source_id=SOURCE_ID,
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out = out[out["value"].notna() | (out["status"] == "suppressed")].reset_index(drop=True)
    out = _child_poverty_counts(out)
    return pd.concat([out, _authority_totals(out, geo)], ignore_index=True)


def _authority_totals(out: pd.DataFrame, geo: Geo) -> pd.DataFrame:
    """The atlas publishes no authority rows: sum the additive series over each authority's wards
    (counts, and child poverty as Σ numerator / Σ denominator). Medians and rates without
    numerators are not aggregated. Authorities with a ward missing get no figure."""
    boro = dict(zip(geo.wards14["geo_code"], geo.wards14["authority_code"], strict=True))
    n_wards = pd.Series(list(boro.values())).value_counts()
    w = out[
        out["geo_code"].str.startswith("E05")
        & out["indicator_id"].isin(["population", "children_0_15", "children_in_poverty_hmrc"])
    ]
    w = w.assign(authority=w["geo_code"].map(boro))
    g = w.groupby(["indicator_id", "period", "authority"], as_index=False).agg(
        value=("value", "sum"),
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        n=("value", "count"),
        start=("period_start", "first"),
    )
    g = g[g["n"] == g["authority"].map(n_wards)]
    cp = g["indicator_id"] == "children_in_poverty_hmrc"
    g.loc[cp, "value"] = (100 * g.loc[cp, "numerator"] / g.loc[cp, "denominator"]).round(4)
    g.loc[~cp, ["numerator", "denominator"]] = np.nan
    g = g[g["value"].notna() & np.isfinite(g["value"])]
    return obs_frame(
        indicator_id=g["indicator_id"].to_numpy(),
        geo_code=g["authority"].to_numpy(),
        vintage=CURRENT,
        period=g["period"].to_numpy(),
        period_start=g["start"].to_numpy(),
        value=g["value"].to_numpy(),
        numerator=g["numerator"].to_numpy(),
        denominator=g["denominator"].to_numpy(),
        method="aggregated",
        status="final",
        source_id=SOURCE_ID,
    )


def _child_poverty_counts(out: pd.DataFrame) -> pd.DataFrame:
    """The atlas gives HMRC child poverty as a rate only; its own children-aged-0-15 estimates
    for the same ward and year make a denominator, so intervals can be drawn (caveated)."""
    kids = out[out["indicator_id"] == "children_0_15"][["geo_code", "period", "value"]].rename(
        columns={"value": "kids"}
    )
    m = out["indicator_id"] == "children_in_poverty_hmrc"
    cp = out[m].merge(kids, on=["geo_code", "period"], how="left")
    cp["denominator"] = cp["kids"]
    cp["numerator"] = (cp["value"] * cp["kids"] / 100).round(1)
    return pd.concat([out[~m], cp.drop(columns="kids")], ignore_index=True)
