"""London context: every London ward for the chosen indicator, the borough's wards highlighted."""

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts, ui
from wardgaps.db import query
from wardgaps.stats import fmt

v = ui.view()
st.title(f"London context: {v.meta['short_title']}")
if v.vintage is None:
    st.info("This indicator is published for boroughs only.")
    st.stop()
d = query("london_ward_values", indicator_id=v.indicator, period=v.period, vintage=v.vintage)
if ui.is_public():
    d = pd.concat([analysis.public_table(g, v.unit) for _, g in d.groupby("borough_code")]).dropna(subset=["value"])
fig = charts.london_strip(d, v.borough, unit=v.unit, title=f"All London wards, {v.period}")
ui.chart(fig, "london_strip")
ui.data_as_at(v, " ".join(d["method"].dropna().unique()))
mine = d[d["borough_code"] == v.borough]
if len(mine):
    d["London rank"] = d["value"].rank(ascending=False, method="min").astype(int)
    top, bottom = mine.loc[mine["value"].idxmax()], mine.loc[mine["value"].idxmin()]
    ui.summary(
        f"Of {len(d)} London wards, {v.borough_name}'s range from {bottom['geo_name']} "
        f"({fmt(bottom['value'], v.unit)}) to {top['geo_name']} ({fmt(top['value'], v.unit)}), "
        f"which ranks {int(d.loc[top.name, 'London rank'])} in London."
    )
ui.table(
    d.sort_values("value", ascending=False),
    {
        "geo_name": "Ward",
        "borough_name": "Borough",
        "value": f"Value ({v.unit})",
        "London rank": "London rank (1 = highest)",
        "method": "Method",
    },
    key=f"london-{v.indicator}-{v.period}",
)
