"""The reference for the map page: a naive one-file ward map, as a first attempt would be.

It reads the raw GeoPackage (May-2022 London wards) and DWP's ward CSV on every rerun, keeps
nothing between runs, and draws a Plotly Express choropleth from the given geometry on a blank
background (``choropleth_map``, ``white-bg``: no tiles). Not ``px.choropleth``: Plotly.js fetches
its world topojson from cdn.plot.ly for any ``choropleth`` trace, even with ``geojson=`` and the
base map hidden, so offline it never draws. ``?authority=E09000019`` picks the authority.
"""

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.express as px
import streamlit as st

RAW = Path(os.environ.get("WARDGAPS_RAW", Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"))
authority = st.query_params.get("authority", "E09000019")

wards = gpd.read_file(RAW / "ons_wards_dec2022_bsc" / "converted" / "wards_dec2022_london_bsc.gpkg")
dwp = pd.read_csv(RAW / "dwp_cilif_local_area_stats_2022_2025" / "4_AHC_Relative_Ward.csv", skiprows=9)
dwp.columns = ["la", "la_code", "ward", "ward_code", "n2024", "n2025", "pct2024", "pct2025"]
dwp["pct"] = pd.to_numeric(dwp["pct2025"].astype(str).str.rstrip("%"), errors="coerce")

shapes = wards[wards["ltla22_code"] == authority]
data = shapes.merge(dwp[["ward_code", "pct"]], left_on="ward22_code", right_on="ward_code", how="left")
west, south, east, north = shapes.total_bounds
st.title(f"Child poverty AHC by ward: {data['ltla22_name'].iloc[0] if len(data) else authority}")
fig = px.choropleth_map(
    data,
    geojson=shapes.set_index("ward22_code").__geo_interface__,
    locations="ward22_code",
    color="pct",
    hover_name="ward22_name",
    map_style="white-bg",
    center={"lon": (west + east) / 2, "lat": (south + north) / 2},
    zoom=11,
)
st.plotly_chart(fig)
