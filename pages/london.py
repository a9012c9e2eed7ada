"""The former "London context" page: its permalinks open the Context page with the same view."""

import streamlit as st

st.switch_page("pages/context.py", query_params=dict(st.query_params))
