"""Shared fixtures: the raw mirror, one fresh national build per run (shared by every xdist worker),
a writable mirror copy; and the test tiers (``tests/tiers.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from tests.tiers import Guard, mark_tiers

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("WARDGAPS_RAW", ROOT.parent / "shared" / "data" / "raw")).resolve()
COMMITTED = ROOT / "data" / "wardgaps.duckdb"

GUARD = Guard(RAW, [COMMITTED, ROOT / "data" / "public.duckdb"])
GUARD.install()


def pytest_configure(config: pytest.Config) -> None:
    """With ``WARDGAPS_TEST_PREBUILD=1`` (``make test``), the run's one national build starts in its
    own process before the tests do, so both xdist workers run other tests while it builds instead
    of one waiting on the other. Started by the controller only; the workers, started after this,
    find its folder in their environment."""
    if not os.environ.get("WARDGAPS_TEST_PREBUILD") or hasattr(config, "workerinput"):
        return
    if not (RAW / "SOURCES.md").is_file():
        return  # the `raw` fixture says why
    where = Path(tempfile.mkdtemp(prefix="wardgaps-national-build-"))
    os.environ[PREBUILT] = str(where)  # the test process's own environment, read by the workers it starts
    with open(where / "build.log", "w") as log:
        config.stash[_BUILDER] = subprocess.Popen(
            [sys.executable, "-c", _BUILD_SCRIPT, str(RAW), str(where)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    proc = config.stash.get(_BUILDER, None)
    if proc is not None:
        if proc.poll() is None:  # the run ended (or was stopped) before the build did
            proc.kill()
        proc.wait()
        shutil.rmtree(os.environ.pop(PREBUILT), ignore_errors=True)


PREBUILT = "WARDGAPS_TEST_PREBUILT_DIR"
_BUILDER = pytest.StashKey[subprocess.Popen]()
# Builds, then records how it ended in `rc` (written last: the fixture waits for it).
_BUILD_SCRIPT = """
import sys
from pathlib import Path
from wardgaps.build import build
raw, where = Path(sys.argv[1]), Path(sys.argv[2])
rc = 1
try:
    build(raw, where / "wardgaps.duckdb", say=lambda _m: None)
    rc = 0
finally:
    (where / "rc").write_text(str(rc))
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_tiers(items)
    # Tests of the fresh national build last, so the build started by `make test` has time to end.
    items.sort(key=lambda item: "built" in item.fixturenames)


def _guarded(item: pytest.Item):
    """A fast test is set up and run with the guard on, and fails if it opened national data even
    where the code under test caught the refusal."""
    GUARD.active, GUARD.violations = item.get_closest_marker("fast") is not None, []
    try:
        result = yield
    finally:
        GUARD.active = False
    if GUARD.violations:
        pytest.fail(GUARD.violations[0], pytrace=False)
    return result


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(_guarded)
pytest_runtest_call = pytest.hookimpl(wrapper=True)(_guarded)


@pytest.fixture(scope="session")
def raw() -> Path:
    if not (RAW / "SOURCES.md").is_file():
        pytest.fail(f"raw mirror not found at {RAW} (set WARDGAPS_RAW)")
    return RAW


