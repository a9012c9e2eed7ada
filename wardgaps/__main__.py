"""Command line: ``python -m wardgaps build|publish|check|version|changes|briefing|add|list-local|remove|
add-places|list-places|remove-places|add-areas|list-areas|remove-areas|set-published``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from wardgaps import cli_publish, config, docs, local_areas

T = TypeVar("T")


def _raw_default() -> str:
    return os.environ.get("WARDGAPS_RAW", "../shared/data/raw")


def cmd_build(args: argparse.Namespace) -> int:
    from wardgaps.build import build
    from wardgaps.ingest.common import DataError

    try:
        build(Path(args.raw), Path(args.out))
    except DataError as e:
        print(f"Build failed: {e}", file=sys.stderr)
        print("The existing extract was left unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Build interrupted; the existing extract was left unchanged.", file=sys.stderr)
        return 130
    except Exception as e:  # a bug, not bad data: say so plainly; WARDGAPS_DEBUG=1 shows the traceback
        if os.environ.get("WARDGAPS_DEBUG"):
            raise
        print(f"Build failed with an unexpected error ({type(e).__name__}: {e}).", file=sys.stderr)
        print("The existing extract was left unchanged. Run again with WARDGAPS_DEBUG=1 for details.", file=sys.stderr)
        return 2
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from wardgaps.publish import PublishError, publish

    try:
        local = config.local_path() if args.with_local else None
        done = publish(Path(args.db), Path(args.out), local=local)
    except PublishError as e:
        print(f"Not published: {e} Nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Publishing interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as e:  # a bug, not bad data: say so plainly; WARDGAPS_DEBUG=1 shows the traceback
        if os.environ.get("WARDGAPS_DEBUG"):
            raise
        print(f"Not published: unexpected error ({type(e).__name__}: {e}). Nothing was written.", file=sys.stderr)
        return 2
    if args.record:
        return _record(Path(args.out), True, args.release or f"public extract of data version {done['made_from']}")
    return 0


def _record(path: Path, public: bool, release: str) -> int:
    from wardgaps import db, provenance

    v, added = provenance.record(db.Reader(path, public=public), release)
    print(f"{v} {'added to' if added else 'already in'} {config.versions_path()}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import duckdb

    from wardgaps.check import check_release, rules, run_checks, table_hashes
    from wardgaps.db import SETTINGS

    db = Path(args.db)
    if not db.is_file():
        print(f"No extract at {db}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True, config=dict(SETTINGS))  # as the app opens it
    contract = "public_contract" if args.public else "contract"
    failures = run_checks(con, contract)
    unmet = check_release(con) if args.release else []
    for t, h in table_hashes(con).items():
        print(f"{t:<20} {h}")
    con.close()
    for f in failures:
        print(f"FAIL {f.rule}", file=sys.stderr)
        print(f.rows.head(20).to_string(index=False), file=sys.stderr)
    for sentence in unmet:
        print(sentence, file=sys.stderr)
    if failures or unmet:
        return 1
    print(
        f"All {len(rules(contract))} data contract rules passed "
        f"(queries/build/tables.yaml and queries/build/{contract}/)."
    )
    if args.release:
        print(f"Every fact of this release holds ({config.RELEASE_FACTS.relative_to(config.ROOT)}).")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    from wardgaps import db
    from wardgaps.briefing import build_pack
    from wardgaps.config import is_public

    def progress(f: float, msg: str) -> None:
        print(f"[{f:4.0%}] {msg}", file=sys.stderr, flush=True)

    try:
        reader = db.reader(public=args.public or is_public())
        if reader.public and not reader.path.is_file():
            print(f"Briefing not built: there is no public extract at {reader.path}; make it with make publish.")
            return 1
        data, pack = build_pack(
            reader,
            args.authority,
            ward=args.ward,
            indicator=args.indicator,
            period=args.period,
            areas=args.areas,
            area=args.area,
            similar=args.similar,
            benchmark=args.benchmark,
            fmt_=args.format,
            template=args.template,
            progress=progress,
        )
    except ValueError as e:
        print(f"Briefing not built: {e}.", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"Wrote {out} ({len(pack.slides) + 1} slides/pages; maps by {pack.renderer}).", file=sys.stderr)
    return 0


def _write_local(write: Callable[[], T], what: str) -> tuple[T | None, int]:
    """Run one write to the local layer: refused input is one sentence (exit 1), a bug one
    sentence too (exit 2; ``WARDGAPS_DEBUG=1`` shows the traceback). Nothing is written either way."""
    from wardgaps.local import LocalError

    try:
        return write(), 0
    except LocalError as e:
        print(f"{e} Nothing was written.", file=sys.stderr)
        return None, 1
    except Exception as e:  # a bug, not bad data
        if os.environ.get("WARDGAPS_DEBUG"):
            raise
        print(f"{what} not added: unexpected error ({type(e).__name__}: {e}). Nothing was written.", file=sys.stderr)
        return None, 2


def cmd_add(args: argparse.Namespace) -> int:
    from wardgaps.local import add

    done, code = _write_local(
        lambda: add(Path(args.csv), Path(args.meta), replace=args.replace, published=args.published), "Local data"
    )
    if done is None:
        return code
    verb = "Replaced" if done.replaced else "Added"
    print(
        f"{verb} local indicator {done.indicator_id}: {done.rows} rows, {done.wards} wards, "
        f"periods {', '.join(done.periods)} (sha256 {done.sha256[:12]}) in {done.path}; {_state(done.published)}."
    )
    return 0


def _state(published: bool) -> str:
    return "published" if published else "not published (python -m wardgaps set-published publishes it)"


def cmd_list_local(args: argparse.Namespace) -> int:
    from wardgaps.analysis import WARD_VINTAGE
    from wardgaps.local import listed, print_listing

    def line(r: dict) -> str:
        return (
            f"{r['indicator_id']}: {r['title']} ({r['unit']}, {r['theme']}) · {r['authorities']} · "
            f"{r['wards']} wards · periods {r['periods']} · source {r['source']} · licence {r['licence']} · "
            f"dated {r['date']} · file {r['file_name']} sha256 {r['sha256'][:12]} · "
            f"added {r['added_at']:%Y-%m-%d %H:%M} UTC · {'published' if r['published'] else 'not published'}"
            + (
                f" · on the {r['ward_vintage']} ward set, not the current {WARD_VINTAGE} one: add it again"
                if r["ward_vintage"] != WARD_VINTAGE
                else ""
            )
        )

    return print_listing(listed, line, "No local data")


def cmd_remove(args: argparse.Namespace) -> int:
    from wardgaps.local import LocalError, remove

    try:
        remove(args.id)
    except LocalError as e:
        print(f"{e} Nothing was changed.", file=sys.stderr)
        return 1
    print(f"Removed local indicator {args.id}.")
    return 0


def cmd_add_places(args: argparse.Namespace) -> int:
    from wardgaps.local_places import add_places

    done, code = _write_local(lambda: add_places(Path(args.csv), args.replace, args.published), "Places")
    if done is None:
        return code
    where = ", ".join(f"{code} ({n})" for code, n in sorted(done.authorities.items()))
    print(
        f"Added {done.rows} place{'s' if done.rows != 1 else ''} ({', '.join(done.kinds)}) in {where} "
        f"(sha256 {done.sha256[:12]}) in {done.path}; {_state(done.published)}."
    )
    return 0


def cmd_list_places(args: argparse.Namespace) -> int:
    from wardgaps.local import print_listing
    from wardgaps.local_places import stored

    def line(r: dict) -> str:
        return (
            f"{r['name']} ({r['kind']}) · {r['authority_name']} {r['authority_code']} · "
            f"latitude {r['lat']:.5f}, longitude {r['lon']:.5f} · file {r['file_name']} "
            f"sha256 {r['file_sha256'][:12]} · added {r['added_at']:%Y-%m-%d %H:%M} UTC · "
            + ("published" if r["published"] else "not published")
        )

    return print_listing(stored, line, "No places")


def cmd_remove_places(args: argparse.Namespace) -> int:
    from wardgaps.local import LocalError
    from wardgaps.local_places import remove_places

    if not args.all and args.kind is None:
        print("Say which places to remove: --kind KIND, or --all.", file=sys.stderr)
        return 2
    try:
        n = remove_places(None if args.all else args.kind)
    except LocalError as e:
        print(f"{e} Nothing was changed.", file=sys.stderr)
        return 1
    print(f"Removed {n} place{'s' if n != 1 else ''}" + (f" of the kind {args.kind}." if not args.all else "."))
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    from wardgaps import db, provenance

    path = Path(args.db)
    if not path.is_file():
        print(f"No extract at {path}", file=sys.stderr)
        return 2
    public = args.public
    if not args.record:
        v = db.Reader(path, public=public).version
        note = (
            "recorded" if any(e.get("version") == v for e in provenance.released(public=public)) else "not recorded yet"
        )
        print(f"{v} ({note} in {config.versions_path()})")
        return 0
    if not args.release:
        print("--record needs --release TEXT: the release this data version came with.", file=sys.stderr)
        return 2
    return _record(path, public, args.release)


def cmd_changes(args: argparse.Namespace) -> int:
    from wardgaps.changelog import ChangesError, as_json, changes, text

    try:
        log = changes(args.old, args.new)
    except ChangesError as e:
        print(e, file=sys.stderr)
        return 2
    sys.stdout.write(as_json(log) if args.json else text(log))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m wardgaps", description="Ward Gaps data tools")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the DuckDB extract from the raw mirror")
    b.add_argument(
        "--raw", default=_raw_default(), help="raw mirror directory (default: $WARDGAPS_RAW or ../shared/data/raw)"
    )
    b.add_argument("--out", default=str(config.DEFAULT_DB), help="extract to write (default: data/wardgaps.duckdb)")
    b.set_defaults(func=cmd_build)
    pb = sub.add_parser(
        "publish", help="make the public extract from the full one: the disclosure rules applied once, views worked out"
    )
    pb.add_argument("--db", default=str(config.db_path()), help="the full extract (default: data/wardgaps.duckdb)")
    pb.add_argument("--out", default=str(config.public_path()), help="the public extract (default: data/public.duckdb)")
    pb.add_argument(
        "--with-local",
        action="store_true",
        help="publish the council's local data and places too (data/local.duckdb): only the items marked "
        "published (set-published), disclosed like the rest",
    )
    pb.add_argument("--record", action="store_true", help="append its data version to data/versions.json")
    pb.add_argument("--release", help="with --record: the release it came with")
    pb.set_defaults(func=cmd_publish)
    c = sub.add_parser("check", help="run the data contract on an extract and print table hashes")
    c.add_argument("--db", default=str(config.DEFAULT_DB))
    c.add_argument("--public", action="store_true", help="the public extract's own contract")
    c.add_argument(
        "--release", action="store_true", help="also check the facts of this release (data/release_facts.yaml)"
    )
    c.set_defaults(func=cmd_check)
    v = sub.add_parser("version", help="print the extract's data version; --record adds it to data/versions.json")
    v.add_argument("--db", default=str(config.db_path()))
    v.add_argument("--public", action="store_true", help="the extract is a public one (its own list of versions)")
    v.add_argument("--record", action="store_true", help="append this version to the manifest (append-only)")
    v.add_argument("--release", help="with --record: the release it came with, e.g. 'DWP FYE 2026 release'")
    v.set_defaults(func=cmd_version)
    ch = sub.add_parser("changes", help="what changed between two releases: periods, revised values, areas, sources")
    ch.add_argument("old", help="an extract file, or a data version recorded in data/versions.json")
    ch.add_argument("new", help="an extract file, or a data version recorded in data/versions.json")
    ch.add_argument("--json", action="store_true", help="the change log as JSON")
    ch.set_defaults(func=cmd_changes)
    r = sub.add_parser("briefing", help="build a ward or indicator briefing pack (PowerPoint or PDF)")
    r.add_argument(
        "--authority",
        "--borough",  # its earlier name, kept so scripts written for it still run
        dest="authority",
        default=config.DEFAULT_AUTHORITY,
        help=f"local authority code, any in England and Wales (default: {config.DEFAULT_AUTHORITY_NAME})",
    )
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--ward", help="current (May-2024) ward code, for a ward pack")
    which.add_argument("--indicator", help="indicator id, for an indicator pack")
    which.add_argument("--area", help="an area's name, for an area pack (with --areas, the set it is in)")
    r.add_argument("--areas", help="with --area: the council's area set (see list-areas)")
    r.add_argument("--period", help="period for an indicator pack (default: latest)")
    r.add_argument(
        "--similar", action="store_true", help="compare with the authority's 10 similar authorities too (as ?similar=1)"
    )
    r.add_argument("--benchmark", metavar="CODE", help="compare with this authority too (as ?benchmark=CODE)")
    r.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    r.add_argument(
        "--public", action="store_true", help="from the public extract, as the public view (also WARDGAPS_PUBLIC=1)"
    )
    r.add_argument("--template", help="the council's PowerPoint template (.pptx or .potx) for a pptx pack")
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_briefing)
    a = sub.add_parser("add", help="load the council's own ward data (a CSV and its YAML metadata) as local data")
    a.add_argument("--csv", required=True, help="ward_code, period, value[, numerator, denominator, period_start]")
    a.add_argument("--meta", required=True, help="YAML: id, title, unit, polarity, theme, source, licence, date")
    a.add_argument("--replace", action="store_true", help="replace a local indicator with the same id")
    a.add_argument("--published", action="store_true", help="publish it at once (default: not published)")
    a.set_defaults(func=cmd_add)
    ls = sub.add_parser("list-local", help="list the local indicators and their provenance")
    ls.set_defaults(func=cmd_list_local)
    rm = sub.add_parser("remove", help="remove a local indicator")
    rm.add_argument("id", help="the local indicator's id")
    rm.set_defaults(func=cmd_remove)
    ap = sub.add_parser("add-places", help="load the council's own places (a CSV) for the Need around places view")
    ap.add_argument("--csv", required=True, help="name, kind, and latitude, longitude or easting, northing")
    ap.add_argument("--replace", action="store_true", help="replace the stored places of the kinds in the file")
    ap.add_argument("--published", action="store_true", help="publish them at once (default: not published)")
    ap.set_defaults(func=cmd_add_places)
    lp = sub.add_parser("list-places", help="list the council's own places")
    lp.set_defaults(func=cmd_list_places)
    rp = sub.add_parser("remove-places", help="remove the council's own places (of one kind, or all)")
    which_places = rp.add_mutually_exclusive_group()
    which_places.add_argument("--kind", help="remove the places of this kind")
    which_places.add_argument("--all", action="store_true", help="remove every place")
    rp.set_defaults(func=cmd_remove_places)
    local_areas.add_parsers(sub)
    cli_publish.add_parser(sub)
    docs.add_parser(sub)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
