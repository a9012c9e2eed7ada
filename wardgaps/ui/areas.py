"""The council's own areas on every page (``?areas=NAME``): the blocks a page draws for the view's
area set beside its wards. Each block asks :mod:`wardgaps.analysis.areas` and draws its chart with
its table and one-line summary. Imports ``page`` and those before it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts, text
from wardgaps.ui.exports import chart
from wardgaps.ui.figcache import figure
from wardgaps.ui.furniture import say, summary, table
from wardgaps.ui.view import View

HIDDEN = "not shown (small numbers)"


def _label(v: View) -> str:
    return f"the {v.areas} areas"


def carried(v: View) -> bool:
    """Whether the view's indicator can be shown for areas; says why in one sentence when not."""
    note = analysis.not_carried_note(v.meta)
    if note:
        st.info(text.md_escape(note))
    return not note


def _named(t: pd.DataFrame) -> pd.DataFrame:
    """An area frame under the ward charts' column names (geo_code, geo_name)."""
    return t.assign(geo_code=t["area_name"], geo_name=t["area_name"])


def _fmt(row: pd.Series, unit: str) -> str:
    return HIDDEN if row["suppressed"] else text.fmt(row["value"], unit)


def ranking(v: View) -> pd.DataFrame | None:
    """Ward gaps for areas: the areas ranked with intervals and significance against the authority,
    their range and ratio, and the slope index where there are at least five."""
    st.subheader(f"Areas: {v.areas}")
    if v.period is None or not carried(v):
        return None
    with v.reader.trace() as calls:
        t = analysis.area_table(v.reader, v.areas, v.authority, v.indicator, v.period)
        comp = analysis.comparators(
            v.reader, v.authority, v.indicator, v.period, similar=v.similar, benchmark=v.benchmark
        )
    if t["value"].notna().sum() == 0:
        say(f"No area of {v.areas} has a figure for this period (an area has one only when all its wards do).")
        return t
    # areas are judged against their authority; the comparison groups chosen are drawn beside it
    comp = comp[~comp["geo_type"].isin(["region", "country"])]
    title = f"{v.meta['title']}, {v.period_label}: {v.areas} areas"
    fig = figure(
        v, ("area_bar", v.areas, *v.key), lambda: charts.ordered_bar(_named(t), comp, unit=v.unit, title=title)
    )
    chart(v, fig, f"area-bar-{v.areas}", calls=calls)
    g = analysis.area_gaps(v.reader, v.areas, v.authority, v.indicator, v.period)
    same = analysis.one_figure_note(t, v.unit, "areas")
    if same:
        summary(same)
    elif g is not None and g.gaps is not None:
        x = g.gaps
        summary(
            f"Of {_label(v)}, {x.highest_code} ({text.fmt(x.highest, v.unit)}) and {x.lowest_code} "
            f"({text.fmt(x.lowest, v.unit)}) are {text.fmt(x.range, v.unit)} apart."
        )
        if x.sii is not None:
            lim = x.sii.sii_limits.get(0.95)
            st.caption(
                f"Slope index across the areas {x.sii.sii:,.2f}"
                + (f" (95% CI {lim[0]:,.2f} to {lim[1]:,.2f})" if lim else "")
                + f"; relative index {x.sii.rii:,.2f}. "
                + analysis.sii_direction(v.meta)
            )
        elif x.sii_note:
            st.caption(x.sii_note)
    table(
        v,
        t.sort_values("value", ascending=False),
        {
            "area_name": "Area",
            "n_wards": "Wards",
            "value": f"Value ({v.unit_label})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "rank": "Rank (1 = highest)",
            "vs_authority": "vs authority",
            "status": "Status",
        },
        key=f"areas-{v.indicator}-{v.period}",
        calls=calls,
    )
    return t


