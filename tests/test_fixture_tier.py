"""The fast tier's sweep over the fixture extract (``tests/fixtures.py``, ``tests/fixture_areas.py``):
every named query with its parameters, every page through the entry point for each fixture
authority (a London borough, a metropolitan district, a Welsh principal area; hostile names
shown as text), each contract rule against a copy with one defect put in, and the command line
through ``main(argv)``. No national data: the tier guard (``tests/tiers.py``) fails any test here
that opens it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, write_local
from tests.fixture_areas import METRO, MORE_CODE, WELSH
from tests.fixtures import AUTHORITY, CODE, COUNT, LONDON, RATE
from tests.test_pages import PAGES, app, texts
from wardgaps import db
from wardgaps.__main__ import main
from wardgaps.check import VERSION_RULE, run_checks

pytest_plugins = ["tests.fixture_plugin"]

QUERY_FILES = sorted((ROOT / "queries").glob("*.sql"))
PARAMS = {
    "authority_code": AUTHORITY,
    "indicator_id": RATE,
    "period": "FYE 2025",
    "ward_code": CODE["Alder"],
    "vintage": 2024,
    "geo_code": CODE["Alder"],
    "imd_period": "2025",
    "area_code": LONDON,
    "ward_vintage": 2024,
    "kind": "library",
    "ward_indicator": RATE,
    "imd_indicator": "imd_score",
    "wimd_indicator": "wimd_score",
    "theme": "child_poverty",
    "population_indicator": "population",
    "set_name": "Hubs",
}
# Queries that rightly return nothing on the fixture, and why.
EMPTY_ON_FIXTURE = {
    "lsoa_periods": "the fixture holds no LSOA",
    "lsoa_values": "the fixture holds no LSOA",
    "need_lsoa_values": "the fixture holds no LSOA",
    "ward_lsoas": "the fixture holds no LSOA",
    "similar_characteristic_list": "no similar-ward characteristics in the fixture",
    "similar_characteristics": "no similar-ward characteristics in the fixture",
    "similar_neighbours": "no similar-ward characteristics in the fixture",
    "fit_quality": "no fixture figure is apportioned",
}


@pytest.fixture()
def fixture_with_local(fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture extract with a local layer of one indicator, one place and one area set."""
    from wardgaps import local
    from wardgaps.local_places import add_places

    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    rows = [
        {"ward_code": CODE["Alder"], "period": "2024/25", "value": 31.5, "numerator": 126, "denominator": 400},
        {"ward_code": CODE["Birch"], "period": "2024/25", "value": 22.0, "numerator": 88, "denominator": 400},
    ]
    local.add(*write_local(tmp_path, rows))
    (tmp_path / "places.csv").write_text("name,kind,latitude,longitude\nHub,library,51.505,-0.195\n")
    add_places(tmp_path / "places.csv")
    (tmp_path / "areas.csv").write_text(f"area_name,ward_code\nNorth,{CODE['Alder']}\nNorth,{CODE['Birch']}\n")
    assert main(["add-areas", "--csv", str(tmp_path / "areas.csv"), "--set", "Hubs"]) == 0
    return fixture_db


def test_every_query_runs_on_the_fixture_with_its_named_parameters(fixture_with_local):
    reader = db.reader(public=False)
    problems, ran = [], 0
    for path in QUERY_FILES:
        params = set(re.findall(r"\$([a-z_]+)", path.read_text()))
        try:
            df = reader.query(path.stem, **{p: PARAMS[p] for p in params})
        except Exception as e:  # report every query's failure at once
            problems.append(f"{path.stem}: {type(e).__name__}: {e}")
            continue
        ran += 1
        if len(df) == 0 and path.stem not in EMPTY_ON_FIXTURE:
            problems.append(f"{path.stem}: no rows")
        if len(df) > 0 and path.stem in EMPTY_ON_FIXTURE:
            problems.append(f"{path.stem}: has rows now; take it out of EMPTY_ON_FIXTURE")
    assert problems == [], "\n".join(problems)
    assert ran == len(QUERY_FILES) >= 40


@pytest.mark.parametrize("authority", [AUTHORITY, METRO, WELSH])
def test_every_page_runs_on_the_fixture(fixture_db, authority):
    shown = {}
    for page in PAGES:
        at = app(page, authority=authority)
        assert at.title, f"{page}: every page has a title"
        shown[page] = texts(at)
    assert "Fixture" in shown["overview"] or "Ardal" in shown["overview"]


