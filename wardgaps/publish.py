"""The publish step: the full extract in, the public extract out, the disclosure rules applied
once (:mod:`wardgaps.disclosure`).

``python -m wardgaps publish`` (``make publish``) reads ``data/wardgaps.duckdb`` and writes
``data/public.duckdb``: the same tables, holding only what the public may see. Observations and
the similar-wards characteristics are disclosed cell by cell; metadata, geographies and outlines
are copied, and of the crosswalks the best-fit lookups (which LSOA lies in which ward); the
population weight sets are left out. The per-authority views (:mod:`wardgaps.views`) are
then worked out again on the disclosed figures, so ranks, labels, gaps, trends and quintiles are
those of the figures shown, and gap measures are withheld where an extreme ward is hidden. The
file is written beside the target, checked by its own data contract
(the generic rules and ``queries/build/public_contract/``) and only then renamed into place; the same full extract
always gives the same public tables. Derived, never committed.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from wardgaps import changelog, config, db, disclosure, publish_areas, tables, versions, views
from wardgaps import check as checks
from wardgaps.ingest.sql import sql_file, sql_sections
from wardgaps.local_files import SOURCE_PREFIX

OBS_COLUMNS = list(tables.declared()["observations"].columns)
CENSUS_PERIOD = "2021"
# The places table's columns (queries/local/places_schema.sql), for a local file without places.
PLACE_COLUMNS = (
    "place_id",
    "name",
    "kind",
    "lon",
    "lat",
    "authority_code",
    "file_name",
    "file_sha256",
    "added_at",
    "published",
)
# Published as they are (the crosswalks: best fits only; the similar-wards characteristics are
# Census 2021's).
COPIED = ("sources", "indicators", "geographies", "boundaries", "characteristics", "crosswalks")


# What decides a public extract beyond the full one: the rules, the views and the SQL they run.
MADE_BY = (
    "wardgaps/disclosure.py",
    "wardgaps/publish.py",
    "wardgaps/publish_areas.py",
    "queries/local/overlay_areas.sql",
    "queries/build/publish_areas.sql",
    "queries/build/public_areas_schema.sql",
    "wardgaps/views/__init__.py",
    "wardgaps/views/gaps.py",
    "wardgaps/views/markers.py",
    "wardgaps/views/wards.py",
    "wardgaps/tables.py",
    "queries/build/tables.yaml",
    "queries/build/views.sql",
    "queries/build/view_inputs.sql",
    "queries/build/publish_inputs.sql",
    *sorted(str(p.relative_to(config.ROOT)) for p in (config.ROOT / "queries/build/public_contract").glob("*.sql")),
)


def code_version() -> str:
    """A short hash of the code that makes a public extract (:data:`MADE_BY`): recorded in it as
    ``made_by``, so a public extract made by other rules is told apart from a current one."""
    h = hashlib.sha256()
    for rel in MADE_BY:
        h.update(rel.encode() + b"\0" + (config.ROOT / rel).read_bytes() + b"\0")
    return h.hexdigest()[:10]


class PublishError(Exception):
    """The public extract could not be made; ``str()`` is one sentence for the user."""


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def withheld_groups(raw: pd.DataFrame, hidden: pd.Series) -> set[tuple]:
    """(authority, indicator, period, ward set) whose highest or lowest ward by the undisclosed
    figures is hidden: their gap measures are not published. ``raw``: ward observations with
    ``authority_code``; ties go to the first ward by code, as the ward table lists them."""
    d = raw[raw["value"].notna()].sort_values("geo_code", kind="stable")
    key = ["authority_code", "indicator_id", "period", "vintage"]
    g = d.groupby(key, sort=False)["value"]
    ends = pd.concat([g.idxmax(), g.idxmin()])
    out = ends[hidden.reindex(ends.to_numpy()).to_numpy()]
    return {tuple(k) for k in out.index}


def disclose_observations(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Every observation as the public may see it, and which were hidden."""
    hidden = disclosure.suppress(obs)
    return disclosure.apply(obs, hidden), hidden


