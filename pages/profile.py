"""Ward profile: one ward across every indicator, with its LSOAs on a small map."""

import streamlit as st

from wardgaps import analysis, charts, disclosure, text, ui


def body(v: ui.View) -> None:
    if v.areas:  # the council's own area first, then its wards
        theme = analysis.indicators_by_theme(v.reader).get(v.meta.get("theme", ""), {})
        ui.areas.profile(v, list(theme))
    names = analysis.ward_names(v.reader, v.authority, analysis.WARD_VINTAGE)
    heading = st.empty()  # the title names the ward chosen just below it
    ward = ui.ward_select("profile_ward", names, next(iter(names)))
    heading.title(f"Ward profile: {names[ward]}")

    with v.reader.trace() as profile_calls:
        p = analysis.ward_profile(v.reader, ward, tuple(v.comparator_levels))
        p = analysis.profile_groups(v.reader, v.authority, p, similar=v.similar, benchmark=v.benchmark)
    if p.empty:  # e.g. a ward that receives no neighbourhood (LSOA) and has no figure of its own
        st.info(
            ui.md_escape(
                f"{names[ward]} has no figures in Ward Gaps: no neighbourhood (LSOA) the ward figures are built "
                "from lies in it, and no publisher gives it a figure of its own. Choose another ward."
            )
        )
        ui.stop(v)
    fmt_col = {
        "Value": "value",
        "Authority": "authority_value",
        "Region": "region_value",
        "Country": "country_value",
        "Similar": "similar_value",
        "Benchmark": "benchmark_value",
    }
    for label, col in fmt_col.items():
        p[label] = [
            disclosure.NOT_SHOWN if s and label == "Value" else text.fmt(x, u)
            for x, u, s in zip(p[col], p["unit"], p["suppressed"], strict=True)
        ]
    top3 = analysis.profile_top3(p)
    judged = p[p["judged_polarity"].eq("higher_is_worse") & ~p["all_tied"]]  # as profile_top3 counts them
    if len(top3):
        ui.summary(
            f"{names[ward]} is among the authority's three highest wards on {len(top3)} of {len(judged)} indicators "
            f"where higher is worse: {', '.join(top3['short_title'])}."
        )
    else:
        ui.summary(
            f"{names[ward]} is not among the authority's three highest wards on any indicator where higher is worse."
        )
    ui.data_as_at_many(v, list(zip(p["source_id"], p["period"], strict=True)))
    for note in analysis.local_notes(v.reader, list(p["indicator_id"])):
        st.caption(ui.md_escape(note))
    st.caption(
        "Rank 1 = the highest value. Current (May-2024) ward boundaries; older series are on the Trends page. "
        f"Counts are not compared with {v.authority_name}, {v.comparator_names} totals."
    )
    ui.table(
        v,
        p,
        {
            "short_title": "Indicator",
            "period": "Period",
            "Value": "Ward",
            "Authority": "Authority",
            **({"Region": v.region_name} if "region" in v.comparator_levels else {}),
            "Country": v.country_name,
            **({"Similar": "Similar authorities"} if v.similar else {}),
            **({"Benchmark": f"{analysis.authority_names(v.reader)[v.benchmark]} (benchmark)"} if v.benchmark else {}),
            "rank_in_authority": f"Rank in {v.authority_name}",
            **({"rank_in_region": f"Rank in {v.region_name}"} if "region" in v.comparator_levels else {}),
            "rank_in_country": f"Rank in {v.country_name}",
            "trend": "Trend",
            "method": "Method",
            "status": "Status",
        },
        key=f"profile-{ward}",
        calls=profile_calls,
    )

    st.subheader("The ward's neighbourhoods (LSOAs)")
    with v.reader.trace() as lsoa_calls:
        ls = analysis.ward_lsoas(v.reader, ward)
    if len(ls):
        fig = ui.figure(
            v,
            ("profile_lsoas", ward),
            lambda: charts.choropleth(
                ls,
                ls.rename(columns={"imd_score": "value"}),
                value_label="IMD 2025 score",
                unit="score",
                polarity="higher_is_worse",
                title=f"IMD 2025 score by LSOA in {names[ward]}",
            ),
        )
        ui.chart(v, fig, "profile_map", calls=lsoa_calls)
        ui.summary(
            f"{names[ward]} is made of {len(ls)} LSOAs with IMD 2025 scores from "
            f"{ls['imd_score'].min():.1f} to {ls['imd_score'].max():.1f}."
        )
        ui.table(
            v,
            ls,
            {"geo_code": "LSOA", "geo_name": "Name", "imd_score": "IMD 2025 score"},
            key=f"profile-lsoas-{ward}",
            calls=lsoa_calls,
        )


ui.run("Ward profile", body)
