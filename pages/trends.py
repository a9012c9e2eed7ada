"""Trends: chosen wards against borough, London and England over every period."""

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts, ui
from wardgaps.db import query
from wardgaps.stats import fmt

v = ui.view()
st.title(f"Trends: {v.meta['short_title']}")
comp = query("comparator_series", borough_code=v.borough, indicator_id=v.indicator)
vintages = sorted(v.periods["vintage"].unique(), reverse=True) if len(v.periods) else []

series = pd.DataFrame(columns=["label", "period", "period_start", "value", "method"])
if vintages:
    vintage = st.radio(
        "Ward boundaries",
        vintages,
        format_func=lambda x: ui.VINTAGE_LABEL.get(int(x), str(x)),
        horizontal=True,
        key="trend_vintage",
    )
    s = query("borough_ward_series", borough_code=v.borough, indicator_id=v.indicator, vintage=int(vintage))
    if ui.is_public():
        s = analysis.public_series(s, v.unit)
    names = dict(zip(s["geo_code"], s["geo_name"], strict=False))
    latest = s[s["period_start"] == s["period_start"].max()].dropna(subset=["value"])
    extremes = list(latest.sort_values("value")["geo_code"].iloc[[-1, 0]]) if len(latest) else []
    wards = st.multiselect(
        "Wards",
        list(names),
        default=[w for w in extremes if w in names],
        format_func=names.get,
        key=f"trend_wards_{vintage}",
    )
    series = s[s["geo_code"].isin(wards)].assign(
        label=lambda d: d["geo_name"] + f" ({ui.VINTAGE_LABEL.get(int(vintage), vintage)})"
    )
    if int(vintage) != 2022:
        st.caption(
            "These are pre-2022 wards, drawn on their own boundaries: they cannot be joined to the May-2022 wards."
        )
else:
    st.info("This indicator is published for boroughs only: the lines show the borough, London and England.")

fig = charts.trend_lines(series, comp, unit=v.unit, title=v.meta["title"])
ui.chart(fig, "trend_chart")
ui.data_as_at(v, " ".join(series["method"].dropna().unique()))
if len(series):
    one = series[series["label"] == series["label"].iloc[0]].dropna(subset=["value"]).sort_values("period_start")
    ui.summary(
        f"{one['label'].iloc[0]} went from {fmt(one['value'].iloc[0], v.unit)} in {one['period'].iloc[0]} to "
        f"{fmt(one['value'].iloc[-1], v.unit)} in {one['period'].iloc[-1]}; dashed lines are apportioned estimates."
    )
    tr = analysis.ward_trends(v.borough, v.indicator, int(vintage))
    ui.table(
        tr[tr["geo_code"].isin(series["geo_code"])],
        {"geo_name": "Ward", "marker": "Recent trend (last 5 periods)", "reason": "Why"},
        key="trend-markers",
    )
else:
    b = comp[comp["geo_type"] == "borough"]
    if len(b):
        ui.summary(
            f"{v.borough_name}: {fmt(b['value'].iloc[0], v.unit)} in {b['period'].iloc[0]}, "
            f"{fmt(b['value'].iloc[-1], v.unit)} in {b['period'].iloc[-1]}."
        )
data = pd.concat(
    [series.assign(area=series.get("label")), comp.rename(columns={"geo_name": "area"})], ignore_index=True
)
ui.table(
    data,
    {"area": "Area", "period": "Period", "value": f"Value ({v.unit})", "method": "Method"},
    key=f"trends-{v.indicator}",
)