def test_hostile_names_are_shown_as_text(fixture_db):
    ward = MORE_CODE["<script>alert(1)</script>"]
    at = app("profile", authority=METRO, ward=ward)
    assert at.title[0].value == "Ward profile: <script>alert(1)</script>"
    at = app("map", authority=METRO, indicator=COUNT)
    assert "Ancoats & Beswick's has the highest figure (140) and Café Quarter the lowest (0)" in texts(at)
    cells = set(at.dataframe[0].value.astype(str).to_numpy().ravel())
    assert {"<script>alert(1)</script>", "Ancoats & Beswick's", "Café Quarter"} <= cells


# --- the data contract: each rule against a copy with one defect put in -------------------------
ALDER, BIRCH = CODE["Alder"], CODE["Birch"]
DEFECTS = [
    (
        "observations: percentages within 0-100",
        f"update observations set value = 140 where indicator_id = '{RATE}' and geo_code = '{ALDER}'"
        " and period = 'FYE 2025'",
    ),
    (
        "observations: a share's numerator is not larger than its denominator",
        f"update observations set numerator = numerator * 100 where indicator_id = '{RATE}'"
        f" and geo_code = '{BIRCH}' and period = 'FYE 2025'",
    ),
    (
        "observations: counts, numerators and denominators not negative",
        f"update observations set value = -3, numerator = -3 where indicator_id = '{COUNT}' and geo_code = '{ALDER}'",
    ),
    (
        "observations: lower_95 <= value <= upper_95 and lower_998 <= value <= upper_998",
        f"update observations set lower_95 = value + 1 where indicator_id = '{RATE}' and geo_code = '{ALDER}'"
        " and period = 'FYE 2025'",
    ),
    (
        "observations: status one of final, provisional, estimate, suppressed",
        f"update observations set status = 'guessed' where indicator_id = '{COUNT}' and geo_code = '{ALDER}'",
    ),
    (
        "observations: (indicator_id) present in indicators",
        f"update observations set indicator_id = 'no_such_indicator' where indicator_id = '{COUNT}'"
        f" and geo_code = '{ALDER}'",
    ),
    (
        "observations: (source_id) present in sources",
        f"update observations set source_id = 'no_such_source' where indicator_id = '{COUNT}' and geo_code = '{ALDER}'",
    ),
    (
        "observations: (geo_code, vintage) present in geographies",
        f"update observations set geo_code = 'E05999999' where indicator_id = '{COUNT}' and geo_code = '{ALDER}'",
    ),
    (
        "geographies: every ward and LSOA has a boundary (LSOA 2011 outside London: none in the mirror)",
        f"delete from boundaries where geo_code = '{BIRCH}'",
    ),
    (
        "geographies: codes valid for their type",
        f"update geographies set geo_type = 'lsoa' where geo_code = '{MORE_CODE['Café Quarter']}'",
    ),
    (
        "observations: an apportioned figure is an estimate (or suppressed, with no value)",
        f"update observations set method = 'apportioned' where indicator_id = '{COUNT}' and geo_code = '{ALDER}'",
    ),
]


def test_each_contract_rule_catches_its_defect(fixture_extract, tmp_path):
    """One copy per defect; every defect breaks its own rule (and, at most, rules that follow from
    it)."""
    rules_named = {r for r, _ in DEFECTS}
    problems = []
    for i, (rule, sql) in enumerate(DEFECTS):
        copy = tmp_path / f"defect{i}.duckdb"
        shutil.copyfile(fixture_extract, copy)
        con = duckdb.connect(str(copy))
        try:
            con.execute(sql)
            broken = {f.rule for f in run_checks(con)} - {VERSION_RULE}
        finally:
            con.close()
        if rule not in broken:
            problems.append(f"{rule}: not caught by {sql!r} (broke {sorted(broken)})")
    assert problems == []
    assert len(rules_named) == len(DEFECTS)


# --- the command line, in process -------------------------------------------------------------------
def test_check_and_version_from_the_command_line(fixture_extract, capsys):
    assert main(["version", "--db", str(fixture_extract)]) == 0
    assert db.Reader(fixture_extract).version in capsys.readouterr().out
    # the schema contract holds on the fixture; the release facts name the real ward set, and fail
    assert main(["check", "--db", str(fixture_extract)]) == 0
    capsys.readouterr()
    assert main(["check", "--release", "--db", str(fixture_extract)]) == 1
    out = capsys.readouterr()
    assert "Islington (E09000019) has 17 wards" in out.out + out.err


def test_publish_and_local_commands(fixture_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    rows = [{"ward_code": CODE["Alder"], "period": "2024/25", "value": 31.5, "numerator": 126, "denominator": 400}]
    csv, yml = write_local(tmp_path, rows)
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 0
    assert main(["list-local"]) == 0
    assert "fsm_test" in capsys.readouterr().out
    assert main(["remove", "fsm_test"]) == 0
    out = tmp_path / "public.duckdb"
    assert main(["publish", "--db", str(fixture_db), "--out", str(out)]) == 0
    assert out.is_file()
