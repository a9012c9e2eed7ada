"""The council's own areas: named sets of areas, each area a group of current wards of one authority
(the wards a community hub serves, a committee's wards). The local layer's ``area_sets`` and
``area_wards`` tables, written only by ``python -m wardgaps add-areas|remove-areas``.

An areas CSV has two columns, ``area_name`` and ``ward_code``: one row per ward of an area. A set
need not cover every ward, but a ward is in at most one area of a set and an area's wards are all
of one authority. Every row is checked before anything is written; a refusal is one sentence naming
the row and the rule, and the layer is written as a checked copy renamed over the old one
(:func:`wardgaps.local._writing`), so a refused file writes nothing. A set is published (carried
into the public extract by ``python -m wardgaps publish --with-local``) only when added with
``--published``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps import config, db
from wardgaps.analysis.catalogue import WARD_VINTAGE
from wardgaps.local import _readable, _writing, print_listing, ward_sets
from wardgaps.local_files import LocalError, csv_header, csv_lines, rows_frame

COLUMNS = ("area_name", "ward_code")
NAME_MAX = 80
# A set's name goes into links (?areas=NAME): letters, digits, spaces and a few marks.
_SET = re.compile(r"[^\W_][\w .'&()-]{0,59}")
_CONTROL = re.compile(r"[\n\r\t\x00-\x1f<>]")


@dataclass
class AreasAdded:
    """What ``add_areas`` wrote: the set, its areas and wards per authority, the file's checksum."""

    set_name: str
    areas: int
    wards: int
    authorities: dict[str, int]
    published: bool
    sha256: str
    path: Path
    replaced: bool


def read_areas(path: Path) -> pd.DataFrame:
    """The CSV as text cells (``area_name``, ``ward_code``, ``line``), both columns present."""
    name = Path(path).name
    lines = csv_lines(path, "areas file")
    header = csv_header(lines, f"The areas file {name}")
    for c in COLUMNS:
        if c not in header:
            raise LocalError(f"The areas file {name} has no '{c}' column (required: area_name, ward_code).")
    extra = [c for c in header if c not in COLUMNS]
    if extra:
        raise LocalError(f"The areas file {name} has an unknown column '{extra[0]}' (only area_name, ward_code).")
    return rows_frame(lines, header, f"The areas file {name}")


def check_areas(df: pd.DataFrame) -> pd.DataFrame:
    """The rows as area wards (line, area_name, ward_code, authority_code), or :class:`LocalError`
    at the first bad row."""
    current, vintages = ward_sets()
    spelt: dict[str, tuple[str, int]] = {}  # an area's name (casefolded) -> as first spelt, its row
    authority_of: dict[str, tuple[str, int]] = {}  # an area -> its authority, the row that set it
    ward_in: dict[str, tuple[str, int]] = {}  # a ward -> its area, its row
    out = []
    for r in df.to_dict("records"):
        line, area, code = r["line"], r["area_name"], r["ward_code"].upper()
        if area == "":
            raise LocalError(f"Row {line}: the area name is empty.")
        if _CONTROL.search(area):
            raise LocalError(f"Row {line}: the area name holds a line break, tab or angle bracket; use plain words.")
        if len(area) > NAME_MAX:
            raise LocalError(f"Row {line}: the area name is longer than {NAME_MAX} characters.")
        if code == "":
            raise LocalError(f"Row {line}: the ward code is empty.")
        if code not in current:
            if code in vintages:
                sets = " and ".join(str(v) for v in sorted(vintages[code]))
                raise LocalError(
                    f"Row {line}: ward code {code} is a ward of the {sets} ward set, not of the current "
                    f"({WARD_VINTAGE}) ward set; areas are made of current wards."
                )
            raise LocalError(f"Row {line}: ward code {code} is not a ward of the current ward set.")
        key = area.casefold()
        if key in spelt and spelt[key][0] != area:
            first, at = spelt[key]
            raise LocalError(f"Row {line}: the area '{area}' is spelt '{first}' in row {at}; spell it the same way.")
        spelt.setdefault(key, (area, line))
        if code in ward_in:
            other, at = ward_in[code]
            if other == area:
                raise LocalError(f"Row {line}: area '{area}' and ward {code} are already given in row {at}.")
            raise LocalError(
                f"Row {line}: ward {code} is already in the area '{other}' (row {at}); a ward can be in only one "
                "area of a set."
            )
        ward_in[code] = (area, line)
        authority = current[code]
        if key in authority_of and authority_of[key][0] != authority:
            other, at = authority_of[key]
            raise LocalError(
                f"Row {line}: ward {code} is in authority {authority}, but the area '{area}' already has wards of "
                f"authority {other} (row {at}); an area's wards must all be in one authority."
            )
        authority_of.setdefault(key, (authority, line))
        out.append({"line": line, "area_name": area, "ward_code": code, "authority_code": authority})
    return pd.DataFrame(out)


def check_set_name(name: str) -> str:
    """The set's name as given, or :class:`LocalError` when it cannot go into a link."""
    name = name.strip()
    if not _SET.fullmatch(name):
        raise LocalError(
            f"The set name '{name[:60]}' must start with a letter or digit and hold only letters, digits, spaces "
            "and . ' & ( ) - (at most 60 characters)."
        )
    return name


def listed() -> pd.DataFrame:
    """The area sets in the local layer, one row per set and authority (empty when there are none)."""
    r = db.reader(public=False)
    if not r.has_local() or not bool(r.query("local_areas_present")["present"].iloc[0]):
        return pd.DataFrame(columns=["set_name", "published", "authority_code", "authority_name", "areas", "wards"])
    return r.query("area_set_list", authority_code=None)


