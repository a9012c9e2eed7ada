"""Where a pack's figures come from: sources, data-as-at, the extract's version, the closing slides."""

from __future__ import annotations

import re

import pandas as pd

from wardgaps import analysis
from wardgaps.briefing.model import Slide, Table, balanced_parts
from wardgaps.db import Reader

METHODS = (
    "Intervals are 95% confidence intervals (Wilson for proportions, Byar for counts, as published otherwise). "
    "A ward is called significantly worse or better only when the comparator lies outside the ward's "
    "interval (the Fingertips rule); without an interval no significance is claimed. The slope and relative "
    "indices of inequality (SII, RII) follow the PHE method, with wards ordered by their deprivation score: "
    "England's IMD for English wards, Wales' WIMD for Welsh wards (two indices, never one scale)."
)
_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def sources(r: Reader, ids: set[str]) -> pd.DataFrame:
    """The catalogue rows of the sources a pack uses, in the catalogue's order."""
    s = analysis.sources(r)
    cols = ["source_id", "publisher", "title", "url", "licence", "attribution", "release_date", "next_release"]
    return s[s["source_id"].isin(ids)][cols].reset_index(drop=True)


def short_publisher(publisher: str) -> str:
    """'Office for National Statistics (Nomis bulk tables)' -> 'Office for National Statistics'."""
    return publisher.split(" (")[0]


def data_as_at(srcs: pd.DataFrame) -> str:
    """The latest release date among the pack's sources (the figures are as at that release)."""
    dates = [d for r in srcs["release_date"].astype(str) for d in _DATE.findall(r)]
    return max(dates) if dates else "unknown"


def footer(srcs: pd.DataFrame) -> str:
    """The line under every slide and page: who published the figures and when."""
    names = list(dict.fromkeys(short_publisher(p) for p in srcs["publisher"]))
    who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"Source: {who}. Data as at {data_as_at(srcs)}."


def closing_slides(srcs: pd.DataFrame, renderer: str, extra: list[str], most: int = 4) -> list[Slide]:
    """Sources (one row each, at most ``most`` a slide, balanced), then methods and any caveats."""
    rows = pd.DataFrame(
        {
            "Publisher, dataset and address": [f"{r.publisher}: {r.title}. {r.url}" for r in srcs.itertuples()],
            "Released (next)": [f"{r.release_date} (next: {r.next_release})" for r in srcs.itertuples()],
            "Licence and attribution": [f"{r.licence}. {r.attribution}" for r in srcs.itertuples()],
        }
    )
    lead = "Every figure in this pack comes from these official releases."
    if srcs["source_id"].astype(str).str.startswith("local_").any():
        lead = (
            "Every figure in this pack comes from these releases; those marked Local data are the council's own "
            "figures, not official statistics."
        )
    out = []
    for suffix, part in balanced_parts(rows, most):
        out.append(
            Slide(
                f"Sources and licences{suffix}",
                lead=lead,
                table=Table(part, [4.5, 2.4, 5.1], alt="Table of the pack's sources"),
            )
        )
    out.append(
        Slide(
            "Methods and caveats",
            bullets=[METHODS, *extra, f"Maps drawn with {renderer}."],
        )
    )
    return out
