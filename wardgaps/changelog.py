"""The change log between two releases (``python -m wardgaps changes OLD NEW``, and the log the
build and the publish step store in a new extract against the previous recorded version, which
the Data and methods page shows).

It says: the periods added (and removed) per indicator; the values revised — how many, by
indicator and authority, the largest with its old and new value — when both releases are
extracts, or, against a recorded version, in which indicator-periods and authorities figures
were revised; the wards and authorities added or removed; the sources whose raw files changed.
What a release holds is :mod:`wardgaps.releases`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pandas as pd

from wardgaps import config, releases
from wardgaps.releases import Release

KEY = ["indicator_id", "geo_code", "vintage", "period"]
STORED_PER_INDICATOR = 10  # authorities kept per indicator in the log an extract stores


class ChangesError(ValueError):
    """A bad argument to ``changes``: one sentence."""


def _number(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _revised_values(old: Release, new: Release, keys: list[str], new_con: duckdb.DuckDBPyConnection | None) -> dict:
    """Value by value, for the indicator-periods in both releases whose digests differ."""
    a = releases.values(old.path, keys)
    b = releases.values(new_con if new_con is not None else new.path, keys)
    m = a.merge(b, on=KEY, suffixes=("_old", "_new"))
    differs = ~((m["value_old"] == m["value_new"]) | (m["value_old"].isna() & m["value_new"].isna()))
    m = m[differs].copy()
    m["authority_code"] = m["authority_code_new"].fillna(m["geo_code"])
    m["authority_name"] = m["authority_name_new"].fillna(m["geo_name_new"])
    m["change"] = (m["value_new"] - m["value_old"]).abs()
    m = m.sort_values(["change", *KEY], ascending=[False, True, True, True, True], na_position="last")

    def largest(d: pd.DataFrame) -> dict:
        r = d.iloc[0]
        return {
            "geo_code": r["geo_code"],
            "geo_name": r["geo_name_new"],
            "authority_code": r["authority_code"],
            "authority_name": r["authority_name"],
            "period": r["period"],
            "old": _number(r["value_old"]),
            "new": _number(r["value_new"]),
        }

    out = []
    for ind, d in m.groupby("indicator_id", sort=True):
        by_auth = [
            {
                "authority_code": auth,
                "authority_name": g["authority_name"].iloc[0],
                "values": len(g),
                "largest": largest(g),
            }
            for auth, g in sorted(d.groupby("authority_code"), key=lambda t: (-t[1]["change"].fillna(-1).max(), t[0]))
        ]
        out.append(
            {
                "indicator_id": ind,
                "periods": sorted(d["period"].unique().tolist()),
                "values": len(d),
                "authorities": len(by_auth),
                "largest": largest(d),
                "by_authority": by_auth,
            }
        )
    return {"exact": True, "values": int(len(m)), "indicators": out}


def _revised_blocks(old: Release, new: Release, keys: list[str], new_con: duckdb.DuckDBPyConnection | None) -> dict:
    """Against a recorded version: which indicator-periods were revised (digests) and in which
    authorities (the recorded per-authority digests, compared over the periods both hold)."""
    periods: dict[str, list[str]] = {}
    for k in keys:
        ind, period = k.split("|", 1)
        periods.setdefault(ind, []).append(period)
    by_ind: dict[str, dict[str, str]] = {}
    if old.summary is not None:
        same = [k for k in old.digests if k in new.digests]
        shared = {k.split("|", 1)[0] for k in same}
        old_periods, new_periods = old.periods(), new.periods()
        live = new.path is not None or new_con is not None  # digests worked out now, on OLD's periods
        if live:
            con = new_con or releases.connect(new.path)
            try:
                now = releases.authority_digests(con, same)
            finally:
                if new_con is None:
                    con.close()
        else:
            now = new.summary or {}
        for ind in sorted(periods):
            # OLD's digest covers every period it held: comparable where NEW still holds them all
            # (worked out now on those periods) or, both recorded, holds exactly the same ones
            kept = old_periods[ind] <= new_periods.get(ind, set())
            if ind in shared and kept and (live or old_periods[ind] == new_periods[ind]):
                was, is_ = old.summary.get(ind, {}), now.get(ind, {})
                by_ind[ind] = {a: "" for a in sorted(was.keys() | is_.keys()) if was.get(a) != is_.get(a)}
    out = []
    for ind in sorted(periods):
        auth = sorted(by_ind[ind]) if ind in by_ind else None
        row: dict[str, object] = {"indicator_id": ind, "periods": sorted(periods[ind])}
        row["authorities"] = None if auth is None else len(auth)
        row["authority_codes"] = auth
        out.append(row)
    return {"exact": False, "values": None, "indicators": out}


def compare(old: Release, new: Release, new_con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """What changed from ``old`` to ``new`` (``new_con``: the new extract, still open, as the
    build and the publish step have it)."""
    op, np_ = old.periods(), new.periods()
    added = {i: sorted(np_[i] - op.get(i, set())) for i in sorted(np_) if np_[i] - op.get(i, set())}
    removed = {i: sorted(op[i] - np_.get(i, set())) for i in sorted(op) if op[i] - np_.get(i, set())}
    revised_keys = sorted(k for k in old.digests if k in new.digests and old.digests[k] != new.digests[k])
    exact = old.path is not None and (new.path is not None or new_con is not None)
    revised = (_revised_values if exact else _revised_blocks)(old, new, revised_keys, new_con)
    areas: dict[str, object] | None = None
    if old.wards is not None and new.wards is not None:
        ow = set().union(*old.wards.values()) if old.wards else set()
        nw = set().union(*new.wards.values()) if new.wards else set()
        areas = {
            "wards_added": sorted(nw - ow),
            "wards_removed": sorted(ow - nw),
            "authorities_added": sorted(new.wards.keys() - old.wards.keys()),
            "authorities_removed": sorted(old.wards.keys() - new.wards.keys()),
        }
    sources = None
    if old.sources is not None and new.sources is not None:
        sources = []
        for sid in sorted(old.sources.keys() | new.sources.keys()):
            a, b = old.sources.get(sid, {}), new.sources.get(sid, {})
            files = [
                {"file": f, "old": a.get(f), "new": b.get(f)}
                for f in sorted(a.keys() | b.keys())
                if a.get(f) != b.get(f)
            ]
            if files:
                sources.append({"source_id": sid, "files": files})
    return {
        "old": {"version": old.version, "from": old.label},
        "new": {"version": new.version, "from": new.label},
        "periods_added": added,
        "periods_removed": removed,
        "revised": revised,
        "areas": areas,
        "sources": sources,
        "names": {c: new.names.get(c) or old.names.get(c) for c in _codes(areas)} if areas else {},
    }


def _codes(areas: dict) -> list[str]:
    return sorted({c for v in areas.values() for c in v})


# --- the two arguments ---------------------------------------------------------------------------


def side(arg: str, what: str, manifest: Path | None = None) -> Release:
    """An extract file or a recorded data version; a bad one is a ChangesError (one sentence)."""
    from wardgaps import provenance

    p = Path(arg)
    if p.is_file():
        try:
            return releases.from_extract(p)
        except (duckdb.Error, KeyError, ValueError) as e:
            raise ChangesError(f"{what} {arg} is not a Ward Gaps extract ({type(e).__name__}).") from e
    for public in (False, True):
        for entry in provenance.released(manifest, public):
            if entry.get("version") == arg:
                return releases.from_entry(entry, public)
    where = manifest or config.versions_path()
    raise ChangesError(f"{what} '{arg}' is neither an extract file nor a data version recorded in {where}.")


def changes(old_arg: str, new_arg: str, manifest: Path | None = None) -> dict:
    old, new = side(old_arg, "OLD", manifest), side(new_arg, "NEW", manifest)
    if old.public != new.public:
        kinds = ("public" if old.public else "full", "public" if new.public else "full")
        raise ChangesError(
            f"OLD is a {kinds[0]} release and NEW a {kinds[1]} one: compare full with full or public with public."
        )
    return compare(old, new)


# --- as text -------------------------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "no figure" if x is None else f"{x:,.6g}"


def _largest(d: dict) -> str:
    auth = "" if d["authority_code"] == d["geo_code"] else f" in {d['authority_name']} ({d['authority_code']})"
    return f"{d['geo_name']} ({d['geo_code']}){auth}, {d['period']}: {_fmt(d['old'])} → {_fmt(d['new'])}"


def lines(log: dict) -> list[str]:
    """The change log as lines of plain text."""
    out = [f"Changes from data version {log['old']['version']} ({log['old']['from']})"]
    out.append(f"  to data version {log['new']['version']} ({log['new']['from']}).")
    out.append("Periods added:" if log["periods_added"] else "Periods added: none.")
    out += [f"  {i}: {', '.join(p)}" for i, p in log["periods_added"].items()]
    if log["periods_removed"]:
        out.append("Periods removed:")
        out += [f"  {i}: {', '.join(p)}" for i, p in log["periods_removed"].items()]
    rv = log["revised"]
    if not rv["indicators"]:
        out.append("Values revised: none.")
    elif rv["exact"]:
        out.append(f"Values revised: {rv['values']:,} in {len(rv['indicators'])} indicators.")
        for r in rv["indicators"]:
            out.append(
                f"  {r['indicator_id']} ({', '.join(r['periods'])}): {r['values']:,} values in {r['authorities']} "
                f"areas; largest: {_largest(r['largest'])}"
            )
    else:
        out.append(
            f"Figures revised in {len(rv['indicators'])} indicators (OLD is a recorded version: compare the two "
            "extracts for the values):"
        )
        for r in rv["indicators"]:
            where = (
                "authorities not recorded"
                if r["authorities"] is None
                else f"{r['authorities']} authorities: {' '.join(r['authority_codes'][:12])}"
                + (" …" if r["authorities"] > 12 else "")
            )
            out.append(f"  {r['indicator_id']} ({', '.join(r['periods'])}): {where}")
    a = log["areas"]
    if a is None:
        out.append("Areas: not recorded with the older version.")
    else:
        for k, label in (
            ("wards_added", "Wards added"),
            ("wards_removed", "Wards removed"),
            ("authorities_added", "Authorities added"),
            ("authorities_removed", "Authorities removed"),
        ):
            codes = a[k]
            named = [f"{c} {log['names'][c]}" if log["names"].get(c) else c for c in codes[:20]]
            out.append(
                f"{label}: {len(codes)}" + (f" ({', '.join(named)}{' …' if len(codes) > 20 else ''})" if codes else "")
            )
    s = log["sources"]
    if s is None:
        out.append("Sources: file checksums not recorded with the older version.")
    else:
        out.append("Sources whose files changed:" if s else "Sources whose files changed: none.")
        for src in s:
            for f in src["files"]:
                was, now = (f["old"] or "none")[:12], (f["new"] or "none")[:12]
                out.append(f"  {src['source_id']}: {f['file']} (sha256 {was} → {now})")
    return out


def text(log: dict) -> str:
    return "\n".join(lines(log)) + "\n"


def as_json(log: dict) -> str:
    return json.dumps(log, indent=1, ensure_ascii=False) + "\n"


# --- the log a new extract stores ------------------------------------------------------------------


def _compact(log: dict) -> dict:
    """The log as an extract stores it: at most a few authorities per indicator and codes per list."""
    out = json.loads(json.dumps(log))
    for r in out["revised"]["indicators"]:
        if r.get("by_authority"):
            r["by_authority"] = r["by_authority"][:STORED_PER_INDICATOR]
        if r.get("authority_codes"):
            r["authority_codes"] = r["authority_codes"][:50]
    if out["areas"]:
        out["areas"] = {k: v[:200] for k, v in out["areas"].items()}
        out["names"] = {c: n for c, n in out["names"].items() if c in set(_codes(out["areas"]))}
    return out


def previous(version: str, public: bool, manifest: Path | None = None) -> dict | None:
    """The latest recorded version other than ``version``: the one a new release is compared with."""
    from wardgaps import provenance

    earlier = [e for e in provenance.released(manifest, public) if e.get("version") != version]
    return earlier[-1] if earlier else None


def stamp(con: duckdb.DuckDBPyConnection, out: Path, say=print, manifest: Path | None = None) -> dict | None:
    """Work out the new extract's changes against the previous recorded version and store them in
    its ``release_info`` (``changes``, as JSON): exactly, value by value, when the extract being
    replaced at ``out`` is that version; from its manifest entry otherwise. Returns the log (None
    when no version is recorded yet)."""
    new = releases.from_connection(con, "this release")
    entry = previous(new.version, new.public, manifest)
    if entry is None:
        return None
    old = releases.from_entry(entry, new.public)
    if Path(out).is_file():
        try:
            on_disk = releases.from_extract(Path(out))
        except duckdb.Error:
            on_disk = None
        if on_disk is not None and on_disk.version == old.version:
            on_disk.label = old.label
            old = on_disk
    log = compare(old, new, new_con=con)
    row = pd.DataFrame({"key": ["changes"], "value": [json.dumps(_compact(log), sort_keys=True)]})
    con.from_df(row).insert_into("release_info")
    n = log["revised"]["values"]
    say(
        f"      changes since {old.version}: {sum(map(len, log['periods_added'].values()))} periods added, "
        + (f"{n:,} values revised" if n is not None else f"{len(log['revised']['indicators'])} indicators revised")
    )
    return log
