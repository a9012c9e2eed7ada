"""Geography tables of the extract: areas, simplified boundaries, crosswalks and apportionments."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from wardgaps import tables
from wardgaps.ingest.common import CURRENT
from wardgaps.ingest.geo import SIMPLIFY_M, Geo, area_ha, simplify_coverage, to_geojson

XWALK_COLUMNS = list(tables.declared()["crosswalks"].columns)


def _bounds(codes: pd.Series, vintage: int, geoms: gpd.GeoSeries, ha: np.ndarray) -> pd.DataFrame:
    """Boundary rows: simplified GeoJSON and a point inside each area (for labels and clicks)."""
    inside = gpd.GeoSeries(geoms, crs="EPSG:4326").representative_point()
    return pd.DataFrame(
        {
            "geo_code": codes.to_numpy(),
            "vintage": vintage,
            "geojson": [to_geojson(s) for s in geoms],
            "area_ha": ha,
            "label_lon": np.round(inside.x.to_numpy(), 5),
            "label_lat": np.round(inside.y.to_numpy(), 5),
        }
    )


def _areas(
    codes: pd.Series,
    names: pd.Series,
    gtype: str,
    vintage: int,
    authority: pd.Series | None,
    region: pd.Series | None = None,
    country: pd.Series | None = None,
) -> pd.DataFrame:
    def col(x: pd.Series | None) -> object:
        return x.to_numpy() if x is not None else None

    return pd.DataFrame(
        {
            "geo_code": codes.to_numpy(),
            "geo_name": names.to_numpy(),
            "geo_type": gtype,
            "vintage": vintage,
            "authority_code": col(authority),
            "region_code": col(region),
            "country_code": col(country),
        }
    )


def geography_tables(geo: Geo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Geographies and simplified boundaries (simplified here, once, never per request).

    The current wards are England's and Wales's (May 2024); the pre-2022 ward sets and LSOA 2011
    are London's; LSOA 2021 covers England and Wales. Authorities are drawn from their wards, so
    a ward and its authority share every edge.
    """
    geos, bounds = [], []
    w = geo.wards
    geos.append(
        _areas(w["geo_code"], w["geo_name"], "ward", CURRENT, w["authority_code"], w["region_code"], w["country_code"])
    )
    simple = simplify_coverage(w, SIMPLIFY_M["ward"])
    bounds.append(_bounds(w["geo_code"], CURRENT, simple, area_ha(w)))
    boro = (
        gpd.GeoDataFrame({"authority_code": w["authority_code"]}, geometry=simple.values, crs=simple.crs)
        .dissolve("authority_code")
        .reset_index()
    )
    sets: list[tuple[gpd.GeoDataFrame, str, int, float]] = [
        (geo.wards18, "ward", 2018, SIMPLIFY_M["ward"]),
        (geo.wards14, "ward", 2014, SIMPLIFY_M["ward"]),
        (geo.lsoa21, "lsoa", 2021, SIMPLIFY_M["lsoa"]),
        (geo.lsoa11, "lsoa", 2011, SIMPLIFY_M["lsoa"]),
    ]
    for g, gtype, vintage, tol in sets:
        geos.append(_areas(g["geo_code"], g["geo_name"], gtype, vintage, g["authority_code"]))
        bounds.append(_bounds(g["geo_code"], vintage, simplify_coverage(g, tol), area_ha(g)))
    n = geo.lsoa11_outside_london
    geos.append(_areas(n["geo_code"], n["geo_name"], "lsoa", 2011, n["authority_code"]))
    # MSOAs carry no boundary: they are here only as the inputs of apportioned estimates (London's
    # from the LSOA 2011 boundary file, the rest from the ONS LSOA-to-MSOA lookup).
    for m in (geo.msoa11, geo.msoa11_outside_london):
        geos.append(_areas(m["geo_code"], m["geo_name"], "msoa", 2011, m["authority_code"]))
    a = geo.authorities
    geos.append(
        _areas(
            a["authority_code"],
            a["authority_name"],
            "authority",
            CURRENT,
            a["authority_code"],
            a["region_code"],
            a["country_code"],
        )
    )
    # English regions, and Wales standing in as the region of Welsh authorities (a country row).
    r = a[a["region_code"].str.startswith("E12")].drop_duplicates("region_code")
    geos.append(
        _areas(r["region_code"], r["region_name"], "region", CURRENT, None, r["region_code"], r["country_code"])
    )
    c = a.drop_duplicates("country_code")
    geos.append(_areas(c["country_code"], c["country_name"], "country", CURRENT, None, None, c["country_code"]))
    bounds.append(_bounds(boro["authority_code"], CURRENT, boro.geometry, area_ha(boro)))
    out = pd.concat(geos, ignore_index=True)
    # Every area inside an authority (older London wards, LSOAs, MSOAs) carries its region and
    # country too, so one query can take every ward or LSOA of a region on any set.
    by = a.set_index("authority_code")
    for col in ("region_code", "country_code"):
        out[col] = out[col].fillna(out["authority_code"].map(by[col]))
    return out, pd.concat(bounds, ignore_index=True)


def crosswalk_table(geo: Geo) -> pd.DataFrame:
    """The best-fit lookups behind aggregated ward values, and every weight set the adapters
    recorded while apportioning (call after the adapters have run)."""
    best_fit = [
        (geo.lu_lsoa11_ward14, 2011, 2014, "best fit (whole LSOAs), LSOA 2011 to ward 2014"),
        (geo.lu_lsoa11_ward18, 2011, 2018, "ONS best fit (whole LSOAs), LSOA 2011 to ward 2019"),
        (geo.lu_lsoa21_ward, 2021, CURRENT, "ONS best fit (whole LSOAs)"),
    ]
    frames = [
        lu.rename(columns={"lsoa": "from_code", "ward": "to_code"}).assign(
            from_vintage=fv, to_vintage=tv, weight=1.0, weight_basis=basis
        )
        for lu, fv, tv, basis in best_fit
    ]
    frames += list(geo.weight_sets.values())
    out = pd.concat([f[XWALK_COLUMNS] for f in frames], ignore_index=True)
    # Rounded so the text of the extract is stable; 1e-10 is far below any stored figure's precision.
    out["weight"] = out["weight"].round(10)
    return out


def apportionment_table(geo: Geo) -> pd.DataFrame:
    """Which stored weight set made each apportioned (indicator, period)."""
    cols = list(tables.declared()["apportionments"].columns)
    return pd.DataFrame(geo.weight_uses, columns=cols).drop_duplicates()
