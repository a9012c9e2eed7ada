"""The analysis and disclosure layers on the small fixture extract (``tests/fixtures.py``).

Every expectation here is worked out by hand from the fixture's rows (test data, not statistics),
so these tests need no real extract and say exactly what each page's question should answer. The
real-extract tests (test_disclosure, test_pages, ...) stay as they are.

The fixture in short (May-2022 wards, "Fixture authority" = 7 wards, "Fixture second authority" = 3):

* rate FYE 2023: Alder 60/200 = 30%, Birch 52/208 = 25%, Hazel 36/150 = 24%, Cedar 41/205 = 20%,
  Damson 32/200 = 16%, Elm 12/100 = 12%, Fir 6/100 = 6%; authority 20.5503, London 22, England 15.
  Fir's numerator is below 10, so in public Fir and (secondary, next smallest) Elm are hidden.
* rate FYE 2025: Alder 50, Hazel 45, Birch 40, Cedar 30, Damson 20, Fir 10, Elm published as
  suppressed (no figure); authority 31.9355, London 28, England 20.
* five-year rate 2018-2022 (numerators out of 1000): Alder 10% -> 30%, Fir 30% -> 10%, the rest
  flat (Birch 18, Cedar 19, Damson 20, Elm 21, Hazel 22); authority 20, London 20, England 18.
* count Feb 2025: Fir 230, Alder 120, Birch 87, Hazel 61, Cedar 43, Elm 14, Damson 8; authority 563,
  London 927, England 98766. Second authority: Juniper 300, Laurel 55, Ivy 9.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.fixture_areas import METRO, WELSH
from tests.fixtures import (
    AUTHORITY,
    AUTHORITY_B,
    AUTHORITY_ONLY,
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
from wardgaps import analysis, check, disclosure, tables
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
        tables_found = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        failures = [f.rule for f in check.run_checks(con)]
    finally:
        con.close()
    views = {"current_vintage", "current_wards", "authority_comparators"}
    views |= {"observation_areas", "ward_observations", "area_boundaries"}
    assert set(tables.names()) | views == tables_found
    # the schema contract holds for any extract of this schema; the facts of the release
    # (Islington's wards, all of England and Wales) are checked apart (check --release)
    assert failures == []


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


def test_apportioned_rates_get_no_wilson_limits():
    """An apportioned count is weights times other areas' counts, not a binomial observation: it
    gets no interval, so it enters no significance claim (methods: 'Significance')."""
    rows = pd.DataFrame(
        [
            {"indicator_id": RATE, "status": "estimate", "method": m, "numerator": 30.0, "denominator": 100.0}
            for m in ("apportioned", "aggregated")
        ]
    )
    got = add_intervals(rows, pd.DataFrame(INDICATORS))
    assert got.loc[0, ["lower_95", "upper_95", "lower_998", "upper_998"]].isna().all()
    assert got.loc[1, "lower_95"] == pytest.approx(21.8949, abs=1e-4)
    assert got.loc[1, "upper_95"] == pytest.approx(39.5849, abs=1e-4)


def test_fixture_builds_afresh(tmp_path):
    p = build_fixture(tmp_path / "again.duckdb")
    assert p.is_file() and p.stat().st_size > 0


def test_catalogue_reads_the_fixture(full):
    assert analysis.authority_names(full) == {
        AUTHORITY: "Fixture authority",
        AUTHORITY_B: "Fixture second authority",
        METRO: 'Fixture "Metro" & Borough',
        WELSH: "Ardal Brawf / Fixture Welsh área",
    }
    assert analysis.period_options(full, AUTHORITY, RATE) == ["FYE 2025", "FYE 2023"]
    assert analysis.period_options(full, AUTHORITY, AUTHORITY_ONLY) == [
        "FYE 2025",
        "FYE 2024",
    ]  # the authority's own periods, stored in the one financial-year form
    assert analysis.default_vintage(analysis.periods(full, AUTHORITY, RATE), "FYE 2023") == V
    assert analysis.polarity(analysis.indicator_meta(full, COUNT)) == "neutral"
    assert analysis.is_deprivation_index(analysis.indicator_meta(full, "imd_score"))
    b = analysis.ward_boundaries(full, AUTHORITY, V)
    assert list(b["geo_name"]) == WARDS_A
    assert b["geojson"].str.startswith('{"type": "Polygon"').all()


def test_indicators_by_theme_and_sources(full):
    assert analysis.indicators_by_theme(full) == {
        "child_poverty": {RATE: "Child poverty AHC (DWP) (%)", AUTHORITY_ONLY: "Child poverty AHC (ECP) (%)"},
        "population": {"population": "Population (count)"},
        "poverty": {
            "imd_score": "IMD score (score)",
            TREND: "Out-of-work benefit claimants (%)",
            COUNT: "Households on UC (count) (count)",
        },
    }
    src = analysis.sources(full).set_index("source_id")
    assert src.loc["fixture_dwp", "files"] == "fixture_dwp.csv"
    assert analysis.source_periods(
        full, [("fixture_dwp", "FYE 2025"), ("fixture_dwp", "FYE 2025"), ("nowhere", "2020")]
    ) == ["Fixture publisher FYE 2025 (2024/25) (released 2025-03; next 2026-03)"]


def test_two_child_poverty_figures_match_the_same_year(full):
    # ECP's "2024/25" is stored as DWP names it, "FYE 2025"; DWP has no FYE 2024
    assert analysis.two_child_poverty_figures(full, AUTHORITY) == {
        "period": "FYE 2025 (2024/25)",
        "dwp_period": "FYE 2025",
        "ecp_period": "FYE 2025",
        "dwp": 31.9355,
        "ecp": 36.5,
    }


def test_no_ward_figures_note(full):
    assert (
        analysis.no_ward_figures_note(full, AUTHORITY, AUTHORITY_ONLY)
        == "This indicator is published for local authorities only, so there are no ward figures."
    )
    assert (
        analysis.no_ward_figures_note(full, AUTHORITY, COUNT)
        == "This indicator has no ward figures for Fixture authority."
    )


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


def test_deprivation_edition_follows_the_period(full):
    t23 = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2023", V)  # starts April 2022: IMD 2019
    t25 = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2025", V)  # starts April 2024: IMD 2025
    assert col(t23, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2019"].items()}
    assert col(t25, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2025"].items()}
    assert set(t23["deprivation_period"]) == {"2019"} and set(t25["deprivation_period"]) == {"2025"}
    g23 = analysis.authority_gaps(full, AUTHORITY, RATE, "FYE 2023", V)
    g25 = analysis.authority_gaps(full, AUTHORITY, RATE, "FYE 2025", V)
    assert (g23.deprivation_edition, g25.deprivation_edition) == ("2019", "2025")
    assert g23.sii_note == "Wards ordered by IMD 2019 score."
    t18 = analysis.ward_table(full, AUTHORITY, TREND, "2018", V)  # starts January 2018: IMD 2015
    assert col(t18, "deprivation") == {k: float(v) for k, v in IMD_ROWS["2015"].items()}
    assert analysis.authority_gaps(full, AUTHORITY, TREND, "2018", V).deprivation_edition == "2015"
    assert g25.sii_note == "Wards ordered by IMD 2025 score."


# --- one authority's wards ------------------------------------------------------------------------
def test_ward_table_full_ranks_and_significance(full):
    t = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2023", V)
    assert list(t["geo_name"]) == WARDS_A
    assert col(t, "rank") == {"Alder": 1, "Birch": 2, "Hazel": 3, "Cedar": 4, "Damson": 5, "Elm": 6, "Fir": 7}
    assert not t["suppressed"].any()
    # Fingertips: judged only when the comparator lies outside the ward's 95% interval
    # (Birch 19.60-31.30 holds the authority's 20.55; Elm 7.00-19.81 lies below it; Cedar 15.10 > 15)
    assert col(t, "vs_authority") == {
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
    assert set(t["authority_value"]) == {20.5503} and set(t["region_value"]) == {22.0}
    assert set(t["country_value"]) == {15.0}


def test_ward_table_public_hides_the_small_cell_and_the_next_smallest(pub):
    t = analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2023", V)
    # Fir's numerator (6) is below 10; Elm (12) is the next smallest: two hidden holding 18
    assert col(t, "suppressed") == {w: w in ("Elm", "Fir") for w in WARDS_A}
    # a rate shown beside its rounded counts is the rate of those counts (Birch 52/208 = 25.0%
    # is shown 50/210 = 23.8%): the exact count cannot be worked back from it
    assert col(t, "value") == {
        "Alder": 30.0,
        "Birch": 23.8,
        "Cedar": 19.5,
        "Damson": 15.0,
        "Elm": None,
        "Fir": None,
        "Hazel": 23.3,
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
    assert hidden[["vs_authority", "vs_region", "vs_country"]].isna().all().all()
    assert set(hidden["status"]) == {"suppressed"}
    # shown wards' intervals are worked out again from the rounded counts (60 of 200), to one
    # decimal: the exact interval would give the exact counts back
    assert (col(t, "lower_95")["Alder"], col(t, "upper_95")["Alder"]) == (24.1, 36.7)
    assert col(t, "vs_authority")["Alder"] == "worse"
    # a rate's comparators to one decimal in public (their counts rounded like the wards')
    assert set(t["authority_value"]) == {20.6}


def test_ward_table_public_hides_another_cell_with_one_its_publisher_suppressed(full, pub):
    f = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2025", V)
    p = analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2025", V)
    # Elm is suppressed by its publisher: alone, it could be worked out from the authority's total,
    # so the smallest other cell (Fir, 50) is hidden with it
    assert col(f, "suppressed") == {w: w == "Elm" for w in WARDS_A}
    assert col(p, "suppressed") == {w: w in ("Elm", "Fir") for w in WARDS_A}
    assert {k: v for k, v in col(p, "value").items() if k not in ("Elm", "Fir")} == {
        k: v for k, v in col(f, "value").items() if k not in ("Elm", "Fir")
    }
    assert col(p, "rank") == {"Alder": 1, "Hazel": 2, "Birch": 3, "Cedar": 4, "Damson": 5, "Fir": None, "Elm": None}


def test_count_ward_table_full_and_public(full, pub):
    f_ = analysis.ward_table(full, AUTHORITY, COUNT, "Feb 2025", V)
    assert col(f_, "rank") == {"Fir": 1, "Alder": 2, "Birch": 3, "Hazel": 4, "Cedar": 5, "Elm": 6, "Damson": 7}
    # a ward's count against an authority total means nothing: no significance at all
    for c in ("vs_authority", "vs_region", "vs_country"):
        assert f_[c].isna().all()
    assert set(f_["authority_value"]) == {563.0}
    p_ = analysis.ward_table(pub, AUTHORITY, COUNT, "Feb 2025", V)
    # Damson (8) below 10, Elm (14) the next smallest; the rest rounded to 5
    assert col(p_, "value") == {
        "Alder": 120,
        "Birch": 85,
        "Cedar": 45,
        "Damson": None,
        "Elm": None,
        "Fir": 230,
        "Hazel": 60,
    }
    assert col(p_, "rank") == {"Fir": 1, "Alder": 2, "Birch": 3, "Hazel": 4, "Cedar": 5, "Elm": None, "Damson": None}
    assert p_["lower_95"].isna().all()
    assert (set(p_["authority_value"]), set(p_["region_value"]), set(p_["country_value"])) == (
        {565.0},
        {925.0},
        {98765.0},
    )


def test_comparators_rounded_in_public(full, pub):
    f_ = analysis.comparators(full, AUTHORITY, COUNT, "Feb 2025")
    p_ = analysis.comparators(pub, AUTHORITY, COUNT, "Feb 2025")
    assert list(f_["label"]) == ["authority", "region", "country"]
    assert list(f_["value"]) == [563, 927, 98766]
    assert list(p_["value"]) == [565, 925, 98765]
    assert list(p_["numerator"]) == [565, 925, 98765]
    rate = analysis.comparators(pub, AUTHORITY, RATE, "FYE 2023")
    assert list(rate["value"]) == [20.6, 22.0, 15.0]  # to one decimal in public
    assert list(rate["numerator"]) == [240, 22000, 150000]  # 239 rounded
    assert list(rate["denominator"]) == [1165, 100000, 1000000]  # 1163 rounded
    assert list(rate["lower_95"]) == [18.4, 21.7, 14.9]  # Wilson on the rounded counts
    assert list(rate["upper_95"]) == [23.0, 22.3, 15.1]


def test_comparator_series_is_empty_for_counts(full):
    assert analysis.comparator_series(full, AUTHORITY, COUNT).empty
    s = analysis.comparator_series(full, AUTHORITY, RATE)
    assert list(zip(s["period"], s["geo_type"], s["value"], strict=True)) == [
        ("FYE 2023", "authority", 20.5503),
        ("FYE 2023", "country", 15.0),
        ("FYE 2023", "region", 22.0),
        ("FYE 2025", "authority", 31.9355),
        ("FYE 2025", "country", 20.0),
        ("FYE 2025", "region", 28.0),
    ]


def test_ward_series_disclosed_period_by_period(pub):
    s = analysis.ward_series(pub, AUTHORITY, RATE, V)
    hidden = s[s["suppressed"]]
    # FYE 2023: Fir (6) and Elm; FYE 2025: Elm (suppressed by its publisher) and Fir with it
    assert sorted(zip(hidden["period"], hidden["geo_name"], strict=True)) == [
        ("FYE 2023", "Elm"),
        ("FYE 2023", "Fir"),
        ("FYE 2025", "Elm"),
        ("FYE 2025", "Fir"),
    ]
    assert hidden[["value", "numerator"]].isna().all().all()
    alder25 = s[(s["geo_name"] == "Alder") & (s["period"] == "FYE 2025")].iloc[0]
    assert (alder25["value"], alder25["numerator"]) == (50.0, 250.0)


# --- gap measures -------------------------------------------------------------------------------
def test_authority_gaps_full(full):
    r = analysis.authority_gaps(full, AUTHORITY, RATE, "FYE 2023", V)
    g = r.gaps
    assert r.shown and r.withheld == ""
    assert (g.n, g.highest_code, g.highest, g.lowest_code, g.lowest) == (7, CODE["Alder"], 30.0, CODE["Fir"], 6.0)
    assert g.range == pytest.approx(24.0) and g.ratio == pytest.approx(5.0)
    # more deprived wards (IMD 2019 order Alder..Fir) have higher rates: a positive SII
    assert g.sii is not None and g.sii.sii > 0
    lo, hi = g.sii.sii_limits[0.95]
    assert lo < g.sii.sii < hi


def test_authority_gaps_public_withheld_when_an_extreme_is_hidden(pub):
    r = analysis.authority_gaps(pub, AUTHORITY, RATE, "FYE 2023", V)
    assert r.withheld == disclosure.WITHHELD_EXTREME
    # no gap measure at all: the public extract holds no range, ratio, extremes or slope index for it
    assert not r.shown and r.gaps is None


def test_authority_gaps_public_shown_when_no_extreme_is_hidden(full, pub):
    r = analysis.authority_gaps(pub, AUTHORITY, TREND, "2022", V)
    assert r.shown and r.withheld == ""
    g, f = r.gaps, analysis.authority_gaps(full, AUTHORITY, TREND, "2022", V).gaps
    assert (g.n, g.highest_code, g.lowest_code) == (7, CODE["Alder"], CODE["Fir"])
    assert (g.range, g.ratio) == pytest.approx((f.range, f.ratio))
    assert (g.range, g.ratio) == pytest.approx((20.0, 3.0))
    assert g.sii is not None


def test_counts_get_no_slope_index(full, pub):
    note = "No slope index for a count: it would mostly measure how big the wards are, not how deprived."
    f_ = analysis.authority_gaps(full, AUTHORITY, COUNT, "Feb 2025", V)
    assert f_.gaps.sii is None and f_.sii_note == note and f_.withheld == ""
    assert (f_.gaps.highest, f_.gaps.lowest) == (230.0, 8.0)
    assert f_.gaps.range == pytest.approx(222.0) and f_.gaps.ratio == pytest.approx(28.75)
    p_ = analysis.authority_gaps(pub, AUTHORITY, COUNT, "Feb 2025", V)
    assert p_.withheld == disclosure.WITHHELD_EXTREME  # Damson, the lowest, is hidden
    assert p_.gaps is None and p_.sii_note == disclosure.WITHHELD_EXTREME  # withheld says why first


def test_deprivation_index_gets_no_slope_index(full):
    r = analysis.authority_gaps(full, AUTHORITY, "imd_score", "2025", V)
    assert r.gaps.sii is None
    assert r.sii_note.startswith("No slope index for an Indices of Deprivation measure")
    assert (r.gaps.highest_code, r.gaps.highest, r.gaps.lowest_code, r.gaps.lowest) == (
        CODE["Birch"],
        38.0,
        CODE["Fir"],
        14.0,
    )


def test_gap_trend_full(full):
    table, change = analysis.gap_trend(full, AUTHORITY, RATE, V)
    assert list(table["period"]) == ["FYE 2023", "FYE 2025"]
    assert list(table["range"]) == pytest.approx([24.0, 40.0])
    assert list(table["ratio"]) == pytest.approx([5.0, 5.0])
    assert table["sii"].notna().all() and (table["sii_lower_95"] < table["sii"]).all()
    # SII about 24 points (95% CI roughly 16 to 31) then about 44 (38 to 49): clearly wider
    assert table["sii"].iloc[1] > table["sii_upper_95"].iloc[0]
    assert change == "widening"


def test_gap_trend_public_blanks_range_and_ratio_where_withheld(pub):
    table, _ = analysis.gap_trend(pub, AUTHORITY, RATE, V)
    assert list(table["period"]) == ["FYE 2023", "FYE 2025"]  # both withheld: an extreme is hidden in each
    assert table[["range", "ratio"]].isna().all().all()
    table, _ = analysis.gap_trend(pub, AUTHORITY, TREND, V)
    assert list(table["range"]) == pytest.approx([20.0, 10.0, 4.0, 10.0, 20.0])  # nothing hidden: as in full


def test_withheld_gap_gives_no_slope_index(pub):
    r = analysis.authority_gaps(pub, AUTHORITY, RATE, "FYE 2023", V)
    assert r.withheld == disclosure.WITHHELD_EXTREME
    assert r.gaps is None


def test_gap_trend_public_gives_no_slope_index_where_withheld(pub):
    table, change = analysis.gap_trend(pub, AUTHORITY, RATE, V)
    first = table.iloc[0]
    assert first[["sii", "sii_lower_95", "sii_upper_95", "rii"]].isna().all()
    assert change.startswith("not measured")


def test_headline(full, pub):
    f_ = analysis.headline(full, AUTHORITY, RATE)
    assert f_ == {
        "indicator_id": RATE,
        "period": "FYE 2025",
        "vintage": V,
        "authority": 31.9355,
        "region": 28.0,
        "country": 20.0,
        "highest_name": "Alder",
        "highest": 50.0,
        "lowest_name": "Fir",
        "lowest": 10.0,
        "ratio": 5.0,
        "withheld": "",
    }
    # in public FYE 2025's lowest ward (Fir) is hidden with Elm: the gap is withheld; the authority's
    # rate is that of its rounded counts (990 of 3,100)
    assert analysis.headline(pub, AUTHORITY, RATE) == {
        **f_,
        "authority": 31.9,
        "highest_name": None,
        "highest": None,
        "lowest_name": None,
        "lowest": None,
        "ratio": None,
        "withheld": disclosure.WITHHELD_EXTREME,
    }
    count = analysis.headline(pub, AUTHORITY, COUNT)
    assert (count["authority"], count["region"], count["country"]) == (565.0, 925.0, 98765.0)
    assert count["withheld"] == disclosure.WITHHELD_EXTREME
    assert count["highest_name"] is None and count["ratio"] is None
    full_count = analysis.headline(full, AUTHORITY, COUNT)
    assert (full_count["highest_name"], full_count["lowest_name"], full_count["ratio"]) == ("Fir", "Damson", 28.75)


def test_deprivation_quintiles(full, pub):
    q = analysis.deprivation_quintiles(full, AUTHORITY, RATE, "FYE 2025", V)
    # six wards with a figure by IMD 2025 (Birch 38, Alder 36, Hazel 31, Cedar 29, Damson 26, Fir 14)
    assert list(q["quintile"]) == [1, 2, 3, 4, 5]
    assert list(q["wards"]) == [2, 1, 1, 1, 1]
    expect_q1 = (50 * 1003 + 40 * 1498) / (1003 + 1498)  # Alder and Birch, population-weighted
    assert list(q["value"]) == pytest.approx([expect_q1, 45.0, 30.0, 20.0, 10.0])
    hidden = analysis.deprivation_quintiles(pub, AUTHORITY, RATE, "FYE 2023", V)
    assert len(hidden) == 5 and hidden["wards"].sum() == 5  # hidden wards left out


# --- words ----------------------------------------------------------------------------------------
def test_narrative_for_ward_full_and_public(full, pub):
    comp = analysis.comparators(full, AUTHORITY, RATE, "FYE 2023")
    t = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2023", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(t.loc["Alder"], comp, "%") == [
        "Alder's figure (30.0%, 95% CI 24.1% to 36.7%) is significantly higher than Fixture authority's (20.6%).",
        "Alder's figure (30.0%, 95% CI 24.1% to 36.7%) is significantly higher than England's (15.0%).",
    ]
    assert analysis.narrative_for_ward(t.loc["Damson"], comp, "%") == [
        "Damson's figure (16.0%, 95% CI 11.6% to 21.7%) is similar to Fixture authority's (20.6%): "
        "the difference is not significant.",
        "Damson's figure (16.0%, 95% CI 11.6% to 21.7%) is similar to England's (15.0%): "
        "the difference is not significant.",
    ]
    pcomp = analysis.comparators(pub, AUTHORITY, RATE, "FYE 2023")
    p = analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2023", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Alder"], pcomp, "%", public=True) == [
        "Alder's figure (30.0%) is clearly higher than Fixture authority's (20.6%).",
        "Alder's figure (30.0%) is clearly higher than England's (15.0%).",
    ]
    said = analysis.narrative_for_ward(p.loc["Fir"], pcomp, "%", public=True)
    assert set(said) == {"Fir's figure is not shown, to protect small numbers."}
    assert not any("6.0" in s for s in said)


def test_narrative_for_a_count(full, pub):
    comp = analysis.comparators(pub, AUTHORITY, COUNT, "Feb 2025")
    p = analysis.ward_table(pub, AUTHORITY, COUNT, "Feb 2025", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Birch"], comp, "count", public=True) == ["Birch's count is 85."]
    assert analysis.narrative_for_ward(p.loc["Damson"], comp, "count", public=True) == [
        "Damson's figure is not shown, to protect small numbers."
    ]
    f = analysis.ward_table(full, AUTHORITY, COUNT, "Feb 2025", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(f.loc["Birch"], comp, "count") == ["Birch's count is 87."]


def test_hidden_figure_is_said_once(pub):
    pcomp = analysis.comparators(pub, AUTHORITY, RATE, "FYE 2023")
    p = analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2023", V).set_index("geo_name", drop=False)
    assert analysis.narrative_for_ward(p.loc["Fir"], pcomp, "%", public=True) == [
        "Fir's figure is not shown, to protect small numbers."
    ]


def test_missing_wards_note(full, pub):
    t25 = analysis.ward_table(full, AUTHORITY, RATE, "FYE 2025", V)
    # Elm's figure was suppressed by its publisher: hidden (small numbers), not missing, in both views
    assert col(t25, "suppressed")["Elm"] and analysis.missing_wards_note(full, AUTHORITY, RATE, t25) == ""
    # a ward with no figure at all gets the sentence, with the indicator's caveat about the authority
    absent = t25.assign(suppressed=False)
    expect = (
        "1 of 7 wards has no figure for this period. "
        "Fixture authority's Elm ward has no figure for FYE 2025 (withheld by the publisher)."
    )
    assert analysis.missing_wards_note(full, AUTHORITY, RATE, absent) == expect
    # cells hidden by disclosure are not "missing"
    assert (
        analysis.missing_wards_note(pub, AUTHORITY, RATE, analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2023", V))
        == ""
    )
    # without a caveat about the authority, the general reason
    c = analysis.ward_table(full, AUTHORITY, COUNT, "Feb 2025", V)
    c.loc[c["geo_name"] == "Cedar", "value"] = np.nan
    assert analysis.missing_wards_note(full, AUTHORITY, COUNT, c) == (
        "1 of 7 wards has no figure for this period. The publisher gives no figure for it, or no "
        "neighbourhood (LSOA) the figure is built from lies in it."
    )


# --- trends ---------------------------------------------------------------------------------------
def test_ward_trends_need_five_periods_and_shown_figures(full, pub):
    f_ = analysis.ward_trends(full, AUTHORITY, RATE, V)
    assert list(f_["geo_name"]) == WARDS_A
    assert set(f_["marker"]) == {"Cannot be calculated"}
    # Elm's FYE 2025 figure was suppressed by its publisher
    assert col(f_, "reason") == {
        w: "A figure is suppressed to protect small numbers" if w == "Elm" else "Not enough data points"
        for w in WARDS_A
    }
    p_ = analysis.ward_trends(pub, AUTHORITY, RATE, V)
    assert col(p_, "reason") == {
        w: "A figure is suppressed to protect small numbers" if w in ("Elm", "Fir") else "Not enough data points"
        for w in WARDS_A
    }
    assert p_["judged"].isna().all()


def test_ward_trends_over_five_years(full, pub):
    for r in (full, pub):  # nothing below 10: the same in public
        t = analysis.ward_trends(r, AUTHORITY, TREND, V).set_index("geo_name")
        assert t["marker"].to_dict() == {
            w: {"Alder": "Increasing", "Fir": "Decreasing"}.get(w, "No significant change") for w in WARDS_A
        }
        assert col(t.reset_index(), "judged") == {w: {"Alder": "worse", "Fir": "better"}.get(w) for w in WARDS_A}
        assert t.loc["Alder", "reason"] == "No outliers and significant trend"
        assert t.loc["Birch", "reason"] == "No significant trend"


def test_worse_and_worsening(full, pub):
    # 2022: Alder 30% (27.24-32.91) is worse than the authority's 20% and rising; Hazel and Elm are
    # worse than England's 18% but flat; the two-period rate and the count have no five-year trend
    for r in (full, pub):
        w = analysis.worse_and_worsening(r, AUTHORITY, [TREND, RATE, COUNT])
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


def test_gap_trend_over_five_years(full):
    table, _ = analysis.gap_trend(full, AUTHORITY, TREND, V)
    assert list(table["period"]) == ["2018", "2019", "2020", "2021", "2022"]
    # highest and lowest: Fir 30 / Alder 10, Fir 25 / Alder 15, Hazel 22 / Birch 18, then back
    assert list(table["range"]) == pytest.approx([20.0, 10.0, 4.0, 10.0, 20.0])
    assert list(table["ratio"]) == pytest.approx([3.0, 25 / 15, 22 / 18, 25 / 15, 3.0])
    # the least deprived fare worse in 2018 (negative SII), the most deprived in 2022 (positive)
    first, last = table.iloc[0], table.iloc[-1]
    assert first["sii_upper_95"] < 0 < last["sii_lower_95"]


def test_gap_that_turns_round_is_a_change(full):
    _, change = analysis.gap_trend(full, AUTHORITY, TREND, V)
    assert change == "reversed"


# --- London -------------------------------------------------------------------------------------
def test_context_table_ranks(full, pub):
    f_ = analysis.context_table(full, RATE, "FYE 2023", V, LONDON)
    # ties share the lower rank: Alder and Ivy 30 (1), Cedar and Juniper 20 (5)
    assert col(f_, "rank") == {
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
    p_ = analysis.context_table(pub, RATE, "FYE 2023", V, LONDON)
    # public rates are those of the rounded counts: Cedar 40/205 = 19.5 below Juniper 35/175 = 20.0
    assert col(p_, "rank") == {
        "Alder": 1,
        "Ivy": 1,
        "Birch": 3,
        "Hazel": 4,
        "Juniper": 5,
        "Cedar": 6,
        "Damson": 7,
        "Laurel": 8,
        "Elm": None,
        "Fir": None,
    }
    summary = analysis.context_summary(p_, AUTHORITY)
    assert (summary["n"], summary["top"]["geo_name"], summary["bottom"]["geo_name"], summary["top_rank"]) == (
        8,
        "Alder",
        "Damson",
        1,
    )


def test_context_table_discloses_each_authority_on_its_own(pub):
    p_ = analysis.context_table(pub, COUNT, "Feb 2025", V, LONDON)
    # second authority: Ivy 9 below 10, Laurel 55 its next smallest; the first authority's cells are not used
    assert sorted(p_.loc[p_["suppressed"], "geo_name"]) == ["Damson", "Elm", "Ivy", "Laurel"]
    assert col(p_, "rank") == {
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
    assert col(p_, "value")["Birch"] == 85.0


# --- one ward -----------------------------------------------------------------------------------
def _profile(r, ward: str) -> pd.DataFrame:
    return analysis.ward_profile(r, CODE[ward]).set_index("indicator_id")


def test_ward_profile_full(full):
    p = _profile(full, "Alder")
    assert list(p.index) == [RATE, "population", "imd_score", TREND, COUNT]  # theme, then id
    assert list(p["period"]) == ["FYE 2025", "2021", "2025", "2022", "Feb 2025"]
    assert list(p["rank_in_authority"]) == ["1 of 6", "5 of 7", "2 of 7", "1 of 7", "2 of 7"]
    assert list(p["rank_in_region"]) == ["1 of 9", "7 of 10", "2 of 10", "1 of 10", "3 of 10"]
    assert p.loc[RATE, "trend"] == "up from 30.0% in FYE 2023 (2022/23)"
    assert p.loc[TREND, "trend"] == "up from 25.0% in 2021"
    # IMD 2019 and 2025 are different editions (sources): no change is claimed between them
    assert p.loc["imd_score", "trend"] == "no earlier period"
    assert (p.loc[RATE, "authority_value"], p.loc[RATE, "region_value"], p.loc[RATE, "country_value"]) == (
        31.9355,
        28.0,
        20.0,
    )
    assert np.isnan(p.loc[COUNT, "authority_value"])  # counts are not set against totals
    # Elm's FYE 2025 figure was suppressed by its publisher: its latest, not shown
    elm = _profile(full, "Elm").loc[RATE]
    assert (elm["period"], elm["suppressed"], elm["trend"], elm["rank_in_authority"]) == (
        "FYE 2025",
        True,
        "not shown",
        "not ranked",
    )


def test_ward_profile_public(pub):
    p = _profile(pub, "Alder")
    assert p.loc[COUNT, "value"] == 120 and p.loc["population", "value"] == 1005
    assert p.loc[COUNT, "rank_in_authority"] == "2 of 5"  # ranked among the five shown
    assert p.loc[COUNT, "rank_in_region"] == "3 of 6"
    d = _profile(pub, "Damson")
    assert d.loc[COUNT, "suppressed"] and np.isnan(d.loc[COUNT, "value"])
    assert (d.loc[COUNT, "trend"], d.loc[COUNT, "rank_in_authority"], d.loc[COUNT, "rank_in_region"]) == (
        "not shown",
        "not ranked",
        "not ranked",
    )
    e = _profile(pub, "Elm")
    assert e.loc[RATE, "suppressed"] and e.loc[RATE, "rank_in_authority"] == "not ranked"
    assert np.isnan(e.loc[RATE, "lower_95"])
    # the profile's figure is the ward's cell of its authority's table (Alder 250 of 500, Fir hidden)
    t = analysis.ward_table(pub, AUTHORITY, RATE, "FYE 2025", V).set_index("geo_name")
    assert _profile(pub, "Alder").loc[RATE, "value"] == t.loc["Alder", "value"] == 50.0
    assert _profile(pub, "Fir").loc[RATE, "suppressed"] and t.loc["Fir", "suppressed"]


def test_ward_profile_public_changes_use_the_figures_shown(pub):
    p = _profile(pub, "Alder").loc[RATE]
    assert (p["previous_period"], p["trend"]) == ("FYE 2023", "up from 30.0% in FYE 2023 (2022/23)")
    p = _profile(pub, "Birch").loc[RATE]
    assert p["previous_period"] == "FYE 2023" and p["trend"] == "up from 23.8% in FYE 2023 (2022/23)"
    # Damson's count of Feb 2025 is hidden and has no earlier period; Elm's rate FYE 2025 is hidden
    assert _profile(pub, "Elm").loc[RATE, "trend"] == "not shown"


def test_change_words_name_a_hidden_earlier_figure_and_never_say_nan():
    from wardgaps.analysis.places import _change_words

    row = {"value": 12.0, "unit": "%", "previous_value": np.nan, "previous_suppressed": True}
    assert _change_words({**row, "previous_period": "FYE 2023"}) == "earlier figure (FYE 2023 (2022/23)) not shown"
    assert _change_words({**row, "previous_period": None}) == "no earlier period"
    assert _change_words({**row, "previous_period": np.nan}) == "no earlier period"
    assert _change_words({**row, "suppressed": True, "previous_period": "FYE 2023"}) == "not shown"


def test_profile_top3(full):
    top = analysis.profile_top3(analysis.ward_profile(full, CODE["Alder"]))
    assert list(top["indicator_id"]) == [RATE, "imd_score", TREND]  # 1st, 2nd and 1st of the authority


def test_furthest_behind(full):
    f = analysis.furthest_behind(full, AUTHORITY, [RATE, "imd_score", COUNT]).set_index("geo_name")
    # worse than the authority (31.94) on the rate in FYE 2025: Alder, Hazel, Birch; the IMD has no
    # interval (not tested) and counts are not judged
    assert list(f.index) == ["Alder", "Birch", "Hazel", "Cedar", "Damson", "Elm", "Fir"]
    assert col(f.reset_index(), "worse_count") == {w: int(w in ("Alder", "Birch", "Hazel")) for w in WARDS_A}
    assert f.loc["Elm", "tested"] == 0 and f.loc["Elm", "indicators"] == 1
    # position: 100 x (1 - rank/n), highest value worst; Alder 1st of 6 and 2nd of 7
    assert f.loc["Alder", "mean_position"] == pytest.approx((100 * (1 - 1 / 6) + 100 * (1 - 2 / 7)) / 2)
    assert f.loc["Fir", "mean_position"] == pytest.approx(0.0)


def test_hidden_in_public_counts_the_small_cells(full):
    h = analysis.hidden_in_public(full).set_index("indicator_id")
    # Fir FYE 2023; Damson and Ivy, and the metropolitan district's 3 and 0 and the Welsh area's 7
    assert h["ward_figures"].to_dict() == {RATE: 1, COUNT: 5}


def test_download_view_public_matches_the_table(pub):
    d = analysis.download_view(pub, AUTHORITY, COUNT, "Feb 2025", V)
    assert list(d.columns[:4]) == ["geo_code", "geo_name", "indicator_id", "unit"]
    assert col(d, "value") == col(analysis.ward_table(pub, AUTHORITY, COUNT, "Feb 2025", V), "value")
    assert d.loc[d["geo_name"] == "Damson", ["value", "numerator", "rank"]].isna().all().all()


def test_the_series_break_is_read_from_the_caveats_stored_with_the_series():
    meta = {
        "caveats": "Only three years. Series break: FYE 2022 is over Census 2021, the others over mid-year estimates. "
        "More."
    }
    assert analysis.series_break_note(meta) == (
        "Series break: FYE 2022 is over Census 2021, the others over mid-year estimates."
    )
    assert analysis.series_break_note({"caveats": "No break here."}) == ""


def test_one_figure_note_only_when_every_ward_shown_has_the_same_figure():
    same = pd.DataFrame({"value": [36.815, 36.815, np.nan], "method": ["apportioned"] * 3})
    said = (
        "All 2 wards shown have the same figure (36.8%), so there is no gap between them to measure and their "
        "order means nothing."
    )
    assert analysis.one_figure_note(same, "%") == said
    assert analysis.one_figure_note(same.assign(method="published"), "%") == said
    assert analysis.one_figure_note(same.assign(value=[0.0, 0.0, 0.0]), "%").startswith(
        "All 3 wards shown have the same figure (0.0%), so"
    )
    assert analysis.one_figure_note(same, "%", "areas").startswith("All 2 areas shown have the same figure (36.8%)")
    assert analysis.one_figure_note(same.assign(value=[36.815, 36.9, np.nan]), "%") == ""
    assert analysis.one_figure_note(same.assign(value=[36.815, np.nan, np.nan]), "%") == ""
