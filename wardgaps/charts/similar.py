"""Similar wards: where a ward's neighbours are (a light map: their authorities' outlines and a
point per ward, no tiles) and the ward against its neighbours on one indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wardgaps.charts.maps import _rings
from wardgaps.charts.style import _layout, interval_bars
from wardgaps.text import fmt

WARD_COLOUR = "#D55E00"  # the chosen ward: orange diamond (shape and label carry it too)
NEIGHBOUR_COLOUR = "#0072B2"  # its similar wards: blue circles numbered by rank


def neighbour_map(wards: pd.DataFrame, outlines: pd.DataFrame, *, title: str = "") -> go.Figure:
    """The ward (rank 0) and its similar wards as points numbered by rank, over the outlines of
    their authorities. ``wards``: rank, geo_name, authority_name, distance, label_lon, label_lat."""
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for g in outlines["geojson"]:
        rx, ry = _rings(g)
        xs += [*rx, None]
        ys += [*ry, None]
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color="#999999", width=0.8),
                name="their local authorities",
                hoverinfo="skip",
            )
        )
    me, others = wards[wards["rank"] == 0], wards[wards["rank"] > 0]
    fig.add_trace(
        go.Scatter(
            x=others["label_lon"],
            y=others["label_lat"],
            mode="markers+text",
            marker=dict(size=20, color=NEIGHBOUR_COLOUR, line=dict(color="white", width=1)),
            text=[str(int(r)) for r in others["rank"]],
            textfont=dict(color="white", size=11),
            hovertext=[
                f"<b>{n}</b> ({b})<br>similar ward {int(r)}, distance {d:.2f}"
                for n, b, r, d in zip(
                    others["geo_name"], others["authority_name"], others["rank"], others["distance"], strict=True
                )
            ],
            hoverinfo="text",
            name="similar wards (numbered 1 = most similar)",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=me["label_lon"],
            y=me["label_lat"],
            mode="markers+text",
            marker=dict(size=18, color=WARD_COLOUR, symbol="diamond", line=dict(color="black", width=1)),
            text=list(me["geo_name"]),
            textposition="top center",
            hovertext=[
                f"<b>{n}</b> ({b}): the chosen ward" for n, b in zip(me["geo_name"], me["authority_name"], strict=True)
            ],
            hoverinfo="text",
            name="the chosen ward",
        )
    )
    fig.update_xaxes(visible=False)
    mid = float(wards["label_lat"].mean()) if len(wards) else 52.5
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(mid)))
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return _layout(fig, title, height=560)


def ward_against_neighbours(
    figures: pd.DataFrame, *, unit: str, mean: float | None, mean_label: str, title: str = ""
) -> go.Figure:
    """One indicator: the ward and each similar ward as a point (highest at the top), the ward's
    95% interval where it has one, and the similar wards' weighted mean as a named line.
    ``figures``: rank (0 = the ward), geo_name, authority_name, value, lower_95, upper_95."""
    d = figures.dropna(subset=["value"]).sort_values("value", ascending=True)
    labels = [
        f"{n} ({b})" + (" — chosen ward" if r == 0 else "")
        for n, b, r in zip(d["geo_name"], d["authority_name"], d["rank"], strict=True)
    ]
    me = (d["rank"] == 0).to_numpy()
    fig = go.Figure()
    for mask, name, colour, symbol in (
        (~me, "similar wards", NEIGHBOUR_COLOUR, "circle"),
        (me, "the chosen ward", WARD_COLOUR, "diamond"),
    ):
        part = d[mask]
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=[lab for lab, m in zip(labels, mask, strict=True) if m],
                mode="markers+text",
                marker=dict(size=13, color=colour, symbol=symbol, line=dict(color="black", width=1)),
                error_x=interval_bars(part),
                text=[fmt(v, unit) for v in part["value"]],
                textposition="top center",  # above the point, clear of its interval
                hoverinfo="y+text",
                name=name,
            )
        )
    if mean is not None and not pd.isna(mean) and len(d):
        fig.add_trace(
            go.Scatter(
                x=[mean, mean],
                y=[labels[0], labels[-1]],
                mode="lines",
                line=dict(color="#000000", dash="dash", width=2),
                name=f"{mean_label} {fmt(mean, unit)}",
                hoverinfo="name",
            )
        )
    fig.update_xaxes(title=unit, gridcolor="#EEEEEE")
    # highest at the top whichever trace a ward is in (categories would otherwise follow the traces)
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return _layout(fig, title, height=max(420, 40 * len(d) + 140))
