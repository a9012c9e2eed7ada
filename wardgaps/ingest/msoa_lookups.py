"""MSOA (2011) lookups and weights, for :class:`wardgaps.ingest.geo.Geo`: carrying an MSOA count
onto the current wards outside London (London keeps the GLA's LSOA weights).

Mixed into ``Geo`` beside :class:`wardgaps.ingest.lookups.Lookups`; files are read through
``self.p``, each at most once per build.

The chain is MSOA 2011 -> LSOA 2011 (ONS, exact nesting) -> LSOA 2021 (ONS 2011-to-2021 lookup)
-> ward (ONS best fit, May 2024). Two weights make the crosswalk:

* within an MSOA, each 2011 LSOA's share is its own population of the kind the measure counts
  (``lsoa11_weight``; for households, which no 2011 LSOA file gives, the Census 2021 households of
  its 2021 pieces);
* a 2011 LSOA is split over wards by the same population of its 2021 pieces, Census 2021. A 2021
  LSOA made from several 2011 LSOAs (a merge, or a complex change) gives each of them an **equal
  share** of its population: the lookup says which 2011 LSOAs it came from, not how much of each.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from wardgaps.ingest.common import CITY_OF_LONDON, DataError, check_unique, read_csv, to_number
from wardgaps.ingest.geo_files import F_LU_LSOA11_LSOA21, F_POP19_LSOA11, F_POP20_LSOA11, F_TS007A

F_LU_LSOA11_MSOA11 = "ons_lookup_lsoa11_msoa11_msoa21/converted/lookup_lsoa11_msoa11.csv.gz"
F_TS011 = "nomis_census2021_bulk_lsoa/census2021-ts011-lsoa.csv"
CHILD_AGES = [str(a) for a in range(20)]  # 0-19: Stat-Xplore's dependent children are under 20
CHILD_BANDS = [
    "Age: Aged 4 years and under",
    "Age: Aged 5 to 9 years",
    "Age: Aged 10 to 14 years",
    "Age: Aged 15 to 19 years",
]
HOUSEHOLDS = "Household deprivation: Total: All households; measures: Value"


class MsoaLookups:
    """MSOA 2011 lookups and population-weighted crosswalks to current wards (module docstring)."""

    @cached_property
    def lu_lsoa11_msoa11(self) -> pd.DataFrame:
        """Every 2011 LSOA of England and Wales with its 2011 MSOA (``lsoa``, ``msoa``, ``msoa_name``)."""
        path = self.p(F_LU_LSOA11_MSOA11)
        df = read_csv(path, required=["lsoa11_code", "msoa11_code", "msoa11_name"])
        df = df[df["lsoa11_code"].str.match(r"[EW]01")]
        check_unique(df, ["lsoa11_code"], path)
        bad = ~df["msoa11_code"].str.fullmatch(r"[EW]02\d{6}")
        if bad.any():
            raise DataError(path, f"LSOA '{df.loc[bad, 'lsoa11_code'].iloc[0]}' has no England or Wales MSOA")
        names = df.drop_duplicates("msoa11_code")
        check_unique(names, ["msoa11_name"], path)
        return df.rename(columns={"lsoa11_code": "lsoa", "msoa11_code": "msoa", "msoa11_name": "msoa_name"})[
            ["lsoa", "msoa", "msoa_name"]
        ].reset_index(drop=True)

    @cached_property
    def msoa11_code_by_name(self) -> dict[str, str]:
        """ONS name ("County Durham 002") -> code, the 7,201 MSOAs of England and Wales: how
        Stat-Xplore's MSOA tables, which name no codes, are matched."""
        m = self.lu_lsoa11_msoa11.drop_duplicates("msoa")
        return dict(zip(m["msoa_name"], m["msoa"], strict=True))

    @cached_property
    def _lsoa11_lsoa21_pieces(self) -> pd.DataFrame:
        path = self.p(F_LU_LSOA11_LSOA21)
        df = read_csv(path, required=["lsoa11_code", "lsoa21_code"])
        check_unique(df, ["lsoa11_code", "lsoa21_code"], path)
        return df[["lsoa11_code", "lsoa21_code"]]

    def _children_lsoa11(self, rel: str) -> pd.Series:
        path = self.p(rel)
        df = read_csv(path, required=["lsoa11_code", *CHILD_AGES])
        total = sum(to_number(df[a], path, a)[0] for a in CHILD_AGES)
        return pd.Series(total.to_numpy(), index=df["lsoa11_code"].to_numpy(), name="children")

    @cached_property
    def children19_lsoa11(self) -> pd.Series:
        """Children aged 0-19 by 2011 LSOA, mid-2019 (ONS small-area estimates), England and Wales."""
        return self._children_lsoa11(F_POP19_LSOA11)

    @cached_property
    def children20_lsoa11(self) -> pd.Series:
        """Children aged 0-19 by 2011 LSOA, mid-2020 (ONS small-area estimates), England and Wales."""
        return self._children_lsoa11(F_POP20_LSOA11)

    @cached_property
    def children21_lsoa11(self) -> pd.Series:
        """Children aged 0-19 at Census 2021 by 2011 LSOA: the children of its 2021 pieces, a 2021
        LSOA made from several 2011 LSOAs split equally between them (the module docstring's rule)."""
        pc = self._lsoa11_lsoa21_pieces
        q = pc["lsoa21_code"].map(self.children21_lsoa21)
        if q.isna().any():
            first = pc.loc[q.isna(), "lsoa21_code"].iloc[0]
            raise DataError(self.p(F_LU_LSOA11_LSOA21), f"LSOA '{first}' has no children")
        q = q / pc.groupby("lsoa21_code")["lsoa11_code"].transform("size")
        return q.groupby(pc["lsoa11_code"]).sum().rename("children")

    @cached_property
    def lsoa11_authority_share(self) -> pd.DataFrame:
        """Each 2011 LSOA's part in each current authority (``lsoa``, ``authority_code``, ``share``):
        the Census 2021 children 0-19 of its 2021 pieces there (by pieces where it has none). Almost
        every 2011 LSOA lies in one authority (share 1)."""
        pc = self._lsoa11_lsoa21_pieces
        q = pc["lsoa21_code"].map(self.children21_lsoa21) / pc.groupby("lsoa21_code")["lsoa11_code"].transform("size")
        pc = pc.assign(q=q, n=1.0).merge(self.lu_lsoa21_ward.rename(columns={"lsoa": "lsoa21_code"}), on="lsoa21_code")
        g = pc.groupby(["lsoa11_code", "authority_code"], as_index=False)[["q", "n"]].sum()
        tot = g.groupby("lsoa11_code")[["q", "n"]].transform("sum")
        g["share"] = (g["q"] / tot["q"]).where(tot["q"] > 0, g["n"] / tot["n"])
        return g.rename(columns={"lsoa11_code": "lsoa"})[["lsoa", "authority_code", "share"]]

    @cached_property
    def children21_lsoa21(self) -> pd.Series:
        """Children aged 0-19 by 2021 LSOA, Census 2021 (TS007A), England and Wales."""
        path = self.p(F_TS007A)
        df = read_csv(path, required=["geography code", *CHILD_BANDS])
        total = sum(to_number(df[b], path, b)[0] for b in CHILD_BANDS)
        return pd.Series(total.to_numpy(), index=df["geography code"].to_numpy(), name="children")

    @cached_property
    def households21_lsoa21(self) -> pd.Series:
        """Households by 2021 LSOA, Census 2021 (TS011 total), England and Wales."""
        path = self.p(F_TS011)
        df = read_csv(path, required=["geography code", HOUSEHOLDS])
        v, _ = to_number(df[HOUSEHOLDS], path, HOUSEHOLDS)
        return pd.Series(v.to_numpy(), index=df["geography code"].to_numpy(), name="households")

    def msoa11_to_ward(
        self, lsoa21_weight: pd.Series, lsoa11_weight: pd.Series | None = None, lsoa11_file: str = F_POP20_LSOA11
    ) -> pd.DataFrame:
        """MSOA 2011 -> current ward outside London's boroughs (the City of London included):
        ``from_code``, ``to_code``, ``weight`` (the
        part of the MSOA's weighting population living in the ward; 1 summed over an MSOA's wards)
        and ``p`` (that population, for fit_quality). ``lsoa11_file`` is the file ``lsoa11_weight``
        was read from, named when it lacks an LSOA. See the module docstring for the rules."""
        pc = self._lsoa11_lsoa21_pieces
        q = pc["lsoa21_code"].map(lsoa21_weight)
        if q.isna().any():
            first = pc.loc[q.isna(), "lsoa21_code"].iloc[0]
            raise DataError(self.p(F_LU_LSOA11_LSOA21), f"LSOA '{first}' has no weight")
        # a 2021 LSOA with several 2011 parents: each parent an equal share of its population
        pc = pc.assign(q=q / pc.groupby("lsoa21_code")["lsoa11_code"].transform("size"), n=1.0)
        # best fit, with area-overlap shares for the wards given no LSOA (wardgaps.ingest.overlap)
        pc = pc.merge(self.lu_lsoa21_ward_split.rename(columns={"lsoa": "lsoa21_code"}), on="lsoa21_code")
        pc = pc.assign(q=pc["q"] * pc["share"], n=pc["n"] * pc["share"])
        # London's boroughs keep the GLA's series; the City of London, which they leave out, is here
        pc = pc[~pc["authority_code"].str.startswith("E09") | (pc["authority_code"] == CITY_OF_LONDON)]
        g = pc.groupby(["lsoa11_code", "ward"], as_index=False)[["q", "n"]].sum()
        tot = g.groupby("lsoa11_code")[["q", "n"]].transform("sum")
        # a 2011 LSOA whose 2021 pieces hold none of the population: split by pieces instead
        g["share"] = (g["q"] / tot["q"]).where(tot["q"] > 0, g["n"] / tot["n"])
        if lsoa11_weight is None:
            own = tot["q"]
        else:
            own = g["lsoa11_code"].map(lsoa11_weight)
            if own.isna().any():
                first = g.loc[own.isna(), "lsoa11_code"].iloc[0]
                raise DataError(self.p(lsoa11_file), f"LSOA '{first}' has no population")
        g["p"] = own.to_numpy() * g["share"]
        g = g.merge(self.lu_lsoa11_msoa11.rename(columns={"lsoa": "lsoa11_code"}), on="lsoa11_code")
        xw = g.groupby(["msoa", "ward"], as_index=False)["p"].sum()
        total = xw.groupby("msoa")["p"].transform("sum")
        if (total <= 0).any():
            raise DataError(
                self.p(F_LU_LSOA11_MSOA11), f"MSOA '{xw.loc[total <= 0, 'msoa'].iloc[0]}' has no population"
            )
        xw["weight"] = xw["p"] / total
        return xw.rename(columns={"msoa": "from_code", "ward": "to_code"})[["from_code", "to_code", "weight", "p"]]

    @cached_property
    def msoa11_outside_london(self) -> pd.DataFrame:
        """The MSOAs (2011) of England and Wales outside London, each in the current authority
        holding most of its population (``geo_code``, ``geo_name``, ``authority_code``): the
        inputs of the apportioned MSOA series."""
        xw = self.msoa11_to_ward(self.households21_lsoa21)
        auth = self.ward_lookup.set_index("geo_code")["authority_code"]
        xw = xw.assign(authority_code=xw["to_code"].map(auth))
        main = xw.groupby(["from_code", "authority_code"], as_index=False)["weight"].sum()
        main = main.sort_values(["from_code", "weight", "authority_code"], ascending=[True, False, True])
        main = main.drop_duplicates("from_code").rename(columns={"from_code": "geo_code"})
        # the City of London's MSOA is carried here but listed with London's (``self.msoa11``)
        main = main[~main["geo_code"].isin(set(self.msoa11["geo_code"]))]
        names = self.lu_lsoa11_msoa11.drop_duplicates("msoa").set_index("msoa")["msoa_name"]
        main["geo_name"] = main["geo_code"].map(names)
        return main[["geo_code", "geo_name", "authority_code"]].sort_values("geo_code").reset_index(drop=True)
