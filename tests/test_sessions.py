"""Disconnected sessions Streamlit's store drops on its own are shut down (wardgaps/ui/sessions.py),
so what their last run registered (download buttons' files, tables' frames) is freed."""

from __future__ import annotations

from types import SimpleNamespace

from streamlit.runtime.caching.ttl_cache import TTLCache
from streamlit.runtime.memory_session_storage import MemorySessionStorage

from wardgaps.ui import sessions


class FakeSession:
    def __init__(self, sid: str) -> None:
        self.id = sid
        self.shutdowns = 0

    def shutdown(self) -> None:
        self.shutdowns += 1


def info(sid: str) -> SimpleNamespace:
    return SimpleNamespace(session=FakeSession(sid), client=None, script_run_count=1)


def installed(monkeypatch, storage: MemorySessionStorage) -> bool:
    rt = SimpleNamespace(_session_mgr=SimpleNamespace(_session_storage=storage))
    monkeypatch.setattr(sessions.runtime, "exists", lambda: True)
    monkeypatch.setattr(sessions.runtime, "get_instance", lambda: rt)
    return sessions.install()


def test_store_full_shuts_down_the_evicted_session(monkeypatch):
    storage = MemorySessionStorage(maxsize=2, ttl_seconds=120)
    kept = info("kept")
    storage.save(kept)  # saved before the store is changed: kept, and dropped like the rest
    assert installed(monkeypatch, storage)
    assert installed(monkeypatch, storage)  # a second run changes nothing
    assert type(storage._cache) is sessions.ShutdownOnExpiry
    a, b = info("a"), info("b")
    storage.save(a)
    storage.save(b)  # three for two places: the least recently used goes, shut down
    assert kept.session.shutdowns == 1
    assert (a.session.shutdowns, b.session.shutdowns) == (0, 0)
    assert {i.session.id for i in storage.list()} == {"a", "b"}


def test_expired_session_is_shut_down_and_taken_back_one_is_not(monkeypatch):
    now = [0.0]
    storage = MemorySessionStorage(maxsize=128, ttl_seconds=120)
    storage._cache = TTLCache(maxsize=128, ttl=120, timer=lambda: now[0])
    assert installed(monkeypatch, storage)
    old, resumed = info("old"), info("resumed")
    storage.save(old)
    storage.save(resumed)
    storage.delete("resumed")  # a reconnection takes its session back: it must live on
    now[0] = 121.0
    storage.save(info("new"))  # a write reaps the expired
    assert old.session.shutdowns == 1
    assert resumed.session.shutdowns == 0
    assert [i.session.id for i in storage.list()] == ["new"]


def test_no_runtime_no_change(monkeypatch):
    monkeypatch.setattr(sessions.runtime, "exists", lambda: False)
    assert sessions.install() is False
