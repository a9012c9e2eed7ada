"""Geography: boundaries (simplified once, at build time) and the ward lookup; the LSOA lookups,
weights and crosswalks are in :mod:`wardgaps.ingest.lookups`.

Everything here reads the raw mirror through :mod:`wardgaps.ingest.common` so that a broken
file is refused with its name and the rule it broke.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from wardgaps.ingest.common import (
    CITY_OF_LONDON,
    WALES,
    DataError,
    check_codes,
    check_unique,
    read_csv,
)
from wardgaps.ingest.geo_files import F_LSOA11, F_LSOA21_EW, F_WARD_LU24, F_WARDS14, F_WARDS18, F_WARDS24
from wardgaps.ingest.lookups import Lookups
from wardgaps.ingest.msoa_lookups import MsoaLookups
from wardgaps.ingest.overlap import OverlapLookups

BNG = CRS.from_epsg(27700)
WGS84 = CRS.from_epsg(4326)

# Simplification tolerance in metres (British National Grid), applied once per build.
SIMPLIFY_M = {"ward": 12.0, "lsoa": 8.0}
# London's extent, used to catch a geometry file whose CRS is not what it says.
LONDON_BOUNDS_BNG = (500_000, 150_000, 565_000, 205_000)
LONDON_BOUNDS_WGS = (-0.52, 51.28, 0.34, 51.70)
# England and Wales (with the Isles of Scilly), for the national files.
EW_BOUNDS_WGS = (-6.45, 49.86, 1.77, 55.82)


def _read_geo(path: Path, expected: CRS, code_col: str, national: bool = False) -> gpd.GeoDataFrame:
    """Read a boundary file and refuse it unless its CRS and extent are what the source says.

    A ``.gz`` file is read in place from memory (no unpacked copy, nothing written beside it).
    """
    if not path.is_file():
        raise DataError(path, "file missing")
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                g = gpd.read_file(io.BytesIO(f.read()))
        else:
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
    bounds = EW_BOUNDS_WGS if national else LONDON_BOUNDS_BNG if expected == BNG else LONDON_BOUNDS_WGS
    x0, y0, x1, y1 = g.total_bounds
    pad = 0.1 if expected == WGS84 else 10_000
    if x0 < bounds[0] - pad or y0 < bounds[1] - pad or x1 > bounds[2] + pad or y1 > bounds[3] + pad:
        where = "England and Wales" if national else "London"
        raise DataError(path, f"coordinates fall outside {where} for the stated CRS")
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
class Geo(Lookups, MsoaLookups, OverlapLookups):
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
    def ward_lookup(self) -> pd.DataFrame:
        """ONS ward (May 2024) -> authority -> region -> country, England and Wales.

        Welsh wards have no region: Wales as a whole stands in for it (the issue's comparator set).
        """
        path = self.p(F_WARD_LU24)
        cols = ["WD24CD", "WD24NM", "LAD24CD", "LAD24NM", "RGN24CD", "RGN24NM", "CTRY24CD", "CTRY24NM"]
        df = read_csv(path, required=cols)
        df = df[df["CTRY24CD"].isin(["E92000001", WALES])].copy()
        check_unique(df, ["WD24CD"], path)
        wales = df["CTRY24CD"] == WALES
        df.loc[wales, "RGN24CD"] = WALES
        df.loc[wales, "RGN24NM"] = "Wales"
        if df["RGN24CD"].isna().any():
            raise DataError(path, f"ward '{df.loc[df['RGN24CD'].isna(), 'WD24CD'].iloc[0]}' has no region")
        return df.rename(
            columns={
                "WD24CD": "geo_code",
                "WD24NM": "geo_name",
                "LAD24CD": "authority_code",
                "LAD24NM": "authority_name",
                "RGN24CD": "region_code",
                "RGN24NM": "region_name",
                "CTRY24CD": "country_code",
                "CTRY24NM": "country_name",
            }
        )[WARD_LOOKUP_COLUMNS].reset_index(drop=True)

    @cached_property
    def wards(self) -> gpd.GeoDataFrame:
        """The current wards of England and Wales (May 2024), checked against the ONS lookup."""
        path = self.p(F_WARDS24)
        g = _read_geo(path, WGS84, "ward_code", national=True)
        g = g.rename(columns={"ward_code": "geo_code", "ward_name": "geo_name", "lad_code": "authority_code"})
        check_codes(g["geo_code"], r"[EW]05\d{6}", path, "ward_code")
        check_unique(g, ["geo_code"], path)
        lu = self.ward_lookup.set_index("geo_code")
        unknown = ~g["geo_code"].isin(lu.index)
        if unknown.any():
            raise DataError(path, f"ward '{g.loc[unknown, 'geo_code'].iloc[0]}' is not in the ONS ward lookup")
        missing = sorted(set(lu.index) - set(g["geo_code"]))
        if missing:
            raise DataError(path, f"{len(missing)} wards of the ONS lookup have no boundary, e.g. '{missing[0]}'")
        wrong = g["authority_code"].to_numpy() != lu.loc[g["geo_code"], "authority_code"].to_numpy()
        if wrong.any():
            raise DataError(path, f"ward '{g.loc[wrong, 'geo_code'].iloc[0]}' is in another authority in the lookup")
        g = g.join(lu[["region_code", "country_code"]], on="geo_code")
        cols = ["geo_code", "geo_name", "authority_code", "region_code", "country_code", "geometry"]
        return g[cols].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def london_wards(self) -> gpd.GeoDataFrame:
        """London's current wards (the May-2022 set, unchanged in May 2024)."""
        return self.wards[self.wards["authority_code"].str.startswith("E09")].reset_index(drop=True)

    @cached_property
    def authorities(self) -> pd.DataFrame:
        """The 318 local authorities of England and Wales, with region, country and kind."""
        lu = self.ward_lookup
        a = lu.drop_duplicates("authority_code")[
            ["authority_code", "authority_name", "region_code", "region_name", "country_code", "country_name"]
        ]
        check_unique(lu.drop_duplicates(["authority_code", "region_code"]), ["authority_code"], self.p(F_WARD_LU24))
        a = a.assign(kind=a["authority_code"].str[:3].map(AUTHORITY_KINDS))
        return a.sort_values("authority_code").reset_index(drop=True)

    def _gla_wards(self, rel: str, code: str, name: str, authority: str) -> gpd.GeoDataFrame:
        path = self.p(rel)
        g = _read_geo(path, BNG, code)
        g = g.rename(columns={code: "geo_code", name: "geo_name", authority: "authority_code"})
        # These "CityMerged" layers hold the whole City of London as one feature: coded as the
        # authority in 2014, but under one ward's code in 2018 (Castle Baynard, E05009297, 314.9 ha
        # where the real ward is about 25 ha). Neither is a ward, so the City has no wards here.
        city = g["authority_code"] == CITY_OF_LONDON
        for _, r in g[city & g["geo_code"].str.startswith("E05")].iterrows():
            self.log.append(
                f"{path.name}: the whole City of London is one feature coded {r['geo_code']} ({r['geo_name']}); "
                "left out, so City of London figures on these pre-2022 wards are missing"
            )
        g = g[g["geo_code"].str.startswith("E05") & ~city]
        check_unique(g, ["geo_code"], path)
        return g[["geo_code", "geo_name", "authority_code", "geometry"]].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def wards14(self) -> gpd.GeoDataFrame:
        return self._gla_wards(F_WARDS14, "GSS_Code", "Name", "LB_GSS_Code")

    @cached_property
    def wards18(self) -> gpd.GeoDataFrame:
        return self._gla_wards(F_WARDS18, "GSS_CODE", "NAME", "LAGSSCODE")

    @cached_property
    def lsoa21(self) -> gpd.GeoDataFrame:
        """Every LSOA 2021 of England and Wales, with its authority from the LSOA-to-ward lookup."""
        path = self.p(F_LSOA21_EW)
        g = _read_geo(path, WGS84, "lsoa21_code", national=True)
        g = g.rename(columns={"lsoa21_code": "geo_code", "lsoa21_name": "geo_name"})
        check_unique(g, ["geo_code"], path)
        boro = self.lu_lsoa21_ward.set_index("lsoa")["authority_code"]
        g["authority_code"] = g["geo_code"].map(boro)
        if g["authority_code"].isna().any():
            raise DataError(path, f"LSOA '{g.loc[g['authority_code'].isna(), 'geo_code'].iloc[0]}' is in no ward")
        return g[["geo_code", "geo_name", "authority_code", "geometry"]].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def lsoa11(self) -> gpd.GeoDataFrame:
        path = self.p(F_LSOA11)
        g = _read_geo(path, BNG, "LSOA11CD")
        g = g.rename(columns={"LSOA11CD": "geo_code", "LSOA11NM": "geo_name", "LAD11CD": "authority_code"})
        check_unique(g, ["geo_code"], path)
        cols = ["geo_code", "geo_name", "authority_code", "MSOA11CD", "MSOA11NM", "USUALRES", "geometry"]
        return g[cols].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def msoa11(self) -> pd.DataFrame:
        """MSOAs (2011) with names and authorities, from the LSOA 2011 boundary file's attributes."""
        m = self.lsoa11[["MSOA11CD", "MSOA11NM", "authority_code"]].drop_duplicates("MSOA11CD")
        m = m.rename(columns={"MSOA11CD": "geo_code", "MSOA11NM": "geo_name"})
        return m.sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def london_boroughs(self) -> pd.DataFrame:
        """London's boroughs (and the City), for the London-only sources that name them."""
        a = self.authorities
        return a[a["authority_code"].str.startswith("E09")][["authority_code", "authority_name"]].reset_index(drop=True)


AUTHORITY_KINDS = {
    "E06": "unitary authority",
    "E07": "shire district",
    "E08": "metropolitan district",
    "E09": "London borough",
    "W06": "Welsh principal area",
}
WARD_LOOKUP_COLUMNS = [
    "geo_code",
    "geo_name",
    "authority_code",
    "authority_name",
    "region_code",
    "region_name",
    "country_code",
    "country_name",
]
