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
from types import SimpleNamespace

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


SAMPLES = ROOT / "tests" / "raw_samples"  # a few KB each: Islington's rows of the real files
ISLINGTON = "E09000019"


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    """A writable copy of the tiny raw samples (tests/raw_samples), laid out as the mirror is."""
    return Path(shutil.copytree(SAMPLES, tmp_path / "raw"))


def sample_geo() -> SimpleNamespace:
    """What the DWP adapter asks of the geography, for the sample's one authority: its 17 current
    wards (the codes the sample's ward file lists, as the ONS lookup does) and its region and country."""
    text = (SAMPLES / DWP_WARD).read_text(encoding="utf-8-sig")
    wards = [ln.split(",")[3] for ln in text.splitlines() if ln.startswith("Islington,")]
    return SimpleNamespace(
        wards=pd.DataFrame({"geo_code": wards, "authority_code": ISLINGTON}),
        authorities=pd.DataFrame(
            {"authority_code": [ISLINGTON], "region_code": ["E12000007"], "country_code": ["E92000001"]}
        ),
    )


def refused(raw: Path, file: str, rule: str, load=None) -> None:
    """The adapter that reads the file (DWP's unless given) refuses the sample with the file and
    the rule named: the sentence the build stops with."""
    from wardgaps.ingest import dwp_cilif

    with pytest.raises(DataError) as e:
        (load or (lambda r: dwp_cilif.load(r, sample_geo())))(raw)
    assert e.value.file == file
    assert rule in e.value.rule, e.value.rule


def edit_text(mirror: Path, rel: str, old: str, new: str, encoding: str = "utf-8-sig") -> None:
    p = mirror / rel if (mirror / rel).is_file() and not (mirror / rel).is_symlink() else replace_file(mirror, rel)
    text = p.read_text(encoding=encoding)
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding=encoding)


def test_sample_reads_as_published(sample):
    """The untouched sample is accepted, with Finsbury Park's published figures: the cases below
    fail for their one defect only."""
    from wardgaps.ingest import dwp_cilif

    obs = dwp_cilif.load(sample, sample_geo()).set_index(["geo_code", "period"])
    assert obs.loc[("E05013703", "FYE 2025"), ["value", "numerator"]].tolist() == [46.0, 1070]
    assert obs.loc[(ISLINGTON, "FYE 2025"), ["value", "numerator"]].tolist() == [33.4, 10571]


def test_missing_file(sample):
    (sample / DWP_LA).unlink()
    refused(sample, "2_AHC_Relative_LA.csv", "file missing")


