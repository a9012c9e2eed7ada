"""Every page runs under Streamlit's AppTest, through the entry point (``dashboard.py``, then
Streamlit's page switch, as a reader's browser does), for several authorities and themes, and shows
real values from the extract. Each run asserts the shared sidebar was drawn."""

from __future__ import annotations

import json
import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from wardgaps import analysis, ui

pytestmark = pytest.mark.national

PAGES = [
    "overview",
    "map",
    "gaps",
    "trends",
    "profile",
    "similar",
    "compare",
    "context",
    "briefing",
    "methods",
    "accessibility",
]
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
    assert not at.error, [e.value for e in at.error]
    # the shared set-up ran: the sidebar's heading and its navigation are on the page
    assert any(m.value == f"**{ui.SIDEBAR_MARK}**" for m in at.sidebar.markdown)
    assert at.selectbox(key="w_authority") is not None
    return at


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [str(m.value) for m in at.metric]
    # Data-bearing text is Markdown-escaped by the app (ui.md_escape); read it as displayed.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("authority", ["E09000019", "E09000012"])
def test_page_runs_for_authority(page, authority):
    at = app(page, authority=authority)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("indicator", THEME_DEFAULTS)
@pytest.mark.parametrize("page", ["map", "gaps", "trends", "context"])
def test_page_runs_for_each_theme(page, indicator):
    app(page, indicator=indicator)


@pytest.mark.parametrize("page", ["map", "gaps", "trends", "context", "overview"])
def test_authority_only_and_old_ward_indicators(page):
    app(page, indicator="child_poverty_ahc_ecp")
    app(page, indicator="median_house_price")


def test_map_table_shows_real_values():
    at = app("map", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Finsbury Park", "Value (%)"] == 46.0
    assert t.loc["Highbury", "Value (%)"] == 20.1
    assert t.loc["Finsbury Park", "Compared with authority"] == "Worse"
    assert "Finsbury Park has the highest figure (46.0%)" in texts(at)


def test_gap_measures_show_ratio():
    at = app("gaps", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Highest / lowest"] == f"{46.0 / 20.1:.2f}"
    assert metrics["Range"] == "25.9 points"
    assert "Finsbury Park (46.0%) and Highbury (20.1%)" in texts(at)
    assert "ordered by IMD 2025 score" in texts(at)
    assert "Across 2 periods on these ward boundaries, the slope index gap is not significantly changed" in texts(at)


def test_permalink_opens_ward_profile():
    at = app("profile", ward="E05013703")
    assert at.selectbox(key="w_profile_ward").value == "E05013703"
    assert "Ward profile: Finsbury Park" in texts(at)
    t = frames(at)[0].set_index("Indicator")
    assert t.loc["Child poverty AHC (DWP)", "Ward"] == "46.0%"
    assert t.loc["Child poverty AHC (DWP)", "Rank in Islington"] == "1 of 17"


def test_permalink_restores_sidebar():
    at = app("map", authority="E09000012", indicator="overcrowded_households", period="2021")
    assert at.selectbox(key="w_authority").value == "E09000012"
    assert at.selectbox(key="w_indicator").value == "overcrowded_households"
    assert at.query_params["authority"] == "E09000012"


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"authority": "E09999999"}, "not a local authority of England or Wales"),
        ({"indicator": "drop table"}, "not in Ward Gaps"),
        ({"period": "1800"}, "latest is shown"),
        ({"ward": "E05999999"}, "not one of this local authority's wards"),
        ({"ward": "<script>"}, "not valid"),
    ],
)
def test_bad_parameters_fall_back_with_notice(params, notice):
    # The notice shows on the page the permalink opens (overview here; the map reads the ward).
    at = app("map" if "ward" in params else "overview", **params)
    assert notice in texts(at)
    assert at.selectbox(key="w_authority").value in ("E09000019",)


def test_overview_shows_both_child_poverty_figures():
    at = app("overview")
    labels = {m.label: m.value for m in at.metric}
    assert labels["DWP, FYE 2024 (2023/24)"] == "34.2%"
    assert "End Child Poverty, FYE 2024 (2023/24)" in labels
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


