"""Releases and their change log: two builds from the tiny raw samples, the second from a copy with
one DWP ward value edited and a year added to End Child Poverty's workbook; ``changes`` must report
exactly that value revised (old and new), the two sources whose files changed and the period added,
from the two extracts and from a recorded version, and the build must store the log for Data and
methods."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.sample_build import SAMPLES, build_samples, registry
from wardgaps import analysis, db, provenance, releases
from wardgaps.__main__ import main

DWP_WARD = "dwp_cilif_local_area_stats_2022_2025/4_AHC_Relative_Ward.csv"
ECP = "ecp_loughborough_child_poverty_ahc/end-child-poverty-AHC-2015-2024.xlsx"
FP = 'Islington,E09000019,Finsbury Park,E05013703,"1,137","1,070",49.0%,'


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def without_last_year(raw: Path) -> None:
    """ECP's workbook as if published a year earlier: its 2023/24 number and percentage dropped."""
    wb = openpyxl.load_workbook(raw / ECP)
    ws = wb["Local Authority"]
    assert ws.cell(2, 23).value == "2023/24" and ws.cell(2, 13).value == "2023/24"
    ws.delete_cols(23)
    ws.delete_cols(13)
    wb.save(raw / ECP)


@pytest.fixture()
def two_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path, Path]:
    """(A, B, raw A, raw B): A from the samples with ECP's last year dropped, B from the samples as
    published with Finsbury Park's FYE 2025 rate edited from 46.0% to 47.5%."""
    monkeypatch.setenv("WARDGAPS_VERSIONS", str(tmp_path / "versions.json"))
    reg = registry(tmp_path / "registry")
    raw_a, raw_b = (
        Path(shutil.copytree(SAMPLES, tmp_path / "raw_a")),
        Path(shutil.copytree(SAMPLES, tmp_path / "raw_b")),
    )
    without_last_year(raw_a)
    p = raw_b / DWP_WARD
    text = p.read_text(encoding="utf-8-sig")
    assert text.count(FP + "46.0%") == 1
    p.write_text(text.replace(FP + "46.0%", FP + "47.5%"), encoding="utf-8-sig")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build_samples(raw_a, tmp_path / "a" / "wardgaps.duckdb", reg)
    b = build_samples(raw_b, tmp_path / "b" / "wardgaps.duckdb", reg)
    return a, b, raw_a, raw_b


def expected_sources(raw_a: Path, raw_b: Path) -> list[dict]:
    return [
        {
            "source_id": "dwp_cilif",
            "files": [{"file": DWP_WARD, "old": sha(raw_a / DWP_WARD)[:16], "new": sha(raw_b / DWP_WARD)[:16]}],
        },
        {"source_id": "ecp_ahc", "files": [{"file": ECP, "old": sha(raw_a / ECP)[:16], "new": sha(raw_b / ECP)[:16]}]},
    ]


