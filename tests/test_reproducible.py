"""Issue 14 part 5, reproducible views: the data version every permalink carries, what an older
version's permalink says, and "Show the query" under every chart and table, whose snippets must
give the same rows as the app's own query."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import fixtures
from tests.conftest import ROOT
from tests.test_pages import app
from wardgaps import analysis, check, config, db, provenance
from wardgaps.ui import reproduce

pytest_plugins = ["tests.fixture_plugin"]

ISLINGTON, HACKNEY, MANCHESTER = "E09000019", "E09000012", "E08000003"
FINSBURY_PARK = "E05013703"
CP = "child_poverty_ahc_dwp"
MAP_TABLE = f"query-table-map-{CP}-FYE 2025"


@pytest.fixture()
def committed(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committed extract and manifest, full view (other tests may have pointed elsewhere)."""
    monkeypatch.delenv("WARDGAPS_DB", raising=False)
    monkeypatch.delenv("WARDGAPS_VERSIONS", raising=False)
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    return config.db_path()


# --- data versions --------------------------------------------------------------------------------


def _version_at(path: Path) -> tuple[str, dict[str, str]]:
    """The version of the figures in the file (worked out from them) and their digests."""
    d = provenance.digests(db.Reader(path))
    return provenance.version_of(d), d


def test_same_data_gives_the_same_version(tmp_path):
    # two builds of the same rows are different files (DuckDB files are not byte-reproducible)
    a = fixtures.build_fixture(tmp_path / "a.duckdb")
    b = fixtures.build_fixture(tmp_path / "b.duckdb")
    va, da = _version_at(a)
    vb, db_ = _version_at(b)
    assert db.Reader(a).version == va  # as the build recorded it
    assert provenance.VERSION_RE.fullmatch(va)
    assert va == vb and da == db_
    assert f"{fixtures.RATE}|FYE 2025" in da


def test_a_changed_observation_changes_the_version_and_names_its_figures(fixture_extract, tmp_path):
    old_v, old = _version_at(fixture_extract)
    changed = tmp_path / "changed.duckdb"
    shutil.copyfile(fixture_extract, changed)
    con = duckdb.connect(str(changed))
    con.execute(
        "update observations set value = value + 1 where indicator_id = ? and geo_code = ? and period = 'FYE 2025'",
        [fixtures.RATE, fixtures.CODE["Alder"]],
    )
    # the data contract sees that the version it records is no longer the figures' own
    assert check.VERSION_RULE in [f.rule for f in check.run_checks(con)]
    con.close()
    new_v, new = _version_at(changed)
    assert new_v != old_v
    assert provenance.changes(old, new, None) == [(fixtures.RATE, "FYE 2025", "revised")]
    # a page that read only the other period, or another indicator, did not change
    assert provenance.changes(old, new, frozenset({(fixtures.RATE, "FYE 2023")})) == []
    assert provenance.changes(old, new, frozenset({(fixtures.COUNT, None)})) == []
    assert provenance.changes(old, new, frozenset({(fixtures.RATE, None)})) == [(fixtures.RATE, "FYE 2025", "revised")]
    # a period new in this version is "added"
    assert provenance.changes({}, {"x|2020": "1"}, None) == [("x", "2020", "added")]


def test_dependencies_come_from_the_queries_a_page_ran():
    ward_values = (
        "ward_table",
        (("authority_code", ISLINGTON), ("indicator_id", CP), ("period", "FYE 2025"), ("vintage", 2024)),
    )
    deps = provenance.dependencies([("indicator_catalogue", ()), ward_values])
    # the indicator and period asked for, and what its views were worked out from (population, IMD)
    assert deps == frozenset({(CP, "FYE 2025"), ("population", None), ("imd_score", None)})
    # listing the periods on offer is not showing their figures
    assert provenance.dependencies([("indicator_periods", (("indicator_id", CP),))]) == frozenset()
    # a ward profile reads every indicator
    assert provenance.dependencies([("ward_profile", (("ward_code", FINSBURY_PARK),))]) is None


