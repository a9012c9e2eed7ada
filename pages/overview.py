"""Overview: the borough at a glance — headline tiles, widest gaps, wards furthest behind."""

import streamlit as st

from wardgaps import analysis, ui
from wardgaps.stats import fmt

v = ui.view()
st.title(f"{v.borough_name} at a glance")
st.write("Key figures for the borough against London and England, and the widest gaps between its wards.")

TILES = [
    ("Child poverty", "child_poverty_ahc_dwp"),
    ("Deprivation", "households_deprived_any_dimension"),
    ("Overcrowding", "overcrowded_households"),
    ("Tenure: social renting", "social_rented_households"),
]
heads = {ind: analysis.headline(v.borough, ind) for _, ind in TILES}
ui.data_as_at_many([(analysis.indicator_meta(ind)["source_id"], h["period"]) for ind, h in heads.items() if h])
cols = st.columns(len(TILES))
for col, (label, ind) in zip(cols, TILES, strict=True):
    h = heads[ind]
    meta = analysis.indicator_meta(ind)
    with col:
        if h is None:
            st.metric(label, "not available")
            continue
        unit = meta["unit"]
        st.metric(f"{label} ({h['period']})", fmt(h["borough"], unit), help=meta["title"])
        st.caption(f"London {fmt(h['London'], unit)} · England {fmt(h['England'], unit)}")
        ratio = f"{h['ratio']:.1f}×" if h["ratio"] else "n/a"
        st.caption(
            f"Widest ward gap: {h['highest_name']} {fmt(h['highest'], unit)} vs "
            f"{h['lowest_name']} {fmt(h['lowest'], unit)} ({ratio})"
        )

st.subheader("Child poverty after housing costs: two published figures")
dwp = analysis.comparators(v.borough, "child_poverty_ahc_dwp", "FYE 2024")
ecp = analysis.comparators(v.borough, "child_poverty_ahc_ecp", "2023/24")
d = dwp[dwp["label"] == "borough"]["value"]
e = ecp[ecp["label"] == "borough"]["value"]
c1, c2 = st.columns(2)
c1.metric("DWP, FYE 2024 (2023/24)", fmt(d.iloc[0] if len(d) else None, "%"))
c2.metric("End Child Poverty, 2023/24", fmt(e.iloc[0] if len(e) else None, "%"))
st.caption(
    "They differ because DWP's local figures count children under 16 from benefit and tax records calibrated "
    "to its survey, while End Child Poverty (Loughborough University) models after-housing-costs poverty for all "
    "children with local rents; neither is wrong, and only DWP's goes down to wards."
)

st.subheader("Wards furthest behind")
behind = analysis.furthest_behind(v.borough, [ind for _, ind in TILES] + ["imd_score", "income_deprivation_rate"])
top = behind.iloc[0] if len(behind) else None
ui.summary(
    f"{top['geo_name']} is significantly worse than the borough on {int(top['worse_count'])} "
    f"of the {int(top['tested'])} key indicators that have intervals, and sits on average "
    f"{top['mean_position']:.0f}% of the way to the worst end across all {int(top['indicators'])}."
    if len(behind)
    else "No ward figures with intervals are available for this borough."
)
ui.table(
    behind,
    {
        "geo_name": "Ward",
        "worse_count": "Significantly worse than borough (count)",
        "tested": "Indicators with intervals",
        "indicators": "Indicators compared",
        "mean_position": "Average position (100 = worst)",
        "worse_on": "Worse on",
    },
    key="furthest-behind",
)

st.subheader("Worse and worsening")
ww = analysis.worse_and_worsening(v.borough, list(analysis.query("indicator_list")["indicator_id"]))
if ww.empty:
    st.write(
        "No ward is both significantly worse than the borough or England and significantly worsening. "
        "A recent trend needs five comparable periods with intervals on the same ward boundaries, "
        "which only a few series have."
    )
else:
    ui.table(
        ww,
        {"geo_name": "Ward", "indicator": "Indicator", "period": "Latest period", "value": "Value", "marker": "Trend"},
        key="worse-worsening",
    )
