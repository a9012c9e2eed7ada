"""Ward Gaps' own statistics: trend markers, gap change, narrative, and the
recorded Islington gap measures on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wardgaps import analysis, stats, text

YEARS = [2015, 2016, 2017, 2018, 2019]


# --- recent trend ---------------------------------------------------------------------------
def test_trend_increasing_proportion():
    assert stats.trend_marker(YEARS, numerator=[100, 150, 200, 250, 300], denominator=[1000] * 5) == (
        "Increasing",
        "No outliers and significant trend",
    )


def test_trend_flat_is_no_significant_change():
    marker, reason = stats.trend_marker(YEARS, numerator=[100, 102, 99, 101, 100], denominator=[1000] * 5)
    assert (marker, reason) == ("No significant change", "No significant trend")


def test_trend_outlier_found():
    marker, reason = stats.trend_marker(YEARS, numerator=[100, 100, 100, 100, 400], denominator=[1000] * 5)
    assert (marker, reason) == ("No significant change", "Outlier found")


def test_trend_needs_five_points_and_intervals():
    assert stats.trend_marker(YEARS[:4], numerator=[1, 2, 3, 4], denominator=[10] * 4)[1] == "Not enough data points"
    assert stats.trend_marker(YEARS, [1, 2, 3, 4, 5], lower=[0] * 5, upper=[np.nan] * 5)[1] == (
        "Missing at least one confidence interval value"
    )


def test_trend_other_uses_weighted_regression():
    v = [10, 12, 14, 16, 18]
    marker, _ = stats.trend_marker(YEARS, v, lower=[x - 0.5 for x in v], upper=[x + 0.5 for x in v])
    assert marker == "Increasing"
    marker, _ = stats.trend_marker(YEARS, v, lower=[x - 20 for x in v], upper=[x + 20 for x in v])
    assert marker == "No significant change"


def test_trend_only_last_five_points():
    years = [2010, 2011, *YEARS]
    marker, _ = stats.trend_marker(years, numerator=[900, 800, 100, 150, 200, 250, 300], denominator=[1000] * 7)
    assert marker == "Increasing"


# --- gap measures ---------------------------------------------------------------------------
def test_gap_measures_hand_case():
    df = pd.DataFrame(
        {
            "geo_code": list("ABCDE"),
            "value": [50.0, 40.0, 30.0, 20.0, 10.0],
            "lower_95": np.nan,
            "upper_95": np.nan,
            "population": [100.0] * 5,
            "deprivation": [50.0, 40.0, 30.0, 20.0, 10.0],  # A most deprived
        }
    )
    g = stats.gap_measures(df, "score", "higher_is_worse")
    assert (g.highest_code, g.lowest_code, g.range, g.ratio) == ("A", "E", 40.0, 5.0)
    # Fitted values fall by 50 from rank 0 (most deprived) to rank 1: for "higher is worse" the SII
    # is reported with multiplier -1, so +50 reads "the most deprived end is 50 points worse".
    assert g.sii.sii == pytest.approx(50.0)
    assert g.sii.sii_limits == {}
    assert "No intervals" in g.sii_note


def test_gap_change_direction():
    def s(v, half):
        return stats.SII(v, 1.0, 1.0, {0.95: (v - half, v + half)}, {})

    assert stats.gap_change(s(14.0, 1.8), s(11.0, 1.8)) == "narrowing"
    assert stats.gap_change(s(11.0, 1.8), s(14.0, 1.8)) == "widening"
    assert stats.gap_change(s(11.0, 5), s(12.0, 5)) == "not significantly changed"
    assert stats.gap_change(s(-16.0, 3), s(14.0, 3)) == "reversed"  # the gradient turned round
    assert stats.gap_change(s(-1.0, 3), s(12.0, 3)) == "widening"  # the first was not clear of zero


def test_islington_child_poverty_gaps_recorded(full_reader):
    """Islington, child_poverty_ahc_dwp, FYE 2025, 17 May-2022 wards. Method: PHE SII on wards
    ordered by IMD 2025 score (most deprived first), weighted by the children each rate is based
    on, logit scale with Wilson 95% limits, multiplier -100 (positive = more deprived wards have
    more child poverty), 20,000 simulations, seed 20240401."""
    r = analysis.authority_gaps(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2024)
    assert r.deprivation_edition == "2025" and not r.withheld
    g = r.gaps
    assert g.n == 17
    assert (g.highest_code, g.highest, g.lowest_code, g.lowest) == ("E05013703", 46.0, "E05013704", 20.1)
    assert g.ratio == pytest.approx(46.0 / 20.1)
    assert g.sii.sii == pytest.approx(10.9781, abs=1e-3)
    assert g.sii.rii == pytest.approx(1.3943, abs=1e-3)
    lo, hi = g.sii.sii_limits[0.95]
    assert lo == pytest.approx(9.17, abs=0.05) and hi == pytest.approx(12.76, abs=0.05)
    table, change = analysis.gap_trend(full_reader, "E09000019", "child_poverty_ahc_dwp", 2024)
    assert list(table["period"]) == ["FYE 2024", "FYE 2025"]
    # FYE 2024 is ordered by the IMD of its time (2019): SII 13.31 (11.52-15.08); the fall to 10.98
    # is within the two intervals' combined error, so the gap has not significantly changed.
    r24 = analysis.authority_gaps(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2024", 2024)
    assert r24.deprivation_edition == "2019"
    assert table["sii"].iloc[0] == pytest.approx(13.3085, abs=1e-3)
    assert change == "not significantly changed"


def test_ward_table_significance_on_real_data(full_reader):
    t = analysis.ward_table(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2024).set_index("geo_name")
    assert t.loc["Finsbury Park", "vs_authority"] == "worse" and t.loc["Finsbury Park", "rank"] == 1
    assert t.loc["Highbury", "vs_authority"] == "better" and t.loc["Highbury", "rank"] == 17
    assert t.loc["Canonbury", "vs_authority"] == "similar"  # 32.5% (30.4-34.7) against 33.4%


def test_deprivation_quintiles_has_five_quintiles(full_reader):
    d = analysis.deprivation_quintiles(full_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2024)
    assert list(d["quintile"]) == [1, 2, 3, 4, 5] and d["wards"].sum() == 17
    assert d.loc[0, "value"] > d.loc[4, "value"]  # most deprived fifth has more child poverty


# --- narrative ------------------------------------------------------------------------------
def test_narrative_significant_and_similar():
    hi = text.narrative("Finsbury Park", 46.0, 44.0, 48.0, "Islington", 33.4, "%")
    assert (
        hi == "Finsbury Park's figure (46.0%, 95% CI 44.0% to 48.0%) is significantly higher than Islington's (33.4%)."
    )
    sim = text.narrative("Canonbury", 32.5, 30.4, 34.7, "Islington", 33.4, "%")
    assert "similar to" in sim and "significantly" not in sim.replace("not significant", "")
    assert "higher" not in sim


def test_narrative_without_interval_never_claims_significance():
    s = text.narrative("Barnsbury", 410000, None, None, "England", 200000, "£")
    assert "significant" not in s.replace("no significance is claimed", "")
    assert "higher" not in s
    public = text.narrative("Barnsbury", 410000, None, None, "England", 200000, "£", public=True)
    assert "significant" not in public and "CI" not in public


def test_narrative_public_has_no_jargon():
    s = text.narrative("Finsbury Park", 46.0, 44.0, 48.0, "Islington", 33.4, "%", public=True)
    assert "CI" not in s and "significant" not in s and "clearly higher" in s


def test_trend_marker_accepts_percent_confidence():
    # the reference package's docs pass 95; it must mean 0.95, not give NaN and "Outlier found"
    v = [10.0, 12.0, 14.0, 16.0, 18.0]
    args = dict(lower=[x - 0.5 for x in v], upper=[x + 0.5 for x in v])
    assert stats.trend_marker(YEARS, v, confidence=95, **args) == stats.trend_marker(YEARS, v, confidence=0.95, **args)
    assert stats.trend_marker(YEARS, v, confidence=95, **args)[0] == "Increasing"
    with pytest.raises(ValueError, match="confidence"):
        stats.trend_marker(YEARS, v, confidence=-1, **args)


def test_trend_marker_zero_count_cannot_be_calculated():
    marker, reason = stats.trend_marker(YEARS, numerator=[0, 5, 9, 14, 20], denominator=[100] * 5)
    assert marker == "Cannot be calculated" and "zero" in reason


def test_trend_marker_duplicate_years_reference_wording():
    assert stats.trend_marker([2015, 2015, 2016, 2017, 2018], numerator=[1] * 5, denominator=[10] * 5) == (
        "Cannot be calculated",
        "Duplicate years in group",
    )


# --- words -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "published, shown",
    [
        ("FYE 2024", "FYE 2024 (2023/24)"),
        ("2023/24", "FYE 2024 (2023/24)"),
        ("2001/02", "FYE 2002 (2001/02)"),
        ("FYE 2000", "FYE 2000 (1999/00)"),
        ("2021", "2021"),
        ("November 2017", "November 2017"),
    ],
)
def test_one_form_for_financial_years(published, shown):
    assert text.period_label(published) == shown
