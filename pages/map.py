"""Ward map: choropleth of the chosen indicator, the table of all wards under it."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wardgaps import analysis, charts, disclosure, text, ui

SCHEMES = ["Quantiles", "Equal intervals", "Natural breaks", "Continuous", "Significance vs authority"]


def _with_places(fig: go.Figure, places: pd.DataFrame | None) -> go.Figure:
    """The map with the council's own places on it, when asked for."""
    return fig if places is None else charts.add_places(fig, places)


def _with_outlines(fig: go.Figure, outlines: pd.DataFrame | None) -> go.Figure:
    """The map with the council's own areas outlined over the wards, when a set is chosen."""
    return fig if outlines is None or outlines.empty else charts.add_outlines(fig, outlines)


def body(v: ui.View) -> None:
    st.title(f"Ward map: {v.meta['short_title']}")
    with v.reader.trace() as figures:
        t = ui.ward_figures(v, "ward map")
        bounds = analysis.ward_boundaries(v.reader, v.authority, v.vintage)
        outlines = analysis.area_outlines(v.reader, v.areas, v.authority, v.vintage) if v.areas else None
    names = dict(zip(t["geo_code"], t["geo_name"], strict=True))

    c1, c2, c3 = st.columns([2, 1, 2])
    schemes = SCHEMES if v.unit != "count" else SCHEMES[:4]  # counts are not tested for significance
    scheme = c1.radio("Colour by", schemes, horizontal=True, key="scheme")
    k = c2.selectbox(
        "Number of classes",
        [3, 4, 5, 6],
        index=2,
        key="k",
        disabled=scheme in ("Continuous", "Significance vs authority"),
    )
    pockets = c3.toggle("Show pockets of deprivation (LSOAs)", key="pockets")

    places = analysis.council_places(v.reader, v.authority)
    overlay = (
        st.checkbox("Show our places", key="map_places", help="The council's own places (add-places), as stars.")
        if len(places)
        else False
    )

    ranked = analysis.ranked_wards(t)
    ward = ui.ward_select("map_ward", names, ranked["geo_code"].iloc[0] if len(ranked) else next(iter(names)))

    if pockets:
        layers = analysis.lsoa_layers(v.reader, v.authority)
        if layers.empty:
            st.info(
                ui.md_escape(
                    f"There are no neighbourhood (LSOA) measures to map for {v.authority_name}: they come from the "
                    "English Indices of Deprivation, which cover England only."
                )
            )
            ui.stop(v)
        # The sidebar's indicator and period, when they exist by LSOA, are the first choice.
        mine = (layers["indicator_id"] == v.indicator) & (layers["period"] == v.period)
        start = int(mine.to_numpy().argmax()) if mine.any() else 0
        choice = st.selectbox("Neighbourhood measure", list(layers["label"]), index=start, key="lsoa_measure")
        row = layers[layers["label"] == choice].iloc[0]
        with v.reader.trace() as lsoa_calls:
            ls = analysis.lsoa_values(v.reader, v.authority, row["indicator_id"], row["period"])
        fig = ui.figure(
            v,
            ("lsoa_map", v.authority, row["indicator_id"], row["period"], scheme, k, overlay),
            lambda: _with_places(
                charts.choropleth(
                    ls,
                    ls,
                    value_label=row["short_title"],
                    unit=row["unit"],
                    polarity=row["polarity"],
                    scheme="Quantiles" if scheme == "Significance vs authority" else scheme,
                    k=k,
                    title=f"{row['short_title']} {row['period']} by LSOA in {v.authority_name}",
                ),
                places if overlay else None,
            ),
        )
    else:
        fig = ui.figure(
            v,
            ("ward_map", *v.key, scheme, k, ward, overlay, v.areas),
            lambda: _with_outlines(
                _with_places(
                    charts.choropleth(
                        bounds,
                        t,
                        value_label=v.meta["short_title"],
                        unit=v.unit,
                        polarity=analysis.polarity(v.meta),
                        scheme=scheme,
                        k=k,
                        title=f"{v.meta['title']}, {v.period_label}",
                        selected=ward,
                    ),
                    places if overlay else None,
                ),
                outlines,
            ),
        )
    event = ui.chart(
        v, fig, "map_chart", calls=lsoa_calls if pockets else figures, on_select="rerun", selection_mode="points"
    )
    points = event.selection.points if event and event.selection else []
    picked = charts.picked_areas(points, bounds) if not pockets else []
    if picked and picked[0] != ward:
        st.session_state["map_ward"] = picked[0]
        st.rerun()

    if overlay:
        ui.say(
            f"Stars mark the council's {len(places)} place{'s' if len(places) != 1 else ''} in {v.authority_name} ("
            + ", ".join(sorted(places["kind"].unique()))
            + "); Need around places sets need against them."
        )
    ui.data_as_at(v, " ".join(t["method"].dropna().unique()))
    ui.credits(v, t["source_id"])
    if len(ranked):
        sel = t[t["geo_code"] == ward].iloc[0]
        shown = disclosure.NOT_SHOWN if sel["suppressed"] else text.fmt(sel["value"], v.unit)
        hi, lo = ranked.iloc[0], ranked.iloc[-1]
        partial = " shown" if v.public and t["suppressed"].any() else ""
        same = analysis.one_figure_note(t, v.unit)
        ui.summary(
            f"{same[:-1]}; {sel['geo_name']} is {shown}."
            if same
            else f"{hi['geo_name']} has the highest figure{partial} ({text.fmt(hi['value'], v.unit)}) "
            f"and {lo['geo_name']} the lowest{partial} ({text.fmt(lo['value'], v.unit)}); {sel['geo_name']} is {shown}."
        )
        comp = analysis.comparators(
            v.reader, v.authority, v.indicator, v.period, similar=v.similar, benchmark=v.benchmark
        )
        for sentence in analysis.narrative_for_ward(sel, comp, v.unit, v.public):
            ui.say(sentence)
    t["Compared with authority"] = (
        [text.sig_label(s) for s in t["vs_authority"]] if "vs_authority" in t else text.NOT_COMPARED
    )
    ui.table(
        v,
        t.sort_values("value", ascending=False),
        {
            "geo_code": "Ward code",
            "geo_name": "Ward",
            "value": f"Value ({v.unit_label})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "rank": "Rank (1 = highest)",
            "Compared with authority": "Compared with authority",
            "method": "Method",
            "status": "Status",
        },
        key=f"map-{v.indicator}-{v.period}",
        calls=figures,
    )
    if v.areas:
        ui.areas.area_map(v, scheme)


ui.run("Ward map", body)
