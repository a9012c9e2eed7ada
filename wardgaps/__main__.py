"""Command line: ``python -m wardgaps build|check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from wardgaps import config


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


def cmd_check(args: argparse.Namespace) -> int:
    import duckdb

    from wardgaps.check import rules, run_checks, table_hashes

    db = Path(args.db)
    if not db.is_file():
        print(f"No extract at {db}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    failures = run_checks(con)
    for t, h in table_hashes(con).items():
        print(f"{t:<20} {h}")
    con.close()
    if failures:
        for f in failures:
            print(f"FAIL {f.rule}", file=sys.stderr)
            print(f.rows.head(20).to_string(index=False), file=sys.stderr)
        return 1
    print(f"All {len(rules())} data contract rules passed (queries/build/contract.sql).")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    from wardgaps.briefing import build_pack
    from wardgaps.config import is_public

    def progress(f: float, msg: str) -> None:
        print(f"[{f:4.0%}] {msg}", file=sys.stderr, flush=True)

    try:
        data, pack = build_pack(
            args.borough,
            ward=args.ward,
            indicator=args.indicator,
            period=args.period,
            fmt_=args.format,
            public=args.public or is_public(),
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m wardgaps", description="Ward Gaps data tools")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the DuckDB extract from the raw mirror")
    b.add_argument(
        "--raw", default=_raw_default(), help="raw mirror directory (default: $WARDGAPS_RAW or ../shared/data/raw)"
    )
    b.add_argument("--out", default=str(config.DEFAULT_DB), help="extract to write (default: data/wardgaps.duckdb)")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="run the data contract on an extract and print table hashes")
    c.add_argument("--db", default=str(config.DEFAULT_DB))
    c.set_defaults(func=cmd_check)
    r = sub.add_parser("briefing", help="build a ward or indicator briefing pack (PowerPoint or PDF)")
    r.add_argument(
        "--borough",
        default=config.DEFAULT_BOROUGH,
        help=f"local authority code, any in England and Wales (default: {config.DEFAULT_BOROUGH_NAME})",
    )
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--ward", help="current (May-2024) ward code, for a ward pack")
    which.add_argument("--indicator", help="indicator id, for an indicator pack")
    r.add_argument("--period", help="period for an indicator pack (default: latest)")
    r.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    r.add_argument("--public", action="store_true", help="apply disclosure control (also WARDGAPS_PUBLIC=1)")
    r.add_argument("--template", help="the council's PowerPoint template (.pptx or .potx) for a pptx pack")
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_briefing)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
