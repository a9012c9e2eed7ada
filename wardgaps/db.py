"""Read-only access to the extract: ``query("name", **params)`` runs ``queries/name.sql``.

When the council's own ward data is present (the local layer, ``config.local_path()``), it is
attached read-only and every query sees ``indicators``, ``sources`` and ``observations`` as the
official rows plus the local ones (``queries/local/overlay.sql``), so every page and pack shows
local indicators through the same queries.

Identifiers are never parameters; values are always bound, never formatted into SQL. No
Streamlit here: results are cached per (query, parameters, extract file version) in the process,
and every page's analyses are cached above this, in :mod:`wardgaps.analysis`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps.config import QUERIES, db_path, local_path

_NAME = re.compile(r"[a-z][a-z0-9_]*")
log = logging.getLogger("wardgaps")

# One query as run: its name and its bound parameters, sorted by name.
Call = tuple[str, tuple[tuple[str, object], ...]]
# The queries run in the current context (a page run, an analysis being computed), or None when
# nobody is listening. A ContextVar, not a global: every session's script runs in its own thread.
_recorder: ContextVar[list[Call] | None] = ContextVar("wardgaps_queries", default=None)


# Every connection is opened with the same settings (DuckDB refuses a second connection to an
# open file with different ones); file access is then switched off and the settings locked by
# queries/local/lock.sql, once the local layer, if any, is attached.
_SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect(path: Path | str, local: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A locked-down read-only connection: no file or network access, no extensions.

    With ``local`` (the council's own ward data, :mod:`wardgaps.local`), that file is attached
    read-only as ``local_layer`` first; only then are file access and the settings locked.
    """
    con = duckdb.connect(str(path), read_only=True, config=_SETTINGS)
    try:
        locked, attached = con.execute(local_sql("state")).fetchone()
        if str(locked).lower() != "true":  # a new instance (not shared with an open connection)
            if local is not None:
                con.execute(local_sql("attach"), {"path": str(local)})
            con.execute(local_sql("lock"))
        elif local is not None and not attached:
            raise RuntimeError(f"{path} is already open without the local layer")
    except BaseException:
        con.close()
        raise
    return con


@lru_cache(maxsize=16)
def local_sql(name: str) -> str:
    """The SQL of ``queries/local/<name>.sql``: the local layer's schema, attach and overlay."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    path = QUERIES / "local" / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no such query: local/{name!r}")
    return path.read_text(encoding="utf-8")


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
        self.stamp: Stamp | None = None
        self.local_ok = False  # the local layer is attached and readable
        self.users = 0

    @contextmanager
    def cursor(self, stamp: Stamp) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.cond:
            if self.con is not None and self.stamp != stamp and _stamps(Path(self.path)) == self.stamp:
                stamp = self.stamp  # a stale request: the open connection already has the newest files
            # a newer file: let the queries still reading the old one finish first (never close one in use)
            while self.con is not None and self.stamp != stamp and self.users > 0:
                self.cond.wait()
            if self.con is None or self.stamp != stamp:
                if self.con is not None:
                    self.con.close()
                self.con, self.local_ok = _open(self.path, Path(stamp[1]) if stamp[2] else None)
                self.stamp = stamp
            self.users += 1
            cur = self.con.cursor()
            local_ok = self.local_ok
        try:
            if local_ok:  # temp views are per cursor: official and local rows under the tables' own names
                cur.execute(local_sql("overlay"))
            yield cur
        finally:
            cur.close()
            with self.cond:
                self.users -= 1
                self.cond.notify_all()


def _open(path: str, local: Path | None) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A connection with the local layer when it can be read; otherwise (a damaged or foreign
    file at the local path) the official extract alone, with the reason in the log."""
    if local is None:
        return connect(path), False
    con = None
    try:
        con = connect(path, local)
        probe = con.cursor()
        try:
            probe.execute(local_sql("overlay"))
        finally:
            probe.close()
        return con, True
    except duckdb.Error:
        log.exception("the local data file %s could not be read; showing official data only", local)
        if con is not None:
            con.close()
        return connect(path), False


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


# (extract version, local layer path, local layer version; 0.0 when there is no local layer)
Stamp = tuple[float, str, float]


def _stamps(path: Path) -> Stamp:
    local = local_path()
    return (_stamp(path), str(local), _stamp(local) if local.is_file() else 0.0)


@lru_cache(maxsize=1024)
def _run(name: str, params: tuple[tuple[str, object], ...], path: str, stamp: Stamp) -> pd.DataFrame:
    with _extract(path).cursor(stamp) as cur:
        return cur.execute(sql_text(name), dict(params)).df()


def stamp() -> Stamp:
    """The versions of the extract and of the local layer (modification time and inode of
    each): part of every cache key, so adding or removing local data is seen at once."""
    return _stamps(db_path())


def has_local() -> bool:
    """Whether a readable local layer is in use (its queries, ``queries/local_*.sql``, need one)."""
    path = db_path()
    st = _stamps(path)
    if not st[2]:
        return False
    ex = _extract(str(path))
    with ex.cursor(st):  # opens (or reuses) the connection, attaching the layer if it can be read
        return ex.local_ok


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
    df = _run(name, key, str(path), _stamps(path)).copy()
    df.attrs["queries"] = [call]
    return df
