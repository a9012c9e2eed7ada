"""Lint gates: ruff (check and format) for Python, SQLFluff (duckdb dialect) for queries/."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

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
    # The settings (dialect, placeholder values) are in pyproject.toml: name it so the run does not
    # depend on the working directory.
    r = run("sqlfluff", "lint", "--config", str(ROOT / "pyproject.toml"), "queries")
    assert r.returncode == 0, r.stdout + r.stderr


# A SQL statement inside a Python string: the build's SQL lives in queries/build/*.sql and the
# app's in queries/*.sql, loaded by name.
SQL_STATEMENT = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\b(?:create|drop|alter)\s+(?:or\s+replace\s+)?(?:temp\w*\s+)?"
    r"(?:table|view|index|macro|schema|sequence)\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b"
    r"|\bcopy\s+\w+\s+(?:to|from)\b|\battach\s+'|\bpragma\s+\w+|^\s*checkpoint\s*;?\s*$",
    re.IGNORECASE,
)


def sql_in_python(path: Path) -> list[str]:
    """String constants of one module (docstrings aside, f-string parts included) that hold a SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        f"{path.name}:{n.lineno}: {n.value[:60]!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in docstrings
        and SQL_STATEMENT.search(n.value)
    ]


def test_no_sql_statements_in_python():
    found = [hit for p in sorted((ROOT / "wardgaps").rglob("*.py")) for hit in sql_in_python(p)]
    assert found == [], "SQL belongs in queries/**/*.sql:\n" + "\n".join(found)


def test_sql_check_sees_f_strings_and_lone_statements(tmp_path):
    p = tmp_path / "bad.py"
    p.write_text(
        '"""Select a ward from the list (a docstring, not SQL)."""\n'
        'T = "observations"\nQ = f"select count(*) from {T}"\nC = "checkpoint"\nOK = "select a borough"\n'
    )
    assert sorted(h.split(":")[1] for h in sql_in_python(p)) == ["3", "4"]
