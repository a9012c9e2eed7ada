"""The tables declared once (queries/build/tables.yaml): the DDL made from the declaration is the
extracts' schema, each kind of generic contract rule catches its defect, and the facts of the
release are checked apart from the schema contract (``check --release``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import COMMITTED
from tests.fixtures import AUTHORITY, RATE
from wardgaps import check, tables
from wardgaps.__main__ import main
from wardgaps.db import connect

pytest_plugins = ["tests.fixture_plugin"]

COLUMNS = """
    select c.table_name, c.column_name, c.ordinal_position, c.data_type, c.is_nullable
    from information_schema.columns as c
    inner join information_schema.tables as t
        on c.table_catalog = t.table_catalog and c.table_name = t.table_name and t.table_type = 'BASE TABLE'
    -- the extract's own tables: a local layer attached to the same file in this process is not its schema
    where c.table_catalog = current_database()
    order by all
"""


def schema(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(table, column, position, type, nullable) of every base table of ``con``'s own database."""
    return con.execute(COLUMNS).fetchall()


def declared_schema() -> list[tuple]:
    con = duckdb.connect()
    con.execute(tables.ddl())
    return schema(con)


def extract_schema(path: Path) -> list[tuple]:
    con = connect(path)  # the app's own read-only settings: one configuration per file and process
    try:
        return schema(con)
    finally:
        con.close()


def test_ddl_is_the_fixture_extracts_schema(fixture_extract: Path):
    assert extract_schema(fixture_extract) == declared_schema()


@pytest.mark.national
def test_ddl_is_the_committed_extracts_schema():
    if not COMMITTED.is_file():
        pytest.skip("no committed extract")
    assert extract_schema(COMMITTED) == declared_schema()


def test_declaration_names_every_table_once_with_a_key_and_order():
    declared = tables.declared()
    assert check.TABLES == list(declared) and len(set(check.TABLES)) == 17
    assert all(t.key and tables.order(t.name) for t in declared.values())
    assert tables.order("observations") == ["indicator_id", "geo_code", "vintage", "period"]


@pytest.fixture()
def broken(fixture_extract: Path, tmp_path: Path):
    """A writable copy of the fixture extract, to break one thing in."""
    p = tmp_path / "broken.duckdb"
    shutil.copyfile(fixture_extract, p)
    con = duckdb.connect(str(p))
    yield con
    con.close()


def failing(con) -> dict[str, int]:
    return {f.rule: len(f.rows) for f in check.run_checks(con) if f.rule != check.VERSION_RULE}


def test_fixture_copy_passes(broken):
    assert failing(broken) == {}


# (kind of generic rule, the defect put in, the rule that must catch it)
DEFECTS = [
    ("key unique", "insert into sources select * from sources limit 1", "sources: key (source_id) unique"),
    (
        "other columns unique",
        "insert into similar_wards values ('E05000001', 2024, 1, 'E05000002', 1.0), "
        "('E05000001', 2024, 2, 'E05000002', 2.0)",
        "similar_wards: columns (geo_code, vintage, neighbour_code) unique",
    ),
    (
        "not null (required, not declared)",
        "insert into crosswalks values ('E01000001', 2021, 'E05000001', 2024, null, 'a weight set')",
        "crosswalks: not null (from_code, from_vintage, to_code, to_vintage, weight, weight_basis)",
    ),
    (
        "relationship",
        f"update observations set source_id = 'nowhere' where indicator_id = '{RATE}' and geo_code = '{AUTHORITY}'",
        "observations: (source_id) present in sources",
    ),
    (
        "relationship on two columns",
        f"update observations set vintage = 2018 where indicator_id = '{RATE}' and geo_code = '{AUTHORITY}'",
        "observations: (geo_code, vintage) present in geographies",
    ),
    (
        "accepted values",
        f"update observations set method = 'guessed' where indicator_id = '{RATE}' and geo_code = '{AUTHORITY}'",
        "observations: method one of published, aggregated, apportioned",
    ),
    (
        "accepted range",
        f"update observations set fit_quality = 1.5 where indicator_id = '{RATE}' and geo_code = '{AUTHORITY}'",
        "observations: fit_quality within 0-1",
    ),
    (
        "accepted values of an area",
        f"update geographies set geo_type = 'parish' where geo_code = '{AUTHORITY}'",
        "geographies: geo_type one of ward, lsoa, msoa, authority, region, country",
    ),
]


@pytest.mark.parametrize(("kind", "defect", "rule"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_generic_rule_kind_catches_its_defect(broken, kind, defect, rule):
    broken.execute(defect)
    assert rule in failing(broken)


@pytest.mark.national
def test_release_facts_hold_on_the_committed_extract(capsys):
    if not COMMITTED.is_file():
        pytest.skip("no committed extract")
    assert main(["check", "--release", "--db", str(COMMITTED)]) == 0
    assert "Every fact of this release holds" in capsys.readouterr().out


def test_release_facts_are_not_the_fixtures_but_its_contract_holds(fixture_extract: Path, capsys):
    assert main(["check", "--db", str(fixture_extract)]) == 0
    capsys.readouterr()
    assert main(["check", "--release", "--db", str(fixture_extract)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        "Release fact not met: Islington (E09000019) has 17 wards in the current (May 2024) ward set "
        "(expected 17, found 0)." in err
    )
    assert not any(line.startswith("FAIL ") for line in err)  # the schema contract still holds
