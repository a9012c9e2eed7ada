"""Build the extract: raw mirror -> tidy tables -> temp DuckDB -> checks -> atomic rename."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import yaml

from wardgaps import check as checks
from wardgaps.check import TABLES as CONTRACT_TABLES
from wardgaps.ingest import census, cilif_bhc, dwp_cilif, ecp, iod, mye, uc, ward_atlas, ward_profiles
from wardgaps.ingest.common import ENGLAND, LONDON, OBS_COLUMNS, DataError, sha256
from wardgaps.ingest.geo import SIMPLIFY_M, Geo, area_ha, simplify_coverage, to_geojson
from wardgaps.stats import wilson_interval

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_RAW = Path("../shared/data/raw")

SCHEMA = """
create table sources (
    source_id varchar primary key, publisher varchar, title varchar, url varchar, licence varchar,
    attribution varchar, release_date varchar, next_release varchar, raw_files varchar);
create table indicators (
    indicator_id varchar primary key, title varchar, short_title varchar, theme varchar, unit varchar,
    polarity varchar, definition varchar, numerator_label varchar, denominator_label varchar,
    ci_method varchar, source_id varchar, native_geography varchar, caveats varchar);
create table geographies (
    geo_code varchar not null, geo_name varchar, geo_type varchar, vintage integer not null,
    borough_code varchar, primary key (geo_code, vintage));
create table boundaries (
    geo_code varchar not null, vintage integer not null, geojson varchar, area_ha double,
    label_lon double, label_lat double, primary key (geo_code, vintage));
create table observations (
    indicator_id varchar not null, geo_code varchar not null, vintage integer not null,
    period varchar not null, period_start date, value double, numerator double, denominator double,
    lower_95 double, upper_95 double, lower_998 double, upper_998 double, method varchar,
    fit_quality double, status varchar, source_id varchar,
    primary key (indicator_id, geo_code, vintage, period));
create table crosswalks (
    from_code varchar not null, from_vintage integer not null, to_code varchar not null,
    to_vintage integer not null, weight double, weight_basis varchar,
    primary key (from_code, from_vintage, to_code, to_vintage));
"""

# (label, module) in build order; each module has FILES and load(raw, geo).
ADAPTERS = [
    ("DWP children in low income families (AHC)", dwp_cilif),
    ("End Child Poverty estimates (AHC)", ecp),
    ("Children in low income families (BHC), 2018 wards", cilif_bhc),
    ("Census 2021 topic summaries", census),
    ("Indices of Deprivation 2015/2019/2025", iod),
    ("GLA Ward Atlas", ward_atlas),
    ("GLA Ward Profiles (borough rows)", ward_profiles),
    ("ONS mid-year population estimates (LSOA 2011)", mye),
    ("Households on Universal Credit", uc),
]


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_registry(name: str) -> dict[str, dict]:
    """A registry (sources.yaml, indicators.yaml) from data/, or from ``WARDGAPS_REGISTRY_DIR``
    (tests use it to build extracts with hostile labels)."""
    path = Path(os.environ.get("WARDGAPS_REGISTRY_DIR", DATA_DIR)) / name
    try:
        with open(path, encoding="utf-8") as f:
            reg = yaml.safe_load(f)
    except FileNotFoundError as e:
        raise DataError(path, "file missing") from e
    except yaml.YAMLError as e:
        raise DataError(path, f"not valid YAML ({type(e).__name__})") from e
    if not isinstance(reg, dict):
        raise DataError(path, "expected a mapping of ids to entries")
    return reg


def sources_table(raw: Path) -> pd.DataFrame:
    rows = []
    for sid, s in load_registry("sources.yaml").items():
        files = []
        for rel in s["files"]:
            p = raw / rel
            if not p.is_file():
                raise DataError(p, "file missing")
            files.append({"file": rel, "sha256": sha256(p)})
        rows.append(
            {
                "source_id": sid,
                **{
                    k: s[k]
                    for k in ("publisher", "title", "url", "licence", "attribution", "release_date", "next_release")
                },
                "raw_files": json.dumps(files),
            }
        )
    return pd.DataFrame(rows)


def indicators_table() -> pd.DataFrame:
    reg = load_registry("indicators.yaml")
    return pd.DataFrame([{"indicator_id": k, **v} for k, v in reg.items()])


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
        geos.append(
            pd.DataFrame(
                {
                    "geo_code": g["geo_code"],
                    "geo_name": g["geo_name"],
                    "geo_type": gtype,
                    "vintage": vintage,
                    "borough_code": g["borough_code"],
                }
            )
        )
        simple = simplify_coverage(g, tol)
        bounds.append(_bounds(g["geo_code"], vintage, simple, area_ha(g)))
        if gtype == "ward" and vintage == 2022:
            boro = (
                gpd.GeoDataFrame({"borough_code": g["borough_code"]}, geometry=simple.values, crs=simple.crs)
                .dissolve("borough_code")
                .reset_index()
            )
    b = geo.boroughs
    geos.append(
        pd.DataFrame(
            {
                "geo_code": b["borough_code"],
                "geo_name": b["borough_name"],
                "geo_type": "borough",
                "vintage": 2022,
                "borough_code": b["borough_code"],
            }
        )
    )
    geos.append(
        pd.DataFrame(
            {
                "geo_code": [LONDON, ENGLAND],
                "geo_name": ["London", "England"],
                "geo_type": ["region", "country"],
                "vintage": 2022,
                "borough_code": None,
            }
        )
    )
    bounds.append(_bounds(boro["borough_code"], 2022, boro.geometry, area_ha(boro)))
    return pd.concat(geos, ignore_index=True), pd.concat(bounds, ignore_index=True)


def crosswalk_table(geo: Geo) -> pd.DataFrame:
    frames = []
    for lu, vin in ((geo.lu_lsoa11_ward18, 2018), (geo.lu_lsoa11_ward14, 2014)):
        xw = geo.ward_crosswalk(lu, 2021)
        frames.append(
            xw.assign(
                from_vintage=vin, to_vintage=2022, weight_basis="population mid-2020 via 2011 LSOAs (GLA 2021 weights)"
            )
        )
        frames.append(
            lu.rename(columns={"lsoa": "from_code", "ward": "to_code"}).assign(
                from_vintage=2011, to_vintage=vin, weight=1.0, weight_basis="best fit (whole LSOAs)"
            )
        )
    w = geo.lsoa11_to_ward22(2021).rename(columns={"lsoa": "from_code", "ward": "to_code"})
    frames.append(w.assign(from_vintage=2011, to_vintage=2022, weight_basis="GLA population weights 2021"))
    lu = geo.lu_lsoa21_ward22.rename(columns={"lsoa": "from_code", "ward": "to_code"})
    frames.append(lu.assign(from_vintage=2021, to_vintage=2022, weight=1.0, weight_basis="ONS best fit (whole LSOAs)"))
    cols = ["from_code", "from_vintage", "to_code", "to_vintage", "weight", "weight_basis"]
    out = pd.concat([f[cols] for f in frames], ignore_index=True)
    out["weight"] = out["weight"].round(6)
    return out


def add_intervals(obs: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Wilson 95% and 99.8% limits for proportions with a numerator and denominator."""
    wilson = set(indicators.loc[indicators["ci_method"] == "wilson", "indicator_id"])
    m = (
        obs["indicator_id"].isin(wilson)
        & obs["numerator"].notna()
        & obs["denominator"].notna()
        & (obs["status"] != "suppressed")
    )
    for conf, lo, hi in ((0.95, "lower_95", "upper_95"), (0.998, "lower_998", "upper_998")):
        a, b = wilson_interval(obs.loc[m, "numerator"], obs.loc[m, "denominator"], conf)
        obs.loc[m, lo] = np.round(a, 4)
        obs.loc[m, hi] = np.round(b, 4)
    return obs


