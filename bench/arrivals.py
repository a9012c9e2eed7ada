"""Readers arriving by permalinks, as a public page is mostly read: each reader follows a link (a
new session whose first run reads the URL: a page, an authority and an indicator from a national
mix), reruns the view once or twice (0.5-1.5 s think time each), then follows the next link in a
new session. A rerun with a new query string in the same session would keep the widgets' view, so
every link is a session of its own. The blank app (``bench/apps/blank.py``) takes the same load in
the same run with the same served settings: a new session per link with a query string, and the
same reruns.

For every target: one reader alone, then N readers for the phase's time: p50/p95 of every run
(first runs and reruns), the first runs alone, runs per minute, failures (exceptions, timeouts,
dropped streams) and server memory. Ratios against the blank app; writes its section of
bench/RESULTS.md. Targets: ``blank``, ``public`` and ``full`` (the dashboard's two views, one
process each), ``cluster-blank``, ``cluster-public`` and ``cluster-full`` (``--workers`` plain
``streamlit run`` workers behind Debian's nginx running the static ``deploy/nginx.conf``, its
per-address connection cap left out: every reader here comes from 127.0.0.1). Where a view ran both
ways, a line compares the workers behind nginx with the one process under the same load.

    python bench/arrivals.py [--readers 25] [--seconds 90] [--targets blank,public,full] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import BLANK, LOAD_PAGES, VIEWS, Server, catalogue, machine, quantile, serve, tree_rss, write_results
from wsclient import Session

THINK = (0.5, 1.5)


@dataclass
class Stats:
    runs: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_rss: int = 0


async def reader(i: int, url: str, dashboard: bool, deadline: float, stats: Stats, mix: tuple, seed: int) -> None:
    """One reader following links until the deadline; a failure is counted and the next link followed."""
    authorities, indicators = mix
    rnd = random.Random(seed * 1000 + i)
    while time.monotonic() < deadline:
        page = rnd.choice(LOAD_PAGES) if dashboard else ""
        query = f"authority={rnd.choice(authorities)}&indicator={rnd.choice(indicators)}"
        try:
            async with Session(url, timeout=120) as s:
                run = await s.rerun(page, query=query)
                stats.first.append(run.seconds)
                stats.runs.append(run.seconds)
                for _ in range(rnd.choice((1, 2))):
                    await asyncio.sleep(rnd.uniform(*THINK))
                    if time.monotonic() >= deadline:
                        break
                    stats.runs.append((await s.rerun()).seconds)
        except Exception as e:  # noqa: BLE001 - a load test counts failures, it does not stop at one
            stats.failures.append(f"reader {i}: {type(e).__name__}: {str(e)[:120]}")
        await asyncio.sleep(rnd.uniform(*THINK))


async def phase(srv: Server, readers: int, seconds: float, dashboard: bool, mix: tuple, seed: int) -> tuple:
    stats = Stats()
    start = time.monotonic()
    tasks = [
        asyncio.create_task(reader(i, srv.url, dashboard, start + seconds, stats, mix, seed)) for i in range(readers)
    ]
    while not all(t.done() for t in tasks):
        stats.peak_rss = max(stats.peak_rss, tree_rss(srv.pids))
        await asyncio.wait(tasks, timeout=1.0)
    return stats, time.monotonic() - start


@dataclass
class Result:
    target: str
    single_p50: float
    n: int
    p50: float
    p95: float
    first_p50: float
    first_p95: float
    per_minute: float
    failures: list[str]
    rss: int


def measure(label: str, srv: Server, args: argparse.Namespace, dashboard: bool, mix: tuple) -> Result:
    async def warm() -> None:  # untimed: the server's imports and the default view, as after a start
        async with Session(srv.url, timeout=180) as s:
            for page in LOAD_PAGES if dashboard else [""]:
                await s.rerun(page)

    asyncio.run(warm())
    single, _ = asyncio.run(phase(srv, 1, args.single_seconds, dashboard, mix, args.seed))
    stats, elapsed = asyncio.run(phase(srv, args.readers, args.seconds, dashboard, mix, args.seed))
    r = Result(
        label,
        quantile(single.runs, 0.5),
        args.readers,
        quantile(stats.runs, 0.5),
        quantile(stats.runs, 0.95),
        quantile(stats.first, 0.5),
        quantile(stats.first, 0.95),
        len(stats.runs) / elapsed * 60,
        single.failures + stats.failures,
        stats.peak_rss,
    )
    print(
        f"{label}: single {r.single_p50 * 1000:.0f} ms; {r.n} readers: p50 {r.p50 * 1000:.0f} ms, "
        f"p95 {r.p95 * 1000:.0f} ms, first runs p50/p95 {r.first_p50 * 1000:.0f}/{r.first_p95 * 1000:.0f} ms, "
        f"{r.per_minute:.0f} runs/min, {len(r.failures)} failures, peak RSS {r.rss / 1e6:.0f} MB",
        flush=True,
    )
    for f in r.failures[:5]:
        print("   ", f)
    return r


def compare(results: dict[str, Result], view: str, workers: int) -> str:
    """One line: ``workers`` workers behind nginx against one process, for ``view``, if both ran."""
    one, many = results.get(view), results.get(f"cluster-{view}")
    if one is None or many is None:
        return ""
    return (
        f"\n{workers} workers behind nginx against one process ({view}): p95 {many.p95 * 1000:.0f} against "
        f"{one.p95 * 1000:.0f} ms (× {many.p95 / one.p95:.2f}), first runs p95 {many.first_p95 * 1000:.0f} against "
        f"{one.first_p95 * 1000:.0f} ms, {many.per_minute:.0f} against {one.per_minute:.0f} runs/min "
        f"(× {many.per_minute / one.per_minute:.2f}), failures {len(many.failures)} against {len(one.failures)}.\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=25)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--single-seconds", type=float, default=15)
    ap.add_argument("--targets", default="blank,public,full")
    ap.add_argument("--workers", type=int, default=2, help="workers for the cluster targets")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument(
        "--baseline-root",
        default=None,
        help="another checkout (an earlier commit) served as targets baseline-public and baseline-full",
    )
    ap.add_argument("--section", default=None, help="RESULTS.md section (default arrivals-<readers>)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    where = machine()
    mix = catalogue()
    results: dict[str, Result] = {}
    for target in args.targets.split(","):
        view = target.removeprefix("cluster-").removeprefix("baseline-")
        workers = args.workers if target.startswith("cluster-") else 0
        root = {"root": Path(args.baseline_root)} if target.startswith("baseline-") else {}
        if target in ("blank", "cluster-blank"):
            with serve(BLANK, workers=workers) as srv:
                results[target] = measure(f"blank app, {srv.label}", srv, args, False, mix)
        elif view in VIEWS:
            with serve(workers=workers, env=VIEWS[view], **root) as srv:
                what = f"the baseline checkout's {view} view" if root else f"Ward Gaps {view} view"
                results[target] = measure(f"{what}, {srv.label}", srv, args, True, mix)
        else:
            raise SystemExit(f"unknown target {target!r}")
    base = results.get("blank") or results.get("cluster-blank")
    rows = [
        "| target | one reader p50 (ms) | p50 (ms) | p95 (ms) | first runs p50 / p95 (ms) | runs/min | failures "
        "| peak RSS (MB) | p95 × blank | runs/min ÷ blank |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results.values():
        ratio = f"{r.p95 / base.p95:.1f}" if base else "–"
        share = f"{r.per_minute / base.per_minute:.0%}" if base else "–"
        rows.append(
            f"| {r.target} | {r.single_p50 * 1000:.0f} | {r.p50 * 1000:.0f} | {r.p95 * 1000:.0f} | "
            f"{r.first_p50 * 1000:.0f} / {r.first_p95 * 1000:.0f} | {r.per_minute:.0f} | {len(r.failures)} | "
            f"{r.rss / 1e6:.0f} | {ratio} | {share} |"
        )
    body = (
        f"## Readers arriving by permalinks: {args.readers} readers (`bench/arrivals.py`)\n\n"
        f"Measured {where}. Protocol-level sessions (no browser): every link a new session (page, authority "
        f"and indicator drawn from all {len(mix[0])} authorities, {len(mix[1])} indicators and the pages "
        f"{', '.join(p or 'overview' for p in LOAD_PAGES)}), then one or two reruns, 0.5–1.5 s think time; "
        f"{args.single_seconds:.0f} s with one reader, then {args.seconds:.0f} s with {args.readers}; targets one "
        "after another in the same run, each served as production serves a worker.\n\n" + "\n".join(rows) + "\n"
    )
    body += "".join(compare(results, view, args.workers) for view in ["blank", *VIEWS])
    print(body)
    if not args.no_write:
        write_results(args.section or f"arrivals-{args.readers}", body)


if __name__ == "__main__":
    main()
