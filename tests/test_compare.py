"""Comparison on the fixture extract: the Compare page (wards of two authorities side by side, bad
links), similar authorities and a benchmark as comparators, and the indicator search."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from tests.fixture_areas import METRO, WELSH
from tests.fixtures import AUTHORITY, AUTHORITY_B, CODE, COUNT, RATE, TREND
from tests.test_pages import app, frames, texts
from wardgaps import analysis, stats
from wardgaps.analysis import compare, groups
from wardgaps.analysis.search import search_indicators
from wardgaps.ingest.registry import indicators_table
from wardgaps.ui import THEMES

pytest_plugins = ["tests.fixture_plugin"]

BIRCH, JUNIPER = CODE["Birch"], CODE["Juniper"]


# --- the Compare page ---------------------------------------------------------------------------
def test_compare_page_sets_wards_of_two_authorities_side_by_side(fixture_db):
    at = app("compare", authority=AUTHORITY, wards=f"{BIRCH},{JUNIPER}", theme="child_poverty")
    wide = at.dataframe[0].value.set_index("Indicator")
    row = wide.loc["Child poverty AHC (DWP)"]
    assert row["Period"] == "FYE 2025 (2024/25)"
    # Birch 200/500 against its authority (31.9%) and England (20.0%); Juniper 90/300 against its own (30.0%)
    assert row["Birch (Fixture authority)"] == (
        "40.0% (35.8% to 44.4%); ▲ significantly worse than Fixture authority; ▲ significantly worse than England"
    )
    assert row["Juniper (Fixture second authority)"] == (
        "30.0% (25.1% to 35.4%); similar to Fixture second authority; ▲ significantly worse than England"
    )
    shown = texts(at)
    assert "Birch has the highest figure (40.0%) and Juniper the lowest (30.0%) of the 2 places" in shown
    assert [c.value for c in at.code] == [f"/compare?wards={BIRCH},{JUNIPER}&theme=child_poverty"]
    assert at.query_params["wards"] == f"{BIRCH},{JUNIPER}"
    chart = at.dataframe[1].value.set_index("Place")
    assert (
        chart.loc["Juniper", "Value (%)"] == 30.0 and chart.loc["Juniper", "95% CI upper"] == 35.412
    )  # shown to 3 decimals
    assert any(b.label == "Download this table (CSV)" for b in at.get("download_button"))
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = spec["data"][0]  # drawn top-down in the order chosen, each with its figure and result in words
    assert bars["y"] == ["Juniper (Fixture second authority)", "Birch (Fixture authority)"]
    assert bars["text"][0] == "30.0%: similar to Fixture second authority; ▲ significantly worse than England"


def test_compare_page_notices_a_difference_in_words(fixture_db):
    at = app("compare", authority=AUTHORITY, wards=f"{BIRCH},{JUNIPER},{CODE['Cedar']}", theme="poverty")
    shown = texts(at)
    # the five-year rate, 2022: Juniper 250/1000 worse than England (18%), Birch 180 and Cedar 190 not
    assert (
        "Out-of-work benefit claimants: Juniper is ▲ significantly worse than England; Birch and Cedar are not."
        in shown
    )
    wide = at.dataframe[0].value.set_index("Indicator")
    assert wide.loc["Households on UC (count)", "Birch (Fixture authority)"] == "87"  # a count: not judged


@pytest.mark.parametrize(
    ("wards", "sentence"),
    [
        (BIRCH, "Choose at least 2 wards to compare (up to 4)."),
        ("", "Choose at least 2 wards to compare (up to 4)."),
        (f"{BIRCH},{BIRCH}", f"Ward {BIRCH} is given twice: choose 2 to 4 different wards."),
        (",".join(list(CODE.values())[:5]), "At most 4 wards can be compared side by side; 5 were given."),
        (f"{BIRCH},E05000001", "E05000001 is not a current ward of England or Wales in Ward Gaps."),
        (f"{BIRCH},<b>x", "<B>X is not a ward code (a ward code looks like E05013697)."),
    ],
)
def test_compare_page_bad_wards_say_one_sentence(fixture_db, wards, sentence):
    at = app("compare", authority=AUTHORITY, wards=wards)
    # read as displayed: the page escapes Markdown in what the link gave (no markup from a link)
    assert [re.sub(r"\\(.)", r"\1", i.value) for i in at.info] == [sentence]
    assert len(at.dataframe) == 0


def test_compare_long_is_one_period_per_indicator(full):
    welsh_ward = "W05999914"
    places, problem = compare.parse_places(full, f"{BIRCH},{CODE['Elm']},{welsh_ward}")
    assert problem == ""
    assert [p.label for p in places][2] == "Llanfair-ym-Muallt (Ardal Brawf / Fixture Welsh área)"
    long = compare.compare_long(full, places, "child_poverty").set_index("place")
    # the Welsh ward has no figure of the rate: it is compared at the same period, and says so
    assert long.loc[welsh_ward, "period"] == "FYE 2025" and np.isnan(long.loc[welsh_ward, "value"])
    assert compare.cell(long.loc[welsh_ward]) == "no figure for FYE 2025 (2024/25)"
    # Elm's FYE 2025 figure is withheld by its publisher: hidden, not missing
    assert compare.cell(long.loc[CODE["Elm"]]) == "not shown (small numbers)"


def test_compare_in_the_public_view_hides_small_counts(pub):
    places, _ = compare.parse_places(pub, f"{CODE['Damson']},{CODE['Ivy']},{CODE['Alder']}")
    long = compare.compare_long(pub, places, "poverty")
    uc = long[long["indicator_id"].eq(COUNT)].set_index("place_name")
    # Damson's 8 and Ivy's 9 households are below 10: hidden; Alder's 120 shown (a multiple of 5)
    assert uc.loc["Damson", "suppressed"] and uc.loc["Ivy", "suppressed"] and np.isnan(uc.loc["Ivy", "value"])
    assert uc.loc["Alder", "value"] == 120
    assert compare.cell(uc.loc["Damson"]) == "not shown (small numbers)"


# --- similar authorities and a benchmark ------------------------------------------------------
def test_similar_authorities_figure_is_the_rate_of_summed_counts(full):
    comp = analysis.comparators(full, AUTHORITY, RATE, "FYE 2025", similar=True).set_index("geo_type")
    s = comp.loc["similar"]
    # of the three similar authorities only the second London one has the rate: 270 of 900
    lo, hi = stats.wilson_interval([270], [900], 0.95)
    assert (s["value"], s["numerator"], s["denominator"]) == (30.0, 270.0, 900.0)
    assert (s["lower_95"], s["upper_95"]) == (round(lo[0], 4), round(hi[0], 4))
    assert s["geo_name"] == "3 similar authorities" and s["label"] == "similar authorities"
    assert s["method"] == "rate of their summed counts, 1 of 3 authorities with a figure"
    assert list(analysis.comparators(full, AUTHORITY, RATE, "FYE 2025")["geo_type"]) == [
        "authority",
        "region",
        "country",
    ]


def test_group_figures_mean_counts_and_hidden():
    rows = pd.DataFrame(
        {
            "period": ["2025"] * 3,
            "period_start": [pd.Timestamp("2025-01-01")] * 3,
            "value": [10.0, 20.0, None],
            "numerator": [None, None, None],
            "denominator": [None, None, None],
            "status": ["final", "estimate", "suppressed"],
        }
    )
    g = groups.group_figures(rows, "score", "similar:X", "3 similar authorities", 3).iloc[0]
    assert (g["value"], g["n"], g["status"]) == (15.0, 2, "estimate")
    assert g["method"] == "mean of their figures, 2 of 3 authorities with a figure" and np.isnan(g["upper_95"])
    assert groups.group_figures(rows, "count", "similar:X", "x", 3).empty


def test_similar_authorities_and_benchmark_over_time(full):
    s = analysis.comparator_series(full, AUTHORITY, TREND, similar=True, benchmark=METRO)
    assert set(s["geo_type"]) == {"authority", "region", "country", "similar"}  # the metro area has no figure
    s = analysis.comparator_series(full, AUTHORITY, TREND, similar=True, benchmark=AUTHORITY_B)
    b = s[s["geo_type"].eq("benchmark")]
    assert list(b["value"]) == [20.0] * 5 and b["geo_name"].iloc[0] == "Fixture second authority (benchmark)"
    assert analysis.comparator_series(full, AUTHORITY, COUNT, similar=True, benchmark=AUTHORITY_B).empty


def test_similar_authorities_listed_nearest_first(full):
    near = analysis.similar_authorities(full, WELSH)
    assert list(near["geo_code"]) == [METRO, AUTHORITY, AUTHORITY_B] and list(near["rank"]) == [1, 2, 3]


@pytest.mark.parametrize(
    ("given", "notice"),
    [
        ("E08000099", "E08000099 is not a local authority of England or Wales in Ward Gaps, so no benchmark is drawn."),
        ("Leeds", "That benchmark is not a local authority code (such as E08000012), so no benchmark is drawn."),
        (AUTHORITY, "The benchmark is the authority shown, so no separate benchmark is drawn."),
    ],
)
def test_bad_benchmark_says_one_sentence(fixture_db, given, notice):
    at = app("overview", authority=AUTHORITY, indicator=RATE, benchmark=given)  # said on the page opened
    assert notice in [i.value for i in at.info]
    assert "benchmark" not in at.query_params


def test_benchmark_and_similar_drawn_on_ward_gaps(fixture_db):
    at = app("gaps", authority=AUTHORITY, indicator=RATE, period="FYE 2025", benchmark=AUTHORITY_B, similar="1")
    names = [t["name"] for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "Fixture second authority (benchmark) 30.0% (published)" in names
    assert "3 similar authorities 30.0% (rate of their summed counts, 1 of 3 authorities with a figure)" in names
    assert at.query_params["benchmark"] == AUTHORITY_B and at.query_params["similar"] == "1"
    plain = app("gaps", authority=AUTHORITY, indicator=RATE, period="FYE 2025")
    names = [t["name"] for t in json.loads(plain.get("plotly_chart")[0].proto.spec)["data"]]
    assert not any("benchmark" in n or "similar" in n for n in names)


def test_the_overview_headline_takes_the_comparison_groups(full, fixture_db):
    h = analysis.headline(full, AUTHORITY, RATE, similar=True, benchmark=AUTHORITY_B)
    assert (h["similar authorities"], h["benchmark"]) == (30.0, 30.0)  # 270 of 900; the second authority's
    assert h["benchmark_name"] == "Fixture second authority (benchmark)"
    assert "similar authorities" not in analysis.headline(full, AUTHORITY, RATE)
    at = app("overview", authority=AUTHORITY, benchmark=AUTHORITY_B, similar="1")
    captions = [c.value for c in at.caption]
    assert any("Similar authorities" in c and "Fixture second authority (benchmark)" in c for c in captions), captions


# --- indicator search -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def registry() -> list[dict]:
    return indicators_table().to_dict("records")


def test_search_finds_what_a_reader_means(registry):
    assert search_indicators(registry, "overcrowd", THEMES) == [
        "overcrowded_households",
        "overcrowding_bedrooms_score",
        "overcrowding_rooms_score",
    ]
    assert set(search_indicators(registry, "air", THEMES)) == {
        "air_quality",
        "air_quality_benzene",
        "air_quality_no2",
        "air_quality_particulates",
        "air_quality_so2",
    }
    assert search_indicators(registry, "Air quality NO2", THEMES) == ["air_quality_no2"]
    assert search_indicators(registry, "", THEMES) == [] and search_indicators(registry, "  ", THEMES) == []
    assert search_indicators(registry, "xylophone", THEMES) == []
    # by theme label and by definition as well as title: "repair" is not "air"
    assert "population" in search_indicators(registry, "population", THEMES)
    assert search_indicators(registry, "pair", THEMES) == []


def test_search_box_sets_the_views_indicator(fixture_db):
    at = app("map", authority=AUTHORITY)
    at.text_input(key="indicator_search").input("household").run()
    pick = at.selectbox(key="w_search_pick")
    assert pick.options == ["Households on UC (count)"]
    pick.set_value(COUNT).run()
    assert at.query_params["indicator"] == COUNT
    assert at.selectbox(key="w_indicator").value == COUNT and at.text_input(key="indicator_search").value == ""


SIMILAR_RULE_NAME = (
    "similar authorities: every authority has 10 others (fewer if fewer exist), ranked by distance, ties by code"
)


@pytest.mark.parametrize(
    "defect",
    [
        f"delete from similar_authorities where geo_code = '{AUTHORITY}' and rank = 3",
        f"update similar_authorities set neighbour_code = geo_code where geo_code = '{METRO}' and rank = 1",
        f"update similar_authorities set rank = 4 - rank where geo_code = '{WELSH}'",
    ],
)
def test_similar_authorities_contract_catches_a_defect(fixture_extract, tmp_path, defect):
    import shutil

    import duckdb

    from wardgaps.check import VERSION_RULE, run_checks

    copy = tmp_path / "broken.duckdb"
    shutil.copyfile(fixture_extract, copy)
    with duckdb.connect(str(copy)) as con:
        assert {f.rule for f in run_checks(con)} - {VERSION_RULE} == set()
        con.execute(defect)
        assert SIMILAR_RULE_NAME in {f.rule for f in run_checks(con)}


def test_the_profile_takes_the_comparison_groups(full, fixture_db):
    at = app("profile", authority=AUTHORITY, benchmark=AUTHORITY_B, similar="1")
    t = next(f for f in frames(at) if "Similar authorities" in f.columns).set_index("Indicator")
    rate = analysis.indicator_meta(full, RATE)["short_title"]
    # the second London authority's 270 of 900 is the three similar authorities' rate and its own
    assert t.loc[rate, "Similar authorities"] == "30.0%"
    assert t.loc[rate, "Fixture second authority (benchmark)"] == "30.0%"
    plain = app("profile", authority=AUTHORITY)
    assert not any("Similar authorities" in f.columns for f in frames(plain))
