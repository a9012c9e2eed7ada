"""Similar wards: a ward against its 10 statistical neighbours in other authorities."""

import streamlit as st

from wardgaps import analysis, charts, disclosure, text, ui


def body(v: ui.View) -> None:
    names = analysis.ward_names(v.reader, v.authority, analysis.WARD_VINTAGE)
    heading = st.empty()  # the title names the ward chosen just below it
    ward = ui.ward_select("similar_ward", names, next(iter(names)))
    name = names[ward]
    heading.title(f"Similar wards: {name}")
    st.caption(analysis.SIMILAR_METHOD)
    with v.reader.trace() as near_calls:
        wards, chars = analysis.similar_wards(v.reader, ward)
    if wards.empty:
        st.info(ui.md_escape(analysis.NO_NEIGHBOURS.format(ward=name)))
        return
    near = wards[wards["rank"] > 0]

    st.subheader(f"The 10 wards most like {name}")
    ui.summary(
        f"{name}'s most similar ward is {near.iloc[0]['geo_name']} ({near.iloc[0]['authority_name']}, distance "
        f"{near.iloc[0]['distance']:.2f}); its 10 similar wards are in {near['authority_name'].nunique()} "
        f"local authorities."
    )
    labels = chars.drop_duplicates("label").sort_values("position")["label"].tolist()
    shown = wards.assign(
        Rank=["chosen ward" if r == 0 else str(int(r)) for r in wards["rank"]],
        distance=wards["distance"].round(2),
    )
    shown[labels] = shown[labels].round(1)
    if v.public and chars["suppressed"].any():
        st.caption("Public view: a share worked out from fewer than 10 people or households is not shown.")
    ui.table(
        v,
        shown,
        {
            "Rank": "Rank (1 = most similar)",
            "geo_name": "Ward",
            "authority_name": "Local authority",
            "region_name": "Region",
            "distance": "Distance",
            **{lab: lab for lab in labels},
        },
        key=f"similar-{ward}",
        calls=near_calls,
    )

    st.subheader("Where they are")
    fig = ui.figure(
        v,
        ("similar_map", ward, v.public),
        lambda: charts.neighbour_map(
            wards, analysis.authority_outlines(v.reader, ward), title=f"{name} and its 10 similar wards"
        ),
    )
    ui.chart(v, fig, "similar_map")
    regions = near["region_name"].value_counts()
    ui.summary(
        f"{name} is in {wards.iloc[0]['region_name']}; its similar wards are in "
        + ", ".join(f"{r} ({n})" for r, n in regions.items())
        + " (the table above lists them)."
    )

    st.subheader(f"How {name} compares with its similar wards")
    with v.reader.trace() as outcome_calls:
        s, figs = analysis.similar_outcomes(v.reader, ward)
    if s.empty:
        st.info(ui.md_escape(f"{name} has no outcome figures to compare."))
        return
    ui.summary(analysis.outcomes_summary(name, s))
    st.caption(
        "Similar wards' figure: their mean weighted by each ward's denominator (population for scores). "
        "Better or worse: that mean lies outside the ward's 95% interval (Fingertips' rule); scores from the "
        "Indices of Deprivation have no interval and are not tested. "
        "Rank 1 = the highest of the ward and its similar wards with a figure."
    )
    show = s.assign(
        Ward=[
            disclosure.NOT_SHOWN if h else text.fmt(x, u)
            for x, u, h in zip(s["value"], s["unit"], s["suppressed"], strict=True)
        ],
        CI=[
            f"{text.fmt(lo, u)} to {text.fmt(hi, u)}" if not text.is_missing(lo) else "no interval"
            for lo, hi, u in zip(s["lower_95"], s["upper_95"], s["unit"], strict=True)
        ],
        Mean=[text.fmt(x, u) for x, u in zip(s["neighbours_mean"], s["unit"], strict=True)],
        Range=[
            f"{text.fmt(a, u)} to {text.fmt(b, u)}"
            for a, b, u in zip(s["neighbours_min"], s["neighbours_max"], s["unit"], strict=True)
        ],
        Rank=[
            f"{int(r)} of {int(n) + 1}" if not text.is_missing(r) else "not ranked"
            for r, n in zip(s["rank_among"], s["n_neighbours"], strict=True)
        ],
    )
    ui.table(
        v,
        show,
        {
            "short_title": "Indicator",
            "period": "Period",
            "Ward": name,
            "CI": "95% interval",
            "Mean": "Similar wards (weighted mean)",
            "Range": "Similar wards' range",
            "n_neighbours": "Similar wards with a figure",
            "Rank": "Rank (1 = highest)",
            "result": "Compared with similar wards",
        },
        key=f"similar-outcomes-{ward}",
        calls=outcome_calls,
    )
    if ward.startswith("W") or near["geo_code"].str.startswith("W").any():
        st.caption(
            "The English Indices of Deprivation cover England only and the Welsh index Wales only (different "
            "scales, never compared): a Welsh ward is compared on Census and DWP figures, and a similar ward in "
            "the other country has no figure for its neighbour's index."
        )
    ui.data_as_at_many(v, list(zip(s["source_id"], s["period"], strict=True)))

    ids = list(s["indicator_id"])
    titles = dict(zip(s["indicator_id"], s["short_title"], strict=True))
    pick = st.selectbox(
        "Indicator to chart",
        ids,
        index=ids.index(v.indicator) if v.indicator in ids else 0,
        format_func=titles.get,
        key="similar_indicator",
    )
    row = s[s["indicator_id"] == pick].iloc[0]
    one = figs[figs["indicator_id"] == pick].merge(wards[["geo_code", "authority_name"]], on="geo_code")
    one = one[~one["suppressed"]]
    fig = ui.figure(
        v,
        ("similar_dots", ward, pick, v.public),
        lambda: charts.ward_against_neighbours(
            one,
            unit=row["unit"],
            mean=row["neighbours_mean"],
            mean_label="similar wards' weighted mean",
            title=f"{row['title']}, {text.period_label(row['period'])}: {name} and its similar wards",
        ),
    )
    ui.chart(v, fig, "similar_dots", calls=outcome_calls)
    mine = disclosure.NOT_SHOWN if row["suppressed"] else text.fmt(row["value"], row["unit"])
    ui.summary(
        f"{row['short_title']}: {name} {mine} against its similar wards' "
        f"{text.fmt(row['neighbours_mean'], row['unit'])}: {row['result'][:1].lower()}{row['result'][1:]}."
    )
    ui.table(
        v,
        one.sort_values("value", ascending=False),
        {
            "geo_name": "Ward",
            "authority_name": "Local authority",
            "value": f"Value ({text.unit_label(row['unit'])})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "status": "Status",
        },
        key=f"similar-{ward}-{pick}",
        calls=outcome_calls,
    )


ui.run("Similar wards", body)
