"""Start the dashboard, as one process (``make run``) or as a production cluster (``make serve``).

``python -m wardgaps.serve [streamlit options]`` runs ``streamlit run dashboard.py`` in this process.

``python -m wardgaps.serve --workers N|auto [--host H] [--port P] [--origin URL]...`` runs N
Streamlit workers (one per core by default) on loopback ports, with the source-file watcher and
run-on-save off, behind nginx (Debian's package) rendered from ``deploy/nginx.conf.template``:
cookie session affinity, WebSocket upgrade, passive health checks, and the edge controls a public
deployment needs (foreign-Origin WebSocket handshakes refused, connections per client address
capped, request bodies limited). Each worker runs every page once before it gets traffic. The
launcher polls every worker's ``/_stcore/health``, marks a dead one down in nginx (reload; open
sessions on the others are untouched) and restarts it unless ``--no-restart``. SIGINT/SIGTERM
stop nginx, then the workers. All workers open the same read-only extract.

Pages follow Streamlit's ``pages/`` convention, so a worker is plain ``streamlit run dashboard.py``,
run in-process after importing what every page needs (``preload``).
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
PRELOAD = ("wardgaps.ui",)  # every page imports it, and through it the data and chart stack
UPLOAD_LIMIT_MB = 25  # largest upload (a council's PowerPoint template), at the edge and in the workers
# What a production server switches off: a profile showed ~20% of server CPU in the file watcher,
# and Streamlit's full garbage collection after every script run cost more than the run itself
# (map page 138 -> 48 ms per rerun); Python's own generational collector still runs.
SERVED = [
    "--server.headless",
    "true",
    "--server.fileWatcherType",
    "none",
    "--server.runOnSave",
    "false",
    "--runner.postScriptGC",
    "false",
    "--server.maxUploadSize",
    str(UPLOAD_LIMIT_MB),
]
CONN_LIMIT = 20  # concurrent connections per client address at the edge
BODY_LIMIT = "1m"  # largest request body the edge accepts, but for uploads
FAIL_TIMEOUT = "10s"  # nginx skips a worker that refused a connection for this long
HEALTH_TIMEOUT = 5.0  # seconds a worker may take to answer /_stcore/health before it counts as a miss
HUNG_AFTER = 60.0  # a live worker that has not answered health for this long is restarted
RESTART_BACKOFF = 5.0  # a worker that dies is restarted at most this often
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
_SIZE = re.compile(r"[0-9]{1,6}[kKmM]?")
_CIDR = re.compile(r"[0-9A-Fa-f.:]+(/[0-9]{1,3})?")


def preload() -> None:
    """Import what every page needs (pandas, DuckDB, Plotly, GeoPandas: ~1.6 s) before the server
    starts listening, so the first visitor after a start does not wait for it."""
    # Its "No runtime found" warning is expected here: st.cache_data binds to the runtime's
    # storage when first called, not when the module is imported.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        quiet.setLevel(level)


def run_one(args: list[str]) -> None:
    """One Streamlit server in this process: ``streamlit run dashboard.py <args>``, preloaded."""
    from streamlit.web import cli

    preload()
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *args]
    cli.main()


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


def pages_of(script: Path) -> list[str]:
    """The URL paths of an app's pages: ``""`` for the entry point, then its ``pages/`` scripts."""
    return [""] + sorted(p.stem.lstrip("0123456789_") for p in (script.parent / "pages").glob("*.py"))


