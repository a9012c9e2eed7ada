"""Data and methods: every indicator and source, how wards are handled, and downloads."""

import json

import streamlit as st

from wardgaps import ui
from wardgaps.db import query

v = ui.view()
st.title("Data and methods")
st.write(
    "Every figure comes from an official file through Ward Gaps' build; nothing is typed in by hand. "
    "Published figures are kept exactly as published. Ward figures built from smaller areas are "
    "**aggregated** (whole LSOAs by best fit) or **apportioned** (split by population weights, with a fit quality "
    "from 0 to 1: the population-weighted share of the contributing areas that lies inside the ward)."
)
st.subheader("Wards before and after May 2022")
st.write(
    "Islington's wards changed in May 2022 (16 to 17), as did many London boroughs'. Series on older wards stay on "
    "their own boundaries (2014 or 2018). Counts are carried onto the new wards only as apportioned estimates, through "
    "2011 LSOAs weighted by population; medians and ranks are never apportioned. Census 2021 tables are perturbed by "
    "ONS at every geography, so ward figures need not add up to the published borough figure."
)
ui.table(
    query("fit_quality"),
    {
        "indicator_id": "Indicator",
        "apportioned_rows": "Apportioned figures",
        "fit_min": "Fit (min)",
        "fit_median": "Fit (median)",
        "fit_mean": "Fit (mean)",
    },
    key="fit-quality",
)

st.subheader("Indicators")
cat = query("indicator_catalogue")
ui.table(
    cat,
    {
        "indicator_id": "Id",
        "title": "Indicator",
        "theme": "Theme",
        "unit": "Unit",
        "polarity": "Polarity",
        "definition": "Definition",
        "ci_method": "Intervals",
        "native_geography": "Native geography",
        "caveats": "Caveats",
        "licence": "Licence",
        "release_date": "Released",
        "next_release": "Next release",
    },
    key="indicators",
)

st.subheader("Sources")
src = query("sources_list")
src["files"] = [", ".join(f["file"].split("/")[-1] for f in json.loads(x)) for x in src["raw_files"]]
ui.table(
    src,
    {
        "source_id": "Id",
        "publisher": "Publisher",
        "title": "Title",
        "url": "Landing page",
        "licence": "Licence",
        "attribution": "Attribution",
        "release_date": "Released",
        "next_release": "Next release",
        "files": "Files read",
    },
    key="sources",
)

st.subheader("Downloads")
if v.vintage is not None:
    t = ui.ward_figures(v, "ward download")
    view = t.assign(indicator_id=v.indicator, unit=v.unit, period=v.period, vintage=v.vintage)
    cols = [
        "geo_code",
        "geo_name",
        "indicator_id",
        "unit",
        "period",
        "vintage",
        "value",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
        "borough_value",
        "London_value",
        "England_value",
        "vs_borough",
        "vs_London",
        "vs_England",
        "method",
        "status",
        "fit_quality",
    ]
    view = view[[c for c in cols if c in view.columns]]
    st.download_button(
        "Current view (CSV)",
        view.to_csv(index=False).encode(),
        f"wardgaps-{v.borough}-{v.indicator}.csv",
        "text/csv",
        key="dl-view-csv",
    )
    st.download_button(
        "Current view (XLSX)",
        ui.xlsx_bytes({"wards": view, "indicator": cat[cat["indicator_id"] == v.indicator]}),
        f"wardgaps-{v.borough}-{v.indicator}.xlsx",
        key="dl-view-xlsx",
    )
if ui.is_public():
    st.caption("The whole extract is offered in the full view only: the public view applies disclosure control.")
else:
    st.download_button(
        "Whole extract: observations (CSV)",
        ui.extract_csv(),
        "wardgaps-observations.csv",
        "text/csv",
        key="dl-extract",
    )