# One fixed statement per table: rows go in by column name from the registered frame.
INSERT_SQL = {t: "insert into " + t + " by name select * from incoming" for t in CONTRACT_TABLES}


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, order: list[str]) -> None:
    df = df.sort_values(order, kind="mergesort").reset_index(drop=True)
    con.register("incoming", df)
    con.execute(INSERT_SQL[table])
    con.unregister("incoming")


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
    steps = len(ADAPTERS) + 3
    say(f"[1/{steps}] sources and checksums")
    sources = sources_table(raw)
    indicators = indicators_table()
    say(f"[2/{steps}] geography: boundaries, lookups")
    geos, bounds = geography_tables(geo)
    xwalk = crosswalk_table(geo)
    say(f"      {len(geos):,} areas, {len(bounds):,} boundaries, {len(xwalk):,} crosswalk rows")
    frames, report = [], []
    for i, (label, mod) in enumerate(ADAPTERS, start=3):
        t = time.monotonic()
        say(f"[{i}/{steps}] {label}")
        df = mod.load(raw, geo, report) if mod is ward_atlas else mod.load(raw, geo)
        frames.append(df)
        say(
            f"      {len(df):,} observations, {df['indicator_id'].nunique()} indicators, "
            f"{df['geo_code'].nunique():,} areas ({time.monotonic() - t:.1f}s)"
        )
    for line in report:
        say(f"      note: {line}")
    obs = pd.concat(frames, ignore_index=True)[OBS_COLUMNS]
    unknown = set(obs["indicator_id"]) - set(indicators["indicator_id"])
    if unknown:
        raise DataError("indicators.yaml", f"indicator '{sorted(unknown)[0]}' is not registered")
    obs = add_intervals(obs, indicators)
    obs["vintage"] = obs["vintage"].astype(int)
    say(f"[{steps}/{steps}] writing and checking {tmp.name}")
    try:
        con = duckdb.connect(str(tmp))
        con.execute(SCHEMA)
        _insert(con, "sources", sources, ["source_id"])
        _insert(con, "indicators", indicators, ["indicator_id"])
        _insert(con, "geographies", geos, ["geo_code", "vintage"])
        _insert(con, "boundaries", bounds, ["geo_code", "vintage"])
        _insert(con, "observations", obs, ["indicator_id", "geo_code", "vintage", "period"])
        _insert(con, "crosswalks", xwalk, ["from_code", "from_vintage", "to_code", "to_vintage"])
        failures = checks.run_checks(con)
        if failures:
            for f in failures:
                say(f"FAIL {f.rule}\n{f.rows.head(10).to_string(index=False)}")
            raise DataError(out, "data contract failed: " + "; ".join(f.summary() for f in failures[:5]))
        con.execute("checkpoint")
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
    say(f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - t0:.0f}s")
    return {"observations": len(obs), "summary": summary}
