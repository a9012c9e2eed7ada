"""The deployment: two plain ``streamlit run dashboard.py`` workers behind Debian's nginx running the
static ``deploy/nginx.conf`` on loopback, driven over Streamlit's own WebSocket protocol
(``bench/wsclient.py``).

``bench.harness.edge`` starts them (each worker on a free port, nginx unprivileged with
``-p <tmpdir>``) and stops them. The config is used as it is but for one documented substitution,
its ``listen 8080;`` line (a free loopback port instead); the two small files it includes are
written for loopback: the workers (Compose's ``server app:8501 …`` line with each worker's address)
and the allowed origin (nginx's own URL). Which worker served a request is read from nginx's
access log (``upstream=ADDRESS``), the only place the config names it.

Cookie affinity and the spread over both workers, a SIGKILLed worker (no session lost on the
other, new sessions on the survivor), the edge controls (foreign-Origin handshake, body size,
connections per address); plus static checks of the deployment files (Dockerfile, Compose,
systemd, Kubernetes).
"""

from __future__ import annotations

import asyncio
import configparser
import json
import os
import re
import signal
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
import yaml
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.harness import DEPLOY, NGINX, Edge, edge
from bench.wsclient import RerunFailed, Session
from tests.conftest import ROOT

pytestmark = [pytest.mark.deploy, pytest.mark.national, pytest.mark.xdist_group("deploy")]
NGINX_CONF = (DEPLOY / "nginx.conf").read_text()
CONN_LIMIT = int(re.search(r"(?m)^\s*limit_conn per_client (\d+);", NGINX_CONF).group(1))


