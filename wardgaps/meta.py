"""What an indicator is, from its catalogue row (a plain dict): pure rules shared by the views
computed at build and publish time and the analyses that read them. No database here."""

from __future__ import annotations

import datetime as dt

import pandas as pd

WARD_VINTAGE = 2024  # the current wards: ONS May 2024, England and Wales (London's since May 2022)
VINTAGES = (2014, 2018, 2024)  # the ward sets the extract holds (2014 and 2018: London only)
# Indicators the analyses name (bound into their queries, never written into the SQL).
POPULATION = "population"  # residents: what wards are weighted by
IMD_SCORE = "imd_score"  # the Index of Multiple Deprivation score
# Sources of deprivation indices besides England's IoD (source ids holding "iod").
DEPRIVATION_SOURCES = ("wimd", "mysociety_composite_imd")


def is_count(meta: dict) -> bool:
    return meta.get("unit") == "count"


def polarity(meta: dict) -> str:
    """Counts are never judged better or worse: ward size drives them, not need."""
    return "neutral" if is_count(meta) else meta.get("polarity", "neutral")


def is_deprivation_index(meta: dict) -> bool:
    """Indicators from the Indices of Deprivation (England's IoD, Wales' WIMD): ranking wards by the
    index to measure their gap would be circular (the index is built from them)."""
    sid = str(meta.get("source_id", ""))
    # a local id may hold the letters (local_period_…)
    return ("iod" in sid or sid.startswith(DEPRIVATION_SOURCES)) and not meta.get("local")


def imd_edition(period_start: object) -> str:
    """The IMD edition of a period's time: 2015 for periods up to 2018, 2019 up to FYE 2024
    (periods starting before April 2024), 2025 after."""
    d = pd.Timestamp(period_start).date()
    if d.year <= 2018:
        return "2015"
    if d < dt.date(2024, 4, 1):
        return "2019"
    return "2025"


# The deprivation index an authority's wards are ordered by, and the indicator holding its scores:
# England's IMD for English authorities, Wales' own WIMD for Welsh ones (never mixed: different
# indices, not one scale).
DEPRIVATION_SCORES = {"IMD": "imd_score", "WIMD": "wimd_score"}


def deprivation_index(area_code: str) -> str:
    """The index an area's wards are ordered by: "WIMD" for a Welsh authority or ward (codes W...),
    "IMD" otherwise."""
    return "WIMD" if str(area_code).startswith("W") else "IMD"
