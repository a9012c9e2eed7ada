"""Briefing packs: editable PowerPoint with native charts, and a PDF with the same content."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from pptx import Presentation

from tests.conftest import ROOT
from wardgaps import briefing
from wardgaps.db import query

ISLINGTON = "E09000019"


@pytest.fixture(scope="module")
def ward_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    data, pack = briefing.build_pack(ISLINGTON, ward="E05013703", fmt_="pptx")
    (out / "ward.pptx").write_bytes(data)
    pdf, _ = briefing.build_pack(ISLINGTON, ward="E05013703", fmt_="pdf")
    (out / "ward.pdf").write_bytes(pdf)
    return out, pack


@pytest.fixture(scope="module")
def indicator_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    data, pack = briefing.build_pack(ISLINGTON, indicator="child_poverty_ahc_dwp", period="FYE 2025", fmt_="pptx")
    (out / "ind.pptx").write_bytes(data)
    pdf, _ = briefing.build_pack(ISLINGTON, indicator="child_poverty_ahc_dwp", period="FYE 2025", fmt_="pdf")
    (out / "ind.pdf").write_bytes(pdf)
    return out, pack


def all_text(prs: Presentation) -> str:
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_indicator_pack_pptx_has_native_bar_chart_of_ward_values(indicator_pack):
    out, pack = indicator_pack
    prs = Presentation(out / "ind.pptx")
    assert len(prs.slides) == len(pack.slides) + 1 == 8
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    bar = next(c for c in charts if c.chart_type is not None and "BAR" in str(c.chart_type))
    values = list(bar.plots[0].series[0].values)
    expected = query(
        "borough_ward_values",
        borough_code=ISLINGTON,
        indicator_id="child_poverty_ahc_dwp",
        period="FYE 2025",
        vintage=2022,
    )
    assert len(values) == 17
    assert sorted(values) == sorted(expected["value"].tolist())
    assert values[0] == 46.0 and values[-1] == 20.1
    assert list(bar.plots[0].categories)[0] == "Finsbury Park"
    text = all_text(prs)
    assert "Department for Work and Pensions" in text and "Open Government Licence v3.0" in text


def test_ward_pack_pptx(ward_pack):
    out, pack = ward_pack
    prs = Presentation(out / "ward.pptx")
    assert len(prs.slides) == len(pack.slides) + 1
    text = all_text(prs)
    assert "Finsbury Park, Islington: ward briefing" in text
    assert "46.0%" in text
    assert "Sources, methods and licences" in text and "Open Government Licence" in text
    assert sum(1 for slide in prs.slides for s in slide.shapes if s.has_chart) >= 2
    assert any(s.shape_type == 13 for slide in prs.slides for s in slide.shapes)  # the map picture


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdfs_carry_the_same_content_and_render(ward_pack, indicator_pack, tmp_path):
    ward_text = pdf_text(ward_pack[0] / "ward.pdf")
    assert "Finsbury Park" in ward_text and "46.0%" in ward_text
    assert "Department for Work and Pensions" in ward_text
    ind_text = pdf_text(indicator_pack[0] / "ind.pdf")
    assert "Finsbury Park" in ind_text and "46.0%" in ind_text and "Open Government Licence" in ind_text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(ward_pack[0] / "ward.pdf"), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 2_000


def test_map_falls_back_to_matplotlib_without_a_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")

    def no_browser(*_a, **_k):
        raise RuntimeError("no Chrome")

    monkeypatch.setattr("plotly.graph_objects.Figure.to_image", no_browser)
    pack = briefing.indicator_pack(ISLINGTON, "overcrowded_households")
    assert pack.renderer.startswith("matplotlib")
    assert pack.slides[0].image[:8] == b"\x89PNG\r\n\x1a\n"


def test_public_pack_applies_disclosure_control():
    pack = briefing.indicator_pack(ISLINGTON, "population", "2021", public=True)
    bar = next(s.chart for s in pack.slides if s.chart is not None)
    assert all(v % 5 == 0 for v in bar.series["Population"])
    assert any("Public view" in b for s in pack.slides for b in s.bullets)


def test_cli_writes_pack(tmp_path):
    out = tmp_path / "pack.pdf"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "wardgaps",
            "briefing",
            "--borough",
            ISLINGTON,
            "--indicator",
            "overcrowded_households",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    bad = subprocess.run(
        [sys.executable, "-m", "wardgaps", "briefing", "--indicator", "no_such", "--out", str(tmp_path / "x.pptx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "unknown indicator" in bad.stderr
