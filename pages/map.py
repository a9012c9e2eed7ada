"""Ward map: choropleth of the chosen indicator, the table of all wards under it."""

import streamlit as st

from wardgaps import analysis, charts, ui
from wardgaps.db import query
from wardgaps.stats import fmt

v = ui.view()
st.title(f"Ward map: {v.meta['short_title']}")
t = ui.ward_figures(v, "ward map")
bounds = query("ward_boundaries", borough_code=v.borough, vintage=v.vintage)
names = dict(zip(t["geo_code"], t["geo_name"], strict=True))

c1, c2, c3 = st.columns([2, 1, 2])
scheme = c1.radio(
    "Colour by",
    ["Quantiles", "Equal intervals", "Natural breaks", "Continuous", "Significance vs borough"],
    horizontal=True,
    key="scheme",
)
k = c2.selectbox(
    "Number of classes", [3, 4, 5, 6], index=2, key="k", disabled=scheme in ("Continuous", "Significance vs borough")
)
pockets = c3.toggle("Show pockets of deprivation (LSOAs)", key="pockets")

ranked = t.dropna(subset=["value"]).sort_values("value", ascending=False)
default_ward = ranked["geo_code"].iloc[0] if len(ranked) else None
ward = ui.ward_select("map_ward", names, default_ward)

if pockets:
    lp = query("lsoa_periods", borough_code=v.borough)
    measures = [f"{r.short_title} {r.period}" for r in lp.itertuples()]
    row = lp.iloc[measures.index(st.selectbox("Neighbourhood measure", measures, key="lsoa_measure"))]
    ls = query("lsoa_values", borough_code=v.borough, indicator_id=row["indicator_id"], period=row["period"])
    title = f"{row['short_title']} {row['period']} by LSOA in {v.borough_name}"
    fig = charts.choropleth(
        ls,
        ls,
        value_label=row["short_title"],
        unit="score",
        polarity="higher_is_worse",
        scheme="Quantiles" if scheme == "Significance vs borough" else scheme,
        k=k,
        title=title,
    )
else:
    title = f"{v.meta['title']}, {v.period}"
    fig = charts.choropleth(
        bounds,
        t,
        value_label=v.meta["short_title"],
        unit=v.unit,
        polarity=v.meta["polarity"],
        scheme=scheme,
        k=k,
        title=title,
        selected=ward,
    )
event = ui.chart(fig, "map_chart", on_select="rerun", selection_mode="points")
points = event.selection.points if event and event.selection else []
picked = charts.picked_areas(points, bounds) if not pockets else []
if picked and picked[0] != ward:
    st.session_state["map_ward"] = picked[0]
    st.rerun()

ui.data_as_at(v, " ".join(t["method"].dropna().unique()))
if len(ranked):
    sel = t[t["geo_code"] == ward].iloc[0]
    ui.summary(
        f"{ranked.iloc[0]['geo_name']} has the highest figure ({fmt(ranked.iloc[0]['value'], v.unit)}) and "
        f"{ranked.iloc[-1]['geo_name']} the lowest ({fmt(ranked.iloc[-1]['value'], v.unit)}); "
        f"{sel['geo_name']} is {fmt(sel['value'], v.unit)}."
    )
    comp = analysis.comparators(v.borough, v.indicator, v.period)
    for sentence in analysis.narrative_for_ward(sel, comp, v.unit, public=ui.is_public()):
        ui.say(sentence)
t["Compared with borough"] = [ui.sig_label(s) for s in t.get("vs_borough", [None] * len(t))]
ui.table(
    t.sort_values("value", ascending=False),
    {
        "geo_code": "Ward code",
        "geo_name": "Ward",
        "value": f"Value ({v.unit})",
        "lower_95": "95% CI lower",
        "upper_95": "95% CI upper",
        "rank": "Rank (1 = highest)",
        "Compared with borough": "Compared with borough",
        "method": "Method",
        "status": "Status",
    },
    key=f"map-{v.indicator}-{v.period}",
)
