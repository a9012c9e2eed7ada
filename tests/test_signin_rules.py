"""Who is an officer (wardgaps/officers.py) and the sign-in gate on every page (Streamlit's AppTest,
on the fixture extract): with an ``[auth]`` section, someone not signed in gets the sign-in page
only, a signed-in user who is not an officer one sentence and sign-out, an officer the page; the
public view never asks; with no ``[auth]`` the officer view is open, and the log says so. The real
provider and browser are in tests/test_signin.py."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests import fixtures
from tests.conftest import ROOT
from wardgaps import officers, ui
from wardgaps.ui import signin

pytest_plugins = ["tests.fixture_plugin"]

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-secret-of-sufficient-length-0123456789",
    "client_id": "wardgaps-test",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
WARDGAPS = {"officers": ["carl@council.example", "subject-42"], "officer_claim": "roles", "officer_values": ["officer"]}
PAGES = ["dashboard.py", *(f"pages/{p}.py" for p in ("map", "gaps", "profile", "places", "briefing", "methods"))]


# --- the rule ------------------------------------------------------------------------------------
def test_allow_list_and_claim_rules():
    r = officers.rules(WARDGAPS, env={officers.ENV: " dora@council.example , subject-7"})
    assert officers.is_officer({"email": "Carl@COUNCIL.example", "sub": "x"}, r)  # e-mail, any case
    assert officers.is_officer({"email": "dora@council.example"}, r)  # from the environment
    assert officers.is_officer({"sub": "subject-42"}, r) and officers.is_officer({"sub": "subject-7"}, r)
    assert not officers.is_officer({"sub": "SUBJECT-42"}, r)  # subjects exactly
    assert officers.is_officer({"email": "x@y.example", "roles": ["reader", "officer"]}, r)  # a list claim
    assert officers.is_officer({"email": "x@y.example", "roles": "officer"}, r)  # a text claim
    assert not officers.is_officer({"email": "x@y.example", "roles": ["reader"]}, r)
    assert not officers.is_officer({"email": "x@y.example", "groups": ["officer"]}, r)  # another claim
    # an address the provider has not verified never matches
    assert not officers.is_officer({"email": "carl@council.example", "email_verified": False}, r)
    assert officers.is_officer({"email": "carl@council.example", "email_verified": True}, r)


def test_no_rule_lets_nobody_in():
    r = officers.rules(None, env={})
    assert r.empty and not officers.is_officer({"email": "carl@council.example", "sub": "s", "roles": []}, r)
    # a claim with no values is no rule
    assert officers.rules({"officer_claim": "roles"}, env={}).empty


# --- the gate on pages ---------------------------------------------------------------------------
@pytest.fixture()
def served(fixture_extract, monkeypatch):
    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    monkeypatch.delenv("WARDGAPS_LOCAL", raising=False)
    monkeypatch.delenv(officers.ENV, raising=False)
    signin.rules.cache_clear()
    yield
    signin.rules.cache_clear()


def run(script: str, user: dict | None, auth: bool = True, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if auth:
        at.secrets["auth"] = AUTH
        at.secrets["wardgaps"] = WARDGAPS
    if user is not None:
        at.user = user
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if script != "dashboard.py":
        at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    return "\n".join(parts + [e.value for e in at.error] + [i.value for i in at.info])


@pytest.mark.parametrize("script", PAGES)
def test_not_signed_in_sees_the_sign_in_page_only(served, script):
    at = run(script, {"is_logged_in": False}, authority=fixtures.AUTHORITY, indicator=fixtures.COUNT)
    assert [t.value for t in at.title] == [signin.SIGN_IN_TITLE]
    assert [b.label for b in at.button] == ["Sign in"]
    assert signin.SIGN_IN_SENTENCE in shown(at)
    assert not at.sidebar.markdown and not at.dataframe and not at.selectbox and not at.get("plotly_chart")
    assert "Birch" not in shown(at) and fixtures.AUTHORITY_NAME not in shown(at)


@pytest.mark.parametrize("script", ["dashboard.py", "pages/map.py"])
def test_a_user_not_allowed_is_refused_with_one_sentence(served, script):
    user = {"is_logged_in": True, "email": "sam@elsewhere.example", "sub": "sam", "roles": ["reader"]}
    at = run(script, user, authority=fixtures.AUTHORITY)
    assert [e.value for e in at.error] == [signin.REFUSED_SENTENCE]
    assert signin.REFUSED_SENTENCE.count(".") == 1 and signin.REFUSED_SENTENCE.endswith(".")
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.dataframe and not at.sidebar.markdown and "Birch" not in shown(at)


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "carl@council.example", "sub": "c"},  # by the allow-list
        {"is_logged_in": True, "email": "ann@council.example", "sub": "a", "roles": ["officer"]},  # by the claim
    ],
)
def test_an_officer_sees_the_full_figures(served, user):
    at = run("pages/map.py", user, authority=fixtures.AUTHORITY, indicator=fixtures.COUNT)
    assert not at.error
    assert any(m.value == f"**{ui.SIDEBAR_MARK}**" for m in at.sidebar.markdown)
    t = at.dataframe[0].value.set_index("Ward")
    assert t.loc["Birch", "Value (count)"] == 87  # unrounded: the public view shows 85
    assert f"Signed in as {user['email']}" in "\n".join(c.value for c in at.sidebar.caption).replace("\\", "")
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_public_view_never_asks_anyone_to_sign_in(served, fixture_public, monkeypatch):
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(fixture_public))
    at = run("pages/map.py", {"is_logged_in": False}, authority=fixtures.AUTHORITY, indicator=fixtures.COUNT)
    assert signin.SIGN_IN_TITLE not in [t.value for t in at.title] and "Sign in" not in [b.label for b in at.button]
    assert at.dataframe[0].value.set_index("Ward").loc["Birch", "Value (count)"] == 85  # rounded to 5


def test_without_auth_the_officer_view_is_open_and_the_log_says_so(served, caplog):
    signin._warn_open.cache_clear()
    with caplog.at_level(logging.WARNING, logger="wardgaps"):
        at = run("pages/map.py", None, auth=False, authority=fixtures.AUTHORITY, indicator=fixtures.COUNT)
    assert at.dataframe[0].value.set_index("Ward").loc["Birch", "Value (count)"] == 87
    assert "Sign in" not in [b.label for b in at.button]
    assert any("the officer view is open to anyone" in r.getMessage() for r in caplog.records)
