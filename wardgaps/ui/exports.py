"""Downloads: chart images (PNG/SVG), XLSX workbooks and the whole-extract CSV."""

from __future__ import annotations

import gzip
import io
import logging
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts, db
from wardgaps.ui.reproduce import query_box
from wardgaps.ui.view import View

log = logging.getLogger("wardgaps")


def chart(v: View, fig, key: str, *, calls: Sequence[db.Call] | None = None, **kwargs):
    """The chart, on request its PNG and SVG (Plotly static export with the local Chromium), and
    "Show the query": the queries behind it (``calls``; the page's queries so far if not given)."""
    event = st.plotly_chart(fig, key=key, config={"displaylogo": False}, **kwargs)
    with st.expander("Download this chart as an image"):
        if st.button("Prepare PNG and SVG", key=f"img-{key}"):
            try:
                png = export_image(fig, "png")
                svg = export_image(fig, "svg")
            except Exception:
                log.exception("chart export failed")
                st.warning(
                    "Image export needs Chromium on the server, which is not available here; use the table's CSV."
                )
            else:
                c1, c2 = st.columns(2)
                c1.download_button("PNG", png, f"{key}.png", "image/png", key=f"png-{key}")
                c2.download_button("SVG", svg, f"{key}.svg", "image/svg+xml", key=f"svg-{key}")
    query_box(v, calls, f"chart-{key}")
    return event


def export_image(fig, fmt: str) -> bytes:
    """The chart as PNG (2×) or SVG, at the size it is drawn on the page."""
    height = max(500, int(fig.layout.height or 500))
    return charts.static_image(fig, fmt, 1200, height, 1 if fmt == "svg" else 2)


def extract_csv(r: db.Reader) -> bytes:
    """The whole observations table of the reader's extract (the public extract's in the public
    view) as gzip-compressed CSV, made once per data version and only when asked for (2.6
    million rows nationally: hundreds of MB as plain text)."""
    return _extract_csv(r.version, r.public, r)


@st.cache_data(max_entries=1, show_spinner="Preparing the extract CSV")
def _extract_csv(version: str, public: bool, _r: db.Reader) -> bytes:  # the version and view are the key
    # mtime 0: the same extract always gives the same bytes
    return gzip.compress(analysis.extract_observations(_r).to_csv(index=False).encode("utf-8"), mtime=0)


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as w:
        for name, df in frames.items():
            df.to_excel(w, sheet_name=name[:31], index=False)
    return buf.getvalue()
