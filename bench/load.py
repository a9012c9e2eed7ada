"""A protocol-level load generator: N sessions speaking Streamlit's own messages over the
WebSocket (``bench/wsclient.py``), no browser, so the generator leaves the server's CPU alone.

Each session opens a random page of the dashboard with a random London borough and indicator in
the URL, then, after 0.5-1.5 s of think time each time, either switches page or picks a new
authority or indicator in the sidebar, until the phase's time is up (or ``--max-reruns``).
Streamlit itself queues under load, so the blank app (``bench/apps/blank.py``, which reruns with
a new query string each time) is run under the same load in the same run as the reference.

For every target: a single-session phase (one user alone, same think time), then N sessions:
latency p50/p95 of reruns, the first page of each session, reruns per minute, failures
(exceptions, timeouts, dropped streams), and server memory (RSS of the server's process tree:
sum for several workers and nginx) at one session and at the end of the load, hence memory per
extra session, both as open sessions showing a cached view (the sessions' own cost) and across the
load (which adds the caches filled by new authorities and indicators). Ratios against the blank app;
writes its section of bench/RESULTS.md.

    python bench/load.py [--sessions 25] [--seconds 60] [--targets blank,app,cluster] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import dataclass, field

import duckdb
from harness import BLANK, LOAD_PAGES, ROOT, Server, machine, quantile, serve, tree_rss, write_results
from wsclient import Session

THINK = (0.5, 1.5)


def catalogue() -> tuple[list[str], list[str]]:
    """London boroughs' codes and indicator ids, read from the committed extract (read-only),
    with the app's own queries."""
    con = duckdb.connect(str(ROOT / "data" / "wardgaps.duckdb"), read_only=True)
    try:
        q = ROOT / "queries"
        sql = (q / "authorities.sql").read_text()
        authorities = [r[0] for r in con.execute(sql, {"vintage": 2024}).fetchall() if r[0].startswith("E09")]
        indicators = [r[0] for r in con.execute((q / "indicator_catalogue.sql").read_text()).fetchall()]
    finally:
        con.close()
    return authorities, indicators


async def warm_up(url: str, sessions: int, dashboard: bool) -> None:
    """Untimed: every page once in a few sessions, so every worker has imported and cached what
    the default view needs (the timed phases measure a warm server, as users meet it)."""
    for _ in range(sessions):
        async with Session(url, timeout=180) as s:
            for page in LOAD_PAGES if dashboard else [""]:
                await s.rerun(page)


async def session_memory(url: str, pids: list[int], n: int) -> float:
    """Bytes of server memory per open session: ``n`` sessions each showing the default view
    (cached, so only the sessions' own state grows), held open while the memory is read."""
    before = tree_rss(pids)
    sessions = [Session(url, timeout=180) for _ in range(n)]
    try:
        for s in sessions:
            await s.open()
            await s.rerun("")
        return (tree_rss(pids) - before) / n
    finally:
        for s in sessions:
            await s.close()


@dataclass
class Stats:
    reruns: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_rss: int = 0


async def user(
    i: int,
    url: str,
    dashboard: bool,
    deadline: float,
    max_reruns: int,
    stats: Stats,
    authorities: list[str],
    indicators: list[str],
    seed: int,
) -> None:
    """One simulated user; failures are counted and the user carries on with a fresh session."""
    rnd = random.Random(seed * 1000 + i)
    done = 0
    while time.monotonic() < deadline and done < max_reruns:
        page = rnd.choice(LOAD_PAGES) if dashboard else ""
        query = f"authority={rnd.choice(authorities)}&indicator={rnd.choice(indicators)}"
        t = time.perf_counter()
        try:
            async with Session(url, timeout=120) as s:
                await s.rerun(page, query=query)
                stats.first.append(time.perf_counter() - t)
                while time.monotonic() < deadline and done < max_reruns:
                    await asyncio.sleep(rnd.uniform(*THINK))
                    if time.monotonic() >= deadline:
                        break
                    run = await s.rerun(**_next_action(rnd, s, dashboard, authorities, indicators))
                    stats.reruns.append(run.seconds)
                    done += 1
            return
        except Exception as e:  # noqa: BLE001 - a load test counts failures, it does not stop at one
            stats.failures.append(f"session {i}: {type(e).__name__}: {str(e)[:120]}")
            done += 1
            await asyncio.sleep(rnd.uniform(*THINK))


def _next_action(
    rnd: random.Random, s: Session, dashboard: bool, authorities: list[str], indicators: list[str]
) -> dict:
    """What the user does next: another page, or a new authority or indicator in the sidebar."""
    if not dashboard:  # the blank app: a rerun with a new query string, as a permalink change
        return {"query": f"authority={rnd.choice(authorities)}&indicator={rnd.choice(indicators)}"}
    r = rnd.random()
    if r < 0.3:
        current = next((p for p, h in s.pages.items() if h == s.page_hash and p in LOAD_PAGES), None)
        return {"page": rnd.choice([p for p in LOAD_PAGES if p != current])}
    label = "Local authority" if r < 0.65 else "Indicator"
    w = s.widgets.get(label)
    if w is None or len(w.options) < 2:
        return {}
    return {"choose": {label: rnd.choice([o for o in w.options if o != w.value])}}


async def phase(url: str, pids: list[int], sessions: int, seconds: float, dashboard: bool, max_reruns: int, seed: int):
    """Run ``sessions`` users for ``seconds``; sample the server's memory as it goes."""
    authorities, indicators = catalogue()
    stats = Stats()
    start = time.monotonic()
    deadline = start + seconds
    tasks = [
        asyncio.create_task(user(i, url, dashboard, deadline, max_reruns, stats, authorities, indicators, seed))
        for i in range(sessions)
    ]
    while not all(t.done() for t in tasks):
        stats.peak_rss = max(stats.peak_rss, tree_rss(pids))
        await asyncio.wait(tasks, timeout=1.0)
    stats.peak_rss = max(stats.peak_rss, tree_rss(pids))
    return stats, time.monotonic() - start  # includes the reruns still running at the deadline


