"""Caching of analyses per extract file version and arguments (no Streamlit: shared by every
session of a server process, bounded)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd

from wardgaps.db import stamp


def memo(fn: Callable) -> Callable:
    """Cache a pure analysis by its arguments and the extract file's stamp (bounded, so a
    rebuilt extract is never answered from stale results). DataFrames come back as copies."""

    @functools.lru_cache(maxsize=4096)
    def cached(file_stamp: float, args: tuple, kwargs: tuple):
        return fn(*(list(a) if isinstance(a, tuple) else a for a in args), **dict(kwargs))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        out = cached(stamp(), key, tuple(sorted(kwargs.items())))
        if isinstance(out, pd.DataFrame):
            return out.copy()
        if isinstance(out, tuple):
            return tuple(x.copy() if isinstance(x, pd.DataFrame) else x for x in out)
        return out

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
