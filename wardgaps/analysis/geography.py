"""The geography change log (as Fingertips keeps one): the area sets the extract holds, which
authorities' wards changed between them, and how each series is carried onto its ward set; and
the credits of the deprivation scores that order an authority's wards. All read from the extract."""

from __future__ import annotations

import pandas as pd

from wardgaps import text
from wardgaps.db import Reader
from wardgaps.meta import DEPRIVATION_SCORES

# When each set was drawn and what it is (the facts of the boundary files the build reads).
SET_NOTES = {
    ("ward", 2024): "ONS wards of May 2024, England and Wales (London's are its May-2022 wards, unchanged)",
    ("ward", 2018): "London's wards before May 2022, on the boundaries of 2018 (GLA; ONS ward codes of 2019)",
    ("ward", 2014): "London's wards of 2014 (GLA), the Ward Atlas's boundaries",
    ("lsoa", 2021): "Census 2021 LSOAs, England and Wales",
    ("lsoa", 2011): "Census 2011 LSOAs (London's with boundaries; elsewhere the inputs of apportioned figures)",
    ("msoa", 2011): "Census 2011 MSOAs (the inputs of apportioned figures; no boundaries)",
    ("authority", 2024): "Local authorities as of May 2024",
    ("region", 2024): "English regions",
    ("country", 2024): "England and Wales",
}
METHOD_TEXT = {
    "published": "as published for these wards",
    "aggregated": "whole blocks summed or averaged (best fit)",
    "apportioned": "blocks split by population weights (estimates)",
}


def area_sets(r: Reader) -> pd.DataFrame:
    """Every area set the extract holds, with what it is, its areas and the figures on it."""
    d = r.query("geography_sets")
    d["what"] = [SET_NOTES.get((t, int(v)), "") for t, v in zip(d["geo_type"], d["vintage"], strict=True)]
    return d


def ward_set_changes(r: Reader) -> pd.DataFrame:
    """The authorities with older ward sets and whether their wards changed from set to set."""
    return r.query("ward_set_changes")


def series_carry(r: Reader) -> pd.DataFrame:
    """How every series reaches its ward set: method, weights and fit-quality distribution."""
    d = r.query("series_carry")
    d["ward_set"] = d["vintage"].map(text.vintage_label)
    d["how"] = d["method"].map(METHOD_TEXT).fillna(d["method"])
    return d


def change_log_summary(changes: pd.DataFrame, sets: pd.DataFrame) -> str:
    """One sentence: the ward sets held and how many authorities' wards changed between them."""
    wards = sets[sets["geo_type"] == "ward"].sort_values("vintage")
    held = ", ".join(
        f"{text.vintage_label(v)} ({n:,} wards)" for v, n in zip(wards["vintage"], wards["areas"], strict=True)
    )
    n = len(changes)
    a = int(changes["changed_2014_2018"].sum()) if n else 0
    b = int(changes["changed_2018_2024"].sum()) if n else 0
    return (
        f"The extract holds {len(wards)} ward sets: {held}. Of the {n} authorities with an older set, "
        f"{a} changed their wards between the 2014 and 2018 sets and {b} between the 2018 set and the current one."
    )


def deprivation_sources(r: Reader, authority_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    """The sources (with licence and attribution) of the deprivation scores that order the
    authority's wards for one indicator and period: what the page and packs must credit."""
    return r.query(
        "deprivation_sources",
        authority_code=authority_code,
        indicator_id=indicator_id,
        period=period,
        vintage=vintage,
        imd_indicator=DEPRIVATION_SCORES["IMD"],
        wimd_indicator=DEPRIVATION_SCORES["WIMD"],
    )