@dataclass
class Result:
    target: str
    single_p50: float
    single_rss: int
    n: int
    p50: float
    p95: float
    first_p50: float
    first_p95: float
    per_minute: float
    failures: list[str]
    rss: int
    events: list[str]
    idle_session: float  # bytes per open session showing a cached view

    def per_session_mb(self) -> float:
        return (self.rss - self.single_rss) / max(1, self.n - 1) / 1e6


def measure(label: str, srv: Server, args: argparse.Namespace, dashboard: bool) -> Result:
    """The single-session phase, then N sessions, against one served target."""
    url, pids = srv.url, srv.pids
    asyncio.run(warm_up(url, args.warm, dashboard))
    single, _ = asyncio.run(phase(url, pids, 1, args.single_seconds, dashboard, args.max_reruns, args.seed))
    single_rss = tree_rss(pids)
    idle = asyncio.run(session_memory(url, pids, args.sessions))
    stats, elapsed = asyncio.run(phase(url, pids, args.sessions, args.seconds, dashboard, args.max_reruns, args.seed))
    r = Result(
        label,
        quantile(single.reruns, 0.5),
        single_rss,
        args.sessions,
        quantile(stats.reruns, 0.5),
        quantile(stats.reruns, 0.95),
        quantile(stats.first, 0.5),
        quantile(stats.first, 0.95),
        len(stats.reruns) / elapsed * 60,
        single.failures + stats.failures,
        stats.peak_rss,
        srv.events(),
        idle,
    )
    print(
        f"{label}: single {r.single_p50 * 1000:.0f} ms; {r.n} sessions: p50 {r.p50:.2f} s, p95 {r.p95:.2f} s, "
        f"first page p50 {r.first_p50:.1f} s, {r.per_minute:.0f} reruns/min, {len(r.failures)} failures, "
        f"RSS {r.single_rss / 1e6:.0f} -> {r.rss / 1e6:.0f} MB",
        flush=True,
    )
    for f in r.failures[:5] + r.events[:5]:
        print("   ", f)
    return r


def _mb(b: float) -> str:
    # below the noise of reading RSS (a collection can free more than a few sessions hold)
    return "< 0.1" if b < 0.1e6 else f"{b / 1e6:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--seconds", type=float, default=60, help="length of the N-session phase per target")
    ap.add_argument("--single-seconds", type=float, default=10, help="length of the single-session phase")
    ap.add_argument("--max-reruns", type=int, default=1000, help="per session, a bound besides time")
    ap.add_argument(
        "--targets", default="blank,app,cluster", help="blank, app (1 process), cluster (workers behind nginx)"
    )
    ap.add_argument("--workers", type=int, default=2, help="workers for the cluster target")
    ap.add_argument("--warm", type=int, default=4, help="untimed warm-up sessions per target (all pages each)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--section", default=None, help="RESULTS.md section name (default load-<sessions>)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    where = machine()
    results: dict[str, Result] = {}
    for target in args.targets.split(","):
        if target == "blank":
            with serve(BLANK) as srv:
                results[target] = measure("blank app, 1 process", srv, args, dashboard=False)
        elif target == "blank-cluster":
            with serve(BLANK, workers=args.workers) as srv:
                results[target] = measure(f"blank app, {srv.label}", srv, args, dashboard=False)
        elif target == "app":
            with serve() as srv:
                results[target] = measure("Ward Gaps, 1 process", srv, args, dashboard=True)
        elif target == "cluster":
            with serve(workers=args.workers) as srv:
                results[target] = measure(f"Ward Gaps, {srv.label}", srv, args, dashboard=True)
        else:
            raise SystemExit(f"unknown target {target!r}")

    base = results.get("blank")
    rows = [
        "| target | single p50 (ms) | p50 (s) | p95 (s) | first page p50 / p95 (s) | reruns/min | failures "
        "| RSS 1 → N sessions (MB) | MB per session: open / under load | p95 × blank | reruns/min ÷ blank |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results.values():
        ratio = f"{r.p95 / base.p95:.2f}" if base else "–"
        share = f"{r.per_minute / base.per_minute:.0%}" if base else "–"
        rows.append(
            f"| {r.target} | {r.single_p50 * 1000:.0f} | {r.p50:.2f} | {r.p95:.2f} | "
            f"{r.first_p50:.1f} / {r.first_p95:.1f} | {r.per_minute:.0f} | {len(r.failures)} | "
            f"{r.single_rss / 1e6:.0f} → {r.rss / 1e6:.0f} | {_mb(r.idle_session)} / {r.per_session_mb():.1f} "
            f"| {ratio} | {share} |"
        )
    body = (
        f"## Load: {args.sessions} sessions (`bench/load.py`)\n\n"
        f"Measured {where}. Protocol-level sessions (no browser), think time 0.5–1.5 s, pages "
        f"{', '.join(p or 'overview' for p in LOAD_PAGES)}; each target {args.single_seconds:.0f} s with one "
        f"session, then {args.seconds:.0f} s with {args.sessions}; targets one after another in the same run.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    events = [f"{r.target}: {e}" for r in results.values() for e in r.events]
    if events:
        body += "\nLauncher events during the run: " + "; ".join(events[:6]) + "\n"
    print(body)
    if not args.no_write:
        write_results(args.section or f"load-{args.sessions}", body)


if __name__ == "__main__":
    main()
