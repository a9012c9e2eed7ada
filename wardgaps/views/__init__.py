"""Per-authority views, worked out once per extract rather than per request: the build does it
for the full extract, the publish step (:mod:`wardgaps.publish`) for the public one, on the
figures it holds (so in public, on the figures shown). Pages read them through named queries.

Tables (``queries/build/tables.yaml``): ``ward_figures`` (every ward of every authority for each
indicator, period and ward set, with ranks, comparators and significance labels),
``gap_measures`` and ``gap_trends`` (range, ratio, slope index and whether the gap widened),
``deprivation_quintiles`` and ``trend_markers``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

import duckdb
import numpy as np
import pandas as pd

from wardgaps import tables
from wardgaps.ingest.sql import sql_sections
from wardgaps.meta import DEPRIVATION_SCORES
from wardgaps.views import gaps, markers, wards

TABLES = ("ward_figures", "gap_measures", "gap_trends", "deprivation_quintiles", "trend_markers")
GROUP = wards.GROUP

_MEASURED = [
    "geo_code",
    "period_start",
    "value",
    "lower_95",
    "upper_95",
    "denominator",
    "population",
    "deprivation",
    "deprivation_period",
    "suppressed",
]
# Set in the parent before the workers fork, so each worker reads them without a copy.
_FIGURES: dict[str, np.ndarray] | None = None
_META: dict[str, dict] = {}
_WITHHELD: frozenset = frozenset()


def inputs(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """What the views are made from (``queries/build/view_inputs.sql``, one section each)."""
    return {name: con.execute(sql).df() for name, sql in sql_sections("view_inputs", "input")}


def _measure(chunk: list[tuple[tuple, np.ndarray]]) -> list[dict]:
    """Gap measures for a chunk of (authority, indicator, period, ward set) groups."""
    assert _FIGURES is not None
    rows = []
    for key, idx in chunk:
        meta = _META.get(key[1])
        if meta is None:
            continue
        cols = {c: a[idx] for c, a in _FIGURES.items()}
        start = cols["period_start"][0]
        rows.append(
            {
                **dict(zip(GROUP, key, strict=True)),
                "period_start": start,
                **gaps.measure(cols, meta, key[0], start, key in _WITHHELD),
            }
        )
    return rows


def _chunks(items: list, n: int) -> Iterable[list]:
    size = max(1, -(-len(items) // n))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def gap_tables(
    figures: pd.DataFrame, meta: dict[str, dict], withheld: Iterable[tuple] = (), workers: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(gap_measures, gap_trends, deprivation_quintiles) for every group of ``figures``, in
    worker processes (one per core: the slope index's simulation is most of the time)."""
    global _FIGURES, _META, _WITHHELD
    # only the columns a measure reads, as arrays: per group, pandas' own overhead was most of the time
    _FIGURES = {c: figures[c].to_numpy() for c in _MEASURED}
    _META, _WITHHELD = meta, frozenset(withheld)
    groups = list(figures.groupby(GROUP, sort=True).indices.items())
    workers = workers or os.cpu_count() or 1
    try:
        if workers > 1 and len(groups) > 200:
            with ProcessPoolExecutor(workers) as pool:
                parts = list(pool.map(_measure, _chunks(groups, workers * 8)))
        else:
            parts = [_measure(groups)]
    finally:
        _FIGURES = None
    measures = pd.DataFrame([r for rows in parts for r in rows])
    if measures.empty:
        measures = pd.DataFrame(columns=[*GROUP, "period_start", *gaps.GAP_COLUMNS])
    return measures, gaps.trends(measures), gaps.quintiles(figures, meta)


def compute(
    con: duckdb.DuckDBPyConnection,
    withheld: Iterable[tuple] = (),
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, pd.DataFrame]:
    """Every view table, from the extract open on ``con``. ``withheld``: the groups whose gap
    measures are withheld (the public extract's, where the highest or lowest ward is hidden)."""
    t = time.monotonic()
    src = inputs(con)
    meta = {r["indicator_id"]: r for r in src["indicators"].to_dict("records")}
    figures = wards.ward_figures(src["wards"], src["ward_observations"], src["totals"], meta)
    say(f"      ward figures: {len(figures):,} rows ({time.monotonic() - t:.1f}s)")
    t = time.monotonic()
    measures, trends, quintiles = gap_tables(figures, meta, withheld)
    say(f"      gap measures: {len(measures):,} authority × indicator × period ({time.monotonic() - t:.1f}s)")
    t = time.monotonic()
    marks = markers.trend_markers(figures, meta)
    say(f"      trend markers: {len(marks):,} ward series ({time.monotonic() - t:.1f}s)")
    return {
        "ward_figures": figures,
        "gap_measures": measures,
        "gap_trends": trends,
        "deprivation_quintiles": quintiles,
        "trend_markers": marks,
    }


def for_indicators(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, pd.DataFrame]:
    """The view tables' rows of some indicators only (the council's local ones), worked out on
    ``con``, which sees them (the local layer's overlay) beside the extract's wards, populations
    and IMD scores. In this process, one core: a handful of indicators."""
    src = inputs(con)
    meta = {r["indicator_id"]: r for r in src["indicators"].to_dict("records") if r["indicator_id"] in ids}
    obs = src["ward_observations"]
    obs = obs[obs["indicator_id"].isin(ids | {"population", *DEPRIVATION_SCORES.values()})]
    totals = src["totals"][src["totals"]["indicator_id"].isin(ids)]
    figures = wards.ward_figures(src["wards"], obs, totals, meta, only=ids)
    measures, trends, quintiles = gap_tables(figures, meta, workers=1)
    return {
        "ward_figures": figures,
        "gap_measures": measures,
        "gap_trends": trends,
        "deprivation_quintiles": quintiles,
        "trend_markers": markers.trend_markers(figures, meta),
    }


def write(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
    """Append the view tables (created by the schema) in their declared order, columns matched by name."""
    for table in TABLES:
        cols = con.table(table).columns
        df = frames[table].sort_values(tables.order(table), kind="mergesort").reset_index(drop=True)
        for c in cols:
            if c not in df:
                df[c] = None
        con.from_df(df[cols]).insert_into(table)
