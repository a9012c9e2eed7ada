"""Similar wards ("statistical neighbours" for wards), worked out at build time.

Every current ward (May 2024) is described by eight structural characteristics from Census 2021,
summed from its LSOAs with the same ONS best-fit lookup the Census adapter uses: its age structure
(shares aged 0-14, 15-24 and 65+), its housing tenure (shares of households owning, renting
socially and renting privately), its built form (share of households in flats) and its population
density (residents per hectare of the ward's area, on a log scale). None is an outcome the Similar
wards page compares (child poverty, deprivation, overcrowding): the tenure and flats indicators,
which the app also shows, are left out of that comparison (``characteristics.indicator_id``).

Each characteristic is standardised across every ward that has all eight (z-scores: the
population standard deviation, ddof = 0), and the distance between two wards is the standardised
Euclidean distance, sqrt(sum over characteristics of (z_a - z_b)^2): every characteristic counts
equally. A ward's neighbours are the 10 nearest wards in OTHER authorities (a council already
compares its own wards), ties broken by ward code. Wards that receive no LSOA have no
characteristics and no neighbours.

Similar authorities are found the same way, one level up: each authority's eight characteristics
are its wards' numerators summed over its wards' denominators (residents per hectare: its
residents over its wards' summed area), standardised across every authority of England and Wales,
and its neighbours are the 10 nearest other authorities (ties broken by authority code).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest import census
from wardgaps.ingest.aggregate import sum_counts
from wardgaps.ingest.common import CURRENT, DataError
from wardgaps.ingest.geo import Geo

N_NEIGHBOURS = 10
CHUNK = 128  # rows of the distance matrix worked out at once (128 x 7,544 x 8 doubles: 60 MB)


@dataclass(frozen=True)
class Characteristic:
    characteristic: str
    label: str
    unit: str
    transform: str  # "log" (natural log before standardising) or "none"
    table: str
    numerator: tuple[str, ...]
    denominator: str  # a column of the table, or "area_ha" (the ward's area)
    indicator_id: str | None  # the app's indicator it repeats (left out of the comparison)
    why: str


_A, _T, _F = census.AGE, census.P, census.A
_AGE_TOTAL = f"{_A}Total"
_HH_TENURE = f"{_T}Total: All households"
CHARACTERISTICS = (
    Characteristic(
        "age_0_14",
        "Aged 0-14 (% of residents)",
        "%",
        "none",
        "ts007a",
        (f"{_A}Aged 4 years and under", f"{_A}Aged 5 to 9 years", f"{_A}Aged 10 to 14 years"),
        _AGE_TOTAL,
        None,
        "families with children",
    ),
    Characteristic(
        "age_15_24",
        "Aged 15-24 (% of residents)",
        "%",
        "none",
        "ts007a",
        (f"{_A}Aged 15 to 19 years", f"{_A}Aged 20 to 24 years"),
        _AGE_TOTAL,
        None,
        "students and young adults",
    ),
    Characteristic(
        "age_65_plus",
        "Aged 65+ (% of residents)",
        "%",
        "none",
        "ts007a",
        tuple(
            f"{_A}{b}"
            for b in (
                "Aged 65 to 69 years",
                "Aged 70 to 74 years",
                "Aged 75 to 79 years",
                "Aged 80 to 84 years",
                "Aged 85 years and over",
            )
        ),
        _AGE_TOTAL,
        None,
        "older residents",
    ),
    Characteristic(
        "owner_occupied",
        "Owner-occupied (% of households)",
        "%",
        "none",
        "ts054",
        (f"{_T}Owned",),
        _HH_TENURE,
        "owner_occupied_households",
        "housing tenure",
    ),
    Characteristic(
        "social_rented",
        "Social rented (% of households)",
        "%",
        "none",
        "ts054",
        (f"{_T}Social rented",),
        _HH_TENURE,
        "social_rented_households",
        "housing tenure",
    ),
    Characteristic(
        "private_rented",
        "Private rented (% of households)",
        "%",
        "none",
        "ts054",
        (f"{_T}Private rented",),
        _HH_TENURE,
        "private_rented_households",
        "housing tenure",
    ),
    Characteristic(
        "flats",
        "In flats (% of households)",
        "%",
        "none",
        "ts044",
        tuple(census.TABLES["flats_share"][1]),
        census.TABLES["flats_share"][2] or "",
        "flats_share",
        "built form",
    ),
    Characteristic(
        "density",
        "Residents per hectare",
        "per ha",
        "log",
        "ts007a",
        (_AGE_TOTAL,),
        "area_ha",
        None,
        "urban or rural (log scale: a doubling counts the same in a village as in a city)",
    ),
)
CHAR_COLUMNS = ["geo_code", "vintage", "characteristic", "value", "numerator", "denominator", "z"]
SIMILAR_COLUMNS = ["geo_code", "vintage", "rank", "neighbour_code", "distance"]
SCALE = {c.characteristic: (100.0 if c.unit == "%" else 1.0) for c in CHARACTERISTICS}


def characteristics_table() -> pd.DataFrame:
    """The characteristics themselves (one row each): label, unit, transform, source, why."""
    return pd.DataFrame(
        [
            {
                "characteristic": c.characteristic,
                "label": c.label,
                "unit": c.unit,
                "transform": c.transform,
                "source_table": c.table.upper(),
                "indicator_id": c.indicator_id,
                "why": c.why,
                "position": i,
            }
            for i, c in enumerate(CHARACTERISTICS, start=1)
        ]
    )


def ward_counts(raw: Path, geo: Geo, area_ha: pd.Series) -> pd.DataFrame:
    """Numerator and denominator of every characteristic for every ward with LSOAs (long)."""
    tables: dict[str, pd.DataFrame] = {}
    for name in sorted({c.table for c in CHARACTERISTICS}):  # each file read once, every column it gives
        cols = {x for c in CHARACTERISTICS if c.table == name for x in (*c.numerator, c.denominator)}
        tables[name] = census._read(raw, name, "lsoa", sorted(cols - {"area_ha"}), r"[EW]01\d{6}")
    frames = []
    for c in CHARACTERISTICS:
        lsoa = tables[c.table]
        blocks = pd.DataFrame({"lsoa": lsoa["code"], "num": lsoa[list(c.numerator)].sum(axis=1, min_count=1)})
        blocks["den"] = lsoa[c.denominator] if c.denominator != "area_ha" else np.nan
        ward = sum_counts(blocks, geo.lu_lsoa21_ward, ["num", "den"])
        if c.denominator == "area_ha":
            ward["den"] = ward["geo_code"].map(area_ha)
        bad = ward["den"].isna() | (ward["den"] <= 0)
        if bad.any():
            what = "area" if c.denominator == "area_ha" else "total"
            code = ward.loc[bad, "geo_code"].iloc[0]
            raise DataError(f"census2021-{c.table}-lsoa.csv", f"ward '{code}' has no {what} for {c.characteristic}")
        frames.append(ward.assign(characteristic=c.characteristic))
    return pd.concat(frames, ignore_index=True)


def standardise(values: pd.DataFrame) -> pd.DataFrame:
    """z-scores of each characteristic over every ward that has them all (log first where the
    characteristic says so; population standard deviation). ``values``: geo_code, characteristic,
    value (long); returns it with ``z`` (rounded to 6 decimals), wards with a gap dropped."""
    wide = values.pivot(index="geo_code", columns="characteristic", values="value")
    wide = wide.dropna()
    out = []
    for c in CHARACTERISTICS:
        x = wide[c.characteristic].astype(float)
        if c.transform == "log":
            x = np.log(x)
        z = (x - x.mean()) / x.std(ddof=0)
        out.append(pd.DataFrame({"geo_code": wide.index, "characteristic": c.characteristic, "z": z.round(6)}))
    return values.merge(pd.concat(out, ignore_index=True), on=["geo_code", "characteristic"], how="inner")


def neighbours(z: pd.DataFrame, authority: pd.Series, k: int = N_NEIGHBOURS) -> pd.DataFrame:
    """The ``k`` nearest wards in other authorities, by standardised Euclidean distance on the
    stored z-scores, ties broken by ward code. ``z``: geo_code, characteristic, z (long);
    ``authority``: ward code -> authority code."""
    order = [c.characteristic for c in CHARACTERISTICS]
    wide = z.pivot(index="geo_code", columns="characteristic", values="z")[order].sort_index()
    codes = wide.index.to_numpy()
    Z = wide.to_numpy(dtype=float)
    la = authority.reindex(codes).to_numpy()
    rows = []
    for start in range(0, len(codes), CHUNK):
        block = Z[start : start + CHUNK]
        d = np.sqrt(((block[:, None, :] - Z[None, :, :]) ** 2).sum(axis=2))
        # rounded before ranking, so equal distances tie exactly and the ward code decides
        d = np.round(d, 6)
        d[la[start : start + CHUNK, None] == la[None, :]] = np.inf  # itself and its own authority
        for i, row in enumerate(d):
            nearest = np.argsort(row, kind="stable")[:k]  # stable: codes are sorted, ties go by code
            rows += [(codes[start + i], r, codes[j], row[j]) for r, j in enumerate(nearest, start=1)]
    out = pd.DataFrame(rows, columns=["geo_code", "rank", "neighbour_code", "distance"])
    return out.assign(vintage=CURRENT)[SIMILAR_COLUMNS]


def similar_tables(raw: Path, geo: Geo, bounds: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(characteristics, ward_characteristics, similar_wards) for the current wards."""
    cur = bounds[bounds["vintage"] == CURRENT]
    wards = geo.wards.set_index("geo_code")
    area = cur.set_index("geo_code")["area_ha"].reindex(wards.index)
    counts = ward_counts(raw, geo, area)
    scale = counts["characteristic"].map(SCALE)
    # Stored rounded; the z-scores and distances are worked out from the stored values, so anyone
    # can recompute them from the extract.
    counts["value"] = (scale * counts["num"] / counts["den"]).round(4)
    long = standardise(counts.rename(columns={"num": "numerator", "den": "denominator"}))
    long = long.assign(vintage=CURRENT)[CHAR_COLUMNS]
    near = neighbours(long, wards["authority_code"])
    return characteristics_table(), long, near


def similar_authorities(ward_chars: pd.DataFrame, authority: pd.Series) -> pd.DataFrame:
    """The 10 nearest other authorities of every authority, on the characteristics of its wards
    summed (numerators over denominators), standardised across authorities; ties broken by code.
    ``ward_chars``: ward_characteristics rows (geo_code, characteristic, numerator, denominator);
    ``authority``: ward code -> authority code."""
    a = ward_chars.assign(geo_code=ward_chars["geo_code"].map(authority))
    a = a.groupby(["geo_code", "characteristic"], as_index=False)[["numerator", "denominator"]].sum()
    a["value"] = (a["characteristic"].map(SCALE) * a["numerator"] / a["denominator"]).round(4)
    z = standardise(a)
    codes = pd.Series(z["geo_code"].unique())
    # each authority is its own "authority", so only itself is left out
    return neighbours(z, pd.Series(codes.to_numpy(), index=codes.to_numpy()))
