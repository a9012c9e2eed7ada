"""The registries (``data/sources.yaml``, ``data/indicators.yaml``) as extract tables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import yaml

from wardgaps.ingest.common import DataError, sha256

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
SOURCE_FIELDS = ("publisher", "title", "url", "licence", "attribution", "release_date", "next_release")


def load_registry(name: str) -> dict[str, dict]:
    """A registry (sources.yaml, indicators.yaml) from data/, or from ``WARDGAPS_REGISTRY_DIR``
    (tests use it to build extracts with hostile labels)."""
    path = Path(os.environ.get("WARDGAPS_REGISTRY_DIR", DATA_DIR)) / name
    try:
        with open(path, encoding="utf-8") as f:
            reg = yaml.safe_load(f)
    except FileNotFoundError as e:
        raise DataError(path, "file missing") from e
    except yaml.YAMLError as e:
        raise DataError(path, f"not valid YAML ({type(e).__name__})") from e
    if not isinstance(reg, dict):
        raise DataError(path, "expected a mapping of ids to entries")
    return reg


def sources_table(raw: Path) -> pd.DataFrame:
    """One row per source, with the sha256 of every raw file the build reads from it."""
    rows = []
    for sid, s in load_registry("sources.yaml").items():
        files = []
        for rel in s["files"]:
            p = raw / rel
            if not p.is_file():
                raise DataError(p, "file missing")
            files.append({"file": rel, "sha256": sha256(p)})
        rows.append({"source_id": sid, **{k: s[k] for k in SOURCE_FIELDS}, "raw_files": json.dumps(files)})
    return pd.DataFrame(rows)


def indicators_table() -> pd.DataFrame:
    """One row per registered indicator."""
    reg = load_registry("indicators.yaml")
    return pd.DataFrame([{"indicator_id": k, **v} for k, v in reg.items()])
