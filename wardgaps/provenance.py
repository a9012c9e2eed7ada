"""Reproducible views: the extract's data version, what changed since an older one, and the
snippets that re-run a page's queries outside the app.

**Data version.** A short content hash of the extract's observations, the same for the same
figures whatever file holds them (DuckDB files are not byte-for-byte reproducible, so the file is
never hashed). ``queries/data_digests.sql`` gives one digest per (indicator, period); the version
is a hash of those digests. The build and the publish step record it in the extract's
``release_info`` (the data contract checks it against the figures), so a reader knows it without
a pass over them; an extract that records none has it worked out once per file. The public
extract has its own version (its figures are the disclosed ones). (Numbers are hashed as DuckDB
writes them as text: a DuckDB upgrade that changed that text would give the same figures a new
version, which would then be recorded like any other.)

**Older versions.** ``data/versions.json`` is an append-only manifest: each released version
with its per-(indicator, period) digests and the release it came with (``python -m wardgaps
version --record``), and the public extracts' versions likewise (``public_versions``: ``python -m
wardgaps publish --record``). A permalink made on an older version is compared digest by digest
with the current extract, limited to what the page read (the queries it ran, see
:func:`dependencies`).

No Streamlit here; the page furniture is :mod:`wardgaps.ui.reproduce`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from wardgaps import config, db, text
from wardgaps.versions import VERSION_LEN, _key, digests_of, stamp_release, version_of, version_on

__all__ = ["digests_of", "stamp_release", "version_of", "version_on"]

VERSION_RE = re.compile(rf"[0-9a-f]{{{VERSION_LEN}}}")
# Queries that list which periods exist (what the sidebar offers), not figures a page shows: a
# revision of another period does not change the page.
LISTS_ONLY = frozenset({"indicator_periods", "lsoa_periods"})
# Tables that hold figures: a query that reads none of them shows no figure (geography, catalogue).
FIGURE_TABLES = ("observation", "ward_figures", "gap_measures", "gap_trends", "deprivation_quintiles", "trend_markers")
# The views worked out at build time from other indicators' figures too: the population that
# weights the gap measures and quintiles, and the IMD score that orders them.
VIEW_INPUTS = {
    "ward_figures": ("population", "imd_score"),
    "gap_measures": ("population", "imd_score"),
    "gap_trends": ("population", "imd_score"),
    "deprivation_quintiles": ("population", "imd_score"),
}
# An indicator named in a query's own SQL (e.g. the population that weights the slope index).
_SQL_INDICATOR = re.compile(r"indicator_id\s*=\s*'([a-z0-9_]+)'")
EXTRACT = "data/wardgaps.duckdb"  # the path snippets use by default: the committed extract, from the repository root

ABOUT = (
    "Append-only: every released data version of the extract with its per-(indicator, period) content "
    "digests, so a permalink made on an older version can say what changed, and (recorded since the change "
    "log) each source's file checksums, every authority's wards and a digest per indicator and authority, "
    "so python -m wardgaps changes can compare a recorded version without its extract. Add the current one "
    "with: python -m wardgaps version --record --release TEXT"
)
# (indicator_id, period or None for every period); None as a whole: everything in the extract
Deps = frozenset[tuple[str, str | None]] | None


def release_info(r: db.Reader) -> dict[str, str]:
    """What the reader's extract records about itself (empty for one that records nothing)."""
    try:
        d = r.peek("release_info")
    except duckdb.CatalogException:
        return {}
    return dict(zip(d["key"], d["value"], strict=True))


def digests(r: db.Reader) -> dict[str, str]:
    """``"indicator|period"`` → content digest, for the reader's extract (bookkeeping: not one of
    the queries a page shows)."""
    d = r.peek("data_digests")
    return {_key(i, p): g for i, p, g in zip(d["indicator_id"], d["period"], d["digest"], strict=True)}


# --- the manifest of released versions ---------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, which: str) -> tuple[dict, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(data.get(which, []))


