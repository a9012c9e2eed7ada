"""Releases and their change log: what one release of an extract holds, in a form small enough to
record in ``data/versions.json``, and what changed between two releases.

A release is read either from an extract file (everything, values included) or from its entry
in the manifest (what was recorded with it). An entry holds, besides the data version and its
per-(indicator, period) digests: each source's raw files with their checksums (``sources``),
every authority's current wards as ranges of codes (``areas``) and a 12-bit digest of each
indicator's figures in each authority (``summary``, packed two characters an authority). That
is enough to say, without the old extract, which periods were added, in which indicators,
periods and authorities figures were revised, which wards and authorities came or went and
which sources' files changed; the revised values themselves (how many, old and new) need both
extracts. The comparison itself is :mod:`wardgaps.changelog`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps.db import connect
from wardgaps.meta import WARD_VINTAGE
from wardgaps.sqltext import changes_sql
from wardgaps.versions import digests_of, version_on

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
CHECKSUM_LEN = 16  # hex digits of a raw file's sha256 kept in the manifest
_RUN = re.compile(r"([A-Z]\d{2})(\d{6})")


@dataclass
class Release:
    """One release, as an extract shows it or as its manifest entry recorded it."""

    version: str
    label: str  # where it came from: an extract's path, or the release text of a recorded version
    public: bool
    digests: dict[str, str]  # "indicator|period" -> digest
    sources: dict[str, dict[str, str]] | None = None  # source -> {file: sha256 (first 16)}
    wards: dict[str, set[str]] | None = None  # authority -> its current wards' codes
    summary: dict[str, dict[str, str]] | None = None  # indicator -> {authority: 12-bit digest}
    names: dict[str, str] = field(default_factory=dict)  # area code -> name (extracts only)
    path: Path | None = None  # the extract file, when read from one (values can be compared)

    def periods(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k in self.digests:
            ind, period = k.split("|", 1)
            out.setdefault(ind, set()).add(period)
        return out


# --- reading a release from an extract ----------------------------------------------------------


def _sources(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    from wardgaps.sqltext import sql_text

    out = {}
    for sid, files in con.execute(sql_text("sources_list")).df()[["source_id", "raw_files"]].itertuples(index=False):
        out[sid] = {f["file"]: f["sha256"][:CHECKSUM_LEN] for f in json.loads(files or "[]")}
    return out


def _areas(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, set[str]], dict[str, str]]:
    d = con.execute(changes_sql("areas"), {"ward_vintage": WARD_VINTAGE}).df()
    wards: dict[str, set[str]] = {a: set() for a in d.loc[d["geo_type"] == "authority", "geo_code"]}
    for code, auth in d.loc[d["geo_type"] == "ward", ["geo_code", "authority_code"]].itertuples(index=False):
        wards.setdefault(auth, set()).add(code)
    return wards, dict(zip(d["geo_code"], d["geo_name"], strict=True))


def authority_digests(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, dict[str, str]]:
    """indicator -> {authority: 3-hex-digit digest of its figures}, over the given keys only."""
    d = con.execute(changes_sql("authority_digests"), {"keys": sorted(keys)}).df()
    out: dict[str, dict[str, str]] = {}
    for ind, auth, dig in d.itertuples(index=False):
        out.setdefault(ind, {})[auth] = dig
    return out


def from_connection(con: duckdb.DuckDBPyConnection, label: str, path: Path | None = None) -> Release:
    """The release open on ``con`` (a build's or publish step's new extract, or one opened to compare)."""
    from wardgaps.sqltext import sql_text

    digests = digests_of(con)
    facts = dict(con.execute(sql_text("release_info")).fetchall())
    wards, names = _areas(con)
    return Release(
        version=version_on(con),
        label=label,
        public=facts.get("extract") == "public",
        digests=digests,
        sources=_sources(con),
        wards=wards,
        summary=authority_digests(con, list(digests)),
        names=names,
        path=path,
    )


def from_extract(path: Path) -> Release:
    """The release an extract file holds (opened read-only)."""
    con = connect(path)  # as the app opens it: a second open of the same file must match its settings
    try:
        return from_connection(con, str(path), Path(path))
    finally:
        con.close()


# --- the manifest entry's compact form ------------------------------------------------------------


def pack_wards(codes: set[str]) -> str:
    """Ward codes as runs of consecutive codes: ``E05013703..E05013719 E05014001``."""
    runs: list[tuple[str, str]] = []
    for c in sorted(codes):
        m, last = _RUN.fullmatch(c), _RUN.fullmatch(runs[-1][1]) if runs else None
        if m and last and last.group(1) == m.group(1) and int(last.group(2)) + 1 == int(m.group(2)):
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return " ".join(a if a == b else f"{a}..{b}" for a, b in runs)


def unpack_wards(text: str) -> set[str]:
    out: set[str] = set()
    for run in text.split():
        lo, _, hi = run.partition("..")
        if not hi:
            out.add(lo)
            continue
        a, b = _RUN.fullmatch(lo), _RUN.fullmatch(hi)
        if not a or not b:
            raise ValueError(f"not a run of ward codes: {run}")
        out |= {f"{a.group(1)}{n:06d}" for n in range(int(a.group(2)), int(b.group(2)) + 1)}
    return out


def _b64(hex3: str) -> str:
    n = int(hex3, 16)
    return B64[n >> 6] + B64[n & 63]


def _unb64(two: str) -> str:
    return f"{(B64.index(two[0]) << 6) | B64.index(two[1]):03x}"


def pack_summary(summary: dict[str, dict[str, str]]) -> dict:
    """indicator -> {authority: digest} as: the authorities once, each distinct coverage (which of
    them an indicator has figures for) once as a hex bitmap, and per indicator its coverage's
    number and two characters per authority covered."""
    authorities = sorted({a for per in summary.values() for a in per})
    at = {a: i for i, a in enumerate(authorities)}
    coverage: list[str] = []
    indicators = {}
    for ind in sorted(summary):
        per = summary[ind]
        bits = sum(1 << at[a] for a in per)
        mask = f"{bits:x}"
        if mask not in coverage:
            coverage.append(mask)
        indicators[ind] = [coverage.index(mask), "".join(_b64(per[a]) for a in authorities if a in per)]
    return {"authorities": " ".join(authorities), "coverage": coverage, "indicators": indicators}


def unpack_summary(packed: dict) -> dict[str, dict[str, str]]:
    authorities = packed["authorities"].split()
    out = {}
    for ind, (cov, digests) in packed["indicators"].items():
        bits = int(packed["coverage"][cov], 16)
        covered = [a for i, a in enumerate(authorities) if bits >> i & 1]
        out[ind] = {a: _unb64(digests[2 * i : 2 * i + 2]) for i, a in enumerate(covered)}
    return out


def entry_fields(rel: Release) -> dict[str, object]:
    """What the manifest records about a release besides its version, date and release text."""
    return {
        "digests": rel.digests,
        "sources": rel.sources,
        "areas": {
            "ward_vintage": WARD_VINTAGE,
            "wards": {a: pack_wards(w) for a, w in sorted((rel.wards or {}).items())},
        },
        "summary": pack_summary(rel.summary or {}),
    }


def from_entry(entry: dict, public: bool) -> Release:
    """A recorded release. Entries recorded before the manifest kept sources, areas and the summary
    have only their digests: what they lack is reported as not recorded."""
    areas = entry.get("areas")
    wards = {a: unpack_wards(t) for a, t in areas["wards"].items()} if areas else None
    recorded = entry.get("recorded", "")
    return Release(
        version=str(entry["version"]),
        label=f"{entry.get('release', '')}{', recorded ' + recorded if recorded else ''}",
        public=public,
        digests=dict(entry.get("digests", {})),
        sources=entry.get("sources"),
        wards=wards,
        summary=unpack_summary(entry["summary"]) if entry.get("summary") else None,
    )


def values(path: Path | duckdb.DuckDBPyConnection, keys: list[str]) -> pd.DataFrame:
    """Every figure of the given indicator-periods in an extract (a path, or an open connection)."""
    if isinstance(path, duckdb.DuckDBPyConnection):
        return path.execute(changes_sql("values"), {"keys": sorted(keys)}).df()
    con = connect(path)
    try:
        return con.execute(changes_sql("values"), {"keys": sorted(keys)}).df()
    finally:
        con.close()
