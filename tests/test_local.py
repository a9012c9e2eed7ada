"""The council's own ward data (issue 14): ``python -m wardgaps add|list-local|remove`` on the
committed extract's real wards, its values on every page and in packs tagged "local data" with
provenance, the disclosure gate on it in the public view, and every bad input refused with one
sentence and nothing written. Each test writes its own small CSV and YAML files in a tmp dir."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
import time

import duckdb
import numpy as np
import pytest

from tests import fixtures
from tests.conftest import COMMITTED, write_local
from tests.test_pages import app, frames, texts
from wardgaps import analysis, db, local, local_files, ui
from wardgaps.__main__ import main
from wardgaps.publish import publish

pytest_plugins = ["tests.fixture_plugin"]

ISLINGTON = "E09000019"
MANCHESTER = "E08000003"  # the non-London authority


def other_authority() -> str:
    return MANCHESTER


def officer() -> db.Reader:
    """A new run's reader of the full view (it looks at the files, the local layer's too, when made)."""
    return db.reader(public=False)


def authority_rows(authority: str, period: str = "2024/25", small: int | None = None) -> list[dict]:
    """One row per current ward of an authority, numerator 100 + 7i of 400 (value its percentage);
    with ``small``, ward number ``small`` has numerator 6."""
    wards = list(analysis.ward_names(officer(), authority, analysis.WARD_VINTAGE))
    rows = []
    for i, code in enumerate(wards):
        num = 6 if i == small else 100 + 7 * i
        rows.append(
            {
                "ward_code": code,
                "period": period,
                "value": round(100 * num / 400, 2),
                "numerator": num,
                "denominator": 400,
            }
        )
    return rows


def sha(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@pytest.fixture()
def layer(tmp_path, monkeypatch):
    """An empty local layer path of this test's own, on the committed extract."""
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    monkeypatch.delenv("WARDGAPS_DB", raising=False)
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    return tmp_path / "local.duckdb"


# --- the commands -------------------------------------------------------------------------------
@pytest.mark.national
def test_add_list_remove_from_the_command_line(layer, tmp_path, capsys):
    csv, yml = write_local(tmp_path, authority_rows(ISLINGTON))
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    assert f"Added local indicator fsm_test: 17 rows, 17 wards, periods 2024/25 (sha256 {digest[:12]})" in out

    assert main(["list-local"]) == 0
    listed = capsys.readouterr().out
    assert "fsm_test: Pupils eligible for free school meals (%, child_poverty) · Islington · 17 wards" in listed
    assert f"file local.csv sha256 {digest[:12]}" in listed
    assert "licence Open Government Licence v3.0" in listed and "dated 2025-10-01" in listed

    # the same id again: refused unless --replace
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 1
    assert "already loaded; add --replace" in capsys.readouterr().err
    assert main(["add", "--csv", str(csv), "--meta", str(yml), "--replace"]) == 0
    assert "Replaced local indicator fsm_test" in capsys.readouterr().out

    assert main(["remove", "fsm_test"]) == 0
    assert capsys.readouterr().out == "Removed local indicator fsm_test.\n"
    assert main(["list-local"]) == 0
    assert "fsm_test" not in capsys.readouterr().out
    assert analysis.indicator_meta(officer(), "fsm_test") is None
    assert main(["remove", "fsm_test"]) == 1
    assert "There is no local indicator 'fsm_test'" in capsys.readouterr().err