def warm(url: str, pages: list[str], timeout: float = 120.0) -> list[str]:
    """Run each page once over Streamlit's own WebSocket protocol, as a browser's first visit
    would, so page modules are imported and the default view's caches filled before the worker
    takes traffic. Returns the pages that did not finish (the worker serves them anyway)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    failed = []
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=timeout, proxy=None) as ws:
        for page in pages:
            msg = BackMsg()
            msg.rerun_script.page_name = page
            ws.send(msg.SerializeToString())
            deadline = time.monotonic() + timeout
            try:
                while True:
                    fm = ForwardMsg()
                    fm.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
                    if fm.WhichOneof("type") == "script_finished" and fm.script_finished != fm.FINISHED_EARLY_FOR_RERUN:
                        break
            except TimeoutError:
                failed.append(page)
    return failed


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the launcher dies, so no worker outlives it (Linux only)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def worker_command(port: int, script: Path | None = None, address: str = "127.0.0.1") -> list[str]:
    """The command of one served Streamlit process: the dashboard (preloaded, ``run_one``), or
    another ``script`` under plain ``streamlit run`` (benchmarks)."""
    opts = ["--server.port", str(port), "--server.address", address, *SERVED]
    if script is None:
        return [sys.executable, "-m", "wardgaps.serve", *opts]
    return [sys.executable, "-m", "streamlit", "run", str(script), *opts]


def spawn(cmd: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    """Start a child in its own session (a terminal's Ctrl-C reaches only the launcher)."""
    out = open(log, "ab") if log else None  # the child holds its own copy once started
    try:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out if out else None,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # children are started from the main thread only
        )
    finally:
        if out:
            out.close()


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 10.0) -> None:
    """Signal ``proc`` and wait for it; kill it if it has not gone within ``wait`` seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@dataclass
class Worker:
    name: str
    port: int
    proc: subprocess.Popen | None = None
    up: bool = False
    misses: int = 0
    started: float = 0.0  # when the process was started (monotonic)
    last_ok: float = 0.0  # last healthy answer, or the start: a new worker gets time to come up

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def render(
    *,
    listen: str,
    workers: list[Worker],
    origins: list[str],
    prefix: Path,
    conn_limit: int = CONN_LIMIT,
    body_limit: str = BODY_LIMIT,
    trusted_proxies: list[str] | None = None,
    template: Path = TEMPLATE,
) -> str:
    """The nginx configuration for these workers, from the committed template."""
    for o in origins:
        if not _ORIGIN.fullmatch(o):
            raise ValueError(f"not an origin (scheme://host[:port]): {o!r}")
    if not _SIZE.fullmatch(body_limit):
        raise ValueError(f"not an nginx size: {body_limit!r}")
    for c in trusted_proxies or []:
        if not _CIDR.fullmatch(c):
            raise ValueError(f"not an address or CIDR: {c!r}")
    real_ip = [f"    set_real_ip_from {c};" for c in trusted_proxies or []]
    if real_ip:
        real_ip += ["    real_ip_header X-Forwarded-For;", "    real_ip_recursive on;"]
    servers = "\n".join(
        f"        server 127.0.0.1:{w.port} max_fails=1 fail_timeout={FAIL_TIMEOUT}{'' if w.up else ' down'};"
        for w in workers
    )
    fields = {
        "prefix": str(prefix),
        "listen": listen,
        "body_limit": body_limit,
        "upload_limit": f"{UPLOAD_LIMIT_MB}m",
        "conn_limit": str(conn_limit),
        "conn_limit_directive": f"limit_conn per_client {conn_limit};" if conn_limit > 0 else "# no limit_conn",
        "origin_map": "\n".join(f'        "{o}" 1;' for o in origins),
        "worker_map": "\n".join(f'        "~:{w.port}$" "{w.name}";' for w in workers),
        "servers": servers,
        "real_ip": "\n".join(real_ip) or "    # (no trusted proxies: the connecting address is the client's)",
        "fail_timeout": FAIL_TIMEOUT,
    }
    text = template.read_text(encoding="utf-8")
    for k, v in fields.items():
        text = text.replace("{{" + k + "}}", v)
    if "{{" in text:
        raise ValueError("template field left unfilled: " + text[text.index("{{") :][:40])
    return text


class Cluster:
    """N Streamlit workers behind nginx on ``host:port``; ``start()``, ``supervise()``, ``close()``."""

    def __init__(
        self,
        workers: int,
        *,
        host: str = "127.0.0.1",
        port: int = 8501,
        origins: list[str] | None = None,
        conn_limit: int = CONN_LIMIT,
        body_limit: str = BODY_LIMIT,
        trusted_proxies: list[str] | None = None,
        restart: bool = True,
        warm_up: bool = True,
        status: Path | None = None,
        nginx: str | None = None,
        script: Path | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.public = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        self.origins = origins or (
            [f"http://localhost:{port}", f"http://127.0.0.1:{port}"] if host in ("0.0.0.0", "::") else [self.public]
        )
        self.conn_limit, self.body_limit = conn_limit, body_limit
        self.trusted_proxies = trusted_proxies or []
        self.restart, self.status, self.script = restart, status, script
        self.warm_up = warm_up
        self.nginx_bin = nginx or shutil.which("nginx") or "/usr/sbin/nginx"
        self.prefix = Path(tempfile.mkdtemp(prefix="wardgaps-edge-"))
        self.log_dir = log_dir
        self.workers = [Worker(f"w{i + 1}", free_port()) for i in range(workers)]
        self.nginx: subprocess.Popen | None = None
        # One cookie secret for all workers, so a browser's XSRF cookie from one is valid at all.
        self.env = dict(os.environ)
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))

    def _start_worker(self, w: Worker) -> None:
        log = self.log_dir / f"{w.name}.log" if self.log_dir else None
        w.proc = spawn(worker_command(w.port, self.script), self.env, log)
        w.up, w.misses = False, 0
        w.started = w.last_ok = time.monotonic()

    def _warm(self, w: Worker) -> None:
        if not self.warm_up:
            return
        try:
            failed = warm(w.url, pages_of(self.script or ROOT / "dashboard.py"))
        except Exception as e:  # a warm-up is an optimisation: the worker still serves
            failed = [f"all ({type(e).__name__})"]
        if failed:
            print(f"wardgaps.serve: worker {w.name}: warm-up did not finish {failed}", file=sys.stderr)

    def _write_config(self) -> Path:
        conf = self.prefix / "nginx.conf"
        text = render(
            listen=self.listen,
            workers=self.workers,
            origins=self.origins,
            prefix=self.prefix,
            conn_limit=self.conn_limit,
            body_limit=self.body_limit,
            trusted_proxies=self.trusted_proxies,
        )
        conf.write_text(text, encoding="utf-8")
        return conf

    def _nginx_args(self, conf: Path) -> list[str]:
        return [self.nginx_bin, "-c", str(conf), "-p", str(self.prefix), "-e", str(self.prefix / "error.log")]

    def _reload(self) -> None:
        """Apply the workers' up/down state: nginx re-reads its config; open connections carry on."""
        conf = self._write_config()
        check = subprocess.run([*self._nginx_args(conf), "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError("nginx refused its configuration: " + check.stderr.strip())
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGHUP)
        self._write_status()

    def _write_status(self) -> None:
        if self.status is None:
            return
        state = {
            "url": self.public,
            "nginx_pid": self.nginx.pid if self.nginx else None,
            "prefix": str(self.prefix),
            "workers": [
                {"name": w.name, "port": w.port, "pid": w.proc.pid if w.proc else None, "up": w.up}
                for w in self.workers
            ],
        }
        tmp = self.status.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(self.status)

    def start(self, timeout: float = 180.0, stopping: threading.Event | None = None) -> None:
        """Start every worker, wait until each is healthy, then start nginx and wait for it."""
        stopping = stopping or threading.Event()
        for w in self.workers:
            self._start_worker(w)
        deadline = time.monotonic() + timeout
        while not all(w.up for w in self.workers):
            if stopping.is_set():
                raise KeyboardInterrupt
            for w in self.workers:
                if w.proc is not None and w.proc.poll() is not None:
                    raise RuntimeError(f"worker {w.name} exited with {w.proc.returncode} while starting")
                w.up = w.up or healthy(w.url, timeout=1.0)
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not become healthy in time")
            time.sleep(0.2)
        # Warm every worker before nginx sends it anyone: the first visitor after a start gets a
        # worker that has already run each page once.
        with ThreadPoolExecutor(len(self.workers)) as pool:
            list(pool.map(self._warm, self.workers))
        for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / d).mkdir(exist_ok=True)
        conf = self._write_config()
        self.nginx = spawn([*self._nginx_args(conf), "-g", "daemon off;"], self.env)
        while not healthy(self.public, timeout=1.0):
            if self.nginx.poll() is not None:
                err = (self.prefix / "error.log").read_text(errors="replace")[-500:]
                raise RuntimeError(f"nginx exited: {err}")
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer in time")
            time.sleep(0.1)
        self._write_status()

    def check(self) -> None:
        """One round of supervision: mark dead or unresponsive workers down, bring them back when
        healthy, restart dead or hung ones.

        A worker that is slow to answer its health check is only taken out of rotation: under
        heavy load Streamlit can answer late, and restarting it would end every session it holds.
        """
        now = time.monotonic()
        with ThreadPoolExecutor(len(self.workers)) as pool:
            oks = list(pool.map(lambda w: w.alive() and healthy(w.url, HEALTH_TIMEOUT), self.workers))
        changed = False
        for w, ok in zip(self.workers, oks, strict=True):
            w.misses, w.last_ok = (0, now) if ok else (w.misses + 1, w.last_ok)
            if w.up and (not w.alive() or w.misses >= 3):
                print(f"wardgaps.serve: worker {w.name} is down; marking it down in nginx", file=sys.stderr)
                w.up, changed = False, True
            elif not w.up and ok:
                self._warm(w)  # a restarted worker is warmed before it gets sessions again
                print(f"wardgaps.serve: worker {w.name} is healthy again", file=sys.stderr)
                w.up, changed = True, True
            dead = not w.alive() and now - w.started > RESTART_BACKOFF
            if self.restart and (dead or now - w.last_ok > HUNG_AFTER):
                print(f"wardgaps.serve: restarting worker {w.name}", file=sys.stderr)
                stop(w.proc, wait=5)
                self._start_worker(w)
        if changed:
            self._reload()
        if self.nginx is not None and self.nginx.poll() is not None:
            raise RuntimeError("nginx exited")

    def supervise(self, stopping: threading.Event, every: float = 1.0) -> None:
        """Check the workers every ``every`` seconds until ``stopping`` is set."""
        while not stopping.wait(every):
            self.check()

    def close(self) -> None:
        """Stop nginx first (no new requests), then the workers; remove the runtime directory."""
        stop(self.nginx, signal.SIGQUIT)  # graceful: finish requests in flight
        for w in self.workers:
            stop(w.proc)
        shutil.rmtree(self.prefix, ignore_errors=True)


