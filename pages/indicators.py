"""Indicators: what the extract holds, with sources and periods."""

import streamlit as st

from wardgaps.db import query

st.title("Ward Gaps")
st.write(
    "Inequality between the wards of a London borough, on official statistics. "
    "These are the indicators in the current extract."
)
df = query("indicator_list")
st.caption(f"{len(df)} indicators across {df['theme'].nunique()} themes.")
st.dataframe(
    df.rename(
        columns={
            "indicator_id": "Id",
            "title": "Indicator",
            "short_title": "Short name",
            "theme": "Theme",
            "unit": "Unit",
            "polarity": "Polarity",
            "native_geography": "Native geography",
            "publisher": "Publisher",
            "licence": "Licence",
            "periods": "Periods",
        }
    ),
    hide_index=True,
    use_container_width=True,
)
