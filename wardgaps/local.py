"""The council's own ward data: a local layer kept apart from the official extract.

``python -m wardgaps add --csv FILE --meta FILE.yaml`` reads a ward-level CSV and its metadata,
checks every row against the extract's current ward set, and writes the indicator into the
local layer (``config.local_path()``, default ``data/local.duckdb``): a copy of the layer is
written and checked, then renamed over the old one, so a refused file writes nothing. The app
attaches the layer read-only (:mod:`wardgaps.db`), so rebuilding the extract never loses it.

A refusal is a :class:`LocalError` whose text is one sentence naming the row (the CSV's line
number, the header being line 1) and the rule.

Every item (an indicator here, a place in :mod:`wardgaps.local_places`) carries a ``published``
flag, false until ``python -m wardgaps set-published`` (or ``add --published``) says otherwise:
only published items reach the public extract (``publish --with-local``), and the officer view
marks the others "not published" wherever they are shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from wardgaps import config, db
from wardgaps.analysis.catalogue import WARD_VINTAGE
from wardgaps.local_files import (  # re-exported: the local layer's users import them from here
    _NUMBER,
    _YEAR,
    AGREE,
    SOURCE_PREFIX,
    LocalError,
    _number,
    period_start,
    read_meta,
    read_rows,
)
from wardgaps.stats import wilson_interval


@dataclass
class Added:
    """What ``add`` wrote: the indicator, its rows, wards and periods, the file's checksum."""

    indicator_id: str
    rows: int
    wards: int
    periods: list[str]
    sha256: str
    path: Path
    replaced: bool
    published: bool = False


def ward_sets() -> tuple[dict[str, str], dict[str, list[int]]]:
    """The extract's wards: current set code → authority code, and every ward code → its vintages."""
    w = db.reader(public=False).query("local_ward_codes")
    current = w[w["vintage"] == WARD_VINTAGE]
    vintages: dict[str, list[int]] = {}
    for code, vintage in zip(w["geo_code"], w["vintage"], strict=True):
        vintages.setdefault(code, []).append(int(vintage))
    return dict(zip(current["geo_code"], current["authority_code"], strict=True)), vintages


