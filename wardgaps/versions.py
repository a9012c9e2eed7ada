"""An extract's data version: a short hash of its figures, the same for the same figures whatever
file holds them (DuckDB files are not byte-for-byte reproducible, so the file is never hashed).
``queries/data_digests.sql`` gives one digest per (indicator, period); the version is a hash of
those digests. The build and the publish step record it in the extract's ``release_info``; the
data contract checks the record against the figures. (Numbers are hashed as DuckDB writes them as
text: a DuckDB upgrade that changed that text would give the same figures a new version.)

On an open connection only; :mod:`wardgaps.provenance` holds what a page says about versions."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from wardgaps.sqltext import local_sql, sql_text

VERSION_LEN = 10


def _key(indicator_id: str, period: str) -> str:
    return f"{indicator_id}|{period}"


def digests_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``"indicator|period"`` → content digest of the extract open on ``con``."""
    d = con.execute(sql_text("data_digests")).df()
    return {_key(i, p): g for i, p, g in zip(d["indicator_id"], d["period"], d["digest"], strict=True)}


def version_of(digests: dict[str, str]) -> str:
    """The data version of a set of digests: a short hash, independent of their order."""
    lines = "".join(f"{k}\t{v}\n" for k, v in sorted(digests.items()))
    return hashlib.sha256(lines.encode()).hexdigest()[:VERSION_LEN]


def stamp_release(con: duckdb.DuckDBPyConnection, kind: str, **facts: str) -> str:
    """Record the data version of the extract being written on ``con`` in its ``release_info``
    (with its kind, full or public, and any other facts), so a reader needs no second pass over
    the figures to know it. Returns the version."""
    v = version_of(digests_of(con))
    rows = {"data_version": v, "extract": kind, **facts}
    con.from_df(pd.DataFrame({"key": list(rows), "value": list(rows.values())})).insert_into("release_info")
    return v


def version_on(con: duckdb.DuckDBPyConnection) -> str:
    """The data version of the extract open on ``con``: recorded, or worked out from its figures."""
    if "release_info" in set(con.execute(local_sql("tables")).df()["table_name"]):
        facts = dict(con.execute(sql_text("release_info")).fetchall())
        if "data_version" in facts:
            return str(facts["data_version"])
    return version_of(digests_of(con))
