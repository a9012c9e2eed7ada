"""The documents say only what is there: every repository path, ``make`` target, ``python -m wardgaps``
subcommand, relative link and anchor they name exists; the README stays short and credits every
source; the generated tables of sources and indicators match the registries."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
from collections.abc import Set as AbstractSet
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from wardgaps import docs
from wardgaps.__main__ import main

README_MAX_LINES = 220

# Named by the documents but made by work merging alongside them (issue 20: the deployment guide,
# the declared tables, the fast test tier). Remove this set once they are merged.
PENDING_PATHS: set[str] = set()
PENDING_TARGETS: set[str] = set()

# Paths the documents name that are made, never committed (all git-ignored), so a fresh checkout
# lacks them: why each may be missing.
MADE = {
    "data/public.duckdb": "the public extract, made by make publish",
    "data/local.duckdb": "the council's own data, made by python -m wardgaps add / add-places",
    "tests/artefacts": "rendered pack pages, written by the pack tests",
}
# Placeholders for any file of a kind: "queries/name.sql" stands for every named query.
PLACEHOLDERS = {"queries/name.sql"}
# Bare file names that are not the repository's: the council's own example files, a template, the
# output of a command, and files of the raw mirror (outside the repository).
EXAMPLES = {
    "fsm.csv",
    "fsm.yaml",
    "places.csv",
    "hubs.csv",
    "area.pptx",
    "council.pptx",
    "pack.pdf",
    "SOURCES.md",
    "4_AHC_Relative_Ward.csv",
}

# Where a repository path starts (a top-level folder or file).
TOP = {"dashboard.py", "pages", "queries", "data", "wardgaps", "tests", "bench", "deploy", "docs"}
TOP_FILES = {
    "README.md",
    "CONTRIBUTING.md",
    "Makefile",
    "Dockerfile",
    "compose.yaml",
    "pyproject.toml",
    "requirements.txt",
    "requirements-test.txt",
    "package.json",
}
FILE_EXTENSIONS = (
    ".py .sql .md .yaml .yml .json .duckdb .csv .toml .txt .png .template .pptx .potx .pdf .gpkg .xlsx"
).split()
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
MAKE = re.compile(r"(?:^|[\s(])make\s+([a-z][\w-]*)")
SUBCOMMAND = re.compile(r"python -m wardgaps\s+([a-z][\w-]*)")


def documents() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "data" / "README.md"]
    found += [ROOT / "deploy" / "README.md"] if (ROOT / "deploy" / "README.md").is_file() else []
    return found + sorted((ROOT / "docs").glob("*.md"))


def make_targets(makefile: Path = ROOT / "Makefile") -> set[str]:
    rule = re.compile(r"^([A-Za-z0-9_.-]+(?:[ \t]+[A-Za-z0-9_.-]+)*)[ \t]*::?(?!=)")
    targets: set[str] = set()
    for line in makefile.read_text(encoding="utf-8").splitlines():
        m = rule.match(line)
        if m:
            targets |= set(m.group(1).split())
    return targets


@functools.cache
def subcommands() -> set[str]:
    """The subcommands ``python -m wardgaps --help`` lists (its parser, run in this process)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["--help"])
    m = re.search(r"\{([a-z,-]+)\}", out.getvalue())
    assert m, out.getvalue()
    return set(m.group(1).split(","))


@functools.cache
def repo_names(root: Path = ROOT) -> frozenset[str]:
    """The base names of the repository's files (a bare ``versions.py`` is named somewhere)."""
    names: set[str] = set()
    for _, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        names |= set(dirs) | set(files)
    return frozenset(names)


def anchors(text: str) -> set[str]:
    """GitHub's anchors for a Markdown text's headings (fenced blocks aside)."""
    text = FENCE.sub("", text)
    return {
        re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
        for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.MULTILINE)
    }


def mentions(text: str) -> tuple[set[str], set[str], set[str]]:
    """(path-like tokens, make targets, wardgaps subcommands) named in code spans and fenced blocks."""
    code = [m.group(1) for m in FENCE.finditer(text)]
    code += [m.group(1) for m in SPAN.finditer(FENCE.sub("", text))]
    tokens, targets, subs = set(), set(), set()
    for chunk in code:
        targets |= set(MAKE.findall(chunk))
        subs |= set(SUBCOMMAND.findall(chunk))
        for word in chunk.split():
            word = word.strip("()[],;:'\"*").removesuffix(".")
            if word:
                tokens.add(word)
    return tokens, targets, subs


