"""The shared sidebar, permalinks and page furniture (data-as-at line, tables, downloads).

State lives in ``st.query_params`` (borough, indicator, period, ward) so any view is a
permalink; a bad or stale parameter falls back to the default with a short notice.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts
from wardgaps.db import query

DEFAULT_BOROUGH = "E09000019"  # Islington
DEFAULT_INDICATOR = "child_poverty_ahc_dwp"
THEMES = {
    "child_poverty": "Child poverty",
    "poverty": "Poverty and deprivation",
    "housing": "Housing",
    "population": "Population",
}
VINTAGE_LABEL = {
    2022: "May-2022 wards",
    2018: "pre-2022 wards (2018 boundaries)",
    2014: "pre-2022 wards (2014 boundaries)",
}


def is_public() -> bool:
    """The public transparency view (disclosure control on): ``WARDGAPS_PUBLIC=1``."""
    return os.environ.get("WARDGAPS_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class View:
    borough: str
    borough_name: str
    indicator: str
    meta: dict
    period: str | None
    vintage: int | None
    periods: pd.DataFrame
    notices: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return self.meta["unit"]


def _param(name: str) -> str | None:
    v = st.query_params.get(name)
    return None if v is None else str(v)[:80]


def _copy(key: str) -> None:
    st.session_state[key] = st.session_state[f"w_{key}"]


def _select(label: str, options: list, fmt: Callable[[object], str], key: str, **kw: object) -> None:
    """A selectbox bound to the canonical ``st.session_state[key]``.

    The widget has its own key (``w_<key>``), re-seeded from the canonical value on every run, so
    the choice survives page switches; its change callback copies the choice back.
    """
    st.session_state[f"w_{key}"] = st.session_state[key]
    st.selectbox(label, options, format_func=fmt, key=f"w_{key}", on_change=_copy, args=(key,), **kw)


def _from_url(name: str, valid: object, default: str, notice: str, notices: list[str]) -> str:
    """A permalink parameter if it is one of ``valid``; else the default, noting why."""
    value = _param(name)
    if value is None:
        return default
    if value in valid:
        return value
    notices.append(notice)
    return default


def sidebar() -> View:
    """Render the shared sidebar and return the current view (validated)."""
    notices: list[str] = []
    boroughs = query("boroughs")
    names = dict(zip(boroughs["geo_code"], boroughs["geo_name"], strict=True))
    catalogue = query("indicator_list")
    ind_theme = dict(zip(catalogue["indicator_id"], catalogue["theme"], strict=True))

    if "borough" not in st.session_state:
        st.session_state["borough"] = _from_url(
            "borough",
            names,
            DEFAULT_BOROUGH,
            "That borough code is not a London borough, so Islington is shown.",
            notices,
        )
    if "indicator" not in st.session_state:
        st.session_state["indicator"] = _from_url(
            "indicator",
            ind_theme,
            DEFAULT_INDICATOR,
            "That indicator is not in Ward Gaps, so child poverty (DWP) is shown.",
            notices,
        )
        st.session_state["theme"] = ind_theme[st.session_state["indicator"]]

    with st.sidebar:
        _select("Borough", list(names), names.get, "borough", help="Type to search.")
        if st.session_state.get("theme") not in THEMES:
            st.session_state["theme"] = ind_theme[st.session_state["indicator"]]
        _select("Theme", list(THEMES), THEMES.get, "theme")
        in_theme = catalogue[catalogue["theme"] == st.session_state["theme"]]
        labels = {r.indicator_id: f"{r.short_title} ({r.unit})" for r in in_theme.itertuples()}
        if st.session_state.get("indicator") not in labels:
            st.session_state["indicator"] = next(iter(labels))
        _select("Indicator", list(labels), labels.get, "indicator")
        borough, indicator = st.session_state["borough"], st.session_state["indicator"]
        p = analysis.periods(borough, indicator)
        options = list(dict.fromkeys(p["period"]))
        if not options:  # borough-only indicators (e.g. End Child Poverty)
            comp = query("comparator_series", borough_code=borough, indicator_id=indicator)
            options = list(dict.fromkeys(comp.sort_values("period_start", ascending=False)["period"]))
        if "period" not in st.session_state:
            want = _param("period")
            if want is not None and want not in options:
                notices.append("That period is not available for this indicator, so the latest is shown.")
                want = None
            st.session_state["period"] = want or (options[0] if options else None)
        if st.session_state.get("period") not in options:
            st.session_state["period"] = options[0] if options else None
        if options:
            _select("Period", options, str, "period", help="Latest first.")
        if is_public():
            st.caption("Public view: small counts are suppressed and the rest rounded to 5.")

    period = st.session_state.get("period")
    vintage = analysis.default_vintage(p, period) if period else None
    st.query_params.update({"borough": borough, "indicator": indicator, **({"period": period} if period else {})})
    meta = analysis.indicator_meta(indicator) or {}
    return View(borough, names[borough], indicator, meta, period, vintage, p, notices)


def view() -> View:
    """The view for this run: made by the router's sidebar, or here when a page runs alone."""
    v = st.session_state.get("_view")
    if v is None or not st.session_state.get("_view_fresh"):
        # The router did not run (a page run on its own, as AppTest does): draw the sidebar here.
        v = sidebar()
    st.session_state["_view_fresh"] = False
    for n in v.notices:
        st.info(n)
    return v


