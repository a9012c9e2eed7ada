"""One vocabulary (issue 20): "authority" everywhere; "borough" survives only as the alias that
keeps old permalinks (and the briefing command's old option) working."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.fixtures import AUTHORITY_B, AUTHORITY_B_NAME

pytest_plugins = ["tests.fixture_plugin"]

# Where the word may stay: London's own boroughs, place names, the raw files' own column and
# sheet names, and the two aliases.
ALLOWED = re.compile(
    r"London('s)? boroughs?|Loughborough|loughborough|Scarborough|london_boroughs|Royal Borough"
    r'|"Borough (summary measures|domain summaries|IDACI IDAOPI)"|\["Borough"\]'
    r'|ALIASES = \{"authority": "borough"\}|"--borough"|before "borough" became "authority"|\?borough=',
)


def test_borough_survives_only_as_the_alias():
    found = []
    files = [*(ROOT / "wardgaps").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
    files += [*(ROOT / "queries").rglob("*.sql"), ROOT / "data" / "indicators.yaml", ROOT / "data" / "sources.yaml"]
    for path in files:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search("borough", ALLOWED.sub("", line), re.IGNORECASE):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_old_permalink_opens_the_authority_and_says_it_the_current_way(fixture_db):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["borough"] = AUTHORITY_B
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["authority"] == AUTHORITY_B
    assert at.title[0].value.startswith(AUTHORITY_B_NAME)
    assert at.query_params.get("authority") == AUTHORITY_B and "borough" not in at.query_params


def test_the_current_permalink_wins_over_the_old_name(fixture_db):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["authority"] = AUTHORITY_B
    at.query_params["borough"] = "E09999901"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["authority"] == AUTHORITY_B
