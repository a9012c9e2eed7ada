"""Lookups, population weights and crosswalks between area sets, for :class:`wardgaps.ingest.geo.Geo`.

Mixed into ``Geo``: these read the lookup files through ``self.p`` and use its boundaries and ward
lookup (``self.ward_lookup``, ``self.lsoa11``, ``self.wards14``, ``self.wards18``), each file read at
most once per build.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from wardgaps.ingest.common import DataError, check_unique, read_csv, to_number
from wardgaps.ingest.geo_files import (
    F_LU_LSOA11_LSOA21,
    F_LU_LSOA11_WD14,
    F_LU_LSOA11_WD18,
    F_LU_LSOA11_WD22_W,
    F_LU_LSOA21_WD24,
    F_POP20_LSOA11,
    F_TS007A,
)


class Lookups:
    """LSOA -> ward lookups and weights (see the module docstring)."""

    # --- lookups ------------------------------------------------------------------------------
    @cached_property
    def lu_lsoa21_ward(self) -> pd.DataFrame:
        """ONS best fit LSOA 2021 -> ward (May 2024) -> authority, England and Wales."""
        path = self.p(F_LU_LSOA21_WD24)
        df = read_csv(path, required=["lsoa21_code", "ward24_code", "ltla24_code"])
        check_unique(df, ["lsoa21_code"], path)
        known = set(self.ward_lookup["geo_code"])
        unknown = ~df["ward24_code"].isin(known)
        if unknown.any():
            raise DataError(path, f"unknown ward code '{df.loc[unknown, 'ward24_code'].iloc[0]}'")
        return df.rename(columns={"lsoa21_code": "lsoa", "ward24_code": "ward", "ltla24_code": "authority_code"})[
            ["lsoa", "ward", "authority_code"]
        ].reset_index(drop=True)

    @cached_property
    def lsoa11_chain(self) -> pd.DataFrame:
        """Every (LSOA 2011, current ward) piece through the ONS LSOA 2011 -> 2021 lookup and the
        best-fit LSOA 2021 -> ward lookup (with area-overlap shares for the wards it gives no LSOA):
        ``lsoa``, ``ward``, ``authority_code`` (the ward's), ``p`` (Census 2021 population of the
        piece, a 2021 LSOA's split evenly where several 2011 LSOAs merged into it)."""
        path = self.p(F_LU_LSOA11_LSOA21)
        df = read_csv(path, required=["lsoa11_code", "lsoa21_code", "change_code"])
        check_unique(df, ["lsoa11_code", "lsoa21_code"], path)
        pop = df["lsoa21_code"].map(self.pop21_lsoa21)
        if pop.isna().any():
            raise DataError(path, f"LSOA '{df.loc[pop.isna(), 'lsoa21_code'].iloc[0]}' has no Census 2021 population")
        df = df.assign(p=pop / df.groupby("lsoa21_code")["lsoa11_code"].transform("size"))
        return chain_pieces(df[["lsoa11_code", "lsoa21_code", "p"]], self.lu_lsoa21_ward_split)

    @cached_property
    def lsoa11_to_ward_national(self) -> pd.DataFrame:
        """LSOA 2011 -> current ward through :attr:`lsoa11_chain`, for the wards outside London
        (London keeps the GLA weights).

        ``share`` is the part of the 2011 LSOA's piece population in the ward, ``pop`` the whole
        2011 LSOA's: a ward mean weighted by pop x share is the population-weighted mean over its
        2021 population.
        """
        ch = self.lsoa11_chain
        return chain_shares(ch[~ch["authority_code"].str.startswith("E09")])

    def lsoa11_to_wards(self, wards: set[str] | frozenset[str]) -> pd.DataFrame:
        """The same chain for the given current wards only (``lsoa``, ``ward``, ``share``,
        ``pop``), shares taken over each 2011 LSOA's whole population: used for the London wards
        the GLA's weights give no resident (in the City of London)."""
        return wards_of_chain(self.lsoa11_chain, wards)

    @cached_property
    def authorities_reshaped(self) -> set[str]:
        """Current authorities whose LSOAs 2021 are not those they had in 2022 (boundary changes
        since): their Census 2021 figures as published are for another area."""
        path = self.p(F_LU_LSOA11_LSOA21)
        old = read_csv(path, required=["lsoa21_code", "ltla22_code"]).drop_duplicates("lsoa21_code")
        m = self.lu_lsoa21_ward.merge(old.rename(columns={"lsoa21_code": "lsoa"}), on="lsoa")
        moved = m[m["authority_code"] != m["ltla22_code"]]
        return set(moved["authority_code"]) | set(moved["ltla22_code"])

    @cached_property
    def former_authorities(self) -> pd.DataFrame:
        """Authorities of 2022 that no longer exist (the April-2023 mergers: Cumbria's, North
        Yorkshire's and Somerset's districts), each with the current authority it lies wholly in.

        ``whole`` says whether that current authority is made of former authorities alone, so a
        sum of their counts is its figure. From the ONS LSOA 2011 -> 2021 lookup (2022 authority of
        each 2021 LSOA) and the best-fit LSOA 2021 -> May-2024 ward lookup.
        """
        path = self.p(F_LU_LSOA11_LSOA21)
        old = read_csv(path, required=["lsoa21_code", "ltla22_code", "ltla22_name"]).drop_duplicates("lsoa21_code")
        m = old.merge(self.lu_lsoa21_ward.rename(columns={"lsoa": "lsoa21_code"}), on="lsoa21_code")
        current = set(self.authorities["authority_code"])
        gone = m[~m["ltla22_code"].isin(current)]
        into = gone.groupby("ltla22_code")["authority_code"].nunique()
        split = into[into > 1]
        if len(split):
            raise DataError(path, f"former authority '{split.index[0]}' is split between current authorities")
        out = gone.drop_duplicates("ltla22_code")[["ltla22_code", "ltla22_name", "authority_code"]]
        mixed = set(m.loc[m["ltla22_code"].isin(current), "authority_code"])
        out = out.assign(whole=~out["authority_code"].isin(mixed))
        out = out.rename(columns={"ltla22_code": "old_code", "ltla22_name": "old_name"})
        return out.sort_values("old_code").reset_index(drop=True)

    @cached_property
    def lsoa11_outside_london(self) -> pd.DataFrame:
        """England's LSOAs 2011 outside London and Wales' (names from the ONS 2011 -> 2021 lookup),
        each in the authority holding most of its population: inputs of the national IoD 2015/2019
        and WIMD 2019 wards."""
        path = self.p(F_LU_LSOA11_LSOA21)
        names = read_csv(path, required=["lsoa11_code", "lsoa11_name"]).drop_duplicates("lsoa11_code")
        lk = self.lsoa11_to_ward_national
        lk = lk.assign(authority_code=lk["ward"].map(self.ward_lookup.set_index("geo_code")["authority_code"]))
        main = lk.groupby(["lsoa", "authority_code"], as_index=False)["share"].sum()
        main = main.sort_values(["lsoa", "share", "authority_code"], ascending=[True, False, True])
        main = main.drop_duplicates("lsoa").rename(columns={"lsoa": "geo_code"})
        out = main.merge(names.rename(columns={"lsoa11_code": "geo_code", "lsoa11_name": "geo_name"}), on="geo_code")
        out = out[out["geo_code"].str.match(r"[EW]01")]
        return out[["geo_code", "geo_name", "authority_code"]].sort_values("geo_code").reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward22_weights(self) -> pd.DataFrame:
        """GLA population-weighted LSOA 2011 -> 2022 ward apportionment, all years."""
        path = self.p(F_LU_LSOA11_WD22_W)
        df = read_csv(path, required=["LSOA11CD", "GSS_CODE", "year", "weight"])
        w, _ = to_number(df["weight"], path, "weight")
        y, _ = to_number(df["year"], path, "year")
        out = pd.DataFrame({"lsoa": df["LSOA11CD"], "ward": df["GSS_CODE"], "year": y.astype(int), "weight": w})
        return out[out["weight"] > 0]

    def lsoa11_to_ward22(self, year: int) -> pd.DataFrame:
        df = self.lu_lsoa11_ward22_weights
        return df[df["year"] == year][["lsoa", "ward", "weight"]].reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward14(self) -> pd.DataFrame:
        path = self.p(F_LU_LSOA11_WD14)
        df = read_csv(path, required=["lsoa11_code", "ward17_code"])
        df = df[df["lsoa11_code"].isin(self.lsoa11["geo_code"])]
        # City of London wards are not in the City-merged 2014 set; their LSOAs go to no ward.
        df = df[df["ward17_code"].isin(self.wards14["geo_code"])]
        return df.rename(columns={"lsoa11_code": "lsoa", "ward17_code": "ward"}).reset_index(drop=True)

    @cached_property
    def lu_lsoa11_ward18(self) -> pd.DataFrame:
        path = self.p(F_LU_LSOA11_WD18)
        df = read_csv(path, required=["LSOA11CD", "WD19CD", "LAD19CD"])
        df = df[df["LAD19CD"].str.startswith("E09") & df["WD19CD"].isin(self.wards18["geo_code"])]
        return df.rename(columns={"LSOA11CD": "lsoa", "WD19CD": "ward"})[["lsoa", "ward"]].reset_index(drop=True)

    # --- populations (weights) ----------------------------------------------------------------
    @cached_property
    def pop20_lsoa11(self) -> pd.Series:
        path = self.p(F_POP20_LSOA11)
        df = read_csv(path, required=["lsoa11_code", "total_population"])
        v, _ = to_number(df["total_population"], path, "total_population")
        return pd.Series(v.to_numpy(), index=df["lsoa11_code"].to_numpy(), name="pop")

    @cached_property
    def pop21_lsoa21(self) -> pd.Series:
        """Census 2021 usual residents by LSOA 2021, England and Wales (TS007A)."""
        path = self.p(F_TS007A)
        df = read_csv(path, required=["geography code", "Age: Total"])
        v, _ = to_number(df["Age: Total"], path, "Age: Total")
        return pd.Series(v.to_numpy(), index=df["geography code"].to_numpy(), name="pop")

    # --- crosswalks ---------------------------------------------------------------------------
    def ward_crosswalk(self, lu_old: pd.DataFrame, year: int) -> pd.DataFrame:
        """Old ward -> current (May-2022) ward weights through LSOAs 2011, weighted by mid-2020 population.

        weight(old -> new) = share of the old ward's population living in the new ward.
        """
        pop = self.pop20_lsoa11.rename("pop")
        w = self.lsoa11_to_ward22(year).merge(lu_old.rename(columns={"ward": "old"}), on="lsoa")
        w = w.join(pop, on="lsoa")
        w["p"] = w["pop"] * w["weight"]
        agg = w.groupby(["old", "ward"], as_index=False)["p"].sum()
        agg["weight"] = agg["p"] / agg.groupby("old")["p"].transform("sum")
        return agg.rename(columns={"old": "from_code", "ward": "to_code"})[["from_code", "to_code", "weight", "p"]]


def chain_pieces(pairs: pd.DataFrame, split: pd.DataFrame) -> pd.DataFrame:
    """(LSOA 2011, ward) pieces from LSOA 2011 -> 2021 pairs with populations ``p`` and the LSOA
    2021 -> ward ``split`` (``lsoa``, ``ward``, ``authority_code``, ``share``)."""
    df = pairs.merge(split.rename(columns={"lsoa": "lsoa21_code"}), on="lsoa21_code")
    df = df.assign(p=df["p"] * df["share"])
    g = df.groupby(["lsoa11_code", "ward", "authority_code"], as_index=False)["p"].sum()
    return g.rename(columns={"lsoa11_code": "lsoa"})


def chain_shares(pieces: pd.DataFrame) -> pd.DataFrame:
    """``share`` of each 2011 LSOA's (chained) population in each ward, and ``pop`` its total."""
    g = pieces.groupby(["lsoa", "ward"], as_index=False)["p"].sum()
    g["pop"] = g.groupby("lsoa")["p"].transform("sum")
    g["share"] = g["p"] / g["pop"]
    return g[["lsoa", "ward", "share", "pop"]]


def wards_of_chain(pieces: pd.DataFrame, wards: set[str] | frozenset[str]) -> pd.DataFrame:
    """:func:`chain_shares` over every piece, kept for ``wards`` only: a 2011 LSOA's share in one
    of them is its part of the LSOA's whole population (the rest lies in other wards)."""
    g = chain_shares(pieces)
    return g[g["ward"].isin(wards)].reset_index(drop=True)
