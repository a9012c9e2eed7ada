"""London wards the GLA's LSOA 2011 shares give no resident (the City of London's business wards)
take IoD 2015/2019 figures by the national LSOA 2011 -> 2021 -> ward chain, area overlap included
(issue 21). Tiny inputs, no data files."""

from __future__ import annotations

import pandas as pd
import pytest

from wardgaps.ingest.aggregate import weighted_mean
from wardgaps.ingest.iod import gla_gaps
from wardgaps.ingest.lookups import chain_pieces, wards_of_chain


class _Geo:
    """The one attribute gla_gaps reads."""

    ward_lookup = pd.DataFrame(
        {"geo_code": ["W_RES", "W_BIZ", "W_OUT"], "authority_code": ["E09000001", "E09000001", "E06000001"]}
    )


def test_gaps_are_the_london_wards_the_gla_shares_give_no_resident():
    gla = pd.DataFrame({"lsoa": ["A", "B"], "ward": ["W_RES", "W_BIZ"]})
    blocks = pd.DataFrame({"lsoa": ["A", "B"], "value": [10.0, 20.0], "weight": [100.0, 0.0]})
    # W_BIZ's only LSOA has no resident; W_OUT is outside London (the national lookup's)
    assert gla_gaps(_Geo(), gla, blocks) == {"W_BIZ"}


def test_chain_shares_over_the_whole_lsoa_for_the_gap_wards_only():
    # 2011 LSOA A became 2021 LSOA X (population 300); 2011 LSOAs B and C merged into Y (200,
    # 100 each). X is best fit to W_RES, but W_BIZ takes a quarter of its area by overlap.
    pairs = pd.DataFrame({"lsoa11_code": ["A", "B", "C"], "lsoa21_code": ["X", "Y", "Y"], "p": [300.0, 100.0, 100.0]})
    split = pd.DataFrame(
        {
            "lsoa": ["X", "X", "Y"],
            "ward": ["W_RES", "W_BIZ", "W_RES"],
            "authority_code": ["E09000001"] * 3,
            "share": [0.75, 0.25, 1.0],
        }
    )
    lk = wards_of_chain(chain_pieces(pairs, split), {"W_BIZ"})
    assert lk[["lsoa", "ward"]].values.tolist() == [["A", "W_BIZ"]]
    assert lk["share"].tolist() == pytest.approx([0.25])  # of A's whole population, not of W_BIZ's part
    assert lk["pop"].tolist() == pytest.approx([300.0])
    blocks = pd.DataFrame({"lsoa": ["A", "B", "C"], "value": [30.0, 10.0, 50.0], "weight": [280.0, 90.0, 95.0]})
    d = weighted_mean(blocks, lk)
    assert d["value"].tolist() == pytest.approx([30.0])
    assert d["weight_sum"].tolist() == pytest.approx([70.0])  # 280 x 0.25
