"""Wales' own deprivation index: WIMD 2019 scores to population-weighted ward, authority and Wales
means, and WIMD 2025 (ranks only) as the share of an area's LSOAs in Wales' most deprived 10% and
20%.

WIMD and England's IMD are different indices (different indicators, weights and years): their
figures are separate indicators, for Welsh areas only, never set against an English figure.

* 2019: Welsh Government's scores as published (1 dp; mySociety's CSV export of the WG scores
  workbook), checked against the full-precision table of ``humaniverse/IMD`` (both read from the WG
  workbooks: every score must round to the published one). Ward means are apportioned as England's
  IMD 2015/2019 outside London: mid-2020 population of each LSOA 2011, carried onto May-2024 wards
  through the ONS LSOA 2011 -> 2021 lookup and the best-fit 2021 LSOA -> ward lookup.
* 2025: ranks of the 1,917 LSOAs 2021, 1 = most deprived. An LSOA is in the most deprived 10% when
  its rank is at most ⌊1,917 × 10 / 100⌋ = 191, in the most deprived 20% when at most 383 (the
  tenths of the ranking, as ``ceil(rank / 191.7)``; WG's own decile bands, 191-193 wide, are not in
  the sources and may differ by one LSOA at an edge). Areas count their whole 2021 LSOAs by ONS's
  best-fit lookup.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.aggregate import mean_weights, sum_counts, weighted_mean
from wardgaps.ingest.common import (
    CURRENT,
    WALES,
    DataError,
    check_codes,
    check_unique,
    obs_frame,
    read_csv,
    to_number,
)
from wardgaps.ingest.geo import Geo
from wardgaps.ingest.iod import _emit

F19 = "wg_wimd2019_lsoa11/wimd-2019-index-and-domain-scores.csv"
F19_FULL = "wg_wimd2019_lsoa11/imd_wales_lsoa.csv"
F25 = "wg_wimd2025_lsoa21/wimd-2025-index-and-domain-ranks-by-small-area.csv"
BASIS = (
    "ONS population mid-2020 x LSOA 2011 to ward (May 2024) shares by Census 2021 population, "
    "Wales, WIMD 2019 (ward mean weights)"
)
# indicator -> the percentage of Wales' LSOAs counted as most deprived
CUTS = {"wimd_most_deprived_10pct": 10, "wimd_most_deprived_20pct": 20}


def cut_rank(n: int, percent: int) -> int:
    """The last rank inside the most deprived ``percent`` of ``n`` ranked LSOAs (rounded down)."""
    return n * percent // 100


def read_2019(raw: Path) -> pd.DataFrame:
    """WIMD 2019 scores by LSOA 2011 (``lsoa``, ``score``), as WG published them, refused unless the
    full-precision table has the same LSOAs and every one of its scores rounds to the published one."""
    path, full_path = raw / F19, raw / F19_FULL
    df = read_csv(path, required=["lsoa", "WIMD 2019"])
    check_codes(df["lsoa"], r"W01\d{6}", path, "lsoa")
    check_unique(df, ["lsoa"], path)
    score, _ = to_number(df["WIMD 2019"], path, "WIMD 2019")
    if score.isna().any():
        raise DataError(path, f"LSOA '{df.loc[score.isna(), 'lsoa'].iloc[0]}' has no WIMD 2019 score")
    out = pd.DataFrame({"lsoa": df["lsoa"], "score": score})
    full = read_csv(full_path, required=["lsoa_code", "IMD_score"])
    check_unique(full, ["lsoa_code"], full_path)
    exact, _ = to_number(full["IMD_score"], full_path, "IMD_score")
    m = out.merge(pd.DataFrame({"lsoa": full["lsoa_code"], "exact": exact}), on="lsoa", how="outer", indicator=True)
    if (m["_merge"] != "both").any():
        raise DataError(
            full_path, f"LSOA '{m.loc[m['_merge'] != 'both', 'lsoa'].iloc[0]}' is not in both WIMD 2019 files"
        )
    off = (m["exact"].round(1) - m["score"]).abs() > 1e-9
    if off.any():
        raise DataError(
            full_path, f"LSOA '{m.loc[off, 'lsoa'].iloc[0]}': IMD_score does not round to the published score"
        )
    return out.reset_index(drop=True)


def read_2025(raw: Path) -> pd.DataFrame:
    """WIMD 2025 overall ranks by LSOA 2021 (``lsoa``, ``rank``): the sheet's export carries a
    trailing empty column and all-comma lines, dropped; the ranks must run 1 to the number of LSOAs."""
    path = raw / F25
    df = read_csv(path, required=["LSOA code", "WIMD 2025"])
    df = df.dropna(subset=["LSOA code"])
    check_codes(df["LSOA code"], r"W01\d{6}", path, "LSOA code")
    check_unique(df, ["LSOA code"], path)
    rank, _ = to_number(df["WIMD 2025"], path, "WIMD 2025")
    if not np.array_equal(np.sort(rank.to_numpy()), np.arange(1, len(df) + 1)):
        raise DataError(path, f"column 'WIMD 2025' is not the ranks 1 to {len(df)}")
    return pd.DataFrame({"lsoa": df["LSOA code"], "rank": rank.astype(int)}).reset_index(drop=True)


def _same_lsoas(have: pd.Series, want: pd.Series, path: Path, what: str) -> None:
    extra, missing = sorted(set(have) - set(want)), sorted(set(want) - set(have))
    if extra:
        raise DataError(path, f"LSOA '{extra[0]}' is not a Welsh {what}")
    if missing:
        raise DataError(path, f"Welsh {what} '{missing[0]}' is missing")


def scores_2019(raw: Path, geo: Geo) -> list[pd.DataFrame]:
    """WIMD 2019 score: LSOAs as published, wards apportioned, authorities and Wales aggregated."""
    s = read_2019(raw)
    lk = geo.lsoa11_to_ward_national
    lk = lk[lk["lsoa"].str.startswith("W01")][["lsoa", "ward", "share"]]
    _same_lsoas(s["lsoa"], lk["lsoa"], raw / F19, "LSOA 2011 of the ONS LSOA 2011 to 2021 lookup")
    weight = s["lsoa"].map(geo.pop20_lsoa11)
    if weight.isna().any():
        raise DataError(raw / F19, f"LSOA '{s.loc[weight.isna(), 'lsoa'].iloc[0]}' has no mid-2020 population")
    blocks = pd.DataFrame({"lsoa": s["lsoa"], "value": s["score"], "weight": weight})
    geo.record_weights(BASIS, mean_weights(blocks, lk), 2011, CURRENT, [("wimd_score", "2019")])
    ward_la = geo.ward_lookup.set_index("geo_code")["authority_code"]
    la = lk.assign(ward=lk["ward"].map(ward_la)).groupby(["lsoa", "ward"], as_index=False)["share"].sum()
    wales = blocks[["lsoa"]].assign(ward=WALES)
    parts = [
        (blocks.rename(columns={"lsoa": "geo_code", "weight": "weight_sum"}), 2011, "published"),
        (weighted_mean(blocks, lk), CURRENT, "apportioned"),
        (weighted_mean(blocks, la), CURRENT, "aggregated"),
        (weighted_mean(blocks, wales), CURRENT, "aggregated"),
    ]
    return _emit("wimd_score", "2019", "wimd2019", parts, counts=False)


OVERLAP_BASIS = "LSOA 2021 area overlap (each LSOA by its area share), Welsh wards the best-fit lookup gives no LSOA"


def shares_2025(raw: Path, geo: Geo) -> list[pd.DataFrame]:
    """WIMD 2025: each area's share of its LSOAs 2021 in Wales' most deprived 10% and 20%.

    Stored as a value without numerator and denominator: they would count LSOAs, not people, and
    the public view's small-count rules (for people and households) must not hide or round a
    share of areas whose every rank is published."""
    r = read_2025(raw)
    lu = geo.lu_lsoa21_ward
    lu = lu[lu["lsoa"].str.startswith("W01")]
    _same_lsoas(r["lsoa"], lu["lsoa"], raw / F25, "LSOA 2021 of the ONS LSOA 2021 to ward lookup")
    lookups = [
        (lu[["lsoa", "ward"]], CURRENT),
        (lu[["lsoa"]].assign(ward=lu["authority_code"]), CURRENT),
        (lu[["lsoa"]].assign(ward=WALES), CURRENT),
    ]
    empty = geo.lsoa21_to_empty_wards
    empty = empty[empty["lsoa"].str.startswith("W01")]
    frames = []
    for ind, percent in CUTS.items():
        inside = (r["rank"] <= cut_rank(len(r), percent)).astype(float)
        blocks = pd.DataFrame({"lsoa": r["lsoa"], "num": inside, "den": 1.0})
        parts = [(blocks.rename(columns={"lsoa": "geo_code"}), 2021, "published")]
        parts += [(sum_counts(blocks, lk, ["num", "den"]), vintage, "aggregated") for lk, vintage in lookups]
        # the wards the best-fit lookup gives no LSOA: each overlapping LSOA counted by its area share
        m = empty.merge(blocks, on="lsoa")
        m = m.assign(num=m["num"] * m["share"], den=m["den"] * m["share"], sq=m["share"] ** 2)
        g = m.groupby("ward", as_index=False)[["num", "den", "sq"]].sum()
        g = g.assign(fit_quality=(g["sq"] / g["den"]).round(4)).rename(columns={"ward": "geo_code"})
        parts.append((g, CURRENT, "apportioned"))
        xw = mean_weights(blocks.assign(weight=1.0), empty)
        geo.record_weights(OVERLAP_BASIS, xw, 2021, CURRENT, [(ind, "2025")])
        for d, vintage, method in parts:
            frames.append(
                obs_frame(
                    indicator_id=ind,
                    geo_code=d["geo_code"].to_numpy(),
                    vintage=vintage,
                    period="2025",
                    period_start=pd.Timestamp(2025, 1, 1),
                    value=(100.0 * d["num"] / d["den"]).round(4).to_numpy(),
                    method=method,
                    fit_quality=d["fit_quality"].to_numpy() if "fit_quality" in d else np.nan,
                    status="estimate" if method == "apportioned" else "final",
                    source_id="wimd2025",
                )
            )
    return frames


def load(raw: Path, geo: Geo) -> pd.DataFrame:
    return pd.concat([*scores_2019(raw, geo), *shares_2025(raw, geo)], ignore_index=True)
