"""Geography tables of the extract: areas, simplified boundaries, crosswalks and apportionments."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from wardgaps.ingest.common import ENGLAND, LONDON
from wardgaps.ingest.geo import SIMPLIFY_M, Geo, area_ha, simplify_coverage, to_geojson

XWALK_COLUMNS = ["from_code", "from_vintage", "to_code", "to_vintage", "weight", "weight_basis"]


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


def _areas(codes: pd.Series, names: pd.Series, gtype: str, vintage: int, borough: pd.Series | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geo_code": codes.to_numpy(),
            "geo_name": names.to_numpy(),
            "geo_type": gtype,
            "vintage": vintage,
            "borough_code": borough.to_numpy() if borough is not None else None,
        }
    )


def geography_tables(geo: Geo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Geographies and simplified boundaries (simplified here, once, never per request)."""
    geos, bounds = [], []
    sets: list[tuple[gpd.GeoDataFrame, str, int, float]] = [
        (geo.wards22, "ward", 2022, SIMPLIFY_M["ward"]),
        (geo.wards18, "ward", 2018, SIMPLIFY_M["ward"]),
        (geo.wards14, "ward", 2014, SIMPLIFY_M["ward"]),
        (geo.lsoa21, "lsoa", 2021, SIMPLIFY_M["lsoa"]),
        (geo.lsoa11, "lsoa", 2011, SIMPLIFY_M["lsoa"]),
    ]
    for g, gtype, vintage, tol in sets:
        geos.append(_areas(g["geo_code"], g["geo_name"], gtype, vintage, g["borough_code"]))
        simple = simplify_coverage(g, tol)
        bounds.append(_bounds(g["geo_code"], vintage, simple, area_ha(g)))
        if gtype == "ward" and vintage == 2022:
            boro = (
                gpd.GeoDataFrame({"borough_code": g["borough_code"]}, geometry=simple.values, crs=simple.crs)
                .dissolve("borough_code")
                .reset_index()
            )
    # MSOAs carry no boundary: they are here only as the inputs of apportioned UC estimates.
    m = geo.msoa11
    geos.append(_areas(m["geo_code"], m["geo_name"], "msoa", 2011, m["borough_code"]))
    b = geo.boroughs
    geos.append(_areas(b["borough_code"], b["borough_name"], "borough", 2022, b["borough_code"]))
    geos.append(
        _areas(pd.Series([LONDON, ENGLAND]), pd.Series(["London", "England"]), "region", 2022, None).assign(
            geo_type=["region", "country"]
        )
    )
    bounds.append(_bounds(boro["borough_code"], 2022, boro.geometry, area_ha(boro)))
    return pd.concat(geos, ignore_index=True), pd.concat(bounds, ignore_index=True)


def crosswalk_table(geo: Geo) -> pd.DataFrame:
    """The best-fit lookups behind aggregated ward values, and every weight set the adapters
    recorded while apportioning (call after the adapters have run)."""
    best_fit = [
        (geo.lu_lsoa11_ward14, 2011, 2014, "best fit (whole LSOAs), LSOA 2011 to ward 2014"),
        (geo.lu_lsoa11_ward18, 2011, 2018, "ONS best fit (whole LSOAs), LSOA 2011 to ward 2019"),
        (geo.lu_lsoa21_ward22, 2021, 2022, "ONS best fit (whole LSOAs)"),
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
    cols = ["indicator_id", "period", "from_vintage", "to_vintage", "weight_basis"]
    return pd.DataFrame(geo.weight_uses, columns=cols).drop_duplicates()
