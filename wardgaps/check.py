"""The data contract every page and test relies on, run against an extract.

The rules are SQL: the named sections of ``queries/build/contract.sql``, then one rule per file in
``queries/build/contract/`` (first line ``-- rule: <name>``, then one query); a rule holds when its
query returns no rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps import versions
from wardgaps.ingest.sql import SQL_DIR, sql_sections

TABLES = [
    "sources",
    "indicators",
    "geographies",
    "boundaries",
    "observations",
    "crosswalks",
    "apportionments",
    "characteristics",
    "ward_characteristics",
    "similar_wards",
    "ward_figures",
    "gap_measures",
    "gap_trends",
    "deprivation_quintiles",
    "trend_markers",
    "release_info",
]


@dataclass
class Failure:
    rule: str
    rows: pd.DataFrame

    def summary(self) -> str:
        return f"{self.rule} ({len(self.rows)} rows)"


RULE_DIR = SQL_DIR / "contract"


def folder_rules(folder: Path = RULE_DIR) -> list[tuple[str, str]]:
    """The rules kept one per file in ``folder`` (``<slug>.sql``), in name order."""
    out = []
    for path in sorted(folder.glob("*.sql")):
        first, _, body = path.read_text(encoding="utf-8").partition("\n")
        if not first.startswith("-- rule:"):
            raise ValueError(f"{path.name}: the first line must be '-- rule: <name>'")
        out.append((first.removeprefix("-- rule:").strip(), body.strip()))
    return out


def rules(contract: str = "contract") -> list[tuple[str, str]]:
    """(rule, query returning the rows that break it), in file order: the full extract's
    contract (with the rules of ``queries/build/contract/``), or the public extract's
    (``public_contract``)."""
    out = sql_sections(contract, "rule")
    return out + folder_rules() if contract == "contract" else out


VERSION_RULE = "release_info: the data version recorded is the figures' own"


def run_checks(con: duckdb.DuckDBPyConnection, contract: str = "contract") -> list[Failure]:
    """Run every rule of a contract; return the failing ones with their rows. Both contracts end
    with :data:`VERSION_RULE`: a recorded data version must be the hash of the figures held."""
    failures = []
    for rule, sql in rules(contract):
        rows = con.execute(sql).df()
        if len(rows):
            failures.append(Failure(rule, rows))
    recorded, actual = versions.version_on(con), versions.version_of(versions.digests_of(con))
    if recorded != actual:
        failures.append(Failure(VERSION_RULE, pd.DataFrame({"recorded": [recorded], "figures": [actual]})))
    return failures


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent content hash per table (sha256 of its rows, sorted as text)."""
    out = {}
    for table, sql in sql_sections("table_rows", "table"):
        h = hashlib.sha256()
        for (r,) in con.execute(sql).fetchall():
            h.update(r.encode())
            h.update(b"\n")
        out[table] = h.hexdigest()[:16]
    return out