@pytest.mark.national
def test_module_entry_point_runs_add(layer, tmp_path):
    csv, yml = write_local(tmp_path, authority_rows(ISLINGTON))
    env = {**os.environ, "WARDGAPS_LOCAL": str(layer)}
    r = subprocess.run(
        [".venv/bin/python", "-m", "wardgaps", "add", "--csv", str(csv), "--meta", str(yml)],
        cwd=COMMITTED.parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert layer.is_file()


@pytest.mark.national
@pytest.mark.parametrize("authority", [ISLINGTON, "other"])
def test_values_reach_the_ward_table_for_two_authorities(layer, tmp_path, authority):
    authority = other_authority() if authority == "other" else authority
    rows = authority_rows(authority)
    local.add(*write_local(tmp_path, rows))
    t = analysis.ward_table(officer(), authority, "fsm_test", "2024/25", analysis.WARD_VINTAGE).set_index("geo_code")
    for r in rows:
        assert t.loc[r["ward_code"], "value"] == r["value"]
        assert t.loc[r["ward_code"], "numerator"] == r["numerator"]
    # Wilson intervals are worked out on loading, as the build does for official proportions
    lo, hi = t.loc[rows[0]["ward_code"], ["lower_95", "upper_95"]]
    assert lo < rows[0]["value"] < hi
    assert analysis.period_options(officer(), authority, "fsm_test") == ["2024/25"]
    # not published yet (the default): the officer view says so in its title
    label = analysis.indicators_by_theme(officer())["child_poverty"]["fsm_test"]
    assert label == "Free school meals (local data, not published) (%)"


@pytest.mark.national
def test_replacing_is_seen_at_once_and_an_extract_swap_keeps_local_data(layer, tmp_path, monkeypatch):
    extract = tmp_path / "wardgaps.duckdb"
    shutil.copyfile(COMMITTED, extract)
    monkeypatch.setenv("WARDGAPS_DB", str(extract))
    rows = authority_rows(ISLINGTON)
    local.add(*write_local(tmp_path, rows))
    first = rows[0]["ward_code"]
    assert (
        analysis.ward_table(officer(), ISLINGTON, "fsm_test", "2024/25", 2024).set_index("geo_code").loc[first, "value"]
        == 25.0
    )
    rows[0].update(value=33.0, numerator=132)
    local.add(*write_local(tmp_path, rows), replace=True)
    assert (
        analysis.ward_table(officer(), ISLINGTON, "fsm_test", "2024/25", 2024).set_index("geo_code").loc[first, "value"]
        == 33.0
    )
    # a rebuilt extract is a new file renamed over the old one; the local layer is another file
    new = tmp_path / "new.duckdb"
    shutil.copyfile(COMMITTED, new)
    os.replace(new, extract)
    assert (
        analysis.ward_table(officer(), ISLINGTON, "fsm_test", "2024/25", 2024).set_index("geo_code").loc[first, "value"]
        == 33.0
    )
    assert layer.parent != COMMITTED.parent or layer.name != COMMITTED.name


# --- pages --------------------------------------------------------------------------------------
def test_map_page_shows_local_values_tagged_with_provenance(local_layer):
    at = app("map", indicator="fsm_test", period="2024/25")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Arsenal", "Value (%)"] == 31.5
    assert t.loc["Bunhill", "Value (%)"] == 40.0
    shown = texts(at)
    assert "Ward map: Free school meals (local data)" in shown
    assert "Bunhill has the highest figure (40.0%)" in shown
    digest = local.listed().loc[0, "sha256"]
    assert re.search(
        r"Local data: the council's own figures, not an official statistic\. Source Test Council, Children's "
        r"Services; licence Open Government Licence v3\.0; dated 2025-10-01; "
        rf"file local\.csv \(sha256 {digest[:12]}\); added \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\.",
        shown,
    )
    # the sidebar offers it under its theme
    box = at.selectbox(key="w_indicator")
    assert "fsm_test" in box.options or "Free school meals (local data) (%)" in box.options


@pytest.mark.parametrize("page", ["gaps", "trends", "profile", "context", "methods", "overview", "briefing"])
def test_every_page_lists_local_data(local_layer, page):
    at = app(page, indicator="fsm_test", period="2024/25")
    shown = texts(at) + "\n".join(str(f.to_dict()) for f in frames(at))
    assert "local data" in shown.lower() or page == "briefing"  # the briefing page names it in its pack
    if page == "profile":  # Arsenal (the first ward) with its local figure in the table
        t = frames(at)[0].set_index("Indicator")
        assert t.loc["Free school meals (local data)", "Ward"] == "31.5%"
    if page == "methods":
        t = next(f for f in frames(at) if "File checksum (sha256, first 12)" in f.columns).set_index("Id")
        assert t.loc["fsm_test", "Wards"] == 3 and t.loc["fsm_test", "Authority"] == "Islington"
    if page == "briefing":  # the page builds the pack of the local indicator
        at.radio(key="pack_kind").set_value("One indicator across the authority").run()
        at.button(key="build_pack").click().run()
        assert not at.exception and not at.error
        _, files, _ = at.session_state["pack"]
        words = pdf_text(files["pdf"])
        assert "Free school meals (local data): Islington" in words and "22.0%" in words
    if page == "overview":
        assert "Pupils eligible for free school meals (3 wards, 2024/25; Test Council" in shown


def test_navigation_reaches_the_local_indicator(local_layer):
    at = app("overview")
    at.selectbox(key="w_theme").set_value("child_poverty").run()
    at.selectbox(key="w_indicator").set_value("fsm_test").run()
    assert not at.exception
    at.switch_page("pages/map.py").run()
    assert frames(at)[0].set_index("Ward").loc["Barnsbury", "Value (%)"] == 22.0


# --- packs --------------------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """A PDF's words as one line (poppler, as a reader's viewer extracts them)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def pptx_text(data: bytes) -> str:
    """Every word on every slide of a PowerPoint file, table cells included, as one line."""
    import io

    from pptx import Presentation

    parts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                parts += [c.text for row in sh.table.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def test_indicator_and_ward_packs_carry_local_values_and_provenance(local_layer):
    from wardgaps.briefing import build_pack

    digest = local.listed().loc[0, "sha256"]
    data, _ = build_pack(officer(), ISLINGTON, indicator="fsm_test", period="2024/25", fmt_="pdf")
    words = pdf_text(data)
    assert "Free school meals (local data): Islington" in words
    assert "31.5%" in words and "40.0%" in words
    assert "those marked Local data are the council's own figures" in words
    data, _ = build_pack(officer(), ISLINGTON, ward="E05013697", fmt_="pptx")
    words = pptx_text(data)
    assert "Free school meals (local data) FYE 2025 (2024/25) 31.5%" in words
    assert f"Local data: file local.csv, sha256 {digest[:12]}, added" in words
    assert "Test Council, Children's Services: Local data: Pupils eligible for free school meals" in words


def test_cli_pack_on_local_data(local_layer, tmp_path):
    out = tmp_path / "fsm.pptx"
    rc = main(["briefing", "--indicator", "fsm_test", "--period", "2024/25", "--format", "pptx", "--out", str(out)])
    assert rc == 0 and out.stat().st_size > 0
    from pptx import Presentation

    words = " ".join(sh.text_frame.text for s in Presentation(str(out)).slides for sh in s.shapes if sh.has_text_frame)
    assert "Free school meals (local data)" in words and "Test Council" in words


# --- the public view: local data published into the public extract when asked ------------------
# On the fixture extract (tests/fixtures.py): publishing it takes a moment, the national one a minute.
@pytest.fixture()
def fixture_layer(layer, fixture_extract, monkeypatch):
    """The local layer on the fixture extract (its wards are the fixture's)."""
    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    return layer


def published(tmp_path, fixture_extract, layer, monkeypatch=None) -> db.Reader:
    """The fixture extract published with the local layer; with ``monkeypatch``, the app's public
    view pointed at it."""
    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    if monkeypatch is not None:
        monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
        monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(out))
    return db.Reader(out, public=True)


def test_local_data_reaches_the_public_extract_only_when_asked(fixture_layer, fixture_extract, tmp_path):
    local.add(*write_local(tmp_path, authority_rows(fixtures.AUTHORITY)), published=True)
    bare = tmp_path / "bare.duckdb"
    publish(fixture_extract, bare, say=lambda _m: None)
    assert analysis.indicator_meta(db.Reader(bare, public=True), "fsm_test") is None
    assert not db.Reader(bare, public=True).has_local()
    r = published(tmp_path, fixture_extract, fixture_layer)
    assert r.has_local() and analysis.indicator_meta(r, "fsm_test")["title"].endswith("(local data)")
    provenance = analysis.local_table(r, fixtures.AUTHORITY).iloc[0]
    assert provenance["source"] == "Test Council, Children's Services" and provenance["wards"] == 7


def test_public_view_applies_the_disclosure_rules_to_local_data(fixture_layer, fixture_extract, tmp_path, monkeypatch):
    rows = authority_rows(fixtures.AUTHORITY, small=2)  # Cedar: 6 of 400
    local.add(*write_local(tmp_path, rows), published=True)
    r = published(tmp_path, fixture_extract, fixture_layer, monkeypatch)
    t = analysis.ward_table(r, fixtures.AUTHORITY, "fsm_test", "2024/25", 2024).set_index("geo_code")
    small = rows[2]["ward_code"]
    assert t.loc[small, "suppressed"] and np.isnan(t.loc[small, "value"])
    # secondary suppression: at least two hidden, holding at least 10 between them
    assert t["suppressed"].sum() >= 2
    shown = t[~t["suppressed"]]
    assert (shown["numerator"] % 5 == 0).all()
    assert np.allclose(shown["value"], (100 * shown["numerator"] / shown["denominator"]).round(1))

    at = app("map", authority=fixtures.AUTHORITY, indicator="fsm_test", period="2024/25")
    table = frames(at)[0].set_index("Ward")
    assert np.isnan(table.loc["Cedar", "Value (%)"])  # hidden
    everything = texts(at) + table.to_csv()
    assert "1.5%" not in everything and "1.50" not in everything


def test_public_view_rounds_local_counts(fixture_layer, fixture_extract, tmp_path):
    wards = list(analysis.ward_names(officer(), fixtures.AUTHORITY, 2024))
    rows = [{"ward_code": w, "period": "2025-03", "value": 12 + 3 * i} for i, w in enumerate(wards)]
    rows[0]["value"] = 4
    meta = {"id": "hub_visits", "title": "Community hub visits", "unit": "count", "theme": "poverty"}
    local.add(*write_local(tmp_path, rows, short_title=None, **meta), published=True)
    r = published(tmp_path, fixture_extract, fixture_layer)
    t = analysis.ward_table(r, fixtures.AUTHORITY, "hub_visits", "2025-03", 2024)
    shown = t[~t["suppressed"]]["value"]
    assert (shown % 5 == 0).all() and t.set_index("geo_code").loc[wards[0], "suppressed"]
    full = analysis.ward_table(officer(), fixtures.AUTHORITY, "hub_visits", "2025-03", 2024).set_index("geo_code")
    assert full.loc[wards[1], "value"] == 15


def test_public_view_hides_small_local_rates_per_1000(fixture_layer, fixture_extract, tmp_path):
    wards = list(analysis.ward_names(officer(), fixtures.AUTHORITY, 2024))
    rows = [
        {
            "ward_code": w,
            "period": "2025",
            "value": round(1000 * (4 if i == 0 else 40 + i) / 9000, 3),
            "numerator": 4 if i == 0 else 40 + i,
            "denominator": 9000,
        }
        for i, w in enumerate(wards)
    ]
    meta = {"id": "hub_rate", "title": "Hub visits per 1,000 residents", "unit": "rate_per_1000", "short_title": None}
    local.add(*write_local(tmp_path, rows, **meta), published=True)
    r = published(tmp_path, fixture_extract, fixture_layer)
    t = analysis.ward_table(r, fixtures.AUTHORITY, "hub_rate", "2025", 2024).set_index("geo_code")
    assert t.loc[wards[0], "suppressed"] and t["suppressed"].sum() >= 2
    # the rates shown are those of the rounded counts (a rate per 1,000 cannot give a count back)
    shown = t[~t["suppressed"]]
    assert np.allclose(shown["value"], (1000 * shown["numerator"] / shown["denominator"]).round(1))
    full = analysis.ward_table(officer(), fixtures.AUTHORITY, "hub_rate", "2025", 2024).set_index("geo_code")
    assert full.loc[wards[0], "value"] == 0.444


def test_public_profile_hides_a_small_local_figure(fixture_layer, fixture_extract, tmp_path, monkeypatch):
    local.add(*write_local(tmp_path, authority_rows(fixtures.AUTHORITY, small=2)), published=True)  # Cedar: 6 of 400
    published(tmp_path, fixture_extract, fixture_layer, monkeypatch)
    at = app("profile", authority=fixtures.AUTHORITY, ward=fixtures.CODE["Cedar"])
    t = frames(at)[0].set_index("Indicator")
    assert t.loc["Free school meals (local data)", "Ward"] == "not shown (small numbers)"
    assert "1.5%" not in texts(at) + t.to_csv()


# --- bad input: one sentence naming the row and the rule, nothing written -----------------------
GOOD = "ward_code,period,value,numerator,denominator\nE05013697,2024/25,31.5,126,400\n"
BAD_ROWS = [
    (GOOD + "E05999999,2024/25,10,40,400\n", {}, "Row 3: ward code E05999999 is not a ward of the current ward set."),
    (GOOD + "E05000366,2024/25,10,40,400\n", {}, "Row 3: ward code E05000366 is a ward of the 2014 and 2018 ward sets"),
    (
        GOOD + "E05013697,2024/25,30,120,400\n",
        {},
        "Row 3: ward E05013697 and period 2024/25 are already given in row 2.",
    ),
    (GOOD + "E05013698,2024/25,n/a,40,400\n", {}, "Row 3: value 'n/a' is not a number."),
    (GOOD + "E05013698,2024/25,10,ten,400\n", {}, "Row 3: numerator 'ten' is not a number."),
    (GOOD + "E05013698,2024/25,120,40,400\n", {}, "Row 3: value 120 is a percentage outside 0 to 100."),
    (GOOD + "E05013698,2024/25,-1,40,400\n", {}, "Row 3: value -1 is a percentage outside 0 to 100."),
    (GOOD + "E05013698,2024/25,10,500,400\n", {}, "Row 3: the numerator 500 is larger than the denominator 400."),
    (GOOD + "E05013698,2024.0,10,40,400\n", {}, "Row 3: period '2024.0' is a number, not a period label"),
    (GOOD + "E05013698,Spring term,10,40,400\n", {}, "Row 3: period 'Spring term' is not a year"),
    (GOOD + "E05013698,,10,40,400\n", {}, "Row 3: the period is empty."),
    (GOOD + ",2024/25,10,40,400\n", {}, "Row 3: the ward code is empty."),
    (GOOD + "E05013698,2024/25,,40,400\n", {}, "Row 3: the value is empty"),
    ("ward_code,period,value,period_start\nE05013697,Spring,1,2024-13-01\n", {}, "Row 2: period_start '2024-13-01'"),
    ("ward_code,period,value,numerator\nE05013697,2024,12,5\n", {"unit": "score"}, "Row 2: a numerator or denominator"),
    ("ward_code,period\nE05013697,2024\n", {}, "The data file local.csv has no 'value' column"),
    (
        "Ward code,ward_code,period,value\nE05013697,E05013697,2024,1\n",
        {},
        "The data file local.csv has the column 'ward_code' twice.",
    ),
    (
        "ward_code,period,value,colour\nE05013697,2024,1,red\n",
        {},
        "The data file local.csv has an unknown column 'colour'.",
    ),
    ("", {}, "The data file local.csv is empty."),
    ("ward_code,period,value\n", {}, "The data file local.csv has a header but no rows."),
    ("ward_code,period,value\nE05013697,2024,1,2,3\n", {}, "Row 2: it has 5 fields, but the header has 3."),
    (GOOD, {"licence": None}, "The metadata file local.yaml has no 'licence'"),
    (GOOD, {"title": None}, "The metadata file local.yaml has no 'title'"),
    (GOOD, {"unit": "percent"}, "The metadata file local.yaml: unit 'percent' is not one of %, £, score, count"),
    (GOOD, {"polarity": "good"}, "The metadata file local.yaml: polarity 'good' is not one of"),
    (GOOD, {"theme": "leisure"}, "The metadata file local.yaml: theme 'leisure' is not one of"),
    (GOOD, {"id": "Free Meals!"}, "The metadata file local.yaml: id 'Free Meals!' must be lower-case"),
    (GOOD, {"id": "child_poverty_ahc_dwp"}, "The id 'child_poverty_ahc_dwp' is an official indicator's"),
    (GOOD, {"colour": "red"}, "The metadata file local.yaml has an unknown field 'colour'"),
    (GOOD, {"title": "Meals [click](http://x)"}, "The metadata file local.yaml: title holds '['"),
    (GOOD, {"source": "<b>Council</b>"}, "The metadata file local.yaml: source holds '<'"),
    (GOOD, {"short_title": "x" * 51}, "The metadata file local.yaml: short_title is longer than 50 characters."),
    (GOOD + "E05013698,2024/25,10.0,200,400\n", {}, "Row 3: value 10.0 does not agree with its numerator and"),
]


@pytest.mark.parametrize(("csv_text", "meta", "message"), BAD_ROWS, ids=[m[2][:40] for m in BAD_ROWS])
def test_bad_input_refused_with_one_sentence_and_nothing_written(
    local_layer, tmp_path, capsys, csv_text, meta, message
):
    before = sha(local_layer)
    listed = local.listed()
    d = tmp_path / "bad"
    d.mkdir()
    csv, yml = write_local(d, csv_text, id=meta.pop("id", "fsm_bad"), **meta)
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert err.endswith("Nothing was written.\n") and err.count("\n") == 1
    assert sha(local_layer) == before
    assert local.listed().equals(listed)
    assert not list(local_layer.parent.glob(".local.duckdb.tmp-*"))


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("id: [unclosed\n", "The metadata file local.yaml is not valid YAML"),
        ("- a\n- b\n", "The metadata file local.yaml must be a list of 'field: value' lines."),
        ("", "The metadata file local.yaml is empty."),
    ],
)
def test_unreadable_metadata_refused(layer, tmp_path, capsys, yaml_text, message):
    csv, yml = write_local(tmp_path, GOOD)
    yml.write_text(yaml_text)
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert not layer.exists()


