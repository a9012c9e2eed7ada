"""Briefing packs: one ward, or one indicator across a borough, as editable PowerPoint or PDF.

The pack is first assembled as plain content (:class:`Pack`), then rendered: python-pptx with
native, editable chart objects for PowerPoint; reportlab (A4 landscape, DejaVu fonts shipped
with matplotlib) for PDF. Maps are images: Plotly's static export (Kaleido, driving the local
Chromium named by ``BROWSER_PATH``) when it works, otherwise a matplotlib drawing of the same
boundaries; the pack says which renderer it used.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps import analysis, charts
from wardgaps.db import query
from wardgaps.stats import fmt

Progress = Callable[[float, str], None]
MAX_TABLE_ROWS = 12


@dataclass
class Chart:
    kind: str  # "bar" (categories, one series, optional highlight) or "line" (periods, several series)
    title: str
    categories: list[str]
    series: dict[str, list[float | None]]
    unit: str
    highlight: str | None = None
    note: str = ""


@dataclass
class Slide:
    title: str
    bullets: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    chart: Chart | None = None
    image: bytes | None = None
    note: str = ""


@dataclass
class Pack:
    kind: str
    title: str
    subtitle: str
    slides: list[Slide]
    renderer: str
    sources: pd.DataFrame


def _noop(_f: float, _m: str) -> None:
    pass


# --- maps -----------------------------------------------------------------------------------
def _map_png(
    bounds: pd.DataFrame, data: pd.DataFrame, label: str, unit: str, polarity: str, selected: str | None
) -> tuple[bytes, str]:
    """PNG of a ward map: Kaleido (local Chromium) first, matplotlib if no browser is usable."""
    fig = charts.choropleth(bounds, data, value_label=label, unit=unit, polarity=polarity, title="", selected=selected)
    fig.update_layout(margin=dict(l=0, r=0, t=10, b=0))
    try:
        return charts.static_image(fig, "png", 1100, 620, 1.5), "Plotly static export (Kaleido, local Chromium)"
    except Exception:  # no usable browser: fall back rather than fail the pack
        pass
    return _map_png_matplotlib(
        bounds, data, unit, polarity, selected
    ), "matplotlib (no local Chromium for Plotly's static export)"


def _map_png_matplotlib(
    bounds: pd.DataFrame, data: pd.DataFrame, unit: str, polarity: str, selected: str | None
) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Polygon

    d = bounds.drop(columns=[c for c in ("geo_name", "value") if c in bounds]).merge(
        data[["geo_code", "geo_name", "value"]], on="geo_code", how="left"
    )
    cls, labels = charts.classify(d["value"], "Quantiles", 5)
    palette = charts.discrete_scale(len(labels), polarity)
    fig, ax = plt.subplots(figsize=(11, 6.2), dpi=150)
    for i, r in enumerate(d.itertuples()):
        colour = "white" if pd.isna(cls.iloc[i]) else _rgb(palette[int(cls.iloc[i])])
        g = json.loads(r.geojson)
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            ax.add_patch(
                Polygon(
                    poly[0],
                    closed=True,
                    facecolor=colour,
                    edgecolor="white" if r.geo_code != selected else "black",
                    linewidth=0.8 if r.geo_code != selected else 3,
                )
            )
    ax.autoscale()
    ax.set_aspect(1 / np.cos(np.radians(51.5)))
    ax.axis("off")
    ax.legend(
        handles=[Patch(facecolor=_rgb(palette[i]), label=f"{lab} {unit}") for i, lab in enumerate(labels)],
        loc="upper left",
        bbox_to_anchor=(1, 1),
        frameon=False,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _rgb(colour: str) -> str:
    if colour.startswith("rgb("):
        r, g, b = (int(float(x)) for x in colour[4:-1].split(","))
        return f"#{r:02x}{g:02x}{b:02x}"
    return colour


# --- content --------------------------------------------------------------------------------
def _sources(ids: set[str]) -> pd.DataFrame:
    s = query("sources_list")
    return s[s["source_id"].isin(ids)][
        ["source_id", "publisher", "title", "url", "licence", "attribution", "release_date", "next_release"]
    ]


def _as_at(sources: pd.DataFrame) -> str:
    return "; ".join(f"{r.publisher.split(' (')[0]}: released {r.release_date}" for r in sources.itertuples())


def _sources_slide(sources: pd.DataFrame, renderer: str, extra: list[str]) -> Slide:
    bullets = [f"{r.publisher} — {r.title}. {r.licence}. {r.attribution} ({r.url})" for r in sources.itertuples()]
    bullets += extra
    bullets.append(f"Maps rendered with {renderer}.")
    bullets.append(
        "Methods: Wilson 95% intervals; 'significantly' worse/better only when the comparator lies outside "
        "the ward's interval (Fingertips' rule); SII/RII by the PHE method with wards ordered by IMD score."
    )
    return Slide("Sources, methods and licences", bullets=bullets)


def ward_pack(borough: str, ward: str, public: bool = False, progress: Progress = _noop) -> Pack:
    """One ward across every indicator (May-2022 wards)."""
    bounds = query("ward_boundaries", borough_code=borough, vintage=2022)
    names = dict(zip(bounds["geo_code"], bounds["geo_name"], strict=True))
    if ward not in names:
        raise ValueError(f"{ward} is not a May-2022 ward of borough {borough}")
    bname = query("boroughs").set_index("geo_code").loc[borough, "geo_name"]
    wname = names[ward]
    progress(0.1, "Reading the ward's figures")
    prof = query("ward_profile", ward_code=ward, vintage=2022)
    tables: dict[str, pd.DataFrame] = {}
    rows = []
    for r in prof.itertuples():
        t = analysis.ward_table(borough, r.indicator_id, r.period, 2022)
        tables[r.indicator_id] = analysis.public_table(t, r.unit) if public else t
        me = tables[r.indicator_id].set_index("geo_code").loc[ward]
        if pd.isna(r.previous_value):
            trend = "no earlier period"
        else:
            word = "up" if r.value > r.previous_value else "down" if r.value < r.previous_value else "no change"
            trend = f"{word} since {r.previous_period}"
        n = max(r.n_borough - 1, 1)
        worst_end = {"higher_is_worse": 1 - (r.rank_borough - 1) / n, "higher_is_better": (r.rank_borough - 1) / n}
        rows.append(
            {
                "Indicator": r.short_title,
                "Period": r.period,
                "Ward": fmt(me["value"], r.unit),
                "Borough": fmt(r.borough_value, r.unit),
                "London": fmt(r.london_value, r.unit),
                "England": fmt(r.england_value, r.unit),
                "vs borough": me.get("vs_borough") or "not compared",
                "Rank": f"{int(r.rank_borough)}/{int(r.n_borough)}",
                "Trend": trend,
                "ind": r.indicator_id,
                "worse": me.get("vs_borough") == "worse",
                "worst_end": worst_end.get(r.polarity, 0.0),
                "unit": r.unit,
                "polarity": r.polarity,
            }
        )
    spine = pd.DataFrame(rows)
    hidden = ["ind", "worse", "worst_end", "unit", "polarity"]
    progress(0.35, "Drawing the ward on the borough map")
    cp = tables.get("child_poverty_ahc_dwp")
    png, renderer = _map_png(
        bounds, cp if cp is not None else bounds.assign(value=np.nan), "Child poverty AHC", "%", "higher_is_worse", ward
    )
    slides = [
        Slide(
            f"{wname} on the {bname} map",
            image=png,
            note=f"Wards coloured by child poverty after housing costs (DWP); {wname} outlined in black.",
        ),
    ]
    shown = spine.drop(columns=hidden)
    for i in range(0, len(shown), MAX_TABLE_ROWS):
        part = shown.iloc[i : i + MAX_TABLE_ROWS]
        suffix = f" ({i // MAX_TABLE_ROWS + 1})" if len(shown) > MAX_TABLE_ROWS else ""
        slides.append(
            Slide(
                f"{wname}: every indicator{suffix}",
                table=part,
                note="Rank 1 = highest value in the borough. 'vs borough' uses the ward's 95% interval.",
            )
        )
    progress(0.55, "Choosing where the ward stands out")
    # Stand-out themes by significance first, then by how close the ward sits to the worst end.
    judged = spine[spine["polarity"] != "neutral"].sort_values(["worse", "worst_end"], ascending=[False, False])
    for _, r in judged.head(3).iterrows():
        t = tables[r["ind"]].dropna(subset=["value"]).sort_values("value", ascending=False)
        why = "significantly worse than the borough" if r["worse"] else "near the worst end of the borough"
        slides.append(
            Slide(
                f"{r['Indicator']}: {wname} against the borough's wards",
                chart=Chart(
                    "bar",
                    f"{r['Indicator']} ({r['Period']})",
                    list(t["geo_name"]),
                    {r["Indicator"]: [float(x) for x in t["value"]]},
                    r["unit"],
                    highlight=wname,
                ),
                note=f"{wname}: {r['Ward']}; borough {r['Borough']}; England {r['England']}. "
                f"Shown because the ward is {why}.",
            )
        )
    progress(0.7, "Writing the narrative")
    sentences = []
    for _, r in judged.head(5).iterrows():
        t = tables[r["ind"]]
        me = t[t["geo_code"] == ward].iloc[0]
        comp = analysis.comparators(borough, r["ind"], r["Period"])
        sentences += [f"{r['Indicator']}: {s}" for s in analysis.narrative_for_ward(me, comp, r["unit"], public)[:1]]
    slides.append(
        Slide("What the numbers say", bullets=sentences or ["No indicator has both a ward figure and a comparator."])
    )
    ids = {analysis.indicator_meta(i)["source_id"] for i in spine["ind"]}
    ids |= {x for t in tables.values() for x in t["source_id"].dropna()}
    srcs = _sources(ids)
    slides.append(
        _sources_slide(
            srcs, renderer, ["Public view: derived counts under 10 suppressed, others rounded to 5."] if public else []
        )
    )
    progress(0.8, "Assembling")
    return Pack(
        "ward",
        f"{wname}, {bname}: ward briefing",
        f"Data as at: {_as_at(srcs)}. Prepared {dt.date.today():%d %B %Y}.",
        slides,
        renderer,
        srcs,
    )


def indicator_pack(
    borough: str, indicator: str, period: str | None = None, public: bool = False, progress: Progress = _noop
) -> Pack:
    """One indicator across the borough's wards."""
    meta = analysis.indicator_meta(indicator)
    if meta is None:
        raise ValueError(f"unknown indicator {indicator}")
    p = analysis.periods(borough, indicator)
    if p.empty:
        raise ValueError(f"{indicator} has no ward figures in borough {borough}")
    period = period or p.iloc[0]["period"]
    if period not in set(p["period"]):
        raise ValueError(f"{indicator} has no ward figures for {period}")
    vintage = analysis.default_vintage(p, period)
    unit, polarity, short = meta["unit"], meta["polarity"], meta["short_title"]
    bname = query("boroughs").set_index("geo_code").loc[borough, "geo_name"]
    progress(0.1, "Reading ward figures")
    t = analysis.ward_table(borough, indicator, period, vintage)
    if public:
        t = analysis.public_table(t, unit)
    comp = analysis.comparators(borough, indicator, period)
    bounds = query("ward_boundaries", borough_code=borough, vintage=vintage)
    progress(0.25, "Drawing the map")
    png, renderer = _map_png(bounds, t, short, unit, polarity, None)
    ordered = t.dropna(subset=["value"]).sort_values("value", ascending=False)
    comp_text = "; ".join(f"{c.geo_name} {fmt(c.value, unit)} ({c.method})" for c in comp.itertuples())
    slides = [
        Slide(
            f"{short} across {bname}'s wards, {period}", image=png, note=f"{meta['title']}. Comparators: {comp_text}."
        ),
        Slide(
            "Every ward, highest first",
            chart=Chart(
                "bar",
                f"{short} ({period})",
                list(ordered["geo_name"]),
                {short: [float(x) for x in ordered["value"]]},
                unit,
            ),
            note=f"Comparators: {comp_text}. Significance against the borough uses each ward's 95% interval.",
        ),
    ]
    progress(0.45, "Measuring the gaps")
    gap_table, change = analysis.gap_trend(borough, indicator, vintage)
    g = analysis.borough_gaps(borough, indicator, period, vintage)
    bullets = []
    if g is not None:
        names = dict(zip(t["geo_code"], t["geo_name"], strict=True))
        bullets.append(
            f"Highest: {names[g.highest_code]} {fmt(g.highest, unit)}; "
            f"lowest: {names[g.lowest_code]} {fmt(g.lowest, unit)}; ratio {g.ratio:.2f}."
            if g.ratio
            else f"Range {g.range:,.3g}."
        )
        if g.sii:
            lim = g.sii.sii_limits.get(0.95)
            bullets.append(
                f"Slope index of inequality {g.sii.sii:,.2f}"
                + (f" (95% CI {lim[0]:,.2f} to {lim[1]:,.2f})" if lim else "")
                + f"; relative index {g.sii.rii:,.2f}."
            )
        bullets.append(f"Across {len(gap_table)} period(s) on these ward boundaries the gap is {change}.")
    gt = gap_table.copy()
    for c in gt.columns[1:]:
        gt[c] = gt[c].map(lambda x: f"{x:,.3g}" if pd.notna(x) else "")
    slides.append(
        Slide(
            "Gap measures and their trend",
            bullets=bullets,
            table=gt.rename(
                columns={
                    "period": "Period",
                    "range": "Range",
                    "ratio": "High/low",
                    "sii": "SII",
                    "sii_lower_95": "SII lower",
                    "sii_upper_95": "SII upper",
                    "rii": "RII",
                }
            ),
        )
    )
    progress(0.6, "Drawing the trend lines")
    series = query("borough_ward_series", borough_code=borough, indicator_id=indicator, vintage=vintage)
    periods_sorted = list(dict.fromkeys(series.sort_values("period_start")["period"]))
    if len(periods_sorted) > 1 and len(ordered):
        lines: dict[str, list[float | None]] = {}
        for code in (ordered["geo_code"].iloc[0], ordered["geo_code"].iloc[-1]):
            s = series[series["geo_code"] == code].set_index("period")["value"]
            lines[t.set_index("geo_code").loc[code, "geo_name"]] = [_num(s.get(x)) for x in periods_sorted]
        cs = query("comparator_series", borough_code=borough, indicator_id=indicator)
        for name, grp in cs.groupby("geo_name", sort=False):
            s = grp.set_index("period")["value"]
            lines[name] = [_num(s.get(x)) for x in periods_sorted]
        slides.append(
            Slide(
                "Trend for the highest and lowest wards",
                chart=Chart("line", f"{short}", periods_sorted, lines, unit),
                note=f"Periods on {analysis_vintage_label(vintage)}.",
            )
        )
    ww = analysis.worse_and_worsening(borough, [indicator])
    slides.append(
        Slide(
            "Worse and worsening wards",
            bullets=[f"{r.geo_name}: {fmt(r.value, unit)} in {r.period}, {r.marker.lower()}" for r in ww.itertuples()]
            or [
                "No ward is both significantly worse than the borough or England and significantly worsening "
                "(a recent trend needs five comparable periods with intervals)."
            ],
        )
    )
    progress(0.75, "Writing the narrative")
    sentences = []
    for code in ordered["geo_code"].iloc[[0, -1]] if len(ordered) else []:
        me = t[t["geo_code"] == code].iloc[0]
        sentences += analysis.narrative_for_ward(me, comp, unit, public)[:1]
    slides.append(Slide("What the numbers say", bullets=sentences))
    srcs = _sources({meta["source_id"], *set(t["source_id"].dropna())})
    slides.append(
        _sources_slide(
            srcs,
            renderer,
            [f"Caveats: {meta['caveats']}"]
            + (["Public view: derived counts under 10 suppressed, others rounded to 5."] if public else []),
        )
    )
    return Pack(
        "indicator",
        f"{short}: {bname} ward briefing, {period}",
        f"Data as at: {_as_at(srcs)}. Prepared {dt.date.today():%d %B %Y}.",
        slides,
        renderer,
        srcs,
    )


