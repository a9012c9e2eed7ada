"""Area-overlap shares for the wards the best-fit LSOA 2021 lookup gives no LSOA (issue 21, item 1;
docs/methods.md "Wards the best-fit lookup gives no LSOA"). Real data: the raw mirror."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from wardgaps.ingest.geo import Geo

pytestmark = pytest.mark.national  # reads the raw mirror

RAW = ROOT.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="module")
def geo():
    return Geo(RAW)


def test_every_current_ward_gets_lsoa_shares_and_every_lsoa_is_whole(geo):
    split = geo.lu_lsoa21_ward_split
    assert len(geo.wards_without_lsoa) == 43
    assert set(geo.ward_lookup["geo_code"]) == set(split["ward"])
    assert split.groupby("lsoa")["share"].sum().round(12).eq(1.0).all()
    # an LSOA is only split within its own authority, so authority totals are unchanged
    ward_la = geo.ward_lookup.set_index("geo_code")["authority_code"]
    assert (split["ward"].map(ward_la) == split["authority_code"]).all()


def test_scilly_off_islands_take_their_area_share_of_the_one_lsoa(geo):
    x = geo.lsoa21_to_empty_wards.set_index("ward")
    # St Agnes (E05011091): 10.2% of E01019077's area; Tresco 22.7%
    assert x.loc["E05011091", "lsoa"] == "E01019077"
    assert x.loc["E05011091", "share"] == pytest.approx(0.1016, abs=1e-4)
    assert x.loc["E05011094", "share"] == pytest.approx(0.2274, abs=1e-4)
    city = x.loc[x.index.str.startswith("E050092") | x.index.str.startswith("E050093")]
    assert len(city.index.unique()) == 20


def test_msoa_crosswalk_reaches_every_ward_outside_londons_boroughs(geo):
    xw = geo.msoa11_to_ward(geo.households21_lsoa21)
    ward_la = geo.ward_lookup.set_index("geo_code")["authority_code"]
    want = {w for w, a in ward_la.items() if not a.startswith("E09") or a == "E09000001"}
    assert set(xw["to_code"]) == want
    assert xw.groupby("from_code")["weight"].sum().round(9).eq(1.0).all()
