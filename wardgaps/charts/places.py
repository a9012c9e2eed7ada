"""The council's own places on a map (a star and its name: shape and text, not colour alone),
the distance around each, and each place's figure against the authority's."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wardgaps.charts.style import _layout
from wardgaps.text import fmt

PLACE_COLOUR = "#000000"  # black stars outlined in white: seen on every class colour of the map
EARTH_RADIUS_M = 6_371_008.8


def _safe(s: object) -> str:
    """A user's place name as plain text in Plotly's hover and labels (which read some HTML)."""
    return html.escape(str(s), quote=False)


def add_places(fig: go.Figure, places: pd.DataFrame, *, legend: str = "our places (stars)") -> go.Figure:
    """Overlay places (name, kind, lon, lat) as labelled stars, with one legend entry."""
    if places.empty:
        return fig
    fig.add_trace(
        go.Scatter(
            x=places["lon"],
            y=places["lat"],
            mode="markers+text",
            marker=dict(symbol="star", size=16, color=PLACE_COLOUR, line=dict(color="white", width=1.5)),
            text=[_safe(n) for n in places["name"]],
            textposition="top center",
            textfont=dict(size=12, color="#000000"),
            hovertext=[f"<b>{_safe(n)}</b><br>{_safe(k)}" for n, k in zip(places["name"], places["kind"], strict=True)],
            hoverinfo="text",
            name=legend,
            legendrank=1,
        )
    )
    return fig


def add_circles(fig: go.Figure, places: pd.DataFrame, distance_m: float, label: str) -> go.Figure:
    """A dashed circle of ``distance_m`` around each place (one legend entry for all)."""
    if places.empty:
        return fig
    t = np.linspace(0, 2 * np.pi, 73)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for lon, lat in zip(places["lon"], places["lat"], strict=True):
        dlat = np.degrees(distance_m / EARTH_RADIUS_M)
        dlon = dlat / np.cos(np.radians(lat))
        xs += [*(lon + dlon * np.cos(t)), None]
        ys += [*(lat + dlat * np.sin(t)), None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color="#000000", width=1.5, dash="dash"),
            name=f"within {label} of a place (dashed)",
            hoverinfo="skip",
            legendrank=2,
        )
    )
    return fig


def place_bars(
    summary: pd.DataFrame, *, unit: str, value_label: str, authority_value: float, title: str = ""
) -> go.Figure:
    """Each place's weighted figure as a horizontal bar (highest at the top, value written on
    the bar) with the authority-wide figure as a dashed line."""
    s = summary.dropna(subset=["value"]).sort_values("value", kind="stable")
    labels = [f"{_safe(n)} ({_safe(k)})" for n, k in zip(s["name"], s["kind"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=s["value"],
            y=labels,
            orientation="h",
            marker=dict(color="#0072B2"),
            text=[fmt(v, unit) for v in s["value"]],
            textposition="outside",
            hovertext=[
                f"<b>{lab}</b><br>{value_label}: {fmt(v, unit)}<br>{int(n)} areas"
                for lab, v, n in zip(labels, s["value"], s["areas"], strict=True)
            ],
            hoverinfo="text",
            name="around the place",
        )
    )
    if pd.notna(authority_value):
        fig.add_vline(
            x=authority_value,
            line=dict(color="#333333", dash="dash"),
            annotation_text=f"whole authority {fmt(authority_value, unit)}",
            annotation_position="top",
        )
    fig.update_xaxes(title=value_label)
    return _layout(fig, title, height=max(320, 60 + 36 * len(s)))