def _wait(pred, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Edge]:
    """Two workers behind nginx, shared by the tests that leave both alive."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"nginx not found at {NGINX} (Debian package 'nginx')")
    with edge(workers=2) as e:
        yield e


def _get(url: str, data: bytes | None = None, cookie: str = "") -> tuple[int, list[str]]:
    """The status and the cookies set (``name=value``) of one request."""
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, headers = r.status, r.headers
    except urllib.error.HTTPError as e:
        status, headers = e.code, e.headers
    return status, [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]


def _log(e: Edge) -> list[str]:
    return e.access_log.read_text(errors="replace").splitlines()


def _port(line: str) -> int:
    """The worker that answered a logged request: the last upstream tried (after a failed one)."""
    return int(re.search(r" upstream=(.*) rt=", line).group(1).split(", ")[-1].rsplit(":", 1)[1])


def _served_by(e: Edge, marker: str) -> int:
    """The worker port that served the request whose line holds ``marker`` (waits for the line)."""
    line = _wait(lambda: next((ln for ln in _log(e) if marker in ln), None), 10, f"{marker} in the access log")
    return _port(line)


def _browser(e: Edge, cookie: str = "") -> tuple[str, int]:
    """Like a browser's page load: GET / (the first one gets the affinity cookie). Returns the
    cookie and the worker that served the page."""
    marker = f"probe={uuid.uuid4().hex}"
    status, cookies = _get(f"{e.url}/?{marker}", cookie=cookie)
    assert status == 200
    sticky = [c for c in cookies if c.startswith("wardgaps_sticky=")]
    if not cookie:
        assert len(sticky) == 1 and len(sticky[0]) > len("wardgaps_sticky="), cookies
        cookie = sticky[0]
    else:
        assert not sticky  # a browser that has the cookie keeps it
    return cookie, _served_by(e, marker)


def _session(e: Edge, cookie: str) -> Session:
    return Session(e.url, origin=e.url, headers={"Cookie": cookie})


def _streams(e: Edge) -> list[str]:
    return [ln for ln in _log(e) if '"GET /_stcore/stream ' in ln]


def test_same_cookie_sticks_and_different_clients_reach_both_workers(cluster):
    e = cluster
    cookie, port = _browser(e)
    assert all(_browser(e, cookie)[1] == port for _ in range(8))  # the same cookie, the same worker

    async def go() -> set[int]:
        seen: set[int] = set()
        for _ in range(40):  # each new client gets a random cookie
            cookie, port = _browser(e)
            before = len(_streams(e))
            async with _session(e, cookie) as s:  # its WebSocket follows its cookie
                run = await s.rerun("methods")
                assert run.headings, run
            line = _wait(lambda b=before: _streams(e)[b:], 10, "the stream in the access log")[0]
            assert _port(line) == port
            seen.add(port)
            if seen == set(e.ports):
                break
        return seen

    assert asyncio.run(go()) == set(e.ports)


def test_foreign_origin_handshake_refused(cluster):
    async def go() -> None:
        with pytest.raises(InvalidStatus) as exc:
            await Session(cluster.url, origin="https://evil.example").open()
        assert exc.value.response.status_code == 403
        async with Session(cluster.url, origin=cluster.url) as s:  # the allowed origin is let in
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
    url = cluster.url
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
                s = Session(cluster.url)
                await s.open()
                held.append(s)
            with pytest.raises(InvalidStatus) as exc:
                await Session(cluster.url).open()
            assert exc.value.response.status_code == 429
        finally:
            for s in held:
                await s.close()

    asyncio.run(go())
    # closing them frees the address's allowance again
    _wait(lambda: _get(cluster.url + "/_stcore/health")[0] == 200, 10, "the allowance to free up")


def test_killed_worker_loses_no_session_on_the_other():
    """SIGKILL one worker: its sessions lose their stream, the other's carry on with their state,
    and new sessions (and the dead worker's readers coming back with their cookie) go to the
    survivor. nginx's passive health check alone does it: no process watches the workers."""
    with edge(workers=2) as e:

        async def go() -> None:
            by_port: dict[int, list[Session]] = {p: [] for p in e.ports}
            try:
                for _ in range(40):  # new clients until both workers hold two sessions
                    if all(len(v) >= 2 for v in by_port.values()):
                        break
                    cookie, port = _browser(e)
                    if len(by_port[port]) < 2:
                        s = _session(e, cookie)
                        await s.open()
                        by_port[port].append(s)
                assert all(len(v) == 2 for v in by_port.values()), {k: len(v) for k, v in by_port.items()}
                for sessions in by_port.values():
                    for s in sessions:
                        run = await s.rerun("")
                        assert run.headings[0].endswith("at a glance"), run.headings

                victim, survivor = e.ports
                e.workers[0].send_signal(signal.SIGKILL)
                e.workers[0].wait(10)
                # the victim's sessions lose their stream...
                for s in by_port[victim]:
                    s.timeout = 30
                    with pytest.raises((ConnectionClosed, RerunFailed, asyncio.TimeoutError, OSError)):
                        await s.rerun()
                # ...the survivor's carry on, state and all: a new authority, then another page
                for s in by_port[survivor]:
                    run = await s.rerun(choose={"Local authority": "Camden"})
                    assert run.headings[0] == "Camden at a glance", run.headings
                    run = await s.rerun("map")
                    assert run.headings[0].startswith("Ward map"), run.headings
                    assert "authority=E09000007" in s.query
                # new clients, and a reader of the dead worker reconnecting with its cookie, reach the survivor
                old = by_port[victim][0].headers["Cookie"]
                for i in range(6):
                    cookie, port = _browser(e, old if i == 0 else "")
                    assert port == survivor
                    async with _session(e, cookie) as s:
                        run = await s.rerun("gaps" if i < 2 else "methods")
                        assert run.headings, run
                assert e.workers[1].poll() is None
            finally:
                for sessions in by_port.values():
                    for s in sessions:
                        await s.close()

        asyncio.run(go())


# The deployment files: parsed and checked for what the deployment depends on (no Docker engine,
# systemd or cluster runs here).


def test_nginx_config_is_static_with_the_edge_controls():
    assert "{{" not in NGINX_CONF and "$" + "{" not in NGINX_CONF  # nothing to fill in
    assert NGINX_CONF.count("listen 8080;") == 1
    assert "hash $sticky_key consistent;" in NGINX_CONF and "map $cookie_wardgaps_sticky" in NGINX_CONF
    assert "ip_hash" not in NGINX_CONF
    assert "include wardgaps-workers.conf;" in NGINX_CONF and "include wardgaps-origins.conf;" in NGINX_CONF
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX_CONF
    assert "proxy_next_upstream error timeout" in NGINX_CONF
    assert "client_max_body_size 25m;" in NGINX_CONF and "client_max_body_size 1m;" in NGINX_CONF
    for workers in ("wardgaps-workers.conf", "wardgaps-workers.host.conf"):
        servers = [ln for ln in (DEPLOY / workers).read_text().splitlines() if ln.startswith("server ")]
        assert servers and all("max_fails=1 fail_timeout=10s;" in ln for ln in servers)
    assert re.search(r'(?m)^"https?://[^"]+" 1;$', (DEPLOY / "wardgaps-origins.conf").read_text())


def test_dockerfile_runs_one_plain_worker():
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in text  # the locked install
    assert "COPY .streamlit .streamlit" in text  # every server setting comes from config.toml
    lines = text.splitlines()
    entry = json.loads(next(line for line in lines if line.startswith("ENTRYPOINT "))[11:])
    assert entry == ["python", "-m", "streamlit", "run", "dashboard.py"]
    assert not any(line.startswith("CMD ") for line in lines)
    assert "EXPOSE 8501" in text and "127.0.0.1:8501/_stcore/health" in text
    assert "wardgaps.serve" not in text
    assert not re.search(r"apt-get install[^\n]*nginx", text)  # the proxy is a container of its own
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
    app, proxy = compose["services"]["app"], compose["services"]["proxy"]
    assert app["build"] == {"context": ".", "target": "public"}
    assert app["deploy"]["replicas"] == 2
    assert "ports" not in app  # only the proxy is reachable
    assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
    assert app["read_only"] is True
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]  # one secret for every replica
    assert proxy["image"].split(":")[0] == "nginx"
    mounts = {dst: src for src, dst, _ in (v.rsplit(":", 2) for v in proxy["volumes"])}
    assert mounts["/etc/nginx/nginx.conf"] == "./deploy/nginx.conf"  # the static config, as it is
    assert mounts["/etc/nginx/wardgaps-workers.conf"] == "./deploy/wardgaps-workers.conf"
    assert "wardgaps-origins.conf" in mounts["/etc/nginx/wardgaps-origins.conf"]
    assert all(v.endswith(":ro") for v in proxy["volumes"])
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    assert any(p.endswith(":8080") for p in proxy["ports"])
    workers = (DEPLOY / "wardgaps-workers.conf").read_text()
    assert "server app:8501 " in workers  # the service name, resolved to every replica


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string((DEPLOY / name).read_text())
    return unit


