"""Ward Gaps: the router (page config, navigation)."""

import streamlit as st

st.set_page_config(page_title="Ward Gaps", page_icon=":bar_chart:", layout="wide")

pages = [
    st.Page("pages/indicators.py", title="Indicators", icon=":material/list:", default=True),
]
st.navigation(pages).run()
