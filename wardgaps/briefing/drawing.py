"""Pictures for the packs, drawn with matplotlib's object API (no pyplot state, safe from request
threads): the ward map both formats place as an image, and the PDF's charts, which carry the same
encoding as the PowerPoint's native charts and the web's (significance colours, 95% intervals,
comparator lines, a key).
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import FuncFormatter
from PIL import Image

from wardgaps import charts
from wardgaps.briefing.model import Chart, MapImage, num

RENDERER = "matplotlib (drawn offline from the extract's ward boundaries)"
# matplotlib's line styles for the web's (Plotly's) dash names (charts.COMPARATOR_STYLE)
DASH = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-.", "longdash": (0, (9, 3))}
SIG_KEY = ["worse", "similar", "better", "higher", "lower", None]
INK = "#222222"


def tick(v: float, unit: str) -> str:
    """An axis tick in the pack's format for its unit (whole numbers: ticks are round)."""
    return num(v, unit, 0 if v == int(v) else 1 if v * 10 == int(v * 10) else 2)


def rgb(colour: str) -> str:
    """Plotly's 'rgb(r, g, b)' as '#rrggbb' (both writers want hex)."""
    if colour.startswith("rgb("):
        r, g, b = (int(float(x)) for x in colour[4:-1].split(","))
        return f"#{r:02x}{g:02x}{b:02x}"
    return colour


def comparator_style(kind: str) -> tuple[str, str]:
    """(hex colour, dash name) of a comparator line, as on the web."""
    s = charts.COMPARATOR_STYLE.get(kind, dict(color="#000000", dash="solid"))
    return s["color"], s["dash"]


WARD_LINES = ["#0072B2", "#D55E00", "#E69F00", "#56B4E9"]


def line_style(c: Chart, name: str, i: int) -> tuple[str, str]:
    """(hex colour, dash name) of a trend line: comparators as on the web, wards in Okabe-Ito
    colours no comparator of the chart has (the benchmark's blue is the first ward's otherwise)."""
    if name in c.kinds:
        return comparator_style(c.kinds[name])
    taken = {comparator_style(k)[0] for k in c.kinds.values()}
    free = [colour for colour in WARD_LINES if colour not in taken] or WARD_LINES
    return free[i % len(free)], "solid"


def _png(fig: Figure, opaque: bool = False) -> bytes:
    """The figure as PNG. ``opaque``: white background, no alpha channel, light compression, for the
    PDF writer, which compresses pictures again itself and would split an alpha channel into a
    second image (a soft mask)."""
    buf = io.BytesIO()
    canvas = FigureCanvasAgg(fig)
    if not opaque:
        canvas.print_png(buf)
        return buf.getvalue()
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgba.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def dark(hex_colour: str) -> bool:
    """True when white text reads better than black on this colour (WCAG relative luminance)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lum = sum(
        w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b), strict=True)
    )
    return 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05


def ward_map(
    bounds: pd.DataFrame,
    data: pd.DataFrame,
    label: str,
    unit: str,
    polarity: str,
    selected: str | None = None,
    size: tuple[float, float] = (10.0, 5.0),
) -> tuple[MapImage, str]:
    """Wards in five quantile classes (the web's default), the highest and lowest named."""
    d = bounds.drop(columns=[c for c in ("geo_name", "value") if c in bounds]).merge(
        data[["geo_code", "geo_name", "value"]], on="geo_code", how="left"
    )
    cls, labels = charts.classify(d["value"], "Quantiles", 5)
    # Class labels in the pack's number format (the web's carry four significant figures).
    labels = [
        f"{num(d['value'][cls == k].min(), unit)} to {num(d['value'][cls == k].max(), unit)}"
        for k in range(len(labels))
    ]
    palette = [rgb(c) for c in charts.discrete_scale(len(labels), polarity)]
    fig = Figure(figsize=size, dpi=150)
    ax = fig.add_axes((0.0, 0.0, 0.62, 1.0))
    for i, r in enumerate(d.itertuples()):
        colour = "#FFFFFF" if pd.isna(cls.iloc[i]) else palette[int(cls.iloc[i])]
        g = json.loads(r.geojson)
        for poly in g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]:
            ax.add_patch(Polygon(poly[0], closed=True, facecolor=colour, edgecolor="white", linewidth=0.8))
    if selected is not None and selected in set(d["geo_code"]):
        g = json.loads(d.loc[d["geo_code"] == selected, "geojson"].iloc[0])
        for poly in g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]:
            ax.add_patch(Polygon(poly[0], closed=True, fill=False, edgecolor="black", linewidth=3, zorder=3))
    ax.autoscale()
    ax.set_aspect(1 / np.cos(np.radians(51.5)))
    ax.axis("off")
    v = d.dropna(subset=["value"])
    named = []
    if v["value"].round(6).nunique() > 1:  # one figure on every ward: no highest or lowest to name
        hi, lo = v.loc[v["value"].idxmax()], v.loc[v["value"].idxmin()]
        # Labels sit in the margin beside the map, joined to their ward by a leader line, so they
        # never cover other wards' colours.
        for row, word, y in ((hi, "Highest", 0.8), (lo, "Lowest", 0.2)):
            named.append(f"{word}: {row['geo_name']} {num(row['value'], unit)}")
            ax.annotate(
                named[-1],
                xy=(row["label_lon"], row["label_lat"]),
                xytext=(1.02, y),
                textcoords="axes fraction",
                fontsize=14,
                fontweight="bold",
                color=INK,
                va="center",
                arrowprops=dict(arrowstyle="-", color=INK, linewidth=1.2, shrinkA=2, shrinkB=0),
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="#888888"),
            )
            ax.plot(row["label_lon"], row["label_lat"], "o", color="white", markeredgecolor=INK, markersize=7)
    handles = [Patch(facecolor=palette[i], edgecolor="#888888", label=lab) for i, lab in enumerate(labels)]
    if d["value"].isna().any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", label="no figure"))
    if selected is not None:
        handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.5, label="the ward of this pack"))
    fig.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(0.66, 0.5),
        frameon=False,
        fontsize=14,
        title=f"{label}\n(fifths of wards)",
        title_fontsize=14,
    )
    if named:
        said = "; ".join(named) + "."
    else:
        said = f"Every ward shown has the same figure, {num(v['value'].iloc[0], unit)}." if len(v) else ""
    alt = f"Map of {d['geo_name'].nunique()} wards shaded by {label} in five classes. {said}".strip()
    png = _png(fig)
    w, h = (int(x * 150) for x in size)
    return MapImage(png, w, h, alt), RENDERER


