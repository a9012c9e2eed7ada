"""Ward gaps: ordered bar with comparators, gap measures, their trend, deprivation quintiles."""

import streamlit as st

from wardgaps import analysis, charts, text, ui


def _gap(value: float, unit: str) -> str:
    return f"{value:.1f} points" if unit == "%" else text.fmt(value, unit)


def body(v: ui.View) -> None:
    st.title(f"Ward gaps: {v.meta['short_title']}")
    t = ui.ward_figures(v, "ward gap to show")
    if t["value"].notna().sum() == 0:
        st.info("No ward figures are shown for this period, so there is no gap to measure.")
        ui.data_as_at(v)
        ui.stop()
    comp = analysis.comparators(v.borough, v.indicator, v.period, public=v.public)
    fig = ui.figure(
        ("gap_bar", *v.key),
        lambda: charts.ordered_bar(t, comp, unit=v.unit, title=f"{v.meta['title']}, {v.period_label}"),
    )
    ui.chart(fig, "gap_bar", sources=(t, comp))
    ui.data_as_at(v, " ".join(t["method"].dropna().unique()))

    r = analysis.borough_gaps(v.borough, v.indicator, v.period, v.vintage, public=v.public)
    if r is None or r.gaps is None:
        st.info("Not enough ward figures to measure the gap.")
        ui.stop()
    g = r.gaps
    c = st.columns(4)
    if r.withheld:
        ui.summary(r.withheld)
        c[0].metric("Range", "not shown")
        c[1].metric("Highest / lowest", "not shown")
    else:
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
            help="Gap between the most and least deprived ends of the borough, fitted across all wards "
            f"ordered by IMD {r.deprivation_edition} score.",
        )
        c[3].metric("Relative index (RII)", f"{g.sii.rii:,.2f}")
        st.caption(
            (f"SII 95% CI {lim[0]:,.2f} to {lim[1]:,.2f}. " if lim else "")
            + analysis.sii_direction(v.meta)
            + " "
            + r.sii_note
        )
    elif r.sii_note != r.withheld:
        st.caption(r.sii_note)

    st.subheader("Is the gap closing?")
    trend, change = analysis.gap_trend(v.borough, v.indicator, v.vintage, public=v.public)
    ui.summary(f"Across {text.periods_phrase(len(trend))} on these ward boundaries, the slope index gap is {change}.")
    if len(trend) > 1 and trend["sii"].notna().any():
        fig = ui.figure(
            ("gap_trend", *v.key),
            lambda: charts.gap_trend(trend, unit=v.unit, title="Slope index of inequality by period"),
        )
        ui.chart(fig, "gap_trend", sources=(trend,))
    ui.table(
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
    )

    st.subheader("By deprivation")
    q = analysis.deprivation_quintiles(v.borough, v.indicator, v.period, v.vintage, public=v.public)
    if q.empty or analysis.is_deprivation_index(v.meta) or v.unit == "count":
        st.write(r.sii_note or "Not enough wards with a deprivation score for quintiles.")
    else:
        title = f"By borough-local quintile of ward IMD {r.deprivation_edition} score"
        ui.chart(
            ui.figure(("quintiles", *v.key), lambda: charts.quintile_bar(q, unit=v.unit, title=title)),
            "quintiles",
            sources=(q,),
        )
        ui.summary(
            f"The most deprived fifth of wards averages {text.fmt(q.iloc[0]['value'], v.unit)}, "
            f"the least deprived {text.fmt(q.iloc[-1]['value'], v.unit)}."
        )
        ui.table(
            q,
            {
                "quintile": "Quintile (1 = most deprived)",
                "wards": "Wards",
                "value": f"Population-weighted mean ({v.unit_label})",
            },
            key="quintiles",
        )
    ui.table(
        t.sort_values("value", ascending=False),
        {
            "geo_name": "Ward",
            "value": f"Value ({v.unit_label})",
            "lower_95": "95% CI lower",
            "upper_95": "95% CI upper",
            "vs_borough": "vs borough",
            "vs_region": f"vs {v.region_name}",
            "vs_country": f"vs {v.country_name}",
        },
        key=f"gaps-{v.indicator}-{v.period}",
    )


ui.run("Ward gaps", body)
