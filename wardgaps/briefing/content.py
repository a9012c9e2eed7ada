"""What a pack says, the parts both packs share: tables and series read through the analysis layer,
charts of wards, the cover. Nothing here knows about PowerPoint or PDF.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wardgaps import analysis, disclosure, text
from wardgaps.briefing import sources
from wardgaps.briefing.model import Bar, Chart, Groups, Table, num
from wardgaps.db import Reader

VINTAGE = text.VINTAGE_LABEL


def rules() -> list[str]:
    """The public view's disclosure rules in plain words, as the disclosure module states them."""
    return ["Public view. " + disclosure.RULES[0], *disclosure.RULES[1:]]


def group_notes(r: Reader, groups: Groups, drawn: set[str]) -> list[str]:
    """The methods slide's words for the comparison groups asked for: how each is made where the
    pack draws it (``drawn``: the comparator geo_types its charts carry), and why not where not."""
    out = []
    if groups.similar and "similar" in drawn:
        out.append(
            "Similar authorities: the ten authorities of England and Wales nearest to this one on eight Census 2021 "
            "characteristics (listed on Ward Gaps' Data and methods page). " + analysis.SIMILAR_RULE
        )
    if groups.benchmark and "benchmark" in drawn:
        out.append(f"Benchmark: {authority_name(r, groups.benchmark)}, chosen for this pack.")
    missing = [
        name
        for asked, kind, name in (
            (groups.similar, "similar", "the similar authorities"),
            (groups.benchmark, "benchmark", "the benchmark authority"),
        )
        if asked and kind not in drawn
    ]
    if missing:
        out.append(
            f"Asked for but not drawn: {' and '.join(missing)}, with no figure here (counts are not compared with "
            "other authorities, and an authority may have no figure for a period)."
        )
    return out


def authority_name(r: Reader, authority: str) -> str:
    """The authority's name from its code."""
    return analysis.authority_names(r)[authority]


def cell(value: float | None, unit: str, suppressed: bool = False) -> str:
    """A figure as a table cell: the pack's format, or why it is not shown."""
    return text.SUPPRESSED if suppressed else num(value, unit)


def shown(t: Table) -> Table:
    """The table without the columns that say nothing (every cell '–', '– to –' or 'Not compared')."""
    empty = {"–", "– to –", text.NOT_COMPARED}
    keep = [i for i, c in enumerate(t.frame.columns) if not set(t.frame[c].astype(str)) <= empty]
    return Table(t.frame.iloc[:, keep], [t.widths[i] for i in keep], t.alt)


def _opt(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def bar_chart(t: pd.DataFrame, comp: pd.DataFrame, unit: str, title: str, highlight: str | None = None) -> Chart:
    """Every ward highest first, coloured by significance against the authority, with its interval."""
    d = analysis.ranked_wards(t)
    bars = [
        Bar(
            r.geo_name,
            float(r.value),
            _opt(getattr(r, "lower_95", None)),
            _opt(getattr(r, "upper_95", None)),
            getattr(r, "vs_authority", None),
        )
        for r in d.itertuples()
    ]
    # No comparator line for a count: an authority total is no comparator for a ward's count (as on the web).
    lines = [
        (f"{c.geo_name} {num(c.value, unit)}", float(c.value), c.label)
        for c in comp.itertuples()
        if pd.notna(c.value) and unit != "count"
    ]
    top, low = bars[0], bars[-1]
    spread = (
        f"highest first: {top.name} {num(top.value, unit)} to {low.name} {num(low.value, unit)}"
        if round(top.value, 6) != round(low.value, 6)
        else f"every one at {num(top.value, unit)}"
    )
    marks = "".join(f"; a line marks {n}" for n, _, _ in lines)
    alt = f"Bar chart of {title} for {len(bars)} wards, {spread}{marks}."
    return Chart("bar", title, unit, bars=bars, comparators=lines, highlight=highlight, alt=alt)


def line_chart(
    series: pd.DataFrame, codes: list[str], comp_series: pd.DataFrame, unit: str, title: str
) -> Chart | None:
    """Chosen wards and the comparators over the periods of one ward vintage, with ward intervals."""
    periods = list(dict.fromkeys(series.sort_values("period_start")["period"]))
    if len(periods) < 2:
        return None
    lines: dict[str, list[float | None]] = {}
    intervals: dict[str, tuple[list[float | None], list[float | None]]] = {}
    for code in codes:
        s = series[series["geo_code"] == code].set_index("period")
        name = s["geo_name"].iloc[0]
        lines[name] = [_opt(s["value"].get(p)) for p in periods]
        if s["lower_95"].notna().any():
            intervals[name] = (
                [_opt(s["lower_95"].get(p)) for p in periods],
                [_opt(s["upper_95"].get(p)) for p in periods],
            )
    kinds = {}
    for name, grp in comp_series.groupby("geo_name", sort=False):
        s = grp.set_index("period")["value"]
        lines[name] = [_opt(s.get(p)) for p in periods]
        kinds[name] = analysis.COMPARATOR_LABEL.get(grp["geo_type"].iloc[0], "authority")
    alt = (
        f"Line chart of {title} from {text.period_label(periods[0])} to {text.period_label(periods[-1])} for "
        + ", ".join(lines)
        + "."
    )
    labels = [text.period_label(p) for p in periods]
    return Chart("line", title, unit, categories=labels, series=lines, intervals=intervals, kinds=kinds, alt=alt)


def cover(r: Reader, authority: str, what: tuple[str, str], period: str, srcs: pd.DataFrame) -> list[tuple[str, str]]:
    """The cover's facts: authority, ward or indicator, period, date prepared, data version."""
    return [
        ("Authority", f"{authority_name(r, authority)} (authority code {authority})"),
        what,
        ("Period", period),
        ("Prepared", f"{dt.date.today():%-d %B %Y}"),
        ("Data version", f"as at {sources.data_as_at(srcs)} (latest release used); extract {r.version}"),
    ]
