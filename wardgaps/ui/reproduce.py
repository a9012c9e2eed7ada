"""Reproducible views on the page: "Show the query" under every chart and table, and the data
version a permalink carries (``?v=``). The words and snippets come from :mod:`wardgaps.provenance`.

The box shows no data value: it holds SQL, parameters and code only, drawn with ``st.code`` (never
as HTML or Markdown), so nothing from the URL or the data is interpreted. The queries are those
the run's reader ran, against the extract it read: the public extract in the public view, where
they return exactly the figures the page shows. The version notice names indicators from the
data: it is Markdown-escaped, like every other name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import duckdb
import streamlit as st

from wardgaps import db, provenance
from wardgaps.text import md_escape
from wardgaps.ui.view import View

log = logging.getLogger("wardgaps")

LABEL = "Show the query"
PUBLIC_NOTE = (
    "These queries read the public extract, in which the public view's rules are already applied (small counts "
    "hidden, other counts rounded to the nearest 5): they return exactly the figures this page shows."
)


def ordered(calls: Iterable[db.Call]) -> list[db.Call]:
    """The queries, each once, in the order run, with look-ups (the catalogue, the periods on
    offer) after the view's own rows."""
    return sorted(dict.fromkeys(calls), key=lambda c: not c[1] or c[0] in provenance.LISTS_ONLY)


def query_box(v: View, calls: Sequence[db.Call] | None, key: str) -> None:
    """The "Show the query" expander for a chart or table: the queries behind it (``calls``,
    from the reader's :meth:`~wardgaps.db.Reader.trace`), or the page's so far.

    Drawn lazily: its contents run only when it is open (a rerun on opening), so pages cost no
    more for readers who never open it."""
    shown = ordered(v.reader.calls if calls is None else calls)
    if not shown:
        return
    box = st.expander(LABEL, key=f"query-{key}", on_change="rerun", icon=":material/code:")
    if not box.open:
        return
    extract = v.reader.file_label
    with box:
        st.caption(
            f"Data version {v.reader.version}. Run from the repository's root, on the extract this page "
            f"read ({extract}), each snippet returns the same rows as the app's query."
        )
        if v.public:
            st.caption(PUBLIC_NOTE)
        for i, (name, params) in enumerate(shown, start=1):
            # name is a checked identifier (db.sql_text refuses anything else), safe as Markdown
            st.markdown(f"**{i}. `queries/{name}.sql`**, bound parameters:")
            # Plain text, wrapped: a block that scrolls sideways is a region a keyboard cannot reach
            # (WCAG 2.1.1), and Streamlit's syntax colours (grey comments, blue keywords) fall short of
            # 4.5:1 contrast on its code background (WCAG 1.4.3); the copy button copies the lines as written
            st.code(provenance.params_text(params), language=None, wrap_lines=True)
            st.caption("SQL:")
            st.code(db.sql_text(name).strip(), language=None, wrap_lines=True)
            st.caption("Python (DuckDB):")
            st.code(provenance.python_snippet(name, params, extract), language=None, wrap_lines=True)
            st.caption(f"The duckdb command line (DuckDB {duckdb.__version__} or later opens this extract):")
            st.code(provenance.cli_snippet(name, params, extract), language=None, wrap_lines=True)


def link_version(r: db.Reader, asked: str | None) -> tuple[str | None, str | None]:
    """A permalink's ``v``, checked: (notice, older version to compare pages with)."""
    try:
        return provenance.link_check(r, asked)
    except Exception:  # the data version must never stop a page from opening
        log.exception("checking the permalink's data version failed")
        return None, None


def version_notice(slot, r: db.Reader, old_version: str | None, calls: Iterable[db.Call]) -> None:
    """Fill the notice at the top of the page: did its figures change since ``old_version``?"""
    if not old_version:
        return
    try:
        slot.info(md_escape(provenance.page_notice(r, old_version, calls)), icon=":material/history:")
    except Exception:
        log.exception("comparing data versions failed")
