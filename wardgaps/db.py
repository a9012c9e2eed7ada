"""Read access to an extract: a :class:`Reader` runs ``queries/<name>.sql`` with bound parameters
on a locked, read-only DuckDB connection and records every query it ran.

One reader per page run (or per command), made once from the configuration by :func:`reader`:
the public extract (``WARDGAPS_PUBLIC=1``: ``data/public.duckdb``, made by the publish step, the
disclosure rules already applied), or the full extract with the council's local layer when there
is one. When the local layer is present it is attached read-only and every query sees
``indicators``, ``sources`` and ``observations`` as the official rows plus the local ones
(``queries/local/overlay.sql``), so every page and pack shows local indicators through the same
queries.

Identifiers are never parameters; values are always bound, never formatted into SQL. No
Streamlit here. Results are kept in one process-wide cache keyed by (data version, query,
parameters), bounded by size; the reader hands out copies.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from wardgaps import config, versions, views
from wardgaps.sqltext import local_sql, sql_text

log = logging.getLogger("wardgaps")

T = TypeVar("T")
# One query as run: its name and its bound parameters, sorted by name.
Call = tuple[str, tuple[tuple[str, object], ...]]


# Every connection is opened with the same settings (DuckDB refuses a second connection to an
# open file with different ones); file access is then switched off and the settings locked by
# queries/local/lock.sql, once the local layer, if any, is attached.
SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect(path: Path | str, local: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A locked-down read-only connection: no file or network access, no extensions.

    With ``local`` (the council's own ward data, :mod:`wardgaps.local`), that file is attached
    read-only as ``local_layer`` first; only then are file access and the settings locked.
    """
    con = duckdb.connect(str(path), read_only=True, config=SETTINGS)
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
        self.local_views: dict[str, pd.DataFrame] = {}  # the local indicators' rows of the views
        self.local_areas = False  # the local layer holds area sets (older local files do not)
        self.users = 0

    @contextmanager
    def cursor(self, stamp: Stamp) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.cond:
            local = Path(stamp[1]) if stamp[1] else None
            if self.con is not None and self.stamp != stamp and _stamps(Path(self.path), local) == self.stamp:
                stamp = self.stamp  # a stale request: the open connection already has the newest files
            # a newer file: let the queries still reading the old one finish first (never close one in use)
            while self.con is not None and self.stamp != stamp and self.users > 0:
                self.cond.wait()
            if self.con is None or self.stamp != stamp:
                if self.con is not None:
                    self.con.close()
                self.con, self.local_ok = _open(self.path, Path(stamp[1]) if stamp[2] else None)
                self.stamp = stamp
                if self.local_ok:
                    try:
                        self.local_views = _local_views(self.con)
                        self.local_areas = bool(self.con.execute(local_sql("areas_present")).fetchone()[0])
                    except Exception:  # the local data cannot be shown; the official figures still can
                        log.exception(
                            "the local data in %s could not be prepared; showing official data only", stamp[1]
                        )
                        self.con.close()
                        self.con, self.local_ok = connect(self.path), False
            self.users += 1
            cur = self.con.cursor()
            local_views = self.local_views if self.local_ok else None
            areas = self.local_ok and self.local_areas
        try:
            if local_views is not None:
                _overlay(cur, local_views, areas)
            yield cur
        finally:
            cur.close()
            with self.cond:
                self.users -= 1
                self.cond.notify_all()


def _overlay(cur: duckdb.DuckDBPyConnection, local_views: dict[str, pd.DataFrame], areas: bool = False) -> None:
    """Official and local rows under the tables' own names, on one cursor (temp views are per
    cursor): the local layer's indicators, sources and observations, and the views' rows for its
    indicators, worked out when the layer was opened; with ``areas``, the figures of the council's
    own areas (``area_observations``, summed from their wards by queries/local/overlay_areas.sql)."""
    cur.execute(local_sql("overlay"))
    for table, frame in local_views.items():
        cur.register(f"local_{table}", frame)
    cur.execute(local_sql("overlay_views"))
    if areas:
        cur.execute(local_sql("overlay_areas"))


