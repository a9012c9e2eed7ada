"""N concurrent headless browser sessions against a local server, each changing ward and
indicator every few seconds. Prints failures, p50/p95 rerun latency, server RSS at start and end.

One Chromium, one browser context per session (async Playwright). Traffic goes only to
127.0.0.1; each session's loop is bounded in count and time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.browser import CHROMIUM, FLAGS, serve  # noqa: E402

INDICATORS = ["Child poverty AHC (DWP) (%)", "IDACI score (score)", "Children in low income BHC (count)"]
WARDS = ["Highbury", "Finsbury Park", "Arsenal", "Holloway", "Bunhill", "Tollington"]
IDLE = (
    "() => !document.querySelector('[data-testid=stStatusWidget]')"
    " || !document.querySelector('[data-testid=stStatusWidget]').innerText.includes('Running')"
)


def server_rss() -> int:
    pids = subprocess.run(["pgrep", "-f", "wardgaps.serve"], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


async def session(i: int, browser, url: str, deadline: float, every: float, lat: list, fails: list) -> None:
    rnd = random.Random(i)
    ctx = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await ctx.new_page()
    try:
        await page.goto(f"{url}/map", timeout=180_000)
        await page.wait_for_selector("h1", timeout=180_000)
        n = 0
        while time.monotonic() < deadline and n < 500:
            n += 1
            label, option = ("Indicator", rnd.choice(INDICATORS)) if n % 2 else ("Ward", rnd.choice(WARDS))
            t = time.perf_counter()
            try:
                box = page.get_by_role("combobox", name=label, exact=True)
                await box.click(timeout=60_000)
                await box.fill(option)
                await page.keyboard.press("Enter")
                await page.wait_for_timeout(200)
                await page.wait_for_function(IDLE, timeout=120_000)
                lat.append(time.perf_counter() - t)
            except Exception as e:  # noqa: BLE001 - counted, not raised: this is a load test
                fails.append(f"session {i}: {type(e).__name__}")
            await asyncio.sleep(every)
    except Exception as e:  # noqa: BLE001
        fails.append(f"session {i} could not open the page: {type(e).__name__}")
    finally:
        await ctx.close()


async def run(args: argparse.Namespace, url: str) -> tuple[list, list]:
    lat: list[float] = []
    fails: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        deadline = time.monotonic() + args.seconds
        tasks = []
        for i in range(args.sessions):
            tasks.append(asyncio.create_task(session(i, browser, url, deadline, args.every, lat, fails)))
            await asyncio.sleep(0.5)
        await asyncio.gather(*tasks)
        await browser.close()
    return lat, fails


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--every", type=float, default=4.0, help="seconds between changes per session")
    args = ap.parse_args()
    with serve() as url:
        start = server_rss()
        lat, fails = asyncio.run(run(args, url))
        end = server_rss()
    q = sorted(lat)
    print(f"sessions {args.sessions}, {args.seconds} s, {len(q)} reruns, {len(fails)} failures")
    if q:
        p95 = q[int(0.95 * (len(q) - 1))]
        print(f"rerun latency p50 {statistics.median(q):.2f} s, p95 {p95:.2f} s")
    print(f"server RSS start {start / 1e6:.0f} MB, end {end / 1e6:.0f} MB")
    for f in fails[:10]:
        print("  ", f)


if __name__ == "__main__":
    main()
