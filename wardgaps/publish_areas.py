"""The council's area sets in the publish step: only the sets marked published (``add-areas
--published``), their figures disclosed by the rules wards are (:mod:`wardgaps.disclosure`).

An area's figures are sums over its wards, so besides the rules each cell meets on its own (a count
or complement below 10 hidden, counts rounded to 5, rates worked out again from the rounded counts
with their intervals), an area is hidden wherever one of its wards is hidden in the public view
(else the area less its shown wards would give the hidden ward back), and within each set of areas
in an authority more are hidden, the smallest first, until the hidden ones are at least two holding
at least 10 (so the authority's total less the shown areas gives no small number back)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from wardgaps import disclosure, stats
from wardgaps.analysis.catalogue import WARD_VINTAGE
from wardgaps.ingest.sql import sql_file, sql_sections
from wardgaps.sqltext import local_sql

SET_KEY = ["set_name", "authority_code", "indicator_id", "period"]
_LEVELS = {0.95: ("lower_95", "upper_95"), 0.998: ("lower_998", "upper_998")}


def read(cur: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame] | None:
    """The published area sets, their wards and their undisclosed figures (None when the local layer
    holds no area sets)."""
    if not bool(cur.execute(local_sql("areas_present")).fetchone()[0]):
        return None
    return {name: cur.execute(sql).df() for name, sql in sql_sections("publish_areas", "input")}


def _intervals(areas: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Wilson intervals from the summed counts, for indicators that have them (as wards')."""
    ci = areas["indicator_id"].map(indicators.set_index("indicator_id")["ci_method"])
    scale = areas["unit"].map(disclosure.SCALE)
    todo = ci.eq("wilson") & scale.notna() & areas["numerator"].notna() & areas["denominator"].gt(0)
    for level, (lo, hi) in _LEVELS.items():
        areas[lo] = areas[lo].astype(float)
        areas[hi] = areas[hi].astype(float)
        for s in scale[todo].unique():
            m = todo & scale.eq(s)
            a, b = stats.wilson_interval(areas.loc[m, "numerator"], areas.loc[m, "denominator"], level, s)
            areas.loc[m, lo], areas.loc[m, hi] = a, b
    return areas


def forced(areas: pd.DataFrame, members: pd.DataFrame, obs: pd.DataFrame, hidden: pd.Series) -> pd.Series:
    """Areas one of whose wards is hidden in the public view (same indicator and period)."""
    on = obs["geo_type"].eq("ward") & obs["vintage"].eq(WARD_VINTAGE) & hidden.reindex(obs.index).fillna(False)
    wards = obs.loc[on, ["indicator_id", "period", "geo_code"]]
    m = members.rename(columns={"ward_code": "geo_code"})[["set_name", "area_name", "geo_code"]]
    keys = wards.merge(m, on="geo_code")[["set_name", "area_name", "indicator_id", "period"]].drop_duplicates()
    hit = areas[["set_name", "area_name", "indicator_id", "period"]].merge(keys.assign(hit=True), how="left")
    return pd.Series(hit["hit"].fillna(False).astype(bool).to_numpy(), index=areas.index)


def disclose(
    src: dict[str, pd.DataFrame], obs: pd.DataFrame, hidden: pd.Series, indicators: pd.DataFrame
) -> pd.DataFrame:
    """The published sets' area figures as the public may see them. ``obs``: the full extract's
    observations (with geo_type) and ``hidden`` which of them the public view hides."""
    a = _intervals(src["area_observations"].copy().reset_index(drop=True), indicators)
    columns = list(a.columns)
    must = forced(a, src["area_wards"], obs, hidden)
    a["geo_code"] = a["area_name"]  # ties broken by the area's name
    counts = disclosure.cell_counts(a)
    small = (counts["count"] < disclosure.THRESHOLD) | (counts["complement"] < disclosure.THRESHOLD) | must
    hide = pd.Series(False, index=a.index)
    for idx in a.groupby(SET_KEY, sort=False).indices.values():
        ix = a.index[idx]
        if small.loc[ix].any():
            hide.loc[ix] = disclosure.hidden_cells(a.loc[ix], counts.loc[ix], must.loc[ix])
    a["fit_quality"] = np.nan  # apply() rounds it where present; areas have none
    out = disclosure.apply(a, hide)
    out["population"] = disclosure.round_count(out["population"])
    return out[columns]


def write(con: duckdb.DuckDBPyConnection, src: dict[str, pd.DataFrame], shown: pd.DataFrame) -> None:
    """The published sets, their wards and their disclosed figures into the public extract."""
    con.register("area_sets_rows", src["area_sets"])
    con.register("area_wards_rows", src["area_wards"])
    con.register("area_observations_rows", shown)
    con.execute(sql_file("public_areas_schema"))
    for name in ("area_sets_rows", "area_wards_rows", "area_observations_rows"):
        con.unregister(name)