def test_changes_between_two_extracts_reports_the_edit(two_builds, capsys):
    a, b, raw_a, raw_b = two_builds
    assert main(["changes", str(a), str(b), "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert log["periods_added"] == {"child_poverty_ahc_ecp": ["FYE 2024"]}
    assert log["periods_removed"] == {}
    rv = log["revised"]
    assert rv["exact"] and rv["values"] == 1
    [ind] = rv["indicators"]
    assert (ind["indicator_id"], ind["periods"], ind["values"], ind["authorities"]) == (
        "child_poverty_ahc_dwp",
        ["FYE 2025"],
        1,
        1,
    )
    assert ind["largest"] == {
        "geo_code": "E05013703",
        "geo_name": "Finsbury Park",
        "authority_code": "E09000019",
        "authority_name": "Islington",
        "period": "FYE 2025",
        "old": 46.0,
        "new": 47.5,
    }
    assert [(x["authority_code"], x["values"]) for x in ind["by_authority"]] == [("E09000019", 1)]
    assert log["sources"] == expected_sources(raw_a, raw_b)
    assert log["areas"] == {"wards_added": [], "wards_removed": [], "authorities_added": [], "authorities_removed": []}

    assert main(["changes", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "  child_poverty_ahc_ecp: FYE 2024" in out
    assert "Values revised: 1 in 1 indicators." in out
    assert "largest: Finsbury Park (E05013703) in Islington (E09000019), FYE 2025: 46 → 47.5" in out
    assert f"  dwp_cilif: {DWP_WARD} (sha256 {sha(raw_a / DWP_WARD)[:12]} → {sha(raw_b / DWP_WARD)[:12]})" in out
    assert "census2021" not in out  # its sample file is the same in both


def test_nothing_changed_between_a_build_and_itself(two_builds, capsys):
    a = two_builds[0]
    assert main(["changes", str(a), str(a), "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert log["periods_added"] == {} and log["revised"]["indicators"] == [] and log["sources"] == []


def test_recorded_version_is_compared_without_its_extract(two_builds, tmp_path, capsys):
    a, b, raw_a, raw_b = two_builds
    va, added = provenance.record(db.Reader(a), "sample release A")
    assert added
    entry = json.loads((tmp_path / "versions.json").read_text())["versions"][0]
    assert releases.unpack_wards(entry["areas"]["wards"]["E09000019"]) == {f"E0501{n}" for n in range(3697, 3714)}
    assert entry["areas"]["wards"]["E09000019"] == "E05013697..E05013713"
    a.unlink()  # no extract: the manifest entry alone
    assert main(["changes", va, str(b), "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert log["old"]["version"] == va and log["old"]["from"].startswith("sample release A, recorded ")
    assert log["periods_added"] == {"child_poverty_ahc_ecp": ["FYE 2024"]}
    assert log["revised"] == {
        "exact": False,
        "values": None,
        "indicators": [
            {
                "indicator_id": "child_poverty_ahc_dwp",
                "periods": ["FYE 2025"],
                "authorities": 1,
                "authority_codes": ["E09000019"],
            }
        ],
    }
    assert log["sources"] == expected_sources(raw_a, raw_b)
    assert log["areas"]["wards_added"] == [] and log["areas"]["authorities_removed"] == []


def test_build_stores_the_log_against_the_previous_recorded_version(two_builds, tmp_path):
    """Built over the recorded extract it replaces: the log is exact, and Data and methods reads it."""
    a, _b, _raw_a, raw_b = two_builds
    va, _ = provenance.record(db.Reader(a), "sample release A")
    reg = tmp_path / "registry"
    out = build_samples(raw_b, a, reg)  # the new release replaces A, as make data does
    r = db.Reader(out)
    log = analysis.release_changes(r)
    assert log["old"]["version"] == va
    assert log["revised"]["values"] == 1
    table = analysis.release_changes_table(r, log).set_index("indicator_id")
    assert table.loc["child_poverty_ahc_dwp", "largest"] == "Finsbury Park (Islington), FYE 2025 (2024/25): 46 to 47.5"
    assert table.loc["child_poverty_ahc_ecp", "added"] == "FYE 2024 (2023/24)"
    assert analysis.release_changes_summary(log) == (
        f"Since data version {va}: 1 period added, 1 figure revised, 0 wards added and 0 removed; "
        "2 sources with changed files."
    )
    # built elsewhere (nothing to replace): from the manifest entry, revisions by authority
    fresh = build_samples(raw_b, tmp_path / "fresh.duckdb", reg)
    other = analysis.release_changes(db.Reader(fresh))
    assert other["revised"]["exact"] is False
    assert other["revised"]["indicators"][0]["authority_codes"] == ["E09000019"]


def test_no_log_without_a_recorded_version(two_builds):
    assert analysis.release_changes(db.Reader(two_builds[1])) is None


def test_bad_arguments_are_one_sentence(two_builds, tmp_path, capsys):
    a, b = two_builds[:2]
    assert main(["changes", "0123456789", str(b)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("OLD '0123456789' is neither an extract file nor a data version recorded in ")
    assert len(err.splitlines()) == 1
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    assert main(["changes", str(a), str(junk)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"NEW {junk} is not a Ward Gaps extract") and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_summary_packs_and_unpacks():
    summary = {"x": {"E09000019": "abc", "E09000030": "000"}, "y": {"E09000030": "fff"}}
    packed = releases.pack_summary(summary)
    assert releases.unpack_summary(json.loads(json.dumps(packed))) == summary
    assert len(packed["indicators"]["x"][1]) == 4  # two characters an authority
    assert releases.pack_wards({"E05000001", "E05000002", "E05000003", "E05000009", "W05000001"}) == (
        "E05000001..E05000003 E05000009 W05000001"
    )
