"""Shared by the benchmarks (and the deployment test): serve an app on loopback as a deployment
does, measure its memory, summarise latencies, and write a section of ``bench/RESULTS.md``.

A worker is plain ``streamlit run`` with every server setting from ``.streamlit/config.toml`` (only
the port and the loopback address given on the command line), as ``make run``, the container and
the systemd unit start it. Several workers stand behind Debian's nginx running the static
``deploy/nginx.conf`` (``edge``), so the app and its references are measured under the settings
they are deployed with, in the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "apps"
BLANK = APPS / "blank.py"
NAIVE_MAP = APPS / "naive_map.py"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
sys.path.insert(0, str(ROOT))

# Every page of the dashboard by URL path ("" is the Overview at /), and the load mix.
PAGES = ["", "map", "gaps", "trends", "profile", "context", "briefing", "methods", "accessibility"]
LOAD_PAGES = ["", "map", "gaps", "trends", "profile", "context", "methods", "accessibility"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True if ``url``/_stcore/health answers 200 within ``timeout``."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def worker_command(port: int, script: Path | None = None, root: Path = ROOT) -> list[str]:
    """One worker: ``streamlit run`` of the dashboard (or another ``script``), run from ``root`` so
    its ``.streamlit/config.toml`` applies; only the port and the loopback address are given here."""
    return [sys.executable, "-m", "streamlit", "run", str(script or root / "dashboard.py")] + [
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]


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
    return list(r.query("authorities", vintage=2024)["geo_code"]), list(r.query("indicator_catalogue")["indicator_id"])


def _wait_healthy(url: str, procs: Sequence[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(url, timeout=1.0):
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy in time")
        time.sleep(0.05)


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _start(cmd: list[str], cwd: Path, env: dict[str, str], out: Path, err: Path | None = None) -> subprocess.Popen:
    """A child with its output in files (nobody reads a pipe while it runs)."""
    with open(out, "ab") as o, open(err or out, "ab") as e:  # the child holds its own copies
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=o, stderr=e if err else subprocess.STDOUT)


# The static config listens on 8080; on loopback the test and benchmarks change that line only.
LISTEN = "listen 8080;"
COMPOSE_WORKER = "app:8501"  # the address in deploy/wardgaps-workers.conf


def edge_config(
    prefix: Path, port: int, workers: Sequence[int], origins: Sequence[str], conn_limit: bool = True
) -> Path:
    """``deploy/nginx.conf`` for loopback, written into ``prefix`` with the two files it includes.

    The config is copied as it is but for its listen line (``listen 8080;`` becomes
    ``listen 127.0.0.1:PORT;``). Next to it: ``wardgaps-workers.conf``, Compose's worker line with
    ``app:8501`` replaced by each worker's loopback address, and ``wardgaps-origins.conf``, the
    allowed ``origins``. ``conn_limit=False`` (benchmarks only, where every simulated reader comes
    from 127.0.0.1) also leaves out the ``limit_conn`` line.
    """
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    if text.count(LISTEN) != 1:
        raise ValueError(f"deploy/nginx.conf should have one '{LISTEN}' line")
    text = text.replace(LISTEN, f"listen 127.0.0.1:{port};")
    if not conn_limit:
        text = re.sub(r"(?m)^\s*limit_conn per_client .*\n", "", text)
    line = next(ln for ln in (DEPLOY / "wardgaps-workers.conf").read_text().splitlines() if ln.startswith("server "))
    (prefix / "wardgaps-workers.conf").write_text(
        "".join(line.replace(COMPOSE_WORKER, f"127.0.0.1:{p}") + "\n" for p in workers), encoding="utf-8"
    )
    (prefix / "wardgaps-origins.conf").write_text("".join(f'"{o}" 1;\n' for o in origins), encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


@dataclass
class Edge:
    """Workers behind nginx on loopback: nginx at ``url``; its access log lists every request's
    upstream (``upstream=127.0.0.1:PORT``); ``prefix`` holds its config and the logs."""

    url: str
    prefix: Path
    ports: list[int]
    workers: list[subprocess.Popen]
    nginx: subprocess.Popen
    access_log: Path = field(init=False)
    error_log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.access_log, self.error_log = self.prefix / "access.log", self.prefix / "error.log"


@contextmanager
def edge(
    script: Path | None = None,
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
    root: Path = ROOT,
    conn_limit: bool = True,
    timeout: float = 180.0,
) -> Iterator[Edge]:
    """``workers`` plain ``streamlit run`` workers, each on a free loopback port, behind Debian's
    nginx (``nginx -p PREFIX -c PREFIX/nginx.conf``, unprivileged) running ``deploy/nginx.conf``
    (``edge_config``) on another free port; the allowed origin is nginx's own URL. The workers
    share one cookie secret, as a deployment's must (a browser's XSRF cookie from one is valid at
    all). Stops nginx, then the workers, and removes the prefix."""
    prefix = Path(tempfile.mkdtemp(prefix="wardgaps-edge-"))
    prefix.chmod(0o755)  # nginx's own workers may run as another user (when started by root)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    wenv = {**_env(), "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
    ports = [free_port() for _ in range(workers)]
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, prefix, ignore_errors=True)
        procs: list[subprocess.Popen] = []
        try:
            for i, p in enumerate(ports):
                procs.append(_start(worker_command(p, script, root), root, wenv, prefix / f"worker{i + 1}.log"))
                stack.callback(_stop, procs[-1])
            for p in ports:
                _wait_healthy(f"http://127.0.0.1:{p}", procs, timeout)
            conf = edge_config(prefix, port, ports, [url], conn_limit)
            cmd = [NGINX, "-p", f"{prefix}/", "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
            nginx = _start(cmd, prefix, _env(), prefix / "access.log", prefix / "error.log")
            stack.callback(_stop, nginx, signal.SIGQUIT)  # stopped first: graceful, requests in flight finish
            _wait_healthy(url, [nginx], 30)
        except BaseException:
            for log in sorted(prefix.glob("*.log")):
                sys.stderr.write(f"--- {log.name}\n" + log.read_text(errors="replace")[-2000:])
            raise
        yield Edge(url, prefix, ports, procs, nginx)


@dataclass
class Server:
    """A served app: its URL, the processes to measure (one worker, or the workers and nginx),
    how it was started, and the log that says what went wrong."""

    url: str
    pids: list[int]
    label: str
    log: Path

    def events(self) -> list[str]:
        """nginx's complaints about workers so far (a failed connection, none left to try)."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if "upstream" in line and "[error]" in line]


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

    ``workers=0``: one plain ``streamlit run`` process (``make run``, one container, one unit).
    ``workers=N``: N of them behind nginx running the static config (``edge``), its per-address
    connection cap left out because every benchmark session comes from 127.0.0.1.
    """
    if workers:
        with edge(script, workers=workers, env=env, root=root, conn_limit=False, timeout=timeout) as e:
            pids = [e.nginx.pid, *(w.pid for w in e.workers)]
            yield Server(e.url, pids, f"{workers} workers behind nginx", e.error_log)
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="wardgaps-bench-") as tmp:
        log = Path(tmp) / "server.log"
        proc = _start(worker_command(port, script, root), root, {**_env(), **(env or {})}, log)
        try:
            _wait_healthy(url, [proc], timeout)
            yield Server(url, [proc.pid], "1 process", log)
        except BaseException:
            sys.stderr.write(log.read_text(errors="replace")[-3000:])
            raise
        finally:
            _stop(proc)


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return kids


def tree_rss(pids: int | Sequence[int]) -> int:
    """Resident memory (bytes) of ``pids`` and all their descendants (nginx's workers, Chromium for exports)."""
    kids, total, todo = _children(), 0, [pids] if isinstance(pids, int) else list(pids)
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
