"""The fixture extract as pytest fixtures: ``pytest_plugins = ["tests.fixture_plugin"]`` in a test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import build_fixture
from wardgaps import db
from wardgaps.publish import publish


@pytest.fixture(scope="session")
def fixture_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture extract, built once per session (tests only read it)."""
    return build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture(scope="session")
def fixture_public(fixture_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture extract published: its public extract, made once per session."""
    out = tmp_path_factory.mktemp("fixture_public") / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None)
    return out


@pytest.fixture()
def fixture_db(fixture_extract: Path, fixture_public: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``WARDGAPS_DB`` (and ``WARDGAPS_PUBLIC_DB``) pointed at the fixture's extracts for one test."""
    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(fixture_public))
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    monkeypatch.delenv("WARDGAPS_LOCAL", raising=False)
    return fixture_extract


@pytest.fixture()
def full(fixture_extract: Path) -> db.Reader:
    """A reader of the fixture's full extract (the officer view)."""
    return db.Reader(fixture_extract)


@pytest.fixture()
def pub(fixture_public: Path) -> db.Reader:
    """A reader of the fixture's public extract (the public view)."""
    return db.Reader(fixture_public, public=True)
