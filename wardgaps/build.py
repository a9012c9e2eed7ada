"""Build the extract: raw mirror -> tidy tables -> temp DuckDB -> checks -> atomic rename.

The jobs live apart: registries (:mod:`wardgaps.ingest.registry`), geography and crosswalk tables
(:mod:`wardgaps.ingest.tables`), one adapter per source (``wardgaps/ingest/<source>.py``), the
tables declared once (``queries/build/tables.yaml``, :mod:`wardgaps.tables`), and the views and
contract as SQL files (``queries/build/``). This module runs them in order and writes the result.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from wardgaps import changelog, tables, versions, views
from wardgaps import check as checks
from wardgaps.ingest import (
    census,
    child_rate,
    cilif_bhc,
    composite_imd,
    dwp_cilif,
    ecp,
    iod,
    iod_indicators,
    msoa_series,
    mye,
    similar,
    uc,
    ward_atlas,
    ward_profiles,
    wimd,
)
from wardgaps.ingest.common import OBS_COLUMNS, DataError
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.registry import indicators_table, sources_table
from wardgaps.ingest.sql import sql_file
from wardgaps.ingest.tables import apportionment_table, crosswalk_table, geography_tables
from wardgaps.stats import wilson_interval

# (label, module) in build order; each module has load(raw, geo).
ADAPTERS = [
    ("DWP children in low income families (AHC)", dwp_cilif),
    ("End Child Poverty estimates (AHC)", ecp),
    ("Children in low income families (BHC): London 2018 wards, authorities", cilif_bhc),
    ("Census 2021 topic summaries", census),
    ("Indices of Deprivation 2015/2019/2025", iod),
    ("IMD 2019 scores outside London (mySociety Composite UK IMD)", composite_imd),
    ("Welsh Index of Multiple Deprivation 2019 scores, 2025 ranks", wimd),
    ("IoD 2019/2025 underlying indicators: living environment and health", iod_indicators),
    ("GLA Ward Atlas", ward_atlas),
    ("GLA Ward Profiles (authority rows)", ward_profiles),
    ("ONS mid-year population estimates (LSOA 2011)", mye),
    ("Households on Universal Credit", uc),
    ("Stat-Xplore MSOA series (children BHC, Universal Credit) on current wards outside London", msoa_series),
    ("Children in low income (BHC) as a rate of children 0-19, FYE 2020-2022, every ward", child_rate),
]


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def add_intervals(obs: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Wilson 95% and 99.8% limits for proportions with a numerator and denominator.

    Apportioned rows get none: their numerator and denominator are shares of other areas' counts
    (weights times counts), not binomial observations of the ward, so a Wilson interval on them
    would claim a precision the estimate does not have. Without limits, an apportioned figure
    enters no significance claim (ward against authority, worse-and-worsening, packs)."""
    wilson = set(indicators.loc[indicators["ci_method"] == "wilson", "indicator_id"])
    m = (
        obs["indicator_id"].isin(wilson)
        & obs["numerator"].notna()
        & obs["denominator"].notna()
        & (obs["status"] != "suppressed")
    )
    if "method" in obs.columns:
        m &= obs["method"] != "apportioned"
    for conf, lo, hi in ((0.95, "lower_95", "upper_95"), (0.998, "lower_998", "upper_998")):
        a, b = wilson_interval(obs.loc[m, "numerator"], obs.loc[m, "denominator"], conf)
        obs.loc[m, lo] = np.round(a, 4)
        obs.loc[m, hi] = np.round(b, 4)
    return obs


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    """Append ``df`` to ``table`` in its declared order (queries/build/tables.yaml); columns are
    matched by name to the schema's order."""
    cols = con.table(table).columns
    missing = sorted(set(cols) - set(df.columns))
    if missing:
        raise ValueError(f"{table}: no column {missing[0]} in the rows to write")
    df = df.sort_values(tables.order(table), kind="mergesort").reset_index(drop=True)[cols]
    con.from_df(df).insert_into(table)


def _clean_stale(out: Path) -> None:
    for p in out.parent.glob(f".{out.name}.tmp-*"):
        try:
            pid = int(p.name.rsplit("-", 1)[1].split(".")[0])
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            p.unlink(missing_ok=True)
        except PermissionError:
            pass