def test_missing_and_binary_files_refused(layer, tmp_path, capsys):
    csv, yml = write_local(tmp_path, GOOD)
    assert main(["add", "--csv", str(tmp_path / "nope.csv"), "--meta", str(yml)]) == 1
    assert capsys.readouterr().err.startswith("The data file nope.csv could not be read")
    csv.write_bytes(b"\xff\xfe\x00\x81garbage")
    assert main(["add", "--csv", str(csv), "--meta", str(yml)]) == 1
    assert capsys.readouterr().err.startswith("The data file local.csv could not be read")
    assert not layer.exists()


# --- the connection stays locked with the local layer attached -----------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "attach '/tmp/other.duckdb' as other",
        "set enable_external_access = true",
        "create table local_layer.t (x int)",
        "delete from local_layer.local_observations",
        "detach local_layer",
    ],
)
def test_connection_with_local_layer_is_locked_down(local_layer, tmp_path, sql):
    extract = tmp_path / "extract.duckdb"  # an instance of its own (DuckDB shares one per open file)
    shutil.copyfile(COMMITTED, extract)
    con = db.connect(extract, local_layer)
    assert con.execute("select count(*) from local_layer.local_observations").fetchone() == (3,)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(sql)
            if sql.startswith("detach"):  # detached or not, nothing else can be attached or read
                con.execute("attach '/tmp/other.duckdb' as other")
    finally:
        con.close()