def disclose_characteristics(chars: pd.DataFrame, shown_obs: pd.DataFrame) -> pd.DataFrame:
    """The similar-wards characteristics as the public may see them. One that repeats an app
    indicator is that indicator's published cell (hidden where it is); an age share is a rate
    cell of its own (each authority a set); density is its residents, a count cell of their own,
    over the ward's area. No z-score: it would give the exact share back."""
    out = chars.copy()
    app = out["indicator_id"].notna()
    cells = shown_obs[shown_obs["period"].eq(CENSUS_PERIOD)][
        ["indicator_id", "geo_code", "vintage", "value", "numerator", "denominator"]
    ]
    merged = out.loc[app, ["indicator_id", "geo_code", "vintage"]].merge(cells, how="left")
    out.loc[app, ["value", "numerator", "denominator"]] = merged[["value", "numerator", "denominator"]].to_numpy()
    own = out[~app].copy()
    density = own["unit"].ne("%")
    own["indicator_id"] = "characteristic:" + own["characteristic"]
    own = own.assign(
        period=CENSUS_PERIOD,
        geo_type="ward",
        status="final",
        unit=np.where(density, "count", "%"),
        value=np.where(density, own["numerator"], own["value"]),
        area=own["denominator"],
        **dict.fromkeys(["lower_95", "upper_95", "lower_998", "upper_998"], np.nan),
    )
    own.loc[density, "denominator"] = np.nan
    shown = disclosure.apply(own, disclosure.suppress(own))
    # residents per hectare from the rounded residents
    shown.loc[density, "numerator"] = shown.loc[density, "value"]
    shown.loc[density, "denominator"] = own.loc[density, "area"]
    shown.loc[density, "value"] = (shown.loc[density, "numerator"] / own.loc[density, "area"]).round(1)
    out.loc[~app, ["value", "numerator", "denominator"]] = shown[["value", "numerator", "denominator"]].to_numpy()
    out["z"] = np.nan
    return out


def read_full(full: Path, local: Path | None = None) -> dict[str, pd.DataFrame]:
    """Everything the public extract is made from, read from the full extract (through the app's
    own locked connection to it) and, with ``local``, the council's local layer overlaid on it (its
    indicators, sources and observations among the extract's; its provenance and places besides)."""
    r = db.Reader(full, local=local)
    if local is not None and not r.has_local():
        raise PublishError(f"The local data file {Path(local).name} could not be read.")
    with r.cursor() as cur:
        if "release_info" not in set(cur.execute(db.local_sql("tables")).df()["table_name"]):
            raise PublishError(f"The extract {full.name} predates the publish step: rebuild it first (make data).")
        out = {name: cur.execute(sql).df() for name, sql in sql_sections("publish_inputs", "input")}
        if local is not None:
            sections = dict(sql_sections("publish_local", "input"))
            has_places = bool(cur.execute(db.sql_text("local_places_present")).fetchone()[0])
            out["local"] = {
                "local_indicators": cur.execute(sections["local_indicators"]).df(),
                # a local file made before places existed has no table of them
                "local_places": cur.execute(sections["local_places"]).df()
                if has_places
                else pd.DataFrame(columns=list(PLACE_COLUMNS)),
                # the area sets marked published (None when the local file holds none)
                "areas": publish_areas.read(cur),
            }
            every = set(cur.execute(db.local_sql("local_ids")).df()["indicator_id"])
            _unpublished(out, every - set(out["local"]["local_indicators"]["indicator_id"]))
        return out


def _unpublished(src: dict[str, pd.DataFrame], ids: set[str]) -> None:
    """Drop the local indicators not published from what is read (their rows, metadata and
    sources came with the extract's through the overlay): they never reach the public extract."""
    for name in ("observations", "indicators"):
        src[name] = src[name][~src[name]["indicator_id"].isin(ids)].reset_index(drop=True)
    sources = {SOURCE_PREFIX + i for i in ids}
    src["sources"] = src["sources"][~src["sources"]["source_id"].isin(sources)].reset_index(drop=True)


