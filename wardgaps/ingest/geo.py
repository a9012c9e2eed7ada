"""Geography: boundaries (simplified once, at build time), lookups and crosswalks.

Everything here reads the raw mirror through :mod:`wardgaps.ingest.common` so that a broken
file is refused with its name and the rule it broke.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from wardgaps.ingest.common import CITY_OF_LONDON, DataError, check_codes, check_unique, read_csv, to_number

BNG = CRS.from_epsg(27700)
WGS84 = CRS.from_epsg(4326)

# Simplification tolerance in metres (British National Grid), applied once per build.
SIMPLIFY_M = {"ward": 12.0, "lsoa": 8.0}
# London's extent, used to catch a geometry file whose CRS is not what it says.
LONDON_BOUNDS_BNG = (500_000, 150_000, 565_000, 205_000)
LONDON_BOUNDS_WGS = (-0.52, 51.28, 0.34, 51.70)

F_WARDS22 = "ons_wards_dec2022_bsc/converted/wards_dec2022_london_bsc.gpkg"
F_WARDS14 = "gla_london_wards_2014/converted/London_Ward_CityMerged_2014.gpkg"
F_WARDS18 = "gla_london_wards_2018/converted/London_Ward_CityMerged_2018.gpkg"
F_LSOA21 = "ons_lsoa_dec2021_bsc/converted/lsoa_dec2021_london_bsc.gpkg"
F_LSOA11 = "gla_lsoa_2011_london/LSOA_2011_London_gen_MHW.shp"
F_LU_LSOA21_WD22 = (
    "ons_lookup_lsoa21_wd25_lad25/LSOA_(2021)_to_Electoral_Ward_(2025)_to_LAD_(2025)_Best_Fit_Lookup_in_EW_v2.csv"
)
F_LU_LSOA11_WD22_W = "gla_small_area_backseries_lookups/LSOA_2011_London_Ward_2022_London_combined.csv"
F_LU_LSOA11_WD14 = "geographr_lookups/converted/lookup_lsoa11_ward17.csv.gz"
F_LU_LSOA11_WD18 = "ons_lookup_lsoa11_wd19_lad19/LSOA11_WD19_LAD19_EW_LU.csv"
F_POP20_LSOA11 = "humaniverse_demographr_population/converted/population20_lsoa11_london.csv.gz"
F_TS007A = "nomis_census2021_bulk_lsoa/census2021-ts007a-lsoa.csv"


def _read_geo(path: Path, expected: CRS, code_col: str) -> gpd.GeoDataFrame:
    """Read a boundary file and refuse it unless its CRS and extent are what the source says."""
    if not path.is_file():
        raise DataError(path, "file missing")
    try:
        g = gpd.read_file(path)
    except Exception as e:  # GDAL errors for damaged files
        raise DataError(path, f"cannot be read as a geometry file ({type(e).__name__})") from e
    if code_col not in g.columns:
        raise DataError(path, f"column '{code_col}' missing")
    if g.crs is None:
        raise DataError(path, "no coordinate reference system")
    crs = CRS(g.crs)
    same = crs.equals(expected) or crs.to_epsg(min_confidence=20) == expected.to_epsg()
    if not same:
        raise DataError(path, f"wrong CRS {crs.to_string()} (expected EPSG:{expected.to_epsg()})")
    g = g.set_crs(expected, allow_override=True)
    bounds = LONDON_BOUNDS_BNG if expected == BNG else LONDON_BOUNDS_WGS
    x0, y0, x1, y1 = g.total_bounds
    pad = 0.1 if expected == WGS84 else 10_000
    if x0 < bounds[0] - pad or y0 < bounds[1] - pad or x1 > bounds[2] + pad or y1 > bounds[3] + pad:
        raise DataError(path, "coordinates fall outside London for the stated CRS")
    return g


def simplify_coverage(g: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Coverage-preserving simplification in BNG (shared edges stay shared), returned in EPSG:4326."""
    bng = g.to_crs(BNG)
    # "structure" keeps polygons polygonal (no stray lines), which coverage simplification needs.
    geoms = shapely.make_valid(bng.geometry.values, method="structure", keep_collapsed=False)
    simple = shapely.coverage_simplify(geoms, tolerance_m)
    out = gpd.GeoSeries(simple, crs=BNG).to_crs(WGS84)
    return gpd.GeoSeries(shapely.set_precision(out.values, 1e-5), crs=WGS84, index=g.index)


def to_geojson(geom: shapely.Geometry) -> str:
    return json.dumps(shapely.geometry.mapping(geom), separators=(",", ":"))


def area_ha(g: gpd.GeoDataFrame) -> np.ndarray:
    return np.round(g.to_crs(BNG).geometry.area.to_numpy() / 10_000, 2)


