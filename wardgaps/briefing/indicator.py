"""The indicator pack: one indicator across an authority's wards, its gaps and their trend."""

from __future__ import annotations

import pandas as pd

from wardgaps import analysis, text
from wardgaps.briefing import drawing, sources
from wardgaps.briefing.content import (
    VINTAGE,
    authority_name,
    bar_chart,
    cover,
    group_notes,
    line_chart,
    rules,
    shown,
)
from wardgaps.briefing.model import (
    NO_GROUPS,
    Chart,
    Groups,
    Pack,
    PackError,
    Progress,
    Slide,
    Table,
    balanced_parts,
    column,
    noop,
    num,
    plural,
)
from wardgaps.db import Reader

WARD_ROWS = 18  # most rows of the every-ward table on one slide: fits at 10 pt


def _gap_table(gap_table: pd.DataFrame, unit: str) -> Table:
    """Gap measures per period, each column at one precision (the range and SII are in the unit)."""
    pts = "percentage points" if unit == "%" else unit
    g = gap_table
    frame = pd.DataFrame(
        {
            "Period": g["period"],
            f"Range ({pts})": column(list(g["range"]), unit, with_unit=False),
            "Highest ÷ lowest": column([x if pd.notna(x) else None for x in g["ratio"]], "ratio"),
            f"SII ({pts})": column(list(g["sii"]), unit, with_unit=False),
            "SII 95% interval": [
                f"{a} to {b}"
                for a, b in zip(
                    column(list(g["sii_lower_95"]), unit, with_unit=False),
                    column(list(g["sii_upper_95"]), unit, with_unit=False),
                    strict=True,
                )
            ],
            "RII": column(list(g["rii"]), "ratio"),
        }
    )
    return shown(Table(frame, [1.6, 1.6, 1.4, 1.4, 2.0, 1.0], alt="Table of gap measures in each period"))


def _gap_chart(g: pd.DataFrame, unit: str, short: str) -> Chart:
    """The range and the slope index (with its 95% interval) over the periods."""

    def opt(v: object) -> float | None:
        return None if pd.isna(v) else float(v)

    rng, sii = "Range (highest minus lowest ward)", "Slope index of inequality"
    return Chart(
        "line",
        f"{short}: gap measures",
        "percentage points" if unit == "%" else unit,  # a gap between percentages is not a percentage
        categories=[text.period_label(p) for p in g["period"]],
        series={rng: [opt(v) for v in g["range"]]}
        | ({sii: [opt(v) for v in g["sii"]]} if g["sii"].notna().any() else {}),
        intervals={sii: ([opt(v) for v in g["sii_lower_95"]], [opt(v) for v in g["sii_upper_95"]])}
        if g["sii_lower_95"].notna().any()
        else {},
        alt=f"Line chart of the range and slope index of inequality of {short} in {len(g)} periods.",
    )


def _gap_messages(g, names: dict[str, str], unit: str, public: bool) -> list[str]:
    out = []
    if g.ratio:
        out.append(
            f"The highest ward, {names[g.highest_code]} ({num(g.highest, unit)}), is {g.ratio:.2f} times the "
            f"lowest, {names[g.lowest_code]} ({num(g.lowest, unit)})."
        )
    else:
        out.append(f"The wards range over {num(g.range, unit)}.")
    if g.sii:
        lim = g.sii.sii_limits.get(0.95)
        pts = " percentage points" if unit == "%" else ""
        if lim and (lim[0] > 0 or lim[1] < 0):
            claim = "a significant social gradient" if not public else "a clear social gradient"
        elif lim:
            claim = "no significant social gradient" if not public else "no clear social gradient"
        else:
            claim = "a gradient whose significance cannot be tested"
        ci = f" (95% interval {num(lim[0], unit, 1, False)} to {num(lim[1], unit, 1, False)})" if lim else ""
        out.append(
            f"From the most to the least deprived ward the slope index of inequality is "
            f"{num(g.sii.sii, unit, 1, False)}{pts}{'' if public else ci}: {claim}."
        )
    return out


