"""Data and methods: sources, fit quality, what the public view hides, downloads."""

from __future__ import annotations

import json

import pandas as pd

from wardgaps import text
from wardgaps.analysis.catalogue import indicator_meta, periods
from wardgaps.analysis.wards import ward_table
from wardgaps.db import Reader


def sources(r: Reader) -> pd.DataFrame:
    """Every source with its licence, release dates and the raw files read (names only)."""
    src = r.query("sources_list")
    src["files"] = [", ".join(f["file"].split("/")[-1] for f in json.loads(x)) for x in src["raw_files"]]
    return src


# What the catalogue takes from an indicator's source (queries/indicator_catalogue.sql), besides its id.
CITED = ("publisher", "licence", "attribution", "release_date", "next_release", "url")


def _own_source(r: Reader, authority_code: str, indicator_id: str, wards: bool) -> str | None:
    name = "ward_source" if wards else "authority_source"
    own = r.peek(name, authority_code=authority_code, indicator_id=indicator_id)
    return None if own.empty else str(own["source_id"].iloc[0])


def view_meta(r: Reader, authority_code: str, indicator_id: str) -> dict:
    """The indicator's metadata as a view of one authority cites it (a copy).

    The source cited is that of the figures the page shows: most of the authority's ward
    figures (DWP Stat-Xplore's MSOAs outside London for a series whose London wards are the
    GLA's), or where it has no ward figures its own figures' source; the publisher, licence and
    release dates are then that source's.
    """
    meta = indicator_meta(r, indicator_id) or {}
    if not meta or meta.get("local"):
        return meta
    own = _own_source(r, authority_code, indicator_id, wards=bool(len(periods(r, authority_code, indicator_id))))
    src = sources(r).set_index("source_id")
    if own is None or own == meta.get("source_id") or own not in src.index:
        return meta
    return {**meta, "source_id": own, **{k: src.loc[own, k] for k in CITED}}


def wards_without_lsoa(r: Reader) -> str:
    """How many current wards receive no 2021 LSOA under ONS's best fit (so no Census or IoD
    figure), with the authorities that have most of them, as a phrase for the methods page."""
    d = r.query("wards_without_lsoa")
    if d.empty:
        return "every ward receives at least one LSOA"
    top = [f"{n} in {name}" for n, name in zip(d["wards"].head(3), d["authority_name"].head(3), strict=True)]
    example = top[0] if len(top) == 1 else f"{', '.join(top[:-1])} and {top[-1]}"
    return f"{int(d['wards'].sum()):,} wards in {len(d)} authorities receive no LSOA (for example {example})"


def hidden_in_public(r: Reader) -> pd.DataFrame:
    """How many ward figures the public view hides, by indicator. In the full view: those resting
    on a count below 10 (what the rules hide first, before secondary suppression); in the public
    view: those its extract holds hidden. Counts of cells, not of people: nothing to disclose."""
    if r.public:
        out = r.query("hidden_cells")
    else:
        out = r.query("small_cells").groupby("indicator_id").size().rename("ward_figures").reset_index()
    out["indicator"] = [(indicator_meta(r, i) or {}).get("short_title", i) for i in out["indicator_id"]]
    return out


def fit_quality(r: Reader) -> pd.DataFrame:
    """How well the smaller areas behind apportioned figures fit the wards, per indicator."""
    return r.query("fit_quality")


DOWNLOAD_COLUMNS = [
    "geo_code",
    "geo_name",
    "indicator_id",
    "unit",
    "period",
    "vintage",
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "rank",
    "authority_value",
    "region_value",
    "country_value",
    "vs_authority",
    "vs_region",
    "vs_country",
    "method",
    "status",
    "fit_quality",
]


def download_view(r: Reader, authority_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    """The current view as a download: the ward table with its indicator, unit and period."""
    meta = indicator_meta(r, indicator_id) or {}
    t = ward_table(r, authority_code, indicator_id, period, vintage)
    view = t.assign(indicator_id=indicator_id, unit=meta.get("unit"), period=period, vintage=vintage)
    cols = [c for c in DOWNLOAD_COLUMNS if c in view.columns]
    if meta.get("unit") == "count":  # a count is not set against totals
        cols = [c for c in cols if not c.endswith("_value") and not c.startswith("vs_")]
    if authority_code.startswith("W"):  # Wales is a Welsh authority's region and country: named once
        cols = [c for c in cols if c not in ("region_value", "vs_region")]
    return view[cols]


def extract_observations(r: Reader) -> pd.DataFrame:
    """The whole observations table of the reader's extract (in the public view, the public
    extract's: every figure as published there)."""
    return r.query("extract_observations")


def source_periods(r: Reader, items: list[tuple[str, str]]) -> list[str]:
    """ "Publisher period (released …; next …)" for each distinct (source id, period)."""
    src = sources(r).set_index("source_id")
    seen, parts = set(), []
    for sid, period in items:
        if (sid, period) in seen or sid not in src.index:
            continue
        seen.add((sid, period))
        s = src.loc[sid]
        parts.append(
            f"{s['publisher'].split(' (')[0]} {text.period_label(period)} "
            f"(released {s['release_date']}; next {s['next_release']})"
        )
    return parts
