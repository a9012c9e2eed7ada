"""The local layer with area sets on the fixture extract, as pytest fixtures (``pytest_plugins =
["tests.fixture_plugin", "tests.areas_plugin"]`` in a test module): the set Hubs (published) in the
London fixture authority, the set Towns (not published) in the metropolitan district, and a local
percentage there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.area_sets import HUBS, METRO_AREAS, METRO_LOCAL, areas_csv
from tests.conftest import write_local
from tests.fixture_areas import MORE_CODE
from tests.fixtures import CODE
from wardgaps.__main__ import main


@pytest.fixture(scope="session")
def layer_file(fixture_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local layer the tests start from, made once: the set Hubs (published) in the London
    fixture authority, the set Towns (not published) in the metropolitan district, and a local
    percentage there."""
    from wardgaps import local

    tmp = tmp_path_factory.mktemp("areas")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WARDGAPS_DB", str(fixture_extract))
        mp.setenv("WARDGAPS_LOCAL", str(tmp / "local.duckdb"))
        mp.delenv("WARDGAPS_PUBLIC", raising=False)
        rows = [
            {"ward_code": MORE_CODE[w], "period": "2024/25", "value": 100 * n / d, "numerator": n, "denominator": d}
            for w, (n, d) in METRO_LOCAL.items()
        ]
        local.add(*write_local(tmp, rows, id="metro_local", title="Metro local share"))
        hubs = areas_csv(tmp / "h.csv", HUBS, CODE)
        assert main(["add-areas", "--csv", str(hubs), "--set", "Hubs", "--published"]) == 0
        assert (
            main(["add-areas", "--csv", str(areas_csv(tmp / "t.csv", METRO_AREAS, MORE_CODE)), "--set", "Towns"]) == 0
        )
    return tmp / "local.duckdb"


@pytest.fixture()
def layer(fixture_db: Path, layer_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of that layer of the test's own (``WARDGAPS_LOCAL``) on the fixture extract."""
    shutil.copyfile(layer_file, tmp_path / "local.duckdb")
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    return tmp_path / "local.duckdb"
