"""Ward and LSOA maps drawn as filled polygons on plain axes (offline, no tiles), and map clicks."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wardgaps.charts.style import SCHEMES, SIG_COLOURS, SIG_LABEL, _continuous_colours, _layout, colours_at
from wardgaps.text import fmt


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


def classify(values: pd.Series, scheme: str, k: int = 5, unit: str | None = None) -> tuple[pd.Series, list[str]]:
    """Class index (0..k-1) for each value and a label per class, with mapclassify."""
    v = values.dropna().astype(float)
    k = int(min(k, v.nunique()))
    if k < 2:
        return pd.Series(0, index=values.index).where(values.notna()), [f"{v.min():,.4g}" if len(v) else "no data"]
    c = SCHEMES[scheme](v.to_numpy(), k=k)
    bins = list(c.bins)
    edges = [float(v.min()), *bins]
    show = (lambda x: fmt(x, unit)) if unit else (lambda x: f"{x:,.4g}")  # the unit's own format
    labels = [f"{show(edges[i])} to {show(edges[i + 1])}" for i in range(len(bins))]
    idx = pd.Series(np.nan, index=values.index)
    idx[v.index] = c.yb
    return idx, labels


def discrete_scale(n: int, polarity: str) -> list[str]:
    """``n`` classes' colours from the indicator's sequential scale."""
    return colours_at([0.15 + 0.85 * i / max(n - 1, 1) for i in range(n)], polarity)


def _fill(xs: list, ys: list, colour: str, group: str, hover: str, rank: int, showlegend: bool) -> go.Scatter:
    return go.Scatter(
        x=xs,
        y=ys,
        fill="toself",
        fillcolor=colour,
        mode="lines",
        line=dict(color="#555555" if group in ("no figure", "not shown (small numbers)") else "white", width=1),
        hoveron="fills",
        text=hover,
        hoverinfo="text",
        name=group,
        legendgroup=group,
        legendrank=rank,
        showlegend=showlegend,
    )


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
    if scheme == "Significance vs authority":
        # Fingertips-style: better/similar/worse (or higher/lower for neutral), named in the legend.
        sig = d["vs_authority"] if "vs_authority" in d else pd.Series([None] * len(d), index=d.index)
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
        cls, labels = classify(d["value"], scheme, k, unit)
        palette = discrete_scale(len(labels), polarity)
        colours_of = [palette[int(c)] if pd.notna(c) else "#FFFFFF" for c in cls]
    fig = go.Figure()
    hidden = d["suppressed"].fillna(False).astype(bool) if "suppressed" in d else pd.Series(False, index=d.index)
    # a figure hidden in the public view is not an absent one: the legend says which
    groups = [
        ("not shown (small numbers)" if h else "no figure") if pd.isna(c) else labels[int(c)]
        for c, h in zip(cls, hidden, strict=True)
    ]
    if scheme == "Continuous":
        # every area has its own shade: one trace each (the legend shows the range once)
        for i, r in enumerate(d.itertuples()):
            xs, ys = _rings(r.geojson)
            fig.add_trace(_fill(xs, ys, colours_of[i], groups[i], hover[i], 100, showlegend=i == 0))
    else:
        # one trace per class (all its areas' rings, gaps between them): a few traces draw much
        # faster in the browser than one per ward; each ward's own hover is on its marker
        order = {g: k for k, g in enumerate(dict.fromkeys(groups))}
        for g in order:
            idx = [i for i, x in enumerate(groups) if x == g]
            xs, ys = [], []
            for i in idx:
                rx, ry = _rings(d["geojson"].iloc[i])
                xs += [*rx, None]
                ys += [*ry, None]
            names = ", ".join(str(d["geo_name"].iloc[i]) for i in idx)
            rank = 1000 if g in ("no figure", "not shown (small numbers)") else 100 + int(cls.iloc[idx[0]])
            fig.add_trace(_fill(xs, ys, colours_of[idx[0]], g, f"<b>{g}</b><br>{names}", rank, showlegend=True))
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
    # Equirectangular with the aspect corrected for the area's own latitude (in London 1° of
    # latitude is about 1.6 × 1° of longitude; in Cumbria 1.7).
    mid = float(d["label_lat"].mean()) if len(d) else 51.5
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(mid)))
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


def add_outlines(fig: go.Figure, outlines: pd.DataFrame, *, legend: str = "council areas (outlines)") -> go.Figure:
    """The council's own areas drawn over a ward map as thick outlines, named at their label point
    (``outlines``: area_name, geojson, label_lon, label_lat). The wards stay coloured beneath."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for g in outlines["geojson"]:
        x, y = _rings(g)
        xs += x
        ys += y
    fig.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#000000", width=3), name=legend, hoverinfo="skip")
    )
    fig.add_trace(
        go.Scatter(
            x=outlines["label_lon"],
            y=outlines["label_lat"],
            mode="text",
            text=[str(n) for n in outlines["area_name"]],
            textfont=dict(color="#000000", size=13),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    return fig