@dataclass
class Geo:
    """Lazily loaded geography for one build (each file read at most once)."""

    raw: Path
    log: list[str] = field(default_factory=list)
    # Every weight set an adapter used to apportion figures, by basis, and which (indicator,
    # period) used which: stored in the extract so the data contract can re-apply them.
    weight_sets: dict[str, pd.DataFrame] = field(default_factory=dict)
    weight_uses: list[dict[str, object]] = field(default_factory=list)

    def record_weights(
        self, basis: str, weights: pd.DataFrame, from_vintage: int, to_vintage: int, uses: list[tuple[str, str]]
    ) -> None:
        """Keep one weight set (``from_code``, ``to_code``, ``weight``: to-area value = Σ weight ×
        from-area value) and the (indicator, period) series made with it."""
        if basis not in self.weight_sets:
            w = weights[["from_code", "to_code", "weight"]].copy()
            self.weight_sets[basis] = w.assign(from_vintage=from_vintage, to_vintage=to_vintage, weight_basis=basis)
        for ind, period in uses:
            self.weight_uses.append(
                {
                    "indicator_id": ind,
                    "period": period,
                    "from_vintage": from_vintage,
                    "to_vintage": to_vintage,
                    "weight_basis": basis,
                }
            )

    def p(self, rel: str) -> Path:
        path = self.raw / rel
        if not path.is_file():
            raise DataError(path, "file missing")
        return path

    # --- boundaries -------------------------------------------------------------------------
    @cached_property
    def wards22(self) -> gpd.GeoDataFrame:
        path = self.p(F_WARDS22)
        g = _read_geo(path, WGS84, "ward22_code")
        g = g.rename(columns={"ward22_code": "geo_code", "ward22_name": "geo_name", "ltla22_code": "borough_code"})
        check_codes(g["geo_code"], r"E05\d{6}", path, "ward22_code")
        check_unique(g, ["geo_code"], path)
        return g[["geo_code", "geo_name", "borough_code", "geometry"]].sort_values("geo_code").reset_index(drop=True)

    def _gla_wards(self, rel: str, code: str, name: str, borough: str) -> gpd.GeoDataFrame:
        path = self.p(rel)
        g = _read_geo(path, BNG, code)
        g = g.rename(columns={code: "geo_code", name: "geo_name", borough: "borough_code"})
        # These "CityMerged" layers hold the whole City of London as one feature: coded as the
        # borough in 2014, but under one ward's code in 2018 (Castle Baynard, E05009297, 314.9 ha
        # where the real ward is about 25 ha). Neither is a ward, so the City has no wards here.
        city = g["borough_code"] == CITY_OF_LONDON
        for _, r in g[city & g["geo_code"].str.startswith("E05")].iterrows():
            self.log.append(
                f"{path.name}: the whole City of London is one feature coded {r['geo_code']} ({r['geo_name']}); "
                "left out, so City of London figures on these pre-2022 wards are missing"
            )
        g = g[g["geo_code"].str.startswith("E05") & ~city]
        check_unique(g, ["geo_code"], path)
        return g[["geo_code", "geo_name", "borough_code", "geometry"]].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def wards14(self) -> gpd.GeoDataFrame:
        return self._gla_wards(F_WARDS14, "GSS_Code", "Name", "LB_GSS_Code")

    @cached_property
    def wards18(self) -> gpd.GeoDataFrame:
        return self._gla_wards(F_WARDS18, "GSS_CODE", "NAME", "LAGSSCODE")

    @cached_property
    def lsoa21(self) -> gpd.GeoDataFrame:
        path = self.p(F_LSOA21)
        g = _read_geo(path, WGS84, "lsoa21_code")
        g = g.rename(columns={"lsoa21_code": "geo_code", "lsoa21_name": "geo_name", "ltla22_code": "borough_code"})
        check_unique(g, ["geo_code"], path)
        return g[["geo_code", "geo_name", "borough_code", "geometry"]].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def lsoa11(self) -> gpd.GeoDataFrame:
        path = self.p(F_LSOA11)
        g = _read_geo(path, BNG, "LSOA11CD")
        g = g.rename(columns={"LSOA11CD": "geo_code", "LSOA11NM": "geo_name", "LAD11CD": "borough_code"})
        check_unique(g, ["geo_code"], path)
        cols = ["geo_code", "geo_name", "borough_code", "MSOA11CD", "MSOA11NM", "USUALRES", "geometry"]
        return g[cols].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def msoa11(self) -> pd.DataFrame:
        """MSOAs (2011) with names and boroughs, from the LSOA 2011 boundary file's attributes."""
        m = self.lsoa11[["MSOA11CD", "MSOA11NM", "borough_code"]].drop_duplicates("MSOA11CD")
        m = m.rename(columns={"MSOA11CD": "geo_code", "MSOA11NM": "geo_name"})
        return m.sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def boroughs(self) -> pd.DataFrame:
        b = self.wards22[["borough_code"]].drop_duplicates()
        names = self.lsoa11[["borough_code", "geo_name"]].copy()
        names["borough_name"] = names["geo_name"].str.replace(r" \d{3}[A-Z]$", "", regex=True)
        names = names.drop_duplicates("borough_code")[["borough_code", "borough_name"]]
        return b.merge(names, on="borough_code", how="left").sort_values("borough_code").reset_index(drop=True)

    # --- lookups ------------------------------------------------------------------------------
    @cached_property
    def lu_lsoa21_ward22(self) -> pd.DataFrame:
        """ONS best fit LSOA 2021 -> ward (2025 = May-2022 wards in London), London only."""
        path = self.p(F_LU_LSOA21_WD22)
        df = read_csv(path, required=["LSOA21CD", "WD25CD", "LAD25CD"])
        df = df[df["LAD25CD"].str.startswith("E09")]
        check_unique(df, ["LSOA21CD"], path)
        unknown = ~df["WD25CD"].isin(self.wards22["geo_code"])
        if unknown.any():
            raise DataError(path, f"unknown ward code '{df.loc[unknown, 'WD25CD'].iloc[0]}'")
        return df.rename(columns={"LSOA21CD": "lsoa", "WD25CD": "ward", "LAD25CD": "borough_code"})[
            ["lsoa", "ward", "borough_code"]
        ].reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward22_weights(self) -> pd.DataFrame:
        """GLA population-weighted LSOA 2011 -> 2022 ward apportionment, all years."""
        path = self.p(F_LU_LSOA11_WD22_W)
        df = read_csv(path, required=["LSOA11CD", "GSS_CODE", "year", "weight"])
        w, _ = to_number(df["weight"], path, "weight")
        y, _ = to_number(df["year"], path, "year")
        out = pd.DataFrame({"lsoa": df["LSOA11CD"], "ward": df["GSS_CODE"], "year": y.astype(int), "weight": w})
        return out[out["weight"] > 0]

    def lsoa11_to_ward22(self, year: int) -> pd.DataFrame:
        df = self.lu_lsoa11_ward22_weights
        return df[df["year"] == year][["lsoa", "ward", "weight"]].reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward14(self) -> pd.DataFrame:
        path = self.p(F_LU_LSOA11_WD14)
        df = read_csv(path, required=["lsoa11_code", "ward17_code"])
        df = df[df["lsoa11_code"].isin(self.lsoa11["geo_code"])]
        # City of London wards are not in the City-merged 2014 set; their LSOAs go to no ward.
        df = df[df["ward17_code"].isin(self.wards14["geo_code"])]
        return df.rename(columns={"lsoa11_code": "lsoa", "ward17_code": "ward"}).reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward18(self) -> pd.DataFrame:
        path = self.p(F_LU_LSOA11_WD18)
        df = read_csv(path, required=["LSOA11CD", "WD19CD", "LAD19CD"])
        df = df[df["LAD19CD"].str.startswith("E09") & df["WD19CD"].isin(self.wards18["geo_code"])]
        return df.rename(columns={"LSOA11CD": "lsoa", "WD19CD": "ward"})[["lsoa", "ward"]].reset_index(drop=True)

    # --- populations (weights) ----------------------------------------------------------------
    @cached_property
    def pop20_lsoa11(self) -> pd.Series:
        path = self.p(F_POP20_LSOA11)
        df = read_csv(path, required=["lsoa11_code", "total_population"])
        v, _ = to_number(df["total_population"], path, "total_population")
        return pd.Series(v.to_numpy(), index=df["lsoa11_code"].to_numpy(), name="pop")

    @cached_property
    def pop21_lsoa21(self) -> pd.Series:
        """Census 2021 usual residents by LSOA 2021, England and Wales (TS007A)."""
        path = self.p(F_TS007A)
        df = read_csv(path, required=["geography code", "Age: Total"])
        v, _ = to_number(df["Age: Total"], path, "Age: Total")
        return pd.Series(v.to_numpy(), index=df["geography code"].to_numpy(), name="pop")

    @cached_property
    def english_lads(self) -> dict[str, str]:
        """Names -> codes of England's 309 local authorities (2021), from the Census LTLA table,
        to total sources that name authorities without codes (Stat-Xplore)."""
        path = self.p("nomis_census2021_bulk_lsoa/census2021-ts011-ltla.csv")
        df = read_csv(path, required=["geography", "geography code"])
        eng = df[df["geography code"].str.match(r"E0[6-9]\d{6}")]
        return dict(zip(eng["geography"], eng["geography code"], strict=True))

    # --- crosswalks ---------------------------------------------------------------------------
    def ward_crosswalk(self, lu_old: pd.DataFrame, year: int) -> pd.DataFrame:
        """Old ward -> 2022 ward weights through LSOAs 2011, weighted by mid-2020 population.

        weight(old -> new) = share of the old ward's population living in the new ward.
        """
        pop = self.pop20_lsoa11.rename("pop")
        w = self.lsoa11_to_ward22(year).merge(lu_old.rename(columns={"ward": "old"}), on="lsoa")
        w = w.join(pop, on="lsoa")
        w["p"] = w["pop"] * w["weight"]
        agg = w.groupby(["old", "ward"], as_index=False)["p"].sum()
        agg["weight"] = agg["p"] / agg.groupby("old")["p"].transform("sum")
        return agg.rename(columns={"old": "from_code", "ward": "to_code"})[["from_code", "to_code", "weight", "p"]]
