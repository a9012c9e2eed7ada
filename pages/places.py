"""Need around places: for each of the council's own places, the need in the areas around it, and
the areas of highest need farthest from every place (the community-hubs question)."""

import streamlit as st

from wardgaps import analysis, charts, text, ui

ADD_COMMAND = "python -m wardgaps add-places --csv places.csv"
ALL_KINDS = "All kinds"


def body(v: ui.View) -> None:
    st.title(f"Need around places: {v.authority_name}")
    places = analysis.council_places(v.reader, v.authority)
    if places.empty:
        st.info(
            ui.md_escape(
                f"No places of the council's own are loaded for {v.authority_name}. Add them with "
                f"{ADD_COMMAND} (columns name, kind, and latitude and longitude or easting and northing; "
                "see data/README.md), then reload this page."
            )
        )
        ui.stop(v)
    if not places["published"].all():
        n = int((~places["published"].astype(bool)).sum())
        ui.say(
            f"Not published: {n} of these {len(places)} places, marked (not published) by name, are kept out of the "
            "public view until the council publishes them (python -m wardgaps set-published --places KIND)."
        )
    options = analysis.need_options(v.reader, v.authority)
    if options.empty:
        st.info(ui.md_escape(f"There are no measures of need by LSOA or ward for {v.authority_name}."))
        ui.stop(v)

    c1, c2, c3 = st.columns([3, 1, 2])
    choice = c1.selectbox("Measure of need", list(options["label"]), key="need_measure")
    distance = c2.selectbox(
        "Distance", list(analysis.DISTANCES), format_func=analysis.DISTANCES.get, index=1, key="need_distance"
    )
    kinds = [ALL_KINDS, *sorted(places["kind"].unique())]
    kind = c3.selectbox("Places", kinds, key="need_kind")
    row = options[options["label"] == choice].iloc[0]
    ind, period, level, unit = row["indicator_id"], row["period"], row["area_level"], row["unit"]
    what = row["short_title"]
    areas_word = "wards" if level == "ward" else "LSOAs"
    dist_label = analysis.DISTANCES[distance]
    kind_arg = None if kind == ALL_KINDS else kind
    with v.reader.trace() as need_calls:
        summary, areas, far = analysis.need_around_places(
            v.reader, v.authority, ind, period, level, distance, kind=kind_arg
        )
        whole = analysis.authority_mean(v.reader, v.authority, ind, period, level)
    weight_word = "children counted" if level == "ward" else "residents (Census 2021)"
    st.caption(
        f"Each place's figure: the mean of {what}, {text.period_label(period)}, over the {areas_word} whose "
        f"representative point lies within {dist_label} of it, weighted by "
        + (
            "each ward's children counted (the denominator), since child poverty is published by ward only. "
            if level == "ward"
            else "each LSOA's Census 2021 population. "
        )
        + f"Only {v.authority_name}'s own {areas_word} are counted. {analysis.POINT_NOTE}"
    )
    if v.public:
        st.caption(analysis.PUBLIC_NOTE)

    st.subheader(f"{what} around each place")
    shown = summary.dropna(subset=["value"])
    empty = summary[summary["value"].isna()]
    if shown.empty:
        st.info(
            ui.md_escape(
                f"No {areas_word} have their representative point within {dist_label} of a place; "
                "try a longer distance."
            )
        )
    else:
        fig = ui.figure(
            v,
            ("need_bars", v.authority, ind, period, distance, kind, v.public),
            lambda: charts.place_bars(
                shown,
                unit=unit,
                value_label=what,
                authority_value=whole,
                title=f"{what} within {dist_label} of each place, {v.authority_name}",
            ),
        )
        ui.chart(v, fig, "need_bars", calls=need_calls)
        top = shown.sort_values("value", ascending=False).iloc[0]
        ui.summary(
            f"Need is highest around {top['name']} ({text.fmt(top['value'], unit)} over {int(top['areas'])} "
            f"{areas_word}), against {text.fmt(whole, unit)} across {v.authority_name}."
        )
    if len(empty):
        ui.say(f"Places with no {areas_word} within {dist_label}: " + ", ".join(empty["name"]) + ".")
    ui.table(
        v,
        summary.assign(weight=summary["weight"].round(0).astype("Int64")),
        {
            "name": "Place",
            "kind": "Kind",
            "value": f"{what} ({text.unit_label(unit)})",
            "areas": f"{areas_word[0].upper()}{areas_word[1:]} within {dist_label}",
            "weight": weight_word[0].upper() + weight_word[1:],
            **({"hidden": "Hidden (small numbers)"} if v.public else {}),
        },
        key=f"need-{ind}-{distance}",
        calls=need_calls,
    )

    st.subheader("Highest need farthest from any place")
    higher_better = analysis.polarity(analysis.indicator_meta(v.reader, ind) or {}) == "higher_is_better"
    order = "lowest" if higher_better else "highest"
    if far.empty:
        ui.summary(
            f"Every {areas_word[:-1]} with a figure has its representative point within {dist_label} of a place."
        )
    else:
        ui.summary(
            f"Of the {areas_word} more than {dist_label} from every place, {far.iloc[0]['geo_name']} has the {order} "
            f"{what} ({text.fmt(far.iloc[0]['value'], unit)}), "
            f"{analysis.distance_label(far.iloc[0]['distance_m'])} from the nearest place ({far.iloc[0]['nearest']})."
        )
        ui.table(
            v,
            far.assign(distance_km=(far["distance_m"] / 1000).round(2)),
            {
                "geo_code": "Code",
                "geo_name": "Ward" if level == "ward" else "LSOA",
                "value": f"{what} ({text.unit_label(unit)})",
                "nearest": "Nearest place",
                "distance_km": "Distance to it (km)",
            },
            key=f"need-far-{ind}-{distance}",
            calls=need_calls,
        )

    st.subheader("Map")
    fig = ui.figure(
        v,
        ("need_map", v.authority, ind, period, distance, kind, v.public),
        lambda: charts.add_places(
            charts.add_circles(
                charts.choropleth(
                    areas[["geo_code", "geojson", "label_lon", "label_lat"]],
                    areas.drop(columns=["geojson", "label_lon", "label_lat"]),
                    value_label=what,
                    unit=unit,
                    polarity=row["polarity"],
                    title=f"{what}, {text.period_label(period)}, by {areas_word[:-1] if level == 'ward' else 'LSOA'}, "
                    f"and the council's places ({dist_label} around each)",
                ),
                summary,
                distance,
                dist_label,
            ),
            summary,
        ),
    )
    ui.chart(v, fig, "need_map", calls=need_calls)
    within = int(areas["within"].sum())
    ui.summary(
        f"{within} of {v.authority_name}'s {len(areas)} {areas_word} have their representative point within "
        f"{dist_label} of a place (stars on the map, dashed circles around them); the table above lists the "
        f"{order}-need ones beyond."
    )


ui.run("Need around places", body)