def check_rows(df: pd.DataFrame, meta: dict[str, str]) -> pd.DataFrame:
    """The rows as observations on the current ward set, or :class:`LocalError` at the first bad row."""
    current, vintages = ward_sets()
    unit = meta["unit"]
    seen: dict[tuple[str, str], int] = {}
    out = []
    for r in df.to_dict("records"):
        line = r["line"]  # the CSV's line number (the header is line 1)
        code, period = r["ward_code"].upper(), r["period"]
        if code == "":
            raise LocalError(f"Row {line}: the ward code is empty.")
        if code not in current:
            if code in vintages:
                sets = " and ".join(str(v) for v in sorted(vintages[code]))
                plural = "sets" if len(vintages[code]) > 1 else "set"
                raise LocalError(
                    f"Row {line}: ward code {code} is a ward of the {sets} ward {plural}, "
                    f"not of the current ({WARD_VINTAGE}) ward set."
                )
            raise LocalError(f"Row {line}: ward code {code} is not a ward of the current ward set.")
        if period == "":
            raise LocalError(f"Row {line}: the period is empty.")
        if _NUMBER.fullmatch(period) and not _YEAR.fullmatch(period):
            raise LocalError(
                f"Row {line}: period '{period[:40]}' is a number, not a period label such as 2024, FYE 2025 or 2024-03."
            )
        start = None
        if r.get("period_start"):
            try:
                start = dt.date.fromisoformat(r["period_start"])
            except ValueError:
                raise LocalError(
                    f"Row {line}: period_start '{r['period_start'][:40]}' is not a date (YYYY-MM-DD)."
                ) from None
        else:
            start = period_start(period)
            if start is None:
                raise LocalError(
                    f"Row {line}: period '{period[:40]}' is not a year, financial year (FYE 2025 or 2024/25), "
                    "month (2024-03) or date, so add a period_start column (YYYY-MM-DD)."
                )
        if (code, period) in seen:
            raise LocalError(
                f"Row {line}: ward {code} and period {period[:40]} are already given in row {seen[code, period]}."
            )
        seen[code, period] = line
        value = _number(r["value"], "value", line)
        if value is None:
            raise LocalError(f"Row {line}: the value is empty (leave a ward without a figure out instead).")
        num = _number(r.get("numerator", ""), "numerator", line)
        den = _number(r.get("denominator", ""), "denominator", line)
        if unit == "%" and not 0 <= value <= 100:
            raise LocalError(f"Row {line}: value {r['value']} is a percentage outside 0 to 100.")
        if value < 0 and unit in ("count", "rate_per_1000"):
            raise LocalError(f"Row {line}: value {r['value']} is negative, which a {unit.replace('_', ' ')} cannot be.")
        for what, x in (("numerator", num), ("denominator", den)):
            if x is not None and x < 0:
                raise LocalError(f"Row {line}: the {what} {x:g} is negative.")
        if (num is not None or den is not None) and unit not in ("%", "rate_per_1000"):
            raise LocalError(
                f"Row {line}: a numerator or denominator is given, but only a percentage or a rate per 1,000 has them."
            )
        if unit == "%" and num is not None and den is not None and num > den:
            raise LocalError(f"Row {line}: the numerator {num:g} is larger than the denominator {den:g}.")
        if den == 0:
            raise LocalError(f"Row {line}: the denominator is 0.")
        if num is not None and den is not None:
            scale = 100 if unit == "%" else 1000
            if abs(value - scale * num / den) > AGREE:
                raise LocalError(
                    f"Row {line}: value {r['value']} does not agree with its numerator and denominator "
                    f"({num:g} / {den:g} gives {scale * num / den:.1f})."
                )
        out.append(
            {
                "indicator_id": meta["id"],
                "geo_code": code,
                "vintage": WARD_VINTAGE,
                "period": period,
                "period_start": start,
                "value": value,
                "numerator": num,
                "denominator": den,
                "method": "published",
                "status": "final",
                "source_id": SOURCE_PREFIX + meta["id"],
            }
        )
    obs = pd.DataFrame(out)
    for c in ("lower_95", "upper_95", "lower_998", "upper_998", "fit_quality"):
        obs[c] = np.nan
    if _wilson(obs, unit):
        for conf, lo, hi in ((0.95, "lower_95", "upper_95"), (0.998, "lower_998", "upper_998")):
            a, b = wilson_interval(obs["numerator"], obs["denominator"], conf)
            obs[lo], obs[hi] = np.round(a, 4), np.round(b, 4)
    return obs


def _wilson(obs: pd.DataFrame, unit: str) -> bool:
    """Wilson intervals when every row of a percentage has its numerator and denominator."""
    return unit == "%" and bool(obs["numerator"].notna().all() and obs["denominator"].notna().all())


def official_ids() -> set[str]:
    """Indicator ids of the official extract (the catalogue less the local layer's own)."""
    ids = set(db.reader(public=False).query("indicator_catalogue")["indicator_id"])
    return ids - set(listed()["indicator_id"])


def indicator_row(
    meta: dict[str, str], obs: pd.DataFrame, csv_file: Path, sha: str, published: bool = False
) -> pd.DataFrame:
    """The local_indicators row: the indicator's metadata and its file's provenance."""
    row = {
        "indicator_id": meta["id"],
        "title": meta["title"],
        "short_title": meta.get("short_title", meta["title"]),
        "theme": meta["theme"],
        "unit": meta["unit"],
        "polarity": "neutral" if meta["unit"] == "count" else meta["polarity"],
        "definition": meta.get("definition", meta["title"]),
        "numerator_label": meta.get("numerator_label"),
        "denominator_label": meta.get("denominator_label"),
        "ci_method": "wilson" if _wilson(obs, meta["unit"]) else None,
        "source_id": SOURCE_PREFIX + meta["id"],
        "native_geography": f"{WARD_VINTAGE} wards (local data)",
        "caveats": meta.get("caveats", "Local data: the council's own figures, not an official statistic."),
        "source": meta["source"],
        "licence": meta["licence"],
        "date": meta["date"],
        "attribution": meta.get("attribution", meta["source"]),
        "url": meta.get("url"),
        "file_name": csv_file.name,
        "sha256": sha,
        "added_at": dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
        "ward_vintage": WARD_VINTAGE,
        "rows_added": len(obs),
        "published": published,
    }
    return pd.DataFrame([row])


