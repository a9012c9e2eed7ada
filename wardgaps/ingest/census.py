"""Census 2021 topic summaries (Nomis bulk CSVs): LSOA 2021 files, and LTLA files where present."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.aggregate import sum_counts
from wardgaps.ingest.common import CURRENT, DataError, check_unique, obs_frame, read_csv, to_number
from wardgaps.ingest.geo import Geo

SOURCE_ID = "census2021"
DIR = "nomis_census2021_bulk_lsoa"
P = "Tenure of household: "
A = "Accommodation type: "
OCC = "Occupancy rating for bedrooms: "
D = "Household deprivation: "
AGE = "Age: "

# indicator -> (table, numerator columns, denominator column or None for counts)
TABLES: dict[str, tuple[str, list[str], str | None]] = {
    "households_deprived_any_dimension": (
        "ts011",
        [
            f"{D}Household is deprived in one dimension; measures: Value",
            f"{D}Household is deprived in two dimensions; measures: Value",
            f"{D}Household is deprived in three dimensions; measures: Value",
            f"{D}Household is deprived in four dimensions; measures: Value",
        ],
        f"{D}Total: All households; measures: Value",
    ),
    "overcrowded_households": (
        "ts052",
        [f"{OCC}Occupancy rating of bedrooms: -1", f"{OCC}Occupancy rating of bedrooms: -2 or less"],
        f"{OCC}Total: All households",
    ),
    "social_rented_households": ("ts054", [f"{P}Social rented"], f"{P}Total: All households"),
    "private_rented_households": ("ts054", [f"{P}Private rented"], f"{P}Total: All households"),
    "owner_occupied_households": ("ts054", [f"{P}Owned"], f"{P}Total: All households"),
    "flats_share": (
        "ts044",
        [
            f"{A}In a purpose-built block of flats or tenement",
            f"{A}Part of a converted or shared house, including bedsits",
            f"{A}Part of another converted building, for example, former school, church or warehouse",
            f"{A}In a commercial building, for example, in an office building, hotel or over a shop",
        ],
        f"{A}Total: All households",
    ),
    "population": ("ts007a", [f"{AGE}Total"], None),
    # TS007A's five-year bands end at 14 (15-year-olds sit in 15-19): a 0-14 count, kept apart
    # from the 0-15 mid-year estimates so that no series mixes age bands.
    "children_0_14": (
        "ts007a",
        [f"{AGE}Aged 4 years and under", f"{AGE}Aged 5 to 9 years", f"{AGE}Aged 10 to 14 years"],
        None,
    ),
}
LTLA_TABLES = {"ts011", "ts044", "ts054"}


def _read(raw: Path, table: str, geo: str, cols: list[str], code_pattern: str) -> pd.DataFrame:
    path = raw / f"{DIR}/census2021-{table}-{geo}.csv"
    df = read_csv(path, required=["geography code", *cols])
    if df.empty:
        raise DataError(path, "no data rows")
    codes = df["geography code"]
    ok = codes.str.fullmatch(code_pattern).fillna(False)
    if not ok.all():
        raise DataError(path, f"column 'geography code' has an invalid code '{codes[~ok].iloc[0]}'")
    check_unique(df, ["geography code"], path)
    out = pd.DataFrame({"code": codes})
    for c in cols:
        v, marker = to_number(df[c], path, c)
        if (v < 0).any():
            raise DataError(path, f"column '{c}' has a negative count")
        out[c] = v
    return out


def _table_cols(table: str) -> list[str]:
    """Every column any indicator reads from ``table``."""
    return sorted({c for t, n, d in TABLES.values() if t == table for c in [*n, *([d] if d else [])]})


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    frames = []
    cache: dict[tuple[str, str], pd.DataFrame] = {}
    for ind, (table, num_cols, den_col) in TABLES.items():
        key = (table, "lsoa")
        if key not in cache:
            cache[key] = _read(raw, table, "lsoa", _table_cols(table), r"[EW]01\d{6}")
            missing = sorted(set(geo.lu_lsoa21_ward["lsoa"]) - set(cache[key]["code"]))
            if missing:
                path = raw / f"{DIR}/census2021-{table}-lsoa.csv"
                raise DataError(path, f"{len(missing)} LSOAs missing, e.g. '{missing[0]}' (file truncated?)")
        lsoa = cache[key]
        blocks = pd.DataFrame({"lsoa": lsoa["code"], "num": lsoa[num_cols].sum(axis=1, min_count=1)})
        blocks["den"] = lsoa[den_col] if den_col else float("nan")
        blocks = blocks.merge(geo.lu_lsoa21_ward[["lsoa", "authority_code"]], on="lsoa")
        ward = sum_counts(blocks, geo.lu_lsoa21_ward, ["num", "den"])
        parts = [
            (blocks.rename(columns={"lsoa": "geo_code"})[["geo_code", "num", "den"]], 2021, "published"),
            (ward, CURRENT, "aggregated"),
        ]
        summed = blocks.groupby("authority_code", as_index=False)[["num", "den"]].sum(min_count=1)
        summed = summed.rename(columns={"authority_code": "geo_code"})
        if table in LTLA_TABLES:
            if (table, "ltla") not in cache:
                cache[(table, "ltla")] = _read(raw, table, "ltla", _table_cols(table), r"[EW]0[6-9]\d{6}")
            lt = cache[(table, "ltla")]
            lad = pd.DataFrame({"geo_code": lt["code"], "num": lt[num_cols].sum(axis=1), "den": lt[den_col]})
            # Published for the 2021 authorities; the unitaries formed since (Cumberland,
            # Westmorland and Furness, North Yorkshire, Somerset) are summed from their LSOAs.
            # Authorities whose boundaries moved since 2021 are summed too (published is another area).
            current = set(geo.authorities["authority_code"]) - geo.authorities_reshaped
            pub = lad[lad["geo_code"].isin(current)]
            agg = summed[~summed["geo_code"].isin(pub["geo_code"])]
            parts += [(pub, CURRENT, "published"), (agg, CURRENT, "aggregated")]
            authorities = pd.concat([pub, agg], ignore_index=True)
        else:
            parts.append((summed, CURRENT, "aggregated"))
            authorities = summed
        # Regions and countries: sums of their authorities' figures (as published where published).
        a = authorities.merge(geo.authorities, left_on="geo_code", right_on="authority_code")
        wide = pd.concat(
            [
                a[a["region_code"].str.startswith("E12")].groupby("region_code")[["num", "den"]].sum(min_count=1),
                a.groupby("country_code")[["num", "den"]].sum(min_count=1),
            ]
        )
        parts.append((wide.rename_axis("geo_code").reset_index(), CURRENT, "aggregated"))
        for df, vintage, method in parts:
            if den_col:
                value = (100 * df["num"] / df["den"]).round(2)
                den = df["den"]
            else:
                value, den = df["num"], float("nan")
            frames.append(
                obs_frame(
                    indicator_id=ind,
                    geo_code=df["geo_code"].to_numpy(),
                    vintage=vintage,
                    period="2021",
                    period_start=pd.Timestamp(2021, 3, 21),
                    value=value.to_numpy(),
                    numerator=df["num"].to_numpy(),
                    denominator=den if isinstance(den, float) else den.to_numpy(),
                    method=method,
                    status="final",
                    source_id=SOURCE_ID,
                )
            )
    return pd.concat(frames, ignore_index=True)