def released(path: Path | None = None, public: bool = False) -> list[dict]:
    """Every recorded version, oldest first: ``version``, ``recorded``, ``release``, ``digests``:
    the full extract's, or the public extract's (``public``). A missing or unreadable manifest is
    an empty one (the current version still works)."""
    p = Path(path or config.versions_path())
    try:
        return list(_load(str(p), p.stat().st_mtime_ns, "public_versions" if public else "versions"))
    except (OSError, ValueError):
        return []


def known(r: db.Reader, v: str, path: Path | None = None) -> dict | None:
    """The manifest entry of version ``v`` (of the reader's kind of extract), or the current
    extract's own, or None."""
    for entry in released(path, r.public):
        if entry.get("version") == v:
            return entry
    if v == r.version:
        return {"version": v, "recorded": "", "release": "the current extract", "digests": digests(r)}
    return None


def record(r: db.Reader, release: str, path: Path | None = None, today: dt.date | None = None) -> tuple[str, bool]:
    """Append the reader's extract's version to the manifest (never rewrites an entry): under
    ``versions`` for a full extract, ``public_versions`` (with the full version it was made from)
    for a public one. Returns (version, whether it was added); one already recorded is left."""
    p = Path(path or config.versions_path())
    data = json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}
    entries = data.setdefault("public_versions" if r.public else "versions", [])
    d = digests(r)
    v = version_of(d)
    if any(e.get("version") == v for e in entries):
        return v, False
    data = {"about": ABOUT, **data}
    entry: dict[str, object] = {"version": v, "recorded": (today or dt.date.today()).isoformat(), "release": release}
    if r.public:
        entry["made_from"] = release_info(r).get("made_from", "")
    from wardgaps import releases  # what a later release is compared with (sources, areas, summary)

    entry.update(releases.entry_fields(releases.from_extract(r.path)))
    entries.append(entry)
    p.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return v, True


# --- what a page read, and what changed for it --------------------------------------------------


def dependencies(calls: Iterable[db.Call]) -> Deps:
    """The (indicator, period) figures a page's queries read; None when a query read figures of
    every indicator (e.g. a ward profile) — the safe answer when a query names no indicator."""
    deps: set[tuple[str, str | None]] = set()
    for name, params in calls:
        if name in LISTS_ONLY:
            continue
        sql = db.sql_text(name)
        if not any(t in sql for t in FIGURE_TABLES):  # geography, catalogue and source lists: no figures
            continue
        p = dict(params)
        named = set(_SQL_INDICATOR.findall(sql))
        if "indicator_id" in p:
            deps.add((str(p["indicator_id"]), str(p["period"]) if "period" in p else None))
        elif not named:
            return None
        deps |= {(ind, None) for ind in named}
        deps |= {(ind, None) for t, ids in VIEW_INPUTS.items() if t in sql for ind in ids}
    return frozenset(deps)


def _reads(deps: Deps, key: str) -> bool:
    if deps is None:
        return True
    ind, period = key.split("|", 1)
    return (ind, period) in deps or (ind, None) in deps


def changes(old: dict[str, str], new: dict[str, str], deps: Deps) -> list[tuple[str, str, str]]:
    """(indicator, period, "revised" | "added" | "removed") for every figure set the page read
    whose digest differs between two versions, in key order."""
    out = []
    for k in sorted(old.keys() | new.keys()):
        if old.get(k) == new.get(k) or not _reads(deps, k):
            continue
        kind = "added" if k not in old else "removed" if k not in new else "revised"
        ind, period = k.split("|", 1)
        out.append((ind, period, kind))
    return out


def _release_of(entry: dict) -> str:
    rec = entry.get("recorded")
    return f"{entry.get('release', '')}, recorded {rec}" if rec else str(entry.get("release", ""))


