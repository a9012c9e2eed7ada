"""London context: every London ward for the chosen indicator, the borough's wards highlighted."""

import streamlit as st

from wardgaps import analysis, charts, text, ui


def body(v: ui.View) -> None:
    st.title(f"London context: {v.meta['short_title']}")
    if v.vintage is None:
        st.info(ui.md_escape(analysis.no_ward_figures_note(v.borough, v.indicator)))
        ui.stop()
    d = analysis.london_table(v.indicator, v.period, v.vintage, public=v.public)
    shown = d.dropna(subset=["value"])
    fig = ui.figure(
        ("london_strip", *v.key),
        lambda: charts.london_strip(shown, v.borough, unit=v.unit, title=f"All London wards, {v.period_label}"),
    )
    ui.chart(fig, "london_strip", sources=(d,))
    ui.data_as_at(v, " ".join(d["method"].dropna().unique()))
    s = analysis.london_summary(d, v.borough)
    if s:
        ui.summary(
            f"Of {s['n']} London wards with a figure shown, {v.borough_name}'s range from {s['bottom']['geo_name']} "
            f"({text.fmt(s['bottom']['value'], v.unit)}) to {s['top']['geo_name']} "
            f"({text.fmt(s['top']['value'], v.unit)}), which ranks {s['top_rank']} in London."
        )
    ui.table(
        d.sort_values("value", ascending=False),
        {
            "geo_name": "Ward",
            "borough_name": "Borough",
            "value": f"Value ({v.unit_label})",
            "rank": "London rank (1 = highest)",
            "method": "Method",
        },
        key=f"london-{v.indicator}-{v.period}",
    )


ui.run("London context", body)
