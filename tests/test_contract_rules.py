"""The data contract catches each of issue 9's defects when it is put back into a real extract."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.published import PUBLISHED
from wardgaps.check import VERSION_RULE, run_checks

FP = "E05013703"


@pytest.fixture()
def broken(built: Path, tmp_path: Path):
    """A writable copy of the fresh extract, to break one thing in."""
    p = tmp_path / "broken.duckdb"
    shutil.copyfile(built, p)
    con = duckdb.connect(str(p))
    yield con
    con.close()


def failing(con) -> dict[str, int]:
    """The rules a defect breaks, less the data version's: any edit to the figures breaks that one
    (tests/test_reproducible.py checks it)."""
    return {f.rule: len(f.rows) for f in run_checks(con) if f.rule != VERSION_RULE}


def test_clean_copy_passes(broken):
    assert failing(broken) == {}


def test_numerator_times_100_is_caught(broken):
    broken.execute(
        """update observations set numerator = numerator * 100
           where indicator_id = 'imd_most_deprived_20pct' and geo_code = $g and period = '2019'""",
        {"g": FP},
    )
    assert failing(broken) == {"observations: a share's numerator is not larger than its denominator": 1}


def test_apportioned_final_is_caught(broken):
    broken.execute(
        "update observations set status = 'final' where method = 'apportioned' and indicator_id = 'imd_score'"
    )
    rules = failing(broken)
    assert rules == {
        "observations: an apportioned figure is an estimate (or suppressed, with no value)": PUBLISHED["contract"][
            "imd_score_apportioned_rows"
        ]
    }


def test_values_made_with_other_weights_are_caught(broken):
    # Point IMD 2019 at the IoD 2015 weights (Census 2011 residents, 2015 shares): the stored
    # values no longer follow from the stored weights.
    # London's only: outside London the 2019 scores have weights of their own (mid-2020 populations).
    basis = broken.execute(
        """select weight_basis from apportionments where indicator_id = 'imd_score' and period = '2015'
           and weight_basis like 'Census 2011%'"""
    ).fetchone()[0]
    broken.execute(
        """update apportionments set weight_basis = $b where indicator_id = 'imd_score' and period = '2019'
           and weight_basis like 'IoD 2019%'""",
        {"b": basis},
    )
    rule = "observations: the stored weights re-applied to the stored inputs give every apportioned value"
    # (every English ward now has its 2019 score, the City's by weights of their own, so the rule that
    # every ward the weights reach has its score is not tripped as it was when some had none)
    got = failing(broken)
    assert set(got) == {rule} and got[rule] > 100


def test_changed_weight_is_caught(broken):
    broken.execute(
        """update crosswalks set weight = weight * 1.5 where to_code = $g
           and weight_basis like '2018 ward to 2022 ward%shares 2019'""",
        {"g": FP},
    )
    rule = "observations: the stored weights re-applied to the stored inputs give every apportioned value"
    assert failing(broken) == {rule: 1}  # FYE 2020 BHC for Finsbury Park


def test_apportioned_series_without_weights_is_caught(broken):
    broken.execute("delete from apportionments where indicator_id = 'population' and period = '2020'")
    rules = failing(broken)
    assert "observations: every apportioned series names its stored weight set" in rules


# --- similar wards ------------------------------------------------------------------------------
SAME_AUTHORITY = "similar wards: a neighbour is a ward with characteristics in another authority, never itself"
DISTANCE = "similar wards: distance is the standardised Euclidean distance of the z-scores, ranked (ties by code)"
Z_SCORE = "similar wards: every z-score is the stored value standardised across all wards (log where stated)"
TEN = "similar wards: every ward with characteristics has 10 neighbours ranked 1-10, and no other ward has any"


def test_neighbour_in_the_same_authority_is_caught(broken):
    # Finsbury Park's nearest ward replaced by Arsenal, another Islington ward
    broken.execute("update similar_wards set neighbour_code = 'E05013697' where geo_code = $g and rank = 1", {"g": FP})
    got = failing(broken)
    assert got[SAME_AUTHORITY] == 1 and got[DISTANCE] >= 1


def test_ranks_out_of_distance_order_are_caught(broken):
    broken.execute("update similar_wards set rank = 11 - rank where geo_code = $g", {"g": FP})
    assert DISTANCE in failing(broken)


def test_changed_z_score_is_caught(broken):
    broken.execute(
        "update ward_characteristics set z = z + 0.1 where geo_code = $g and characteristic = 'flats'", {"g": FP}
    )
    got = failing(broken)
    assert got[Z_SCORE] == 1 and got[DISTANCE] >= 10


def test_missing_neighbour_is_caught(broken):
    broken.execute("delete from similar_wards where geo_code = $g and rank = 10", {"g": FP})
    assert failing(broken) == {TEN: 1}
