"""The production launch (``python -m wardgaps.serve --workers N``): two Streamlit workers behind
Debian's nginx on loopback, driven over Streamlit's own WebSocket protocol (``bench/wsclient.py``).

Session affinity, failover when a worker's process is killed, its restart, and the edge controls
(foreign-Origin handshake, body size, connections per address); plus static checks of the
container files.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.wsclient import RerunFailed, Session
from tests.conftest import ROOT
from wardgaps.serve import free_port

pytestmark = pytest.mark.deploy
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONN_LIMIT = 12  # smaller than the production default so the cap is cheap to reach


def _wait(pred, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def _status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@contextmanager
def _launch(tmp: Path, *options: str) -> Iterator[dict]:
    """``python -m wardgaps.serve --workers 2 <options>`` on a free loopback port, as ``make serve``
    starts it; yields its status (ports, pids) and stops it, checking it stopped what it started."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"nginx not found at {NGINX} (Debian package 'nginx')")
    status, log = tmp / "status.json", tmp / "launcher.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    cmd = [sys.executable, "-m", "wardgaps.serve", "--workers", "2", "--port", str(free_port())]
    with open(log, "wb") as out:  # a file, not a pipe: nobody reads the workers' logs while they run
        proc = subprocess.Popen(
            [*cmd, "--status", str(status), *options], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        state = _wait(lambda: proc.poll() is None and _status(status), 180, "the cluster to start")
        state["file"] = status
        yield state
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0, log.read_text(errors="replace")[-2000:]
    for w in (_status(status) or state)["workers"]:  # the launcher stopped what it started
        _wait(lambda w=w: not Path(f"/proc/{w['pid']}").exists() or _zombie(w["pid"]), 10, "workers to exit")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Two workers behind nginx (restarts off, to watch a failover)."""
    with _launch(tmp_path_factory.mktemp("deploy"), "--no-restart", "--conn-limit", str(CONN_LIMIT)) as state:
        yield state


def _zombie(pid: int) -> bool:
    try:
        return " Z " in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    except OSError:
        return True


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}


async def _browser_session(url: str, affinity: bool = True) -> tuple[Session, str]:
    """Like a browser: load the page (gets the affinity cookie), then open the WebSocket with it.
    ``affinity``: assert the WebSocket lands on the worker that served the page (not while nginx is
    reloading a worker back into rotation: a page fetched just before the reload may be mapped to
    the other worker; the session itself lives on the WebSocket's worker)."""
    status, headers = _get(url + "/")
    assert status == 200
    cookie = headers["set-cookie"].split(";", 1)[0]
    assert cookie.startswith("wardgaps_sticky=")
    s = Session(url, origin=url, headers={"Cookie": cookie})
    await s.open()
    worker = s.response_headers["x-wardgaps-worker"]
    if affinity:
        assert worker == headers["x-wardgaps-worker"]
    return s, worker


def test_foreign_origin_handshake_refused(cluster):
    async def go() -> None:
        with pytest.raises(InvalidStatus) as e:
            await Session(cluster["url"], origin="https://evil.example").open()
        assert e.value.response.status_code == 403
        async with Session(cluster["url"], origin=cluster["url"]) as s:  # the site's own origin is let in
            run = await s.rerun("methods")
            assert run.headings

    asyncio.run(go())


def _announce_body(url: str, method: str, path: str, length: int) -> int:
    """The status nginx answers to a request that announces a body of ``length`` bytes (none sent:
    the limit is enforced on the announced length, before any body is read)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {length}\r\n"
            "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n".encode()
        )
        return int(sock.recv(64).split()[1])


def test_request_body_over_limit_refused(cluster):
    url = cluster["url"]
    assert _get(url + "/", data=b"x" * (2 * 1024 * 1024))[0] == 413  # a real 2 MB body
    assert _announce_body(url, "POST", "/", 1024 * 1024 + 1) == 413  # 1m everywhere...
    assert _announce_body(url, "PUT", "/_stcore/upload_file/s/f", 26 * 1024 * 1024) == 413  # ...25m for uploads
    # a template-sized upload reaches Streamlit (which refuses it for its own reason: no session)
    assert _get(url + "/_stcore/upload_file/s/f", data=b"x" * (2 * 1024 * 1024))[0] != 413
    assert _get(url + "/_stcore/health")[0] == 200


def test_connections_per_address_capped(cluster):
    async def go() -> None:
        held = []
        try:
            for _ in range(CONN_LIMIT):
                s = Session(cluster["url"])
                await s.open()
                held.append(s)
            with pytest.raises(InvalidStatus) as e:
                await Session(cluster["url"]).open()
            assert e.value.response.status_code == 429
        finally:
            for s in held:
                await s.close()

    asyncio.run(go())
    # closing them frees the address's allowance again
    _wait(lambda: _get(cluster["url"] + "/_stcore/health")[0] == 200, 10, "the allowance to free up")


def test_sessions_spread_and_survive_a_worker_kill(cluster):
    url = cluster["url"]
    pids = {w["name"]: w["pid"] for w in cluster["workers"]}

    async def go() -> None:
        by_worker: dict[str, list[Session]] = {name: [] for name in pids}
        try:
            # Each new browser gets a random affinity cookie; open until both workers hold two.
            for _ in range(40):
                if all(len(v) >= 2 for v in by_worker.values()):
                    break
                s, name = await _browser_session(url)
                if len(by_worker[name]) < 2:
                    by_worker[name].append(s)
                else:
                    await s.close()
            assert all(len(v) == 2 for v in by_worker.values()), {k: len(v) for k, v in by_worker.items()}
            for sessions in by_worker.values():
                for s in sessions:
                    run = await s.rerun("")
                    assert run.headings[0].endswith("at a glance"), run.headings

            victim, survivor = sorted(pids)
            os.kill(pids[victim], signal.SIGKILL)
            # the victim's sessions lose their stream...
            for s in by_worker[victim]:
                with pytest.raises((ConnectionClosed, RerunFailed, asyncio.TimeoutError, OSError)):
                    s.timeout = 30
                    await s.rerun()
            # ...the survivor's carry on, state and all: a new borough, then another page
            for s in by_worker[survivor]:
                run = await s.rerun(choose={"Local authority": "Camden"})
                assert run.headings[0] == "Camden at a glance", run.headings
                run = await s.rerun("map")
                assert run.headings[0].startswith("Ward map"), run.headings
                assert "borough=E09000007" in s.query
            # the launcher notices and marks the dead worker down in nginx
            _wait(
                lambda: any(w["name"] == victim and not w["up"] for w in _status(cluster["file"])["workers"]),
                30,
                "the launcher to mark the dead worker down",
            )
            # new sessions go to the survivor, and work
            for i in range(6):
                s, name = await _browser_session(url)
                assert name == survivor
                if i == 0:
                    run = await s.rerun("gaps")
                    assert run.headings[0].startswith("Ward gaps"), run.headings
                await s.close()
        finally:
            for sessions in by_worker.values():
                for s in sessions:
                    await s.close()

    asyncio.run(go())


def test_dead_worker_is_restarted_warmed_and_rejoins(tmp_path):
    """With restarts on (the default), a killed worker comes back and gets new sessions again."""
    with _launch(tmp_path) as state:
        url, old = state["url"], {w["name"]: w["pid"] for w in state["workers"]}
        os.kill(old["w1"], signal.SIGKILL)

        def back() -> bool:
            w1 = next(w for w in _status(state["file"])["workers"] if w["name"] == "w1")
            return w1["up"] and w1["pid"] != old["w1"]

        _wait(back, 120, "the launcher to restart w1 and bring it back")

        async def go() -> None:
            for _ in range(40):  # random cookies: until one lands on the restarted worker
                s, name = await _browser_session(url, affinity=False)
                try:
                    if name == "w1":
                        run = await s.rerun("map")
                        assert run.headings[0].startswith("Ward map"), run.headings
                        return
                finally:
                    await s.close()
            raise AssertionError("no new session reached the restarted worker")

        asyncio.run(go())


# Container files: parsed and checked for what the launch depends on (no Docker engine runs here).


def test_dockerfile_installs_requirements_and_serves_without_watcher():
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in text
    assert "apt-get install" in text and " nginx" in text
    assert "STREAMLIT_SERVER_FILE_WATCHER_TYPE=none" in text
    lines = text.splitlines()
    entry = json.loads(next(line for line in lines if line.startswith("ENTRYPOINT "))[11:])
    cmd = json.loads(next(line for line in lines if line.startswith("CMD "))[4:])
    assert entry == ["python", "-m", "wardgaps.serve"] and cmd[0] == "--workers"
    assert "/_stcore/health" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored
    assert "data/public.duckdb*" in ignored and "data/local.duckdb*" in ignored  # made in the image, or private


def test_public_image_ships_the_public_extract_only():
    """The default (last) stage is the public view: its extract is made by the publish step in a
    stage of its own and copied in; the full extract is copied into no other stage it builds on."""
    stages: dict[str, list[str]] = {}
    name = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("FROM "):
            base, _, name = line[5:].partition(" AS ")
            stages[name] = [f"FROM {base}"]
        elif name:
            stages[name].append(line)
    last = list(stages)[-1]
    assert last == "public" and stages[last][0] == "FROM runtime"
    body = "\n".join(stages[last])
    assert "COPY --from=publish /publish/public.duckdb data/public.duckdb" in body
    assert "ENV WARDGAPS_PUBLIC=1" in body and "wardgaps.duckdb" not in body.replace("--from=publish", "")
    assert not any("wardgaps.duckdb" in ln for ln in stages["runtime"])  # the stage it builds on
    assert "python -m wardgaps publish" in "\n".join(stages["publish"])
    assert "COPY data/wardgaps.duckdb" in "\n".join(stages["officer"])


def test_compose_file():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    svc = compose["services"]["wardgaps"]
    assert svc["build"] == "."
    assert "/_stcore/health" in " ".join(svc["healthcheck"]["test"])
    assert svc["read_only"] is True


def test_kubernetes_manifest():
    docs = {d["kind"]: d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s.yaml").read_text()) if d}
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    probe = container["readinessProbe"]["httpGet"]
    assert probe["path"] == "/_stcore/health" and probe["port"] == 8080
    assert container["args"][:2] == ["--workers", str(container["resources"]["limits"]["cpu"])]
    svc = docs["Service"]["spec"]
    assert svc["sessionAffinity"] == "ClientIP"
    assert svc["selector"] == docs["Deployment"]["spec"]["selector"]["matchLabels"]
    ingress = docs["Ingress"]["metadata"]["annotations"]
    assert ingress["nginx.ingress.kubernetes.io/affinity"] == "cookie"