def test_public_view_rounds_derived_counts(public_view):
    at = app("map", indicator="population", period="2021")
    values = frames(at)[0]["Value (count)"].dropna()
    assert len(values) == 17 and (values % 5 == 0).all()
    assert "Public view" in texts(at)
    methods = app("methods")
    labels = [b.label for b in methods.get("download_button")]
    # the whole extract offered in public is the public one: every figure as this view shows it
    assert "Whole extract: observations (CSV)" in labels
    assert "The whole public extract" in texts(methods)
    for page in ("profile", "trends", "context", "gaps"):
        app(page, indicator="uc_households")


def test_public_view_shows_rates_of_the_rounded_counts(public_view, public_reader):
    at = app("map", indicator="child_poverty_ahc_dwp", period="FYE 2025")
    t = frames(at)[0].set_index("Ward")
    w = analysis.ward_table(public_reader, "E09000019", "child_poverty_ahc_dwp", "FYE 2025", 2024)
    fp = w.set_index("geo_name").loc["Finsbury Park"]
    assert t.loc["Finsbury Park", "Value (%)"] == round(100 * fp["numerator"] / fp["denominator"], 1)
    assert abs(t.loc["Finsbury Park", "Value (%)"] - 46.0) < 0.5  # DWP's 46.0%, from its rounded counts


def test_counts_are_shown_as_counts():
    """uc_households is a count: neutral, never judged, no total drawn, "count" on its labels."""
    at = app("gaps", authority="E09000007", indicator="uc_households", period="November 2017")
    bar = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t.get("name") for t in bar["data"]] == ["wards"]  # no authority/London/England total line
    t = frames(at)[-1].set_index("Ward")
    assert t.loc["Haverstock", "Value (count)"] == 109  # the full view shows the apportioned estimate
    assert t["vs authority"].isna().all()
    assert "No slope index for a count" in texts(at)
    m = app("map", authority="E09000007", indicator="uc_households", period="November 2017")
    assert "Significance vs authority" not in m.radio(key="scheme").options
    assert set(frames(m)[0]["Compared with authority"]) == {"Not compared"}


def test_sidebar_shows_one_form_of_financial_year():
    at = app("map", indicator="child_poverty_ahc_dwp")
    period = at.selectbox(key="w_period")
    assert period.value == "FYE 2025"
    assert period.format_func("FYE 2025") == "FYE 2025 (2024/25)"
    assert "period FYE 2025 (2024/25)" in texts(at)


def test_gap_uses_the_imd_of_its_time():
    at = app("gaps", indicator="child_poverty_ahc_dwp", period="FYE 2024")
    assert "ordered by IMD 2019 score" in texts(at)
    at = app("gaps", indicator="imd_score", period="2019")
    assert "ranking wards by the IMD, which is built from it, would be circular" in texts(at)
    assert "Slope index (SII)" not in [m.label for m in at.metric]


