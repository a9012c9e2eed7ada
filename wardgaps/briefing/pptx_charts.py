"""Native, editable PowerPoint charts with the web's encoding: significance colours per bar, 95%
intervals as custom error bars, comparator lines and a key. python-pptx has no API for error bars,
per-point label colours or label skipping, so those few elements are written as chart XML."""

from __future__ import annotations

import math

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from wardgaps import charts
from wardgaps.briefing import measure
from wardgaps.briefing.drawing import SIG_KEY, comparator_style, dark, line_style
from wardgaps.briefing.model import Chart, decimals_for

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
DASHES = {  # PowerPoint's line dashes for the web's (Plotly's) dash names (charts.COMPARATOR_STYLE)
    "solid": MSO_LINE.SOLID,
    "dash": MSO_LINE.DASH,
    "dot": MSO_LINE.ROUND_DOT,
    "dashdot": MSO_LINE.DASH_DOT,
    "longdash": MSO_LINE.LONG_DASH,
}


def number_format(values: list[float | None], unit: str) -> str:
    """Excel number format of a unit at the pack's precision ('46.0%', '1,933')."""
    d = decimals_for(values, unit)
    body = "#,##0" + ("." + "0" * d if d else "")
    return body + '"%"' if unit == "%" else '"£"' + body if unit == "£" else body


def _el(tag: str, **attrs: str) -> etree._Element:
    ns, name = tag.split(":")
    e = etree.Element(f"{{{C if ns == 'c' else A}}}{name}")
    for k, v in attrs.items():
        e.set(k, v)
    return e


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    e = _el(tag, **attrs)
    parent.append(e)
    return e


def _num_lit(values: list[float]) -> etree._Element:
    lit = _el("c:numLit")
    _sub(lit, "c:formatCode").text = "General"
    _sub(lit, "c:ptCount", val=str(len(values)))
    for i, v in enumerate(values):
        _sub(_sub(lit, "c:pt", idx=str(i)), "c:v").text = repr(float(v))
    return lit


def _error_bars(ser, minus: list[float], plus: list[float], direction: str | None) -> None:
    """Custom error bars (the 95% interval) on a series, placed where the schema wants them."""
    eb = _el("c:errBars")
    if direction:
        _sub(eb, "c:errDir", val=direction)
    _sub(eb, "c:errBarType", val="both")
    _sub(eb, "c:errValType", val="cust")
    _sub(eb, "c:noEndCap", val="0")
    _sub(eb, "c:plus").append(_num_lit(plus))
    _sub(eb, "c:minus").append(_num_lit(minus))
    ln = _sub(_sub(eb, "c:spPr"), "a:ln", w="12700")
    _sub(_sub(ln, "a:solidFill"), "a:srgbClr", val="222222")
    ser.find(qn("c:cat")).addprevious(eb)


def _label(parent: etree._Element, fmt: str, size: float, colour: str, idx: int | None = None) -> None:
    d = _sub(parent, "c:dLbl") if idx is not None else parent
    if idx is not None:
        _sub(d, "c:idx", val=str(idx))
    _sub(d, "c:numFmt", formatCode=fmt, sourceLinked="0")
    sp = _sub(d, "c:spPr")
    _sub(sp, "a:noFill")
    _sub(_sub(sp, "a:ln"), "a:noFill")
    tx = _sub(d, "c:txPr")
    _sub(tx, "a:bodyPr")
    _sub(tx, "a:lstStyle")
    rpr = _sub(_sub(_sub(tx, "a:p"), "a:pPr"), "a:defRPr", sz=str(int(size * 100)), b="0")
    _sub(_sub(rpr, "a:solidFill"), "a:srgbClr", val=colour)
    _sub(d, "c:dLblPos", val="inBase")
    for tag, val in (("showLegendKey", "0"), ("showVal", "1"), ("showCatName", "0"), ("showSerName", "0")):
        _sub(d, f"c:{tag}", val=val)
    _sub(d, "c:showPercent", val="0")
    _sub(d, "c:showBubbleSize", val="0")


