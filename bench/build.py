"""Extract build time against the time only to parse the raw files (median of N)."""

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

from wardgaps.build import ADAPTERS, build  # noqa: E402
from wardgaps.ingest.geo import Geo  # noqa: E402


def parse_only(raw: Path) -> None:
    geo = Geo(raw)
    for _, mod in ADAPTERS:
        mod.load(raw, geo, []) if mod.__name__.endswith("ward_atlas") else mod.load(raw, geo)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=os.environ.get("WARDGAPS_RAW", "../shared/data/raw"))
    ap.add_argument("-n", type=int, default=3)
    args = ap.parse_args()
    raw = Path(args.raw)
    parse, full = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.n):
            t = time.perf_counter()
            parse_only(raw)
            parse.append(time.perf_counter() - t)
            t = time.perf_counter()
            build(raw, Path(tmp) / "bench.duckdb", say=lambda _m: None)
            full.append(time.perf_counter() - t)
    p, f = statistics.median(parse), statistics.median(full)
    print(
        f"parse and tidy the raw files: {p:.1f} s; full build (geometry, checks, write): {f:.1f} s; ratio {f / p:.2f}"
    )


if __name__ == "__main__":
    main()
