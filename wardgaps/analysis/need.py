"""Need around places: the council's own places (local layer) against need in the areas around
them, for the community-hubs question "where is need highest, and how far is it from the places
we run?".

For a chosen measure and distance, each place gets the population-weighted mean of the areas
whose representative point lies within that distance: 2021 LSOAs weighted by their Census 2021
population, or, for child poverty (published by ward only), current wards weighted by the
children counted. The areas farthest from every place are listed, highest need first. Distances
are great-circle (haversine) distances between points, worked out here: no network, no tiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps.analysis.catalogue import WARD_VINTAGE, indicator_meta, polarity
from wardgaps.analysis.places import ward_boundaries
from wardgaps.analysis.wards import ward_table
from wardgaps.db import Reader

DISTANCES = {500: "500 m", 1000: "1 km", 1500: "1.5 km", 2000: "2 km", 3000: "3 km"}
EARTH_RADIUS_M = 6_371_008.8  # the mean Earth radius (IUGG)
FARTHEST = 10  # the areas listed as highest need beyond every place's distance
POINT_NOTE = (
    "An area counts as within the distance of a place when its representative point lies within it: a point "
    "inside the area chosen at build time (the label point of its outline), not a population-weighted centroid, "
    "which the raw mirror does not hold. Distances are straight-line (great-circle) distances, not travel routes."
)
PUBLIC_NOTE = (
    "Public view: each place's figure is worked out from the figures shown only: an area whose figure is hidden "
    "to protect small numbers is left out of every mean, and the population (or children) counted is rounded "
    "to the nearest 5, as every count is. A mean over several areas of hundreds of people reveals no small count."
)
# The one ward-level measure offered (published by ward only): child poverty after housing costs.
WARD_INDICATOR = "child_poverty_ahc_dwp"
PLACE_COLUMNS = ["place_id", "name", "kind", "lon", "lat", "authority_code", "authority_name", "published"]


def places(r: Reader, authority_code: str) -> pd.DataFrame:
    """The council's own places in an authority (empty when none are loaded)."""
    if not r.has_local() or not bool(r.query("local_places_present")["present"].iloc[0]):
        return pd.DataFrame(columns=PLACE_COLUMNS)
    df = r.query("local_places", authority_code=authority_code)
    # a place the council has not published is named so wherever it is shown (tables, charts, map)
    if r.public:  # a public extract holds only published places (one made before the flag carries none)
        return df.assign(published=True)
    df["name"] = [n if p else f"{n} (not published)" for n, p in zip(df["name"], df["published"], strict=True)]
    return df


def need_options(r: Reader, authority_code: str) -> pd.DataFrame:
    """The measures of need on offer for the authority, each with a label naming its areas."""
    o = r.query("need_options", authority_code=authority_code, ward_vintage=WARD_VINTAGE, ward_indicator=WARD_INDICATOR)
    o["label"] = [
        f"{r.short_title}, {r.period} ({'by ward' if r.area_level == 'ward' else 'by LSOA'})" for r in o.itertuples()
    ]
    return o


def haversine_m(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distances in metres between points (broadcast: rows by columns)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(x, dtype=float)) for x in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def need_areas(r: Reader, authority_code: str, indicator_id: str, period: str, level: str) -> pd.DataFrame:
    """The authority's areas for the measure: geo_code, geo_name, value, weight, label point,
    outline and ``suppressed`` (a figure hidden in the public view: left out of every mean)."""
    if level == "ward":
        t = ward_table(r, authority_code, indicator_id, period, WARD_VINTAGE)
        b = ward_boundaries(r, authority_code, WARD_VINTAGE)
        a = t[["geo_code", "geo_name", "value", "numerator", "denominator", "suppressed"]].merge(
            b[["geo_code", "geojson", "label_lon", "label_lat"]], on="geo_code"
        )
        a["weight"] = a["denominator"]
    else:
        a = r.query("need_lsoa_values", authority_code=authority_code, indicator_id=indicator_id, period=period)
        a["suppressed"] = a["status"].eq("suppressed")
    return a.reset_index(drop=True)


def _weighted(values: pd.Series, weights: pd.Series) -> tuple[float, float, int]:
    """(weighted mean, total weight, areas) over the areas with both a value and a weight."""
    ok = values.notna() & weights.notna() & (weights > 0)
    w = weights[ok].astype(float)
    if not ok.any():
        return np.nan, 0.0, 0
    return float((values[ok].astype(float) * w).sum() / w.sum()), float(w.sum()), int(ok.sum())


def need_around_places(
    r: Reader,
    authority_code: str,
    indicator_id: str,
    period: str,
    level: str,
    distance_m: int,
    kind: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """For each place (of ``kind``, or all): the weighted mean of the areas within ``distance_m``.

    Returns (per place: name, kind, value, weight, areas, hidden; the areas with their nearest
    place and distance to it and ``within``; the farthest list: the highest-need areas beyond the
    distance of every place, at most :data:`FARTHEST`, with their distance to the nearest place).
    "Highest need" follows the measure's polarity: lowest first where higher is better."""
    meta = indicator_meta(r, indicator_id) or {}
    p = places(r, authority_code)
    if kind is not None:
        p = p[p["kind"] == kind]
    p = p.reset_index(drop=True)
    a = need_areas(r, authority_code, indicator_id, period, level)
    if p.empty or a.empty:
        empty = pd.DataFrame(columns=["name", "kind", "value", "weight", "areas", "hidden"])
        return empty, a.assign(nearest=None, distance_m=np.nan, within=False), a.head(0)
    d = haversine_m(
        a["label_lon"].to_numpy()[:, None],
        a["label_lat"].to_numpy()[:, None],
        p["lon"].to_numpy()[None, :],
        p["lat"].to_numpy()[None, :],
    )  # areas × places
    rows = []
    for j, place in p.iterrows():
        inside = d[:, j] <= distance_m
        value, weight, n = _weighted(a.loc[inside, "value"], a.loc[inside, "weight"])
        rows.append(
            {
                "place_id": place["place_id"],
                "name": place["name"],
                "kind": place["kind"],
                "lon": place["lon"],
                "lat": place["lat"],
                "value": value,
                "weight": weight if n else np.nan,
                "areas": n,
                "hidden": int((inside & a["suppressed"].astype(bool)).sum()),
            }
        )
    summary = pd.DataFrame(rows)
    nearest = d.argmin(axis=1)
    a = a.assign(
        nearest=p["name"].to_numpy()[nearest],
        distance_m=d[np.arange(len(a)), nearest],
    )
    a["within"] = a["distance_m"] <= distance_m
    better = polarity(meta) == "higher_is_better"
    far = a[~a["within"] & a["value"].notna()].sort_values(
        ["value", "geo_code"], ascending=[better, True], kind="stable"
    )
    return summary, a, far.head(FARTHEST).reset_index(drop=True)


def authority_mean(r: Reader, authority_code: str, indicator_id: str, period: str, level: str) -> float:
    """The weighted mean over every area of the authority (the page's yardstick)."""
    a = need_areas(r, authority_code, indicator_id, period, level)
    return _weighted(a["value"], a["weight"])[0]


def distance_label(metres: float) -> str:
    """A distance as people say it: 850 m, 1.2 km."""
    return f"{metres:,.0f} m" if metres < 1000 else f"{metres / 1000:,.1f} km"
