"""Command line: ``python -m wardgaps build|check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "wardgaps.duckdb"


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

    from wardgaps.check import run_checks, table_hashes

    db = Path(args.db)
    if not db.is_file():
        print(f"No extract at {db}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    failures = run_checks(con)
    for t, h in table_hashes(con).items():
        print(f"{t:<14} {h}")
    con.close()
    if failures:
        for f in failures:
            print(f"FAIL {f.rule}", file=sys.stderr)
            print(f.rows.head(20).to_string(index=False), file=sys.stderr)
        return 1
    print("All data contract checks passed.")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m wardgaps", description="Ward Gaps data tools")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the DuckDB extract from the raw mirror")
    b.add_argument(
        "--raw", default=_raw_default(), help="raw mirror directory (default: $WARDGAPS_RAW or ../shared/data/raw)"
    )
    b.add_argument("--out", default=str(DEFAULT_DB), help="extract to write (default: data/wardgaps.duckdb)")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="run the data contract on an extract and print table hashes")
    c.add_argument("--db", default=str(DEFAULT_DB))
    c.set_defaults(func=cmd_check)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
