"""First views of authorities nobody has opened, and the server's memory after a crawl of them all.

``--first N``: on a freshly started server (one process, as production serves a worker), N random
authorities (seeded); for each, every page of ``--pages`` opened in a new session (its first view,
nothing of it cached), then the same link in another new session (a warm view). Medians and p95
per page, and the ratio of first to warm (goal: a first view within 2× a warm one).

``--crawl``: every authority of England and Wales × the pages, each link a new session, with the
server's resident memory sampled as it goes (goal: at most 1 GB per worker after the crawl, the
caches bounded). Both views (``--views public,full``). Writes its section of bench/RESULTS.md.

    python bench/crawl.py [--first 60] [--crawl] [--views public,full] [--pages ,profile,gaps,map,trends]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time

from harness import VIEWS, catalogue, machine, quantile, serve, tree_rss, write_results
from wsclient import Session


async def open_link(url: str, page: str, query: str) -> float:
    async with Session(url, timeout=180) as s:
        return (await s.rerun(page, query=query)).seconds


async def first_and_warm(url: str, authorities: list[str], pages: list[str]) -> dict[str, tuple[list, list]]:
    out: dict[str, tuple[list, list]] = {p: ([], []) for p in pages}
    for a in authorities:
        for p in pages:
            q = f"authority={a}"
            out[p][0].append(await open_link(url, p, q))
            out[p][1].append(await open_link(url, p, q))
    return out


async def crawl(
    url: str, pids: list[int], authorities: list[str], pages: list[str]
) -> tuple[list[tuple[int, int]], int]:
    """Every authority × page as a new session, one after another; (links done, RSS) samples."""
    samples, failures = [(0, tree_rss(pids))], 0
    for i, a in enumerate(authorities, start=1):
        for p in pages:
            try:
                await open_link(url, p, f"authority={a}")
            except Exception:  # noqa: BLE001 - counted
                failures += 1
        if i % 20 == 0 or i == len(authorities):
            samples.append((i * len(pages), tree_rss(pids)))
    return samples, failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=60, help="authorities for first and warm views (0: none)")
    ap.add_argument("--crawl", action="store_true", help="crawl every authority × the pages, sampling memory")
    ap.add_argument("--views", default="public,full")
    ap.add_argument("--pages", default=",profile,gaps,map,trends", help="URL paths, '' the overview")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--section", default="crawl")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pages = args.pages.split(",")
    where = machine()
    authorities = catalogue()[0]
    picked = random.Random(args.seed).sample(authorities, args.first) if args.first else []
    lines = []
    for view in args.views.split(","):
        if picked:
            with serve(env=VIEWS[view]) as srv:
                asyncio.run(open_link(srv.url, "", ""))  # the server's own imports, before anyone's first view
                got = asyncio.run(first_and_warm(srv.url, picked, pages))
            lines.append(f"\n**{view} view**, first views of {len(picked)} authorities (fresh server):\n")
            lines.append("| page | first view p50 / p95 (ms) | warm view p50 (ms) | first ÷ warm (p50) |")
            lines.append("|---|---:|---:|---:|")
            for p, (first, warm) in got.items():
                f50, w50 = statistics.median(first), statistics.median(warm)
                lines.append(
                    f"| {p or 'overview'} | {f50 * 1000:.0f} / {quantile(first, 0.95) * 1000:.0f} | "
                    f"{w50 * 1000:.0f} | {f50 / w50:.2f} |"
                )
                print(view, p or "overview", f"first {f50 * 1000:.0f} ms, warm {w50 * 1000:.0f} ms", flush=True)
        if args.crawl:
            with serve(env=VIEWS[view]) as srv:
                t = time.monotonic()
                samples, failures = asyncio.run(crawl(srv.url, srv.pids, authorities, pages))
                took = time.monotonic() - t
            start, end = samples[0][1], samples[-1][1]
            mid = [rss for n, rss in samples if n >= len(authorities) * len(pages) // 2]
            lines.append(
                f"\n**{view} view**, crawl of {len(authorities)} authorities × {len(pages)} pages "
                f"({len(authorities) * len(pages):,} links, each a new session, {took:.0f} s, {failures} failures): "
                f"server RSS {start / 1e6:.0f} MB after start, {end / 1e6:.0f} MB after the crawl "
                f"(half way {mid[0] / 1e6:.0f} MB; the most {max(r for _, r in samples) / 1e6:.0f} MB)."
            )
            print(lines[-1], flush=True)
    body = (
        "## First views and a crawl of every authority (`bench/crawl.py`)\n\n"
        f"Measured {where}. One process per view, served as production serves a worker; every link a new "
        f"session; pages {', '.join(p or 'overview' for p in pages)}.\n" + "\n".join(lines) + "\n"
    )
    print(body)
    if not args.no_write:
        write_results(args.section, body)


if __name__ == "__main__":
    main()
