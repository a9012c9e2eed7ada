"""Read-only access to the extract: ``query("name", **params)`` runs ``queries/name.sql``.

Identifiers are never parameters; values are always bound, never formatted into SQL. No
Streamlit here: results are cached per (query, parameters, extract file version) in the process,
and every page's analyses are cached above this, in :mod:`wardgaps.analysis`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps.config import QUERIES, db_path

_NAME = re.compile(r"[a-z][a-z0-9_]*")

# One query as run: its name and its bound parameters, sorted by name.
Call = tuple[str, tuple[tuple[str, object], ...]]
# The queries run in the current context (a page run, an analysis being computed), or None when
# nobody is listening. A ContextVar, not a global: every session's script runs in its own thread.
_recorder: ContextVar[list[Call] | None] = ContextVar("wardgaps_queries", default=None)


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


class _Extract:
    """The process's connection to one extract path, replaced when the file is.

    DuckDB keeps one database instance per path in a process, so a new version of the file can
    only be opened once the old connection is closed. The old one is closed when its last user
    is done (never under a query in flight); queries for the new version wait for that moment.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.cond = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.stamp: float | None = None
        self.users = 0

    @contextmanager
    def cursor(self, stamp: float) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.cond:
            if self.con is not None and self.stamp != stamp and _stamp(Path(self.path)) == self.stamp:
                stamp = self.stamp  # a stale request: the open connection already has the newest file
            # a newer file: let the queries still reading the old one finish first (never close one in use)
            while self.con is not None and self.stamp != stamp and self.users > 0:
                self.cond.wait()
            if self.con is None or self.stamp != stamp:
                if self.con is not None:
                    self.con.close()
                self.con, self.stamp = connect(self.path), stamp
            self.users += 1
            cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self.cond:
                self.users -= 1
                self.cond.notify_all()


_extracts: dict[str, _Extract] = {}
_extracts_lock = threading.Lock()


def _extract(path: str) -> _Extract:
    with _extracts_lock:
        if path not in _extracts:
            _extracts[path] = _Extract(path)
        return _extracts[path]


@lru_cache(maxsize=128)
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
        st = path.stat()
    except FileNotFoundError:
        return 0.0
    return st.st_mtime_ns + st.st_ino  # a replaced file (atomic rename) has a new inode


@lru_cache(maxsize=1024)
def _run(name: str, params: tuple[tuple[str, object], ...], path: str, stamp: float) -> pd.DataFrame:
    with _extract(path).cursor(stamp) as cur:
        return cur.execute(sql_text(name), dict(params)).df()


def stamp() -> float:
    """The extract file's version (modification time and inode): part of every cache key."""
    return _stamp(db_path())


@contextmanager
def recording() -> Iterator[list[Call]]:
    """Collect every query run in this context (analyses served from a cache replay theirs): the
    "Show the query" boxes and the data-version notice read them. Nested recordings each see
    their own queries only; the outer one sees them through the cache's replay."""
    calls: list[Call] = []
    token = _recorder.set(calls)
    try:
        yield calls
    finally:
        _recorder.reset(token)


def replay(calls: Iterable[Call]) -> None:
    """Note queries that ran earlier for a result served now from a cache."""
    rec = _recorder.get()
    if rec is not None:
        rec.extend(calls)


def recorded() -> list[Call]:
    """The queries recorded so far in this context (a copy; empty when not recording)."""
    return list(_recorder.get() or [])


def query(name: str, **params: object) -> pd.DataFrame:
    """Run a named query with bound parameters and return a DataFrame (cached, bounded).

    The frame carries the query in ``attrs["queries"]`` (kept by pandas through copies, filters
    and sorts), so a table can show the query behind it."""
    path = db_path()
    key = tuple(sorted(params.items()))
    call: Call = (name, key)
    replay([call])
    df = _run(name, key, str(path), _stamp(path)).copy()
    df.attrs["queries"] = [call]
    return df
