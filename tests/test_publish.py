"""The publish step as a command: the public extract it writes (deterministic, its own contract and
data version), and what it refuses (one sentence, nothing written). On the fixture extract, which
publishes in a moment; tests/test_disclosure.py audits the national one."""

from __future__ import annotations

import shutil

import duckdb

from tests import fixtures
from wardgaps import check, db, provenance
from wardgaps.__main__ import main
from wardgaps.publish import code_version

pytest_plugins = ["tests.fixture_plugin"]


def _hashes(path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True, config=dict(db.SETTINGS))
    try:
        return check.table_hashes(con)
    finally:
        con.close()


def test_publish_writes_a_checked_public_extract_the_same_every_time(fixture_extract, tmp_path, capsys):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    assert main(["publish", "--db", str(fixture_extract), "--out", str(a)]) == 0
    assert main(["publish", "--db", str(fixture_extract), "--out", str(b)]) == 0
    err = capsys.readouterr().err
    assert "[1/4] disclosure" in err and "[4/4] checking" in err and f"Wrote {b}" in err
    assert _hashes(a) == _hashes(b)  # deterministic: the same full extract, the same public tables
    facts = provenance.release_info(db.Reader(a, public=True))
    assert facts["extract"] == "public" and facts["made_by"] == code_version()
    assert facts["made_from"] == db.Reader(fixture_extract).version != facts["data_version"]
    assert main(["check", "--db", str(a), "--public"]) == 0
    assert "data contract rules passed (queries/build/tables.yaml and queries/build/public_contract/)" in (
        capsys.readouterr().out
    )
    assert not list(tmp_path.glob(".*.tmp-*"))


def test_the_public_contract_catches_a_leak_put_back(fixture_public, tmp_path):
    leaky = tmp_path / "leaky.duckdb"
    shutil.copyfile(fixture_public, leaky)
    con = duckdb.connect(str(leaky))
    # Fir's FYE 2023 figure, hidden for its 6 children, put back with its exact counts
    con.execute(
        "update observations set value = 6.0, numerator = 6, status = 'final' "
        "where indicator_id = ? and geo_code = ? and period = 'FYE 2023'",
        [fixtures.RATE, fixtures.CODE["Fir"]],
    )
    failed = {f.rule for f in check.run_checks(con, "public_contract")}
    con.close()
    assert "observations: no count shown below 10, every count a multiple of 5" in failed
    assert check.VERSION_RULE in failed  # and its recorded version is no longer its figures'


def test_publish_refuses_with_one_sentence_and_writes_nothing(fixture_extract, tmp_path, capsys):
    out = tmp_path / "public.duckdb"
    assert main(["publish", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Not published: There is no full extract at") and err.count("\n") == 1
    # an extract made before the publish step (no recorded version)
    old = tmp_path / "old.duckdb"
    shutil.copyfile(fixture_extract, old)
    con = duckdb.connect(str(old))
    con.execute("drop table release_info")
    con.close()
    assert main(["publish", "--db", str(old), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "Not published: The extract old.duckdb predates the publish step: rebuild it first (make data). "
        "Nothing was written.\n"
    )
    assert not out.exists() and not list(tmp_path.glob(".public.duckdb.tmp-*"))


def test_publish_refuses_an_unreadable_local_layer(fixture_extract, tmp_path, capsys, monkeypatch):
    bad = tmp_path / "local.duckdb"
    bad.write_bytes(b"not a duckdb file" * 100)
    monkeypatch.setenv("WARDGAPS_LOCAL", str(bad))
    out = tmp_path / "public.duckdb"
    assert main(["publish", "--db", str(fixture_extract), "--out", str(out), "--with-local"]) == 1
    assert (
        capsys.readouterr().err
        == "Not published: The local data file local.duckdb could not be read. Nothing was written.\n"
    )
    assert not out.exists()


def test_an_existing_public_extract_survives_a_failed_publish(fixture_extract, fixture_public, tmp_path, monkeypatch):
    out = tmp_path / "public.duckdb"
    shutil.copyfile(fixture_public, out)
    before = _hashes(out)

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("wardgaps.views.compute", broken)
    assert main(["publish", "--db", str(fixture_extract), "--out", str(out)]) == 2
    assert _hashes(out) == before and not list(tmp_path.glob(".public.duckdb.tmp-*"))