def _describe(r: db.Reader, ind: str, period: str, kind: str) -> str:
    from wardgaps.analysis import indicator_meta  # the catalogue: titles, publisher, release

    m = indicator_meta(r, ind) or {}
    what = f"{m.get('short_title', ind)} {text.period_label(period)}"
    if kind == "removed":
        return f"{what}: no longer in the extract"
    done = "added" if kind == "added" else "revised"
    if m.get("release_date"):
        return f"{what}: {done} in the release of {m['release_date']} by {m.get('publisher', 'its publisher')}"
    return f"{what}: {done}"


def link_check(r: db.Reader, asked: str | None) -> tuple[str | None, str | None]:
    """A permalink's ``v``: (notice to show now, older version to compare each page with).

    Malformed or unknown versions fall back to the current data with a notice; the current
    version needs no word."""
    if asked is None:
        return None, None
    current = r.version
    if asked == current:
        return None, None
    if not VERSION_RE.fullmatch(asked):
        return f"That data version is not valid: showing the current data (version {current}).", None
    if known(r, asked) is None:
        return f"Data version {asked} is not known: showing the current data (version {current}).", None
    return None, asked


def page_notice(r: db.Reader, old_version: str, calls: Iterable[db.Call]) -> str:
    """One sentence: did the figures on this page change since ``old_version`` (a known one)?"""
    entry = known(r, old_version) or {"digests": {}}
    found = changes(entry.get("digests", {}), digests(r), dependencies(calls))
    if not found:
        return f"Nothing on this page changed since data version {old_version} ({_release_of(entry)})."
    items = [_describe(r, *c) for c in found[:3]]
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return (
        f"Values on this page were revised since data version {old_version} ({_release_of(entry)}): "
        f"{'; '.join(items)}{more}. The page shows the current data (version {r.version})."
    )


# --- snippets that re-run a query outside the app -----------------------------------------------


def _plain(value: object) -> object:
    """A parameter as a plain Python value (numpy scalars print as ``np.int64(…)`` otherwise)."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str | bytes) else value


def params_dict(params: tuple[tuple[str, object], ...]) -> dict[str, object]:
    return {k: _plain(v) for k, v in params}


def sql_literal(value: object) -> str:
    """A bound value written as a DuckDB literal (for the command line, which binds by name)."""
    value = _plain(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(sql_literal(x) for x in value) + "]"
    return "'" + str(value).replace("'", "''") + "'"


def params_text(params: tuple[tuple[str, object], ...]) -> str:
    """The bound parameters, one ``$name = value`` a line (or a note that there are none)."""
    if not params:
        return "(no parameters)"
    return "\n".join(f"${k} = {sql_literal(v)}" for k, v in params)


def _statement(name: str) -> str:
    return db.sql_text(name).strip().rstrip(";").rstrip()


def python_snippet(name: str, params: tuple[tuple[str, object], ...], extract: str = EXTRACT) -> str:
    """Python that runs ``queries/<name>.sql`` with these parameters on the extract, as the app does."""
    sql = _statement(name)
    body = f'r"""\n{sql}\n"""' if '"""' not in sql else repr(sql)
    return (
        "import duckdb\n\n"
        f"# queries/{name}.sql\n"
        f"sql = {body}\n"
        f"params = {params_dict(params)!r}\n"
        f'con = duckdb.connect("{extract}", read_only=True)\n'
        "df = con.execute(sql, params).df()\n"
        "print(df)\n"
    )


def cli_script(name: str, params: tuple[tuple[str, object], ...]) -> str:
    """The SQL script for the ``duckdb`` command line: the query prepared, then executed with
    its parameters bound by name (``EXECUTE q(name := value)``)."""
    sql = _statement(name)
    if not params:
        return f"{sql};\n"
    args = ", ".join(f"{k} := {sql_literal(v)}" for k, v in params)
    return f"PREPARE q AS\n{sql};\nEXECUTE q({args});\n"


def cli_snippet(name: str, params: tuple[tuple[str, object], ...], extract: str = EXTRACT) -> str:
    """A shell command: the ``duckdb`` command line reading :func:`cli_script` on the extract."""
    return f"duckdb -readonly {extract} <<'SQL'\n{cli_script(name, params)}SQL\n"