def test_the_manifest_is_append_only(full_reader, public_reader, tmp_path):
    path = tmp_path / "versions.json"
    v, added = provenance.record(full_reader, "first", path)
    assert added and v == full_reader.version
    before = path.read_text()
    assert provenance.record(full_reader, "again", path) == (v, False)
    assert path.read_text() == before  # an entry is never rewritten
    (entry,) = json.loads(before)["versions"]
    assert entry["release"] == "first" and entry["digests"] == provenance.digests(full_reader)
    # a public extract has its own list, and says which full version it was made from
    pv, added = provenance.record(public_reader, "first public", path)
    (pub,) = json.loads(path.read_text())["public_versions"]
    assert added and pub["version"] == pv == public_reader.version and pub["made_from"] == v


def test_the_committed_extract_is_a_recorded_version(full_reader, public_reader):
    v = full_reader.version
    assert any(e["version"] == v for e in provenance.released()), (
        f"data version {v} of the committed extract is not in data/versions.json: record it with "
        "`python -m wardgaps version --record --release TEXT` (append-only) so its permalinks stay comparable"
    )
    pv = public_reader.version
    assert any(e["version"] == pv for e in provenance.released(public=True)), (
        f"the public extract's data version {pv} is not in data/versions.json: record it with "
        "`python -m wardgaps publish --record --release TEXT` (append-only)"
    )


@pytest.mark.parametrize(
    "asked, notice",
    [
        ("zzz", "That data version is not valid: showing the current data (version "),
        ("<script>alert(1)</script>", "That data version is not valid"),
        ("0123456789", "Data version 0123456789 is not known: showing the current data (version "),
    ],
)
def test_a_bad_or_unknown_version_falls_back_with_a_notice(full_reader, asked, notice):
    got, since = provenance.link_check(full_reader, asked)
    assert got.startswith(notice) and since is None
    assert full_reader.version in got
    assert "<script>" not in got  # malformed input is never echoed


def test_the_current_version_needs_no_notice(full_reader):
    assert provenance.link_check(full_reader, full_reader.version) == (None, None)
    assert provenance.link_check(full_reader, None) == (None, None)


# --- query recording ----------------------------------------------------------------------------


