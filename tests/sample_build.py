"""A build from the tiny raw samples (``tests/raw_samples/``), small enough for the fast tier.

The real build needs every registered file of the mirror; this one runs the real adapters of the
sources the samples hold (DWP's ward and authority tables, End Child Poverty's workbook), checks
every registered sample file (the real ``sources_table``, on a registry of the sample sources),
and writes them with the real schema, data version and stored change log
(:func:`wardgaps.changelog.stamp`), then renames the file into place as the build does. The areas
are those the sample files name (Islington's 17 wards; the ECP sample's four authorities).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import yaml

from tests.conftest import ROOT
from wardgaps import changelog, tables, versions
from wardgaps.build import _insert, add_intervals
from wardgaps.ingest import dwp_cilif, ecp
from wardgaps.ingest.registry import indicators_table, sources_table

SAMPLES = ROOT / "tests" / "raw_samples"
ISLINGTON = "E09000019"
REGIONS = {"E12000007": "London", "E12000002": "North West"}
ENGLAND = "E92000001"
SAMPLE_SOURCES = ("dwp_cilif", "ecp_ahc", "census2021")


def registry(where: Path) -> Path:
    """The registries for a sample build: the sources the samples hold (their sample files only)
    and every indicator."""
    where.mkdir(parents=True, exist_ok=True)
    src = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))
    kept = {}
    for sid in SAMPLE_SOURCES:
        files = [f for f in src[sid]["files"] if (SAMPLES / f).is_file()]
        kept[sid] = {**src[sid], "files": files}
    (where / "sources.yaml").write_text(yaml.safe_dump(kept, sort_keys=False), encoding="utf-8")
    (where / "indicators.yaml").write_bytes((ROOT / "data" / "indicators.yaml").read_bytes())
    return where


@contextmanager
def _registry_dir(where: Path):
    before = os.environ.get("WARDGAPS_REGISTRY_DIR")
    os.environ["WARDGAPS_REGISTRY_DIR"] = str(where)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("WARDGAPS_REGISTRY_DIR", None)
        else:
            os.environ["WARDGAPS_REGISTRY_DIR"] = before


def _areas(raw: Path) -> tuple[pd.DataFrame, SimpleNamespace, SimpleNamespace]:
    """Geographies from the sample files, and what each adapter asks of the geography."""
    ward_lines = (raw / dwp_cilif.F_WARD).read_text(encoding="utf-8-sig").splitlines()
    wards = [ln.split(",") for ln in ward_lines if ln.startswith("Islington,")]
    book = pd.read_excel(raw / ecp.F, sheet_name="Local Authority", header=None).iloc[2:, :3]
    ecp_las = {str(c).strip(): (str(n).strip(), str(r).strip()) for r, n, c in book.itertuples(index=False)}
    region_of = {name: code for code, name in REGIONS.items()}
    las = {ISLINGTON: ("Islington", "E12000007"), **{c: (n, region_of[r]) for c, (n, r) in ecp_las.items()}}
    rows = [
        {
            "geo_code": w[3],
            "geo_name": w[2],
            "geo_type": "ward",
            "authority_code": ISLINGTON,
            "region_code": "E12000007",
        }
        for w in wards
    ]
    rows += [
        {"geo_code": c, "geo_name": n, "geo_type": "authority", "authority_code": c, "region_code": r}
        for c, (n, r) in las.items()
    ]
    rows += [{"geo_code": c, "geo_name": n, "geo_type": "region", "region_code": c} for c, n in REGIONS.items()]
    rows.append({"geo_code": ENGLAND, "geo_name": "England", "geo_type": "country"})
    geos = pd.DataFrame(rows).assign(vintage=2024, country_code=ENGLAND)
    auth = lambda codes: pd.DataFrame(  # noqa: E731
        {"authority_code": codes, "region_code": [las[c][1] for c in codes], "country_code": ENGLAND}
    )
    dwp_geo = SimpleNamespace(
        wards=pd.DataFrame({"geo_code": [w[3] for w in wards], "authority_code": ISLINGTON}),
        authorities=auth([ISLINGTON]),
    )
    return geos, dwp_geo, SimpleNamespace(authorities=auth(sorted(ecp_las)))


def build_samples(raw: Path, out: Path, registry_dir: Path) -> Path:
    """Build an extract at ``out`` from a copy of the raw samples at ``raw``."""
    with _registry_dir(registry_dir):
        sources, indicators = sources_table(raw), indicators_table()
    geos, dwp_geo, ecp_geo = _areas(raw)
    obs = pd.concat([dwp_cilif.load(raw, dwp_geo), ecp.load(raw, ecp_geo)], ignore_index=True)
    obs = add_intervals(obs, indicators)
    obs["vintage"] = obs["vintage"].astype(int)
    obs = obs[obs["geo_code"].isin(geos["geo_code"])]  # the United Kingdom row DWP's file carries
    tmp = out.with_name(f".{out.name}.tmp")
    con = duckdb.connect(str(tmp))
    try:
        con.execute(tables.ddl())
        _insert(con, "sources", sources)
        _insert(con, "indicators", indicators)
        _insert(con, "geographies", geos)
        _insert(con, "observations", obs)
        versions.stamp_release(con, "full")
        changelog.stamp(con, out, say=lambda _m: None)
    finally:
        con.close()
    os.replace(tmp, out)
    return out