def analysis_vintage_label(vintage: int) -> str:
    return {2022: "May-2022 wards", 2018: "2018 wards", 2014: "2014 wards"}.get(vintage, str(vintage))


def _num(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# --- PowerPoint -----------------------------------------------------------------------------
def to_pptx(pack: Pack) -> bytes:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title_layout, blank = prs.slide_layouts[0], prs.slide_layouts[5]
    s = prs.slides.add_slide(title_layout)
    s.shapes.title.text = pack.title
    s.placeholders[1].text = pack.subtitle
    for sl in pack.slides:
        slide = prs.slides.add_slide(blank)
        slide.shapes.title.text = sl.title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        top = Inches(1.4)
        if sl.image is not None:
            slide.shapes.add_picture(io.BytesIO(sl.image), Inches(0.6), top, height=Inches(5.2))
        if sl.chart is not None:
            c = sl.chart
            data = CategoryChartData()
            data.categories = c.categories
            for name, values in c.series.items():
                data.add_series(name, values, number_format="0.0" if c.unit == "%" else "#,##0.###")
            kind = XL_CHART_TYPE.BAR_CLUSTERED if c.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
            gf = slide.shapes.add_chart(kind, Inches(0.6), top, Inches(12), Inches(5.2), data)
            chart = gf.chart
            chart.has_legend = c.kind == "line"
            if chart.has_legend:
                chart.legend.position = XL_LEGEND_POSITION.RIGHT
                chart.legend.include_in_layout = False
            if c.kind == "bar":
                chart.plots[0].has_data_labels = True
                chart.plots[0].data_labels.number_format = "0.0" if c.unit == "%" else "#,##0"
                chart.plots[0].data_labels.number_format_is_linked = False
                chart.category_axis.reverse_order = True  # highest first, as on the dashboard
                pts = chart.series[0].points
                for i, cat in enumerate(c.categories):
                    fill = pts[i].format.fill
                    fill.solid()
                    fill.fore_color.rgb = (
                        RGBColor(0xD5, 0x5E, 0x00) if cat == c.highlight else RGBColor(0x00, 0x72, 0xB2)
                    )
            chart.has_title = True
            chart.chart_title.text_frame.text = f"{c.title} ({c.unit})"
        if sl.table is not None and len(sl.table):
            t = sl.table
            height = Inches(0.3) * (len(t) + 1)
            y = top if sl.chart is None and sl.image is None else Inches(6.6)
            if sl.bullets:
                y = Inches(3.4)
            shape = slide.shapes.add_table(len(t) + 1, len(t.columns), Inches(0.4), y, Inches(12.5), height)
            tbl = shape.table
            for j, col in enumerate(t.columns):
                tbl.cell(0, j).text = str(col)
            for i, row in enumerate(t.itertuples(index=False), start=1):
                for j, v in enumerate(row):
                    tbl.cell(i, j).text = "" if v is None else str(v)
            for i in range(len(t) + 1):
                for j in range(len(t.columns)):
                    for p in tbl.cell(i, j).text_frame.paragraphs:
                        p.font.size = Pt(11)
        if sl.bullets:
            box = slide.shapes.add_textbox(Inches(0.6), top, Inches(12), Inches(1.8 if sl.table is not None else 5.5))
            tf = box.text_frame
            tf.word_wrap = True
            for i, b in enumerate(sl.bullets):
                para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                para.text = f"• {b}"
                para.font.size = Pt(14 if len(sl.bullets) < 8 else 11)
        if sl.note:
            nb = slide.shapes.add_textbox(Inches(0.6), Inches(6.75), Inches(12), Inches(0.6))
            nb.text_frame.word_wrap = True
            nb.text_frame.text = sl.note
            nb.text_frame.paragraphs[0].font.size = Pt(11)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# --- PDF ------------------------------------------------------------------------------------
def _fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped inside matplotlib) so £, – and ’ print correctly."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(base / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(base / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _chart_png(c: Chart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    fig, ax = plt.subplots(figsize=(11, 5.2), dpi=150)
    if c.kind == "bar":
        values = list(c.series.values())[0]
        colours = ["#D55E00" if cat == c.highlight else "#0072B2" for cat in c.categories]
        y = np.arange(len(c.categories))[::-1]
        ax.barh(y, values, color=colours)
        ax.set_yticks(y, c.categories, fontsize=9)
        for yi, v in zip(y, values, strict=True):
            ax.text(v, yi, f" {fmt(v, c.unit)}", va="center", fontsize=8)
        ax.set_xlabel(c.unit)
    else:
        styles = ["-o", "-s", "--", ":", "-."]
        for i, (name, vals) in enumerate(c.series.items()):
            ax.plot(c.categories, [np.nan if v is None else v for v in vals], styles[i % len(styles)], label=name)
        ax.legend(fontsize=9, frameon=False)
        ax.set_ylabel(c.unit)
        ax.tick_params(axis="x", labelrotation=30)
    ax.set_title(f"{c.title} ({c.unit})", loc="left", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def to_pdf(pack: Pack) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=20, leading=24, spaceAfter=10)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=16, leading=20, spaceAfter=8)
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=4)
    small = ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=11)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.2 * cm,
        bottomMargin=1.2 * cm,
        title=pack.title,
        author="Ward Gaps",
    )
    width = landscape(A4)[0] - 3 * cm
    story: list = [Paragraph(_esc(pack.title), h1), Paragraph(_esc(pack.subtitle), body), PageBreak()]
    for sl in pack.slides:
        story.append(Paragraph(_esc(sl.title), h2))
        for b in sl.bullets:
            story.append(Paragraph("• " + _esc(b), body))
        if sl.image is not None:
            story.append(_image(Image, sl.image, width, 12 * cm))
        if sl.chart is not None:
            story.append(_image(Image, _chart_png(sl.chart), width, 12.5 * cm))
        if sl.table is not None and len(sl.table):
            data = [[Paragraph(_esc(str(c)), small) for c in sl.table.columns]]
            data += [
                [Paragraph(_esc("" if v is None else str(v)), small) for v in row]
                for row in sl.table.itertuples(index=False)
            ]
            tbl = Table(data, repeatRows=1, colWidths=[width / len(sl.table.columns)] * len(sl.table.columns))
            tbl.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(Spacer(1, 6))
            story.append(tbl)
        if sl.note:
            story.append(Spacer(1, 6))
            story.append(Paragraph(_esc(sl.note), small))
        story.append(PageBreak())
    doc.build(story)
    return buf.getvalue()


def _image(cls, png: bytes, max_w: float, max_h: float):
    from reportlab.lib.utils import ImageReader

    w, h = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_w / w, max_h / h)
    return cls(io.BytesIO(png), width=w * scale, height=h * scale)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_pack(
    borough: str,
    *,
    ward: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    fmt_: str = "pptx",
    public: bool = False,
    progress: Progress = _noop,
) -> tuple[bytes, Pack]:
    """Build a ward or indicator pack and render it as ``pptx`` or ``pdf``."""
    if (ward is None) == (indicator is None):
        raise ValueError("give either a ward or an indicator")
    pack = (
        ward_pack(borough, ward, public, progress)
        if ward
        else indicator_pack(borough, indicator, period, public, progress)
    )
    progress(0.85, f"Writing the {fmt_.upper()}")
    data = to_pptx(pack) if fmt_ == "pptx" else to_pdf(pack)
    progress(1.0, "Done")
    return data, pack
