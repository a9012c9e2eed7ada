"""A theme's ward series side by side: the longest span of ward figures an authority has for one
theme (e.g. child poverty: DWP's before-housing-costs counts FYE 2015-2022 carried from MSOAs,
then DWP's after-housing-costs ward table FYE 2024-2025), each series a line of its own, labelled
by what it counts and its source, never joined across the break as if one series."""

from __future__ import annotations

import pandas as pd

from wardgaps import text
from wardgaps.db import Reader
from wardgaps.meta import WARD_VINTAGE


def theme_counts(r: Reader, authority_code: str, theme: str, vintage: int = WARD_VINTAGE) -> pd.DataFrame:
    """Every ward series of a theme as counts (a count's value, a rate's numerator), one line per
    indicator and ward: ``label`` names the series and its source, ``value`` the count."""
    d = r.query("ward_theme_counts", authority_code=authority_code, theme=theme, vintage=vintage)
    d = d[d["children"].notna() | d["indicator_id"].notna()].copy()
    what = d["numerator_label"].where(d["unit"] != "count", d["short_title"]).fillna(d["short_title"])
    how = d["method"].map(lambda m: "estimates" if m == "apportioned" else "as published")
    d["series"] = what.astype(str) + " (" + d["publisher"].fillna(d["source_id"]).astype(str) + ", " + how + ")"
    d["label"] = d["geo_name"].astype(str) + ": " + d["series"]
    return d.rename(columns={"children": "value"})


def theme_span(r: Reader, authority_code: str, theme: str, vintage: int = WARD_VINTAGE) -> dict | None:
    """The span the theme's ward series cover together when they follow one another (each later
    one starting after the one before ends): first and last period, the number of financial years
    from first to last, and one sentence per series. None where fewer than two series follow on."""
    d = theme_counts(r, authority_code, theme, vintage).dropna(subset=["value"])
    if d.empty:
        return None
    g = d.groupby(["indicator_id", "series"], as_index=False).agg(
        first_start=("period_start", "min"),
        last_start=("period_start", "max"),
        periods=("period", "nunique"),
        first=("period", lambda s: s.loc[d.loc[s.index, "period_start"].idxmin()]),
        last=("period", lambda s: s.loc[d.loc[s.index, "period_start"].idxmax()]),
    )
    g = g.sort_values(["first_start", "periods"], ascending=[True, False])
    # the longest run of series each starting after the previous one ends (a break, not an overlap)
    chain = [g.iloc[0]]
    for _, row in g.iloc[1:].iterrows():
        if row["first_start"] > chain[-1]["last_start"]:
            chain.append(row)
    if len(chain) < 2:
        return None
    years = pd.Timestamp(chain[-1]["last_start"]).year - pd.Timestamp(chain[0]["first_start"]).year + 1
    return {
        "indicators": [c["indicator_id"] for c in chain],
        "first_period": chain[0]["first"],
        "last_period": chain[-1]["last"],
        "years": years,
        "parts": [f"{c['series']}, {text.period_label(c['first'])} to {text.period_label(c['last'])}" for c in chain],
    }
