"""Shared by the benchmarks: serve an app on loopback as production does, measure its memory,
summarise latencies, and write a section of ``bench/RESULTS.md``.

Every server is started the way ``make serve`` starts a worker (``wardgaps.serve.worker_command``:
file watcher and run-on-save off), or as the whole production launch (workers behind nginx), so
the app and its references are measured under the same settings in the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "apps"
BLANK = APPS / "blank.py"
NAIVE_MAP = APPS / "naive_map.py"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
sys.path.insert(0, str(ROOT))

from wardgaps.serve import free_port, healthy, worker_command  # noqa: E402

# Every page of the dashboard by URL path ("" is the Overview at /), and the load mix.
PAGES = ["", "map", "gaps", "trends", "profile", "context", "briefing", "methods", "accessibility"]
LOAD_PAGES = ["", "map", "gaps", "trends", "profile", "context", "methods", "accessibility"]


@dataclass
class Server:
    """A served app: its URL, the process to measure, and how it was started."""

    url: str
    pid: int
    label: str
    log: Path

    def events(self) -> list[str]:
        """The launcher's supervision messages so far (a worker marked down or restarted)."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if line.startswith("wardgaps.serve: ") and ("down" in line or "restart" in line)]


def _env() -> dict[str, str]:
    # The benchmark decides the served settings and the view; a developer's STREAMLIT_* and
    # WARDGAPS_PUBLIC must not leak in.
    return {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_") and k != "WARDGAPS_PUBLIC"}


# The two views a deployment serves: the public one reads the public extract (make publish).
VIEWS = {"public": {"WARDGAPS_PUBLIC": "1"}, "full": {}}


def catalogue() -> tuple[list[str], list[str]]:
    """Every authority's code and every indicator's id (the national mix readers arrive with),
    read from the committed extract with the app's own queries."""
    from wardgaps import db

    r = db.Reader(ROOT / "data" / "wardgaps.duckdb")
    return list(r.query("boroughs", vintage=2024)["geo_code"]), list(r.query("indicator_catalogue")["indicator_id"])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(url, timeout=1.0):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("server did not become healthy in time")
        time.sleep(0.05)


@contextmanager
def serve(
    script: Path | None = None,
    *,
    workers: int = 0,
    timeout: float = 180.0,
    env: dict[str, str] | None = None,
    root: Path = ROOT,
) -> Iterator[Server]:
    """Serve ``script`` (default: the dashboard) on 127.0.0.1; stop it afterwards. ``env``: what
    the deployment sets (``WARDGAPS_PUBLIC=1`` for the public view); ``root``: another checkout of
    the dashboard to serve instead (an earlier commit, measured side by side in the same run).

    ``workers=0``: one Streamlit process, as one production worker. ``workers=N``: the
    production launch (``python -m wardgaps.serve --workers N``) with nginx in front; its
    per-address connection cap is lifted because every benchmark session comes from 127.0.0.1.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="wardgaps-bench-") as tmp:
        if workers:
            status = Path(tmp) / "status.json"
            cmd = [sys.executable, "-m", "wardgaps.serve", "--workers", str(workers), "--port", str(port)]
            cmd += ["--conn-limit", "0", "--status", str(status)]
            if script is not None:
                cmd += ["--script", str(script)]
            label = f"{workers} workers behind nginx"
        else:
            cmd = worker_command(port, script)
            label = "1 process"
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed below, after the server
        proc = subprocess.Popen(cmd, cwd=root, env={**_env(), **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, proc, timeout)
            if workers:  # the launcher answers health through nginx only once every worker is up
                deadline = time.monotonic() + timeout
                while not status.exists():
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("the launcher did not report its workers")
                    time.sleep(0.05)
            yield Server(url, proc.pid, label, Path(tmp) / "server.log")
        except BaseException:
            log.flush()
            sys.stderr.write((Path(tmp) / "server.log").read_text(errors="replace")[-3000:])
            raise
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return kids


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants (workers, nginx, Chromium for exports)."""
    kids, total, todo = _children(), 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            m = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text(), re.M)
        except OSError:
            continue
        total += int(m.group(1)) * 1024 if m else 0
    return total


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN if empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def machine() -> str:
    """One line describing where the figures were taken."""
    import streamlit

    cpu = "unknown CPU"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0]
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {len(os.sched_getaffinity(0))} cores ({cpu}), "
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, load average {load:.1f} at start"
    )


def write_results(section: str, body: str) -> None:
    """Replace (or append) the ``section`` of bench/RESULTS.md, between its markers."""
    begin, end = f"<!-- {section}: begin (written by bench) -->", f"<!-- {section}: end -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"(wrote the '{section}' section of {RESULTS.relative_to(ROOT)})")


def dump(obj: object) -> str:
    return json.dumps(obj, indent=1, default=str)
