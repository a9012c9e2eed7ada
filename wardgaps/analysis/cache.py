"""Caching of analyses per extract file version and arguments (no Streamlit: shared by every
session of a server process, bounded)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd

from wardgaps.db import Call, recording, replay, stamp


def _tag(out: object, calls: list[Call]) -> object:
    """A fresh copy of a cached result, its frames tagged with the queries behind them."""
    if isinstance(out, pd.DataFrame):
        out = out.copy()
        out.attrs["queries"] = list(calls)
        return out
    if isinstance(out, tuple):
        return tuple(_tag(x, calls) if isinstance(x, pd.DataFrame) else x for x in out)
    return out


def memo(fn: Callable) -> Callable:
    """Cache a pure analysis by its arguments and the extract file's stamp (bounded, so a
    rebuilt extract is never answered from stale results). DataFrames come back as copies.

    The queries an analysis ran are cached with its result and replayed on every call, so a
    result from the cache still names the queries behind it (``db.recording``); its frames carry
    them in ``attrs["queries"]``."""

    @functools.lru_cache(maxsize=4096)
    def cached(file_stamp: float, args: tuple, kwargs: tuple):
        with recording() as calls:
            out = fn(*(list(a) if isinstance(a, tuple) else a for a in args), **dict(kwargs))
        return out, list(dict.fromkeys(calls))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        out, calls = cached(stamp(), key, tuple(sorted(kwargs.items())))
        replay(calls)
        return _tag(out, calls)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
