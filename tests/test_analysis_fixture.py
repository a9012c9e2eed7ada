"""The analysis and disclosure layers on the small fixture extract (``tests/fixtures.py``).

Every expectation here is worked out by hand from the fixture's rows (test data, not statistics),
so these tests need no real extract and say exactly what each page's question should answer. The
real-extract tests (test_disclosure, test_pages, ...) stay as they are.

The fixture in short (May-2022 wards, "Fixture borough" = 7 wards, "Fixture second borough" = 3):

* rate FYE 2023: Alder 60/200 = 30%, Birch 52/208 = 25%, Hazel 36/150 = 24%, Cedar 41/205 = 20%,
  Damson 32/200 = 16%, Elm 12/100 = 12%, Fir 6/100 = 6%; borough 20.5503, London 22, England 15.
  Fir's numerator is below 10, so in public Fir and (secondary, next smallest) Elm are hidden.
* rate FYE 2025: Alder 50, Hazel 45, Birch 40, Cedar 30, Damson 20, Fir 10, Elm published as
  suppressed (no figure); borough 31.9355, London 28, England 20.
* five-year rate 2018-2022 (numerators out of 1000): Alder 10% -> 30%, Fir 30% -> 10%, the rest
  flat (Birch 18, Cedar 19, Damson 20, Elm 21, Hazel 22); borough 20, London 20, England 18.
* count Feb 2025: Fir 230, Alder 120, Birch 87, Hazel 61, Cedar 43, Elm 14, Damson 8; borough 563,
  London 927, England 98766. Second borough: Juniper 300, Laurel 55, Ivy 9.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.fixtures import (
    BOROUGH,
    BOROUGH_B,
    BOROUGH_ONLY,
    CODE,
    COUNT,
    IMD_ROWS,
    INDICATORS,
    LONDON,
    RATE,
    RATE_ROWS,
    TREND,
    build_fixture,
)
from wardgaps import analysis, check, disclosure
from wardgaps.build import add_intervals
from wardgaps.db import connect

pytest_plugins = ["tests.fixture_plugin"]
pytestmark = pytest.mark.usefixtures("fixture_db")

V = 2024
WARDS_A = ["Alder", "Birch", "Cedar", "Damson", "Elm", "Fir", "Hazel"]


def col(df: pd.DataFrame, column: str, key: str = "geo_name") -> dict:
    """{ward name: value} with missing values as None, so a whole column compares exactly."""
    pairs = zip(df[key], df[column], strict=True)
    return {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in pairs}


# --- the fixture itself -------------------------------------------------------------------------
def test_fixture_has_the_real_schema_and_passes_the_contract(fixture_db):
    con = connect(fixture_db)  # the app's own read-only settings: one instance per file and process
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        failures = [f.rule for f in check.run_checks(con)]
    finally:
        con.close()
    assert set(check.TABLES) | {"observation_areas", "ward_observations", "area_boundaries"} == tables
    # every rule holds but the two that name the real ward set (Islington's wards; all of England and Wales)
    assert failures == [
        "geographies: Islington has 17 wards in 2024 and 16 in 2014 and 2018; Manchester 32, Cardiff 28",
        "geographies: the current ward set is every England and Wales ward of May 2024 (7,579 in 318 authorities)",
    ]


def test_fixture_limits_are_the_builds_wilson_limits():
    rows = [
        {"indicator_id": RATE, "status": "final", "numerator": r[0], "denominator": r[1], "limits": r[3:]}
        for areas in RATE_ROWS.values()
        for r in areas.values()
        if r is not None
    ]
    got = add_intervals(pd.DataFrame(rows), pd.DataFrame(INDICATORS))
    for _, r in got.iterrows():
        assert (r["lower_95"], r["upper_95"], r["lower_998"], r["upper_998"]) == pytest.approx(r["limits"], abs=1e-9)


def test_fixture_builds_afresh(tmp_path):
    p = build_fixture(tmp_path / "again.duckdb")
    assert p.is_file() and p.stat().st_size > 0


def test_catalogue_reads_the_fixture():
    assert analysis.boroughs() == {BOROUGH: "Fixture borough", BOROUGH_B: "Fixture second borough"}
    assert analysis.period_options(BOROUGH, RATE) == ["FYE 2025", "FYE 2023"]
    assert analysis.period_options(BOROUGH, BOROUGH_ONLY) == ["2024/25", "2023/24"]  # the borough's own periods
    assert analysis.default_vintage(analysis.periods(BOROUGH, RATE), "FYE 2023") == V
    assert analysis.polarity(analysis.indicator_meta(COUNT)) == "neutral"
    assert analysis.is_deprivation_index(analysis.indicator_meta("imd_score"))
    b = analysis.ward_boundaries(BOROUGH, V)
    assert list(b["geo_name"]) == WARDS_A
    assert b["geojson"].str.startswith('{"type": "Polygon"').all()


def test_indicators_by_theme_and_sources():
    assert analysis.indicators_by_theme() == {
        "child_poverty": {RATE: "Child poverty AHC (DWP) (%)", BOROUGH_ONLY: "Child poverty AHC (ECP) (%)"},
        "population": {"population": "Population (count)"},
        "poverty": {
            "imd_score": "IMD score (score)",
            TREND: "Out-of-work benefit claimants (%)",
            COUNT: "Households on UC (count) (count)",
        },
    }
    src = analysis.sources().set_index("source_id")
    assert src.loc["fixture_dwp", "files"] == "fixture_dwp.csv"
    assert analysis.source_periods([("fixture_dwp", "FYE 2025"), ("fixture_dwp", "FYE 2025"), ("nowhere", "2020")]) == [
        "Fixture publisher FYE 2025 (2024/25) (released 2025-03; next 2026-03)"
    ]


def test_two_child_poverty_figures_match_years_named_two_ways():
    # DWP's "FYE 2025" and ECP's "2024/25" are the same year; DWP has no 2023/24
    assert analysis.two_child_poverty_figures(BOROUGH) == {
        "period": "FYE 2025 (2024/25)",
        "dwp_period": "FYE 2025",
        "ecp_period": "2024/25",
        "dwp": 31.9355,
        "ecp": 36.5,
    }


def test_no_ward_figures_note():
    assert (
        analysis.no_ward_figures_note(BOROUGH, BOROUGH_ONLY)
        == "This indicator is published for local authorities only, so there are no ward figures."
    )
    assert analysis.no_ward_figures_note(BOROUGH, COUNT) == "This indicator has no ward figures for Fixture borough."


# --- deprivation edition --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "start, edition",
    [
        ("2014-04-01", "2015"),
        ("2018-12-31", "2015"),
        ("2019-01-01", "2019"),
        ("2024-03-31", "2019"),
        ("2024-04-01", "2025"),
        ("2025-02-01", "2025"),
    ],
)
def test_imd_edition(start, edition):
    assert analysis.imd_edition(start) == edition


def test_deprivation_edition_follows_the_period():
    t23 = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V)  # starts April 2022: IMD 2019
    t25 = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V)  # starts April 2024: IMD 2025
    assert col(t23, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2019"].items()}
    assert col(t25, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2025"].items()}
    assert set(t23["deprivation_period"]) == {"2019"} and set(t25["deprivation_period"]) == {"2025"}
    g23 = analysis.borough_gaps(BOROUGH, RATE, "FYE 2023", V)
    g25 = analysis.borough_gaps(BOROUGH, RATE, "FYE 2025", V)
    assert (g23.deprivation_edition, g25.deprivation_edition) == ("2019", "2025")
    assert g23.sii_note == "Wards ordered by IMD 2019 score."
    t18 = analysis.ward_table(BOROUGH, TREND, "2018", V)  # starts January 2018: IMD 2015
    assert col(t18, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2015"].items()}
    assert analysis.borough_gaps(BOROUGH, TREND, "2018", V).deprivation_edition == "2015"
    assert g25.sii_note == "Wards ordered by IMD 2025 score."


# --- one borough's wards ------------------------------------------------------------------------
def test_ward_table_full_ranks_and_significance():
    t = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V)
    assert list(t["geo_name"]) == WARDS_A
    assert col(t, "rank") == {"Alder": 1, "Birch": 2, "Hazel": 3, "Cedar": 4, "Damson": 5, "Elm": 6, "Fir": 7}
    assert not t["suppressed"].any()
    # Fingertips: judged only when the comparator lies outside the ward's 95% interval
    # (Birch 19.60-31.30 holds the borough's 20.55; Elm 7.00-19.81 lies below it; Cedar 15.10 > 15)
    assert col(t, "vs_borough") == {
        "Alder": "worse",
        "Birch": "similar",
        "Cedar": "similar",
        "Damson": "similar",
        "Elm": "better",
        "Fir": "better",
        "Hazel": "similar",
    }
    assert col(t, "vs_region") == {
        "Alder": "worse",
        "Birch": "similar",
        "Cedar": "similar",
        "Damson": "better",
        "Elm": "better",
        "Fir": "better",
        "Hazel": "similar",
    }
    assert col(t, "vs_country") == {
        "Alder": "worse",
        "Birch": "worse",
        "Cedar": "worse",
        "Damson": "similar",
        "Elm": "similar",
        "Fir": "better",
        "Hazel": "worse",
    }
    assert set(t["borough_value"]) == {20.5503} and set(t["region_value"]) == {22.0}
    assert set(t["country_value"]) == {15.0}


def test_ward_table_public_hides_the_small_cell_and_the_next_smallest():
    t = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V, public=True)
    # Fir's numerator (6) is below 10; Elm (12) is the next smallest: two hidden holding 18
    assert col(t, "suppressed") == {w: w in ("Elm", "Fir") for w in WARDS_A}
    assert col(t, "value") == {
        "Alder": 30.0,
        "Birch": 25.0,
        "Cedar": 20.0,
        "Damson": 16.0,
        "Elm": None,
        "Fir": None,
        "Hazel": 24.0,
    }
    # other counts rounded to 5; a hidden cell has no numerator, rank, label or interval
    assert col(t, "numerator") == {
        "Alder": 60,
        "Birch": 50,
        "Cedar": 40,
        "Damson": 30,
        "Elm": None,
        "Fir": None,
        "Hazel": 35,
    }
    assert col(t, "denominator") == {
        "Alder": 200,
        "Birch": 210,
        "Cedar": 205,
        "Damson": 200,
        "Elm": 100,
        "Fir": 100,
        "Hazel": 150,
    }
    assert col(t, "population")["Alder"] == 1005 and col(t, "population")["Fir"] == 1300
    assert col(t, "rank") == {"Alder": 1, "Birch": 2, "Hazel": 3, "Cedar": 4, "Damson": 5, "Elm": None, "Fir": None}
    hidden = t[t["suppressed"]]
    assert hidden[["lower_95", "upper_95", "lower_998", "upper_998"]].isna().all().all()
    assert hidden[["vs_borough", "vs_region", "vs_country"]].isna().all().all()
    assert set(hidden["status"]) == {"suppressed"}
    # shown wards' intervals are worked out again from the rounded counts (60 of 200), to one
    # decimal: the exact interval would give the exact counts back
    assert (col(t, "lower_95")["Alder"], col(t, "upper_95")["Alder"]) == (24.1, 36.7)
    assert col(t, "vs_borough")["Alder"] == "worse"
    # a rate's comparators to one decimal in public (their counts rounded like the wards')
    assert set(t["borough_value"]) == {20.6}


def test_ward_table_public_leaves_a_period_without_small_cells_alone():
    full = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V)
    pub = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V, public=True)
    assert not pub["suppressed"].any()
    assert col(pub, "value") == col(full, "value")
    assert col(pub, "value")["Elm"] is None  # published as suppressed: absent, not hidden by us
    assert col(pub, "rank") == {"Alder": 1, "Hazel": 2, "Birch": 3, "Cedar": 4, "Damson": 5, "Fir": 6, "Elm": None}


def test_count_ward_table_full_and_public():
    full = analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V)
    assert col(full, "rank") == {"Fir": 1, "Alder": 2, "Birch": 3, "Hazel": 4, "Cedar": 5, "Elm": 6, "Damson": 7}
    # a ward's count against a borough total means nothing: no significance at all
    for c in ("vs_borough", "vs_region", "vs_country"):
        assert full[c].isna().all()
    assert set(full["borough_value"]) == {563.0}
    pub = analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V, public=True)
    # Damson (8) below 10, Elm (14) the next smallest; the rest rounded to 5
    assert col(pub, "value") == {
        "Alder": 120,
        "Birch": 85,
        "Cedar": 45,
        "Damson": None,
        "Elm": None,
        "Fir": 230,
        "Hazel": 60,
    }
    assert col(pub, "rank") == {"Fir": 1, "Alder": 2, "Birch": 3, "Hazel": 4, "Cedar": 5, "Elm": None, "Damson": None}
    assert pub["lower_95"].isna().all()
    assert (set(pub["borough_value"]), set(pub["region_value"]), set(pub["country_value"])) == (
        {565.0},
        {925.0},
        {98765.0},
    )


def test_comparators_rounded_in_public():
    full = analysis.comparators(BOROUGH, COUNT, "Feb 2025")
    pub = analysis.comparators(BOROUGH, COUNT, "Feb 2025", public=True)
    assert list(full["label"]) == ["borough", "region", "country"]
    assert list(full["value"]) == [563, 927, 98766]
    assert list(pub["value"]) == [565, 925, 98765]
    assert list(pub["numerator"]) == [565, 925, 98765]
    rate = analysis.comparators(BOROUGH, RATE, "FYE 2023", public=True)
    assert list(rate["value"]) == [20.6, 22.0, 15.0]  # to one decimal in public
    assert list(rate["numerator"]) == [240, 22000, 150000]  # 239 rounded
    assert list(rate["denominator"]) == [1165, 100000, 1000000]  # 1163 rounded
    assert list(rate["lower_95"]) == [18.4, 21.7, 14.9]  # Wilson on the rounded counts
    assert list(rate["upper_95"]) == [23.0, 22.3, 15.1]


def test_comparator_series_is_empty_for_counts():
    assert analysis.comparator_series(BOROUGH, COUNT).empty
    s = analysis.comparator_series(BOROUGH, RATE)
    assert list(zip(s["period"], s["geo_type"], s["value"], strict=True)) == [
        ("FYE 2023", "borough", 20.5503),
        ("FYE 2023", "country", 15.0),
        ("FYE 2023", "region", 22.0),
        ("FYE 2025", "borough", 31.9355),
        ("FYE 2025", "country", 20.0),
        ("FYE 2025", "region", 28.0),
    ]


def test_ward_series_disclosed_period_by_period():
    s = analysis.ward_series(BOROUGH, RATE, V, public=True)
    hidden = s[s["suppressed"]]
    assert sorted(zip(hidden["period"], hidden["geo_name"], strict=True)) == [("FYE 2023", "Elm"), ("FYE 2023", "Fir")]
    assert hidden["value"].isna().all()
    fir25 = s[(s["geo_name"] == "Fir") & (s["period"] == "FYE 2025")].iloc[0]
    assert (fir25["value"], fir25["numerator"]) == (10.0, 50.0)


# --- gap measures -------------------------------------------------------------------------------
def test_borough_gaps_full():
    r = analysis.borough_gaps(BOROUGH, RATE, "FYE 2023", V)
    g = r.gaps
    assert r.shown and r.withheld == ""
    assert (g.n, g.highest_code, g.highest, g.lowest_code, g.lowest) == (7, CODE["Alder"], 30.0, CODE["Fir"], 6.0)
    assert g.range == pytest.approx(24.0) and g.ratio == pytest.approx(5.0)
    # more deprived wards (IMD 2019 order Alder..Fir) have higher rates: a positive SII
    assert g.sii is not None and g.sii.sii > 0
    lo, hi = g.sii.sii_limits[0.95]
    assert lo < g.sii.sii < hi


def test_borough_gaps_public_withheld_when_an_extreme_is_hidden():
    r = analysis.borough_gaps(BOROUGH, RATE, "FYE 2023", V, public=True)
    assert r.withheld == disclosure.WITHHELD_EXTREME
    assert not r.shown
    g = r.gaps  # on the figures shown only: Alder 30 down to Damson 16
    assert (g.n, g.highest_code, g.lowest_code) == (5, CODE["Alder"], CODE["Damson"])
    assert g.range == pytest.approx(14.0) and g.ratio == pytest.approx(1.875)


def test_borough_gaps_public_shown_when_no_extreme_is_hidden():
    r = analysis.borough_gaps(BOROUGH, RATE, "FYE 2025", V, public=True)
    assert r.shown and r.withheld == ""
    g = r.gaps  # Elm has no figure: six wards, Alder 50 to Fir 10
    assert (g.n, g.highest_code, g.lowest_code) == (6, CODE["Alder"], CODE["Fir"])
    assert g.range == pytest.approx(40.0) and g.ratio == pytest.approx(5.0)
    assert g.sii is not None


def test_counts_get_no_slope_index():
    note = "No slope index for a count: it would mostly measure how big the wards are, not how deprived."
    full = analysis.borough_gaps(BOROUGH, COUNT, "Feb 2025", V)
    assert full.gaps.sii is None and full.sii_note == note and full.withheld == ""
    assert (full.gaps.highest, full.gaps.lowest) == (230.0, 8.0)
    assert full.gaps.range == pytest.approx(222.0) and full.gaps.ratio == pytest.approx(28.75)
    pub = analysis.borough_gaps(BOROUGH, COUNT, "Feb 2025", V, public=True)
    assert pub.withheld == disclosure.WITHHELD_EXTREME  # Damson, the lowest, is hidden
    assert pub.gaps.sii is None and pub.sii_note == disclosure.WITHHELD_EXTREME  # withheld says why first
    assert (pub.gaps.highest, pub.gaps.lowest) == (230.0, 45.0)
    assert pub.gaps.range == pytest.approx(185.0) and pub.gaps.ratio == pytest.approx(230 / 45)


def test_deprivation_index_gets_no_slope_index():
    r = analysis.borough_gaps(BOROUGH, "imd_score", "2025", V)
    assert r.gaps.sii is None
    assert r.sii_note.startswith("No slope index for an Indices of Deprivation measure")
    assert (r.gaps.highest_code, r.gaps.highest, r.gaps.lowest_code, r.gaps.lowest) == (
        CODE["Birch"],
        38.0,
        CODE["Fir"],
        14.0,
    )


def test_gap_trend_full():
    table, change = analysis.gap_trend(BOROUGH, RATE, V)
    assert list(table["period"]) == ["FYE 2023", "FYE 2025"]
    assert list(table["range"]) == pytest.approx([24.0, 40.0])
    assert list(table["ratio"]) == pytest.approx([5.0, 5.0])
    assert table["sii"].notna().all() and (table["sii_lower_95"] < table["sii"]).all()
    # SII about 24 points (95% CI roughly 16 to 31) then about 44 (38 to 49): clearly wider
    assert table["sii"].iloc[1] > table["sii_upper_95"].iloc[0]
    assert change == "widening"


def test_gap_trend_public_blanks_range_and_ratio_where_withheld():
    table, _ = analysis.gap_trend(BOROUGH, RATE, V, public=True)
    assert list(table["period"]) == ["FYE 2023", "FYE 2025"]
    assert np.isnan(table["range"].iloc[0]) and np.isnan(table["ratio"].iloc[0])
    assert (table["range"].iloc[1], table["ratio"].iloc[1]) == pytest.approx((40.0, 5.0))


def test_withheld_gap_gives_no_slope_index():
    r = analysis.borough_gaps(BOROUGH, RATE, "FYE 2023", V, public=True)
    assert r.withheld == disclosure.WITHHELD_EXTREME
    assert r.gaps.sii is None


def test_gap_trend_public_gives_no_slope_index_where_withheld():
    table, change = analysis.gap_trend(BOROUGH, RATE, V, public=True)
    first = table.iloc[0]
    assert first[["sii", "sii_lower_95", "sii_upper_95", "rii"]].isna().all()
    assert change.startswith("not measured")


def test_headline():
    full = analysis.headline(BOROUGH, RATE)
    assert full == {
        "indicator_id": RATE,
        "period": "FYE 2025",
        "vintage": V,
        "borough": 31.9355,
        "region": 28.0,
        "country": 20.0,
        "highest_name": "Alder",
        "highest": 50.0,
        "lowest_name": "Fir",
        "lowest": 10.0,
        "ratio": 5.0,
        "withheld": "",
    }
    # nothing small in FYE 2025: the same, with the borough's rate to one decimal
    assert analysis.headline(BOROUGH, RATE, public=True) == {**full, "borough": 31.9}
    count = analysis.headline(BOROUGH, COUNT, public=True)
    assert (count["borough"], count["region"], count["country"]) == (565.0, 925.0, 98765.0)
    assert count["withheld"] == disclosure.WITHHELD_EXTREME
    assert count["highest_name"] is None and count["ratio"] is None
    full_count = analysis.headline(BOROUGH, COUNT)
    assert (full_count["highest_name"], full_count["lowest_name"], full_count["ratio"]) == ("Fir", "Damson", 28.75)


def test_deprivation_breakdown():
    t = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V)
    q = analysis.deprivation_breakdown(t)
    # six wards with a figure by IMD 2025 (Birch 38, Alder 36, Hazel 31, Cedar 29, Damson 26, Fir 14)
    assert list(q["quintile"]) == [1, 2, 3, 4, 5]
    assert list(q["wards"]) == [2, 1, 1, 1, 1]
    expect_q1 = (50 * 1003 + 40 * 1498) / (1003 + 1498)  # Alder and Birch, population-weighted
    assert list(q["value"]) == pytest.approx([expect_q1, 45.0, 30.0, 20.0, 10.0])
    hidden = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V, public=True)
    assert len(analysis.deprivation_breakdown(hidden)) == 5
    assert analysis.deprivation_breakdown(hidden)["wards"].sum() == 5  # hidden wards left out


# --- words ----------------------------------------------------------------------------------------
def test_narrative_for_ward_full_and_public():
    comp = analysis.comparators(BOROUGH, RATE, "FYE 2023")
    t = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(t.loc["Alder"], comp, "%") == [
        "Alder's figure (30.0%, 95% CI 24.1% to 36.7%) is significantly higher than Fixture borough's (20.6%).",
        "Alder's figure (30.0%, 95% CI 24.1% to 36.7%) is significantly higher than England's (15.0%).",
    ]
    assert analysis.narrative_for_ward(t.loc["Damson"], comp, "%") == [
        "Damson's figure (16.0%, 95% CI 11.6% to 21.7%) is similar to Fixture borough's (20.6%): "
        "the difference is not significant.",
        "Damson's figure (16.0%, 95% CI 11.6% to 21.7%) is similar to England's (15.0%): "
        "the difference is not significant.",
    ]
    pcomp = analysis.comparators(BOROUGH, RATE, "FYE 2023", public=True)
    p = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V, public=True).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Alder"], pcomp, "%", public=True) == [
        "Alder's figure (30.0%) is clearly higher than Fixture borough's (20.6%).",
        "Alder's figure (30.0%) is clearly higher than England's (15.0%).",
    ]
    said = analysis.narrative_for_ward(p.loc["Fir"], pcomp, "%", public=True)
    assert set(said) == {"Fir's figure is not shown, to protect small numbers."}
    assert not any("6.0" in s for s in said)


def test_narrative_for_a_count():
    comp = analysis.comparators(BOROUGH, COUNT, "Feb 2025", public=True)
    p = analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V, public=True).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Birch"], comp, "count", public=True) == ["Birch's count is 85."]
    assert analysis.narrative_for_ward(p.loc["Damson"], comp, "count", public=True) == [
        "Damson's figure is not shown, to protect small numbers."
    ]
    f = analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(f.loc["Birch"], comp, "count") == ["Birch's count is 87."]


def test_hidden_figure_is_said_once():
    pcomp = analysis.comparators(BOROUGH, RATE, "FYE 2023", public=True)
    p = analysis.ward_table(BOROUGH, RATE, "FYE 2023", V, public=True).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Fir"], pcomp, "%", public=True) == [
        "Fir's figure is not shown, to protect small numbers."
    ]


def test_missing_wards_note():
    t25 = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V)
    expect = (
        "1 of 7 wards has no figure for this period. "
        "Fixture borough's Elm ward has no figure for FYE 2025 (withheld by the publisher)."
    )
    assert analysis.missing_wards_note(BOROUGH, RATE, t25) == expect
    assert analysis.missing_wards_note(BOROUGH, RATE, analysis.ward_table(BOROUGH, RATE, "FYE 2025", V, public=True))
    # cells hidden by disclosure are not "missing"
    assert analysis.missing_wards_note(BOROUGH, RATE, analysis.ward_table(BOROUGH, RATE, "FYE 2023", V, True)) == ""
    # without a caveat about the borough, the general reason
    c = analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V)
    c.loc[c["geo_name"] == "Cedar", "value"] = np.nan
    assert analysis.missing_wards_note(BOROUGH, COUNT, c) == (
        "1 of 7 wards has no figure for this period. The publisher gives no figure for it, or no "
        "neighbourhood (LSOA) the figure is built from lies in it."
    )


# --- trends ---------------------------------------------------------------------------------------
def test_ward_trends_need_five_periods_and_shown_figures():
    full = analysis.ward_trends(BOROUGH, RATE, V)
    assert list(full["geo_name"]) == WARDS_A
    assert set(full["marker"]) == {"Cannot be calculated"}
    assert set(full["reason"]) == {"Not enough data points"}
    pub = analysis.ward_trends(BOROUGH, RATE, V, public=True)
    assert col(pub, "reason") == {
        w: "A figure is suppressed to protect small numbers" if w in ("Elm", "Fir") else "Not enough data points"
        for w in WARDS_A
    }
    assert pub["judged"].isna().all()


def test_ward_trends_over_five_years():
    for public in (False, True):  # nothing below 10: the same in public
        t = analysis.ward_trends(BOROUGH, TREND, V, public=public).set_index("geo_name")
        assert t["marker"].to_dict() == {
            w: {"Alder": "Increasing", "Fir": "Decreasing"}.get(w, "No significant change") for w in WARDS_A
        }
        assert col(t.reset_index(), "judged") == {w: {"Alder": "worse", "Fir": "better"}.get(w) for w in WARDS_A}
        assert t.loc["Alder", "reason"] == "No outliers and significant trend"
        assert t.loc["Birch", "reason"] == "No significant trend"


def test_worse_and_worsening():
    # 2022: Alder 30% (27.24-32.91) is worse than the borough's 20% and rising; Hazel and Elm are
    # worse than England's 18% but flat; the two-period rate and the count have no five-year trend
    for public in (False, True):
        w = analysis.worse_and_worsening(BOROUGH, [TREND, RATE, COUNT], public=public)
        assert w.to_dict("records") == [
            {
                "indicator_id": TREND,
                "indicator": "Out-of-work benefit claimants",
                "vintage": V,
                "period": "2022",
                "geo_code": CODE["Alder"],
                "geo_name": "Alder",
                "value": 30.0,
                "marker": "Increasing",
            }
        ]


def test_gap_trend_over_five_years():
    table, _ = analysis.gap_trend(BOROUGH, TREND, V)
    assert list(table["period"]) == ["2018", "2019", "2020", "2021", "2022"]
    # highest and lowest: Fir 30 / Alder 10, Fir 25 / Alder 15, Hazel 22 / Birch 18, then back
    assert list(table["range"]) == pytest.approx([20.0, 10.0, 4.0, 10.0, 20.0])
    assert list(table["ratio"]) == pytest.approx([3.0, 25 / 15, 22 / 18, 25 / 15, 3.0])
    # the least deprived fare worse in 2018 (negative SII), the most deprived in 2022 (positive)
    first, last = table.iloc[0], table.iloc[-1]
    assert first["sii_upper_95"] < 0 < last["sii_lower_95"]


def test_gap_that_turns_round_is_a_change():
    _, change = analysis.gap_trend(BOROUGH, TREND, V)
    assert change == "reversed"


# --- London -------------------------------------------------------------------------------------
def test_context_table_ranks():
    full = analysis.context_table(RATE, "FYE 2023", V, LONDON)
    # ties share the lower rank: Alder and Ivy 30 (1), Cedar and Juniper 20 (5)
    assert col(full, "rank") == {
        "Alder": 1,
        "Ivy": 1,
        "Birch": 3,
        "Hazel": 4,
        "Cedar": 5,
        "Juniper": 5,
        "Damson": 7,
        "Elm": 8,
        "Laurel": 9,
        "Fir": 10,
    }
    pub = analysis.context_table(RATE, "FYE 2023", V, LONDON, public=True)
    assert col(pub, "rank") == {
        "Alder": 1,
        "Ivy": 1,
        "Birch": 3,
        "Hazel": 4,
        "Cedar": 5,
        "Juniper": 5,
        "Damson": 7,
        "Laurel": 8,
        "Elm": None,
        "Fir": None,
    }
    summary = analysis.context_summary(pub, BOROUGH)
    assert (summary["n"], summary["top"]["geo_name"], summary["bottom"]["geo_name"], summary["top_rank"]) == (
        8,
        "Alder",
        "Damson",
        1,
    )


def test_context_table_discloses_each_authority_on_its_own():
    pub = analysis.context_table(COUNT, "Feb 2025", V, LONDON, public=True)
    # second borough: Ivy 9 below 10, Laurel 55 its next smallest; the first borough's cells are not used
    assert sorted(pub.loc[pub["suppressed"], "geo_name"]) == ["Damson", "Elm", "Ivy", "Laurel"]
    assert col(pub, "rank") == {
        "Juniper": 1,
        "Fir": 2,
        "Alder": 3,
        "Birch": 4,
        "Hazel": 5,
        "Cedar": 6,
        "Damson": None,
        "Elm": None,
        "Ivy": None,
        "Laurel": None,
    }
    assert col(pub, "value")["Birch"] == 85.0


# --- one ward -----------------------------------------------------------------------------------
def _profile(ward: str, public: bool = False) -> pd.DataFrame:
    return analysis.ward_profile(CODE[ward], public=public).set_index("indicator_id")


def test_ward_profile_full():
    p = _profile("Alder")
    assert list(p.index) == [RATE, "population", "imd_score", TREND, COUNT]  # theme, then id
    assert list(p["period"]) == ["FYE 2025", "2021", "2025", "2022", "Feb 2025"]
    assert list(p["rank_in_borough"]) == ["1 of 6", "5 of 7", "2 of 7", "1 of 7", "2 of 7"]
    assert list(p["rank_in_region"]) == ["1 of 9", "7 of 10", "2 of 10", "1 of 10", "3 of 10"]
    assert p.loc[RATE, "trend"] == "up from 30.0% in FYE 2023 (2022/23)"
    assert p.loc[TREND, "trend"] == "up from 25.0% in 2021"
    # IMD 2019 and 2025 are different editions (sources): no change is claimed between them
    assert p.loc["imd_score", "trend"] == "no earlier period"
    assert (p.loc[RATE, "borough_value"], p.loc[RATE, "region_value"], p.loc[RATE, "country_value"]) == (
        31.9355,
        28.0,
        20.0,
    )
    assert np.isnan(p.loc[COUNT, "borough_value"])  # counts are not set against totals
    # Elm has no FYE 2025 figure: its latest is FYE 2023
    assert _profile("Elm").loc[RATE, "period"] == "FYE 2023"


def test_ward_profile_public():
    p = _profile("Alder", public=True)
    assert p.loc[COUNT, "value"] == 120 and p.loc["population", "value"] == 1005
    assert p.loc[COUNT, "rank_in_borough"] == "2 of 5"  # ranked among the five shown
    assert p.loc[COUNT, "rank_in_region"] == "3 of 6"
    d = _profile("Damson", public=True)
    assert d.loc[COUNT, "suppressed"] and np.isnan(d.loc[COUNT, "value"])
    assert (d.loc[COUNT, "trend"], d.loc[COUNT, "rank_in_borough"], d.loc[COUNT, "rank_in_region"]) == (
        "not shown",
        "not ranked",
        "not ranked",
    )
    e = _profile("Elm", public=True)
    assert e.loc[RATE, "suppressed"] and e.loc[RATE, "rank_in_borough"] == "not ranked"
    assert np.isnan(e.loc[RATE, "lower_95"])
    # the profile's figure is the ward's cell of its disclosed borough table
    t = analysis.ward_table(BOROUGH, RATE, "FYE 2025", V, public=True).set_index("geo_name")
    assert _profile("Fir", public=True).loc[RATE, "value"] == t.loc["Fir", "value"] == 10.0


def test_ward_profile_public_hidden_previous_is_not_called_absent():
    p = _profile("Fir", public=True)
    assert p.loc[RATE, "previous_period"] == "FYE 2023"
    assert p.loc[RATE, "trend"] != "no earlier period"


def test_profile_top3():
    top = analysis.profile_top3(analysis.ward_profile(CODE["Alder"]))
    assert list(top["indicator_id"]) == [RATE, "imd_score", TREND]  # 1st, 2nd and 1st of the borough


def test_furthest_behind():
    f = analysis.furthest_behind(BOROUGH, [RATE, "imd_score", COUNT]).set_index("geo_name")
    # worse than the borough (31.94) on the rate in FYE 2025: Alder, Hazel, Birch; the IMD has no
    # interval (not tested) and counts are not judged
    assert list(f.index) == ["Alder", "Birch", "Hazel", "Cedar", "Damson", "Elm", "Fir"]
    assert col(f.reset_index(), "worse_count") == {w: int(w in ("Alder", "Birch", "Hazel")) for w in WARDS_A}
    assert f.loc["Elm", "tested"] == 0 and f.loc["Elm", "indicators"] == 1
    # position: 100 x (1 - rank/n), highest value worst; Alder 1st of 6 and 2nd of 7
    assert f.loc["Alder", "mean_position"] == pytest.approx((100 * (1 - 1 / 6) + 100 * (1 - 2 / 7)) / 2)
    assert f.loc["Fir", "mean_position"] == pytest.approx(0.0)


def test_hidden_in_public_counts_the_small_cells():
    h = analysis.hidden_in_public().set_index("indicator_id")
    assert h["ward_figures"].to_dict() == {RATE: 1, COUNT: 2}  # Fir FYE 2023; Damson and Ivy


def test_download_view_public_matches_the_table():
    d = analysis.download_view(BOROUGH, COUNT, "Feb 2025", V, public=True)
    assert list(d.columns[:4]) == ["geo_code", "geo_name", "indicator_id", "unit"]
    assert col(d, "value") == col(analysis.ward_table(BOROUGH, COUNT, "Feb 2025", V, public=True), "value")
    assert d.loc[d["geo_name"] == "Damson", ["value", "numerator", "rank"]].isna().all().all()
