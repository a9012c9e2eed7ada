"""Ward gaps: ordered bar with comparators, gap measures, their trend, deprivation quintiles."""

import streamlit as st

from wardgaps import analysis, charts, text, ui


def _gap(value: float, unit: str) -> str:
    return f"{value:.1f} points" if unit == "%" else text.fmt(value, unit)


def body(v: ui.View) -> None:
    st.title(f"Ward gaps: {v.meta['short_title']}")
    if v.areas:
        ui.areas.ranking(v)
        st.subheader("Wards")
    with v.reader.trace() as bar:
        t = ui.ward_figures(v, "ward gap to show")
        if t["value"].notna().sum() == 0:
            st.info("No ward figures are shown for this period, so there is no gap to measure.")
            ui.data_as_at(v)
            ui.stop(v)
        comp = analysis.comparators(
            v.reader, v.authority, v.indicator, v.period, similar=v.similar, benchmark=v.benchmark
        )
    fig = ui.figure(
        v,
        ("gap_bar", *v.key),
        lambda: charts.ordered_bar(t, comp, unit=v.unit, title=f"{v.meta['title']}, {v.period_label}"),
    )
    ui.chart(v, fig, "gap_bar", calls=bar)
    ui.data_as_at(v, " ".join(t["method"].dropna().unique()))
    ui.credits(v, t["source_id"])

    r = analysis.authority_gaps(v.reader, v.authority, v.indicator, v.period, v.vintage)
    index = analysis.deprivation_index(v.authority)  # IMD in England, WIMD in Wales: never mixed
    if r is None or (r.gaps is None and not r.withheld):
        st.info("Not enough ward figures to measure the gap.")
        ui.stop(v)
    same = analysis.one_figure_note(t, v.unit)
    c = st.columns(4)
    if same and not r.withheld:
        ui.summary(same)
    elif r.withheld or r.gaps is None:
        ui.summary(r.withheld)
        c[0].metric("Range", "not shown")
        c[1].metric("Highest / lowest", "not shown")
        st.caption("The slope index is a gap measure too, so it is not shown either.")
    else:
        g = r.gaps
        names = dict(zip(t["geo_code"], t["geo_name"], strict=True))
        ratio = f"{g.ratio:.2f}" if g.ratio else "not defined"
        ui.summary(
            f"{names[g.highest_code]} ({text.fmt(g.highest, v.unit)}) and {names[g.lowest_code]} "
            f"({text.fmt(g.lowest, v.unit)}) are {_gap(g.range, v.unit)} apart: a ratio of {ratio}."
        )
        c[0].metric("Range", _gap(g.range, v.unit))
        c[1].metric("Highest / lowest", ratio, help=f"{text.fmt(g.highest, v.unit)} / {text.fmt(g.lowest, v.unit)}")
        if g.sii:
            lim = g.sii.sii_limits.get(0.95)
            c[2].metric(
                "Slope index (SII)",
                f"{g.sii.sii:,.2f}",
                help="Gap between the most and least deprived ends of the authority, fitted across all wards "
                f"ordered by {index} {r.deprivation_edition} score.",
            )
            c[3].metric("Relative index (RII)", f"{g.sii.rii:,.2f}")
            st.caption(
                (f"SII 95% CI {lim[0]:,.2f} to {lim[1]:,.2f}. " if lim else "")
                + analysis.sii_direction(v.meta)
                + " "
                + r.sii_note
            )
            dep = analysis.deprivation_sources(v.reader, v.authority, v.indicator, v.period, v.vintage)
            ui.credits(v, dep["source_id"], f"Wards ordered by {index} scores from")
        elif r.sii_note:
            st.caption(r.sii_note)

    st.subheader("Is the gap closing?")
    with v.reader.trace() as gap_calls:
        trend, change = analysis.gap_trend(v.reader, v.authority, v.indicator, v.vintage)
    ui.summary(f"Across {text.periods_phrase(len(trend))} on these ward boundaries, the slope index gap is {change}.")
    if len(trend) > 1 and trend["sii"].notna().any() and trend["range"].abs().max() > 0:
        fig = ui.figure(
            v,
            ("gap_trend", *v.key),
            lambda: charts.gap_trend(trend, unit=v.unit, title="Slope index of inequality by period"),
        )
        ui.chart(v, fig, "gap_trend", calls=gap_calls)
    ui.table(
        v,
        trend,
        {
            "period": "Period",
            "range": "Range",
            "ratio": "Highest / lowest",
            "sii": "SII",
            "sii_lower_95": "SII 95% lower",
            "sii_upper_95": "SII 95% upper",
            "rii": "RII",
        },
        key="gap-trend",
        calls=gap_calls,
    )

    st.subheader("By deprivation")
    with v.reader.trace() as q_calls:
        q = analysis.deprivation_quintiles(v.reader, v.authority, v.indicator, v.period, v.vintage)
    if q.empty or analysis.is_deprivation_index(v.meta) or v.unit == "count":
        st.write(r.sii_note or "Not enough wards with a deprivation score for quintiles.")
    else:
        title = f"By authority-local quintile of ward {index} {r.deprivation_edition} score"
        ui.chart(
            v,
            ui.figure(v, ("quintiles", *v.key), lambda: charts.quintile_bar(q, unit=v.unit, title=title)),
            "quintiles",
            calls=q_calls,
        )
        ui.summary(
            f"The most deprived fifth of wards averages {text.fmt(q.iloc[0]['value'], v.unit)}, "
            f"the least deprived {text.fmt(q.iloc[-1]['value'], v.unit)}."
        )
        ui.table(
            v,
            q,
            {
                "quintile": "Quintile (1 = most deprived)",
                "wards": "Wards",
                "value": f"Population-weighted mean ({v.unit_label})",
            },
            key="quintiles",
            calls=q_calls,
        )
    ui.table(
        v,
        t.sort_values("value", ascending=False),
        {
            "geo_name": "Ward",
            "value": f"Value ({v.unit_label})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "vs_authority": "vs authority",
            **({"vs_region": f"vs {v.region_name}"} if "region" in v.comparator_levels else {}),
            "vs_country": f"vs {v.country_name}",
        },
        key=f"gaps-{v.indicator}-{v.period}",
        calls=bar,
    )


ui.run("Ward gaps", body)