def build(raw: Path, out: Path, say: Callable[[str], None] = _say) -> dict[str, object]:
    """Build the extract at ``out`` from the raw mirror at ``raw``. Raises DataError on bad input."""
    t0 = time.monotonic()
    raw = Path(raw)
    if not raw.is_dir():
        raise DataError(raw, "raw data directory missing")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    geo = Geo(raw)
    steps = len(ADAPTERS) + 4
    say(f"[1/{steps}] sources and checksums")
    sources = sources_table(raw)
    indicators = indicators_table()
    frames, report = [], []
    for i, (label, mod) in enumerate(ADAPTERS, start=2):
        t = time.monotonic()
        say(f"[{i}/{steps}] {label}")
        df = mod.load(raw, geo, report) if mod is ward_atlas else mod.load(raw, geo)
        frames.append(df)
        say(
            f"      {len(df):,} observations, {df['indicator_id'].nunique()} indicators, "
            f"{df['geo_code'].nunique():,} areas ({time.monotonic() - t:.1f}s)"
        )
    # Boundaries are simplified after the adapters have read and checked every source, so a bad
    # file is refused before the slowest step (all of England and Wales's wards and LSOAs).
    say(f"[{len(ADAPTERS) + 2}/{steps}] geography: simplified boundaries")
    geos, bounds = geography_tables(geo)
    say(f"      {len(geos):,} areas, {len(bounds):,} boundaries")
    # The weight sets are known only once the adapters have apportioned with them.
    xwalk, shares = crosswalk_table(geo), apportionment_table(geo)
    say(f"      {len(xwalk):,} crosswalk rows in {xwalk['weight_basis'].nunique()} weight sets")
    for line in [*geo.log, *report]:
        say(f"      note: {line}")
    t = time.monotonic()
    say(f"[{steps - 1}/{steps}] similar wards: Census 2021 characteristics, 10 nearest in other authorities")
    chars, ward_chars, near = similar.similar_tables(raw, geo, bounds)
    near_las = similar.similar_authorities(ward_chars, geo.wards.set_index("geo_code")["authority_code"])
    say(
        f"      {ward_chars['geo_code'].nunique():,} wards with {len(chars)} characteristics, "
        f"{len(near):,} neighbour rows; {near_las['geo_code'].nunique()} authorities with 10 similar authorities "
        f"({time.monotonic() - t:.1f}s)"
    )
    obs = pd.concat(frames, ignore_index=True)[OBS_COLUMNS]
    unknown = set(obs["indicator_id"]) - set(indicators["indicator_id"])
    if unknown:
        raise DataError("indicators.yaml", f"indicator '{sorted(unknown)[0]}' is not registered")
    obs = add_intervals(obs, indicators)
    obs["vintage"] = obs["vintage"].astype(int)
    say(f"[{steps}/{steps}] writing and checking {tmp.name}")
    try:
        con = duckdb.connect(str(tmp))
        con.execute(tables.ddl())
        _insert(con, "sources", sources)
        _insert(con, "indicators", indicators)
        _insert(con, "geographies", geos)
        _insert(con, "boundaries", bounds)
        _insert(con, "observations", obs)
        _insert(con, "crosswalks", xwalk)
        _insert(con, "apportionments", shares)
        _insert(con, "characteristics", chars)
        _insert(con, "ward_characteristics", ward_chars)
        _insert(con, "similar_wards", near)
        _insert(con, "similar_authorities", near_las)
        con.execute(sql_file("views"))
        say("      per-authority views: ward figures, gaps, quintiles, trend markers")
        views.write(con, views.compute(con, say=say))
        version = versions.stamp_release(con, "full")
        changelog.stamp(con, out, say)  # against the previous recorded version, for Data and methods
        failures = checks.run_checks(con)
        if failures:
            for f in failures:
                say(f"FAIL {f.rule}\n{f.rows.head(10).to_string(index=False)}")
            raise DataError(out, "data contract failed: " + "; ".join(f.summary() for f in failures[:5]))
        con.execute(sql_file("flush"))
        con.close()
        os.replace(tmp, out)
    except BaseException:
        try:
            con.close()
        except Exception:
            pass
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    summary = obs.groupby("source_id").agg(
        indicators=("indicator_id", "nunique"), areas=("geo_code", "nunique"), observations=("value", "size")
    )
    say("Summary by source:")
    for sid, r in summary.iterrows():
        say(f"  {sid:<22} {r.indicators:>3} indicators {r.areas:>6,} areas {r.observations:>8,} observations")
    say(f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB, data version {version}) in {time.monotonic() - t0:.0f}s")
    return {"observations": len(obs), "summary": summary, "version": version}
