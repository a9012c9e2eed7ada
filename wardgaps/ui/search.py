"""The sidebar's indicator search: a text box over every indicator's titles, definition, source
and theme (:func:`wardgaps.analysis.search.search_indicators`), and a list of what it finds that
sets the view's indicator. Both are ordinary widgets, reached and used by keyboard."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from wardgaps import analysis, db
from wardgaps.analysis.search import search_indicators


def _picked(ind_theme: Mapping[str, str]) -> None:
    """A search result chosen: it becomes the view's indicator (and theme); the search is cleared."""
    chosen = st.session_state.get("w_search_pick")
    if chosen in ind_theme:
        st.session_state["indicator"] = chosen
        st.session_state["theme"] = ind_theme[chosen]
    st.session_state["indicator_search"] = ""
    st.session_state["w_search_pick"] = None


def search_box(r: db.Reader, ind_theme: Mapping[str, str], themes: Mapping[str, str]) -> list[str]:
    """Draw the search box (in the sidebar's flow) and, when it finds anything, the list of matches;
    returns the ids found (none for an empty box)."""
    query = st.text_input(
        "Search indicators",
        key="indicator_search",
        placeholder="e.g. overcrowding, air quality",
        help="Searches every indicator's title, definition, source and theme; choose a match to show it.",
    )
    rows = [m for m in analysis.indicators_by_id(r).values() if m["indicator_id"] in ind_theme]
    found = search_indicators(rows, query or "", themes)
    if query and not found:
        st.caption("No indicator matches those words.")
    elif found:
        titles = {i: analysis.indicator_meta(r, i)["short_title"] for i in found}
        st.selectbox(
            f"Matching indicators ({len(found)})",
            found,
            index=None,
            format_func=titles.get,
            placeholder="Choose one to show it",
            key="w_search_pick",
            on_change=_picked,
            args=(ind_theme,),
        )
    return found
