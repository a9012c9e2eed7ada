"""Locked installs: the lock files (made by ``make lock``) cover every requirement of
requirements*.txt at its pinned version, with hashes, so a requirement added without refreshing
them fails here; and every install (make, the image) goes through them with --require-hashes."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

LOCKS = {
    "requirements.lock": ["requirements.txt"],
    "requirements-test.lock": ["requirements.txt", "requirements-test.txt"],
}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(==\s*([^\s;#\\]+))?")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, str | None]:
    """name -> pinned version (None if not pinned) of a requirements file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        m = _PIN.match(line)
        assert m, f"{path.name}: cannot read {line!r}"
        out[norm(m.group(1))] = m.group(3)
    return out


def locked(text: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a lock file made with --generate-hashes."""
    out: dict[str, tuple[str, int]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if m:
            current = norm(m.group(1))
            out[current] = (m.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, n = out[current]
            out[current] = (version, n + len(re.findall(r"--hash=sha256:[0-9a-f]{64}", line)))
        elif not line.startswith(" "):
            current = None
    return out


def problems(lock_name: str, lock_text: str) -> list[str]:
    """What the lock file lacks: requirements missing or at another version, entries without a hash."""
    lock = locked(lock_text)
    found = []
    for req_file in LOCKS[lock_name]:
        for name, pin in requirements(ROOT / req_file).items():
            if name not in lock:
                found.append(f"{req_file}: {name} is not in {lock_name} (run make lock)")
            elif pin is not None and lock[name][0] != pin:
                found.append(f"{req_file}: {name}=={pin} but {lock_name} has {lock[name][0]} (run make lock)")
    found += [f"{lock_name}: {name} has no hash" for name, (_v, n) in lock.items() if n == 0]
    return found


def test_lock_files_cover_every_requirement_with_hashes():
    for lock_name in LOCKS:
        text = (ROOT / lock_name).read_text(encoding="utf-8")
        assert problems(lock_name, text) == []
        assert len(locked(text)) >= 60  # the requirements and everything they pull in


def test_the_check_catches_a_missed_refresh():
    """A requirement added to requirements.txt but not locked, a pin moved, a hash dropped."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    without_duckdb = re.sub(r"(?ms)^duckdb==.*?(?=^\S)", "", text)
    assert "duckdb is not in requirements.lock" in "\n".join(problems("requirements.lock", without_duckdb))
    moved = re.sub(r"(?m)^pandas==\S+", "pandas==0.0.1", text)
    assert any("pandas==" in p and "has 0.0.1" in p for p in problems("requirements.lock", moved))
    unhashed = re.sub(r"(?ms)(^pyyaml==\S+ \\\n)(\s+--hash=\S+( \\)?\n)+", r"pyyaml==6.0.4\n", text)
    assert "requirements.lock: pyyaml has no hash" in problems("requirements.lock", unhashed)


def test_both_locks_agree_on_shared_packages():
    run = locked((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    test = locked((ROOT / "requirements-test.lock").read_text(encoding="utf-8"))
    assert {k: v[0] for k, v in run.items()} == {k: test[k][0] for k in run}


def test_installs_go_through_the_locks():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(VENV)/.installed: requirements.lock" in make
    assert "$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock" in make
    assert "pip install --quiet --require-hashes -r requirements.lock" in make
    assert "pip install --quiet --require-hashes -r requirements-test.lock" in make
    assert not re.search(r"pip install[^\n]*-r requirements(-test)?\.txt", make)
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in docker
    assert "requirements.txt" not in docker