def test_systemd_units():
    worker = _unit("wardgaps@.service")["Service"]
    assert worker["ExecStart"].endswith("streamlit run dashboard.py")
    assert "STREAMLIT_SERVER_PORT=%i" in worker["Environment"]
    assert worker["Restart"] == "on-failure"
    for hardening in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "DynamicUser"):
        assert hardening in worker
    ports = re.findall(r"127\.0\.0\.1:(\d+)", (DEPLOY / "wardgaps-workers.host.conf").read_text())
    assert ports == ["8501", "8502"]  # wardgaps@8501 and wardgaps@8502
    proxy = _unit("wardgaps-edge.service")["Service"]
    assert "-c /etc/wardgaps/nginx.conf" in proxy["ExecStart"] and "daemon off;" in proxy["ExecStart"]
    assert proxy["Restart"] == "on-failure"


def test_kubernetes_manifest():
    docs = {d["kind"]: d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s.yaml").read_text()) if d}
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    assert len(pod["containers"]) == 1  # one worker per pod: no launcher, no nginx in the pod
    container = pod["containers"][0]
    assert "args" not in container and "command" not in container  # the image's plain streamlit run
    port = container["ports"][0]["containerPort"]
    assert port == 8501
    for probe in ("readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/_stcore/health" and get["port"] == port  # the worker itself
    env = {v["name"]: v for v in container["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    svc = docs["Service"]["spec"]
    assert svc["selector"] == docs["Deployment"]["spec"]["selector"]["matchLabels"]
    assert svc["ports"][0]["targetPort"] == port
    ingress = docs["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert ingress[prefix + "affinity"] == "cookie"
    assert int(ingress[prefix + "proxy-read-timeout"]) >= 3600
    assert ingress[prefix + "proxy-body-size"] == "25m"
    assert int(ingress[prefix + "limit-connections"]) == CONN_LIMIT
