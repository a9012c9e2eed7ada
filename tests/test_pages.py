"""Every page runs under Streamlit's AppTest without an exception."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def run_page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_dashboard_router_runs():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception


def test_indicators_page_lists_indicators():
    at = run_page("indicators")
    assert not at.exception
    df = at.dataframe[0].value
    assert "child_poverty_ahc_dwp" in set(df["Id"])
