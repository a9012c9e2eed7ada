"""Read-only access to the extract: ``query("name", **params)`` runs ``queries/name.sql``.

Identifiers are never parameters; values are always bound, never formatted into SQL.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "wardgaps.duckdb"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def db_path() -> Path:
    """The extract in use: ``WARDGAPS_DB`` or the committed ``data/wardgaps.duckdb``."""
    return Path(os.environ.get("WARDGAPS_DB", DEFAULT_DB))


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A locked-down read-only connection: no file or network access, no extensions."""
    return duckdb.connect(
        str(path),
        read_only=True,
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "lock_configuration": True,
        },
    )


class _Live:
    """The app's one connection to an extract, reopened when the file is replaced.

    DuckDB shares one database instance per path inside a process, so the old connection is
    closed before the new file is opened (otherwise the old instance, on the old file, is reused).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.stamp: float | None = None
        self.con: duckdb.DuckDBPyConnection | None = None

    def cursor(self, stamp: float) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.con is None or stamp != self.stamp:
                if self.con is not None:
                    self.con.close()
                self.con, self.stamp = connect(self.path), stamp
            return self.con.cursor()


@st.cache_resource(max_entries=4, show_spinner=False)
def _live(path: str) -> _Live:
    return _Live(path)


@lru_cache(maxsize=64)
def sql_text(name: str) -> str:
    """The SQL of ``queries/<name>.sql``; ``name`` must be a plain identifier of an existing file."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no such query: {name!r}")
    return path.read_text(encoding="utf-8")


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, params: tuple[tuple[str, object], ...], path: str, stamp: float) -> pd.DataFrame:
    con = _live(path).cursor(stamp)
    try:
        return con.execute(sql_text(name), dict(params)).df()
    finally:
        con.close()


def stamp() -> float:
    """The extract file's modification time: part of every cache key."""
    return _stamp(db_path())


def query(name: str, **params: object) -> pd.DataFrame:
    """Run a named query with bound parameters and return a DataFrame (cached, bounded)."""
    path = db_path()
    return _run(name, tuple(sorted(params.items())), str(path), _stamp(path)).copy()