def area_map(v: View, scheme: str) -> None:
    """The areas drawn as their wards dissolved, coloured by their figure, with their outlines."""
    st.subheader(f"Areas: {v.areas}")
    if v.period is None or v.vintage is None or not carried(v):
        return
    with v.reader.trace() as calls:
        t = analysis.area_table(v.reader, v.areas, v.authority, v.indicator, v.period)
        outlines = analysis.area_outlines(v.reader, v.areas, v.authority, v.vintage)
    bounds = outlines.rename(columns={"area_name": "geo_code"})
    fig = figure(
        v,
        ("area_map", v.areas, scheme, *v.key),
        lambda: charts.choropleth(
            bounds,
            _named(t),
            value_label=v.meta["short_title"],
            unit=v.unit,
            polarity=v.meta["polarity"],
            scheme=scheme,
            title=f"{v.meta['short_title']}, {v.period_label}: {v.areas} areas",
        ),
    )
    chart(v, fig, f"area-map-{v.areas}", calls=calls)
    shown = t[t["value"].notna() & ~t["suppressed"]]
    if len(shown):
        top = shown.sort_values("value", ascending=False).iloc[0]
        summary(
            analysis.one_figure_note(shown, v.unit, "areas")
            or f"Of {len(t)} areas, {top['area_name']} has the highest figure ({text.fmt(top['value'], v.unit)})."
        )
    members = analysis.area_members(v.reader, v.areas, v.authority)
    table(v, members, {"area_name": "Area", "geo_code": "Ward code", "geo_name": "Ward"}, key="area-wards", calls=calls)


def trends(v: View) -> None:
    """Every area's figure over time, with the authority's."""
    st.subheader(f"Areas: {v.areas}")
    if not carried(v):
        return
    with v.reader.trace() as calls:
        s = analysis.area_series(v.reader, v.areas, v.authority, v.indicator)
    s = s[s["value"].notna()]
    if s.empty:
        say(f"No area of {v.areas} has a figure for this indicator.")
        return
    lines = s.assign(label=s["area_name"], method="aggregated")
    with v.reader.trace() as more:
        comp = analysis.comparator_series(v.reader, v.authority, v.indicator)
    calls += more
    comp = comp[comp["geo_type"].eq("authority")]
    fig = figure(
        v,
        ("area_trend", v.areas, *v.key),
        lambda: charts.trend_lines(lines, comp, unit=v.unit, title=f"{v.meta['title']}: {v.areas} areas"),
    )
    chart(v, fig, f"area-trend-{v.areas}", calls=calls)
    first, last = s["period"].iloc[0], s["period"].iloc[-1]
    summary(f"{s['area_name'].nunique()} areas from {text.period_label(first)} to {text.period_label(last)}.")
    table(
        v,
        s,
        {
            "area_name": "Area",
            "period": "Period",
            "value": f"Value ({v.unit_label})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
        },
        key="area-trends",
        calls=calls,
    )


def profile(v: View, indicator_ids: list[str]) -> None:
    """One area's latest figure of each indicator against its authority."""
    st.subheader(f"Area profile: {v.areas}")
    names = sorted(analysis.area_members(v.reader, v.areas, v.authority)["area_name"].unique())
    if not names:
        return
    if st.session_state.get("profile_area") not in names:
        want = st.query_params.get("area")
        st.session_state["profile_area"] = want if want in names else names[0]
    area = st.selectbox("Area", names, key="profile_area")
    st.query_params["area"] = area
    with v.reader.trace() as calls:
        p = analysis.area_profile(v.reader, v.areas, v.authority, area, indicator_ids)
    if p.empty:
        say(f"{area} has no figures for this theme's indicators that can be carried to areas.")
        return
    worse = p[p["vs_authority"].eq("worse")]
    summary(
        f"{area} is significantly worse than the authority on {len(worse)} of {len(p)} indicators."
        if len(worse)
        else f"{area} is not significantly worse than the authority on any of {len(p)} indicators."
    )
    table(
        v,
        p,
        {
            "indicator": "Indicator",
            "period": "Period",
            "value": "Area",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "authority_value": "Authority",
            "vs_authority": "vs authority",
            "rank": "Rank among areas",
        },
        key="area-profile",
        calls=calls,
    )


def furthest_behind(v: View, indicator_ids: list[str]) -> None:
    """The Overview's "furthest behind" for areas: how often each area is significantly worse than
    the authority on the key indicators."""
    st.subheader(f"Areas furthest behind: {v.areas}")
    with v.reader.trace() as calls:
        f = analysis.furthest_behind_areas(v.reader, v.areas, v.authority, indicator_ids)
    if f.empty or f["tested"].max() == 0:
        say(f"No key indicator with intervals can be carried to the {v.areas} areas.")
        return
    top = f.iloc[0]
    summary(
        f"{top['area_name']} is significantly worse than the authority on {int(top['worse_count'])} of the "
        f"{int(top['tested'])} key indicators that can be carried to areas with intervals."
    )
    table(
        v,
        f,
        {
            "area_name": "Area",
            "worse_count": "Significantly worse than authority (count)",
            "tested": "Indicators with intervals",
            "worse_on": "Worse on",
        },
        key="area-behind",
        calls=calls,
    )
