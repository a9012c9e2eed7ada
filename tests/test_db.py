"""wardgaps.db: named queries with bound parameters on a locked-down read-only connection."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import ROOT
from tests.published import DWP
from wardgaps import db

QUERY_FILES = sorted((ROOT / "queries").glob("*.sql"))
# Queries that rightly return nothing on today's extract, and where their rows are tested instead
EMPTY_HERE = {
    # no ward series has five periods with intervals yet (tests/test_analysis_fixture.py has one)
    "worse_and_worsening",
}
OVERRIDES = {
    "lsoa_values": {"indicator_id": "imd_score", "period": "2025"},
    "need_lsoa_values": {"indicator_id": "imd_score", "period": "2025"},
}


def test_query_returns_dataframe(full_reader):
    df = full_reader.query("indicator_periods", authority_code="E09000019", indicator_id="child_poverty_ahc_dwp")
    assert list(df["period"]) == ["FYE 2025", "FYE 2024"]
    assert list(df["wards_with_value"]) == [DWP["islington_wards_with_value"]] * 2
    assert full_reader.calls == [
        ("indicator_periods", (("authority_code", "E09000019"), ("indicator_id", "child_poverty_ahc_dwp")))
    ]


def test_a_reader_records_its_queries_and_traces_parts_of_a_page(full_reader):
    r = full_reader
    r.query("authorities", vintage=2024)
    with r.trace() as outer:
        r.query("comparators", authority_code="E09000019", indicator_id="child_poverty_ahc_dwp", period="FYE 2025")
        with r.trace() as inner:
            r.query("indicator_catalogue")
    r.peek("data_digests")  # bookkeeping: not recorded
    assert [n for n, _ in r.calls] == ["authorities", "comparators", "indicator_catalogue"]
    assert [n for n, _ in outer] == ["comparators", "indicator_catalogue"] and [n for n, _ in inner] == [
        "indicator_catalogue"
    ]


def test_results_are_copies_from_one_bounded_cache(full_reader, public_reader):
    a = full_reader.query("authorities", vintage=2024)
    a.loc[0, "geo_name"] = "changed"
    assert full_reader.query("authorities", vintage=2024).loc[0, "geo_name"] != "changed"
    # the same query on the public extract is its own entry (another data version)
    assert public_reader.version != full_reader.version
    small = db._Cache(max_bytes=10_000, max_items=100)
    for i in range(50):
        small.put(("k", i), a)
    assert small.bytes <= 10_000 or len(small.items) == 1


def test_query_cache_bound_fills_early_in_a_soak():
    # resident memory is ~3x the bound; at 256 MB / 20,000 the soak never saw it level (db.CACHE)
    assert (db.CACHE.max_bytes, db.CACHE.max_items) == (32 * 2**20, 2_000)


@pytest.mark.parametrize("name", ["../etc/passwd", "drop table", "Indicator_List", "no_such_query", ""])
def test_bad_query_names_refused(name):
    with pytest.raises(ValueError):
        db.sql_text(name)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "copy observations to '/tmp/wardgaps-leak.csv'",
        "attach '/tmp/other.duckdb' as other",
        "install httpfs",
        "set enable_external_access = true",
        "create table t (x int)",
        "load httpfs",
    ],
)
def test_connection_is_locked_down(sql, tmp_path):
    path = tmp_path / "small.duckdb"
    setup = duckdb.connect(str(path))
    setup.execute("create table observations (x integer)")
    setup.close()
    con = db.connect(path)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    finally:
        con.close()


@pytest.mark.national
@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_has_header_and_runs(path, request, tmp_path, monkeypatch):
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    if "local_layer." in path.read_text():  # it reads the council's own data: give it some
        request.getfixturevalue("local_layer")
    if "local_layer.places" in path.read_text():  # and one place of the council's own
        from wardgaps.local_places import add_places

        (tmp_path / "places.csv").write_text("name,kind,latitude,longitude\nHub,hub,51.5464,-0.1037\n")
        add_places(tmp_path / "places.csv")
    if "local_layer.area" in path.read_text() or "area_observations" in path.read_text():  # and an area set
        from wardgaps.__main__ import main

        request.getfixturevalue("local_layer")
        (tmp_path / "areas.csv").write_text("area_name,ward_code\nNorth,E05013697\nNorth,E05013698\n")
        assert main(["add-areas", "--csv", str(tmp_path / "areas.csv"), "--set", "Hubs"]) == 0
    text = path.read_text()
    head = [ln for ln in text.splitlines() if ln.startswith("--")]
    assert any(ln.startswith("-- Returns:") for ln in head), "header must say what it returns"
    assert any(ln.startswith("-- Parameters:") for ln in head), "header must list the parameters"
    params = re.findall(r"\$([a-z_]+)", text)
    defaults = {
        "authority_code": "E09000019",
        "indicator_id": "child_poverty_ahc_dwp",
        "period": "FYE 2025",
        "ward_code": "E05013703",
        "vintage": 2024,
        "geo_code": "E05013703",
        "imd_period": "2025",
        "area_code": "E12000007",
        "ward_vintage": 2024,
        "ward_indicator": "child_poverty_ahc_dwp",
        "imd_indicator": "imd_score",
        "wimd_indicator": "wimd_score",
        "theme": "child_poverty",
        "population_indicator": "population",
        "set_name": "Hubs",
    }
    defaults.update(OVERRIDES.get(path.stem, {}))
    df = db.reader().query(path.stem, **{p: defaults[p] for p in set(params)})
    assert len(df) > 0 or path.stem in EMPTY_HERE


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_is_used(path):
    used = "\n".join(
        p.read_text() for p in [*ROOT.glob("pages/*.py"), *ROOT.glob("wardgaps/**/*.py"), ROOT / "dashboard.py"]
    )
    assert f'"{path.stem}"' in used, f"queries/{path.name} is used nowhere"