def _workers(value: str) -> int:
    if value == "auto":
        return len(os.sched_getaffinity(0))
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("at least one worker")
    return n


def serve_cluster(argv: list[str]) -> None:
    """``--workers``: the production launch. Runs until SIGINT or SIGTERM."""
    ap = argparse.ArgumentParser(prog="python -m wardgaps.serve", description="N Streamlit workers behind nginx.")
    ap.add_argument("--workers", type=_workers, required=True, help="Streamlit processes; 'auto' = one per core")
    ap.add_argument("--host", default="127.0.0.1", help="address nginx listens on")
    ap.add_argument("--port", type=int, default=8501, help="port nginx listens on")
    ap.add_argument(
        "--origin",
        action="append",
        default=[o for o in os.environ.get("WARDGAPS_ORIGIN", "").split() if o],
        help="a browser origin allowed to open the WebSocket, e.g. https://wardgaps.example.org (repeatable); "
        "default: the listen address",
    )
    ap.add_argument("--conn-limit", type=int, default=CONN_LIMIT, help="connections per client address (0: none)")
    ap.add_argument("--body-limit", default=BODY_LIMIT, help="largest request body, nginx size (1m)")
    ap.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        help="address or CIDR of a balancer in front whose X-Forwarded-For is believed (repeatable)",
    )
    ap.add_argument("--no-restart", dest="restart", action="store_false", help="leave a dead worker down")
    ap.add_argument(
        "--no-warm", dest="warm", action="store_false", help="send workers traffic without running each page first"
    )
    ap.add_argument("--status", type=Path, help="write the cluster's state (ports, pids) to this JSON file")
    ap.add_argument("--script", type=Path, help=argparse.SUPPRESS)  # benchmarks serve other apps the same way
    args = ap.parse_args(argv)

    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    cluster = Cluster(
        args.workers,
        host=args.host,
        port=args.port,
        origins=args.origin,
        conn_limit=args.conn_limit,
        body_limit=args.body_limit,
        trusted_proxies=args.trusted_proxy,
        restart=args.restart,
        warm_up=args.warm,
        status=args.status,
        script=args.script,
    )
    try:
        cluster.start(stopping=stopping)
        print(
            f"wardgaps.serve: {len(cluster.workers)} workers behind nginx at {cluster.public} "
            f"(origins {', '.join(cluster.origins)}; {cluster.conn_limit} connections per address; "
            f"bodies up to {cluster.body_limit}, uploads up to {UPLOAD_LIMIT_MB}m)",
            file=sys.stderr,
            flush=True,
        )
        cluster.supervise(stopping)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.close()


def main() -> None:
    argv = sys.argv[1:]
    if any(a == "--workers" or a.startswith("--workers=") for a in argv):
        serve_cluster(argv)
    else:
        run_one(argv)


if __name__ == "__main__":
    main()
