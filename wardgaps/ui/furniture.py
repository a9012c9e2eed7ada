"""What every page shows around its charts: data-as-at lines, one-line summaries, tables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from wardgaps import analysis, db, text
from wardgaps.text import md_escape
from wardgaps.ui.reproduce import query_box
from wardgaps.ui.view import View


def data_as_at(v: View, methods: str = "") -> None:
    """One line: source, period, release, next release and geography vintage."""
    m = v.meta
    geo = text.vintage_label(v.vintage)
    extra = ""
    if "apportioned" in methods:
        extra = " · includes estimates apportioned from older or smaller areas"
    if v.vintage == 2024 and v.authority.startswith("E09"):
        geo += " (London's wards are unchanged since May 2022)"
    st.caption(
        f"Data as at: {m.get('publisher', '')} · period {v.period_label} · released {m.get('release_date', '')} · "
        f"next release {m.get('next_release', '')} · {geo}{extra}"
    )
    note = analysis.local_note(m)
    if note:
        st.caption(md_escape(note))


def credits(v: View, ids: Sequence[str] | pd.Series, what: str = "Also from") -> None:
    """A caption crediting every source in ``ids`` other than the indicator's own (named by the
    data-as-at line), with its licence and attribution as the publisher asks: e.g. the mySociety
    Composite UK IMD (CC BY 4.0) behind IMD 2019 scores outside London."""
    own = v.meta.get("source_id")
    src = analysis.sources(v.reader).set_index("source_id")
    for sid in dict.fromkeys(str(i) for i in ids if isinstance(i, str)):
        if sid == own or sid not in src.index:
            continue
        s = src.loc[sid]
        st.caption(md_escape(f"{what} {s['publisher']}: {s['title']}. {s['licence']}. {s['attribution']}"))


def data_as_at_many(v: View, items: list[tuple[str, str]]) -> None:
    """The data-as-at line for a view built from several sources: (source id, period)."""
    st.caption(
        "Data as at: "
        + " · ".join(analysis.source_periods(v.reader, items))
        + " · current (May-2024) wards unless marked"
    )


def say(sentence: str) -> None:
    st.markdown(md_escape(sentence))


def summary(sentence: str) -> None:
    st.markdown(f"**In one line:** {md_escape(sentence)}")


def table(
    v: View, df: pd.DataFrame, columns: dict[str, str], key: str, *, calls: Sequence[db.Call] | None = None
) -> None:
    """The chart's table (accessible alternative) with a CSV download and "Show the query" (the
    queries behind it: ``calls`` from the reader's trace, or the page's so far)."""
    show = df[[c for c in columns if c in df.columns]].rename(columns=columns)
    if "period" in columns and columns["period"] in show:
        show[columns["period"]] = show[columns["period"]].map(text.period_label)
    # Shown to 3 decimals (floating-point noise helps nobody); the CSV keeps full precision.
    st.dataframe(show.round(3), hide_index=True, width="stretch")
    st.download_button(
        "Download this table (CSV)",
        show.to_csv(index=False).encode("utf-8"),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv-{key}",
    )
    query_box(v, calls, f"table-{key}")


def sig_label(s: object) -> str:
    return text.sig_label(s)


VINTAGE_LABEL = text.VINTAGE_LABEL
