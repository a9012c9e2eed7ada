"""The fixture extract as pytest fixtures: ``pytest_plugins = ["tests.fixture_plugin"]`` in a test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import build_fixture


@pytest.fixture(scope="session")
def fixture_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture extract, built once per session (tests only read it)."""
    return build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture()
def fixture_db(fixture_extract: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``WARDGAPS_DB`` pointed at the fixture extract for one test (analyses cache per file version)."""
    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    return fixture_extract
