"""Shared fixtures: the raw mirror, one fresh build per session, and a writable mirror copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("WARDGAPS_RAW", ROOT.parent / "shared" / "data" / "raw")).resolve()
COMMITTED = ROOT / "data" / "wardgaps.duckdb"


@pytest.fixture(scope="session")
def raw() -> Path:
    if not (RAW / "SOURCES.md").is_file():
        pytest.fail(f"raw mirror not found at {RAW} (set WARDGAPS_RAW)")
    return RAW


@pytest.fixture(scope="session")
def built(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh extract built from the real raw mirror (once per test session)."""
    from wardgaps.build import build

    out = tmp_path_factory.mktemp("build") / "wardgaps.duckdb"
    build(raw, out, say=lambda _m: None)
    return out


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
