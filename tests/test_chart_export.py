"""Chart images (PNG/SVG) come from the local Chromium through Kaleido, with no environment
write (requests run in threads) and no script fetched from the network."""

from __future__ import annotations

import os

import pytest

from wardgaps import analysis, charts

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_static_export_is_local_and_leaves_the_environment_alone(monkeypatch, full_reader):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    before = dict(os.environ)
    t = analysis.ward_table(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2024)
    comp = analysis.comparators(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025")
    fig = charts.ordered_bar(t, comp, unit="%")
    png = charts.static_image(fig, "png", 1200, 600, 2)
    svg = charts.static_image(fig, "svg", 1200, 600)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.startswith(b"<svg") and b"Finsbury Park" in svg
    assert dict(os.environ) == before
