"""The data contract every page and test relies on, run against an extract, and the facts of
this release (``--release``).

The contract has generic rules, made from the table declaration (:mod:`wardgaps.tables`: keys
unique, not null, references, accepted values), and singular rules, one SQL file each in
``queries/build/contract/`` (the public extract's in ``queries/build/public_contract/``), each
headed ``-- rule: <name>``; a rule holds when its query returns no rows. The release facts
(``data/release_facts.yaml``: how many wards Islington has, how many wards in all...) hold only
for this release of the data, so the fixture extract passes the contract but not them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from wardgaps import config, tables, versions
from wardgaps.ingest.sql import folder_sections, sql_file
from wardgaps.meta import DEPRIVATION_SCORES

# Kept for callers that list the extract's tables: the declaration's (queries/build/tables.yaml).
TABLES = tables.names()
CONTRACTS = ("contract", "public_contract")


@dataclass
class Failure:
    rule: str
    rows: pd.DataFrame

    def summary(self) -> str:
        return f"{self.rule} ({len(self.rows)} rows)"


def rules(contract: str = "contract") -> list[tuple[str, str]]:
    """(rule, query returning the rows that break it): the generic rules of every table, then the
    singular rules of the full extract's contract, or of the public extract's (``public_contract``)."""
    if contract not in CONTRACTS:
        raise ValueError(f"no contract {contract!r}")
    return tables.generic_rules() + folder_sections(contract, "rule")


# the registry's ids a rule may name as parameters (never written into the SQL)
RULE_PARAMS = {"imd_indicator": DEPRIVATION_SCORES["IMD"], "wimd_indicator": DEPRIVATION_SCORES["WIMD"]}
VERSION_RULE = "release_info: the data version recorded is the figures' own"


def run_checks(con: duckdb.DuckDBPyConnection, contract: str = "contract") -> list[Failure]:
    """Run every rule of a contract; return the failing ones with their rows. Both contracts end
    with :data:`VERSION_RULE`: a recorded data version must be the hash of the figures held."""
    failures = []
    for rule, sql in rules(contract):
        params = {k: v for k, v in RULE_PARAMS.items() if f"${k}" in sql}
        rows = con.execute(sql, params).df() if params else con.execute(sql).df()
        if len(rows):
            failures.append(Failure(rule, rows))
    recorded, actual = versions.version_on(con), versions.version_of(versions.digests_of(con))
    if recorded != actual:
        failures.append(Failure(VERSION_RULE, pd.DataFrame({"recorded": [recorded], "figures": [actual]})))
    return failures


def release_facts(path: Path | None = None) -> list[dict]:
    """The facts of this release (``data/release_facts.yaml``), as declared."""
    with open(path or config.RELEASE_FACTS, encoding="utf-8") as f:
        return list(yaml.safe_load(f)["facts"])


def check_release(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> list[str]:
    """One sentence per release fact the extract on ``con`` does not meet (none when all hold)."""
    out = []
    for fact in release_facts(path):
        found = con.execute(sql_file(fact["measure"], "release"), fact.get("params") or {}).fetchone()[0]
        if found != fact["expected"]:
            out.append(f"Release fact not met: {fact['fact']} (expected {fact['expected']:,}, found {found:,}).")
    return out


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent content hash per table (sha256 of its rows, sorted as text)."""
    out = {}
    for table, sql in tables.hash_queries():
        h = hashlib.sha256()
        for (r,) in con.execute(sql).fetchall():
            h.update(r.encode())
            h.update(b"\n")
        out[table] = h.hexdigest()[:16]
    return out
