"""Every page runs under Streamlit's AppTest, through the router, for several boroughs and themes,
and shows real values from the extract."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["overview", "map", "gaps", "trends", "profile", "london", "briefing", "methods", "accessibility"]
THEME_DEFAULTS = ["child_poverty_ahc_dwp", "imd_score", "overcrowded_households", "population"]


def app(page: str = "overview", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, val in params.items():
        at.query_params[k] = val
    at.run()
    assert not at.exception, at.exception
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [str(m.value) for m in at.metric]
    # Data-bearing text is Markdown-escaped by the app (ui.md_escape); read it as displayed.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("borough", ["E09000019", "E09000012"])
def test_page_runs_for_borough(page, borough):
    at = app(page, borough=borough)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("indicator", THEME_DEFAULTS)
@pytest.mark.parametrize("page", ["map", "gaps", "trends", "london"])
def test_page_runs_for_each_theme(page, indicator):
    app(page, indicator=indicator)


@pytest.mark.parametrize("page", ["map", "gaps", "trends", "london", "overview"])
def test_borough_only_and_old_ward_indicators(page):
    app(page, indicator="child_poverty_ahc_ecp")
    app(page, indicator="median_house_price")


def test_map_table_shows_real_values():
    at = app("map", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Finsbury Park", "Value (%)"] == 46.0
    assert t.loc["Highbury", "Value (%)"] == 20.1
    assert t.loc["Finsbury Park", "Compared with borough"] == "Worse"
    assert "Finsbury Park has the highest figure (46.0%)" in texts(at)


def test_gap_measures_show_ratio():
    at = app("gaps", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Highest / lowest"] == f"{46.0 / 20.1:.2f}"
    assert "Finsbury Park (46.0%) and Highbury (20.1%)" in texts(at)
    assert "narrowing" in texts(at)


def test_permalink_opens_ward_profile():
    at = app("profile", ward="E05013703")
    assert at.selectbox(key="w_profile_ward").value == "E05013703"
    assert "Ward profile: Finsbury Park" in texts(at)
    t = frames(at)[0].set_index("Indicator")
    assert t.loc["Child poverty AHC (DWP)", "Ward"] == "46.0%"
    assert t.loc["Child poverty AHC (DWP)", "Rank in borough"] == "1 of 17"


def test_permalink_restores_sidebar():
    at = app("map", borough="E09000012", indicator="overcrowded_households", period="2021")
    assert at.selectbox(key="w_borough").value == "E09000012"
    assert at.selectbox(key="w_indicator").value == "overcrowded_households"
    assert at.query_params["borough"] == ["E09000012"] or at.query_params["borough"] == "E09000012"


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"borough": "E09999999"}, "not a London borough"),
        ({"indicator": "drop table"}, "not in Ward Gaps"),
        ({"period": "1800"}, "latest is shown"),
        ({"ward": "E05999999"}, "not one of this borough's wards"),
        ({"ward": "<script>"}, "not valid"),
    ],
)
def test_bad_parameters_fall_back_with_notice(params, notice):
    # The notice shows on the page the permalink opens (overview here; the map reads the ward).
    at = app("map" if "ward" in params else "overview", **params)
    assert notice in texts(at)
    assert at.selectbox(key="w_borough").value in ("E09000019",)


def test_overview_shows_both_child_poverty_figures():
    at = app("overview")
    labels = {m.label: m.value for m in at.metric}
    assert labels["DWP, FYE 2024 (2023/24)"] == "34.2%"
    assert "End Child Poverty, 2023/24" in labels
    assert "They differ because" in texts(at)


def test_methods_offers_downloads():
    at = app("methods")
    labels = [b.label for b in at.get("download_button")]
    assert "Current view (CSV)" in labels and "Current view (XLSX)" in labels
    assert "Whole extract: observations (CSV)" in labels


def test_briefing_page_offers_both_downloads():
    at = app("briefing")
    at.button(key="build_pack").click().run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Download PowerPoint (.pptx)" in labels and "Download PDF" in labels


def test_public_view_rounds_derived_counts(monkeypatch):
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    at = app("map", indicator="population", period="2021")
    values = frames(at)[0]["Value (count)"].dropna()
    assert len(values) == 17 and (values % 5 == 0).all()
    assert "Public view" in texts(at)
    methods = app("methods")
    labels = [b.label for b in methods.get("download_button")]
    assert "Whole extract: observations (CSV)" not in labels
    for page in ("profile", "trends", "london", "gaps"):
        app(page, indicator="uc_households")


def test_public_view_keeps_published_figures(monkeypatch):
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    at = app("map", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Finsbury Park", "Value (%)"] == 46.0  # published by DWP: shown as published
