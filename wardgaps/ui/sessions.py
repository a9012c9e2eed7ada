"""Sessions left for reconnection are shut down when Streamlit lets go of them.

Why: a reader whose WebSocket closes leaves a session kept for ``server.disconnectedSessionTTL``
(at most 128 of them) in case the browser reconnects. When that store drops one (expired, or the
least recently used of a full store) Streamlit 1.67 never calls its ``shutdown()``, so what the
session's last run registered by session id stays in the process for good: every download
button's file (the media file manager), with the session itself for the garbage collector to
find. Each permalink is a new session, so these piled up with every link read; shut down, they
stay at the store's size (bench/soak.py: about 150 sessions and 180 files, 0.3 MB, over a run;
this is not what grows the soak's resident memory, which is the query cache filling).
Streamlit's own issue: https://github.com/streamlit/streamlit/issues/12506.

The store's cache gets a subclass that shuts a session down when the cache expires or evicts it,
as ``close_session`` does for a session it closes itself. A session taken back by a reconnection
or closed by Streamlit is removed explicitly (``del``), which is left alone.
"""

from __future__ import annotations

import logging
import threading

from streamlit import runtime
from streamlit.runtime.caching.ttl_cache import TTLCache
from streamlit.runtime.session_manager import SessionInfo

log = logging.getLogger("wardgaps")
_lock = threading.Lock()


def _shutdown(info: SessionInfo) -> None:
    try:
        info.session.shutdown()  # a no-op for a session already shut down
    except Exception:  # noqa: BLE001 - a stale session must never break the run that reaped it
        log.exception("a disconnected session could not be shut down")


class ShutdownOnExpiry(TTLCache):
    """Streamlit's session store cache, shutting down the sessions it drops on its own."""

    def expire(self, at_time: float | None = None) -> list:
        removed = super().expire(at_time)
        for _, info in removed:
            _shutdown(info)
        return removed

    def _evict_lru(self, reason: str) -> SessionInfo:  # type: ignore[override]
        info = super()._evict_lru(reason)  # type: ignore[arg-type]
        _shutdown(info)
        return info


def install() -> bool:
    """Make this process's disconnected-session store shut down the sessions it drops (once per
    process; later calls do nothing). False when there is no such store to change (no runtime,
    as in tests run without a server, or a store of another kind)."""
    try:  # Streamlit's internals: anything unexpected (a test's mock runtime) leaves them as they are
        storage = runtime.get_instance()._session_mgr._session_storage if runtime.exists() else None
    except Exception:  # noqa: BLE001 - a page must never fail over this
        return False
    cache = getattr(storage, "_cache", None)
    if cache is None:
        return False
    with _lock:
        if isinstance(cache, ShutdownOnExpiry):
            return True
        if type(cache) is not TTLCache:
            log.warning("disconnected sessions are stored in %r: expired ones are not shut down", type(cache))
            return False
        cache.__class__ = ShutdownOnExpiry  # keeps its entries and settings
    return True
