"""The build's SQL, read from ``queries/build/*.sql`` by name: no SQL text lives in Python."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent.parent / "queries" / "build"


@cache
def sql_file(name: str, folder: str = "") -> str:
    """The text of ``queries/build/<name>.sql``, or of ``queries/build/<folder>/<name>.sql`` (names
    and folders are plain words, never paths)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_-]*", name) or not re.fullmatch(r"[a-z_]*", folder):
        raise ValueError(f"bad SQL file name {folder}/{name!r}")
    path = SQL_DIR / folder / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no SQL file queries/build/{folder + '/' if folder else ''}{name}.sql")
    return path.read_text(encoding="utf-8")


def folder_sections(folder: str, marker: str) -> list[tuple[str, str]]:
    """One section per file of ``queries/build/<folder>/`` (each headed ``-- <marker>: <title>``),
    as (title, statement), files in name order."""
    files = sorted((SQL_DIR / folder).glob("*.sql"))
    if not files:
        raise ValueError(f"queries/build/{folder}/ holds no SQL file")
    out = []
    for path in files:
        found = sql_sections(path.stem, marker, folder)
        if len(found) != 1:
            raise ValueError(f"queries/build/{folder}/{path.name} must hold one '-- {marker}:' section")
        out += found
    return out


def sql_sections(name: str, marker: str, folder: str = "") -> list[tuple[str, str]]:
    """The sections of a file that holds several statements, each headed ``-- <marker>: <title>``,
    as (title, statement) in file order. Text before the first heading is the file's comment."""
    sections: list[tuple[str, str]] = []
    head = f"-- {marker}:"
    for line in sql_file(name, folder).splitlines():
        if line.startswith(head):
            sections.append((line[len(head) :].strip(), ""))
        elif sections:
            title, body = sections[-1]
            sections[-1] = (title, body + line + "\n")
    if not sections:
        raise ValueError(f"queries/build/{folder}/{name}.sql has no '{head}' sections")
    return [(title, body.strip()) for title, body in sections]