@pytest.mark.national
def test_a_damaged_local_file_leaves_official_data_working(layer, capsys, caplog):
    layer.write_bytes(b"not a duckdb file at all" * 100)
    t = analysis.ward_table(officer(), ISLINGTON, "child_poverty_ahc_dwp", "FYE 2025", 2024).set_index("geo_name")
    assert t.loc["Finsbury Park", "value"] == 46.0
    assert analysis.indicator_meta(officer(), "fsm_test") is None and not officer().has_local()
    assert "the local data file" in caplog.text
    for listing in ("list-local", "list-places", "list-areas"):
        assert main([listing]) == 1
        assert capsys.readouterr().err == f"The local data file {layer} could not be read.\n"
    before = sha(layer)
    assert main(["remove", "fsm_test"]) == 1
    assert capsys.readouterr().err.startswith("The local data file local.duckdb could not be read, so nothing was")
    assert sha(layer) == before


def test_themes_are_the_sidebars():
    assert set(local_files.THEMES) == set(ui.THEMES)


def test_public_pack_hides_small_local_numbers(fixture_layer, fixture_extract, tmp_path):
    from wardgaps.briefing import build_pack

    # Cedar: 6 of 400, 1.5%
    local.add(*write_local(tmp_path, authority_rows(fixtures.AUTHORITY, small=2)), published=True)
    r = published(tmp_path, fixture_extract, fixture_layer)
    args = {"indicator": "fsm_test", "period": "2024/25", "fmt_": "pdf"}
    full = pdf_text(build_pack(officer(), fixtures.AUTHORITY, **args)[0])
    public = pdf_text(build_pack(r, fixtures.AUTHORITY, **args)[0])
    assert "1.5%" in full
    assert "1.5%" not in public and "Free school meals (local data)" in public


