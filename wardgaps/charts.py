"""Chart builders: DataFrames in, Plotly figures out. No data access, no Streamlit.

Colour is never the only carrier of meaning: significance is also written on bars and in hover
text, classes are named in the legend, and every chart has its table on the page. Palettes are
colour-blind safe (Okabe-Ito for categories, ColorBrewer single-hue/YlGnBu for sequences).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import mapclassify
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wardgaps import text
from wardgaps.text import fmt

# Okabe-Ito: safe for the common colour-vision deficiencies.
SIG_COLOURS = {
    "better": "#0072B2",
    "similar": "#C8C8C8",
    "worse": "#D55E00",
    "higher": "#56B4E9",
    "lower": "#E69F00",
    None: "#8C8C8C",
}
SIG_LABEL = {
    "worse": "significantly worse than borough",
    "higher": "significantly higher than borough",
    "similar": "similar to borough",
    "lower": "significantly lower than borough",
    "better": "significantly better than borough",
    None: "no interval to compare",
}
SIG_TEXT = {k: v.lower() for k, v in text.SIG_LABEL.items()}
COMPARATOR_STYLE = {
    "borough": dict(color="#000000", dash="solid"),
    "London": dict(color="#CC79A7", dash="dash"),
    "England": dict(color="#009E73", dash="dot"),
}
SEQUENTIAL = {"higher_is_worse": "YlOrRd", "higher_is_better": "YlGnBu", "neutral": "Purples"}
SCHEMES = {
    "Quantiles": mapclassify.Quantiles,
    "Equal intervals": mapclassify.EqualInterval,
    "Natural breaks": mapclassify.FisherJenks,
}
FONT = dict(family="Arial, Helvetica, sans-serif", size=14)


BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Kaleido finds its browser through BROWSER_PATH: set once when the module loads (never during a
# request, so concurrent sessions never race on the environment), only if the deployer has not.
_BROWSER = os.environ.get("BROWSER_PATH") or next((p for p in BROWSERS if Path(p).exists()), None)
if _BROWSER and "BROWSER_PATH" not in os.environ:
    os.environ["BROWSER_PATH"] = _BROWSER


def static_image(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG or SVG of a figure through Plotly's static export (Kaleido), driving the local
    Chromium named by ``BROWSER_PATH`` or found at the usual Debian paths; never downloads one.
    Raises when no browser is usable."""
    if _BROWSER is None:
        raise RuntimeError("no local Chromium for Plotly's static export")
    return fig.to_image(format=fmt, width=width, height=height, scale=scale)


def _layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=60, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return fig


def _rings(geojson: str) -> tuple[list[float | None], list[float | None]]:
    """Exterior and interior rings of a (Multi)Polygon as x/y lists separated by None."""
    g = json.loads(geojson)
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for poly in polys:
        for ring in poly:
            xs += [c[0] for c in ring] + [None]
            ys += [c[1] for c in ring] + [None]
    return xs, ys


def classify(values: pd.Series, scheme: str, k: int = 5) -> tuple[pd.Series, list[str]]:
    """Class index (0..k-1) for each value and a label per class, with mapclassify."""
    v = values.dropna().astype(float)
    k = int(min(k, v.nunique()))
    if k < 2:
        return pd.Series(0, index=values.index).where(values.notna()), [f"{v.min():,.4g}" if len(v) else "no data"]
    c = SCHEMES[scheme](v.to_numpy(), k=k)
    bins = list(c.bins)
    edges = [float(v.min()), *bins]
    labels = [f"{edges[i]:,.4g} to {edges[i + 1]:,.4g}" for i in range(len(bins))]
    idx = pd.Series(np.nan, index=values.index)
    idx[v.index] = c.yb
    return idx, labels


def discrete_scale(n: int, polarity: str) -> list[str]:
    import plotly.colors as pc

    scale = getattr(pc.sequential, SEQUENTIAL.get(polarity, "Purples"))
    if polarity == "higher_is_better":
        scale = scale[::-1]
    return pc.sample_colorscale(scale, [0.15 + 0.85 * i / max(n - 1, 1) for i in range(n)])


