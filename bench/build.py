"""Extract build time against the time only to parse the raw files (median of N), and the size of
the extract it writes; writes the "build" section of bench/RESULTS.md (goal: under 3 minutes on 2
cores for all of England and Wales). Never fails on timing."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import machine, write_results  # noqa: E402

from wardgaps.build import ADAPTERS, build  # noqa: E402
from wardgaps.ingest.geo import Geo  # noqa: E402
from wardgaps.publish import publish  # noqa: E402


def parse_only(raw: Path) -> None:
    geo = Geo(raw)
    for _, mod in ADAPTERS:
        mod.load(raw, geo, []) if mod.__name__.endswith("ward_atlas") else mod.load(raw, geo)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=os.environ.get("WARDGAPS_RAW", "../shared/data/raw"))
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    raw = Path(args.raw)
    parse, full, pub = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.n):
            t = time.perf_counter()
            parse_only(raw)
            parse.append(time.perf_counter() - t)
            t = time.perf_counter()
            build(raw, Path(tmp) / "bench.duckdb", say=lambda _m: None)
            full.append(time.perf_counter() - t)
            size = (Path(tmp) / "bench.duckdb").stat().st_size / 1e6
            t = time.perf_counter()
            publish(Path(tmp) / "bench.duckdb", Path(tmp) / "public.duckdb", say=lambda _m: None)
            pub.append(time.perf_counter() - t)
            pub_size = (Path(tmp) / "public.duckdb").stat().st_size / 1e6
    p, f, pb = statistics.median(parse), statistics.median(full), statistics.median(pub)
    line = (
        f"parse and tidy the raw files: {p:.1f} s; full build (geometry, views, checks, write): {f:.1f} s "
        f"(worst {max(full):.1f} s); ratio {f / p:.2f}; extract {size:.1f} MB. Publish (the public extract from "
        f"it): {pb:.1f} s (worst {max(pub):.1f} s), ratio to the parse {pb / p:.2f}; public extract {pub_size:.1f} MB"
    )
    print(line)
    if not args.no_write:
        body = (
            "## Build (`bench/build.py`)\n\n"
            f"Measured {machine()}, median of {args.n}, every authority of England and Wales. Goals: the full "
            f"build under 3 minutes on 2 cores ({'met' if max(full) < 180 else 'not met'}); the publish step "
            f"under 3 minutes ({'met' if max(pub) < 180 else 'not met'}); each extract ≤ 80 MB.\n\n" + line + "\n"
        )
        write_results("build", body)


if __name__ == "__main__":
    main()
