"""The pack as semantic HTML for the PDF writer: one ``<section>`` per page (the cover's ``<h1>``, a
slide's ``<h2>``), bullets as a list, tables with ``<th scope="col">`` header cells, charts and maps as
``<img>`` with the same alternative text as the PowerPoint's, the footer last in reading order.

Every size is chosen here, in points, from the fonts' own metrics (:mod:`measure`), so each slide
fits one A4-landscape page as it did before: bullets and tables at the largest size that fits, the
map scaled into the room left, the chart drawn to fill it. ``squeeze`` shrinks a page's room when the
writer finds it did not fit after all.
"""

from __future__ import annotations

import html

from wardgaps.briefing import drawing, measure
from wardgaps.briefing.model import Pack, Slide, alt

CM = 72 / 2.54
PAGE_W, PAGE_H = 29.7 * CM, 21.0 * CM  # A4 landscape
MARGIN, TOP, BOTTOM = 1.5 * CM, 1.2 * CM, 1.8 * CM  # BOTTOM: where content ends; the footer sits below
FOOT = 0.6 * CM  # the page's bottom margin, under the footer line
WIDTH, HEIGHT = PAGE_W - 2 * MARGIN, PAGE_H - TOP - BOTTOM
SECTION = PAGE_H - TOP - FOOT - 3  # a page's section, short of the page so it never spills
INK, GREY = "#000000", "#595959"


def e(s: object) -> str:
    """Text for HTML, escaped."""
    return html.escape(str(s), quote=True)


def _lines(text: str, box: float, size: float, leading: float, after: float = 0, bold: bool = False) -> float:
    return measure.lines(text, box, size, bold) * leading + after


def head_height(sl: Slide) -> float:
    """The title (20 pt bold) and the lead (12 pt) with their spacing."""
    h = _lines(sl.title, WIDTH, 20, 24, 6, True)
    return h + (_lines(sl.lead, WIDTH, 12, 16, 8) if sl.lead else 0)


def note_height(sl: Slide) -> float:
    """The caption under the content (10 pt) and the space before it."""
    return 6 + _lines(sl.note, WIDTH, 10, 13) if sl.note else 0


def bullets(sl: Slide, room: float, squeeze: float = 1.0) -> tuple[float, float]:
    """(size, height) of the bullets: as large as the page allows, 20 pt down to 11 (smaller on a
    squeezed page)."""
    size, h = 11.0, 0.0
    for size in (s * squeeze for s in (20, 18, 17, 16, 15, 14, 13, 12, 11)):
        h = sum(_lines(b, WIDTH - size, size, size * 1.4, size * 0.8) for b in sl.bullets)
        if h <= room:
            break
    return size, h


def widths(sl: Slide) -> list[float]:
    """The table's column widths in points, in the proportions the slide asks."""
    w = sl.table.widths
    return [WIDTH * c / sum(w) for c in w]


def table_height(sl: Slide, size: float) -> float:
    """Height of the slide's table at a type size: each row as tall as its tallest cell."""
    frame, cols = sl.table.frame, widths(sl)
    leading, pad = size * 1.25, 6.5  # 3 pt above and below, and the rule
    rows = [([str(c) for c in frame.columns], True)] + [([str(v) for v in r], False) for r in frame.itertuples(False)]
    return sum(
        max(measure.lines(c, w - 12, size, bold) for c, w in zip(cells, cols, strict=True)) * leading + pad
        for cells, bold in rows
    )


def table_size(sl: Slide, room: float, squeeze: float = 1.0) -> tuple[float, float]:
    """(size, height): the largest type size (14 to 9 pt, smaller on a squeezed page) that fits the
    room with no word broken in two."""
    cols = [[str(c), *map(str, sl.table.frame[c])] for c in sl.table.frame.columns]
    size, h = 9.0, 0.0
    for size in (s * squeeze for s in (14, 13, 12, 11, 10, 9)):
        h = table_height(sl, size)
        whole = all(measure.longest_word(col, size, True) <= w - 12 for col, w in zip(cols, widths(sl), strict=True))
        if whole and h <= room:
            break
    return size, h


