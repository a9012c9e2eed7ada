"""Palettes, shared layout and static export (Kaleido with the local Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import mapclassify
import pandas as pd
import plotly.graph_objects as go

from wardgaps import text

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
    "worse": "significantly worse than authority",
    "higher": "significantly higher than authority",
    "similar": "similar to authority",
    "lower": "significantly lower than authority",
    "better": "significantly better than authority",
    None: "no interval to compare",
}
SIG_TEXT = {k: v.lower() for k, v in text.SIG_LABEL.items()}
COMPARATOR_STYLE = {
    "authority": dict(color="#000000", dash="solid"),
    "region": dict(color="#CC79A7", dash="dash"),
    "country": dict(color="#009E73", dash="dot"),
    "similar authorities": dict(color="#E69F00", dash="dashdot"),
    "benchmark": dict(color="#0072B2", dash="longdash"),
}
SEQUENTIAL = {"higher_is_worse": "YlOrRd", "higher_is_better": "YlGnBu", "neutral": "Purples"}
SCHEMES = {
    "Quantiles": mapclassify.Quantiles,
    "Equal intervals": mapclassify.EqualInterval,
    "Natural breaks": mapclassify.FisherJenks,
}
FONT = dict(family="Arial, Helvetica, sans-serif", size=14)


BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# the browser for static export: the deployer's BROWSER_PATH, else the usual Debian paths; read once
_BROWSER = os.environ.get("BROWSER_PATH") or next((p for p in BROWSERS if Path(p).exists()), None)


def static_image(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG or SVG of a figure through Plotly's static export (Kaleido), driving the local
    Chromium named by ``BROWSER_PATH`` or found at the usual Debian paths; never downloads one.
    Raises when no browser is usable."""
    import kaleido

    if _BROWSER is None:
        raise RuntimeError("no local Chromium for Plotly's static export")
    # Kaleido is told the browser directly (no environment write from a request thread) and gets
    # no MathJax (its default would be fetched from a CDN; the charts have no formulae)
    return kaleido.calc_fig_sync(
        fig.to_dict(),
        opts=dict(format=fmt, width=width, height=height, scale=scale),
        kopts={"path": _BROWSER, "mathjax": False},
    )


def interval_bars(d: pd.DataFrame) -> dict | None:
    """Plotly error bars drawing each row's 95% interval around its figure (None when no row has one)."""
    if not d["upper_95"].notna().any():
        return None
    return dict(
        type="data",
        symmetric=False,
        array=(d["upper_95"] - d["value"]).to_numpy(),
        arrayminus=(d["value"] - d["lower_95"]).to_numpy(),
        color="#333333",
        thickness=1.2,
    )


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


def colours_at(positions: list[float], polarity: str) -> list[str]:
    """Colours of the indicator's sequential scale at positions 0–1 (darker = higher; reversed for
    "higher is better", so the worse end is always the darker one)."""
    import plotly.colors as pc

    scale = getattr(pc.sequential, SEQUENTIAL.get(polarity, "Purples"))
    if polarity == "higher_is_better":
        scale = scale[::-1]
    return pc.sample_colorscale(scale, positions)


def _continuous_colours(pos: pd.Series, polarity: str) -> list[str]:
    return [colours_at([0.1 + 0.9 * p], polarity)[0] if p >= 0 else "#FFFFFF" for p in pos]
