"""Sign-in for the officer view, end to end on loopback: a real OpenID Connect provider
(``oidc-provider-mock``) and the served app (``streamlit run dashboard.py`` with a secrets file made
here) on free ports, driven by headless Chromium. Anonymous readers get the sign-in page only (a
deep link too); an officer by claim and an officer by allow-list see the full figures and the local
layer; a signed-in user who is neither is refused with one sentence; sign-out returns to the
sign-in page. The fixture extract (tests/fixtures.py) is served, with one local indicator."""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import fixtures
from tests.browser import chromium, free_port, require_chromium, running, serve, settle
from tests.conftest import write_local
from wardgaps import local, ui
from wardgaps.ui import signin

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
pytest_plugins = ["tests.fixture_plugin"]
require_chromium()
from playwright.sync_api import expect  # noqa: E402

# The provider's users (its authorize form offers each as a button): an officer by the groups
# claim, an officer by the allow-list (an e-mail address), and a user who is neither.
BY_CLAIM = {"sub": "officer-ann", "email": "ann@council.example", "groups": ["staff", "wardgaps-officers"]}
BY_LIST = {"sub": "officer-carl", "email": "Carl@Council.example", "groups": ["staff"]}
STRANGER = {"sub": "stranger-sam", "email": "sam@elsewhere.example", "groups": ["staff"]}
# the officer view's figures: households on Universal Credit by ward (Damson's 8, which the public
# view hides) and the council's own, unpublished, indicator
DEEP_LINK = f"/map?authority={fixtures.AUTHORITY}&indicator={fixtures.COUNT}"
LOCAL_LINK = f"/map?authority={fixtures.AUTHORITY}&indicator=fsm_test&period=2024%2F25"


@contextmanager
def provider() -> Iterator[str]:
    """The mock OpenID Connect provider on 127.0.0.1:<free port>, its three users predefined."""
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"]
    for user in (BY_CLAIM, BY_LIST, STRANGER):
        args += ["--user-claims", json.dumps(user)]
    url = f"http://127.0.0.1:{port}"
    # ready when its discovery document answers, as the app will read it
    with running(args, url + "/.well-known/openid-configuration", "the OpenID provider", timeout=60):
        yield url


def secrets_file(path: Path, issuer: str) -> Path:
    """A secrets file as deploy/secrets.example.toml shows: [auth] for the provider, [wardgaps] for
    who is an officer (one by the allow-list, the others by the groups claim)."""
    path.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "wardgaps-test"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[wardgaps]
officers = ["carl@council.example"]
officer_claim = "groups"
officer_values = ["wardgaps-officers"]
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def layer(tmp_path, fixture_extract, monkeypatch) -> Path:
    """A local layer on the fixture extract holding one indicator, not published."""
    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    wards = [c for c, _n, a in fixtures.WARDS if a == fixtures.AUTHORITY]
    rows = [
        {"ward_code": c, "period": "2024/25", "value": round(100 * (101 + 7 * i) / 400, 2), "numerator": 101 + 7 * i}
        | {"denominator": 400}
        for i, c in enumerate(wards)
    ]
    local.add(*write_local(tmp_path, rows))
    return tmp_path / "local.duckdb"


def main(page):
    return page.locator("[data-testid=stMain]")


def expect_sign_in_page_only(page) -> None:
    """The sign-in page and nothing else: no sidebar, no figure, no local data."""
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    expect(main(page)).to_contain_text(signin.SIGN_IN_SENTENCE)
    body = page.locator("body").inner_text()
    for word in ("Damson", "Alder", "Free school meals", fixtures.AUTHORITY_NAME, "Ward map"):
        assert word not in body, word
    assert page.locator("[data-testid=stSidebar]").count() == 0  # no sidebar: no navigation, no choices


def sign_in(page, user: dict) -> None:
    """Sign in through the provider's own authorize form, as that user."""
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)
    page.get_by_role("button", name=user["sub"], exact=True).click()


def sign_out(page) -> None:
    """Sign out; the provider asks to end its session too (its end-session form), then back."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=60_000)
    page.get_by_role("button", name="End session").click()
    expect_sign_in_page_only(page)


def expect_officer_view(page, url: str, user: dict) -> None:
    # back from the provider to the app (its home page: the default authority, not in the fixture)
    page.wait_for_url(lambda u: u.startswith(url) and "oauth2callback" not in u, timeout=60_000)
    page.goto(url + DEEP_LINK)
    side = page.locator("[data-testid=stSidebar]")  # signed in: the shared sidebar, who, sign-out
    expect(side).to_contain_text(f"Signed in as {user['email']}", timeout=60_000)
    expect(side).to_contain_text(ui.SIDEBAR_MARK)
    settle(page)
    m = main(page)
    expect(m).to_contain_text("Ward map: ", timeout=60_000)
    # the full extract: Damson's 8 households (a count below 10, hidden in the public view)
    expect(m).to_contain_text("Fir has the highest figure (230) and Damson the lowest (8)")
    page.goto(url + LOCAL_LINK)
    settle(page)
    expect(m).to_contain_text("Free school meals (local data, not published)", timeout=60_000)
    expect(m).to_contain_text("Not published: kept out of the public view")


def test_sign_in_gate_against_a_real_provider(tmp_path, layer, fixture_extract):
    with provider() as issuer:
        env = {"WARDGAPS_LOCAL": str(layer), "STREAMLIT_SECRETS_FILES": str(secrets_file(tmp_path / "s.toml", issuer))}
        with serve(db=fixture_extract, extra_env=env) as url, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # anonymous: the sign-in page only, at the home page and by a deep link to figures
            page.goto(url)
            expect_sign_in_page_only(page)
            page.goto(url + LOCAL_LINK)
            expect_sign_in_page_only(page)
            page.goto(url + DEEP_LINK)
            expect_sign_in_page_only(page)
            # an officer by the provider's groups claim
            sign_in(page, BY_CLAIM)
            expect_officer_view(page, url, BY_CLAIM)
            sign_out(page)
            page.goto(url + DEEP_LINK)  # signed out: the deep link is closed again
            expect_sign_in_page_only(page)
            # an officer by the allow-list (the address compared without regard to case)
            sign_in(page, BY_LIST)
            expect_officer_view(page, url, BY_LIST)
            sign_out(page)
            # signed in, but neither: refused with one sentence, offered sign-out, nothing shown
            sign_in(page, STRANGER)
            expect(main(page)).to_contain_text(signin.REFUSED_SENTENCE, timeout=60_000)
            page.goto(url + DEEP_LINK)
            expect(main(page)).to_contain_text(signin.REFUSED_SENTENCE, timeout=60_000)
            body = page.locator("body").inner_text()
            assert "Damson" not in body and "Free school meals" not in body and "Sign in" not in body
            sign_out(page)
    assert os.environ.get("WARDGAPS_PUBLIC") is None
