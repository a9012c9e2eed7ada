"""Replacing the extract while many sessions query it: no query fails, none is answered from
the old file once the new one is in place, and no connection is closed under a query."""

from __future__ import annotations

import os
import shutil
import threading
import time

import duckdb
import pytest

from tests.conftest import COMMITTED
from wardgaps import db

pytestmark = pytest.mark.national


def test_swap_under_concurrent_queries(tmp_path, monkeypatch):
    live = tmp_path / "wardgaps.duckdb"
    shutil.copyfile(COMMITTED, live)
    new = tmp_path / "new.duckdb"
    shutil.copyfile(COMMITTED, new)
    with duckdb.connect(str(new)) as con:  # the new release renames one authority
        con.execute("update geographies set geo_name = 'Islington (new release)' where geo_code = 'E09000019'")
    monkeypatch.setenv("WARDGAPS_DB", str(live))
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)

    errors: list[BaseException] = []
    seen: set[str] = set()
    stop = threading.Event()

    def session(i: int) -> None:
        n = 0
        while not stop.is_set():
            try:
                # vary a bound parameter so each call reaches DuckDB rather than the result cache
                r = db.reader()  # a new run's reader: it looks at the files when it is made
                df = r.query("ward_boundaries", authority_code="E09000019", vintage=2024 if (n + i) % 2 else 2018)
                names = r.query("authorities", vintage=2024)
                seen.add(names.set_index("geo_code").loc["E09000019", "geo_name"])
                assert len(df) > 0
            except BaseException as e:  # noqa: BLE001 - any failure is the finding
                errors.append(e)
                return
            n += 1
            db.CACHE.clear()

    threads = [threading.Thread(target=session, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while "Islington" not in seen and time.monotonic() < deadline:
        time.sleep(0.01)
    os.replace(new, live)  # an atomic swap, as the build does
    while "Islington (new release)" not in seen and time.monotonic() < deadline and not errors:
        time.sleep(0.01)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors[:3]
    assert {"Islington", "Islington (new release)"} <= seen
    assert (
        db.reader().query("authorities", vintage=2024).set_index("geo_code").loc["E09000019", "geo_name"]
        == "Islington (new release)"
    )