# --- writing is atomic, and the app sees a new layer without a failed query ----------------------
def test_a_failure_while_writing_leaves_the_layer_as_it_was(local_layer, tmp_path, monkeypatch):
    before = sha(local_layer)
    calls = []

    def failing_insert(con, table, df):
        calls.append(table)
        con.from_df(df[con.table(table).columns]).insert_into(table)
        raise OSError("disk full")

    monkeypatch.setattr(local, "_insert", failing_insert)
    d = tmp_path / "second"
    d.mkdir()
    with pytest.raises(OSError):
        local.add(*write_local(d, authority_rows(ISLINGTON), id="fsm_second"))
    assert calls == ["local_indicators"]
    assert sha(local_layer) == before
    assert not list(local_layer.parent.glob(".local.duckdb.tmp-*"))
    assert list(local.listed()["indicator_id"]) == ["fsm_test"]


@pytest.mark.national
def test_replacing_the_layer_under_concurrent_queries(layer, tmp_path):
    rows = authority_rows(ISLINGTON)
    local.add(*write_local(tmp_path, rows))
    first = rows[0]["ward_code"]
    errors: list[BaseException] = []
    seen: set[float] = set()
    stop = threading.Event()

    def session(i: int) -> None:
        n = 0
        while not stop.is_set():
            try:
                # vary a bound parameter so each call reaches DuckDB rather than the result cache
                df = officer().query(
                    "ward_table", authority_code=ISLINGTON, indicator_id="fsm_test", period="2024/25", vintage=2024
                )
                seen.add(float(df.set_index("geo_code").loc[first, "value"]))
            except BaseException as e:  # noqa: BLE001 - any failure is the finding
                errors.append(e)
                return
            n += 1
            db.CACHE.clear()

    threads = [threading.Thread(target=session, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while 25.0 not in seen and time.monotonic() < deadline:
        time.sleep(0.01)
    rows[0].update(value=33.0, numerator=132)
    local.add(*write_local(tmp_path, rows), replace=True)
    while 33.0 not in seen and time.monotonic() < deadline and not errors:
        time.sleep(0.01)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors[:3]
    assert {25.0, 33.0} <= seen