def indicator_pack(
    reader: Reader,
    authority: str,
    indicator: str,
    period: str | None = None,
    progress: Progress = noop,
    groups: Groups = NO_GROUPS,
) -> Pack:
    """One indicator across the authority's wards (the reader's figures: public or full), with
    the comparison groups asked for beside the authority, region and country."""
    public = reader.public
    meta = analysis.indicator_meta(reader, indicator)
    if meta is None:
        raise PackError(f"unknown indicator {indicator}")
    p = analysis.periods(reader, authority, indicator)
    if p.empty:
        raise PackError(f"{indicator} has no ward figures in authority {authority}")
    period = period or p.iloc[0]["period"]
    if period not in set(p["period"]):
        raise PackError(f"{indicator} has no ward figures for {period}")
    country = analysis.region_of(reader, authority)[3]  # the national comparator: England or Wales
    vintage = analysis.default_vintage(p, period)
    unit, polarity, short = meta["unit"], meta["polarity"], meta["short_title"]
    bname = authority_name(reader, authority)
    progress(0.1, "Reading ward figures")
    t = analysis.ward_table(reader, authority, indicator, period, vintage)
    comp = analysis.comparators(reader, authority, indicator, period, **groups.kw())
    names = analysis.ward_names(reader, authority, vintage)
    ordered = analysis.ranked_wards(t)
    if ordered.empty:
        raise PackError(f"{indicator} has no ward figures to show for {period}")
    progress(0.25, "Drawing the map")
    bounds = analysis.ward_boundaries(reader, authority, vintage)
    image, renderer = drawing.ward_map(bounds, t, short, unit, polarity)
    progress(0.4, "Measuring the gaps")
    gap_table, change = analysis.gap_trend(reader, authority, indicator, vintage)
    gr = analysis.authority_gaps(reader, authority, indicator, period, vintage)
    # one figure on every ward shown: no gap between them, no highest or lowest ward to name (the
    # public view's reason for withholding the gap comes first)
    same = "" if gr is not None and gr.withheld else analysis.one_figure_note(t, unit)
    messages = [same] if same else []
    for code in dict.fromkeys(ordered["geo_code"].iloc[[0, -1]] if not same else []):
        me = t[t["geo_code"] == code].iloc[0]
        messages += analysis.narrative_for_ward(me, comp[comp["geo_type"] == "authority"], unit, public)[:1]
    sig = t["vs_authority"] if "vs_authority" in t else pd.Series(dtype=object)
    if sig.notna().any():
        word = "clearly" if public else "significantly"  # the public view's plain words, as on the web
        up, down = ("worse", "better") if polarity != "neutral" else ("higher", "lower")
        n_up = int((sig == up).sum())
        messages.append(
            f"{plural(n_up, 'ward')} of {len(ordered)} {'is' if n_up == 1 else 'are'} {word} {up} than {bname} "
            f"and {int((sig == down).sum())} {word} {down}."
        )
    if gr is not None and gr.withheld:
        messages.append(gr.withheld)
    elif gr is not None and gr.gaps is not None and not same:
        messages += _gap_messages(gr.gaps, names, unit, public)
        if gr.sii_note and gr.gaps.sii is None:
            messages.append(gr.sii_note)
        if gap_table["sii"].notna().sum() > 1:
            # last: the gap slide says it too, so it is the first to give way to the five-message limit
            messages.append(f"Across {plural(len(gap_table), 'period')} on {VINTAGE[vintage]} the gap is {change}.")
    comp_text = "; ".join(f"{c.geo_name} {num(c.value, unit)} ({c.method})" for c in comp.itertuples())
    shown_period = text.period_label(period)
    slides = [
        Slide("Key messages", bullets=messages[:5]),
        Slide(
            f"{short} across {bname}'s wards, {shown_period}",
            lead=f"{meta['title']}."
            + ("" if unit == "count" else f" Comparators: {comp_text}." if comp_text else " No comparator figures."),
            image=image,
        ),
        Slide(
            f"{short}: every ward, highest first",
            lead="Bars coloured by significance against the authority (95% intervals shown as whiskers); "
            "lines mark the comparators."
            if sig.notna().any()
            else "No ward here has an interval to compare, so no bar is called better or worse"
            + (" (a count is not compared with the authority's total)." if unit == "count" else "."),
            chart=bar_chart(t, comp, unit, f"{short} ({shown_period})"),
            note=f"Not shown: {plural(int(t['value'].isna().sum()), 'ward')} without a figure here (see the table)."
            if t["value"].isna().any()
            else "",
        ),
    ]
    rows = pd.DataFrame(
        {
            "Rank": [f"{int(r)}" for r in ordered["rank"]],
            "Ward": ordered["geo_name"],
            short: column(list(ordered["value"]), unit),
            "95% interval": [
                f"{a} to {b}" if a != "–" else "–"
                for a, b in zip(
                    column(list(ordered["lower_95"]), unit), column(list(ordered["upper_95"]), unit), strict=True
                )
            ],
            "vs authority": [text.sig_label(s) for s in ordered.get("vs_authority", [None] * len(ordered))],
            f"vs {country}": [text.sig_label(s) for s in ordered.get("vs_country", [None] * len(ordered))],
        }
    )
    # Wards without a figure are listed too, saying why, so no ward silently drops out of the pack.
    missing = t[t["value"].isna()].sort_values("geo_name")
    if len(missing):
        why = [text.SUPPRESSED if hidden else "not available" for hidden in missing["suppressed"]]
        blank = ["–"] * len(missing)
        extra = pd.DataFrame(
            {"Rank": blank, "Ward": missing["geo_name"], short: why, "95% interval": blank}
            | {"vs authority": [text.NOT_COMPARED] * len(missing), f"vs {country}": [text.NOT_COMPARED] * len(missing)}
        )
        rows = pd.concat([rows, extra], ignore_index=True)
    for suffix, part in balanced_parts(rows, WARD_ROWS):  # 24 wards are 12 and 12, not 18 and 6
        slides.append(
            Slide(
                f"{short}: every ward's figure and interval{suffix}",
                lead="Rank 1 = highest value in the authority. Significance: the comparator lies outside the ward's "
                "95% interval.",
                table=shown(
                    Table(
                        part,
                        [0.8, 2.8, 1.6, 2.4, 1.6, 1.6],
                        alt=f"Table of every ward's {short} with its 95% interval and significance",
                    )
                ),
            )
        )
    if not gap_table.empty:
        slides.append(
            Slide(
                f"{short}: gap measures and their trend",
                lead=f"Across {plural(len(gap_table), 'period')} on {VINTAGE[vintage]} the gap is {change}."
                if len(gap_table) > 1
                else f"One period on {VINTAGE[vintage]}: whether the gap is widening needs at least two.",
                table=_gap_table(gap_table, unit),
                chart=_gap_chart(gap_table, unit, short) if len(gap_table) > 1 else None,
                note="Range: highest minus lowest ward. SII: the modelled gap between the most and least deprived "
                "ends of the authority; RII: the same as a ratio.",
            )
        )
    progress(0.6, "Drawing the trend lines")
    series = analysis.ward_series(reader, authority, indicator, vintage)
    cs = analysis.comparator_series(reader, authority, indicator, **groups.kw())
    codes = list(dict.fromkeys(ordered["geo_code"].iloc[[0, -1]]))
    ch = line_chart(series, codes, cs[cs["period"].isin(set(series["period"]))], unit, short)
    if ch is not None and not same:
        slides.append(
            Slide(f"{short}: highest and lowest wards over time", lead=f"Periods on {VINTAGE[vintage]}.", chart=ch)
        )
    ww = analysis.worse_and_worsening(reader, authority, [indicator])
    if len(ww):  # a slide only when some ward is both: otherwise one line among the key messages
        slides.append(
            Slide(
                f"{short}: wards worse and worsening",
                lead=f"Significantly worse than the authority or {country}, and significantly worsening over the last "
                "five comparable periods.",
                bullets=[
                    f"{r.geo_name}: {num(r.value, unit)} in {text.period_label(r.period)}, {r.marker.lower()}."
                    for r in ww.itertuples()
                ],
            )
        )
    elif len(slides[0].bullets) < 5:
        slides[0].bullets.append(
            f"No ward is both {'clearly' if public else 'significantly'} worse than the authority or {country} and "
            f"{'clearly' if public else 'significantly'} worsening "
            "(a recent trend needs five comparable periods with intervals)."
        )
    # The deprivation scores that ordered the wards for a slope index are credited too (the IMD 2019
    # scores outside London are the mySociety Composite UK IMD's, CC BY 4.0).
    ordered_by = {
        sid
        for p in gap_table.loc[gap_table["sii"].notna(), "period"]
        for sid in analysis.deprivation_sources(reader, authority, indicator, p, vintage)["source_id"]
    }
    srcs = sources.sources(reader, {meta["source_id"], *set(t["source_id"].dropna()), *ordered_by})
    drawn = {*comp["geo_type"], *cs["geo_type"]}
    extra = [f"Caveats for {short}: {meta['caveats']}", *group_notes(reader, groups, drawn)]
    extra += rules() if public else []
    slides += sources.closing_slides(srcs, renderer, extra)
    progress(0.8, "Assembling")
    return Pack(
        "indicator",
        f"{short}: {bname} ward briefing, {shown_period}",
        cover(reader, authority, ("Indicator", meta["title"]), f"{shown_period} ({VINTAGE[vintage]})", srcs),
        slides,
        sources.footer(srcs),
        renderer,
        srcs,
        public,
    )
