"""Ward Gaps' settings in one plain module: where things are, what is shown by default, and
whether this server is the public view. No Streamlit here, so the CLI and tests share it."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "wardgaps.duckdb"
DEFAULT_PUBLIC = ROOT / "data" / "public.duckdb"  # the public extract (made by publish; git-ignored)
DEFAULT_LOCAL = ROOT / "data" / "local.duckdb"  # the council's own ward data (git-ignored)
DEFAULT_VERSIONS = ROOT / "data" / "versions.json"
RELEASE_FACTS = ROOT / "data" / "release_facts.yaml"  # facts of this release: check --release

DEFAULT_AUTHORITY = "E09000019"  # Islington
DEFAULT_AUTHORITY_NAME = "Islington"
DEFAULT_INDICATOR = "child_poverty_ahc_dwp"


def db_path() -> Path:
    """The extract in use: ``WARDGAPS_DB`` or the committed ``data/wardgaps.duckdb``."""
    return Path(os.environ.get("WARDGAPS_DB", DEFAULT_DB))


def public_path() -> Path:
    """The public extract the public view reads: ``WARDGAPS_PUBLIC_DB`` or ``data/public.duckdb``
    (made from the full extract by ``python -m wardgaps publish``)."""
    return Path(os.environ.get("WARDGAPS_PUBLIC_DB", DEFAULT_PUBLIC))


def local_path() -> Path:
    """The local layer (the council's own ward data): ``WARDGAPS_LOCAL`` or ``data/local.duckdb``.

    Kept apart from the extract, so rebuilding the extract never loses it; written only by the
    command line (``python -m wardgaps add``), never by a request."""
    return Path(os.environ.get("WARDGAPS_LOCAL", DEFAULT_LOCAL))


def versions_path() -> Path:
    """The manifest of released data versions: ``WARDGAPS_VERSIONS`` or ``data/versions.json``."""
    return Path(os.environ.get("WARDGAPS_VERSIONS", DEFAULT_VERSIONS))


def is_public() -> bool:
    """The public transparency view, which reads only the public extract: ``WARDGAPS_PUBLIC=1``."""
    return os.environ.get("WARDGAPS_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")
