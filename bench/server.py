"""Server-side rerun of every page, over the app's own WebSocket (no browser), against the blank
app measured in the same run: goal 1 of issue 11 (each page's warm rerun <= 2x the blank app's).

One session per page: open the page, rerun it ``--warm`` times to warm caches, then time ``-n``
reruns with the same parameters again (what a widget change that leaves the data alone costs),
``--pause`` apart as a user clicks, and ``-n`` back to back.
Both servers run as a production worker does (file watcher, run-on-save and the full garbage
collection after every run off); ``--compare`` also measures the blank app and the map page with
those left on, to show what switching them off buys.
Prints a table and writes its section of bench/RESULTS.md. Never fails on timing.

    python bench/server.py [-n 15] [--warm 3] [--pause 0.3] [--compare] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from harness import BLANK, PAGES, ROOT, free_port, healthy, machine, quantile, serve, write_results
from wsclient import Session


async def page_reruns(url: str, page: str, n: int, warm: int, pause: float = 0.0, query: str = "") -> list[float]:
    """``n`` timed reruns of ``page`` with unchanged parameters, after ``warm`` untimed ones,
    ``pause`` seconds apart (a rerun asked for within ~40 ms of the last one finishing waits for
    Streamlit to finish closing that run, so back-to-back reruns carry a fixed cost users don't see)."""
    async with Session(url) as s:
        await s.rerun(page, query=query or None)
        for _ in range(warm):
            await s.rerun()
        times = []
        for _ in range(n):
            await asyncio.sleep(pause)
            times.append((await s.rerun()).seconds)
        return times


def both(url: str, page: str, args: argparse.Namespace) -> tuple[list[float], list[float]]:
    """(after a pause, back to back) for one page."""
    return (
        asyncio.run(page_reruns(url, page, args.n, args.warm, args.pause, args.query)),
        asyncio.run(page_reruns(url, page, args.n, 0, 0.0, args.query)),
    )


@contextmanager
def serve_with(script: Path | None, flags: list[str]):
    """A server with Streamlit's defaults plus ``flags``: for the comparison only, not how anything is served."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "dashboard.py")]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true", *flags]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while not healthy(url, 1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


# What the served settings switch off, one step at a time (--compare).
VARIANTS = {
    "Streamlit's defaults (file watcher on, full GC after every run)": [],
    "file watcher off, full GC after every run": ["--server.fileWatcherType", "none"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=15, help="timed reruns per page (median and worst reported)")
    ap.add_argument("--warm", type=int, default=3, help="untimed reruns first")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between timed reruns (a user's click)")
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated URL paths ('' = overview)")
    ap.add_argument("--compare", action="store_true", help="also measure blank and map with the watcher and GC on")
    ap.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    ap.add_argument("--query", default="", help="query string for every page, e.g. authority=E08000025 (Birmingham)")
    ap.add_argument("--section", default="server", help="RESULTS.md section to write")
    args = ap.parse_args()
    pages = args.pages.split(",")
    where = machine()

    with serve(BLANK) as blank:
        base = both(blank.url, "", argparse.Namespace(**{**vars(args), "query": ""}))
    with serve() as app:
        results = {p: both(app.url, p, args) for p in pages}
    # the blank app again at the end: the machine's load may have changed during the run
    with serve(BLANK) as blank:
        again = both(blank.url, "", argparse.Namespace(**{**vars(args), "query": ""}))
    paused, tight = base[0] + again[0], base[1] + again[1]
    b, bt = statistics.median(paused), statistics.median(tight)

    rows = [
        "| page | after a pause: median (ms) | worst (ms) | × blank | back to back: median (ms) | × blank |",
        "|---|---:|---:|---:|---:|---:|",
        f"| blank app | {b * 1000:.0f} | {max(paused) * 1000:.0f} | 1.0 | {bt * 1000:.0f} | 1.0 |",
    ]
    for p, (t, tt) in results.items():
        m, mt = statistics.median(t), statistics.median(tt)
        name, worst = p or "overview", max(t)
        rows.append(f"| {name} | {m * 1000:.0f} | {worst * 1000:.0f} | {m / b:.1f} | {mt * 1000:.0f} | {mt / bt:.1f} |")
    extra = ""
    if args.compare:
        lines = [
            "",
            "| served settings (after a pause) | blank (ms) | map (ms) | map × blank |",
            "|---|---:|---:|---:|",
        ]
        for name, flags in VARIANTS.items():
            with serve_with(BLANK, flags) as url:
                vb = statistics.median(asyncio.run(page_reruns(url, "", args.n, args.warm, args.pause)))
            with serve_with(None, flags) as url:
                vm = statistics.median(asyncio.run(page_reruns(url, "map", args.n, args.warm, args.pause)))
            lines.append(f"| {name} | {vb * 1000:.0f} | {vm * 1000:.0f} | {vm / vb:.1f} |")
        if "map" in results:
            mm = statistics.median(results["map"][0])
            lines.append(f"| as served (both off) | {b * 1000:.0f} | {mm * 1000:.0f} | {mm / b:.1f} |")
        extra = "\n".join(lines) + "\n"
    body = (
        f"## Server rerun per page (`bench/server.py{' --query ' + args.query if args.query else ''}`)\n\n"
        f"Measured {where}. One WebSocket session per page (`bench/wsclient.py`), {args.n} reruns with "
        f"the same parameters after {args.warm} warm-up reruns, {args.pause:.2f} s apart (as a user clicks), "
        f"then {args.n} back to back; the blank app (`bench/apps/blank.py`) measured before and after the "
        "pages in the same run; both served as a production worker (file watcher, run-on-save and "
        "post-run GC off). Goal: each page ≤ 2× the blank app.\n\n" + "\n".join(rows) + "\n" + extra
    )
    print(body)
    if not args.no_write:
        write_results(args.section, body)
    p95 = {p: quantile(t[0], 0.95) for p, t in results.items()}
    print("p95 (ms):", {p or "overview": round(v * 1000) for p, v in p95.items()})


if __name__ == "__main__":
    main()