def path_problem(token: str, root: Path, names: AbstractSet[str]) -> str | None:
    """Why a token that looks like a repository path or file name is not there (None if it is,
    or if the token is no path)."""
    if token.startswith(("../", "$", "/", "http", "~", "-", ".")) or "=" in token or "…" in token:
        return None
    path = token.split("#")[0].split(":")[0].rstrip("/")
    if "/" in path or path in TOP_FILES:
        if path.split("/")[0] not in TOP and path not in TOP_FILES:
            return None
        if path in PENDING_PATHS or path in MADE or path in PLACEHOLDERS:
            return None
        if any(c in path for c in "*?["):
            return None if list(root.glob(path)) else f"{token}: matches no file"
        return None if (root / path).exists() else f"{token}: no such file or folder"
    if path.endswith(tuple(FILE_EXTENSIONS)) and re.fullmatch(r"[\w.-]+", path):
        return None if path in names or path in EXAMPLES else f"{token}: no file of that name"
    return None


def link_problems(doc: Path, text: str, root: Path) -> list[str]:
    """Relative links to files that do not exist, or to anchors their target does not have."""
    found = []
    for target in LINK.findall(FENCE.sub("", text)):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file).resolve() if file else doc
        rel = dest.relative_to(root).as_posix() if dest.is_relative_to(root) else str(dest)
        if rel in PENDING_PATHS:
            continue
        if not dest.exists():
            found.append(f"link {target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text(encoding="utf-8")):
            found.append(f"link {target}: no such heading")
    return found


def problems(doc: Path, root: Path, targets: set[str], subs: set[str], names: AbstractSet[str]) -> list[str]:
    """Everything one document names that is not there."""
    text = doc.read_text(encoding="utf-8")
    tokens, made, ran = mentions(text)
    found = [p for t in sorted(tokens) if (p := path_problem(t, root, names))]
    found += [f"make {t}: no such target" for t in sorted(made - targets - PENDING_TARGETS)]
    found += [f"python -m wardgaps {s}: no such subcommand" for s in sorted(ran - subs)]
    found += link_problems(doc, text, root)
    return found


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_everything_a_document_names_exists(doc: Path):
    found = problems(doc, ROOT, make_targets(), subcommands(), repo_names())
    assert found == [], f"{doc.relative_to(ROOT)} names what is not there:\n" + "\n".join(found)


def test_the_checks_catch_what_is_not_there(tmp_path: Path):
    (tmp_path / "wardgaps").mkdir()
    (tmp_path / "wardgaps" / "db.py").write_text("")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A heading\n")
    doc = tmp_path / "README.md"
    doc.write_text(
        "# Title\n\nSee `wardgaps/db.py`, `wardgaps/gone.py`, `wardgaps/*.py`, `queries/*.sql` and `fsm.csv`,\n"
        "`stale.py`, [a](docs/a.md#a-heading), [b](docs/a.md#no-heading), [c](docs/none.md).\n\n"
        "```sh\nmake run\nmake nothing   # no such target\npython -m wardgaps build\npython -m wardgaps fly\n```\n"
    )
    found = problems(doc, tmp_path, {"run"}, {"build"}, repo_names(tmp_path))
    assert found == [
        "queries/*.sql: matches no file",
        "stale.py: no file of that name",
        "wardgaps/gone.py: no such file or folder",
        "make nothing: no such target",
        "python -m wardgaps fly: no such subcommand",
        "link docs/a.md#no-heading: no such heading",
        "link docs/none.md: no such file",
    ]


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; the rest belongs in the other documents"


def test_readme_credits_every_source():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))
    missing = sorted({s["attribution"] for s in sources.values() if s["attribution"] not in readme})
    assert missing == [], "README.md must credit, as data/sources.yaml words it:\n" + "\n".join(missing)


def test_generated_tables_match_the_registries():
    assert docs.stale() == [], "run python -m wardgaps docs and commit docs/sources.md and docs/indicators.md"


def test_generated_tables_follow_a_registry_change(tmp_path: Path):
    reg = tmp_path / "data"
    reg.mkdir()
    for name in ("sources.yaml", "indicators.yaml"):
        (reg / name).write_text((ROOT / "data" / name).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "docs"
    docs.write(out, reg)
    assert docs.stale(out, reg) == []
    sources = yaml.safe_load((reg / "sources.yaml").read_text(encoding="utf-8"))
    sources["ecp_ahc"]["next_release"] = "2027 | a pipe in a cell"
    (reg / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    assert docs.stale(out, reg) == ["sources.md"]
    assert "2027 \\| a pipe in a cell" in docs.pages(reg)["sources.md"]
