"""The pack as PDF (A4 landscape): one page per slide, charts at full width, the same footer, page
numbers, and title/author/language metadata. Fonts are DejaVu, shipped inside matplotlib."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wardgaps.briefing import drawing, measure
from wardgaps.briefing.model import Pack, Slide

PAGE = landscape(A4)
MARGIN, TOP, BOTTOM = 1.5 * cm, 1.2 * cm, 1.8 * cm
WIDTH, HEIGHT = PAGE[0] - 2 * MARGIN, PAGE[1] - TOP - BOTTOM


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Styles:
    """Paragraph styles of the pack."""

    def __init__(self) -> None:
        regular, bold = measure.fonts()
        self.regular, self.bold = regular, bold
        self.cover = ParagraphStyle("cover", fontName=bold, fontSize=30, leading=36, spaceAfter=24)
        self.fact = ParagraphStyle("fact", fontName=regular, fontSize=15, leading=21, spaceAfter=6)
        self.h = ParagraphStyle("h", fontName=bold, fontSize=20, leading=24, spaceAfter=6)
        self.lead = ParagraphStyle("lead", fontName=regular, fontSize=12, leading=16, spaceAfter=8)
        self.bullet = ParagraphStyle(
            "bullet", fontName=regular, fontSize=15, leading=21, spaceAfter=12, leftIndent=14, bulletIndent=0
        )
        self.note = ParagraphStyle("note", fontName=regular, fontSize=10, leading=13, textColor="#595959")
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=10.5, leading=13)
        self.head = ParagraphStyle("head", fontName=bold, fontSize=10.5, leading=13)


def _height(flowables: list) -> float:
    return sum(f.wrap(WIDTH, HEIGHT)[1] + f.getSpaceAfter() + f.getSpaceBefore() for f in flowables)


def _table(sl: Slide, st: Styles, room: float) -> Table:
    """The slide's table at the largest type size (14 to 9 pt) that fits the room left on the page."""
    for size in (14, 13, 12, 11, 10, 9):
        tbl = _table_at(sl, st, size)
        widths = [WIDTH * c / sum(sl.table.widths) for c in sl.table.widths]
        cols = [[str(c), *map(str, sl.table.frame[c])] for c in sl.table.frame.columns]
        whole = all(measure.longest_word(col, size, True) <= w - 12 for col, w in zip(cols, widths, strict=True))
        if whole and tbl.wrap(WIDTH, room)[1] <= room:  # fits, and no word broken in two
            break
    return tbl


def _table_at(sl: Slide, st: Styles, size: float) -> Table:
    t = sl.table
    widths = [WIDTH * c / sum(t.widths) for c in t.widths]
    cell = ParagraphStyle("c", parent=st.cell, fontSize=size, leading=size * 1.25)
    head = ParagraphStyle("h", parent=st.head, fontSize=size, leading=size * 1.25)
    data = [[Paragraph(_esc(str(c)), head) for c in t.frame.columns]]
    data += [[Paragraph(_esc(str(v)), cell) for v in row] for row in t.frame.itertuples(index=False)]
    tbl = Table(data, colWidths=widths, repeatRows=1)
    tbl.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F6F6F6")]),
            ]
        )
    )
    return tbl


def _page(sl: Slide, st: Styles) -> list:
    head = [Paragraph(_esc(sl.title), st.h)]
    if sl.lead:
        head.append(Paragraph(_esc(sl.lead), st.lead))
    tail = [Spacer(1, 6), Paragraph(_esc(sl.note), st.note)] if sl.note else []
    room = HEIGHT - _height(head) - _height(tail) - 12
    body: list = []
    for size in (20, 18, 17, 16, 15, 14, 13, 12, 11):  # bullets as large as the page allows
        style = ParagraphStyle(
            "b",
            parent=st.bullet,
            fontSize=size,
            leading=size * 1.4,
            spaceAfter=size * 0.8,
            bulletFontName=st.regular,
            bulletFontSize=size,
            leftIndent=size,
        )
        body = [Paragraph(_esc(b), style, bulletText="•") for b in sl.bullets]
        if _height(body) <= room:
            break
    if sl.table is not None:
        body.append(_table(sl, st, room if sl.chart is None else room / 3))
        room -= _height(body[-1:]) + 12  # a chart may follow
    if sl.image is not None:
        scale = min(WIDTH / sl.image.width, room / sl.image.height)
        img = Image(io.BytesIO(sl.image.png), width=sl.image.width * scale, height=sl.image.height * scale)
        body.append(img)
    if sl.chart is not None:
        # Drawn to the space left on the page, so the chart uses the full width and height.
        png = drawing.chart_png(sl.chart, (WIDTH / 72, room / 72))
        body.append(Image(io.BytesIO(png), width=WIDTH, height=room))
    # One page per slide whatever the content: shrink rather than spill onto a second page.
    return [KeepInFrame(WIDTH, HEIGHT, head + body + tail, mode="shrink"), PageBreak()]


class _Doc(SimpleDocTemplate):
    """A4 landscape with the footer drawn after each page's content, so the footer is read last."""

    def __init__(self, buf: io.BytesIO, *, footer: str, pages: int, font: str, **kw: object) -> None:
        super().__init__(buf, **kw)
        self._footer, self._pages, self._font = footer, pages, font

    def afterPage(self) -> None:  # noqa: N802 (reportlab's hook name)
        c = self.canv
        c.saveState()
        c.setFont(self._font, 9)
        c.setFillColor(colors.HexColor("#595959"))
        c.drawString(MARGIN, 0.9 * cm, self._footer)
        c.drawRightString(PAGE[0] - MARGIN, 0.9 * cm, f"Page {self.page} of {self._pages}")
        c.restoreState()


def to_pdf(pack: Pack) -> bytes:
    """The pack as an A4-landscape PDF with the same structure and footer as the slides."""
    st = Styles()
    buf = io.BytesIO()
    doc = _Doc(
        buf,
        footer=pack.footer,
        pages=pack.page_count,
        font=st.regular,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=pack.title,
        author="Ward Gaps",
        subject="Ward briefing",
        creator="Ward Gaps",
        lang="en-GB",
    )
    cover = [Spacer(1, 3 * cm), Paragraph(_esc(pack.title), st.cover)]
    cover += [Paragraph(f"<b>{_esc(k)}:</b> {_esc(v)}", st.fact) for k, v in pack.cover]
    story: list = [KeepInFrame(WIDTH, HEIGHT, cover, mode="shrink"), PageBreak()]
    for sl in pack.slides:
        story += _page(sl, st)
    story.pop()  # no blank page after the last
    doc.build(story)
    return buf.getvalue()
