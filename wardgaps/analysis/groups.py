"""Comparison groups of authorities: its similar authorities (statistical neighbours, worked out
at build time, ``similar_authorities``) and a benchmark authority the reader chooses, set beside
its region and country wherever comparators are drawn."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from wardgaps import stats
from wardgaps.analysis.catalogue import authority_names
from wardgaps.db import Reader

SIMILAR = "similar"  # the comparator's geo_type (and its code's prefix)
BENCHMARK = "benchmark"
# Rates whose figure is numerator / denominator x scale: the group's figure is a rate of sums.
SCALE = {"%": 100.0, "rate_per_1000": 1000.0}
SUMMED = "rate of their summed counts"
MEAN = "mean of their figures"
# Said on Data and methods, and wherever the group's figure is explained.
SIMILAR_RULE = (
    "The similar authorities' figure is, for a rate or share published with its counts, the rate of "
    "the ten authorities' summed numerators over their summed denominators (its 95% interval Wilson's "
    "on those sums); for a score, ratio, distance or other figure without counts, the plain mean of "
    "their figures (no interval). Authorities with no figure for the period (or, in the public view, "
    "a hidden one) are left out, and how many were used is given beside it. Counts are not compared."
)
SIMILAR_AUTHORITIES_METHOD = (
    "Similar authorities are found as similar wards are, one level up. Each authority is described by the "
    "same eight Census 2021 characteristics (shares aged 0-14, 15-24 and 65+; shares owning, renting "
    "socially and renting privately; share of households in flats; residents per hectare, on a log scale), "
    "each its wards' numerators summed over their denominators; each is standardised across the 318 "
    "authorities of England and Wales, and an authority's similar authorities are the 10 other authorities "
    "nearest by standardised Euclidean distance (ties broken by authority code). They are worked out when "
    "the extract is built (table similar_authorities). Tick 'Compare with similar authorities' in the "
    "sidebar (?similar=1) to draw them beside the region and country on Ward gaps, the Ward map's sentences "
    "and Trends; choose a benchmark authority there (?benchmark=CODE) to draw any one authority too."
)
SEARCH_METHOD = (
    "The sidebar's search box looks through every indicator's title, short title, definition, source and "
    "theme: each word typed must begin a word of one of them ('overcrowd' finds the overcrowding "
    "indicators, 'air' the air quality ones, not 'repair'); titles count most, then the theme, then the "
    "definition and source. Choose a match to show it."
)
COLUMNS = [
    "geo_code",
    "geo_name",
    "geo_type",
    "period",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "method",
    "status",
    "n",
]


def similar_authorities(r: Reader, authority_code: str) -> pd.DataFrame:
    """The authority's similar authorities, nearest first: rank, geo_code, geo_name, distance."""
    return r.query("similar_authorities", authority_code=authority_code)


def group_figures(rows: pd.DataFrame, unit: str, code: str, name: str, total: int) -> pd.DataFrame:
    """One comparator row per period from the group's own figures (``rows``: period,
    period_start, value, numerator, denominator, status). A rate or share with every figure's
    counts: the rate of the summed counts, with Wilson's 95% interval; otherwise the mean of the
    figures. Hidden or missing figures are left out (``n`` says how many were used); counts give
    no rows (a total is no comparator). ``total``: how many authorities the group holds."""
    out = []
    if unit == "count":
        return pd.DataFrame(columns=COLUMNS)
    shown = rows[rows["value"].notna() & rows["status"].ne("suppressed")]
    for (period, start), g in shown.groupby(["period", "period_start"], sort=True):
        with_counts = g["numerator"].notna().all() and g["denominator"].notna().all() and g["denominator"].gt(0).all()
        status = next((s for s in g["status"] if s != "final"), "final")
        row = {"geo_code": code, "geo_name": name, "geo_type": SIMILAR, "period": period, "period_start": start}
        row |= {"status": status, "n": len(g), "numerator": np.nan, "denominator": np.nan}
        if unit in SCALE and with_counts:
            num, den = float(g["numerator"].sum()), float(g["denominator"].sum())
            lo, hi = stats.wilson_interval([num], [den], 0.95, SCALE[unit])
            row |= {"value": round(SCALE[unit] * num / den, 4), "numerator": num, "denominator": den}
            row |= {"lower_95": round(float(lo[0]), 4), "upper_95": round(float(hi[0]), 4), "method": SUMMED}
        else:
            row |= {"value": round(float(g["value"].mean()), 4), "lower_95": np.nan, "upper_95": np.nan}
            row["method"] = MEAN
        if len(g) < total:
            row["method"] += f", {len(g)} of {total} authorities with a figure"
        out.append(row)
    return pd.DataFrame(out, columns=COLUMNS).sort_values("period_start", kind="stable").reset_index(drop=True)


def similar_series(r: Reader, authority_code: str, indicator_id: str, unit: str) -> pd.DataFrame:
    """The similar authorities' figure in every period, one comparator row each (see
    :func:`group_figures`); empty when the extract holds no neighbours for the authority."""
    near = similar_authorities(r, authority_code)
    if near.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = r.query("similar_authority_figures", authority_code=authority_code, indicator_id=indicator_id)
    name = f"{len(near)} similar authorities"
    return group_figures(rows, unit, f"{SIMILAR}:{authority_code}", name, len(near))


def benchmark_problem(r: Reader, code: str, authority_code: str) -> str:
    """Why ``code`` cannot be the benchmark for the authority (a clause; empty when it can): the
    web then draws no benchmark, a pack is refused."""
    if code == authority_code:
        return "the benchmark is the authority shown"
    if code in authority_names(r):
        return ""
    if re.fullmatch(r"[EW]0[6-9]\d{6}", code):
        return f"{code} is not a local authority of England or Wales in Ward Gaps"
    return "that benchmark is not a local authority code (such as E08000012)"


def benchmark_choice(r: Reader, raw: str | None, authority_code: str) -> tuple[str | None, str]:
    """The benchmark authority from ``?benchmark=`` (code, or None) and, when the parameter is
    bad, one sentence saying why it is not used."""
    if raw is None or raw == "":
        return None, ""
    code = raw.strip().upper()
    why = benchmark_problem(r, code, authority_code)
    if not why:
        return code, ""
    then = "no separate benchmark is drawn" if code == authority_code else "no benchmark is drawn"
    return None, f"{why[0].upper()}{why[1:]}, so {then}."
