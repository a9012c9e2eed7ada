"""Ward Gaps: the entry point and its first page, the Overview.

``streamlit run dashboard.py`` serves this page at ``/`` and every script in ``pages/`` at its own
URL (Streamlit's ``pages/`` convention); each page draws the shared sidebar through ``ui.run``.
"""

import streamlit as st

from wardgaps import analysis, text, ui

TILES = [
    ("Child poverty", "child_poverty_ahc_dwp"),
    ("Deprivation", "households_deprived_any_dimension"),
    ("Overcrowding", "overcrowded_households"),
    ("Tenure: social renting", "social_rented_households"),
]
KEY_INDICATORS = [ind for _, ind in TILES] + ["imd_score", "income_deprivation_rate"]


def body(v: ui.View) -> None:
    st.title(f"{v.authority_name} at a glance")
    st.write(f"Key figures for {v.authority_name} against {v.comparator_names}, and the widest gaps between its wards.")
    longest = analysis.longest_series(v.reader, v.authority)
    if longest:
        ui.say(
            f"The longest ward series {v.authority_name} has: {longest['short_title']}, "
            f"{text.period_label(longest['first_period'])} to {text.period_label(longest['last_period'])} "
            f"({longest['periods']} periods, {text.vintage_label(longest['vintage'])}); see Trends."
        )
    span = analysis.theme_span(v.reader, v.authority, "child_poverty")
    if span:
        ui.say(
            f"The longest span of child poverty ward figures: {text.period_label(span['first_period'])} to "
            f"{text.period_label(span['last_period'])} ({span['years']} financial years) in "
            f"{len(span['parts'])} series, one after another and never joined: " + "; ".join(span["parts"]) + "."
        )
    heads = {
        ind: analysis.headline(v.reader, v.authority, ind, similar=v.similar, benchmark=v.benchmark) for _, ind in TILES
    }
    ui.data_as_at_many(
        v, [(analysis.indicator_meta(v.reader, ind)["source_id"], h["period"]) for ind, h in heads.items() if h]
    )
    for col, (label, ind) in zip(st.columns(len(TILES)), TILES, strict=True):
        h, meta = heads[ind], analysis.indicator_meta(v.reader, ind)
        with col:
            if h is None:
                st.metric(label, "not available")
                continue
            unit = meta["unit"]
            st.metric(f"{label} ({text.period_label(h['period'])})", text.fmt(h["authority"], unit), help=meta["title"])
            levels = dict(v.comparator_levels)
            if "similar authorities" in h:  # the comparison groups chosen in the sidebar
                levels["similar authorities"] = "Similar authorities"
            if h.get("benchmark_name"):
                levels["benchmark"] = h["benchmark_name"]
            st.caption(" · ".join(f"{name} {text.fmt(h[level], unit)}" for level, name in levels.items()))
            if h["withheld"]:
                st.caption(h["withheld"])
            elif h["highest_name"]:
                ratio = f"{h['ratio']:.1f}×" if h["ratio"] else "n/a"
                st.caption(
                    f"Widest ward gap: {ui.md_escape(h['highest_name'])} {text.fmt(h['highest'], unit)} vs "
                    f"{ui.md_escape(h['lowest_name'])} {text.fmt(h['lowest'], unit)} ({ratio})"
                )

    st.subheader("Child poverty after housing costs: two published figures")
    two = analysis.two_child_poverty_figures(v.reader, v.authority)
    if two is None:
        st.write("DWP and End Child Poverty have no financial year in common for this authority.")
    else:
        c1, c2 = st.columns(2)
        c1.metric(f"DWP, {two['period']}", text.fmt(two["dwp"], "%"))
        c2.metric(f"End Child Poverty, {two['period']}", text.fmt(two["ecp"], "%"))
        st.caption(
            "They differ because DWP's local figures count children under 16 from benefit and tax records "
            "calibrated to its survey, while End Child Poverty (Loughborough University) models after-housing-costs "
            "poverty for all children with local rents; neither is wrong, and only DWP's goes down to wards."
        )

    st.subheader("Wards furthest behind")
    with v.reader.trace() as behind_calls:
        behind = analysis.furthest_behind(v.reader, v.authority, KEY_INDICATORS)
    top = behind.iloc[0] if len(behind) else None
    ui.summary(
        f"{top['geo_name']} is significantly worse than the authority on {int(top['worse_count'])} "
        f"of the {int(top['tested'])} key indicators that have intervals, and sits on average "
        f"{top['mean_position']:.0f}% of the way to the worst end across all {int(top['indicators'])}."
        if len(behind)
        else "No ward figures with intervals are available for this authority."
    )
    ui.table(
        v,
        behind,
        {
            "geo_name": "Ward",
            "worse_count": "Significantly worse than authority (count)",
            "tested": "Indicators with intervals",
            "indicators": "Indicators compared",
            "mean_position": "Average position (100 = worst)",
            "worse_on": "Worse on",
        },
        key="furthest-behind",
        calls=behind_calls,
    )
    if v.areas:
        ui.areas.furthest_behind(v, KEY_INDICATORS)

    local = analysis.local_table(v.reader, v.authority)
    if len(local):
        st.subheader("The council's own data")
        ui.say(
            "Local data, not official statistics: "
            + "; ".join(
                f"{r['title']} ({r['wards']} wards, {r['periods']}; {r['source']}, added {r['added']})"
                for r in local.to_dict("records")
            )
            + ". Choose them in the sidebar under their theme."
        )

    st.subheader("Worse and worsening")
    ww = analysis.worse_and_worsening(v.reader, v.authority)
    if ww.empty:
        st.write(
            "No ward is both significantly worse than the authority or England and significantly worsening. "
            "A recent trend needs five comparable periods with intervals on the same ward boundaries, "
            "which only a few series have."
        )
    else:
        ui.table(
            v,
            ww,
            {
                "geo_name": "Ward",
                "indicator": "Indicator",
                "period": "Latest period",
                "value": "Value",
                "marker": "Trend",
            },
            key="worse-worsening",
        )


ui.run("Overview", body)