def table(sl: Slide, size: float) -> str:
    """The slide's table: a header row of column headers, every cell already formatted."""
    frame = sl.table.frame
    cols = "".join(f'<col style="width:{w:.2f}pt">' for w in widths(sl))
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in r) + "</tr>" for r in frame.itertuples(index=False))
    return (
        f'<table style="font-size:{size:.2f}pt"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def image(name: str, alt_text: str, w: float, h: float) -> str:
    """A picture the writer serves from memory, with its alternative text (tagged /Figure /Alt)."""
    return f'<img src="pack:{name}" alt="{e(alt_text)}" style="width:{w:.2f}pt;height:{h:.2f}pt">'


def number_width(pack: Pack) -> float:
    """Room for the page number, at the footer's right, with a gap before it."""
    return measure.width(f"Page {pack.page_count} of {pack.page_count}", 9) + 12


def footer_height(pack: Pack) -> float:
    """The footer's height (9 pt on 11): one line unless its sources are many."""
    return measure.lines(pack.footer, WIDTH - number_width(pack), 9) * 11


def footer_top(pack: Pack) -> float:
    """Where the footer starts on every page, from the top: at the foot of the page's section."""
    return TOP + SECTION - footer_height(pack)


def footer(pack: Pack, number: int) -> str:
    """Source and data-as-at on the left, the page number on the right: read last on every page."""
    return (
        f'<div class="foot" id="foot-{number}"><p>{e(pack.footer)}</p>'
        f'<p class="number">Page {number} of {pack.page_count}</p></div>'
    )


def cover(pack: Pack) -> str:
    """The cover: the pack's title (the document's one h1), then its facts."""
    facts = "".join(f'<p class="fact"><strong>{e(k)}:</strong> {e(v)}</p>' for k, v in pack.cover)
    head = f'<section id="page-1" class="cover"><div class="content"><h1>{e(pack.title)}</h1>'
    return f"{head}{facts}</div>{footer(pack, 1)}</section>"


def page(pack: Pack, sl: Slide, number: int, images: dict[str, bytes], squeeze: float = 1.0) -> str:
    """One slide as one page: title, lead, content sized to the room left, caption, footer."""
    parts = [f"<h2>{e(sl.title)}</h2>"]
    if sl.lead:
        parts.append(f'<p class="lead">{e(sl.lead)}</p>')
    room = (HEIGHT - head_height(sl) - note_height(sl) - 12) * squeeze
    if sl.bullets:
        size, h = bullets(sl, room, squeeze)
        items = "".join(f"<li>{e(b)}</li>" for b in sl.bullets)
        parts.append(f'<ul style="font-size:{size:.2f}pt;padding-left:{size:.2f}pt">{items}</ul>')
        room -= h
    if sl.table is not None:
        size, h = table_size(sl, room if sl.chart is None else room / 3, squeeze)
        parts.append(table(sl, size))
        room -= h + 12  # a chart may follow
    if sl.image is not None:
        scale = min(WIDTH / sl.image.width, room / sl.image.height)
        images[f"map-{number}"] = sl.image.png
        parts.append(image(f"map-{number}", alt(sl.image), sl.image.width * scale, sl.image.height * scale))
    if sl.chart is not None:
        # Drawn to the room left on the page, so the chart uses the full width and height (once per size).
        name = f"chart-{number}-{room:.1f}"
        if name not in images:
            images[name] = drawing.chart_png(sl.chart, (WIDTH / 72, room / 72))
        parts.append(image(name, alt(sl.chart), WIDTH, room))
    if sl.note:
        parts.append(f'<p class="note">{e(sl.note)}</p>')
    return f'<section id="page-{number}"><div class="content">{"".join(parts)}</div>{footer(pack, number)}</section>'


def css(regular: str, bold: str, content: float, number: float) -> str:
    """The pack's page and type: A4 landscape, DejaVu Sans from local files, the old pack's sizes.
    A page's content is at least ``content`` tall, so its footer sits at the foot of the page, and is
    pushed lower (where the writer sees it) when the content runs over."""
    return f"""
@font-face {{ font-family: "WardGaps DejaVu Sans"; src: url("{regular}"); font-weight: normal; }}
@font-face {{ font-family: "WardGaps DejaVu Sans"; src: url("{bold}"); font-weight: bold; }}
@page {{ size: {PAGE_W:.2f}pt {PAGE_H:.2f}pt; margin: {TOP:.2f}pt {MARGIN:.2f}pt {FOOT:.2f}pt {MARGIN:.2f}pt; }}
html {{ font-family: "WardGaps DejaVu Sans"; color: {INK}; font-size: 12pt; line-height: 1.25; }}
body {{ margin: 0; }}
section {{ break-after: page; }}
section:last-child {{ break-after: auto; }}
.content {{ min-height: {content:.2f}pt; box-sizing: border-box; display: flow-root; }}
.cover .content {{ padding-top: {3 * CM:.2f}pt; }}
.foot {{ position: relative; font-size: 9pt; line-height: 11pt; color: {GREY}; }}
.foot p {{ margin: 0; margin-right: {number:.2f}pt; }}
.foot .number {{ position: absolute; top: 0; right: 0; margin: 0; white-space: nowrap; }}
p {{ margin: 0; }}
h1 {{ font-size: 30pt; line-height: 36pt; margin: 0 0 24pt 0; }}
h2 {{ font-size: 20pt; line-height: 24pt; margin: 0 0 6pt 0; }}
.fact {{ font-size: 15pt; line-height: 21pt; margin-bottom: 6pt; }}
.lead {{ font-size: 12pt; line-height: 16pt; margin-bottom: 8pt; }}
ul {{ margin: 0; list-style-type: disc; list-style-position: outside; }}
li {{ line-height: 1.4; margin-bottom: 0.8em; }}
.note {{ font-size: 10pt; line-height: 13pt; color: {GREY}; margin-top: 6pt; }}
img {{ display: block; }}
table {{ border-collapse: collapse; table-layout: fixed; width: {WIDTH:.2f}pt; line-height: 1.25; }}
th, td {{ border: 0.25pt solid #999999; padding: 3pt 6pt; vertical-align: top; text-align: left; }}
th {{ background: #E8E8E8; font-weight: bold; }}
tbody tr:nth-child(even) td {{ background: #F6F6F6; }}
"""


def document(pack: Pack, images: dict[str, bytes], fonts: tuple[str, str], squeeze: dict[int, float]) -> str:
    """The whole pack as one HTML document in reading order; pictures are put in ``images``."""
    pages = [cover(pack)] + [
        page(pack, sl, n, images, squeeze.get(n, 1.0)) for n, sl in enumerate(pack.slides, start=2)
    ]
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{e(pack.title)}</title>"
        '<meta name="author" content="Ward Gaps"><meta name="description" content="Ward briefing">'
        '<meta name="generator" content="Ward Gaps">'
        f"<style>{css(*fonts, footer_top(pack) - TOP, number_width(pack))}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )
