"""IMD 2019 scores for every English ward outside London, from the mySociety Composite UK IMD.

The mirror's MHCLG files hold IoD 2019 scores for London's LSOAs only (the GLA workbook, read by
:mod:`wardgaps.ingest.iod`); elsewhere they hold ranks and deciles. mySociety's composite file
(``UK_IMD_E.csv``, CC BY 4.0) carries, for each English LSOA 2011, ``overall_local_score``: the
score in the area's own national index, which for England is the IoD 2019 IMD score. London
keeps the GLA's figures and weights; the LSOAs outside London go to the current wards by the same
weights and code path as the IoD 2015 scores (mid-2020 population through the ONS LSOA 2011 ->
2021 lookup), and England's figure is the mean over all its LSOAs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wardgaps.ingest.common import DataError, check_codes, check_unique, read_csv, to_number
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.iod import NATIONAL_BASIS, _national11

F_COMPOSITE = "mysociety_composite_uk_imd_2020/UK_IMD_E.csv"
SOURCE = "mysociety_composite_imd"
NATIONS = {"E": r"E01\d{6}", "W": r"W01\d{6}", "S": r"S01\d{6}", "N": r"95\w{6}"}


def read_composite(path: Path) -> pd.DataFrame:
    """The composite file: ``nation``, ``lsoa`` and ``score`` (``overall_local_score``), every
    row of every nation checked (codes of their nation, unique, a score for each)."""
    df = read_csv(path, required=["nation", "lsoa", "overall_local_score"])
    unknown = ~df["nation"].isin(NATIONS)
    if unknown.any():
        raise DataError(path, f"column 'nation' has an unknown value '{df.loc[unknown, 'nation'].iloc[0]}'")
    for nation, pattern in NATIONS.items():
        part = df[df["nation"] == nation]
        check_codes(part["lsoa"], pattern, path, "lsoa")
    check_unique(df, ["lsoa"], path)
    score, _ = to_number(df["overall_local_score"], path, "overall_local_score")
    if score.isna().any():
        raise DataError(path, f"LSOA '{df.loc[score.isna(), 'lsoa'].iloc[0]}' has no overall_local_score")
    return pd.DataFrame({"nation": df["nation"], "lsoa": df["lsoa"], "score": score})


def england_scores(raw: Path, geo: Geo) -> pd.DataFrame:
    """England's LSOA 2011 IMD 2019 scores (``lsoa``, ``value``, ``weight`` = mid-2020 population),
    refused unless they cover exactly the English LSOAs 2011 of the population file."""
    path = raw / F_COMPOSITE
    d = read_composite(path)
    eng = d[d["nation"] == "E"]
    pop = geo.pop20_lsoa11
    english = set(pop.index[pop.index.str.startswith("E01")])
    extra, missing = sorted(set(eng["lsoa"]) - english), sorted(english - set(eng["lsoa"]))
    if extra or missing:
        which = f"LSOA '{extra[0]}' is not an English LSOA 2011" if extra else f"LSOA '{missing[0]}' is missing"
        raise DataError(path, which)
    return pd.DataFrame({"lsoa": eng["lsoa"], "value": eng["score"], "weight": eng["lsoa"].map(pop)})


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    blocks = england_scores(raw, geo)
    frames = _national11(geo, "imd_score", "2019", SOURCE, blocks, False, NATIONAL_BASIS.format(2019))
    return pd.concat(frames, ignore_index=True)
