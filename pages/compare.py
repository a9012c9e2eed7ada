"""Compare: two to four wards from any authorities, or areas of the council's area set, side by side
on every indicator of a theme, each against its own authority and its country
(``?wards=CODE,CODE&authority=CODE&areas=SET&area=NAME&area=NAME&theme=...``)."""

import streamlit as st

from wardgaps import analysis, charts, text, ui
from wardgaps.analysis import compare


def _area_names(v: ui.View) -> list[str]:
    """The areas named in the link (``?area=NAME``, once per area)."""
    return [a for a in st.query_params.get_all("area") if a.strip()]


def _places(v: ui.View, options: dict[str, str]) -> list[compare.Place]:
    """The wards from ``?wards=`` and the areas of the view's area set from ``?area=`` on first view
    (a bad list said in one sentence), then the pickers. Areas are offered when the sidebar's area
    set is chosen; otherwise the authority's sets are named."""
    areas = compare.area_options(v.reader, v.areas, v.authority) if v.areas else []
    if "compare_wards" not in st.session_state:
        raw, named = st.query_params.get("wards"), _area_names(v) if v.areas else []
        places, problem = ([], "")
        if raw is not None or named:
            places, problem = compare.parse_places(v.reader, raw, v.areas, v.authority, named)
        if problem:
            st.session_state["compare_problem"] = problem
        st.session_state["compare_wards"] = [p.code for p in places if p.kind == "ward"]
        st.session_state["compare_areas"] = [p.name for p in places if p.kind == "area"]
    # the sidebar's set may change: keep only the chosen areas the set still has
    st.session_state["compare_areas"] = [a for a in st.session_state.get("compare_areas", []) if a in areas]
    st.multiselect(
        "Wards to compare (two to four, from any authorities)",
        list(options),
        format_func=options.get,
        key="compare_wards",
        max_selections=compare.MAX_PLACES,
        help="Type a ward's or an authority's name to find it.",
    )
    if areas:
        st.multiselect(
            f"Areas of {v.areas} in {v.authority_name} to compare",
            areas,
            key="compare_areas",
            max_selections=compare.MAX_PLACES,
            help="The council's own areas (groups of wards); another set is chosen under Areas in the sidebar.",
        )
    else:
        sets = analysis.area_set_names(v.reader, v.authority)
        if sets:
            st.caption(
                ui.md_escape(
                    f"{v.authority_name} has area sets ({', '.join(sets)}): choose one under Areas in the sidebar "
                    "to compare its areas as well."
                )
            )
    codes, names = st.session_state["compare_wards"], st.session_state["compare_areas"]
    noun = "wards or areas" if areas else "wards"
    if len(codes) + len(names) >= compare.MIN_PLACES:
        st.session_state.pop("compare_problem", None)
    else:
        for gone in ("wards", "area"):
            if gone in st.query_params:
                del st.query_params[gone]
        # one sentence: what was wrong with the link, or what to do
        said = st.session_state.pop("compare_problem", "")
        said = said or f"Choose at least {compare.MIN_PLACES} {noun} to compare (up to {compare.MAX_PLACES})."
        st.info(ui.md_escape(said))
        ui.stop(v)
    places, problem = compare.parse_places(v.reader, ",".join(codes), v.areas, v.authority, names)
    if problem:  # the pickers offer only current wards and the set's areas, so this is a safeguard
        st.info(ui.md_escape(problem))
        ui.stop(v)
    if codes:
        st.query_params["wards"] = ",".join(codes)
    elif "wards" in st.query_params:
        del st.query_params["wards"]
    if names:
        st.query_params["area"] = names
    elif "area" in st.query_params:
        del st.query_params["area"]
    return places


def _count(places: list[compare.Place]) -> str:
    """ "2 wards", "1 ward and 1 area": the places compared, in words."""
    n = {k: sum(p.kind == k for p in places) for k in ("ward", "area")}
    return " and ".join(f"{c} {k}{'' if c == 1 else 's'}" for k, c in n.items() if c)


def body(v: ui.View) -> None:
    st.title("Compare wards side by side")
    options = analysis.compare.ward_options(v.reader)
    places = _places(v, options)
    if "compare_theme" not in st.session_state:
        want = st.query_params.get("theme")
        if want is not None and want not in ui.THEMES:
            st.info("That theme is not one of Ward Gaps' themes, so the indicator's own theme is shown.")
        st.session_state["compare_theme"] = want if want in ui.THEMES else v.meta.get("theme", "child_poverty")
    theme = st.selectbox("Theme", list(ui.THEMES), format_func=ui.THEMES.get, key="compare_theme")
    st.query_params["theme"] = theme
    with v.reader.trace() as calls:
        long = compare.compare_long(v.reader, places, theme)
    names = " and ".join(p.label for p in places)
    if long.empty:
        st.info(ui.md_escape(f"None of {names} has a figure on this theme."))
        ui.stop(v)
    n_ind = long["indicator_id"].nunique()
    ui.summary(
        f"{_count(places)} on {n_ind} indicator{'' if n_ind == 1 else 's'} of {ui.THEMES[theme].lower()}, "
        "each against its own authority and its country."
    )
    st.caption(
        "Each cell: the figure, its 95% interval, and whether it differs significantly from the place's own "
        "authority and country (Fingertips' rule). ▲ marks significantly worse, ▼ significantly better, △ and "
        "▽ significantly higher or lower where neither is better. Every indicator is shown at the latest period "
        "any of the places has. Counts are not compared with totals. An area's figure is worked out from its "
        "wards' (rates from their summed numerators and denominators, as Data and methods says); an indicator "
        "that cannot be carried to areas says so in its cell."
    )
    for sentence in compare.notable(long):
        ui.say(sentence)
    link = compare.link(places, theme)
    st.markdown("**Link to this comparison** (copy it to share):")
    st.code(f"/compare{link}", language=None)
    wide = compare.compare_wide(long, places)
    ui.table(v, wide, {c: c for c in wide.columns}, key=f"compare-{theme}", calls=calls)

    st.subheader("One indicator, place by place")
    titles = dict(zip(long["indicator_id"], long["short_title"], strict=False))
    if st.session_state.get("compare_indicator") not in titles:
        st.session_state["compare_indicator"] = v.indicator if v.indicator in titles else next(iter(titles))
    chosen = st.selectbox("Indicator", list(titles), format_func=titles.get, key="compare_indicator")
    d = compare.chart_rows(long, chosen)
    unit = d["unit"].iloc[0]
    fig = ui.figure(
        v,
        ("compare", tuple(p.code for p in places), chosen),
        lambda: charts.compared_places(
            d, unit=unit, title=f"{titles[chosen]}, {text.period_label(d['period'].iloc[0])}"
        ),
    )
    ui.chart(v, fig, "compare_chart", calls=calls)
    ui.summary(compare.chart_summary(d))
    ui.table(
        v,
        d,
        {
            "place_name": "Place",
            "kind": "Kind",
            "authority_name": "Authority",
            "period": "Period",
            "value": f"Value ({text.unit_label(unit)})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "against": "Compared with its authority and country",
        },
        key=f"compare-{chosen}",
        calls=calls,
    )


ui.run("Compare wards", body)