def _local_views(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The per-authority views of the local indicators, worked out once per local layer opened
    (the build works the official ones out; a council adds its own at any time), with the
    extract's own columns."""
    cur = con.cursor()
    try:
        cur.execute(local_sql("overlay"))
        ids = set(cur.execute(local_sql("local_ids")).df()["indicator_id"])
        frames = views.for_indicators(cur, ids) if ids else {}
    finally:
        cur.close()
    return {t: frames[t][con.table(t).columns] if t in frames else _empty(con, t) for t in views.TABLES}


def _empty(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return con.table(table).limit(0).df()


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


def _stamp(path: Path) -> float:
    try:
        st = path.stat()
    except FileNotFoundError:
        return 0.0
    return st.st_mtime_ns + st.st_ino  # a replaced file (atomic rename) has a new inode


# (extract version, local layer path, local layer version; 0.0 when there is no local layer)
Stamp = tuple[float, str, float]


def _stamps(path: Path, local: Path | None = None) -> Stamp:
    if local is None:
        return (_stamp(path), "", 0.0)
    return (_stamp(path), str(local), _stamp(local) if local.is_file() else 0.0)


class _Cache:
    """Query results shared by every session of the process, least recently used out first,
    bounded by the memory the frames hold (and a count)."""

    def __init__(self, max_bytes: int, max_items: int) -> None:
        self.max_bytes, self.max_items = max_bytes, max_items
        self.items: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is None:
                return None
            self.items.move_to_end(key)
            return hit[0]

    def put(self, key: tuple, df: pd.DataFrame) -> None:
        size = int(df.memory_usage(index=True, deep=True).sum())
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (df, size)
            self.bytes += size
            while self.items and (self.bytes > self.max_bytes or len(self.items) > self.max_items):
                _, (_, dropped) = self.items.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


# The bound is what the frames' data holds; resident memory is about three times it (each
# frame's pandas objects and copy-on-write references), and at 256 MB / 20,000 entries the cache
# was still filling after 20 minutes of bench/soak.py, so memory never levelled. 32 MB / 2,000
# fills in under 3 minutes and then holds at the same runs a minute.
CACHE = _Cache(max_bytes=32 * 2**20, max_items=2_000)


class _Shared:
    """Small derived objects (dicts of the catalogue) per (file, stamp, key), least recently used
    out first; bounded by count, as each is a few kilobytes."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.items: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]  # type: ignore[return-value]
        value = build()  # outside the lock: two sessions may both build it once; the first kept wins
        with self.lock:
            value = self.items.setdefault(key, value)
            self.items.move_to_end(key)
            while len(self.items) > self.max_items:
                self.items.popitem(last=False)
        return value  # type: ignore[return-value]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_SHARED = _Shared(max_items=512)


@lru_cache(maxsize=16)
def _version(path: str, stamp: Stamp) -> str:
    """The data version of the extract file (``stamp`` names its state): as recorded by the build
    or the publish step, or worked out from its figures for a file that records none."""
    with _extract(path).cursor(stamp) as cur:
        return versions.version_on(cur)


class Reader:
    """One run's reader of one extract: the full extract (with the local layer, if any) or the
    public one. Made once per page run from the configuration (:func:`reader`); records every
    query it runs (``calls``; :meth:`trace` for a part of a page), so "Show the query" shows
    what ran. The files are looked at once, when it is made: a run reads one version of them."""

    def __init__(self, path: Path | str, *, public: bool = False, local: Path | str | None = None) -> None:
        self.path = Path(path)
        self.public = public
        self.local = None if public or local is None else Path(local)
        self.stamp = _stamps(self.path, self.local)
        self.calls: list[Call] = []
        self._traces: list[list[Call]] = []
        self._once: dict[Hashable, object] = {}

    @property
    def version(self) -> str:
        """The extract's data version (what permalinks carry)."""
        return _version(str(self.path), self.stamp)

    @property
    def file_label(self) -> str:
        """The extract's path as "Show the query" names it: relative to the repository when it
        lives there (data/wardgaps.duckdb, data/public.duckdb)."""
        try:
            return self.path.resolve().relative_to(config.ROOT).as_posix()
        except ValueError:
            return str(self.path)

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run a named query with bound parameters: a DataFrame of its own (cached, bounded)."""
        key = tuple(sorted(params.items()))
        call: Call = (name, key)
        self.calls.append(call)
        for t in self._traces:
            t.append(call)
        return self._run(name, key)

    def peek(self, name: str, **params: object) -> pd.DataFrame:
        """:meth:`query` without recording it: bookkeeping (the data version's digests, the
        catalogue a sidebar lists) rather than what a chart or table is made from."""
        return self._run(name, tuple(sorted(params.items())))

    def shared(self, key: Hashable, build: Callable[[], T]) -> T:
        """What every run of this version of the files works out the same way from bookkeeping
        queries (:meth:`peek`: the catalogue as dicts, the authorities by region), worked out
        once per process and version and shared between sessions; callers never change it."""
        return _SHARED.get((str(self.path), self.stamp, key), build)

    def _run(self, name: str, key: tuple[tuple[str, object], ...]) -> pd.DataFrame:
        # the data version names the figures; the files' stamps the rest (names, outlines) too
        cache_key = (self.version, self.stamp, name, key)
        df = CACHE.get(cache_key)
        if df is None:
            with _extract(str(self.path)).cursor(self.stamp) as cur:
                df = cur.execute(sql_text(name), dict(key)).df()
            CACHE.put(cache_key, df)
        # copy-on-write (pandas 3): a shallow copy costs nothing, and a caller's changes copy
        return df.copy(deep=False)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The locked, read-only cursor the named queries run on (the local layer overlaid when
        there is one), for the publish step, which reads whole tables with the build's SQL."""
        with _extract(str(self.path)).cursor(self.stamp) as cur:
            yield cur

    @contextmanager
    def trace(self) -> Iterator[list[Call]]:
        """The queries run inside the block (a chart's or a table's), as they ran."""
        calls: list[Call] = []
        self._traces.append(calls)
        try:
            yield calls
        finally:
            self._traces.remove(calls)

    def has_local(self) -> bool:
        """Whether a readable local layer is in use (its queries, ``queries/local_*.sql``, need one)."""
        if self.public:  # a public extract holds the local items published with it, if any
            return self.once("has_local", lambda: bool(self._run_local("public_has_local")))
        if self.local is None or not self.stamp[2]:
            return False

        def probe() -> bool:
            ex = _extract(str(self.path))
            with ex.cursor(self.stamp):  # opens (or reuses) the connection, attaching the layer if it can be read
                return ex.local_ok

        return self.once("has_local", probe)

    def _run_local(self, name: str) -> object:
        with _extract(str(self.path)).cursor(self.stamp) as cur:
            return cur.execute(local_sql(name)).fetchone()[0]

    def once(self, key: Hashable, build: Callable[[], T]) -> T:
        """What this run works out from its query results (the catalogue as dicts), worked out
        once per run: a reader lives for one run, so this never outlives the files it read."""
        if key not in self._once:
            self._once[key] = build()
        return self._once[key]


def reader(public: bool | None = None) -> Reader:
    """The reader the configuration asks for: the public extract when this is the public view
    (``WARDGAPS_PUBLIC=1``, or ``public=True``), else the full extract with the local layer."""
    public = config.is_public() if public is None else public
    if public:
        return Reader(config.public_path(), public=True)
    return Reader(config.db_path(), local=config.local_path())
