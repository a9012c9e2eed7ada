"""Data and methods: what changed in this release, from the change log the build or the publish
step stored in the extract (``release_info``'s ``changes``, :mod:`wardgaps.changelog`), so a page
works nothing out per request."""

from __future__ import annotations

import json

import pandas as pd

from wardgaps import text
from wardgaps.analysis.catalogue import indicator_meta
from wardgaps.db import Reader


def release_changes(r: Reader) -> dict | None:
    """The stored change log against the previous recorded version; None when the extract has none."""
    d = r.query("release_info")
    stored = dict(zip(d["key"], d["value"], strict=True)).get("changes")
    return json.loads(stored) if stored else None


def _value(x: float | None) -> str:
    return "no figure" if x is None else f"{x:,.6g}"


def release_changes_table(r: Reader, log: dict) -> pd.DataFrame:
    """One row per indicator with periods added or figures revised: what, and the largest revision
    (its area, authority, old and new value) where the previous release's extract was at hand."""
    rows: dict[str, dict] = {}
    for ind, periods in log["periods_added"].items():
        rows.setdefault(ind, {})["added"] = ", ".join(text.period_label(p) for p in periods)
    for rv in log["revised"]["indicators"]:
        row = rows.setdefault(rv["indicator_id"], {})
        row["revised"] = ", ".join(text.period_label(p) for p in rv["periods"])
        if log["revised"]["exact"]:
            big = rv["largest"]
            where = (
                big["geo_name"]
                if big["geo_code"] == big["authority_code"]
                else (f"{big['geo_name']} ({big['authority_name']})")
            )
            row["values"] = rv["values"]
            row["authorities"] = rv["authorities"]
            row["largest"] = (
                f"{where}, {text.period_label(big['period'])}: {_value(big['old'])} to {_value(big['new'])}"
            )
        else:
            row["authorities"] = rv["authorities"]
    out = [
        {"indicator_id": ind, "indicator": (indicator_meta(r, ind) or {}).get("short_title", ind), **row}
        for ind, row in sorted(rows.items())
    ]
    cols = ["indicator_id", "indicator", "added", "revised", "values", "authorities", "largest"]
    return pd.DataFrame(out, columns=cols)


def release_changes_summary(log: dict) -> str:
    """One sentence: what changed since the previous recorded version."""
    added = sum(len(p) for p in log["periods_added"].values())
    rv = log["revised"]
    revised = (
        f"{rv['values']:,} figure{'s' if rv['values'] != 1 else ''} revised"
        if rv["exact"]
        else f"figures revised in {len(rv['indicators'])} indicator{'s' if len(rv['indicators']) != 1 else ''}"
    )
    a = log.get("areas")
    wards = (
        "areas not recorded with it"
        if a is None
        else f"{len(a['wards_added'])} wards added and {len(a['wards_removed'])} removed"
    )
    n_src = len(log["sources"]) if log.get("sources") is not None else None
    sources = "" if n_src is None else f"; {n_src} source{'s' if n_src != 1 else ''} with changed files"
    return (
        f"Since data version {log['old']['version']}: {added} period{'s' if added != 1 else ''} added, {revised}, "
        f"{wards}{sources}."
    )