def test_truncated_csv(sample):
    p = sample / DWP_WARD
    data = p.read_bytes()
    p.write_bytes(data[: len(data) * 2 // 3])
    refused(sample, "4_AHC_Relative_Ward.csv", "wards missing")


def test_renamed_column(sample):
    edit_text(sample, DWP_WARD, "Ward [note 2],Area Code", "Ward [note 2],Code")
    refused(sample, "4_AHC_Relative_Ward.csv", "column 'Ward code' missing")


def test_missing_column_in_census(sample):
    from wardgaps.ingest import census

    rel = "nomis_census2021_bulk_lsoa/census2021-ts054-lsoa.csv"
    edit_text(sample, rel, "Tenure of household: Social rented,", "Tenure of household: Socially rented,")
    refused(
        sample,
        "census2021-ts054-lsoa.csv",
        "column 'Tenure of household: Social rented' missing",
        lambda r: census._read(r, "ts054", "lsoa", census._table_cols("ts054"), r"[EW]01\d{6}"),
    )


def test_xlsx_header_row_moved(sample):
    from wardgaps.ingest import ecp

    p = sample / ECP
    wb = openpyxl.load_workbook(p)
    wb["Local Authority"].insert_rows(1)
    wb.save(p)
    refused(sample, ECP.split("/")[-1], "header row not where expected", lambda r: ecp.load(r, None))


def test_non_numeric_value(sample):
    edit_text(sample, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137",lots,49.0%,46.0%')
    refused(sample, "4_AHC_Relative_Ward.csv", "non-numeric value 'lots'")


def test_duplicate_ward_rows(sample):
    line = FP_LINE + ',"1,137","1,070",49.0%,46.0%'
    edit_text(sample, DWP_WARD, line, line + "\n" + line)
    refused(sample, "4_AHC_Relative_Ward.csv", "duplicate rows for E05013703")


def test_unknown_ward_code(sample):
    edit_text(sample, DWP_WARD, FP_LINE, "Islington,E09000019,Finsbury Park,E05999999")
    refused(sample, "4_AHC_Relative_Ward.csv", "unknown ward code 'E05999999'")


def test_percentage_over_100(sample):
    edit_text(sample, DWP_WARD, FP_LINE + ',"1,137","1,070",49.0%,46.0%', FP_LINE + ',"1,137","1,070",49.0%,146.0%')
    refused(sample, "4_AHC_Relative_Ward.csv", "percentage outside 0-100")


def test_geometry_in_wrong_crs(tmp_path):
    """A ward boundary file in degrees labelled as British National Grid metres (two squares)."""
    from shapely.geometry import box

    from wardgaps.ingest.geo import F_WARDS24, Geo

    p = tmp_path / F_WARDS24
    p.parent.mkdir(parents=True)
    g = gpd.GeoDataFrame(
        {"ward_code": ["E05013703", "E05013704"], "ward_name": ["A", "B"], "lad_code": [ISLINGTON] * 2},
        geometry=[box(-0.11, 51.56, -0.10, 51.57), box(-0.10, 51.56, -0.09, 51.57)],
        crs=27700,
    )
    g.to_file(p, driver="GPKG")
    refused(tmp_path, "wards_may2024_ew_bsc.gpkg", "wrong CRS", lambda r: Geo(r).wards)


@pytest.fixture()
def existing(tmp_path: Path) -> Path:
    """An extract already in place (a copy of the fixture extract) for a build to leave alone."""
    from tests.fixtures import build_fixture

    out = tmp_path / "out" / "wardgaps.duckdb"
    out.parent.mkdir()
    return build_fixture(out)


def test_refused_build_leaves_the_existing_extract_byte_identical(sample, existing):
    """The build itself (its first step checks every registered file; the sample lacks most): refused
    with the file named, the extract in place untouched, no temporary file left beside it."""
    before = digest(existing)
    with pytest.raises(DataError) as e:
        build(sample, existing, say=lambda _m: None)
    assert str(e.value) == "children_relative_low_income_ltla_14-22.csv: file missing"
    assert digest(existing) == before
    assert [p.name for p in existing.parent.iterdir()] == [existing.name]


def test_cli_reports_plainly_without_traceback(sample, existing, capsys):
    from wardgaps.__main__ import main

    before = digest(existing)
    assert main(["build", "--raw", str(sample), "--out", str(existing)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-2:] == [
        "Build failed: children_relative_low_income_ltla_14-22.csv: file missing",
        "The existing extract was left unchanged.",
    ]
    assert "Traceback" not in err
    assert digest(existing) == before


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


@pytest.mark.slow
def test_sigkill_leaves_old_extract_intact(raw, tmp_path):
    """A real build from the mirror, killed once it has started writing (no complete build)."""
    existing = tmp_path / "out" / "wardgaps.duckdb"
    existing.parent.mkdir()
    shutil.copyfile(COMMITTED, existing)
    before = digest(existing)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wardgaps", "build", "--raw", str(raw), "--out", str(existing)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait for the write step itself (however long a busy machine takes to get there), or the end
    deadline = time.monotonic() + 900
    while (
        time.monotonic() < deadline and proc.poll() is None and not list(existing.parent.glob(".wardgaps.duckdb.tmp-*"))
    ):
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


def test_missing_authority_in_named_table(mirror):
    drop_rows(mirror, STATX_BHC, "Hartlepool")
    _statx_refused(mirror, STATX_BHC, "local authority 'Hartlepool' missing")


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