@pytest.fixture(scope="session")
def built(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh extract built from the real raw mirror: once per run, however many xdist workers
    (the first to ask builds it under a file lock in the run's shared temporary directory; the
    others wait for it and reuse it, as pytest-xdist's documentation shows)."""
    from wardgaps.build import build

    if prebuilt := os.environ.get(PREBUILT):  # started before the tests (make test): wait for it
        where = Path(prebuilt)
        deadline = time.monotonic() + 3600
        while not (where / "rc").is_file():
            if time.monotonic() > deadline:
                pytest.fail("the national build started for this run did not end within an hour")
            time.sleep(0.5)  # polling a file another process writes; ends as soon as it is there
        if (where / "rc").read_text() != "0":
            pytest.fail(f"the national build failed:\n{(where / 'build.log').read_text()[-4000:]}")
        return where / "wardgaps.duckdb"
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "national-build" / "wardgaps.duckdb"
    with FileLock(str(shared / "national-build.lock")):
        if not out.is_file():
            out.parent.mkdir(exist_ok=True)
            build(raw, out, say=lambda _m: None)
    return out


@pytest.fixture(scope="session")
def public_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed extract published: ``data/public.duckdb`` when it is current (made from this
    extract by this code, as ``make publish`` leaves it), else made afresh once per session."""
    from wardgaps import db, provenance, publish

    made = ROOT / "data" / "public.duckdb"
    if made.is_file():
        facts = provenance.release_info(db.Reader(made, public=True))
        if facts.get("made_from") == db.Reader(COMMITTED).version and facts.get("made_by") == publish.code_version():
            return made
    out = tmp_path_factory.mktemp("public") / "public.duckdb"
    publish.publish(COMMITTED, out, say=lambda _m: None)
    return out


@pytest.fixture()
def downloads():
    """Every file AppTest's download buttons offer, with its bytes and name (tests/downloads.py)."""
    from tests.downloads import recording

    with recording() as seen:
        yield seen


@pytest.fixture()
def full_reader():
    """A reader of the committed full extract (the officer view, no local layer)."""
    from wardgaps import db

    return db.Reader(COMMITTED)


@pytest.fixture()
def public_reader(public_extract: Path):
    """A reader of the committed extract's public extract (the public view)."""
    from wardgaps import db

    return db.Reader(public_extract, public=True)


@pytest.fixture()
def public_view(public_extract: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app in its public view (``WARDGAPS_PUBLIC=1``) on the committed extract's public extract."""
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(public_extract))
    monkeypatch.delenv("WARDGAPS_DB", raising=False)
    return public_extract


@pytest.fixture(scope="session")
def con(built: Path):
    c = duckdb.connect(str(built), read_only=True)
    yield c
    c.close()


def make_mirror(raw: Path, dst: Path) -> Path:
    """A mirror of the raw tree made of symlinks, so a test can replace one file safely."""
    for src in raw.rglob("*"):
        rel = src.relative_to(raw)
        if src.is_dir():
            (dst / rel).mkdir(parents=True, exist_ok=True)
        else:
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            (dst / rel).symlink_to(src)
    return dst


@pytest.fixture()
def mirror(raw: Path, tmp_path: Path) -> Path:
    return make_mirror(raw, tmp_path / "raw")


def replace_file(mirror: Path, rel: str) -> Path:
    """Turn one symlink of the mirror into a real, writable copy and return its path."""
    p = mirror / rel
    target = p.resolve()
    p.unlink()
    shutil.copyfile(target, p)
    return p


# --- local data (the council's own ward data, wardgaps.local) ----------------------------------
LOCAL_META = {
    "id": "fsm_test",
    "title": "Pupils eligible for free school meals",
    "short_title": "Free school meals",
    "unit": "%",
    "polarity": "higher_is_worse",
    "theme": "child_poverty",
    "source": "Test Council, Children's Services",
    "licence": "Open Government Licence v3.0",
    "date": "2025-10-01",
}


def write_local(dirpath: Path, rows: list[dict] | str, name: str = "local", **meta: object) -> tuple[Path, Path]:
    """A local-data CSV (rows as dicts, or the file's text as is) and its YAML metadata
    (``LOCAL_META`` updated by ``meta``; a value of None leaves the field out)."""
    import pandas as pd
    import yaml

    csv, yml = dirpath / f"{name}.csv", dirpath / f"{name}.yaml"
    if isinstance(rows, str):
        csv.write_text(rows, encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(csv, index=False)
    m = {k: v for k, v in {**LOCAL_META, **meta}.items() if v is not None}
    yml.write_text(yaml.safe_dump(m, allow_unicode=True), encoding="utf-8")
    return csv, yml


@pytest.fixture()
def local_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local layer of one's own (``WARDGAPS_LOCAL`` in a tmp dir) on the committed extract,
    holding ``fsm_test``: Islington's first three May-2022 wards, FYE 2025, published (the marks
    on an item not yet published are tested in tests/test_published.py)."""
    from wardgaps import local

    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    monkeypatch.delenv("WARDGAPS_DB", raising=False)
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    rows = [
        {"ward_code": "E05013697", "period": "2024/25", "value": 31.5, "numerator": 126, "denominator": 400},
        {"ward_code": "E05013698", "period": "2024/25", "value": 22.0, "numerator": 88, "denominator": 400},
        {"ward_code": "E05013699", "period": "2024/25", "value": 40.0, "numerator": 80, "denominator": 200},
    ]
    local.add(*write_local(tmp_path, rows), published=True)
    return tmp_path / "local.duckdb"
