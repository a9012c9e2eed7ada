"""Trends: chosen wards against their authority, region and country over every period."""

import pandas as pd
import streamlit as st

from wardgaps import analysis, charts, text, ui


def body(v: ui.View) -> None:
    st.title(f"Trends: {v.meta['short_title']}")
    with v.reader.trace() as lines:
        comp = analysis.comparator_series(v.reader, v.authority, v.indicator, similar=v.similar, benchmark=v.benchmark)
    vintages = sorted(v.periods["vintage"].unique(), reverse=True) if len(v.periods) else []

    series = pd.DataFrame(columns=["label", "period", "period_start", "value", "method", "geo_code", "source_id"])
    vintage = None
    if vintages:
        vintage = int(
            st.radio("Ward boundaries", vintages, format_func=text.vintage_label, horizontal=True, key="trend_vintage")
        )
        with v.reader.trace() as ward_lines:
            s = analysis.ward_series(v.reader, v.authority, v.indicator, vintage)
        lines += ward_lines
        names = dict(zip(s["geo_code"], s["geo_name"], strict=False))
        latest = s[s["period_start"] == s["period_start"].max()].dropna(subset=["value"])
        extremes = list(latest.sort_values("value")["geo_code"].iloc[[-1, 0]]) if len(latest) else []
        wards = st.multiselect(
            "Wards",
            list(names),
            default=[w for w in extremes if w in names],
            format_func=names.get,
            key=f"trend_wards_{vintage}",
        )
        series = s[s["geo_code"].isin(wards)].assign(
            label=lambda d: d["geo_name"] + f" ({text.vintage_label(vintage)})"
        )
        origin = analysis.ward_series_origin(v.reader, v.authority, v.indicator, vintage)
        if origin:
            st.caption(ui.md_escape("Where the ward lines come from: " + " ".join(origin)))
        if vintage != analysis.WARD_VINTAGE:
            st.caption(
                "These are pre-2022 wards, drawn on their own boundaries: they cannot be joined to the current wards."
            )
    else:
        shown = f"{v.authority_name}'s own count" if v.unit == "count" else f"{v.authority_name}, {v.comparator_names}"
        st.info(
            ui.md_escape(
                f"{analysis.no_ward_figures_note(v.reader, v.authority, v.indicator)} The chart shows {shown}."
            )
        )
    brk = analysis.series_break_note(v.meta)
    if brk:
        st.caption(ui.md_escape(brk))
    if v.unit == "count" and vintages:
        totals = f"{v.authority_name}, {v.comparator_names} totals"
        st.caption(ui.md_escape(f"A count is not compared with {totals}, so no total is drawn."))
    elif v.unit == "count":
        st.caption(ui.md_escape(f"A count is not compared with {v.comparator_names} totals (they count far more)."))

    chosen = tuple(sorted(series["geo_code"].unique())) if len(series) else ()
    fig = ui.figure(
        v,
        ("trend_lines", *v.key, vintage, chosen),
        lambda: charts.trend_lines(series, comp, unit=v.unit, title=v.meta["title"]),
    )
    ui.chart(v, fig, "trend_chart", calls=lines)
    ui.data_as_at(v, " ".join(series["method"].dropna().unique()))
    ui.credits(v, series["source_id"])
    if len(series):
        one = series[series["label"] == series["label"].iloc[0]].dropna(subset=["value"]).sort_values("period_start")
        if len(one):
            ui.summary(
                f"{one['label'].iloc[0]} went from {text.fmt(one['value'].iloc[0], v.unit)} in "
                f"{text.period_label(one['period'].iloc[0])} to {text.fmt(one['value'].iloc[-1], v.unit)} in "
                f"{text.period_label(one['period'].iloc[-1])}; dashed lines are apportioned estimates."
            )
        with v.reader.trace() as marker_calls:
            tr = analysis.ward_trends(v.reader, v.authority, v.indicator, vintage)
        ui.table(
            v,
            tr[tr["geo_code"].isin(series["geo_code"])],
            {"geo_name": "Ward", "marker": "Recent trend (last 5 periods)", "reason": "Why"},
            key="trend-markers",
            calls=marker_calls,
        )
    else:
        # the first and last figures shown (in public a small count is hidden, not "not available")
        b = comp[(comp["geo_type"] == "authority") & comp["value"].notna()]
        if v.public and len(b) < (comp["geo_type"] == "authority").sum():
            st.caption("Blank figures in the table are hidden in the public view: they rest on a count below 10.")
        if len(b):
            ui.summary(
                f"{v.authority_name}: {text.fmt(b['value'].iloc[0], v.unit)} in "
                f"{text.period_label(b['period'].iloc[0])}, {text.fmt(b['value'].iloc[-1], v.unit)} in "
                f"{text.period_label(b['period'].iloc[-1])}."
            )
    if vintage == analysis.WARD_VINTAGE and len(series):
        _decade(v, sorted(series["geo_code"].unique()))
    data = pd.concat(
        [series.assign(area=series.get("label")), comp.rename(columns={"geo_name": "area"})], ignore_index=True
    )
    ui.table(
        v,
        data,
        {"area": "Area", "period": "Period", "value": f"Value ({v.unit_label})", "method": "Method"},
        key=f"trends-{v.indicator}",
        calls=lines,
    )
    if v.areas:
        ui.areas.trends(v)


def _decade(v: ui.View, wards: list[str]) -> None:
    """The theme's series that follow one another (e.g. child poverty before housing costs to FYE
    2022, after housing costs from FYE 2024) drawn together for the chosen wards as counts, each
    line labelled by what it counts and its source, never joined across the break."""
    theme = v.meta.get("theme")
    with v.reader.trace() as lines:
        span = analysis.theme_span(v.reader, v.authority, theme) if theme else None
        if not span or v.indicator not in span["indicators"]:
            return
        d = analysis.theme_counts(v.reader, v.authority, theme)
    d = d[d["indicator_id"].isin(span["indicators"]) & d["geo_code"].isin(wards)]
    if d.empty:
        return
    first, last = text.period_label(span["first_period"]), text.period_label(span["last_period"])
    st.subheader(f"{first} to {last}: the series one after another")
    st.caption(
        ui.md_escape(
            f"{len(span['parts'])} different series, drawn as separate lines and never joined: "
            + "; ".join(span["parts"])
            + ". They count different children (and before or after housing costs), so a step between them "
            "is a change of series, not of poverty; years between them have no ward figure."
        )
    )
    fig = ui.figure(
        v,
        ("decade_lines", *v.key, tuple(wards)),
        lambda: charts.trend_lines(d, d.iloc[0:0].assign(geo_type=pd.Series(dtype=object)), unit="count", title=""),
    )
    ui.chart(v, fig, "decade_chart", calls=lines)
    d = d.sort_values(["geo_code", "period_start"], kind="stable")
    one = d[d["label"] == d["label"].iloc[0]].dropna(subset=["value"])
    two = d[(d["geo_code"] == d["geo_code"].iloc[0]) & (d["label"] != d["label"].iloc[0])].dropna(subset=["value"])
    if len(one) and len(two):
        ui.summary(
            f"{one['geo_name'].iloc[0]}: {text.fmt(one['value'].iloc[0], 'count')} in "
            f"{text.period_label(one['period'].iloc[0])} on the first series; "
            f"{text.fmt(two['value'].iloc[-1], 'count')} in {text.period_label(two['period'].iloc[-1])} on the last."
        )
    ui.table(
        v,
        d,
        {"label": "Ward and series", "period": "Period", "value": "Count", "method": "Method"},
        key=f"decade-{v.indicator}",
        calls=lines,
    )


ui.run("Trends", body)
