"""The reference for every benchmark: the smallest Streamlit page, served the same way."""

import streamlit as st

st.title("Blank")