def describe(shape: BaseShape, text: str) -> None:
    """Alternative text on a shape (accessibility checkers ask it of lines and swatches too)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _hex(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def label_size(n: int, plot_height_pt: float) -> float:
    """Category label size that gives every ward its own line: shrinks as wards grow."""
    return max(6.0, min(12.0, round(plot_height_pt / max(n, 1) * 0.65 * 2) / 2))


def bar_chart(slide: PptxSlide, c: Chart, x: int, y: int, w: int, h: int) -> GraphicFrame:
    """Every ward, highest at the top, with intervals and comparator lines; returns the shape."""
    fmt = number_format([b.value for b in c.bars], c.unit)
    bars = c.bars[::-1]  # a bar chart draws its first category at the bottom: lowest first puts the highest on top
    data = CategoryChartData(number_format=fmt)
    data.categories = [b.name for b in bars]
    data.add_series(c.title, [b.value for b in bars])
    gf = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, x, y, w, h, data)
    gf.name = f"Chart: {c.title}"
    chart = gf.chart
    chart.has_legend, chart.has_title = False, False
    chart.font.size = Pt(11)
    n = len(c.bars)
    fs = label_size(n, Emu(h).pt * 0.88)
    cat = chart.category_axis
    cat.tick_labels.font.size = Pt(fs)
    cat.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    ax = cat._element
    # Every ward named: never let the application skip alternate labels.
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        ax.find(qn("c:noMultiLvlLbl")).addprevious(_el(tag, val="1"))
    top = nice_max(max([b.upper or b.value for b in c.bars] + [v for _, v, _ in c.comparators]) * 1.02)
    val = chart.value_axis
    val.minimum_scale, val.maximum_scale = 0, top
    val.has_major_gridlines = True
    val.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    val.tick_labels.font.size = Pt(10)
    val.tick_labels.number_format, val.tick_labels.number_format_is_linked = fmt, False
    # The plot's inner rectangle is fixed, so the comparator lines drawn over it land on their values.
    longest = max(len(b.name) for b in c.bars)
    left = min(0.45, (longest * fs * 0.55 + 14) / Emu(w).pt)
    box = (left, 0.02, 0.97 - left, 0.88)
    _manual_layout(chart, box)
    plot = chart.plots[0]
    plot.gap_width = 40
    ser = plot.series[0]
    for i, b in enumerate(bars):
        colour = charts.SIG_COLOURS.get(b.sig, charts.SIG_COLOURS[None])
        fill = ser.points[i].format.fill
        fill.solid()
        fill.fore_color.rgb = _hex(colour)
        line = ser.points[i].format.line
        line.color.rgb = RGBColor(0, 0, 0) if b.name == c.highlight else RGBColor(0x33, 0x33, 0x33)
        line.width = Pt(2.5 if b.name == c.highlight else 0.5)
    dl = _el("c:dLbls")
    for i, b in enumerate(bars):
        if dark(charts.SIG_COLOURS.get(b.sig, charts.SIG_COLOURS[None])):
            _label(dl, fmt, fs * 0.9, "FFFFFF", i)  # white on the dark blue, as on the web
    _label(dl, fmt, fs * 0.9, "000000")
    ser._element.find(qn("c:cat")).addprevious(dl)
    if any(b.lower is not None for b in bars):
        _error_bars(
            ser._element,
            [b.value - b.lower if b.lower is not None else 0.0 for b in bars],
            [b.upper - b.value if b.upper is not None else 0.0 for b in bars],
            None,
        )
    px, py, pw, ph = (int(x + w * box[0]), int(y + h * box[1]), int(w * box[2]), int(h * box[3]))
    for label, value, kind in c.comparators:
        colour, dash = comparator_style(kind)
        lx = int(px + pw * value / top)
        ln = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, lx, py, lx, py + ph)
        ln.name = f"Comparator line: {label}"
        describe(ln, f"Vertical line marking {label} on the chart")
        ln.line.color.rgb = _hex(colour)
        ln.line.width = Pt(2.25)
        ln.line.dash_style = DASHES.get(dash, MSO_LINE.SOLID)
    return gf


def _manual_layout(chart, box: tuple[float, float, float, float]) -> None:
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    layout = _el("c:layout")
    ml = _sub(layout, "c:manualLayout")
    _sub(ml, "c:layoutTarget", val="inner")
    _sub(ml, "c:xMode", val="edge")
    _sub(ml, "c:yMode", val="edge")
    for tag, v in zip(("x", "y", "w", "h"), box, strict=True):
        _sub(ml, f"c:{tag}", val=f"{v:.4f}")
    plot_area.insert(0, layout)


def nice_max(x: float) -> float:
    """The axis end just above ``x`` at a round number (1, 2, 2.5 or 5 times a power of ten)."""
    step = 10 ** math.floor(math.log10(x)) if x > 0 else 1
    return next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= x)


def bar_key(slide: PptxSlide, c: Chart, x: int, y: int, w: int) -> int:
    """The key beside a bar chart: significance colours present, interval, comparators, the ward.
    Returns the height used."""
    row = Pt(22)
    items: list[tuple[str, str, str]] = [
        ("fill", charts.SIG_COLOURS[s], charts.SIG_LABEL[s]) for s in SIG_KEY if s in {b.sig for b in c.bars}
    ]
    if any(b.lower is not None for b in c.bars):
        items.append(("whisker", "#222222", "95% interval"))
    items += [("line:" + comparator_style(k)[1], comparator_style(k)[0], label) for label, _, k in c.comparators]
    if c.highlight:
        items.append(("outline", "#000000", f"{c.highlight} (this pack's ward)"))
    size = 11.0
    sw = Pt(22)
    head = slide.shapes.add_textbox(x, y, w, row)
    head.name = "Key heading"
    head.text_frame.text = "Key"
    head.text_frame.paragraphs[0].runs[0].font.bold = True
    head.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    top = y + row
    for kind, colour, text in items:
        h = Pt(measure.lines(text, Emu(w - sw).pt - 20, size) * size * 1.25 + 6)  # wrapped labels get their height
        if kind in ("fill", "outline"):
            s = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, top + Pt(2), sw, Pt(12))
            s.fill.solid()
            s.fill.fore_color.rgb = _hex(colour if kind == "fill" else "#FFFFFF")
            s.line.color.rgb = _hex("#000000" if kind == "outline" else "#333333")
            s.line.width = Pt(2.5 if kind == "outline" else 0.5)
        else:
            s = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x, top + Pt(8), x + sw, top + Pt(8))
            s.line.color.rgb = _hex(colour)
            s.line.width = Pt(2.25 if kind.startswith("line") else 1)
            if kind.startswith("line:"):
                s.line.dash_style = DASHES.get(kind.split(":")[1], MSO_LINE.SOLID)
        s.name = f"Key swatch: {text}"
        describe(s, f"Key sample for {text}")
        tb = slide.shapes.add_textbox(x + sw + Pt(6), top, w - sw - Pt(6), h)
        tb.name = f"Key: {text}"
        tf = tb.text_frame
        tf.word_wrap = True
        tf.margin_top = tf.margin_bottom = 0
        tf.text = text
        tf.paragraphs[0].runs[0].font.size = Pt(size)
        top += h
    return top - y


def line_chart(slide: PptxSlide, c: Chart, x: int, y: int, w: int, h: int) -> GraphicFrame:
    """Trend lines, comparators styled as on the web, ward intervals as error bars, key below."""
    values = [v for vals in c.series.values() for v in vals]
    fmt = number_format(values, c.unit)
    data = CategoryChartData(number_format=fmt)
    data.categories = c.categories
    for name, vals in c.series.items():
        data.add_series(name, vals)
    gf = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, w, h, data)
    gf.name = f"Chart: {c.title} over time"
    chart = gf.chart
    chart.has_title = False
    chart.font.size = Pt(12)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False  # the key sits below the plot, never on the lines
    chart.category_axis.tick_labels.font.size = Pt(11)
    chart.value_axis.tick_labels.number_format, chart.value_axis.tick_labels.number_format_is_linked = fmt, False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    for i, (ser, name) in enumerate(zip(chart.plots[0].series, c.series, strict=True)):
        colour, dash = line_style(c, name, i)
        ser.smooth = False
        ser.format.line.color.rgb = _hex(colour)
        ser.format.line.width = Pt(2.25)
        ser.format.line.dash_style = DASHES.get(dash, MSO_LINE.SOLID)
        ser.marker.format.fill.solid()
        ser.marker.format.fill.fore_color.rgb = _hex(colour)
        ser.marker.format.line.color.rgb = _hex(colour)
        if name in c.intervals:
            lo, hi = c.intervals[name]
            vals = c.series[name]
            minus = [v - a if v is not None and a is not None else 0.0 for v, a in zip(vals, lo, strict=True)]
            plus = [b - v if v is not None and b is not None else 0.0 for v, b in zip(vals, hi, strict=True)]
            _error_bars(ser._element, minus, plus, "y")
    return gf
