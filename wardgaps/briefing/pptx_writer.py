"""The pack as editable PowerPoint: the council's template or a neutral theme, native charts, text
sized to its box, tables that fit, a footer with source, data-as-at and slide number on every slide."""

from __future__ import annotations

import copy
import io
import uuid
from pathlib import Path

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Pt

from wardgaps.briefing import measure, pptx_charts
from wardgaps.briefing.model import Pack, Slide, alt, table_alt
from wardgaps.briefing.pptx_template import drop_unused, open_template, pick_layouts, title_of

GREY = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white
INK = RGBColor(0x26, 0x26, 0x26)  # a template's pale subtitle grey can fall below 4.5:1


def lines(texts: list[str], width_pt: float, size: float, bold: bool = False) -> int:
    """Lines a set of paragraphs needs in a box of this width at a font size."""
    return sum(measure.lines(t, width_pt, size, bold) for t in texts)


def fit(texts: list[str], width: int, height: int, largest: float, smallest: float, gap: float = 0) -> float:
    """The largest font size (points) at which the paragraphs fit the box."""
    size = largest
    while size > smallest:
        need = lines(texts, Emu(width).pt - 14, size) * size * 1.2 + gap * len(texts) + 8
        if need <= Emu(height).pt:
            break
        size -= 0.5
    return size


def text_height(texts: list[str], width: int, size: float, gap: float = 0) -> int:
    """Height in EMU a set of paragraphs takes at a size, with the box's margins."""
    return int(Pt(lines(texts, Emu(width).pt - 14, size) * size * 1.2 + gap * len(texts) + 10))


def _write(
    tf: TextFrame, texts: list[str], size: float, gap: float = 0, colour: RGBColor | None = None, bold=False
) -> None:
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    for i, t in enumerate(texts):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = t
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour
        if gap:
            p.space_after = Pt(gap)


def textbox(
    slide: PptxSlide, name: str, x: int, y: int, w: int, h: int, texts: list[str], size: float, **kw: object
) -> Shape:
    """A named, wrapped text box."""
    box = slide.shapes.add_textbox(x, y, w, h)
    box.name = name
    box.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    _write(box.text_frame, texts, size, **kw)
    return box


alt_text = pptx_charts.describe  # the description screen readers read, on pictures, charts and tables


def _number_field(run: _Run, number: int, total: int) -> None:
    """Split "Slide n of N" so n is a slide-number field: it follows the slide if slides are moved."""
    r = run._r
    before = copy.deepcopy(r)
    before.find(qn("a:t")).text = "Slide "
    after = copy.deepcopy(r)
    after.find(qn("a:t")).text = f" of {total}"
    fld = etree.SubElement(r.getparent(), qn("a:fld"), id=f"{{{uuid.UUID(int=number)}}}".upper(), type="slidenum")
    fld.append(copy.deepcopy(r.find(qn("a:rPr"))))
    etree.SubElement(fld, qn("a:t")).text = str(number)
    r.addprevious(before)
    r.addprevious(fld)
    r.addprevious(after)
    r.getparent().remove(r)


