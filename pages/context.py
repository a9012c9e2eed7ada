"""Context: every ward of the authority's region and of its country for the chosen indicator,
the authority's wards highlighted and its extremes labelled."""

import streamlit as st

from wardgaps import analysis, charts, text, ui


def body(v: ui.View) -> None:
    st.title(f"Context: {v.meta['short_title']}")
    if v.vintage is None:
        st.info(ui.md_escape(analysis.no_ward_figures_note(v.reader, v.authority, v.indicator)))
        ui.stop(v)
    areas = {v.region: v.region_name, v.country: v.country_name}  # one entry for Wales
    for code, name in areas.items():
        with v.reader.trace() as strip_calls:
            d = analysis.context_table(v.reader, v.indicator, v.period, v.vintage, code)
        st.subheader(f"{name}: {len(d):,} wards")
        if d["value"].notna().sum() == 0:
            st.info(f"No ward in {name} has a figure for this indicator and period.")
            continue
        shown = d.dropna(subset=["value"])
        fig = ui.figure(
            v,
            ("context_strip", code, *v.key),
            lambda shown=shown, name=name: charts.context_strip(
                shown, v.authority, unit=v.unit, area=name, title=f"All wards in {name}, {v.period_label}"
            ),
        )
        ui.chart(v, fig, f"context_strip_{code}", calls=strip_calls)
        s = analysis.context_summary(d, v.authority)
        if s:
            ui.summary(
                f"Of {s['n']:,} wards in {name} with a figure shown, {v.authority_name}'s range from "
                f"{s['bottom']['geo_name']} ({text.fmt(s['bottom']['value'], v.unit)}) to {s['top']['geo_name']} "
                f"({text.fmt(s['top']['value'], v.unit)}), which ranks {s['top_rank']:,} in {name}."
            )
        # Thousands of rows are a download, not a reading list: the table starts with the
        # authority's own wards (the highlighted points) and lists every ward on request.
        every = st.toggle(f"List every ward of {name} ({len(d):,}) in the table", key=f"context_all_{code}")
        mine = d if every else d[d["authority_code"] == v.authority]
        if not every:
            ranked = f"ranked among the {len(shown):,} in {name} with a figure"
            st.caption(ui.md_escape(f"{v.authority_name}'s {len(mine):,} wards, {ranked}."))
        ui.table(
            v,
            mine.sort_values("value", ascending=False),
            {
                "geo_name": "Ward",
                "authority_name": "Local authority",
                "value": f"Value ({v.unit_label})",
                "rank": f"Rank in {name} (1 = highest)",
                "method": "Method",
            },
            key=f"context-{code}-{v.indicator}-{v.period}" + ("-all" if every else ""),
            calls=strip_calls,
        )
    ui.data_as_at(v, "")


ui.run("Context: region and country", body)
