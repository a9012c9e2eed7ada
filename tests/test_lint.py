"""Lint gates: ruff (check and format) for Python, SQLFluff (duckdb dialect) for queries/."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PY_PATHS = ["wardgaps", "pages", "tests", "dashboard.py", "bench"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check():
    r = run("ruff", "check", *[p for p in PY_PATHS if (ROOT / p).exists()])
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format():
    r = run("ruff", "format", "--check", *[p for p in PY_PATHS if (ROOT / p).exists()])
    assert r.returncode == 0, r.stdout + r.stderr


def test_sqlfluff():
    r = run("sqlfluff", "lint", "queries")
    assert r.returncode == 0, r.stdout + r.stderr
