"""The council's own areas on the committed extract: Islington's 17 wards in three groups, one area's
child poverty rate checked against sums over its wards read straight from the extract."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from tests.audit import wilson
from tests.conftest import COMMITTED
from wardgaps import db
from wardgaps.__main__ import main
from wardgaps.analysis import areas

pytestmark = pytest.mark.national

ISLINGTON = "E09000019"
WARDS = [f"E05013{n}" for n in range(697, 714)]  # Arsenal ... Tufnell Park
GROUPS = {"North": WARDS[:6], "Middle": WARDS[6:12], "South": WARDS[12:]}
RATE, PERIOD = "child_poverty_ahc_dwp", "FYE 2025"


def test_an_islington_areas_child_poverty_rate_is_the_sum_over_its_wards(local_layer, tmp_path):
    rows = [f"{a},{w}" for a, ws in GROUPS.items() for w in ws]
    (tmp_path / "hubs.csv").write_text("area_name,ward_code\n" + "\n".join(rows) + "\n")
    assert main(["add-areas", "--csv", str(tmp_path / "hubs.csv"), "--set", "Hubs"]) == 0
    # the app's own settings: the file is open in this process already
    con = duckdb.connect(str(COMMITTED), read_only=True, config=dict(db.SETTINGS))
    try:
        n, d, k = con.execute(
            "select sum(numerator), sum(denominator), count(*) from observations "
            "where indicator_id = ? and period = ? and vintage = 2024 and geo_code in (select unnest(?))",
            [RATE, PERIOD, GROUPS["Middle"]],
        ).fetchone()
        authority = con.execute(
            "select value from observations where indicator_id = ? and period = ? and geo_code = ?",
            [RATE, PERIOD, ISLINGTON],
        ).fetchone()[0]
    finally:
        con.close()
    assert k == 6
    t = areas.area_table(db.reader(public=False), "Hubs", ISLINGTON, RATE, PERIOD).set_index("area_name")
    assert set(t.index) == set(GROUPS)
    middle = t.loc["Middle"]
    assert (middle["numerator"], middle["denominator"]) == pytest.approx((n, d))
    assert middle["value"] == pytest.approx(100 * n / d)
    lo, hi = wilson(np.array([n]), np.array([d]), 0.95, 100.0)
    assert (middle["lower_95"], middle["upper_95"]) == pytest.approx((lo[0], hi[0]))
    assert middle["authority_value"] == pytest.approx(authority)
    assert middle["vs_authority"] == ("worse" if lo[0] > authority else "better" if hi[0] < authority else "similar")
    assert t["n_wards"].sum() == 17
