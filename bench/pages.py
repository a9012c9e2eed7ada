"""Warm rerun time per page (AppTest, median of N) against a blank Streamlit page, and the cold
first render of the map page. Prints figures; never fails on timing."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ["overview", "map", "gaps", "trends", "profile", "context", "briefing", "methods"]


def timed_runs(at: AppTest, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5, help="reruns per page (median reported)")
    args = ap.parse_args()
    blank = AppTest.from_string("import streamlit as st\nst.title('blank')", default_timeout=60)
    blank.run()
    base = timed_runs(blank, args.n)
    t = time.perf_counter()
    cold = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    cold.switch_page("pages/map.py").run()
    print(f"cold first render, overview then map: {time.perf_counter() - t:.2f} s")
    print(f"blank page warm rerun: {base * 1000:.1f} ms (median of {args.n})")
    print(f"{'page':<10} {'warm rerun ms':>14} {'x blank':>8}")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        warm = timed_runs(at, args.n)
        print(f"{page:<10} {warm * 1000:>14.1f} {warm / base:>8.1f}")


if __name__ == "__main__":
    main()
