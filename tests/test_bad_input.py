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


def test_documented_markers_read_as_suppressed(mirror, tmp_path):
    edit_text(mirror, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137",..,49.0%,[x]')
    out = tmp_path / "marked.duckdb"
    build(mirror, out, say=lambda _m: None)
    con = duckdb.connect(str(out), read_only=True)
    row = con.execute(
        """select value, numerator, status from observations where indicator_id = 'child_poverty_ahc_dwp'
           and geo_code = 'E05013703' and period = 'FYE 2025'"""
    ).fetchone()
    con.close()
    assert row[0] is None and row[1] is None and row[2] == "suppressed"


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


def test_missing_english_authority_in_named_table(mirror, existing):
    rel = "dwp_statxplore_msoa_ltla/children_relative_low_income_ltla_14-22.csv"
    p = replace_file(mirror, rel)
    lines = [ln for ln in p.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith('"Hartlepool"')]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(
        mirror, existing, "children_relative_low_income_ltla_14-22.csv", "English local authority 'Hartlepool' missing"
    )