def choropleth(
    bounds: pd.DataFrame,
    data: pd.DataFrame,
    *,
    value_label: str,
    unit: str,
    polarity: str,
    scheme: str = "Quantiles",
    k: int = 5,
    title: str = "",
    selected: str | None = None,
) -> go.Figure:
    """Ward (or LSOA) map drawn as filled polygons on plain axes: no tiles, no map server, no
    topojson download, so it renders offline and in static export.

    ``bounds``: geo_code, geojson (simplified at build), label_lon/label_lat (a point inside
    each area, for hover and click). ``data``: geo_code, geo_name, value, and optionally
    lower_95/upper_95 and rank, which the hover text then shows.
    """
    data = data.drop(columns=[c for c in ("geojson", "label_lon", "label_lat", "area_ha") if c in data.columns])
    d = bounds.drop(columns=[c for c in ("geo_name", "value") if c in bounds.columns]).merge(
        data, on="geo_code", how="left"
    )
    n = int(d["value"].notna().sum())
    hover = []
    for r in d.itertuples():
        shown = "not shown (small numbers)" if getattr(r, "suppressed", False) is True else fmt(r.value, unit)
        h = f"<b>{r.geo_name}</b><br>{value_label}: {shown}"
        if getattr(r, "lower_95", None) is not None and pd.notna(r.lower_95):
            h += f"<br>95% CI {fmt(r.lower_95, unit)} to {fmt(r.upper_95, unit)}"
        if getattr(r, "rank", None) is not None and pd.notna(r.rank):
            h += f"<br>rank {int(r.rank)} of {n} (1 = highest)"
        hover.append(h)
    if scheme == "Significance vs borough":
        # Fingertips-style: better/similar/worse (or higher/lower for neutral), named in the legend.
        sig = d["vs_borough"] if "vs_borough" in d else pd.Series([None] * len(d), index=d.index)
        order = ["worse", "higher", "similar", "lower", "better", None]
        labels = [SIG_LABEL[s] for s in order]
        cls = pd.Series([order.index(s if s in order else None) for s in sig], index=d.index, dtype=float)
        cls[d["value"].isna()] = np.nan
        colours_of = [SIG_COLOURS.get(s, SIG_COLOURS[None]) for s in sig]
    elif scheme == "Continuous":
        v = d["value"].astype(float)
        lo, hi = v.min(), v.max()
        pos = ((v - lo) / (hi - lo if hi > lo else 1)).fillna(-1)
        colours_of = _continuous_colours(pos, polarity)
        cls = pd.Series(0, index=d.index).where(d["value"].notna())
        labels = [f"{fmt(lo, unit)} (light) to {fmt(hi, unit)} (dark)"]
    else:
        cls, labels = classify(d["value"], scheme, k)
        palette = discrete_scale(len(labels), polarity)
        colours_of = [palette[int(c)] if pd.notna(c) else "#FFFFFF" for c in cls]
    fig = go.Figure()
    shown: set[object] = set()
    for i, r in enumerate(d.itertuples()):
        xs, ys = _rings(r.geojson)
        group = "no figure" if pd.isna(cls.iloc[i]) else labels[int(cls.iloc[i])]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colours_of[i],
                mode="lines",
                line=dict(color="white" if group != "no figure" else "#555555", width=1),
                hoveron="fills",
                text=hover[i],
                hoverinfo="text",
                name=group,
                legendgroup=group,
                legendrank=1000 if group == "no figure" else 100 + int(cls.iloc[i]),
                showlegend=group not in shown and scheme != "Continuous" or (scheme == "Continuous" and i == 0),
            )
        )
        shown.add(group)
    if selected is not None and selected in set(d["geo_code"]):
        xs, ys = _rings(d.loc[d["geo_code"] == selected, "geojson"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color="black", width=4), name="chosen ward", hoverinfo="skip"
            )
        )
    if "label_lon" in d:
        # One marker per area: hover anywhere works on the fills; a click on a marker chooses it.
        fig.add_trace(
            go.Scatter(
                x=d["label_lon"],
                y=d["label_lat"],
                mode="markers",
                marker=dict(size=9, color="white", line=dict(color="#333333", width=1.5)),
                customdata=d["geo_code"],
                text=hover,
                hoverinfo="text",
                name="click to choose",
                showlegend=False,
            )
        )
    fig.update_xaxes(visible=False)
    # Equirectangular with the aspect corrected for London's latitude (1° lat ≈ 1.6 × 1° lon).
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(51.5)))
    fig.update_layout(
        legend=dict(title=dict(text=f"{value_label} ({unit})"), yanchor="top", y=1, x=1.0),
    )
    return _layout(fig, title, height=560)


