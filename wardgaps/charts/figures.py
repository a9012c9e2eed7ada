"""Bars, lines and strips: the ordered bar, trends, the context strip, the gap trend, quintiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wardgaps import text
from wardgaps.charts.style import COMPARATOR_STYLE, SIG_COLOURS, SIG_TEXT, _layout, interval_bars
from wardgaps.text import fmt


def ordered_bar(
    table: pd.DataFrame,
    comparators: pd.DataFrame,
    *,
    unit: str,
    sig_col: str | None = "vs_authority",
    title: str = "",
) -> go.Figure:
    """All wards, highest first, with 95% intervals and the authority/London/England lines (none for
    a count: a total is no comparator for a ward's count)."""
    d = table.dropna(subset=["value"]).sort_values("value", ascending=True)
    if unit == "count" or d.empty:
        comparators = comparators.iloc[0:0]
    sig = d[sig_col] if sig_col and sig_col in d else pd.Series([None] * len(d), index=d.index)
    colours = [SIG_COLOURS.get(s, SIG_COLOURS[None]) for s in sig]
    bar_text = [
        f"{fmt(v, unit)}" + (f" ({SIG_TEXT[s]})" if s in SIG_TEXT else "") for v, s in zip(d["value"], sig, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=d["value"],
            y=d["geo_name"],
            orientation="h",
            marker_color=colours,
            marker_line_color="#333333",
            marker_line_width=0.5,
            error_x=interval_bars(d),
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


def context_strip(df: pd.DataFrame, authority_code: str, *, unit: str, area: str, title: str = "") -> go.Figure:
    """Every ward of an area (a region or a country: thousands) as a point, drawn with WebGL; the
    chosen authority's wards highlighted by shape and colour, its extremes labelled."""
    rng = np.random.default_rng(0)  # fixed jitter so the picture is stable between reruns
    d = df.assign(y=rng.uniform(-0.35, 0.35, len(df)))
    mine = d["authority_code"] == authority_code
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=d.loc[~mine, "value"],
            y=d.loc[~mine, "y"],
            mode="markers",
            name=f"other wards in {area}",
            marker=dict(color="#BBBBBB", size=6, symbol="circle-open"),
            text=d.loc[~mine, "geo_name"] + " (" + d.loc[~mine, "authority_name"] + ")",
            hovertemplate="%{text}: %{x:,.4g}<extra></extra>",
        )
    )
    b = d[mine]
    if len(b):
        fig.add_trace(
            go.Scattergl(
                x=b["value"],
                y=b["y"],
                mode="markers",
                name=f"{b['authority_name'].iloc[0]} wards",
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
    """Indicator by authority-local deprivation quintile of wards (1 = most deprived)."""
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


def compared_places(d: pd.DataFrame, *, unit: str, title: str = "") -> go.Figure:
    """The Compare page's chosen indicator: one bar per place (in the order chosen) with its 95%
    interval, its figure and its significance against its authority and country written on it.
    ``d``: place_name, authority_name (or place_label), value, lower_95, upper_95, against."""
    d = d[d["value"].notna()].iloc[::-1]
    if "place_label" in d:  # the page's column headings (an area's name with its set and authority)
        labels = list(d["place_label"])
    else:
        labels = [f"{p} ({a})" for p, a in zip(d["place_name"], d["authority_name"], strict=True)]
    words = [f"{fmt(v, unit)}" + (f": {w}" if w else "") for v, w in zip(d["value"], d["against"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=d["value"],
            y=labels,
            orientation="h",
            marker_color="#56B4E9",
            marker_line_color="#333333",
            marker_line_width=0.5,
            error_x=interval_bars(d),
            text=words,
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(title=unit, rangemode="tozero", gridcolor="#EEEEEE")
    return _layout(fig, title, height=max(320, 70 * len(d) + 140))
