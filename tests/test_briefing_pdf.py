"""The PDF pack is born accessible: tagged PDF/UA-1 with a structure tree in reading order (the
title as H1, each page a section with its H2), tables with column header cells, figures with the
PowerPoint's alternative text, the language and the title; one page per slide whatever the content.
Run on the fixture extract (fast tier); tests/test_briefing.py checks the national packs the same way."""

from __future__ import annotations

import pytest

from tests import fixtures
from tests.pdf_tags import pptx_figures, read
from wardgaps import briefing, db
from wardgaps.briefing import pdf_writer
from wardgaps.briefing.model import Slide, alt

pytest_plugins = ["tests.fixture_plugin"]


@pytest.fixture(scope="module")
def packs(fixture_extract):
    """An indicator pack (map, charts, tables) and a ward pack on the fixture, in both formats."""
    r = db.Reader(fixture_extract)
    built = {
        "indicator": briefing.make_pack(r, fixtures.AUTHORITY, indicator=fixtures.RATE, period="FYE 2025"),
        "ward": briefing.make_pack(r, fixtures.AUTHORITY, ward=fixtures.CODE["Alder"]),
    }
    return {name: (p, briefing.render(p, "pdf"), briefing.render(p, "pptx")) for name, p in built.items()}


@pytest.mark.parametrize("name", ["indicator", "ward"])
def test_pdf_is_tagged_with_language_title_and_pdf_ua(packs, name):
    pack, pdf, _ = packs[name]
    t = read(pdf)
    assert t.tree is not None, "no structure tree"
    assert t.marked and t.lang == "en-GB"
    assert t.title == pack.title and t.display_title  # the title, not the file name, in the window
    assert t.ua_part == "1"  # PDF/UA-1 declared in the XMP metadata
    assert t.pages == pack.page_count


@pytest.mark.parametrize("name", ["indicator", "ward"])
def test_headings_and_sections_in_reading_order(packs, name):
    pack, pdf, _ = packs[name]
    doc = read(pdf).tree.kids[0]
    assert doc.kind == "/Document"
    sections = [k for k in doc.kids if k.kind == "/Sect"]
    assert len(sections) == pack.page_count  # one section per page, in page order
    assert [s.kids[0].page for s in sections] == list(range(1, pack.page_count + 1))
    assert len(doc.find("/H1")) == 1 and sections[0].find("/H1")  # the pack's title, on the cover
    for s in sections[1:]:
        assert [k.kind for k in s.walk() if k.kind in ("/H1", "/H2")] == ["/H2"]  # each page opens with its title
        assert s.walk()[1].kind == "/Div" and s.walk()[2].kind == "/H2"
        assert s.kids[-1].kind == "/Div" and s.kids[-1].find("/P")  # the footer is read last


@pytest.mark.parametrize("name", ["indicator", "ward"])
def test_every_figure_has_the_powerpoints_alternative_text(packs, name):
    pack, pdf, pptx = packs[name]
    figures = read(pdf).tree.find("/Figure")
    expected = [alt(x) for sl in pack.slides for x in (sl.image, sl.chart) if x is not None]
    assert len(figures) == len(expected) >= (3 if name == "indicator" else 2)
    assert [f.alt for f in figures] == expected == pptx_figures(pptx)  # one source for both formats
    assert all(f.alt and len(f.alt) > 20 for f in figures)


@pytest.mark.parametrize("name", ["indicator", "ward"])
def test_tables_have_column_header_cells(packs, name):
    pack, pdf, _ = packs[name]
    tables = read(pdf).tree.find("/Table")
    frames = [sl.table.frame for sl in pack.slides if sl.table is not None]
    assert len(tables) == len(frames) >= 2
    for table, frame in zip(tables, frames, strict=True):
        head = table.find("/THead")[0].find("/TH")
        assert len(head) == len(frame.columns)
        assert all(th.attrs.get("/Scope") == "/Column" for th in head)
        body = table.find("/TBody")[0]
        assert len(body.find("/TR")) == len(frame) and not body.find("/TH")
        assert len(body.find("/TD")) == frame.size


def test_a_crowded_slide_still_takes_one_page(packs, caplog, monkeypatch):
    """Too much for the measured sizes: the page is laid out again smaller, never spilt in two."""
    monkeypatch.setattr("wardgaps.briefing.pdf_html.bullets", lambda sl, room, squeeze=1.0: (20 * squeeze, 0.0))
    pack, _, _ = packs["indicator"]
    words = "a long sentence about a ward that a reader must see in full on one page"
    crowded = Slide("Crowded", lead="Many bullets.", bullets=[f"{i}: {words} {words} {words}" for i in range(13)])
    pack = type(pack)(**{**pack.__dict__, "slides": [crowded, *pack.slides]})
    with caplog.at_level("INFO", logger="wardgaps.briefing.pdf_writer"):
        t = read(briefing.render(pack, "pdf"))
    assert "pack pages [2] ran over their footer" in caplog.text  # the crowded page, found and redone
    assert t.pages == pack.page_count
    sections = [k for k in t.tree.kids[0].kids if k.kind == "/Sect"]
    assert [s.kids[0].page for s in sections] == list(range(1, pack.page_count + 1))


def test_the_pdf_writer_fetches_nothing_from_outside():
    fetch = pdf_writer._Local({"map-3": b"png"})
    assert fetch("pack:map-3").read() == b"png"
    assert fetch(pdf_writer.FONTS[0]).read()[:4] == b"\x00\x01\x00\x00"  # the TrueType file, from memory
    for url in ("https://example.org/chart.png", "file:///etc/passwd", "pack:elsewhere"):
        with pytest.raises(ValueError, match="reads nothing from outside"):
            fetch(url)


@pytest.mark.parametrize(
    "rows, most, sizes, suffixes",
    [(17, 7, [6, 6, 5], [" (1 of 3)", " (2 of 3)", " (3 of 3)"]), (24, 18, [12, 12], [" (1 of 2)", " (2 of 2)"]),
     (5, 7, [5], [""]), (0, 7, [0], [""])],
)  # fmt: skip
def test_table_rows_are_spread_evenly_over_as_few_slides_as_hold_them(rows, most, sizes, suffixes):
    import pandas as pd

    from wardgaps.briefing.model import balanced_parts

    parts = balanced_parts(pd.DataFrame({"n": range(rows)}), most)
    assert [len(p) for _, p in parts] == sizes and [s for s, _ in parts] == suffixes
    assert [x for _, p in parts for x in p["n"]] == list(range(rows))  # every row once, in order
    assert all(p.index[0] == 0 for _, p in parts if len(p))