def chart_png(c: Chart, size: tuple[float, float]) -> bytes:
    """The PDF's picture of a chart: the same encoding as the PowerPoint's native chart."""
    fig = Figure(figsize=size, dpi=150)
    ax = fig.add_subplot()
    handles: list = []
    if c.kind == "bar":
        n = len(c.bars)
        y = np.arange(n)[::-1]  # highest at the top
        colours = [charts.SIG_COLOURS.get(b.sig, charts.SIG_COLOURS[None]) for b in c.bars]
        edges = ["black" if b.name == c.highlight else "#333333" for b in c.bars]
        widths = [2.5 if b.name == c.highlight else 0.5 for b in c.bars]
        values = [b.value for b in c.bars]
        ax.barh(y, values, color=colours, edgecolor=edges, linewidth=widths, height=0.75)
        if any(b.lower is not None for b in c.bars):
            lo = [b.value - b.lower if b.lower is not None else 0 for b in c.bars]
            hi = [b.upper - b.value if b.upper is not None else 0 for b in c.bars]
            ax.errorbar(values, y, xerr=[lo, hi], fmt="none", ecolor=INK, elinewidth=1, capsize=2.5)
            handles.append(Line2D([], [], color=INK, marker="|", markersize=8, label="95% interval"))
        fs = max(6.0, min(11.0, 240 / max(n, 1)))  # every ward named: the font shrinks as wards grow
        ax.set_yticks(y, [b.name for b in c.bars], fontsize=fs)
        for yi, b, col in zip(y, c.bars, colours, strict=True):
            ax.text(
                0, yi, f" {num(b.value, c.unit)}", va="center", ha="left", fontsize=fs * 0.9,
                color="white" if dark(col) else "black",
            )  # fmt: skip
        for label, value, kind in c.comparators:
            colour, dash = comparator_style(kind)
            ax.axvline(value, color=colour, linestyle=DASH.get(dash, "-"), linewidth=2)
            handles.append(Line2D([], [], color=colour, linestyle=DASH.get(dash, "-"), linewidth=2, label=label))
        present = {b.sig for b in c.bars}
        handles = [
            Patch(facecolor=charts.SIG_COLOURS[s], edgecolor="#333333", label=charts.SIG_LABEL[s])
            for s in SIG_KEY
            if s in present
        ] + handles
        if c.highlight:
            handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.5, label=c.highlight))
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, max([b.upper or b.value for b in c.bars] + [v for _, v, _ in c.comparators]) * 1.04)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: tick(v, c.unit)))
        ax.grid(axis="x", color="#EEEEEE")
    else:
        x = np.arange(len(c.categories))
        for i, (name, vals) in enumerate(c.series.items()):
            yv = np.array([np.nan if v is None else v for v in vals], dtype=float)
            colour, dash = line_style(c, name, i)
            if name in c.intervals:
                lo, hi = (np.array([np.nan if v is None else v for v in s], dtype=float) for s in c.intervals[name])
                ax.errorbar(
                    x, yv, yerr=[yv - lo, hi - yv], color=colour, marker="os^D"[i % 4], capsize=3, linewidth=2,
                    label=f"{name} (with 95% interval)",
                )  # fmt: skip
            else:
                style = DASH.get(dash, "-")
                ax.plot(x, yv, color=colour, linestyle=style, marker="os^D"[i % 4], linewidth=2, label=name)
        rotate = len(x) > 6
        ax.set_xticks(x, c.categories, fontsize=10, rotation=30 if rotate else 0, ha="right" if rotate else "center")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: tick(v, c.unit)))
        ax.set_xlim(-0.4, len(x) - 0.6)  # room for the first and last period labels
        ax.grid(axis="y", color="#EEEEEE")
        handles = ax.get_legend_handles_labels()[0]
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)  # gridlines behind the bars and lines, never across them
    # The key sits below the plot, never on the data.
    ncol = min(4, max(1, len(handles)))
    fig.legend(handles=handles, loc="lower center", ncol=ncol, frameon=False, fontsize=10)
    rows = -(-len(handles) // ncol)
    fig.subplots_adjust(left=0.2 if c.kind == "bar" else 0.08, right=0.98, top=0.97, bottom=0.1 + 0.05 * rows)
    return _png(fig, opaque=True)
