"""Local data in the served app, in headless Chromium: the council's own figures on the map and
in the sidebar, and a new version loaded with ``python -m wardgaps add --replace`` while the
server runs is shown on the next load, with no restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import choose, chromium, require_chromium, serve, settle
from tests.conftest import ROOT, write_local

pytestmark = [pytest.mark.browser, pytest.mark.national, pytest.mark.xdist_group("browser")]
require_chromium()
from playwright.sync_api import expect  # noqa: E402

ROWS = [
    {"ward_code": "E05013697", "period": "2024/25", "value": 31.5, "numerator": 126, "denominator": 400},
    {"ward_code": "E05013698", "period": "2024/25", "value": 22.0, "numerator": 88, "denominator": 400},
    {"ward_code": "E05013699", "period": "2024/25", "value": 40.0, "numerator": 80, "denominator": 200},
]


def add(env: dict[str, str], csv: Path, yml: Path, *extra: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "wardgaps", "add", "--csv", str(csv), "--meta", str(yml), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr


def test_local_data_served_and_replaced_while_serving(tmp_path):
    layer = tmp_path / "local.duckdb"
    env = {**os.environ, "WARDGAPS_LOCAL": str(layer)}
    env.pop("WARDGAPS_DB", None)
    add(env, *write_local(tmp_path, ROWS), "--published")
    with serve(extra_env={"WARDGAPS_LOCAL": str(layer)}) as url, chromium() as browser:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.goto(f"{url}/map")
        settle(pg)
        choose(pg, "Indicator", "Free school meals (local data) (%)")  # reachable from the sidebar
        main = pg.locator("[data-testid=stMain]")
        expect(main).to_contain_text("Ward map: Free school meals (local data)", timeout=60_000)
        expect(main).to_contain_text("Bunhill has the highest figure (40.0%)")
        expect(main).to_contain_text("Local data: the council's own figures, not an official statistic.")
        rows = [dict(r, value=45.0, numerator=90) if r["ward_code"] == "E05013699" else r for r in ROWS]
        add(env, *write_local(tmp_path, rows), "--replace", "--published")
        pg.reload()
        settle(pg)
        expect(pg.locator("[data-testid=stMain]")).to_contain_text(
            "Bunhill has the highest figure (45.0%)", timeout=60_000
        )
