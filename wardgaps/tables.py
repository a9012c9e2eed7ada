"""The extract's tables, declared once in ``queries/build/tables.yaml``, and what is made from them:
the DDL, the generic rules of the data contract, the table list, the table-hash queries and the
order each table's rows are written in.

The only module that writes SQL text in Python: small templates filled in with identifiers and
accepted values read from the declaration (a file in the repository, never user input), each
checked against a plain-identifier pattern before use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DECLARATION = Path(__file__).resolve().parent.parent / "queries" / "build" / "tables.yaml"

_IDENT = re.compile(r"[a-z_][a-z0-9_]*")
_TYPES = {"varchar", "integer", "double", "date", "boolean"}
# Accepted values are written into the rules as SQL literals: plain words only.
_VALUE = re.compile(r"[A-Za-z0-9_ .%£-]+")


def _ident(name: str) -> str:
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ValueError(f"tables.yaml: {name!r} is not a plain identifier")
    return name


@dataclass(frozen=True)
class Reference:
    """Columns of a table that must name a row of another (same column names there)."""

    columns: tuple[str, ...]
    table: str


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: dict[str, str]  # name -> type, in table order
    not_null: tuple[str, ...]  # declared in the DDL
    key: tuple[str, ...]
    order: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    required: tuple[str, ...] = ()  # checked not null, not declared so
    references: tuple[Reference, ...] = ()
    accepted: dict[str, object] = field(default_factory=dict)

    def checked_not_null(self) -> list[str]:
        """Every column the contract checks not null: key, declared and required, in table order."""
        want = set(self.key) | set(self.not_null) | set(self.required)
        return [c for c in self.columns if c in want]


def _table(name: str, spec: dict) -> Table:
    columns, not_null = {}, []
    for col, decl in spec["columns"].items():
        typ, _, rest = str(decl).partition(" ")
        if typ not in _TYPES or rest not in ("", "not null"):
            raise ValueError(f"tables.yaml: {name}.{col}: unknown type {decl!r}")
        columns[_ident(col)] = typ
        if rest:
            not_null.append(col)
    key = tuple(spec.get("key", ()))
    t = Table(
        name=_ident(name),
        about=" ".join(str(spec.get("about", "")).split()),
        columns=columns,
        not_null=tuple(not_null),
        key=key,
        order=tuple(spec.get("order", key)),
        unique=tuple(tuple(u) for u in spec.get("unique", ())),
        required=tuple(spec.get("required", ())),
        references=tuple(Reference(tuple(r["columns"]), _ident(r["table"])) for r in spec.get("references", ())),
        accepted=dict(spec.get("accepted", {})),
    )
    named = [*t.key, *t.order, *t.required, *t.accepted, *(c for u in t.unique for c in u)]
    named += [c for r in t.references for c in r.columns]
    unknown = [c for c in named if c not in columns]
    if unknown:
        raise ValueError(f"tables.yaml: {name} has no column {unknown[0]!r}")
    return t


@cache
def declared(path: Path = DECLARATION) -> dict[str, Table]:
    """Every table of the extract, by name, in the declaration's order."""
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    tables = {name: _table(name, t) for name, t in spec["tables"].items()}
    for t in tables.values():
        for r in t.references:
            target = tables.get(r.table)
            if target is None or any(c not in target.columns for c in r.columns):
                raise ValueError(f"tables.yaml: {t.name} references {r.table}({', '.join(r.columns)}): no such columns")
    return tables


def names() -> list[str]:
    """The extract's tables, in declaration order (what ``check`` hashes)."""
    return list(declared())


def order(table: str) -> list[str]:
    """The columns a table's rows are written (sorted) in: its key unless declared otherwise."""
    return list(declared()[table].order)


# --- SQL made from the declaration: the templates, all in one place ---------------------------


def _cols(cols: tuple[str, ...] | list[str], alias: str = "") -> str:
    return ", ".join(f"{alias}{c}" for c in cols)


def ddl() -> str:
    """The ``create table`` statements of every table, columns in declared order."""
    out = []
    for t in declared().values():
        lines = [f"    {c} {typ}{' not null' if c in t.not_null else ''}" for c, typ in t.columns.items()]
        out.append(f"create table {t.name} (\n" + ",\n".join(lines) + "\n);\n")
    return "\n".join(out)


def _literal(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"tables.yaml: accepted value {value!r} is not a word or number")
    if isinstance(value, str):
        if not _VALUE.fullmatch(value):
            raise ValueError(f"tables.yaml: accepted value {value!r} is not a plain word")
        return f"'{value}'"
    return repr(value)


def _unique_rule(t: Table, cols: tuple[str, ...], label: str) -> tuple[str, str]:
    sql = f"select {_cols(cols)}, count(*) as n from {t.name} group by {_cols(cols)} having count(*) > 1"
    return f"{t.name}: {label} ({', '.join(cols)}) unique", sql


def _accepted_rule(t: Table, col: str, spec: object) -> tuple[str, str]:
    shown = _cols(dict.fromkeys([*t.key, col]))
    if isinstance(spec, dict):
        lo, hi = _literal(spec["min"]), _literal(spec["max"])
        return f"{t.name}: {col} within {lo}-{hi}", f"select {shown} from {t.name} where {col} < {lo} or {col} > {hi}"
    values = ", ".join(_literal(v) for v in spec)
    sql = f"select {shown} from {t.name} where {col} is not null and {col} not in ({values})"
    return f"{t.name}: {col} one of {', '.join(str(v) for v in spec)}", sql


def generic_rules() -> list[tuple[str, str]]:
    """(rule, query returning the rows that break it) for every table: key (and other unique
    column sets) unique, key and required columns not null, every reference present, every
    accepted-values column within its values. Null keys of a reference are not exempt."""
    rules = []
    for t in declared().values():
        if t.key:
            rules.append(_unique_rule(t, t.key, "key"))
        rules += [_unique_rule(t, u, "columns") for u in t.unique]
        nn = t.checked_not_null()
        if nn:
            where = " or ".join(f"{c} is null" for c in nn)
            rules.append((f"{t.name}: not null ({', '.join(nn)})", f"select {_cols(nn)} from {t.name} where {where}"))
        for r in t.references:
            on = " and ".join(f"a.{c} = b.{c}" for c in r.columns)
            sql = f"select distinct {_cols(r.columns, 'a.')} from {t.name} as a anti join {r.table} as b on {on}"
            rules.append((f"{t.name}: ({', '.join(r.columns)}) present in {r.table}", sql))
        rules += [_accepted_rule(t, c, spec) for c, spec in t.accepted.items()]
    return rules


CHANGE_LOG_EXCLUDED = " where key != 'changes'"


def hash_queries() -> list[tuple[str, str]]:
    """(table, query) giving every row of each table as text, sorted: ``check`` hashes them to
    compare two extracts whatever order the rows were written in."""
    # The change log a build stores (release_info's "changes") depends on the extract it replaced
    # and on the versions recorded, not on the figures: two builds from the same raw files differ
    # there only, so it is left out of the hash.
    return [
        (t, f"select cast({t} as varchar) as r from {t}{CHANGE_LOG_EXCLUDED if t == 'release_info' else ''} order by r")
        for t in declared()
    ]