def ward_figures(v: View, what: str) -> pd.DataFrame:
    """The borough's wards for the view's indicator and period, with disclosure control in the
    public view; stops the page with a notice for borough-only indicators."""
    if v.vintage is None:
        st.info(f"This indicator is published for boroughs only, so there is no {what}. See the Overview or Trends.")
        st.stop()
    t = analysis.ward_table(v.borough, v.indicator, v.period, v.vintage)
    return analysis.public_table(t, v.unit) if is_public() else t


def ward_select(key: str, names: dict[str, str], default: str | None) -> str:
    """The page's ward choice: from ``?ward=`` on first view (validated, with a notice), then a
    keyboard-accessible select box bound to ``st.session_state[key]`` (which a map click may
    set before a rerun), written back to the URL."""
    if key not in st.session_state:
        st.session_state[key] = ward_param(list(names), names, default)
    if st.session_state[key] not in names:
        st.session_state[key] = default
    _select("Ward", list(names), names.get, key)
    st.query_params["ward"] = st.session_state[key]
    return st.session_state[key]


def ward_param(codes: list[str], names: dict[str, str], default: str | None) -> str | None:
    """The ward from ``?ward=``, kept only if it is one of ``codes``; else the default (noticed)."""
    w = _param("ward")
    if w is None:
        return default
    if w in codes:
        return w
    if re.fullmatch(r"E05\d{6}", w or ""):
        st.info(
            f"Ward {w} is not one of this borough's wards for this period, "
            f"so {names.get(default, 'the default ward')} is shown."
        )
    else:
        st.info("That ward code is not valid, so the default ward is shown.")
    return default


def data_as_at(v: View, methods: str = "") -> None:
    """One line: source, period, release, next release and geography vintage."""
    m = v.meta
    geo = VINTAGE_LABEL.get(v.vintage, "borough figures only") if v.vintage else "borough figures only"
    extra = ""
    if "apportioned" in methods:
        extra = " · includes estimates apportioned from older or smaller areas"
    st.caption(
        f"Data as at: {m.get('publisher', '')} · period {v.period} · released {m.get('release_date', '')} · "
        f"next release {m.get('next_release', '')} · {geo}{extra}"
    )


def chart(fig, key: str, **kwargs):
    """The chart, and on request its PNG and SVG (Plotly static export with the local Chromium)."""
    event = st.plotly_chart(fig, key=key, config={"displaylogo": False}, **kwargs)
    with st.expander("Download this chart as an image"):
        if st.button("Prepare PNG and SVG", key=f"img-{key}"):
            try:
                png = export_image(fig, "png")
                svg = export_image(fig, "svg")
            except Exception:
                st.warning(
                    "Image export needs Chromium on the server, which is not available here; use the table's CSV."
                )
            else:
                c1, c2 = st.columns(2)
                c1.download_button("PNG", png, f"{key}.png", "image/png", key=f"png-{key}")
                c2.download_button("SVG", svg, f"{key}.svg", "image/svg+xml", key=f"svg-{key}")
    return event


def export_image(fig, fmt: str) -> bytes:
    """The chart as PNG (2×) or SVG, at the size it is drawn on the page."""
    height = max(500, int(fig.layout.height or 500))
    return charts.static_image(fig, fmt, 1200, height, 1 if fmt == "svg" else 2)


_MD = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")


def md_escape(text: str) -> str:
    """Text from the data shown literally in Markdown (no links, emphasis or HTML from names)."""
    return _MD.sub(r"\\\1", str(text))


def say(text: str) -> None:
    st.markdown(md_escape(text))


def data_as_at_many(items: list[tuple[str, str]]) -> None:
    """The data-as-at line for a view built from several sources: (source id, period)."""
    src = query("sources_list").set_index("source_id")
    seen, parts = set(), []
    for sid, period in items:
        if (sid, period) in seen or sid not in src.index:
            continue
        seen.add((sid, period))
        s = src.loc[sid]
        parts.append(
            f"{s['publisher'].split(' (')[0]} {period} (released {s['release_date']}; next {s['next_release']})"
        )
    st.caption("Data as at: " + " · ".join(parts) + " · May-2022 wards unless marked")


def summary(text: str) -> None:
    st.markdown(f"**In one line:** {md_escape(text)}")


def table(df: pd.DataFrame, columns: dict[str, str], key: str) -> None:
    """The chart's table (accessible alternative) with a CSV download."""
    show = df[[c for c in columns if c in df.columns]].rename(columns=columns)
    # Shown to 3 decimals (floating-point noise helps nobody); the CSV keeps full precision.
    st.dataframe(show.round(3), hide_index=True, width="stretch")
    st.download_button(
        "Download this table (CSV)",
        show.to_csv(index=False).encode("utf-8"),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv-{key}",
    )


def extract_csv() -> bytes:
    """The whole observations table as CSV, made once per extract file (it is ~30 MB of text)."""
    from wardgaps.db import _stamp, db_path

    return _extract_csv(str(db_path()), _stamp(db_path()))


@st.cache_data(max_entries=1, show_spinner="Preparing the extract CSV")
def _extract_csv(path: str, stamp: float) -> bytes:  # both are the cache key
    return query("extract_observations").to_csv(index=False).encode("utf-8")


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as w:
        for name, df in frames.items():
            df.to_excel(w, sheet_name=name[:31], index=False)
    return buf.getvalue()


def sig_label(s: object) -> str:
    return {"better": "Better", "worse": "Worse", "similar": "Similar", "higher": "Higher", "lower": "Lower"}.get(
        s, "Not compared"
    )
