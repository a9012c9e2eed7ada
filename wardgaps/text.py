"""Words and numbers as people read them: formats, labels and the narrative sentences.

One place for every label the pages, charts and packs share, so the same thing is never called
two names (a period, a ward vintage, a comparator, a significance or trend word).
"""

from __future__ import annotations

import math
import re

from wardgaps.stats import compare

VINTAGE_LABEL = {
    2024: "May-2024 wards",
    2018: "pre-2022 wards (2018 boundaries)",
    2014: "pre-2022 wards (2014 boundaries)",
}
# the comparator levels a ward is set against, as the analysis labels them
COMPARATOR_LABEL = {
    "authority": "authority",
    "region": "region",
    "country": "country",
    "similar": "similar authorities",
    "benchmark": "benchmark",
}
SIG_LABEL = {"better": "Better", "worse": "Worse", "similar": "Similar", "higher": "Higher", "lower": "Lower"}
NOT_COMPARED = "Not compared"
TREND_WORD = {"Increasing": "rising", "Decreasing": "falling", "No significant change": "no significant change"}
SUPPRESSED = "suppressed"

_FYE = re.compile(r"FYE (\d{4})")
_FY = re.compile(r"(\d{4})/(\d{2})")


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt(value: float | None, unit: str) -> str:
    """One number format per unit: percentages to one decimal, counts with thousands separators."""
    if is_missing(value):
        return "not available"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "£":
        return f"£{value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.1f}"


def unit_label(unit: str) -> str:
    """The unit as a column heading says it ("count", not a bare number)."""
    labels = {"%": "%", "£": "£", "count": "count", "score": "score"}
    labels |= {"rate_per_1000": "rate per 1,000", "km": "km", "ratio": "ratio"}
    return labels.get(unit, unit)


def period_label(period: str | None) -> str:
    """One form for a financial year wherever it comes from: "FYE 2024" and "2023/24" both read
    "FYE 2024 (2023/24)"; other periods (a year, a month) stay as published."""
    if period is None:
        return ""
    p = str(period)
    m = _FYE.fullmatch(p)
    if m:
        end = int(m.group(1))
        return f"FYE {end} ({end - 1}/{str(end)[2:]})"
    m = _FY.fullmatch(p)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        end = int(m.group(1)) + 1
        return f"FYE {end} ({p})"
    return p


def vintage_label(vintage: int | None) -> str:
    if vintage is None:
        return "authority figures only"
    return VINTAGE_LABEL.get(int(vintage), f"{vintage} wards")


def sig_label(judged: object) -> str:
    """A significance result as a table cell ("Better", "Worse", …; "Not compared" otherwise)."""
    return SIG_LABEL.get(judged, NOT_COMPARED) if isinstance(judged, str) else NOT_COMPARED


def periods_phrase(n: int) -> str:
    return f"{n} period" if n == 1 else f"{n} periods"


def narrative(
    area: str,
    value: float | None,
    lower: float | None,
    upper: float | None,
    comparator_name: str,
    comparator: float | None,
    unit: str,
    public: bool = False,
    suppressed: bool = False,
) -> str:
    """One sentence, gated on significance: "significantly higher" only when the comparator lies
    outside the area's 95% interval; "similar to" when inside; no claim without an interval."""
    if suppressed:
        return f"{area}'s figure is not shown, to protect small numbers."
    if is_missing(value):
        return f"No figure is available for {area}."
    v = fmt(value, unit)
    c = fmt(comparator, unit)
    if is_missing(comparator):
        return f"{area}'s figure is {v}; there is no {comparator_name} figure to compare it with."
    direction = compare(lower, upper, comparator)
    if direction is None:
        if public:
            return (
                f"{area}'s figure is {v}, against {c} for {comparator_name}. "
                "We cannot say whether the difference is real."
            )
        return (
            f"{area}'s figure is {v} against {c} for {comparator_name}; "
            "no interval is available, so no significance is claimed."
        )
    ci = "" if public else f", 95% CI {fmt(lower, unit)} to {fmt(upper, unit)}"
    if direction == "similar":
        if public:
            return (
                f"{area}'s figure ({v}) is similar to {comparator_name}'s ({c}): "
                "the difference could be down to chance."
            )
        return f"{area}'s figure ({v}{ci}) is similar to {comparator_name}'s ({c}): the difference is not significant."
    if public:
        return f"{area}'s figure ({v}) is clearly {direction} than {comparator_name}'s ({c})."
    return f"{area}'s figure ({v}{ci}) is significantly {direction} than {comparator_name}'s ({c})."


_MD = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")


def md_escape(value: str) -> str:
    """Text from the data shown literally in Markdown (no links, emphasis or HTML from names)."""
    return _MD.sub(r"\\\1", str(value))
