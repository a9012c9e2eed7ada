"""ONS LSOA (2011) mid-year population estimates, mid-2019 and mid-2020: population and children
aged 0-15, apportioned onto 2022 wards with the GLA population weights of the same year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.aggregate import apportion
from wardgaps.ingest.common import CURRENT, LONDON, DataError, check_unique, obs_frame, read_csv, to_number
from wardgaps.ingest.geo import Geo

SOURCE_ID = "ons_sape"
F_BY_YEAR = {
    2019: "humaniverse_demographr_population/converted/population19_lsoa11_london.csv.gz",
    2020: "humaniverse_demographr_population/converted/population20_lsoa11_london.csv.gz",
}
CHILD_AGES = [str(a) for a in range(16)]


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    frames = []
    boro = geo.lsoa11.set_index("geo_code")["authority_code"]
    for year, rel in F_BY_YEAR.items():
        path = raw / rel
        df = read_csv(path, required=["lsoa11_code", "total_population", *CHILD_AGES])
        check_unique(df, ["lsoa11_code"], path)
        missing = sorted(set(geo.lsoa11["geo_code"]) - set(df["lsoa11_code"]))
        if missing:
            raise DataError(path, f"{len(missing)} London LSOAs missing, e.g. '{missing[0]}' (file truncated?)")
        df = df[df["lsoa11_code"].isin(boro.index)]
        total, _ = to_number(df["total_population"], path, "total_population")
        kids = sum(to_number(df[a], path, a)[0] for a in CHILD_AGES)
        lu = geo.lsoa11_to_ward22(year)
        # Counts are carried by the GLA shares of the same year: ward = Σ share × LSOA count.
        geo.record_weights(
            f"GLA LSOA 2011 to ward 2022 shares {year} (population {year})",
            lu.rename(columns={"lsoa": "from_code", "ward": "to_code"}),
            2011,
            CURRENT,
            [("population", str(year)), ("children_0_15", str(year))],
        )
        for ind, v in (("population", total), ("children_0_15", kids)):
            blocks = pd.DataFrame({"from_code": df["lsoa11_code"].to_numpy(), "value": v.to_numpy()})
            xw = lu.rename(columns={"lsoa": "from_code", "ward": "to_code"})
            xw["p"] = xw["from_code"].map(dict(zip(blocks["from_code"], blocks["value"], strict=True))) * xw["weight"]
            ward = apportion(blocks, xw)
            ward = ward[ward["geo_code"].isin(geo.london_wards["geo_code"])]
            b = blocks.assign(geo_code=blocks["from_code"].map(boro)).groupby("geo_code", as_index=False)["value"].sum()
            lon = pd.DataFrame({"geo_code": [LONDON], "value": [blocks["value"].sum()]})
            parts = [
                (blocks.rename(columns={"from_code": "geo_code"}), 2011, "published", None),
                (ward, CURRENT, "apportioned", ward["fit_quality"]),
                (b, CURRENT, "aggregated", None),
                (lon, CURRENT, "aggregated", None),
            ]
            for d, vintage, method, fit in parts:
                frames.append(
                    obs_frame(
                        indicator_id=ind,
                        geo_code=d["geo_code"].to_numpy(),
                        vintage=vintage,
                        period=str(year),
                        period_start=pd.Timestamp(year, 6, 30),
                        value=d["value"].round(1).to_numpy(),
                        numerator=d["value"].round(1).to_numpy(),
                        method=method,
                        fit_quality=fit.to_numpy() if fit is not None else float("nan"),
                        status="estimate" if method == "apportioned" else "final",
                        source_id=SOURCE_ID,
                    )
                )
    return pd.concat(frames, ignore_index=True)
