"""The build's SQL, read from ``queries/build/*.sql`` by name: no SQL text lives in Python."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent.parent / "queries" / "build"


@cache
def sql_file(name: str) -> str:
    """The text of ``queries/build/<name>.sql`` (names are plain words, never paths)."""
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"bad SQL file name {name!r}")
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no SQL file queries/build/{name}.sql")
    return path.read_text(encoding="utf-8")


def sql_sections(name: str, marker: str) -> list[tuple[str, str]]:
    """The sections of a file that holds several statements, each headed ``-- <marker>: <title>``,
    as (title, statement) in file order. Text before the first heading is the file's comment."""
    sections: list[tuple[str, str]] = []
    head = f"-- {marker}:"
    for line in sql_file(name).splitlines():
        if line.startswith(head):
            sections.append((line[len(head) :].strip(), ""))
        elif sections:
            title, body = sections[-1]
            sections[-1] = (title, body + line + "\n")
    if not sections:
        raise ValueError(f"queries/build/{name}.sql has no '{head}' sections")
    return [(title, body.strip()) for title, body in sections]
