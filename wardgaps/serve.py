"""Start the dashboard: ``python -m wardgaps.serve [streamlit options]`` (what ``make run`` does).

Streamlit picks its legacy "pages/ folder" mode for a whole server process from the first URL
ever opened when a ``pages/`` folder sits beside the entry point. Ward Gaps' pages are
``st.navigation`` pages, so the mode is switched off before the server starts; otherwise a
first visit straight to ``/map`` would run that page without the router.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
