"""Ward profile: one ward across every indicator, with its LSOAs on a small map."""

import numpy as np
import pandas as pd
import streamlit as st

from wardgaps import charts, stats, ui
from wardgaps.db import query
from wardgaps.stats import fmt

v = ui.view()
bounds = query("ward_boundaries", borough_code=v.borough, vintage=2022)
names = dict(zip(bounds["geo_code"], bounds["geo_name"], strict=True))
heading = st.empty()  # the title names the ward chosen just below it
ward = ui.ward_select("profile_ward", names, next(iter(names)))
heading.title(f"Ward profile: {names[ward]}")

p = query("ward_profile", ward_code=ward, vintage=2022)
if ui.is_public():
    # Derived counts (e.g. apportioned estimates) are rounded to 5, or hidden below 10.
    derived = p["method"].isin(["aggregated", "apportioned"]) & (p["unit"] == "count")
    p.loc[derived, "value"] = stats.round_counts(p.loc[derived, "value"]).to_numpy()
    p.loc[derived, "previous_value"] = np.nan


def arrow(r: pd.Series) -> str:
    if pd.isna(r["previous_value"]):
        return "no earlier period"
    d = r["value"] - r["previous_value"]
    word = "up" if d > 0 else "down" if d < 0 else "no change"
    return f"{word} from {fmt(r['previous_value'], r['unit'])} ({r['previous_period']})"


p["Trend"] = [arrow(r) for _, r in p.iterrows()]
p["Value"] = [fmt(x, u) for x, u in zip(p["value"], p["unit"], strict=True)]
p["Borough"] = [fmt(x, u) for x, u in zip(p["borough_value"], p["unit"], strict=True)]
p["London"] = [fmt(x, u) for x, u in zip(p["london_value"], p["unit"], strict=True)]
p["England"] = [fmt(x, u) for x, u in zip(p["england_value"], p["unit"], strict=True)]
p["Rank in borough"] = [f"{int(a)} of {int(b)}" for a, b in zip(p["rank_borough"], p["n_borough"], strict=True)]
p["Rank in London"] = [f"{int(a)} of {int(b)}" for a, b in zip(p["rank_london"], p["n_london"], strict=True)]

judged = p[p["polarity"] == "higher_is_worse"]
top3 = judged[judged["rank_borough"] <= 3]
if len(top3):
    ui.summary(
        f"{names[ward]} is among the borough's three highest wards on {len(top3)} of {len(judged)} indicators "
        f"where higher is worse: {', '.join(top3['short_title'])}."
    )
else:
    ui.summary(f"{names[ward]} is not among the borough's three highest wards on any indicator where higher is worse.")
ui.data_as_at_many(list(zip(p["source_id"], p["period"], strict=True)))
st.caption("Rank 1 = the highest value. May-2022 ward boundaries; older series are on the Trends page.")
ui.table(
    p,
    {
        "short_title": "Indicator",
        "period": "Period",
        "Value": "Ward",
        "Borough": "Borough",
        "London": "London",
        "England": "England",
        "Rank in borough": "Rank in borough",
        "Rank in London": "Rank in London",
        "Trend": "Trend",
        "method": "Method",
        "status": "Status",
    },
    key=f"profile-{ward}",
)

st.subheader("The ward's neighbourhoods (LSOAs)")
ls = query("ward_lsoas", ward_code=ward)
if len(ls):
    fig = charts.choropleth(
        ls,
        ls.rename(columns={"imd_score": "value"}),
        value_label="IMD 2025 score",
        unit="score",
        polarity="higher_is_worse",
        title=f"IMD 2025 score by LSOA in {names[ward]}",
    )
    ui.chart(fig, "profile_map")
    ui.summary(
        f"{names[ward]} is made of {len(ls)} LSOAs with IMD 2025 scores from "
        f"{ls['imd_score'].min():.1f} to {ls['imd_score'].max():.1f}."
    )
    ui.table(ls, {"geo_code": "LSOA", "geo_name": "Name", "imd_score": "IMD 2025 score"}, key=f"profile-lsoas-{ward}")
