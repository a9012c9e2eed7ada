"""Browser timing: how long each page takes to settle in headless Chromium, against the blank app
and a naive one-file map app, all measured in the same run (goal 2 of issue 11).

Settled means: Streamlit has sent ``script_finished`` for the run (read off the page's own
WebSocket), the page's heading is shown, Streamlit's running indicator is gone, and every Plotly
chart on the page has drawn its SVG. Timed from the navigation to that moment.

For each app, in a server started fresh (plain ``streamlit run``, as a deployment runs a worker):
the first page after start, then every page warm (one untimed load, then ``-n`` timed loads in the
same browser context, so static files come from the cache as for a returning user). Then, for each
app, the first page through the edge (one fresh worker behind nginx running ``deploy/nginx.conf``;
nothing runs the pages before the first visitor). Requests to anything but 127.0.0.1 are refused and counted: nothing is
downloaded. Prints ratios; writes its section of
bench/RESULTS.md. Never fails on timing.

    python bench/browser.py [-n 7] [--pages map,gaps] [--query authority=E08000025] [--section NAME] [--no-write]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field

from harness import BLANK, NAIVE_MAP, PAGES, VIEWS, machine, serve, write_results
from playwright.sync_api import Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTLED = """(charts) => {
    const h = document.querySelector('h1');
    if (!h || !h.textContent.trim()) return false;
    const s = document.querySelector('[data-testid=stStatusWidget]');
    if (s && s.innerText.includes('Running')) return false;
    // drawn: its traces are in the SVG, or its map canvas or WebGL canvas exists (an empty .main-svg
    // is not enough: a geo chart whose topojson cannot load keeps one forever)
    // Streamlit loads its Plotly component lazily: until then a chart is a placeholder, so
    // count them against the number of charts the run sent
    const shown = document.querySelectorAll('[data-testid=stPlotlyChart]');
    if (shown.length < charts) return false;
    for (const c of shown) {
        const drawn = '.main-svg g.trace, path.choroplethlocation, canvas.maplibregl-canvas, .gl-container canvas';
        if (!c.querySelector(drawn)) return false;
    }
    return true;
}"""


@dataclass
class Tab:
    """A browser tab that notes when Streamlit reports each script run finished."""

    page: Page
    finished: list[float] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    charts: list[int] = field(default_factory=list)  # Plotly charts sent by each finished run
    _sent: int = 0
    _plotly_hashes: dict[str, bool] = field(default_factory=dict)

    def watch(self) -> None:
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # a run starts
            self._sent = 0
        elif kind == "delta" or kind == "ref_hash":
            plotly = (
                self._plotly_hashes.get(msg.ref_hash, False)
                if kind == "ref_hash"
                else msg.delta.new_element.WhichOneof("type") == "plotly_chart"
            )
            if msg.hash:
                self._plotly_hashes[msg.hash] = plotly
            self._sent += plotly
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.charts.append(self._sent)
            self.finished.append(time.perf_counter())

    def settle(self, url: str, timeout: float = 120.0) -> float:
        """Open ``url`` and return the seconds until the page has settled."""
        seen = len(self.finished)
        t = time.perf_counter()
        self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
        deadline = t + timeout
        while len(self.finished) == seen:  # events are delivered while Playwright waits
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no script_finished for {url}")
            self.page.wait_for_timeout(5)
        wait = max(1.0, deadline - time.perf_counter()) * 1000
        self.page.wait_for_function(SETTLED, arg=self.charts[-1], timeout=wait)
        return time.perf_counter() - t


def open_tab(browser) -> Tab:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(ctx.new_page())

    def route(r) -> None:
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
            r.continue_()
        else:
            tab.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    tab.watch()
    return tab


@dataclass
class AppTimes:
    first: float
    warm: dict[str, list[float]]
    blocked: list[str]


def time_app(browser, script, pages: list[str], n: int, query: str = "", env: dict | None = None) -> AppTimes:
    """First page after a fresh start, then each page warm, for one app (``query``: the view's
    URL parameters, the same for every page; ``env``: the deployment's, the public view's)."""
    q = f"?{query}" if query else ""
    with serve(script, env=env) as srv:
        tab = open_tab(browser)
        first = tab.settle(f"{srv.url}/{pages[0]}{q}")
        warm: dict[str, list[float]] = {}
        for p in pages:
            tab.settle(f"{srv.url}/{p}{q}")  # warm-up, untimed
            warm[p] = [tab.settle(f"{srv.url}/{p}{q}") for _ in range(n)]
        tab.page.context.close()
        return AppTimes(first, warm, tab.blocked)


def first_after_launch(browser, script, path: str, env: dict | None = None) -> float:
    """The first page of a fresh worker behind nginx (the static config), as the first visitor
    after a deployment starts meets it."""
    with serve(script, workers=1, env=env) as srv:
        tab = open_tab(browser)
        try:
            return tab.settle(f"{srv.url}/{path}")
        finally:
            tab.page.context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=7, help="timed loads per page (median and worst reported)")
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated URL paths; '' is the overview")
    ap.add_argument("--query", default="", help="the view for every page, e.g. authority=E08000025 (Birmingham)")
    ap.add_argument(
        "--view", default="full", choices=sorted(VIEWS), help="the dashboard's view (public: WARDGAPS_PUBLIC=1)"
    )
    ap.add_argument("--section", default="browser", help="RESULTS.md section to write")
    ap.add_argument("--skip-launch", action="store_true", help="leave out the first page through nginx")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pages = args.pages.split(",")
    where = machine()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            blank = time_app(browser, BLANK, [""], args.n)
            naive = time_app(browser, NAIVE_MAP, [""], args.n)
            app = time_app(browser, None, pages, args.n, args.query, VIEWS[args.view])
            blank2 = time_app(browser, BLANK, [""], args.n)  # again: the machine's load drifts
            launched = {
                name: first_after_launch(browser, script, path, env)
                for name, script, path, env in [
                    ("blank", BLANK, "", None),
                    ("naive", NAIVE_MAP, "", None),
                    ("app", None, pages[0], VIEWS[args.view]),
                ]
                if not args.skip_launch
            }
        finally:
            browser.close()

    b_runs = blank.warm[""] + blank2.warm[""]
    b = statistics.median(b_runs)
    nv = statistics.median(naive.warm[""])
    b_first = statistics.median([blank.first, blank2.first])
    rows = [
        "| page | warm median (s) | worst (s) | median × blank | worst × blank median | goal |",
        "|---|---:|---:|---:|---:|:---:|",
        f"| blank app | {b:.2f} | {max(b_runs):.2f} | 1.0 | {max(b_runs) / b:.1f} | |",
        f"| naive map app | {nv:.2f} | {max(naive.warm['']):.2f} | {nv / b:.1f} | {max(naive.warm['']) / b:.1f} | |",
    ]
    for p, runs in app.warm.items():
        m, w = statistics.median(runs), max(runs)
        met = m <= 2 * b and w <= 3 * b and (p != "map" or m <= nv)
        rows.append(
            f"| {p or 'overview'} | {m:.2f} | {w:.2f} | {m / b:.1f} | {w / b:.1f} | {'met' if met else 'not met'} |"
        )
    lines = [
        "## Browser: pages settled in headless Chromium (`bench/browser.py"
        + (f" --query {args.query}" if args.query else "")
        + (f" --view {args.view}" if args.view != "full" else "")
        + "`)",
        "",
        f"Measured {where}. Settled = `script_finished` received, heading shown, running indicator gone, "
        f"every Plotly chart drawn. Warm: {args.n} loads per page after one untimed load, same browser "
        "context. Goal per page: median ≤ 2× the blank page's median, worst ≤ 3× it; the map page ≤ 1.0× "
        "the naive map app (`bench/apps/naive_map.py`: reads the raw GeoPackage and CSV on every rerun, "
        "`px.choropleth_map` on a blank background, drawn offline). The blank app ran before and after the others.",
        "",
        *rows,
        "",
    ]
    if "map" in app.warm:
        lines.append(f"Map page ÷ naive map app (medians): {statistics.median(app.warm['map']) / nv:.2f} (goal ≤ 1.0).")
    lines.append(
        f"First page after a server starts, one process: Ward Gaps {app.first:.1f} s (/{pages[0]}), blank app "
        f"{b_first:.1f} s, naive map app {naive.first:.1f} s; Ward Gaps ÷ blank {app.first / b_first:.1f}."
    )
    if launched:
        lines[-1] += (
            " Through the edge (one fresh worker behind nginx with `deploy/nginx.conf`, no warm-up): "
            f"Ward Gaps {launched['app']:.1f} s, blank app {launched['blank']:.1f} s, naive map app "
            f"{launched['naive']:.1f} s; Ward Gaps ÷ blank {launched['app'] / launched['blank']:.1f} (goal ≤ 2)."
        )
    blocked = blank.blocked + naive.blocked + app.blocked + blank2.blocked
    shown = f" ({blocked[:3]})" if blocked else "."
    lines.append(f"Requests refused because they left 127.0.0.1: {len(blocked)}{shown}")
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_results(args.section, body)


if __name__ == "__main__":
    main()