def publish(full: Path, out: Path, say: Callable[[str], None] = _say, local: Path | None = None) -> dict[str, object]:
    """Write the public extract at ``out`` from the full extract at ``full`` (and, with ``local``,
    the council's local layer: its indicators disclosed like the official ones, its places)."""
    t0 = time.monotonic()
    full, out = Path(full), Path(out)
    if not full.is_file():
        raise PublishError(f"There is no full extract at {full}: build it first (make data).")
    if local is not None and not Path(local).is_file():
        raise PublishError(f"There is no local data file at {local} to publish.")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    src = read_full(full, local)
    release = dict(zip(src["release"]["key"], src["release"]["value"], strict=True))
    say(f"[1/4] disclosure: {len(src['observations']):,} observations")
    t = time.monotonic()
    obs = src["observations"]
    shown, hidden = disclose_observations(obs)
    wards = obs["geo_type"].eq("ward")
    withheld = withheld_groups(obs[wards], hidden[wards])
    say(
        f"      {int(hidden.sum()):,} hidden ({int(hidden[wards].sum()):,} ward figures), "
        f"{len(withheld):,} gaps withheld ({time.monotonic() - t:.1f}s)"
    )
    con = duckdb.connect(str(tmp))
    try:
        say("[2/4] metadata, geographies and outlines as they are; observations and similar wards disclosed")
        con.execute(tables.ddl())
        for table in COPIED:
            _insert(con, table, src[table])
        _insert(con, "observations", shown[OBS_COLUMNS])
        chars = disclose_characteristics(src["ward_characteristics"], shown)
        _insert(con, "ward_characteristics", chars)
        near = src["similar_wards"].assign(distance=src["similar_wards"]["distance"].round(2))
        _insert(con, "similar_wards", near)
        las = src["similar_authorities"]
        _insert(con, "similar_authorities", las.assign(distance=las["distance"].round(2)))
        if local is not None:
            _local_items(con, src["local"])
            if src["local"]["areas"] is not None:
                areas = publish_areas.disclose(src["local"]["areas"], obs, hidden, src["indicators"])
                publish_areas.write(con, src["local"]["areas"], areas)
        con.execute(sql_file("views"))
        say("[3/4] views on the figures shown")
        views.write(con, views.compute(con, withheld, say))
        made_from = release["data_version"]
        facts = {"made_from": made_from, "made_by": code_version()}
        if local is not None:
            facts["local"] = (
                f"{len(src['local']['local_indicators'])} local indicators, {len(src['local']['local_places'])} places "
                "(those published)"
            )
            if src["local"]["areas"] is not None:
                facts["local"] += f", {len(src['local']['areas']['area_sets'])} published area sets"
        version = versions.stamp_release(con, "public", **facts)
        changelog.stamp(con, out, say)  # against the previous recorded public version
        say(f"[4/4] checking {tmp.name}")
        failures = checks.run_checks(con, "public_contract")
        if failures:
            for f in failures:
                say(f"FAIL {f.rule}\n{f.rows.head(10).to_string(index=False)}")
            raise PublishError(
                "The public extract broke its data contract: " + "; ".join(f.summary() for f in failures[:5])
            )
        con.execute(sql_file("flush"))
        con.close()
        os.replace(tmp, out)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    say(f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB, data version {version}) in {time.monotonic() - t0:.0f}s")
    return {"version": version, "made_from": made_from, "hidden": int(hidden.sum()), "withheld": len(withheld)}


def _local_items(con: duckdb.DuckDBPyConnection, local: dict[str, pd.DataFrame]) -> None:
    """The council's local items in the public extract's ``local_layer`` schema: provenance, the
    disclosed observations (already among the extract's) and places."""
    con.register("local_indicators_rows", local["local_indicators"])
    con.register("local_places_rows", local["local_places"])
    con.execute(sql_file("public_local_schema"))
    con.unregister("local_indicators_rows")
    con.unregister("local_places_rows")


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    cols = con.table(table).columns
    con.from_df(df.sort_values(tables.order(table), kind="mergesort").reset_index(drop=True)[cols]).insert_into(table)