@pytest.mark.national
def test_each_run_records_its_own_queries(committed):
    """Every session's run has its own reader: what one records never mixes with another's."""
    seen: dict[str, list] = {}

    def session(authority: str) -> None:
        r = db.reader()
        for _ in range(20):
            analysis.ward_table(r, authority, CP, "FYE 2025", analysis.WARD_VINTAGE)
        seen[authority] = r.calls

    threads = [threading.Thread(target=session, args=(b,)) for b in (ISLINGTON, HACKNEY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for authority, calls in seen.items():
        codes = {dict(p).get("authority_code") for _, p in calls} - {None}
        assert codes == {authority} and len(calls) == 20


# --- the snippets reproduce the app's rows --------------------------------------------------------


def _run_python_snippet(snippet: str) -> pd.DataFrame:
    """Run a snippet as a reader would: its own Python process, from the repository's root (in
    this process the app's locked connection holds the file)."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "df.pkl"
        code = snippet.replace("print(df)", f"df.to_pickle({str(out)!r})")
        assert "to_pickle" in code
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return pd.read_pickle(out)


def _run_cli_script(script: str) -> pd.DataFrame:
    """The command line's script run by the same DuckDB engine (the PyPI duckdb CLI lags the
    Python package's storage version, so it cannot open this extract)."""
    runner = (
        "import duckdb, sys\n"
        f"con = duckdb.connect({provenance.EXTRACT!r}, read_only=True)\n"
        "con.execute(sys.stdin.read()).df().to_pickle(sys.argv[1])\n"
    )
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "df.pkl"
        r = subprocess.run(
            [sys.executable, "-c", runner, str(out)],
            input=script,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        return pd.read_pickle(out)


@pytest.mark.national
@pytest.mark.parametrize("authority", [ISLINGTON, HACKNEY])
def test_python_and_cli_snippets_give_the_apps_rows(committed, authority):
    r = db.reader()
    with r.trace() as calls:
        analysis.ward_table(r, authority, CP, "FYE 2025", analysis.WARD_VINTAGE)
    name, params = next(c for c in calls if c[0] == "ward_table")
    expected = r.query(name, **dict(params))
    got = _run_python_snippet(provenance.python_snippet(name, params))
    pd.testing.assert_frame_equal(got, expected, check_like=False)
    # The CLI script (PREPARE … EXECUTE q(name := value)) run by the same DuckDB engine.
    pd.testing.assert_frame_equal(_run_cli_script(provenance.cli_script(name, params)), expected)
    snippet = provenance.cli_snippet(name, params)
    assert snippet.startswith("duckdb -readonly data/wardgaps.duckdb <<'SQL'\n") and snippet.endswith("\nSQL\n")


def _duckdb_cli() -> list[str]:
    """The duckdb command line: requirements-test.txt's ``duckdb-cli``, else one on the PATH."""
    try:
        import duckdb_cli  # noqa: F401
    except ImportError:
        exe = shutil.which("duckdb")
        if exe is None:
            pytest.fail("the duckdb command line is missing: 'make test' installs duckdb-cli", pytrace=False)
        return [exe]
    return [sys.executable, "-m", "duckdb_cli"]


@pytest.mark.national
def test_the_shell_snippet_runs_in_the_duckdb_command_line(committed, tmp_path):
    """The shell snippet exactly as shown, run by the real ``duckdb`` command line from a
    directory laid out like the repository (data/wardgaps.duckdb), gives the app's rows."""
    r = db.reader()
    with r.trace() as calls:
        analysis.ward_table(r, ISLINGTON, CP, "FYE 2025", analysis.WARD_VINTAGE)
    name, params = next(c for c in calls if c[0] == "ward_table")
    expected = r.query(name, **dict(params))
    # the command line may be older than the Python package: copy the extract in a format it reads
    (tmp_path / "data").mkdir()
    copy = tmp_path / "data" / "wardgaps.duckdb"
    con = duckdb.connect()
    con.execute(f"attach '{committed}' as src (read_only)")
    con.execute(f"attach '{copy}' as dst (storage_version 'v1.4.0')")
    con.execute("copy from database src to dst")
    con.close()
    # a `duckdb` on the PATH that prints CSV, so the rows can be read back
    shim = tmp_path / "bin" / "duckdb"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\nexec " + " ".join(f"'{a}'" for a in _duckdb_cli()) + ' -csv "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    snippet = provenance.cli_snippet(name, params)
    r = subprocess.run(["sh", "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and not r.stderr, r.stderr
    got = pd.read_csv(io.StringIO(r.stdout), dtype={"deprivation_period": str})
    assert got.loc[got["geo_code"] == FINSBURY_PARK, "value"].item() == 46.0
    pd.testing.assert_frame_equal(got[["geo_code", "geo_name", "value"]], expected[["geo_code", "geo_name", "value"]])


def test_snippets_quote_values_and_take_plain_numbers():
    import numpy as np

    params = (("period", "it's"), ("vintage", np.int64(2022)), ("flag", True), ("ids", ["a", "b"]))
    assert provenance.params_text(params) == "$period = 'it''s'\n$vintage = 2022\n$flag = true\n$ids = ['a', 'b']"
    assert "params = {'period': \"it's\", 'vintage': 2022, 'flag': True, 'ids': ['a', 'b']}" in (
        provenance.python_snippet("authorities", params)
    )
    assert provenance.cli_script("authorities", ()).endswith("order by b.geo_name;\n")


# --- the pages (through dashboard.py, with the shared sidebar: tests.test_pages.app) ----------------


def open_box(at: AppTest, key: str) -> dict:
    """Open one "Show the query" box (it draws its contents only when open) and read it."""
    assert key in [e.key for e in at.expander if e.label == reproduce.LABEL], [e.key for e in at.expander]
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    (box,) = [e for e in at.expander if e.key == key]
    codes = [c.value for c in box.code]
    return {
        "markdown": [m.value for m in box.markdown],
        "caption": [c.value for c in box.caption],
        # every block is plain text (syntax colours fail contrast): told apart by what they hold
        "code": [(_kind(v), v) for v in codes],
    }


def _kind(block: str) -> str | None:
    """What a plain code block in a "Show the query" box holds: sql, python, bash, or parameters (None)."""
    if block.startswith("import duckdb"):
        return "python"
    if block.startswith("duckdb -readonly"):
        return "bash"
    if block.startswith("$") or block == "(no parameters)":
        return None
    return "sql"


def notices(at: AppTest) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(i.value for i in at.info))


@pytest.mark.national
def test_islington_map_shows_the_query_and_its_snippet_gives_finsbury_park(committed):
    at = app("map", authority=ISLINGTON, indicator=CP, period="FYE 2025")
    assert at.query_params["v"] == db.Reader(committed).version  # the permalink carries the data version
    box = open_box(at, MAP_TABLE)
    assert "**1. `queries/ward_table.sql`**, bound parameters:" in box["markdown"]
    params = [v for lang, v in box["code"] if lang in (None, "plaintext", "text") and "$authority_code" in v]
    assert any("$authority_code = 'E09000019'" in p and "$period = 'FYE 2025'" in p for p in params)
    sql = (ROOT / "queries" / "ward_table.sql").read_text().strip()
    assert ("sql", sql) in box["code"]
    assert any("(data/wardgaps.duckdb)" in c for c in box["caption"])
    py = next(v for lang, v in box["code"] if lang == "python" and "queries/ward_table.sql" in v)
    df = _run_python_snippet(py).set_index("geo_code")
    assert df.loc[FINSBURY_PARK, "geo_name"] == "Finsbury Park"
    assert df.loc[FINSBURY_PARK, "value"] == 46.0  # the value the map's table shows
    assert any("EXECUTE q(authority_code := 'E09000019'" in v for lang, v in box["code"] if lang == "bash")
    assert not any("disclosure" in c for c in box["caption"])  # the full view has no rules to mention


@pytest.mark.national
def test_another_authority_gap_chart_shows_its_own_query(committed):
    # the non-London case: Manchester
    at = app("gaps", authority=MANCHESTER, indicator=CP, period="FYE 2025")
    box = open_box(at, "query-chart-gap_bar")
    assert any("$authority_code = 'E08000003'" in v for _, v in box["code"])
    assert "**2. `queries/comparators.sql`**, bound parameters:" in box["markdown"] or any(
        "queries/comparators.sql" in m for m in box["markdown"]
    )
    py = next(v for lang, v in box["code"] if lang == "python" and "queries/ward_table.sql" in v)
    df = _run_python_snippet(py)
    t = analysis.ward_table(db.reader(), MANCHESTER, CP, "FYE 2025", analysis.WARD_VINTAGE)
    assert sorted(df["value"].dropna()) == sorted(t["value"].dropna())
    assert len(df) == len(t) == 32
    assert 36.2 in set(df["value"])  # Ancoats & Beswick


@pytest.mark.national
@pytest.mark.parametrize("page", ["overview", "map", "gaps", "trends", "profile", "context", "methods"])
def test_every_chart_and_table_has_a_query_box(committed, page):
    at = app(page, authority=ISLINGTON)
    boxes = [e for e in at.expander if e.label == reproduce.LABEL]
    tables = len(at.dataframe)
    assert len(boxes) >= tables > 0
    assert all(not e.code and not e.markdown for e in boxes)  # closed boxes draw nothing


def test_public_view_box_reads_the_public_extract_and_its_snippet_gives_what_the_page_shows(public_view):
    """In public the queries shown read the public extract, where they are true: the snippet's
    rows are the figures the page shows (hidden ones hidden, the rest rounded), not the full
    extract's."""
    at = app("map", authority="E09000007", indicator="uc_households", period="November 2017")
    box = open_box(at, "query-table-map-uc_households-November 2017")
    assert reproduce.PUBLIC_NOTE in box["caption"]
    label = db.Reader(public_view, public=True).file_label
    assert any(f"({label})" in c for c in box["caption"])
    py = next(v for lang, v in box["code"] if lang == "python" and "queries/ward_table.sql" in v)
    assert f'duckdb.connect("{label}"' in py and "data/wardgaps.duckdb" not in py
    df = _run_python_snippet(py).set_index("geo_name")
    shown = at.dataframe[0].value.set_index("Ward")
    assert np.isnan(df.loc["Frognal", "value"]) and pd.isna(shown.loc["Frognal", "Value (count)"])
    assert df.loc["Haverstock", "value"] == shown.loc["Haverstock", "Value (count)"] == 110


@pytest.mark.national
@pytest.mark.parametrize(
    "v, notice",
    [("zzz", "That data version is not valid"), ("0123456789", "Data version 0123456789 is not known")],
)
def test_bad_version_in_a_permalink_opens_the_view_with_a_notice(committed, v, notice):
    # The notice shows on the page the permalink opens (the overview here, as for other parameters).
    at = app("overview", authority=ISLINGTON, indicator=CP, period="FYE 2025", v=v)
    assert notice in notices(at)
    assert at.query_params["v"] == db.Reader(committed).version
    at.switch_page("pages/map.py").run()
    assert at.dataframe[0].value.set_index("Ward").loc["Finsbury Park", "Value (%)"] == 46.0


def _manifest(tmp_path: Path, **changed: list[str]) -> Path:
    """A manifest with the current version and older ones, each differing in the keys given."""
    r = db.reader(public=False)
    now = provenance.digests(r)
    versions = [
        {
            "version": v,
            "recorded": "2026-03-01",
            "release": f"release {v}",
            "digests": {**now, **dict.fromkeys(ks, "0")},
        }
        for v, ks in changed.items()
    ]
    versions.append({"version": r.version, "recorded": "2026-11-25", "release": "now", "digests": now})
    path = tmp_path / "versions.json"
    path.write_text(json.dumps({"versions": versions}))
    return path


@pytest.mark.national
def test_an_older_permalink_says_whether_this_page_changed(committed, tmp_path, monkeypatch):
    path = _manifest(tmp_path, aaaaaaaaaa=[f"{CP}|FYE 2025"], bbbbbbbbbb=["children_0_15|2002"])
    monkeypatch.setenv("WARDGAPS_VERSIONS", str(path))
    at = app("map", authority=ISLINGTON, indicator=CP, period="FYE 2025", v="aaaaaaaaaa")
    said = notices(at)
    assert (
        "Values on this page were revised since data version aaaaaaaaaa (release aaaaaaaaaa, recorded 2026-03-01)"
        in (said)
    )
    assert "Child poverty AHC (DWP) FYE 2025 (2024/25): revised in the release of 2026-03" in said
    assert "by Department for Work and Pensions (DWP)" in said
    assert f"(version {db.Reader(committed).version})" in said
    assert at.query_params["v"] == db.Reader(committed).version  # links made from here are on the current data
    at = app("map", authority=ISLINGTON, indicator=CP, period="FYE 2025", v="bbbbbbbbbb")
    assert "Nothing on this page changed since data version bbbbbbbbbb" in notices(at)
    # the same link on a page that read the other period: nothing changed there either
    at = app("map", authority=ISLINGTON, indicator=CP, period="FYE 2024", v="aaaaaaaaaa")
    assert "Nothing on this page changed since data version aaaaaaaaaa" in notices(at)


@pytest.mark.national
def test_a_page_that_stops_early_still_says_whether_it_changed(committed, tmp_path, monkeypatch):
    # Streamlit draws nothing after st.stop(): pages end early through ui.stop(), which says it first
    path = _manifest(tmp_path, cccccccccc=["child_poverty_ahc_ecp|FYE 2024"])
    monkeypatch.setenv("WARDGAPS_VERSIONS", str(path))
    at = app("map", authority=ISLINGTON, indicator="child_poverty_ahc_ecp", v="cccccccccc")
    assert "Nothing on this page changed since data version cccccccccc" in notices(at)  # no ward figures here
    at = app("trends", authority=ISLINGTON, indicator="child_poverty_ahc_ecp", v="cccccccccc")
    assert "Child poverty AHC (ECP) FYE 2024 (2023/24): revised in the release of" in notices(at)
