"""A soak: readers arriving by permalinks for a long time, to show the server holds: no failures,
steady latency, memory flat after warm-up.

``--readers`` readers (25) each follow links for ``--minutes`` (20): every link a new WebSocket
session whose first run reads the URL (a page, an authority and an indicator), then one or two
reruns 0.5–1.5 s apart, as in ``bench/arrivals.py``. The links go through every authority of the
national extract (all 318, shuffled, each in turn) and every page of the navigation, so a long run
reads every authority on many pages. The server is the public view (``--view full`` for the
officer view), one plain ``streamlit run`` worker (``--workers N``: N behind nginx, as
``bench/harness.py`` starts them), served as production serves it.

Reported per ``--window`` (5 minutes): runs, p50 and p95 of every run, runs per minute, failures
(an exception, an error box, a timeout or a dropped stream) and peak server memory; the server's
resident memory (all its processes) every ``--sample`` seconds (30). Verdict lines: 0 failures;
memory flat after warm-up, meaning the last window's peak resident memory is within 10% of the
second window's (the first window is warm-up: imports, caches filling). Writes its section of
bench/RESULTS.md. Never fails on timing (nor on a verdict: it reports them).

    python bench/soak.py [--minutes 20] [--readers 25] [--window 5] [--sample 30] [--view public] [--workers 0]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import time
from dataclasses import dataclass, field

from harness import VIEWS, Server, catalogue, machine, quantile, serve, tree_rss, write_results
from wsclient import RerunFailed, Session

# Every page of the navigation by URL path ("" is the Overview), as the public view serves them.
PAGES = ["", "map", "gaps", "trends", "profile", "similar", "places", "context", "briefing", "methods", "accessibility"]
THINK = (0.5, 1.5)
FLAT = 0.10  # memory is flat when the last window's peak is within this share of the second window's


@dataclass
class Log:
    """Everything the run saw, each with its time since the start (seconds)."""

    runs: list[tuple[float, float, bool]] = field(default_factory=list)  # (at, seconds, first run of a link)
    failures: list[tuple[float, str]] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)
    authorities: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)


class Links:
    """The permalinks readers follow: every authority in turn (reshuffled after each round), the
    pages in turn, an indicator at random from the whole catalogue."""

    def __init__(self, authorities: list[str], indicators: list[str], seed: int) -> None:
        self.rnd = random.Random(seed)
        self.authorities, self.indicators = authorities, indicators
        self.deck: list[str] = []
        self.n = 0

    def next(self) -> tuple[str, str]:
        if not self.deck:
            self.deck = self.rnd.sample(self.authorities, len(self.authorities))
        page = PAGES[self.n % len(PAGES)]
        self.n += 1
        return page, f"authority={self.deck.pop()}&indicator={self.rnd.choice(self.indicators)}"


def _check(run) -> None:
    if run.errors:  # the page's own one sentence: the run failed even though the script finished
        raise RerunFailed("error shown: " + run.errors[0])


async def reader(i: int, url: str, links: Links, start: float, deadline: float, log: Log, timeout: float) -> None:
    """One reader following links until the deadline; a failure is logged and the next link followed."""
    rnd = random.Random(i)
    while time.monotonic() < deadline:
        page, query = links.next()
        try:
            async with Session(url, timeout=timeout) as s:
                run = await s.rerun(page, query=query)
                _check(run)
                log.runs.append((time.monotonic() - start, run.seconds, True))
                log.pages.add(page)
                log.authorities.add(query.split("&")[0].removeprefix("authority="))
                for _ in range(rnd.choice((1, 2))):
                    await asyncio.sleep(rnd.uniform(*THINK))
                    if time.monotonic() >= deadline:
                        break
                    run = await s.rerun()
                    _check(run)
                    log.runs.append((time.monotonic() - start, run.seconds, False))
        except Exception as e:  # noqa: BLE001 - a soak counts failures, it does not stop at one
            where = f"/{page}?{query}"
            log.failures.append((time.monotonic() - start, f"reader {i} {where}: {type(e).__name__}: {str(e)[:160]}"))
        await asyncio.sleep(rnd.uniform(*THINK))


async def sampler(srv: Server, start: float, deadline: float, every: float, log: Log) -> None:
    """The server's resident memory (every process of it) now and every ``every`` seconds."""
    while True:
        log.rss.append((time.monotonic() - start, tree_rss(srv.pids)))
        if time.monotonic() + every > deadline + every / 2:
            return
        await asyncio.sleep(every)


async def soak(srv: Server, args: argparse.Namespace, links: Links) -> tuple[Log, float]:
    async with Session(srv.url, timeout=300) as s:  # untimed: imports and every page once, as after a start
        for page in PAGES:
            await s.rerun(page)
    log = Log()
    start = time.monotonic()
    deadline = start + args.minutes * 60
    tasks = [
        asyncio.create_task(reader(i, srv.url, links, start, deadline, log, args.timeout)) for i in range(args.readers)
    ]
    tasks.append(asyncio.create_task(sampler(srv, start, deadline, args.sample, log)))
    next_report = args.window * 60
    while not all(t.done() for t in tasks):
        await asyncio.wait(tasks, timeout=1.0)
        if time.monotonic() - start >= next_report:
            done = [r for r in log.runs if r[0] >= next_report - args.window * 60]
            print(
                f"{next_report / 60:.3g} min: {len(log.runs)} runs, {len(log.failures)} failures, "
                f"window p95 {quantile([r[1] for r in done], 0.95) * 1000:.0f} ms, "
                f"RSS {log.rss[-1][1] / 1e6:.0f} MB",
                flush=True,
            )
            next_report += args.window * 60
    return log, time.monotonic() - start