def add_areas(csv_file: Path, set_name: str, published: bool = False, replace: bool = False) -> AreasAdded:
    """Check an areas CSV and write it into the local layer as the set ``set_name`` (atomically)."""
    csv_file = Path(csv_file)
    target = config.local_path()
    _readable(target)
    set_name = check_set_name(set_name)
    rows = check_areas(read_areas(csv_file))
    have = {s.casefold(): s for s in listed()["set_name"]}
    exists = set_name.casefold() in have
    if exists and not replace:
        raise LocalError(f"The area set '{have[set_name.casefold()]}' is already loaded; add --replace to replace it.")
    sha = hashlib.sha256(csv_file.read_bytes()).hexdigest()
    with _writing(target) as con:
        con.execute(db.local_sql("areas_schema"))
        if exists:
            _delete(con, have[set_name.casefold()])
        s = pd.DataFrame(
            [
                {
                    "set_name": set_name,
                    "published": bool(published),
                    "areas": rows["area_name"].nunique(),
                    "wards": len(rows),
                    "file_name": csv_file.name,
                    "file_sha256": sha,
                    "added_at": dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
                }
            ]
        )
        con.from_df(s[con.table("area_sets").columns]).insert_into("area_sets")
        w = rows.assign(set_name=set_name)
        con.from_df(w[con.table("area_wards").columns]).insert_into("area_wards")
    per = rows.groupby("authority_code")["area_name"].nunique().to_dict()
    return AreasAdded(set_name, rows["area_name"].nunique(), len(rows), per, bool(published), sha, target, exists)


def set_areas_published(set_name: str, published: bool = True) -> str:
    """Publish (or unpublish) one area set (atomically); the set's name as stored."""
    target = config.local_path()
    _readable(target)
    have = {s.casefold(): s for s in listed()["set_name"]}
    if set_name.casefold() not in have:
        raise LocalError(f"There is no area set called '{set_name}' (see list-areas).")
    with _writing(target) as con:
        con.execute(db.local_sql("areas_schema"))
        con.execute(
            db.local_sql("set_area_set_published"), {"set_name": have[set_name.casefold()], "published": published}
        )
    return have[set_name.casefold()]


def _delete(con: duckdb.DuckDBPyConnection, set_name: str) -> None:
    for name in ("delete_areas", "delete_area_set"):
        con.execute(db.local_sql(name), {"set_name": set_name})


def remove_areas(set_name: str) -> None:
    """Remove one area set from the local layer (atomically)."""
    target = config.local_path()
    _readable(target)
    have = {s.casefold(): s for s in listed()["set_name"]}
    if set_name.strip().casefold() not in have:
        raise LocalError(f"There is no area set '{set_name[:60]}' (see list-areas).")
    with _writing(target) as con:
        _delete(con, have[set_name.strip().casefold()])


# --- the command line -------------------------------------------------------------------------------
def cmd_add_areas(args: argparse.Namespace) -> int:
    try:
        done = add_areas(Path(args.csv), args.set, published=args.published, replace=args.replace)
    except LocalError as e:
        print(f"{e} Nothing was written.", file=sys.stderr)
        return 1
    except Exception as e:  # a bug, not bad data; WARDGAPS_DEBUG=1 shows the traceback
        if os.environ.get("WARDGAPS_DEBUG"):
            raise
        print(f"Areas not added: unexpected error ({type(e).__name__}: {e}). Nothing was written.", file=sys.stderr)
        return 2
    where = ", ".join(f"{a} ({n} areas)" for a, n in sorted(done.authorities.items()))
    print(
        f"{'Replaced' if done.replaced else 'Added'} area set '{done.set_name}': {done.areas} areas of "
        f"{done.wards} wards in {where}, {'published' if done.published else 'not published'} "
        f"(sha256 {done.sha256[:12]}) in {done.path}."
    )
    return 0


def cmd_list_areas(args: argparse.Namespace) -> int:
    def line(r: dict) -> str:
        return (
            f"{r['set_name']} · {r['authority_name']} {r['authority_code']} · {r['areas']} areas · {r['wards']} wards"
            f" · {'published' if r['published'] else 'not published'} · file {r['file_name']} "
            f"sha256 {r['file_sha256'][:12]} · added {r['added_at']:%Y-%m-%d %H:%M} UTC"
        )

    return print_listing(listed, line, "No area sets")


def cmd_remove_areas(args: argparse.Namespace) -> int:
    try:
        remove_areas(args.set)
    except LocalError as e:
        print(f"{e} Nothing was changed.", file=sys.stderr)
        return 1
    print(f"Removed area set '{args.set}'.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Declare ``add-areas``, ``list-areas`` and ``remove-areas`` on the command line's subparsers."""
    a = sub.add_parser("add-areas", help="load a set of the council's own areas (groups of wards, a CSV)")
    a.add_argument("--csv", required=True, help="area_name, ward_code: one row per ward of an area")
    a.add_argument("--set", required=True, help="the set's name, as links name it (?areas=NAME)")
    a.add_argument("--published", action="store_true", help="carry this set into the public extract when published")
    a.add_argument("--replace", action="store_true", help="replace a set with the same name")
    a.set_defaults(func=cmd_add_areas)
    ls = sub.add_parser("list-areas", help="list the council's area sets")
    ls.set_defaults(func=cmd_list_areas)
    rm = sub.add_parser("remove-areas", help="remove one of the council's area sets")
    rm.add_argument("--set", required=True, help="the set's name")
    rm.set_defaults(func=cmd_remove_areas)
