"""Reproducible views on the page: "Show the query" under every chart and table, and the data
version a permalink carries (``?v=``). The words and snippets come from :mod:`wardgaps.provenance`.

The box shows no data value: it holds SQL, parameters and code only, drawn with ``st.code`` (never
as HTML or Markdown), so nothing from the URL or the data is interpreted. The version notice names
indicators from the data: it is Markdown-escaped, like every other name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import duckdb
import pandas as pd
import streamlit as st

from wardgaps import db, provenance

log = logging.getLogger("wardgaps")

LABEL = "Show the query"
PUBLIC_NOTE = (
    "These queries return the extract's own rows, before disclosure control. The figures published on this "
    "page are those rows after the public view's rules (small counts hidden, other counts rounded to the "
    "nearest 5), so the two differ where the rules apply."
)


def calls_of(frames: Sequence[pd.DataFrame]) -> list[db.Call]:
    """The queries behind some frames (``attrs["queries"]``, set by ``db.query`` and the analysis
    cache), each once, in the order run (look-ups last); the page's queries so far if the frames
    carry none."""
    calls = [c for f in frames if isinstance(f, pd.DataFrame) for c in f.attrs.get("queries", [])]
    # the view's own rows first; look-ups (the catalogue, the periods on offer) after them
    return sorted(dict.fromkeys(calls or db.recorded()), key=lambda c: not c[1] or c[0] in provenance.LISTS_ONLY)


def query_box(frames: Sequence[pd.DataFrame], key: str, public: bool) -> None:
    """The "Show the query" expander for a chart or table made from ``frames``.

    Drawn lazily: its contents run only when it is open (a rerun on opening), so pages cost no
    more for readers who never open it."""
    calls = calls_of(frames)
    if not calls:
        return
    box = st.expander(LABEL, key=f"query-{key}", on_change="rerun", icon=":material/code:")
    if not box.open:
        return
    with box:
        st.caption(
            f"Data version {provenance.version()}. Run from the repository's root, on the extract this page "
            "read (data/wardgaps.duckdb), each snippet returns the same rows as the app's query."
        )
        if public:
            st.caption(PUBLIC_NOTE)
        for i, (name, params) in enumerate(calls, start=1):
            # name is a checked identifier (db.sql_text refuses anything else), safe as Markdown
            st.markdown(f"**{i}. `queries/{name}.sql`**, bound parameters:")
            # wrapped: a block that scrolls sideways is a region a keyboard cannot reach (WCAG
            # 2.1.1); the copy button still copies the lines as written
            st.code(provenance.params_text(params), language=None, wrap_lines=True)
            st.code(db.sql_text(name).strip(), language="sql", wrap_lines=True)
            st.caption("Python (DuckDB):")
            st.code(provenance.python_snippet(name, params), language="python", wrap_lines=True)
            st.caption(f"The duckdb command line (DuckDB {duckdb.__version__} or later opens this extract):")
            st.code(provenance.cli_snippet(name, params), language="bash", wrap_lines=True)


def link_version(asked: str | None) -> tuple[str | None, str | None]:
    """A permalink's ``v``, checked: (notice, older version to compare pages with)."""
    try:
        return provenance.link_check(asked)
    except Exception:  # the data version must never stop a page from opening
        log.exception("checking the permalink's data version failed")
        return None, None


def version_notice(slot, old_version: str | None, calls: Iterable[db.Call]) -> None:
    """Fill the notice at the top of the page: did its figures change since ``old_version``?"""
    if not old_version:
        return
    from wardgaps.ui.furniture import md_escape  # furniture draws the query boxes: import here

    try:
        slot.info(md_escape(provenance.page_notice(old_version, calls)), icon=":material/history:")
    except Exception:
        log.exception("comparing data versions failed")
