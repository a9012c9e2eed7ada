"""Compare: two to four wards from any authorities side by side on every indicator of a theme,
each against its own authority and its country (``?wards=CODE,CODE,...&theme=...``)."""

import streamlit as st

from wardgaps import analysis, charts, text, ui
from wardgaps.analysis import compare


def _wards(v: ui.View, options: dict[str, str]) -> list[compare.Place]:
    """The wards from ``?wards=`` on first view (a bad list said in one sentence), then the picker."""
    if "compare_wards" not in st.session_state:
        raw = st.query_params.get("wards")
        places, problem = compare.parse_places(v.reader, raw) if raw is not None else ([], "")
        if problem:
            st.session_state["compare_problem"] = problem
        st.session_state["compare_wards"] = [p.code for p in places]
    st.multiselect(
        "Wards to compare (two to four, from any authorities)",
        list(options),
        format_func=options.get,
        key="compare_wards",
        max_selections=compare.MAX_PLACES,
        help="Type a ward's or an authority's name to find it.",
    )
    codes = st.session_state["compare_wards"]
    if len(codes) >= compare.MIN_PLACES:
        st.session_state.pop("compare_problem", None)
    if len(codes) < compare.MIN_PLACES:
        if "wards" in st.query_params:
            del st.query_params["wards"]
        # one sentence: what was wrong with the link, or what to do
        said = st.session_state.pop("compare_problem", "")
        st.info(said or f"Choose at least {compare.MIN_PLACES} wards to compare (up to {compare.MAX_PLACES}).")
        ui.stop(v)
    places, problem = compare.parse_places(v.reader, ",".join(codes))
    if problem:  # the picker offers only current wards, so this is a safeguard
        st.info(problem)
        ui.stop(v)
    st.query_params["wards"] = ",".join(codes)
    return places


def body(v: ui.View) -> None:
    st.title("Compare wards side by side")
    options = analysis.compare.ward_options(v.reader)
    places = _wards(v, options)
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
        f"{len(places)} wards on {n_ind} indicator{'' if n_ind == 1 else 's'} of {ui.THEMES[theme].lower()}, "
        "each against its own authority and its country."
    )
    st.caption(
        "Each cell: the figure, its 95% interval, and whether it differs significantly from the ward's own "
        "authority and country (Fingertips' rule). ▲ marks significantly worse, ▼ significantly better, △ and "
        "▽ significantly higher or lower where neither is better. Every indicator is shown at the latest period "
        "any of the wards has. Counts are not compared with totals."
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
            "place_name": "Ward",
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
