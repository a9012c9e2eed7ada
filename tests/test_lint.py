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


# The one generator of SQL from a declaration: wardgaps/tables.py fills its few templates (DDL,
# the contract's generic rules, the table hashes) with identifiers from queries/build/tables.yaml.
SQL_GENERATORS = {"wardgaps/tables.py"}


def test_no_sql_statements_in_python():
    modules = [
        p for p in sorted((ROOT / "wardgaps").rglob("*.py")) if p.relative_to(ROOT).as_posix() not in SQL_GENERATORS
    ]
    found = [hit for p in modules for hit in sql_in_python(p)]
    assert found == [], "SQL belongs in queries/**/*.sql:\n" + "\n".join(found)


def test_sql_check_sees_f_strings_and_lone_statements(tmp_path):
    p = tmp_path / "bad.py"
    p.write_text(
        '"""Select a ward from the list (a docstring, not SQL)."""\n'
        'T = "observations"\nQ = f"select count(*) from {T}"\nC = "checkpoint"\nOK = "select an authority"\n'
    )
    assert sorted(h.split(":")[1] for h in sql_in_python(p)) == ["3", "4"]


def _module_imports(root: Path) -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports anywhere: at module level,
    under ``if TYPE_CHECKING`` and inside functions (an import put off to dodge a cycle is still
    one: the two modules cannot be understood apart)."""
    names = {
        ".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__") for p in root.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for p in root.rglob("*.py"):
        mod = ".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        deps: set[str] = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps |= {node.module} & names
                deps |= {f"{node.module}.{a.name}" for a in node.names} & names
        graph[mod] = deps - {mod}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_cycle():
    # a package's __init__ importing its own submodules is not a cycle between them
    graph = {
        m: {d for d in deps if not m.startswith(d + ".")} for m, deps in _module_imports(ROOT / "wardgaps").items()
    }
    assert _cycles(graph) == []


def test_import_cycle_check_sees_one(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "ui").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ui" / "__init__.py").write_text("")
    (pkg / "ui" / "page.py").write_text("from pkg.ui import furniture\n")
    (pkg / "ui" / "furniture.py").write_text("from pkg.ui.reproduce import box\n")
    (pkg / "ui" / "reproduce.py").write_text("import pkg.ui.page\n")
    assert _cycles(_module_imports(pkg)) == [
        ["pkg.ui.furniture", "pkg.ui.reproduce", "pkg.ui.page", "pkg.ui.furniture"]
    ]


MAX_LINES = 400  # a module longer than this is split by what it is about (issue 20)


def test_no_module_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in [*(ROOT / "wardgaps").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_deprivation_scores_are_bound_not_written_into_queries():
    """The deprivation scores' ids come from the registry (wardgaps.meta.DEPRIVATION_SCORES), bound
    as $imd_indicator / $wimd_indicator: no page query writes them as literals."""
    from wardgaps.meta import DEPRIVATION_SCORES

    literal = [f"'{i}'" for i in DEPRIVATION_SCORES.values()]
    # the page queries and the rule that checks which index ordered a ward (the contract's table of
    # expected editions may name them: it declares what the extract must hold)
    files = [*(ROOT / "queries").glob("*.sql"), ROOT / "queries/build/contract/ward_order_own_index.sql"]
    found = [str(p.relative_to(ROOT)) for p in files if any(x in p.read_text() for x in literal)]
    assert found == []
