"""Bad input is refused with the file and rule named, and the existing extract is left byte-identical."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from tests.conftest import COMMITTED, ROOT, replace_file
from wardgaps.build import build
from wardgaps.ingest.common import DataError

DWP_WARD = "dwp_cilif_local_area_stats_2022_2025/4_AHC_Relative_Ward.csv"
DWP_LA = "dwp_cilif_local_area_stats_2022_2025/2_AHC_Relative_LA.csv"
ECP = "ecp_loughborough_child_poverty_ahc/end-child-poverty-AHC-2015-2024.xlsx"
WARDS24 = "ukmaps_wards_may2024_bsc/converted/wards_may2024_ew_bsc.gpkg"
FP_LINE = "Islington,E09000019,Finsbury Park,E05013703"


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def existing(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "wardgaps.duckdb"
    out.parent.mkdir()
    shutil.copyfile(COMMITTED, out)
    return out


def refused(mirror: Path, out: Path, file: str, rule: str) -> None:
    before = digest(out)
    with pytest.raises(DataError) as e:
        build(mirror, out, say=lambda _m: None)
    assert e.value.file == file
    assert rule in e.value.rule, e.value.rule
    assert digest(out) == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temp file left behind


def edit_text(mirror: Path, rel: str, old: str, new: str, encoding: str = "utf-8-sig") -> None:
    p = replace_file(mirror, rel)
    text = p.read_text(encoding=encoding)
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding=encoding)


def test_missing_file(mirror, existing):
    (mirror / DWP_LA).unlink()
    refused(mirror, existing, "2_AHC_Relative_LA.csv", "file missing")


def test_truncated_csv(mirror, existing):
    p = replace_file(mirror, DWP_WARD)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "wards missing")


def test_renamed_column(mirror, existing):
    edit_text(mirror, DWP_WARD, "Ward [note 2],Area Code", "Ward [note 2],Code")
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "column 'Ward code' missing")


def test_missing_column_in_census(mirror, existing):
    rel = "nomis_census2021_bulk_lsoa/census2021-ts054-lsoa.csv"
    edit_text(mirror, rel, "Tenure of household: Social rented,", "Tenure of household: Socially rented,")
    refused(mirror, existing, "census2021-ts054-lsoa.csv", "column 'Tenure of household: Social rented' missing")


def test_xlsx_header_row_moved(mirror, existing):
    p = replace_file(mirror, ECP)
    wb = openpyxl.load_workbook(p)
    wb["Local Authority"].insert_rows(1)
    wb.save(p)
    refused(mirror, existing, ECP.split("/")[-1], "header row not where expected")


def test_non_numeric_value(mirror, existing):
    edit_text(mirror, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137",lots,49.0%,46.0%')
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "non-numeric value 'lots'")


def test_duplicate_ward_rows(mirror, existing):
    line = FP_LINE + ',"1,137","1,070",49.0%,46.0%'
    edit_text(mirror, DWP_WARD, line, line + "\n" + line)
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "duplicate rows for E05013703")


def test_unknown_ward_code(mirror, existing):
    edit_text(mirror, DWP_WARD, FP_LINE, "Islington,E09000019,Finsbury Park,E05999999")
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "unknown ward code 'E05999999'")


def test_percentage_over_100(mirror, existing):
    edit_text(mirror, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137","1,070",49.0%,146.0%')
    refused(mirror, existing, "4_AHC_Relative_Ward.csv", "percentage outside 0-100")


def test_geometry_in_wrong_crs(mirror, existing):
    p = replace_file(mirror, WARDS24)
    g = gpd.read_file(p).set_crs(27700, allow_override=True)  # degrees labelled as metres
    p.unlink()
    g.to_file(p, driver="GPKG")
    refused(mirror, existing, "wards_may2024_ew_bsc.gpkg", "wrong CRS")


def test_documented_markers_read_as_suppressed(mirror):
    """DWP's ".." and "[x]" are suppression, not bad input: the adapter that reads the file (the
    build's first; a whole build adds nothing to this and cost 80 s) keeps the row, suppressed."""
    from wardgaps.ingest import dwp_cilif
    from wardgaps.ingest.geo import Geo

    edit_text(mirror, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137",..,49.0%,[x]')
    obs = dwp_cilif.load(mirror, Geo(mirror))
    row = obs[(obs["geo_code"] == "E05013703") & (obs["period"] == "FYE 2025")]
    assert len(row) == 1
    assert pd.isna(row["value"].iloc[0]) and pd.isna(row["numerator"].iloc[0])
    assert row["status"].iloc[0] == "suppressed"
    fy24 = obs[(obs["geo_code"] == "E05013703") & (obs["period"] == "FYE 2024")]
    assert fy24["value"].iloc[0] == 49.0  # the row's other year, as published


def test_cli_reports_plainly_without_traceback(mirror, existing):
    (mirror / DWP_LA).unlink()
    r = subprocess.run(
        [sys.executable, "-m", "wardgaps", "build", "--raw", str(mirror), "--out", str(existing)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 1
    assert "2_AHC_Relative_LA.csv: file missing" in r.stderr
    assert "Traceback" not in r.stderr


def test_sigkill_leaves_old_extract_intact(raw, existing):
    before = digest(existing)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wardgaps", "build", "--raw", str(raw), "--out", str(existing)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(existing.parent.glob(".wardgaps.duckdb.tmp-*")):
        time.sleep(0.02)
    assert list(existing.parent.glob(".wardgaps.duckdb.tmp-*")), "build never reached the write step"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert digest(existing) == before
    con = duckdb.connect(str(existing), read_only=True)
    assert con.execute("select count(*) from observations").fetchone()[0] > 0
    con.close()


STATX_BHC = "dwp_statxplore_msoa_ltla/children_relative_low_income_ltla_14-22.csv"
STATX_UC = "dwp_statxplore_msoa_ltla/households_on_UC_ltla_15-22.csv"


def drop_rows(mirror: Path, rel: str, *names: str) -> None:
    p = replace_file(mirror, rel)
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    kept = [ln for ln in lines if not any(ln.startswith(f'"{n}"') for n in names)]
    assert len(kept) == len(lines) - len(names)
    p.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_missing_authority_in_named_table(mirror, existing):
    drop_rows(mirror, STATX_BHC, "Hartlepool")
    refused(mirror, existing, "children_relative_low_income_ltla_14-22.csv", "local authority 'Hartlepool' missing")


def _statx_refused(mirror: Path, rel: str, rule: str) -> None:
    """Stat-Xplore's authority tables alone (the build's first step that reads them), on a mirror
    with one table edited: refused with the file and rule named."""
    from wardgaps.ingest import cilif_bhc, uc
    from wardgaps.ingest.geo import Geo

    load = cilif_bhc._authorities if rel == STATX_BHC else uc._authorities
    with pytest.raises(DataError) as e:
        load(mirror, Geo(mirror))
    assert e.value.file == Path(rel).name
    assert rule in e.value.rule, e.value.rule


def test_welsh_authority_missing_from_named_table(mirror):
    drop_rows(mirror, STATX_UC, "Cardiff / Caerdydd")
    _statx_refused(mirror, STATX_UC, "local authority 'Cardiff' missing")


def test_former_district_missing_leaves_its_authority_without_a_figure(mirror):
    """North Yorkshire is summed from its seven former districts: six are not enough."""
    drop_rows(mirror, STATX_BHC, "Selby")
    _statx_refused(mirror, STATX_BHC, "local authority 'North Yorkshire' missing (nor its former district 'Selby')")


def test_authority_and_its_former_district_both_named(mirror):
    """A table naming North Yorkshire and Harrogate would count Harrogate's children twice."""
    p = replace_file(mirror, STATX_UC)
    text = p.read_text(encoding="utf-8-sig")
    row = next(ln for ln in text.splitlines() if ln.startswith('"North Yorkshire"'))
    p.write_text(text.replace(row, row + "\n" + row.replace('"North Yorkshire"', '"Harrogate"', 1)), encoding="utf-8")
    _statx_refused(mirror, STATX_UC, "names both 'North Yorkshire' and its former district 'Harrogate'")


def test_english_authority_given_a_welsh_pair_name_is_not_matched(mirror):
    """Only a Welsh authority is named "English / Welsh": such a name never stands for an English one."""
    edit_text(mirror, STATX_BHC, '"Manchester",', '"Manchester / Manceinion",')
    _statx_refused(mirror, STATX_BHC, "local authority 'Manchester' missing")


def test_empty_authority_cell_is_refused_not_read_as_suppressed(mirror):
    edit_text(mirror, STATX_BHC, '"Manchester",35245,', '"Manchester",,')
    _statx_refused(mirror, STATX_BHC, "column '2014/15' is empty for 'Manchester'")


def test_suppressed_former_district_leaves_its_authority_without_a_figure(mirror):
    """A ".." in one of North Yorkshire's seven districts: no partial sum, the cell suppressed."""
    from wardgaps.ingest import cilif_bhc
    from wardgaps.ingest.geo import Geo

    edit_text(mirror, STATX_BHC, '"Selby",2065,', '"Selby",..,')
    b = cilif_bhc._authorities(mirror, Geo(mirror)).set_index(["geo_code", "period"])
    assert pd.isna(b.loc[("E06000065", "FYE 2015"), "value"])
    assert b.loc[("E06000065", "FYE 2015"), "status"] == "suppressed"
    assert b.loc[("E06000065", "FYE 2016"), "value"] == 1198 + 1897 + 2873 + 1251 + 1321 + 3983 + 2170
    assert ("E12000003", "FYE 2015") not in b.index  # Yorkshire and The Humber: no total without it
    assert ("E92000001", "FYE 2015") not in b.index


def test_authority_named_twice(mirror):
    p = replace_file(mirror, STATX_BHC)
    text = p.read_text(encoding="utf-8-sig")
    row = next(ln for ln in text.splitlines() if ln.startswith('"Manchester"'))
    p.write_text(text.replace(row, row + "\n" + row), encoding="utf-8")
    _statx_refused(mirror, STATX_BHC, "duplicate rows for Manchester")
