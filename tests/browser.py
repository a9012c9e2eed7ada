"""Helpers for the real-browser tests: a served app on a free local port, headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("WARDGAPS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require_chromium() -> None:
    """Fail the suite, not skip it, when Playwright or Chromium is missing ('make test' installs
    both): a browser test that silently skips tests nothing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Playwright missing: 'make test' installs it from requirements-test.txt", pytrace=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: 'make test' installs Debian's chromium", pytrace=False)


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium (the Debian browser, not a downloaded one) with the suite's flags."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(args: list[str], ready: str, what: str, timeout: float = 90, **popen) -> Iterator[subprocess.Popen]:
    """Start a server on loopback (``args``), wait until ``ready`` answers 200, and stop it after."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(ready, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{what} did not start")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def serve(db: Path | None = None, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the dashboard as every Streamlit user would (``streamlit run dashboard.py``) on
    127.0.0.1:<free port>; yield its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(extra_env or {})
    if db is not None:
        env["WARDGAPS_DB"] = str(db)
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)]
    with running(args + ["--server.address", "127.0.0.1"], url + "/_stcore/health", "the dashboard", cwd=ROOT, env=env):
        yield url


def settle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script and drawn the page (a heading, no
    running indicator, every Plotly chart drawn). Tests then wait for what they assert."""
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " || !document.querySelector('[data-testid=stStatusWidget]').innerText.includes('Running')",
        timeout=timeout,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))",
        timeout=timeout,
    )
    # Streamlit draws a placeholder (skeleton) until each element arrives; the sidebar's links come
    # last, and until then the scrolling sidebar holds nothing to focus (axe would flag it)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing, as a keyboard user would."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    page.wait_for_function(  # the choice is in the box before the page settles again
        "([label, option]) => [...document.querySelectorAll('input[role=combobox]')]"
        ".some(b => b.getAttribute('aria-label') === label && b.value === option)",
        arg=[label, option],
        timeout=30_000,
    )
    settle(page)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                             targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        WCAG_TAGS,
    )
