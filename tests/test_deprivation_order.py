"""Which index orders a ward (unit): England's IMD for English wards, Wales' WIMD for Welsh ones,
never the other, even where a figure of the other index were stored for the ward."""

from __future__ import annotations

import pandas as pd

from wardgaps import meta
from wardgaps.ingest.wimd import cut_rank
from wardgaps.views.wards import _deprivation


def test_each_ward_is_ordered_by_its_own_countrys_index():
    grid = pd.DataFrame(
        {
            "geo_code": ["E05000001", "W05000001", "W05000001"],
            "vintage": [2024, 2024, 2024],
            "period_start": pd.to_datetime(["2023-04-01", "2023-04-01", "2024-04-01"]),
        }
    )
    obs = pd.DataFrame(
        {
            "indicator_id": ["imd_score", "wimd_score", "imd_score", "wimd_score", "wimd_most_deprived_10pct"],
            "geo_code": ["E05000001", "E05000001", "W05000001", "W05000001", "W05000001"],
            "vintage": 2024,
            "period": ["2019", "2019", "2019", "2019", "2025"],
            "value": [30.0, 99.0, 77.0, 12.5, 100.0],
        }
    )
    d = _deprivation(grid, obs)
    assert list(d["deprivation"]) == [30.0, 12.5, 12.5]
    # FYE 2025's edition would be 2025: WIMD 2025 has no score, so the 2019 score, named
    assert list(d["deprivation_period"]) == ["2019", "2019", "2019"]


def test_index_names_and_circularity():
    assert (meta.deprivation_index("W06000015"), meta.deprivation_index("E08000003")) == ("WIMD", "IMD")
    for sid in ("iod2019", "wimd2019", "wimd2025", "mysociety_composite_imd"):
        assert meta.is_deprivation_index({"source_id": sid})
    assert not meta.is_deprivation_index({"source_id": "dwp_cilif"})
    assert not meta.is_deprivation_index({"source_id": "local_wimd_notes", "local": True})


def test_most_deprived_cut_from_ranks():
    """10% and 20% of Wales' 1,917 LSOAs 2021, rounded down: ranks 1-191 and 1-383."""
    assert [cut_rank(1917, p) for p in (10, 20)] == [191, 383]
    assert [cut_rank(1909, p) for p in (10, 20)] == [190, 381]
