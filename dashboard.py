"""Ward Gaps: the router — page config, the shared sidebar, navigation."""

import streamlit as st

from wardgaps import ui

st.set_page_config(page_title="Ward Gaps", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),  # served at /
    st.Page("pages/map.py", title="Ward map", icon=":material/map:", url_path="map"),
    st.Page("pages/gaps.py", title="Ward gaps", icon=":material/bar_chart:", url_path="gaps"),
    st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/profile.py", title="Ward profile", icon=":material/location_on:", url_path="profile"),
    st.Page("pages/london.py", title="London context", icon=":material/scatter_plot:", url_path="london"),
    st.Page("pages/briefing.py", title="Briefing packs", icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/methods.py", title="Data and methods", icon=":material/description:", url_path="methods"),
    st.Page("pages/accessibility.py", title="Accessibility", icon=":material/accessibility:", url_path="accessibility"),
]

page = st.navigation(PAGES)
try:
    st.session_state["_view"] = ui.sidebar()
    st.session_state["_view_fresh"] = True
except Exception:  # never a traceback for users; the page shows a plain sentence instead
    st.session_state["_view"] = None
page.run()
