"""Twins that share a numerator are hidden together (wardgaps.disclosure.suppress), and the
whole-artefact audit (tests.audit.twin_leaks) finds a rate hidden beside its shown count twin."""

from __future__ import annotations

import pandas as pd

from tests.audit import twin_leaks
from wardgaps import disclosure

RATE, COUNT = "child_poverty_bhc_rate_dwp", "child_poverty_bhc_dwp"


def _cells() -> pd.DataFrame:
    """Three wards of one authority, each with a rate and its count twin (numerator = count); the
    rate of the first ward suppressed by its publisher, its count of 40 children not small."""
    rows = []
    for i, (n, d) in enumerate([(40, 200), (60, 300), (80, 250)]):
        ward = f"E0500000{i}"
        common = {"geo_code": ward, "vintage": 2024, "period": "FYE 2022", "geo_type": "ward"}
        common |= {"authority_code": "E08000012", "region_code": "E12000002", "country_code": "E92000001"}
        status = "suppressed" if i == 0 else "estimate"
        rows.append(
            common
            | {
                "indicator_id": RATE,
                "unit": "%",
                "value": 100 * n / d,
                "numerator": n,
                "denominator": d,
                "status": status,
            }
        )
        rows.append(
            common
            | {
                "indicator_id": COUNT,
                "unit": "count",
                "value": n,
                "numerator": n,
                "denominator": None,
                "status": "estimate",
            }
        )
    df = pd.DataFrame(rows)
    for c in ("lower_95", "upper_95", "lower_998", "upper_998", "fit_quality"):
        df[c] = float("nan")
    return df


def test_a_hidden_rate_hides_its_count_twin():
    df = _cells()
    hidden = disclosure.suppress(df)
    twin = (df["indicator_id"] == COUNT) & (df["geo_code"] == "E05000000")
    assert bool(hidden[twin].iloc[0])  # the old rules showed this count (40, not small)
    # and the audit finds no twin leak in what the public sees
    shown = disclosure.apply(df, hidden)
    both = shown.merge(df, on=["indicator_id", "geo_code", "vintage", "period"], suffixes=("", "_full"))
    assert twin_leaks(both).empty


def test_the_audit_catches_a_rate_hidden_beside_its_shown_count():
    """As the old rules left it: the rate hidden (its rounded denominator still shown), its count
    twin shown, so count / denominator gives the rate back."""
    df = _cells()
    hidden = pd.Series(df["status"].eq("suppressed"), index=df.index)
    shown = disclosure.apply(df, hidden)
    both = shown.merge(df, on=["indicator_id", "geo_code", "vintage", "period"], suffixes=("", "_full"))
    leaks = twin_leaks(both)
    assert list(leaks["geo_code"]) == ["E05000000"] and leaks["denominator"].iloc[0] == 200


def test_a_numerator_equal_to_an_unrelated_count_in_one_row_is_twinned_there():
    """Two indicators that are not twins (their numerator and count differ in most rows) but agree
    exactly in one: there the hidden rate's numerator is the shown count, so that row is twinned
    (as an LSOA wholly in IMD's most deprived 20% has its population as the share's numerator)."""
    df = _cells()
    other = df["indicator_id"].eq(COUNT)
    df.loc[other, "indicator_id"] = "population"
    df.loc[other & df["geo_code"].ne("E05000000"), "value"] = [1000, 2000]  # unrelated elsewhere
    hidden = disclosure.suppress(df)
    first = df["indicator_id"].eq("population") & df["geo_code"].eq("E05000000")
    assert bool(hidden[first].iloc[0])  # (another ward's count goes with it: secondary suppression)
    shown = disclosure.apply(df, hidden)
    both = shown.merge(df, on=["indicator_id", "geo_code", "vintage", "period"], suffixes=("", "_full"))
    assert twin_leaks(both).empty