@dataclass
class Window:
    start: float
    end: float
    runs: list[float]
    failures: int
    peak_rss: int

    @property
    def per_minute(self) -> float:
        return len(self.runs) / max(self.end - self.start, 1e-9) * 60


def windows(log: Log, planned: float, width: float) -> list[Window]:
    """The planned run cut into windows of ``width`` seconds (the last may be shorter); what ends
    after the deadline (runs under way then, the last memory sample) counts in the last window."""
    out = []
    n = math.ceil(planned / width - 1e-9)
    for k in range(n):
        a, b = k * width, min((k + 1) * width, planned)
        last = k == n - 1

        def inside(t: float, a: float = a, b: float = b, last: bool = last) -> bool:
            return a <= t < b or (last and t >= b)  # a run finishing after the deadline counts in the last

        rss = [m for t, m in log.rss if inside(t)]
        out.append(
            Window(
                a,
                b,
                [s for t, s, _ in log.runs if inside(t)],
                sum(inside(t) for t, _ in log.failures),
                max(rss, default=0),
            )
        )
    return out


def verdicts(log: Log, ws: list[Window]) -> list[str]:
    """The two verdict lines: failures, and memory after warm-up."""
    lines = [f"- **Failures: {len(log.failures)}** — {'met' if not log.failures else 'NOT met'} (goal: 0)."]
    if len(ws) < 2 or not ws[1].peak_rss:
        lines.append("- **Memory flat after warm-up**: not judged (the run has fewer than two windows).")
    else:
        second, last = ws[1].peak_rss, ws[-1].peak_rss
        change = last / second - 1
        flat = change <= FLAT
        lines.append(
            f"- **Memory flat after warm-up: {'yes' if flat else 'NO'}** — the last window's peak resident memory "
            f"{last / 1e6:.0f} MB against the second window's {second / 1e6:.0f} MB ({change:+.1%}; flat means "
            f"within +{FLAT:.0%}; the first window is warm-up)."
        )
    return lines


def report(args: argparse.Namespace, srv_label: str, where: str, log: Log, elapsed: float, mix: tuple) -> str:
    ws = windows(log, args.minutes * 60, args.window * 60)
    every = [s for _, s, _ in log.runs]
    firsts = [s for _, s, f in log.runs if f]
    rows = [
        "| window (min) | runs | p50 (ms) | p95 (ms) | runs/min | failures | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for w in ws:
        rows.append(
            f"| {w.start / 60:.3g}–{w.end / 60:.3g} | {len(w.runs)} | {quantile(w.runs, 0.5) * 1000:.0f} | "
            f"{quantile(w.runs, 0.95) * 1000:.0f} | {w.per_minute:.0f} | {w.failures} | {w.peak_rss / 1e6:.0f} |"
        )
    rows.append(
        f"| whole run | {len(every)} | {quantile(every, 0.5) * 1000:.0f} | {quantile(every, 0.95) * 1000:.0f} | "
        f"{len(every) / elapsed * 60:.0f} | {len(log.failures)} | {max((m for _, m in log.rss), default=0) / 1e6:.0f} |"
    )
    series = ", ".join(f"{m / 1e6:.0f}" for _, m in log.rss)
    authorities, _ = mix
    body = (
        f"## Soak: {args.readers} readers by permalinks for {args.minutes:g} minutes (`bench/soak.py`)\n\n"
        f"Measured {where}. The {args.view} view, {srv_label}, served as production serves it. Protocol-level "
        f"sessions (no browser): every link a new session, then one or two reruns, 0.5–1.5 s think time; links "
        f"through every authority in turn (reshuffled each round) and every page of the navigation, an indicator "
        f"at random. Read: {len(log.authorities)} of {len(authorities)} authorities, {len(log.pages)} of "
        f"{len(PAGES)} pages, {len(firsts)} links (first runs p50/p95 {quantile(firsts, 0.5) * 1000:.0f}/"
        f"{quantile(firsts, 0.95) * 1000:.0f} ms).\n\n" + "\n".join(rows) + "\n\n"
        f"Server resident memory (MB, all its processes) every {args.sample:g} s from the start: {series}.\n\n"
        + "\n".join(verdicts(log, ws))
        + "\n"
    )
    if log.failures:
        body += "\nFirst failures:\n\n" + "".join(f"- at {t:.0f} s: {f}\n" for t, f in log.failures[:5])
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--readers", type=int, default=25)
    ap.add_argument("--window", type=float, default=5, help="minutes per reporting window")
    ap.add_argument("--sample", type=float, default=30, help="seconds between memory samples")
    ap.add_argument("--view", choices=sorted(VIEWS), default="public")
    ap.add_argument("--workers", type=int, default=0, help="0: one plain worker; N: N workers behind nginx")
    ap.add_argument("--timeout", type=float, default=120, help="seconds before a run counts as failed")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--section", default="soak", help="RESULTS.md section to write")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    where = machine()
    mix = catalogue()
    links = Links(*mix, seed=args.seed)
    with serve(workers=args.workers, env=VIEWS[args.view]) as srv:
        log, elapsed = asyncio.run(soak(srv, args, links))
        label = srv.label
    body = report(args, label, where, log, elapsed, mix)
    print(body)
    if not args.no_write:
        write_results(args.section, body)


if __name__ == "__main__":
    main()