def picked_areas(points: list[dict], bounds: pd.DataFrame) -> list[str]:
    """Area codes of the points a user clicked on a choropleth (its label markers), matched by
    the marker's position, which Streamlit's selection state always carries."""
    out = []
    for p in points:
        code = p.get("customdata")
        if isinstance(code, str) and code in set(bounds["geo_code"]):
            out.append(code)
            continue
        x, y = p.get("x"), p.get("y")
        if x is None or y is None:
            continue
        hit = bounds[(bounds["label_lon"] - x).abs().lt(1e-6) & (bounds["label_lat"] - y).abs().lt(1e-6)]
        out += list(hit["geo_code"])
    return out


def _continuous_colours(pos: pd.Series, polarity: str) -> list[str]:
    import plotly.colors as pc

    scale = getattr(pc.sequential, SEQUENTIAL.get(polarity, "Purples"))
    if polarity == "higher_is_better":
        scale = scale[::-1]
    return [pc.sample_colorscale(scale, [0.1 + 0.9 * p])[0] if p >= 0 else "#FFFFFF" for p in pos]


def ordered_bar(
    table: pd.DataFrame,
    comparators: pd.DataFrame,
    *,
    unit: str,
    sig_col: str | None = "vs_borough",
    title: str = "",
) -> go.Figure:
    """All wards, highest first, with 95% intervals and the borough/London/England lines (none for
    a count: a total is no comparator for a ward's count)."""
    d = table.dropna(subset=["value"]).sort_values("value", ascending=True)
    if unit == "count" or d.empty:
        comparators = comparators.iloc[0:0]
    sig = d[sig_col] if sig_col and sig_col in d else pd.Series([None] * len(d), index=d.index)
    colours = [SIG_COLOURS.get(s, SIG_COLOURS[None]) for s in sig]
    bar_text = [
        f"{fmt(v, unit)}" + (f" ({SIG_TEXT[s]})" if s in SIG_TEXT else "") for v, s in zip(d["value"], sig, strict=True)
    ]
    err = None
    if d["upper_95"].notna().any():
        err = dict(
            type="data",
            symmetric=False,
            array=(d["upper_95"] - d["value"]).to_numpy(),
            arrayminus=(d["value"] - d["lower_95"]).to_numpy(),
            color="#333333",
            thickness=1.2,
        )
    fig = go.Figure(
        go.Bar(
            x=d["value"],
            y=d["geo_name"],
            orientation="h",
            marker_color=colours,
            marker_line_color="#333333",
            marker_line_width=0.5,
            error_x=err,
            text=bar_text,
            textposition="inside",
            insidetextanchor="start",
            # white on the dark blue, black elsewhere: both above 4.5:1 contrast
            textfont=dict(color=["white" if c in ("#0072B2",) else "black" for c in colours]),
            hovertemplate="%{y}: %{text}<extra></extra>",
            name="wards",
            showlegend=False,
        )
    )
    for _, c in comparators.iterrows():
        if pd.isna(c["value"]):
            continue
        style = COMPARATOR_STYLE.get(c["label"], dict(color="#000000", dash="solid"))
        # A vertical line as a trace, so the comparator is named in the legend (not only coloured).
        fig.add_trace(
            go.Scatter(
                x=[c["value"], c["value"]],
                y=[d["geo_name"].iloc[0], d["geo_name"].iloc[-1]],
                mode="lines",
                line=dict(width=2.5, **style),
                name=f"{c['geo_name']} {fmt(c['value'], unit)} ({c['method']})",
                hoverinfo="name",
            )
        )
    fig.update_xaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return _layout(fig, title, height=max(420, 28 * len(d) + 140))


