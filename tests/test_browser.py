"""Real-browser tests: the served app in headless Chromium (Playwright), as people use it."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser import AXE, axe_violations, choose, chromium, require_chromium, serve, settle
from tests.conftest import COMMITTED, ROOT
from wardgaps import ui

pytestmark = [pytest.mark.browser, pytest.mark.national, pytest.mark.xdist_group("browser")]
require_chromium()
from playwright.sync_api import expect  # noqa: E402

SHOTS = Path(os.environ.get("WARDGAPS_SCREENSHOTS", tempfile.gettempdir())) / "wardgaps-screenshots"
BASELINE = json.loads((ROOT / "tests" / "a11y_baseline.json").read_text())
PAGES = {
    "": "Finsbury Park is significantly worse than the authority",
    "map": "Finsbury Park has the highest figure (46.0%)",
    "gaps": "Finsbury Park (46.0%) and Highbury (20.1%)",
    "trends": "Finsbury Park (May-2024 wards) went from 49.0% in FYE 2024 (2023/24) to 46.0% in FYE 2025 (2024/25)",
    "profile": "Ward profile: Arsenal",
    "similar": "Arsenal's most similar ward is",
    "places": "No places of the council's own are loaded for Islington",
    "context": "Islington's range from Highbury (20.1%) to Finsbury Park (46.0%)",
    "briefing": "Briefing packs",
    "methods": "Data and methods",
    "accessibility": "Accessibility statement for Ward Gaps",
}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    ctx.close()


def new_serious_violations(page) -> list[dict]:
    """Critical or serious axe-core violations that are not known Streamlit limitations."""
    found = [v for v in axe_violations(page) if v["impact"] in ("critical", "serious")]
    return [v for v in found if v["id"] not in BASELINE["known_streamlit_limitations"]]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "overview")
def test_every_page_loads_with_real_values(page, app_url, path):
    page.goto(f"{app_url}/{path}")
    settle(page)
    expect(page.locator("[data-testid=stMain]")).to_contain_text(PAGES[path], timeout=60_000)
    if path in ("map", "gaps", "trends", "context", "profile", "similar"):
        expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=60_000)
    shot(page, path or "overview")


NAV_LABELS = [label for _, label, _ in ui.NAV]
TITLES = dict(zip(["", *[s.split("/")[-1][:-3] for s, _, _ in ui.NAV[1:]]], NAV_LABELS, strict=True))


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "overview")
def test_every_page_as_the_first_url_of_a_fresh_server(browser, path):
    """Plain `streamlit run dashboard.py`, then this page as the very first URL the server sees:
    the shared set-up runs (title, readable navigation, wide layout) and the view comes from the URL."""
    with serve() as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.goto(f"{url}/{path}?authority=E09000012&indicator=overcrowded_households")
        settle(pg)
        expect(pg).to_have_title(f"{TITLES[path]} · Ward Gaps", timeout=60_000)
        links = pg.locator("[data-testid=stSidebar] [data-testid=stPageLink]")
        expect(links).to_have_count(len(NAV_LABELS), timeout=30_000)
        expect(links).to_contain_text(NAV_LABELS)  # in order; each also carries its icon
        assert pg.locator("[data-testid=stSidebarNav]").count() == 0  # no list of file names
        assert pg.get_by_role("combobox", name="Local authority").input_value() == "Hackney"
        width = pg.locator("[data-testid=stMainBlockContainer]").bounding_box()["width"]
        assert width > 1000, f"centred layout ({width:.0f} px wide): the shared set-up did not run"
        ctx.close()


def test_map_table_shows_finsbury_park(page, app_url):
    page.goto(f"{app_url}/map")
    settle(page)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for()
    grid.scroll_into_view_if_needed()  # the grid draws (and exposes) only the cells in view
    # the grid draws on a canvas; its cells are in an accessible table behind it
    expect(grid.locator("[role=gridcell]", has_text="Finsbury Park").first).to_be_attached(timeout=30_000)
    cells = [c.strip() for c in grid.locator("[role=gridcell]").all_text_contents()]
    # the first row (highest first): code, name, value
    assert cells[:3] == ["E05013703", "Finsbury Park", "46"]


def test_widgets_change_authority_and_indicator_and_permalink_restores(browser, page, app_url):
    page.goto(f"{app_url}/gaps")
    settle(page)
    choose(page, "Local authority", "Hackney")
    expect(page).to_have_url(re.compile(r"authority=E09000012"), timeout=30_000)
    indicator = page.get_by_role("combobox", name="Indicator")
    before = indicator.input_value()
    choose(page, "Theme", "Housing")
    expect(indicator).not_to_have_value(before, timeout=30_000)  # the theme's rerun has landed
    settle(page)
    choose(page, "Indicator", "Overcrowded households (%)")
    expect(page).to_have_url(re.compile(r"indicator=overcrowded_households"), timeout=30_000)
    expect(page.locator("h1")).to_have_text("Ward gaps: Overcrowded households", timeout=30_000)
    link = page.url
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(link)
    settle(other)
    expect(other.locator("h1")).to_have_text("Ward gaps: Overcrowded households", timeout=30_000)
    assert other.get_by_role("combobox", name="Local authority").input_value() == "Hackney"
    assert other.get_by_role("combobox", name="Indicator").input_value() == "Overcrowded households (%)"
    shot(other, "permalink-hackney-overcrowding")
    other.context.close()


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "overview")
def test_accessibility_no_new_serious_violations(page, app_url, path):
    if not AXE.exists():
        pytest.fail("axe-core missing: 'make test' installs it with npm")
    page.goto(f"{app_url}/{path}")
    settle(page)
    expect(page.locator("[data-testid=stMain]")).to_contain_text(PAGES[path], timeout=60_000)
    new = new_serious_violations(page)
    assert not new, json.dumps(new, indent=1)


def test_compare_page_with_real_wards_is_accessible(page, app_url):
    """Two real wards of two authorities side by side: their cells in words, the shareable link,
    and no new serious accessibility violation."""
    page.goto(f"{app_url}/compare?wards=E05013703,E05015279&theme=child_poverty")
    settle(page)
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("Compare wards side by side", timeout=60_000)
    expect(main).to_contain_text("/compare?wards=E05013703,E05015279&theme=child_poverty", timeout=60_000)
    expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=60_000)
    new = new_serious_violations(page)
    assert not new, json.dumps(new, indent=1)


def test_accessibility_key_state_pockets_map(page, app_url):
    page.goto(f"{app_url}/map")
    settle(page)
    page.get_by_text("Show pockets of deprivation (LSOAs)").click()
    settle(page)
    new = new_serious_violations(page)
    assert not new, json.dumps(new, indent=1)


def test_keyboard_only_journey(page, app_url):
    """Choose an indicator and a ward and reach the table with the keyboard alone."""
    page.goto(f"{app_url}/map")
    settle(page)
    page.locator("body").press("Tab")

    def tab_to(predicate: str, limit: int = 80) -> None:
        for _ in range(limit):
            if page.evaluate(predicate):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"never reached: {predicate}")

    def choose_by_keyboard(label: str, text: str) -> None:
        tab_to(f"() => document.activeElement.getAttribute('aria-label') === '{label}'")
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        settle(page)

    choose_by_keyboard("Indicator", "IDACI")
    expect(page).to_have_url(re.compile(r"indicator=idaci_score"), timeout=30_000)
    choose_by_keyboard("Ward", "Highbury")
    # the map opens on the highest ward, so Highbury (the lowest) can only come from the keyboard
    expect(page).to_have_url(re.compile(r"ward=E05013704"), timeout=30_000)
    tab_to("() => !!document.activeElement.closest('[data-testid=stDataFrame]')", limit=200)
    shot(page, "keyboard-journey")


@pytest.fixture(scope="module")
def hostile_extract(tmp_path_factory):
    """The fixture extract (built in code: hostile ward and authority names, tests/fixture_areas.py)
    with a hostile indicator label put in too; no national build."""
    import duckdb

    from tests.fixtures import COUNT, build_fixture

    out = build_fixture(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")
    con = duckdb.connect(str(out))
    con.execute(
        "update indicators set short_title = '<img src=x onerror=alert(1)>' where indicator_id = $i", {"i": COUNT}
    )
    con.close()
    return out


HOSTILE_MAP = "map?authority=E08999901&indicator=uc_households"


def test_hostile_names_render_as_text(browser, hostile_extract):
    with serve(hostile_extract) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("", "map", "gaps", "context"):
            pg.goto(f"{url}/{path}?authority=E08999901&indicator=uc_households")
            settle(pg)
        pg.goto(f"{url}/profile?authority=E08999901&ward=E05999911")
        settle(pg)
        expect(pg.locator("h1")).to_have_text("Ward profile: <script>alert(1)</script>", timeout=30_000)
        pg.goto(f"{url}/{HOSTILE_MAP}")
        settle(pg)
        expect(pg.locator("h1")).to_have_text("Ward map: <img src=x onerror=alert(1)>", timeout=30_000)
        assert pg.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
        assert dialogs == []
        ctx.close()


def test_swapping_the_extract_while_serving(browser, hostile_extract, tmp_path):
    """A rebuilt extract dropped in place is picked up without a restart; sessions keep working."""
    live = tmp_path / "live.duckdb"
    shutil.copyfile(COMMITTED, live)
    with serve(live) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.goto(f"{url}/map")
        settle(pg)
        main = pg.locator("[data-testid=stMain]")
        expect(main).to_contain_text("Finsbury Park has the highest figure", timeout=60_000)
        staged = tmp_path / ".live.duckdb.new"
        shutil.copyfile(hostile_extract, staged)
        os.replace(staged, live)  # atomic, as the build does
        pg.goto(f"{url}/{HOSTILE_MAP}")
        settle(pg)
        expect(pg.locator("[data-testid=stMain]")).to_contain_text(
            "Ancoats & Beswick's has the highest figure (140)", timeout=30_000
        )
        other = ctx.new_page()
        other.goto(f"{url}/profile?authority=E08999901&ward=E05999911")
        settle(other)
        expect(other.locator("h1")).to_have_text("Ward profile: <script>alert(1)</script>", timeout=30_000)
        ctx.close()


def test_clicking_the_map_chooses_a_ward(page, app_url):
    page.goto(f"{app_url}/map")
    settle(page)
    page.wait_for_selector("[data-testid=stPlotlyChart] path.point")
    marker = page.locator("[data-testid=stPlotlyChart] path.point").nth(3)  # Caledonian, 4th ward by code
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('ward=E05013700')", timeout=30_000)
    settle(page)
    expect(page.get_by_role("combobox", name="Ward")).to_have_value("Caledonian", timeout=30_000)
    expect(page.locator("[data-testid=stMain]")).to_contain_text("Caledonian's figure (39.5%", timeout=30_000)


def test_show_the_query_opens_from_the_keyboard_and_stays_accessible(page, app_url):
    """The table's "Show the query" box: reached and opened with the keyboard, its SQL and
    snippets drawn, and axe-core finds nothing new with it open; the URL carries the data version."""
    page.goto(f"{app_url}/map?period=FYE%202025")
    settle(page)
    expect(page).to_have_url(re.compile(r"[?&]v=[0-9a-f]{10}"), timeout=30_000)
    box = page.locator("[data-testid=stExpander] summary", has_text="Show the query").last
    box.focus()
    page.keyboard.press("Enter")
    settle(page)
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("queries/ward_table.sql", timeout=30_000)
    expect(main).to_contain_text("$authority_code = 'E09000019'")
    expect(main).to_contain_text("EXECUTE q(authority_code := 'E09000019'")
    shot(page, "show-the-query")
    new = new_serious_violations(page)
    assert not new, json.dumps(new, indent=1)


@pytest.mark.parametrize("path", ["map", "methods"])
def test_every_query_box_open_stays_accessible(page, app_url, path):
    """Every "Show the query" box of a page open at once (SQL, Python and shell snippets): axe-core
    finds no serious violation (syntax colours failed contrast, and a block that scrolled sideways
    would be a region the keyboard cannot reach)."""
    page.goto(f"{app_url}/{path}")
    settle(page)
    boxes = page.locator("[data-testid=stExpander] summary", has_text="Show the query")
    expect(boxes.first).to_be_visible(timeout=30_000)
    for i in range(boxes.count()):
        boxes.nth(i).click()
        settle(page)
    expect(page.locator("[data-testid=stMain]")).to_contain_text("import duckdb", timeout=30_000)
    new = new_serious_violations(page)
    assert not new, json.dumps(new, indent=1)
