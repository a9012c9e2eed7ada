"""Ward gaps: ordered bar with comparators, gap measures, their trend, deprivation quintiles."""

import streamlit as st

from wardgaps import analysis, charts, ui
from wardgaps.stats import fmt

v = ui.view()
st.title(f"Ward gaps: {v.meta['short_title']}")
t = ui.ward_figures(v, "ward gap to show")
comp = analysis.comparators(v.borough, v.indicator, v.period)
fig = charts.ordered_bar(t, comp, unit=v.unit, title=f"{v.meta['title']}, {v.period}")
ui.chart(fig, "gap_bar")
ui.data_as_at(v, " ".join(t["method"].dropna().unique()))

g = analysis.borough_gaps(v.borough, v.indicator, v.period, v.vintage)
if g is None:
    st.info("Not enough ward figures to measure the gap.")
    st.stop()
names = dict(zip(t["geo_code"], t["geo_name"], strict=True))
ratio = f"{g.ratio:.2f}" if g.ratio else "not defined"
ui.summary(
    f"{names[g.highest_code]} ({fmt(g.highest, v.unit)}) and {names[g.lowest_code]} ({fmt(g.lowest, v.unit)}) "
    f"are {fmt(g.range, v.unit) if v.unit != '%' else f'{g.range:.1f} points'} apart: a ratio of {ratio}."
)
c = st.columns(4)
c[0].metric("Range", fmt(g.range, v.unit) if v.unit != "%" else f"{g.range:.1f} pts")
c[1].metric("Highest / lowest", ratio, help=f"{fmt(g.highest, v.unit)} / {fmt(g.lowest, v.unit)}")
if g.sii:
    lim = g.sii.sii_limits.get(0.95)
    c[2].metric(
        "Slope index (SII)",
        f"{g.sii.sii:,.2f}",
        help="Gap between the most and least deprived ends of the borough, fitted across all wards "
        "ordered by IMD score.",
    )
    c[3].metric("Relative index (RII)", f"{g.sii.rii:,.2f}")
    st.caption(
        (f"SII 95% CI {lim[0]:,.2f} to {lim[1]:,.2f}. " if lim else "")
        + "Positive means the more deprived wards fare worse (for 'higher is better' indicators, that they have less). "
        + g.sii_note
    )
else:
    st.caption(g.sii_note)

st.subheader("Is the gap closing?")
trend, change = analysis.gap_trend(v.borough, v.indicator, v.vintage)
ui.summary(f"Across {len(trend)} period(s) on these ward boundaries, the SII gap is {change}.")
if len(trend) > 1 and trend["sii"].notna().any():
    ui.chart(charts.gap_trend(trend, unit=v.unit, title="Slope index of inequality by period"), "gap_trend")
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
q = analysis.deprivation_breakdown(t)
if q.empty:
    st.write("Not enough wards with a deprivation score for quintiles.")
else:
    ui.chart(charts.quintile_bar(q, unit=v.unit, title="By borough-local quintile of ward IMD score"), "quintiles")
    ui.summary(
        f"The most deprived fifth of wards averages {fmt(q.iloc[0]['value'], v.unit)}, "
        f"the least deprived {fmt(q.iloc[-1]['value'], v.unit)}."
    )
    ui.table(
        q,
        {"quintile": "Quintile (1 = most deprived)", "wards": "Wards", "value": f"Population-weighted mean ({v.unit})"},
        key="quintiles",
    )
ui.table(
    t.sort_values("value", ascending=False),
    {
        "geo_name": "Ward",
        "value": f"Value ({v.unit})",
        "lower_95": "95% CI lower",
        "upper_95": "95% CI upper",
        "vs_borough": "vs borough",
        "vs_London": "vs London",
        "vs_England": "vs England",
    },
    key=f"gaps-{v.indicator}-{v.period}",
)
