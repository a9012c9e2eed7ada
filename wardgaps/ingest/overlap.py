"""Area-overlap shares for the current wards that the ONS best-fit LSOA 2021 -> ward lookup gives
no LSOA, for :class:`wardgaps.ingest.geo.Geo`.

The best-fit lookup puts each 2021 LSOA wholly in one ward, so a ward holding no LSOA's
population-weighted centre gets nothing (43 wards of May 2024: 20 of the City of London's 25,
the four off-islands of Scilly, 9 more English wards and 10 Welsh). For these wards only, a 2021
LSOA whose boundary overlaps the ward is split by **area**: the ward gets the share of the LSOA's
area inside it, the LSOA's best-fit ward keeps the rest. Within an LSOA the population is taken as
spread evenly over its area (the mirror holds no smaller areas' populations for May-2024 wards),
so these are overlap estimates, kept as ``apportioned`` with their weights and a low
``fit_quality``.

Two rules keep the estimate honest and the sums whole: overlaps under :data:`MIN_SHARE` of an
LSOA's area are ignored (slivers where two generalised boundary sets disagree), and an LSOA is only
split with a ward of its own authority (so every authority's total is unchanged). Both boundary
sets are the ONS super-generalised (BSC) ones, measured in British National Grid.
"""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from wardgaps.ingest.common import DataError
from wardgaps.ingest.geo_files import F_LU_LSOA21_WD24

# An overlap smaller than this part of an LSOA's area is taken as boundary noise.
MIN_SHARE = 0.01
BNG = CRS.from_epsg(27700)
OVERLAP_NOTE = "area overlap for wards the best-fit lookup gives no LSOA"


class OverlapLookups:
    """Best-fit LSOA 2021 -> ward, with area-overlap splits for wards given no LSOA."""

    @cached_property
    def wards_without_lsoa(self) -> list[str]:
        """Current wards of England and Wales that the best-fit LSOA 2021 lookup gives no LSOA."""
        have = set(self.lu_lsoa21_ward["ward"])
        return sorted(set(self.ward_lookup["geo_code"]) - have)

    @cached_property
    def lsoa21_overlap(self) -> pd.DataFrame:
        """The split LSOAs: ``lsoa``, ``ward``, ``authority_code``, ``share`` (area share; the
        LSOA's best-fit ward keeps 1 minus the shares given away), for every LSOA 2021 overlapping
        a ward without LSOA by at least :data:`MIN_SHARE` of its area, within its own authority."""
        empty = self.wards[self.wards["geo_code"].isin(self.wards_without_lsoa)].to_crs(BNG)
        ls = self.lsoa21.to_crs(BNG)
        ls = ls.assign(lsoa_area=ls.geometry.area)
        x = gpd.overlay(
            ls[["geo_code", "authority_code", "lsoa_area", "geometry"]].rename(columns={"geo_code": "lsoa"}),
            empty[["geo_code", "authority_code", "geometry"]].rename(
                columns={"geo_code": "ward", "authority_code": "ward_authority"}
            ),
            how="intersection",
            keep_geom_type=True,
        )
        x["share"] = x.geometry.area / x["lsoa_area"]
        x = pd.DataFrame(x[(x["share"] >= MIN_SHARE) & (x["authority_code"] == x["ward_authority"])])
        x = x[["lsoa", "ward", "authority_code", "share"]]
        lost = sorted(set(self.wards_without_lsoa) - set(x["ward"]))
        if lost:
            raise DataError(self.p(F_LU_LSOA21_WD24), f"ward '{lost[0]}' has no LSOA and overlaps none")
        given = x.groupby("lsoa")["share"].sum()
        # generalised boundaries can make the parts add to a little over the whole
        scale = (1.0 / given).clip(upper=1.0)
        x["share"] = x["share"] * x["lsoa"].map(scale)
        best = self.lu_lsoa21_ward[self.lu_lsoa21_ward["lsoa"].isin(given.index)]
        best = best.assign(share=1.0 - best["lsoa"].map(given.clip(upper=1.0)))
        out = pd.concat([best[best["share"] > 0], x], ignore_index=True)
        return out.sort_values(["lsoa", "ward"]).reset_index(drop=True)

    @cached_property
    def lu_lsoa21_ward_split(self) -> pd.DataFrame:
        """Every LSOA 2021 -> current ward with ``share`` (1 for a best-fit LSOA, area shares for
        the LSOAs of :attr:`lsoa21_overlap`): ``lsoa``, ``ward``, ``authority_code``, ``share``."""
        split = self.lsoa21_overlap
        whole = self.lu_lsoa21_ward[~self.lu_lsoa21_ward["lsoa"].isin(set(split["lsoa"]))].assign(share=1.0)
        return pd.concat([whole, split], ignore_index=True)[["lsoa", "ward", "authority_code", "share"]]

    @cached_property
    def lsoa21_to_empty_wards(self) -> pd.DataFrame:
        """Only the pieces of the wards without LSOA (``lsoa``, ``ward``, ``share``): added beside
        the best-fit lookup where an area mean is taken (IMD 2025, WIMD 2025)."""
        x = self.lsoa21_overlap
        return x[x["ward"].isin(self.wards_without_lsoa)][["lsoa", "ward", "share"]].reset_index(drop=True)