def trend_lines(
    series: pd.DataFrame,
    comparators: pd.DataFrame,
    *,
    unit: str,
    title: str = "",
) -> go.Figure:
    """Lines per area over periods. ``series``: label, period, period_start, value, method, vintage_label.

    Apportioned estimates are dashed and say so in the legend; pre-2022 wards are labelled.
    """
    fig = go.Figure()
    markers = ["circle", "square", "diamond", "triangle-up", "x", "star"]
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    for i, (label, g) in enumerate(series.groupby("label", sort=False)):
        for method, gm in g.groupby(g["method"] == "apportioned"):
            dashed = bool(method)
            fig.add_trace(
                go.Scatter(
                    x=gm["period_start"],
                    y=gm["value"],
                    mode="lines+markers",
                    name=f"{label}" + (" (estimate, apportioned)" if dashed else ""),
                    line=dict(color=palette[i % 6], dash="dash" if dashed else "solid", width=2),
                    marker=dict(symbol=markers[i % 6], size=8),
                    text=gm["period"],
                    hovertemplate="%{text}: %{y:,.4g}<extra>" + label + "</extra>",
                )
            )
    for _, (name, g) in enumerate(comparators.groupby("geo_name", sort=False)):
        style = COMPARATOR_STYLE.get(text.COMPARATOR_LABEL[g["geo_type"].iloc[0]], {})
        fig.add_trace(
            go.Scatter(
                x=g["period_start"],
                y=g["value"],
                mode="lines",
                name=f"{name} ({g['method'].iloc[0]})",
                line=dict(width=1.5, **style),
                text=g["period"],
                hovertemplate="%{text}: %{y:,.4g}<extra>" + name + "</extra>",
            )
        )
    fig.update_yaxes(title=unit, gridcolor="#EEEEEE")
    # Tick at each period's start, labelled as published ("FYE 2025", "2021"), not as dates.
    ticks = pd.concat([series[["period_start", "period"]], comparators[["period_start", "period"]]])
    ticks = ticks.drop_duplicates("period").sort_values("period_start")
    fig.update_xaxes(
        title="period",
        gridcolor="#EEEEEE",
        tickvals=list(ticks["period_start"]),
        ticktext=[text.period_label(p) for p in ticks["period"]],
    )
    return _layout(fig, title)


def london_strip(df: pd.DataFrame, borough_code: str, *, unit: str, title: str = "") -> go.Figure:
    """Every London ward as a point; the chosen borough's wards highlighted, its extremes labelled."""
    rng = np.random.default_rng(0)  # fixed jitter so the picture is stable between reruns
    d = df.assign(y=rng.uniform(-0.35, 0.35, len(df)))
    mine = d["borough_code"] == borough_code
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=d.loc[~mine, "value"],
            y=d.loc[~mine, "y"],
            mode="markers",
            name="other London wards",
            marker=dict(color="#BBBBBB", size=6, symbol="circle-open"),
            text=d.loc[~mine, "geo_name"] + " (" + d.loc[~mine, "borough_name"] + ")",
            hovertemplate="%{text}: %{x:,.4g}<extra></extra>",
        )
    )
    b = d[mine]
    if len(b):
        fig.add_trace(
            go.Scatter(
                x=b["value"],
                y=b["y"],
                mode="markers",
                name=f"{b['borough_name'].iloc[0]} wards",
                marker=dict(color="#D55E00", size=10, symbol="diamond", line=dict(color="black", width=1)),
                text=b["geo_name"],
                hovertemplate="%{text}: %{x:,.4g}<extra></extra>",
            )
        )
        for _, r in (b.loc[[b["value"].idxmax(), b["value"].idxmin()]]).drop_duplicates("geo_code").iterrows():
            fig.add_annotation(
                x=r["value"],
                y=r["y"],
                text=f"{r['geo_name']} {fmt(r['value'], unit)}",
                showarrow=True,
                arrowhead=2,
                ay=-40,
            )
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(title=unit, gridcolor="#EEEEEE")
    return _layout(fig, title, height=360)


def gap_trend(table: pd.DataFrame, *, unit: str, title: str = "") -> go.Figure:
    """The SII (with 95% limits) across periods."""
    d = table.dropna(subset=["sii"])
    fig = go.Figure(
        go.Scatter(
            x=d["period"],
            y=d["sii"],
            mode="lines+markers+text",
            text=[f"{v:,.3g}" for v in d["sii"]],
            textposition="top center",
            error_y=dict(
                type="data",
                symmetric=False,
                array=(d["sii_upper_95"] - d["sii"]).to_numpy(),
                arrayminus=(d["sii"] - d["sii_lower_95"]).to_numpy(),
            ),
            marker=dict(color="#0072B2", size=10),
            name="SII",
        )
    )
    fig.add_hline(y=0, line=dict(color="#999999", width=1))
    fig.update_yaxes(title=f"SII ({unit})", gridcolor="#EEEEEE")
    return _layout(fig, title, height=360)


def quintile_bar(df: pd.DataFrame, *, unit: str, title: str = "") -> go.Figure:
    """Indicator by borough-local deprivation quintile of wards (1 = most deprived)."""
    labels = [
        f"Q{q}" + (" most deprived" if q == 1 else " least deprived" if q == df["quintile"].max() else "")
        for q in df["quintile"]
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=df["value"],
            text=[f"{fmt(v, unit)} ({int(n)} wards)" for v, n in zip(df["value"], df["wards"], strict=True)],
            textposition="outside",
            marker_color="#0072B2",
        )
    )
    fig.update_yaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    return _layout(fig, title, height=360)