class Writer:
    """Slides on one presentation, with the geometry of its slide size and title placeholder."""

    def __init__(self, pack: Pack, template: str | Path | bytes | None) -> None:
        self.pack = pack
        self.prs = open_template(template)
        self.layouts = pick_layouts(self.prs)
        self.W, self.H = self.prs.slide_width, self.prs.slide_height
        self.m = int(self.W * 0.04)
        self.footer_top = int(self.H - self.H * 0.075)
        self.total = pack.page_count

    def title(self, slide: PptxSlide, text: str, largest: float = 28, cap: bool = True) -> int:
        """Fill the title placeholder (or a box where it would be); returns the title's bottom edge."""
        ph = title_of(slide)
        if ph is None:
            ph = textbox(slide, "Title", self.m, int(self.H * 0.04), self.W - 2 * self.m, int(self.H * 0.12), [], 1)
        ph.text_frame.text = text
        ph.text_frame.word_wrap = True
        size = fit([text], ph.width, ph.height, largest, 16)
        for p in ph.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(size)
        bottom = ph.top + ph.height
        # A template whose title box fills half the slide would leave no room: cap where content starts.
        return min(bottom, int(self.H * 0.25)) if cap else bottom

    def footer(self, slide: PptxSlide, number: int) -> None:
        """Source and data-as-at on the left, the slide number on the right: on every slide."""
        h = int(self.H * 0.045)
        w = self.W - 2 * self.m
        size = fit([self.pack.footer], int(w * 0.82), h, 10, 7)  # one line on any slide width
        textbox(slide, "Footer", self.m, self.footer_top, int(w * 0.82), h, [self.pack.footer], size, colour=GREY)
        num = textbox(
            slide, "Slide number", self.m + int(w * 0.84), self.footer_top, int(w * 0.16), h,
            [f"Slide {number} of {self.total}"], 10, colour=GREY,
        )  # fmt: skip
        para = num.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.RIGHT
        _number_field(para.runs[0], number, self.total)

    def cover(self) -> None:
        """Title, then the facts: authority, ward or indicator, period, prepared, data version."""
        slide = self.prs.slides.add_slide(self.layouts.cover)
        keep = set()
        ph = title_of(slide)
        if ph is not None:
            keep.add(ph.placeholder_format.idx)
        bottom = self.title(slide, self.pack.title, 40, cap=False)
        facts = [f"{k}: {v}" for k, v in self.pack.cover]
        sub = next(
            (
                p
                for p in slide.placeholders
                if p.placeholder_format.type in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
            ),
            None,
        )
        x, w = self.m, self.W - 2 * self.m
        y, h = bottom + Pt(12), self.footer_top - bottom - Pt(24)
        size = fit(facts, w, h, 20, 11, 6)
        if sub is not None and fit(facts, sub.width, sub.height, 20, 11, 6) >= 14:
            keep.add(sub.placeholder_format.idx)
            sub.text_frame.text = ""
            _write(sub.text_frame, facts, fit(facts, sub.width, sub.height, 20, 11, 6), gap=6, colour=INK)
            for p in sub.text_frame.paragraphs:
                p.alignment = PP_ALIGN.LEFT  # a list of facts reads down its left edge
        else:
            textbox(slide, "Cover facts", x, y, w, h, facts, size, gap=6, colour=INK)
        drop_unused(slide, keep)
        self.footer(slide, 1)

    def slide(self, sl: Slide, number: int) -> None:
        """One content slide: title, lead, the content sized to the room left, caption, footer."""
        slide = self.prs.slides.add_slide(self.layouts.content)
        ph = title_of(slide)
        drop_unused(slide, {ph.placeholder_format.idx} if ph is not None else set())
        top = self.title(slide, sl.title) + int(self.H * 0.02)
        x, w = self.m, self.W - 2 * self.m
        bottom = self.footer_top - int(self.H * 0.015)
        if sl.lead:
            h = text_height([sl.lead], w, 14)
            textbox(slide, "Lead", x, top, w, h, [sl.lead], 14)
            top += h + int(self.H * 0.01)
        caption = None
        if sl.note:  # its room is kept now; the box is added after the content, in reading order
            caption = (bottom - text_height([sl.note], w, 11), text_height([sl.note], w, 11))
            bottom = caption[0] - int(self.H * 0.01)
        h = bottom - top
        if sl.bullets:
            bullets = [f"• {b}" for b in sl.bullets]
            size = fit(bullets, w, h, 20 if len(bullets) <= 5 else 16, 10, 10)
            box = textbox(slide, "Bullets", x, top, w, h, bullets, size, gap=10)
            box.name = "Key messages" if sl.title == "Key messages" else "Bullets"
        if sl.table is not None:
            used = self.table(slide, sl, x, top, w, h if sl.chart is None else h // 3)
            top, h = top + used + int(self.H * 0.02), h - used - int(self.H * 0.02)  # a chart may follow
        if sl.image is not None:
            scale = min(w / sl.image.width, h / sl.image.height)
            pw, ph_ = int(sl.image.width * scale), int(sl.image.height * scale)
            pic = slide.shapes.add_picture(io.BytesIO(sl.image.png), x + (w - pw) // 2, top, pw, ph_)
            pic.name = "Map"
            alt_text(pic, alt(sl.image))
        if sl.chart is not None and sl.chart.kind == "bar":
            cw = int(w * 0.74)
            gf = pptx_charts.bar_chart(slide, sl.chart, x, top, cw, h)
            alt_text(gf, alt(sl.chart))
            pptx_charts.bar_key(slide, sl.chart, x + cw + int(w * 0.02), top, w - cw - int(w * 0.02))
        elif sl.chart is not None:
            alt_text(pptx_charts.line_chart(slide, sl.chart, x, top, w, h), alt(sl.chart))
        if caption is not None:
            textbox(slide, "Caption", x, caption[0], w, caption[1], [sl.note], 11, colour=GREY)
        self.footer(slide, number)

    def table(self, slide: PptxSlide, sl: Slide, x: int, y: int, w: int, h: int) -> int:
        """The slide's table at the largest size (14 to 8 pt) that fits ``h``; returns its height."""
        t = sl.table
        frame = t.frame
        widths = [int(w * c / sum(t.widths)) for c in t.widths]
        rows = [list(map(str, frame.columns))] + [[str(v) for v in r] for r in frame.itertuples(index=False)]
        pad = 0.1 * 72  # top+bottom cell margins, points

        def heights(size: float) -> list[float]:
            return [
                max(lines([c], Emu(cw).pt - 10, size, i == 0) for c, cw in zip(r, widths, strict=True)) * size * 1.2
                + pad
                for i, r in enumerate(rows)
            ]

        def words_fit(size: float) -> bool:  # no word broken in two ("Boroug/h")
            return all(
                measure.longest_word([r[j] for r in rows], size, True) <= Emu(cw).pt - 10 for j, cw in enumerate(widths)
            )

        size = 14.0
        while size > 8 and (sum(heights(size)) > Emu(h).pt or not words_fit(size)):
            size -= 0.5
        shape = slide.shapes.add_table(len(rows), len(frame.columns), x, y, w, int(Pt(sum(heights(size)))))
        shape.name = f"Table: {sl.title}"
        alt_text(shape, table_alt(sl))
        tbl = shape.table
        for j, cw in enumerate(widths):
            tbl.columns[j].width = cw
        for i, (r, rh) in enumerate(zip(rows, heights(size), strict=True)):
            tbl.rows[i].height = int(Pt(rh))
            for j, v in enumerate(r):
                cell = tbl.cell(i, j)
                cell.margin_top = cell.margin_bottom = Pt(pad / 2)
                cell.margin_left = cell.margin_right = Pt(4)
                cell.text = ""
                _write(cell.text_frame, [v], size, bold=i == 0)
        return int(Pt(sum(heights(size))))


def to_pptx(pack: Pack, template: str | Path | bytes | None = None) -> bytes:
    """The pack as a .pptx: cover, key messages, evidence, sources; the template's master if given."""
    w = Writer(pack, template)
    w.cover()
    for i, sl in enumerate(pack.slides, start=2):
        w.slide(sl, i)
    cp = w.prs.core_properties
    cp.title, cp.author, cp.language, cp.subject = pack.title, "Ward Gaps", "en-GB", "Ward briefing"
    buf = io.BytesIO()
    w.prs.save(buf)
    return buf.getvalue()