def test_a_failure_reaches_the_reader_as_one_sentence_and_the_log_whole(monkeypatch, caplog):
    def broken(*_a, **_k):
        raise RuntimeError("injected failure for the test")

    monkeypatch.setattr(analysis, "authority_gaps", broken)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    with caplog.at_level(logging.ERROR, logger="wardgaps"):
        at.switch_page("pages/gaps.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [ui.ERROR_SENTENCE]
    links = [el for el in at.get("page_link")]
    assert any("default view" in el.proto.label for el in links)
    assert "injected failure for the test" not in texts(at)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "the Ward gaps page failed" in logged
    assert any(r.exc_info and "injected failure for the test" in str(r.exc_info[1]) for r in caplog.records)


def test_city_of_london_says_why_figures_are_missing():
    at = app("trends", authority="E09000001", indicator="median_house_price")
    assert "This indicator has no ward figures for City of London." in texts(at)
    at = app("map", authority="E09000001", indicator="antisocial_behaviour_rate")
    assert "20 of 25 wards have no figure for this period." in texts(at)
    # the MSOA series and IMD now reach every City ward (the MSOA carried onto its 25 wards; area
    # overlap where the GLA's shares or the best fit give a ward no LSOA)
    at = app("map", authority="E09000001", indicator="imd_score", period="2025")
    assert "wards have no figure for this period" not in texts(at)


def test_one_figure_on_every_ward_is_no_gap():
    """The City of London's child poverty rate is its one MSOA's, carried onto all 25 wards: the
    pages say there is no gap between them, rather than "Aldersgate and Aldersgate are 0.0 points
    apart" or a highest and a lowest ward, and that there never was one."""
    same = "All 25 wards shown have the same figure (36.8%), so there is no gap between them to measure"
    for page in ("gaps", "map"):
        at = app(page, authority="E09000001", indicator="child_poverty_bhc_rate_dwp", period="FYE 2022")
        assert same in texts(at), page
        assert "points apart" not in texts(at) and "has the highest figure" not in texts(at), page
        if page == "gaps":
            assert "Range" not in {m.label for m in at.metric}
            assert "the slope index gap is nil: the wards had the same figure in every period" in texts(at)
            keys = [c.key for c in at.get("plotly_chart")]
            assert "gap_bar" in keys and "gap_trend" not in keys  # no slope index trend of zeros
        else:
            assert "their order means nothing; Aldersgate is 36.8%." in texts(at)


def test_a_rank_shared_by_every_ward_is_no_rank():
    """Tower Hamlets' homelessness figures (IoD 2025) are the authority's, the same on all 20
    wards: Limehouse's profile says so instead of "1 of 20", and does not count them among the
    indicators where it is one of the three highest wards."""
    at = app("profile", authority="E09000030", ward="E05009326")
    t = next(f for f in frames(at) if "Rank in Tower Hamlets" in f.columns).set_index("Indicator")
    assert t.loc["Core homelessness (IoD 2025)", "Rank in Tower Hamlets"] == "all 20 the same"
    top = next(line for line in texts(at).splitlines() if "three highest wards" in line)
    assert "Distance to shops (IoD)" in top and "homelessness" not in top.lower()


def test_an_untested_gap_change_says_why():
    """Liverpool's apportioned child poverty rates carry no interval, so neither does the slope
    index: the change is untested, and the sentence says why in words that follow "is"."""
    at = app("gaps", authority="E08000012", indicator="child_poverty_bhc_rate_dwp", period="FYE 2022")
    assert (
        "Across 3 periods on these ward boundaries, the slope index gap is not tested for change: the ward figures "
        "carry no confidence interval, so neither does the slope index." in texts(at)
    )
    assert "is not enough information" not in texts(at)


def test_trend_chart_follows_the_ward_boundaries_chosen():
    """Islington's 2014 and 2018 wards share their codes: the chart must still follow the choice
    (a figure cached without the vintage in its key would show the other set's lines)."""
    at = app("trends", indicator="imd_score", period="2019")
    names = {}
    for vintage in (2014, 2018):
        at.radio(key="trend_vintage").set_value(vintage).run()
        assert not at.exception, at.exception
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        names[vintage] = {t.get("name", "") for t in spec["data"]}
    assert any("2014 boundaries" in n for n in names[2014]) and not any("2018" in n for n in names[2014])
    assert any("2018 boundaries" in n for n in names[2018]) and not any("2014" in n for n in names[2018])


@pytest.mark.parametrize("view", ["full", "public"])
def test_profile_of_a_ward_with_few_or_no_figures(view, request, monkeypatch):
    """Isles of Scilly, Bryher: DWP suppresses its child poverty figure, its only one; City of
    London, Aldgate: few figures, all carried by apportionment. Both profiles open, in both views."""
    if view == "public":
        request.getfixturevalue("public_view")
    at = app("profile", authority="E06000053", ward="E05011090")
    t = frames(at)[0].set_index("Indicator")
    assert t.loc["Child poverty AHC (DWP)", "Ward"] == "not shown (small numbers)"
    assert t.loc["Child poverty AHC (DWP)", "Trend"] == "not shown" and "nan" not in t.to_csv()
    at = app("profile", authority="E09000001", ward="E05009289")
    assert at.title[0].value == "Ward profile: Aldgate"
    t = frames(at)[0].set_index("Indicator")
    # the City's wards are carried by apportionment: IMD 2025 by area overlap (17.9 in both views)
    assert (t.loc["IMD score", "Ward"], t.loc["IMD score", "Method"]) == ("17.9", "apportioned")
    assert "Children in low income BHC (count)" in t.index and "nan" not in t.to_csv()
