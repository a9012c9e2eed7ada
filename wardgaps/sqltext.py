"""The named queries' SQL, read from ``queries/`` by name: ``queries/<name>.sql`` (what pages ask)
and ``queries/local/<name>.sql`` (the local layer's). Names are plain identifiers, never paths.
A leaf module: no SQL text lives in Python, and everything that runs SQL reads it from here."""

from __future__ import annotations

import re
from functools import lru_cache

from wardgaps.config import QUERIES

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _read(folder, name: str, shown: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    path = folder / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no such query: {shown}{name!r}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=128)
def sql_text(name: str) -> str:
    """The SQL of ``queries/<name>.sql``; ``name`` must be a plain identifier of an existing file."""
    return _read(QUERIES, name, "")


@lru_cache(maxsize=32)
def local_sql(name: str) -> str:
    """The SQL of ``queries/local/<name>.sql``: the local layer's schema, attach and overlay."""
    return _read(QUERIES / "local", name, "local/")


@lru_cache(maxsize=8)
def changes_sql(name: str) -> str:
    """The SQL of ``queries/changes/<name>.sql``: what a release records and two releases are compared on."""
    return _read(QUERIES / "changes", name, "changes/")
