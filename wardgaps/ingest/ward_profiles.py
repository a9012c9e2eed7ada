"""GLA Ward Profiles 2015: the authority rows that the Ward Atlas lacks (published authority
comparators for the 2014 median house price and the 2014 out-of-work benefit claimant rate)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.common import CURRENT, DataError, check_percent, obs_frame, read_csv, to_number
from wardgaps.ingest.geo import Geo

SOURCE_ID = "gla_ward_profiles"
F = "gla_ward_profiles_2015/ward-profiles-excel-version.csv"
# indicator -> (column, period, is a percentage). Both match the atlas's ward values exactly.
SERIES = {
    "median_house_price": ("Median House Price (£) - 2014", "2014", False),
    "out_of_work_benefit_rate": (
        "Claimant rate of key out-of-work benefits (working age client group) (2014)",
        "2014",
        True,
    ),
}


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    path = raw / F
    df = read_csv(path, encoding="latin-1", required=["Ward name", "New code", *[c for c, _, _ in SERIES.values()]])
    boro = df[df["New code"].str.match(r"E09\d{6}")]
    # The City of London appears twice (as its one "ward" and as an authority): identical rows.
    dup = boro[boro.duplicated("New code", keep=False)]
    if len(dup) and (dup.drop_duplicates().shape[0] != dup["New code"].nunique()):
        raise DataError(path, f"duplicate rows for {dup['New code'].iloc[0]} with different values")
    boro = boro.drop_duplicates("New code")
    unknown = ~boro["New code"].isin(geo.london_boroughs["authority_code"])
    if unknown.any():
        raise DataError(path, f"unknown authority code '{boro.loc[unknown, 'New code'].iloc[0]}'")
    frames = []
    for ind, (col, period, pct) in SERIES.items():
        v, marker = to_number(boro[col], path, col, frozenset({"n/a"}))
        if pct:
            check_percent(v.dropna(), path, col)
        frames.append(
            obs_frame(
                indicator_id=ind,
                geo_code=boro["New code"].to_numpy(),
                vintage=CURRENT,
                period=period,
                period_start=pd.Timestamp(int(period), 1, 1),
                value=v.to_numpy(),
                method="published",
                status=["suppressed" if m or pd.isna(x) else "final" for m, x in zip(marker, v, strict=True)],
                source_id=SOURCE_ID,
            )
        )
    return pd.concat(frames, ignore_index=True)