# --- writing --------------------------------------------------------------------------------------
@contextlib.contextmanager
def _writing(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the local layer (a new one if there is none), renamed over it on
    success; on any failure the copy is deleted and the layer is left as it was. One writer at
    a time (a lock file beside the layer)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.with_name(f".{target.name}.lock")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        tmp.unlink(missing_ok=True)
        if target.is_file():
            shutil.copyfile(target, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if not target.is_file():
                con.execute(db.local_sql("schema"))
            else:  # a layer made before items had a published flag gets it (its items unpublished)
                con.execute(db.local_sql("migrate"))
            yield con
            con.execute(db.local_sql("flush"))
            con.close()
            os.replace(tmp, target)
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
            raise


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    cols = con.table(table).columns
    con.from_df(df[cols]).insert_into(table)


def _delete(con: duckdb.DuckDBPyConnection, indicator_id: str) -> None:
    for name in ("delete_rows", "delete_indicator"):
        con.execute(db.local_sql(name), {"indicator_id": indicator_id})


def add(csv_file: Path, meta_file: Path, replace: bool = False, published: bool = False) -> Added:
    """Check the CSV and its metadata and write the indicator into the local layer (atomically),
    not published unless ``published`` (a replaced indicator too: its new figures are new)."""
    csv_file, meta_file = Path(csv_file), Path(meta_file)
    target = config.local_path()
    _readable(target)
    meta = read_meta(meta_file)
    df = read_rows(csv_file)
    if meta["id"] in official_ids():
        raise LocalError(f"The id '{meta['id']}' is an official indicator's; choose another id in {meta_file.name}.")
    exists = meta["id"] in set(listed()["indicator_id"])
    if exists and not replace:
        raise LocalError(f"The local indicator '{meta['id']}' is already loaded; add --replace to replace it.")
    obs = check_rows(df, meta)
    sha = hashlib.sha256(csv_file.read_bytes()).hexdigest()
    ind = indicator_row(meta, obs, csv_file, sha, published)
    with _writing(target) as con:
        _delete(con, meta["id"])
        _insert(con, "local_indicators", ind)
        _insert(con, "local_observations", obs)
    periods = sorted(obs["period"].unique())
    return Added(meta["id"], len(obs), obs["geo_code"].nunique(), periods, sha, target, exists, published)


def remove(indicator_id: str) -> None:
    """Remove one local indicator and its rows from the local layer (atomically)."""
    target = config.local_path()
    _readable(target)
    if indicator_id not in set(listed()["indicator_id"]):
        raise LocalError(f"There is no local indicator '{indicator_id[:60]}' (see list-local).")
    with _writing(target) as con:
        _delete(con, indicator_id)


def set_published(indicator_id: str, published: bool = True) -> None:
    """Publish (or, with ``published=False``, unpublish) one local indicator (atomically): only a
    published one reaches the public extract the next time it is made with ``--with-local``."""
    target = config.local_path()
    _readable(target)
    if indicator_id not in set(listed()["indicator_id"]):
        raise LocalError(f"There is no local indicator '{indicator_id[:60]}' (see list-local).")
    with _writing(target) as con:
        con.execute(db.local_sql("set_published"), {"indicator_id": indicator_id, "published": published})


def _readable(target: Path) -> None:
    """Refuse to write over a local data file the app cannot read (damaged, or not Ward Gaps')."""
    if target.is_file() and not db.reader(public=False).has_local():
        raise LocalError(
            f"The local data file {target.name} could not be read, so nothing was changed; move it away or restore it."
        )


def print_listing(rows: Callable[[], pd.DataFrame], line: Callable[[dict], str], nothing: str) -> int:
    """Print the local layer's items one line each (``list-local``, ``list-places``,
    ``list-areas``): exit code 1 with one sentence when the layer cannot be read, ``nothing``
    ("No places") when it holds none."""
    path = config.local_path()
    if path.is_file() and not db.reader(public=False).has_local():
        print(f"The local data file {path} could not be read.", file=sys.stderr)
        return 1
    df = rows()
    if df.empty:
        print(f"{nothing} ({path}).")
        return 0
    for r in df.to_dict("records"):
        print(line(r))
    return 0


def listed() -> pd.DataFrame:
    """The local indicators with their provenance (empty when there is no local layer)."""
    r = db.reader(public=False)
    if not r.has_local():
        return pd.DataFrame(columns=["indicator_id"])
    return r.query("local_indicators")
