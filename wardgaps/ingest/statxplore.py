"""DWP Stat-Xplore's local-authority tables: areas named without codes, matched to the current
authorities of England and Wales, with region and country totals summed from them.

Stat-Xplore names an authority as ONS does in English, and a Welsh one as "English / Welsh"
("Cardiff / Caerdydd"; "Gwynedd" alone in some tables). A table made before April 2023 names the
districts merged since (Cumbria's, North Yorkshire's, Somerset's): a current authority made wholly
of such districts gets the sum of their counts (method ``aggregated``). Scottish and Northern
Irish councils, "Unknown" and "Total" rows match no authority of England and Wales and are left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wardgaps.ingest.common import CURRENT, ENGLAND, WALES, DataError, check_unique, obs_frame
from wardgaps.ingest.geo import Geo


def _name_key(name: object) -> str:
    """A name as matched: the English part of a bilingual Welsh one ("Cardiff / Caerdydd" -> "Cardiff")."""
    return str(name).split(" / ")[0].strip()


def match_authorities(names: pd.Series, geo: Geo, file: Path) -> pd.DataFrame:
    """Match a table's area names to current authorities.

    Returns one row per matched table row: ``row`` (its index in ``names``), ``authority_code``
    (the current authority) and ``method``: ``published`` for the authority itself, ``aggregated``
    for a former district counted into it. Refuses a table that leaves a current authority
    without a figure, names an authority twice, or names both an authority and a former district
    of it.
    """
    a = geo.authorities
    current = dict(zip(a["authority_name"], a["authority_code"], strict=True))
    former = geo.former_authorities
    former_code = dict(zip(former["old_name"], former["authority_code"], strict=True))
    keys = names.map(_name_key)
    welsh_pair = names.astype(str).str.contains(" / ", regex=False)
    direct = keys.map(current)
    # A "English / Welsh" name only ever stands for a Welsh authority.
    direct = direct.where(~welsh_pair | direct.str.startswith("W", na=False))
    via = keys.map(former_code).where(direct.isna())
    rows = pd.DataFrame(
        {
            "row": names.index,
            "authority_code": direct.fillna(via),
            "method": ["published" if isinstance(d, str) else "aggregated" for d in direct],
        }
    ).dropna(subset=["authority_code"])
    check_unique(rows.assign(name=keys[rows["row"]].to_numpy()), ["name"], file)

    have = set(rows.loc[rows["method"] == "published", "authority_code"])
    both = rows[(rows["method"] == "aggregated") & rows["authority_code"].isin(have)]
    if len(both):
        raise DataError(
            file,
            f"names both '{a.set_index('authority_code').loc[both['authority_code'].iloc[0], 'authority_name']}' "
            f"and its former district '{keys[both['row'].iloc[0]]}'",
        )
    # A current authority without its own row needs every former district it is made of.
    parts = former[former["whole"]].groupby("authority_code")["old_name"].apply(set)
    named = set(keys[rows["row"]])
    for code, name in zip(a["authority_code"], a["authority_name"], strict=True):
        if code in have:
            continue
        if code not in parts.index:
            raise DataError(file, f"local authority '{name}' missing")
        lacking = sorted(parts[code] - named)
        if lacking:
            raise DataError(file, f"local authority '{name}' missing (nor its former district '{lacking[0]}')")
    return rows.reset_index(drop=True)


def authority_values(
    names: pd.Series, values: pd.Series, suppressed: pd.Series, geo: Geo, file: Path, column: str
) -> pd.DataFrame:
    """One column of a Stat-Xplore table as the current authorities' figures.

    ``values`` are the table's numbers and ``suppressed`` marks its ".." cells. Returns
    ``geo_code``, ``value``, ``method``; an authority summed from former districts has no figure
    if any of them is suppressed (never a partial sum). An authority's empty cell is refused: it
    is a damaged file, not DWP's suppression.
    """
    m = match_authorities(names, geo, file)
    blank = values.loc[m["row"]].isna().to_numpy() & ~suppressed.loc[m["row"]].to_numpy()
    if blank.any():
        raise DataError(file, f"column '{column}' is empty for '{names[m['row'][blank].iloc[0]]}'")
    m = m.assign(value=values.where(~suppressed).loc[m["row"]].to_numpy())
    g = m.groupby(["authority_code", "method"], as_index=False)["value"].agg(lambda s: s.sum(min_count=len(s)))
    return g.rename(columns={"authority_code": "geo_code"})[["geo_code", "value", "method"]]


def wider_totals(auth: pd.DataFrame, geo: Geo) -> pd.DataFrame:
    """Region and country totals of the authorities' counts (``geo_code``, ``value``).

    A total is given only when every authority in the area has a figure (a suppressed one leaves
    the area without a total rather than an undercount). Wales is both a region and the country,
    and is given once.
    """
    a = geo.authorities.set_index("authority_code")
    d = auth.assign(region=auth["geo_code"].map(a["region_code"]), country=auth["geo_code"].map(a["country_code"]))
    out = []
    for col in ("region", "country"):
        g = d.groupby(col)["value"].agg(lambda s: s.sum(min_count=len(s)))
        size = a[f"{col}_code"].value_counts()
        g = g[d.groupby(col).size() == size.reindex(g.index)]
        out.append(pd.DataFrame({"geo_code": g.index, "value": g.to_numpy()}))
    t = pd.concat(out, ignore_index=True).drop_duplicates("geo_code").dropna(subset=["value"])
    bad = set(t["geo_code"]) - set(a["region_code"]) - {ENGLAND, WALES}
    if bad:  # cannot happen with the ONS lookup; says so loudly if it ever does
        raise DataError("ward lookup", f"unknown region or country '{sorted(bad)[0]}'")
    return t.reset_index(drop=True)


def authority_observations(
    names: pd.Series,
    values: pd.Series,
    suppressed: pd.Series,
    geo: Geo,
    file: Path,
    column: str,
    *,
    status: str,
    **fields: object,
) -> pd.DataFrame:
    """One column of a Stat-Xplore table as observation rows: every current authority, then its
    regions and countries (``aggregated``); ``status`` for every figure given, ``suppressed``
    where none is. ``fields``: indicator_id, period, period_start, source_id."""
    auth = authority_values(names, values, suppressed, geo, file, column)
    d = pd.concat([auth, wider_totals(auth, geo).assign(method="aggregated")], ignore_index=True)
    return obs_frame(
        geo_code=d["geo_code"].to_numpy(),
        vintage=CURRENT,
        value=d["value"].to_numpy(),
        numerator=d["value"].to_numpy(),
        method=d["method"].to_numpy(),
        status=np.where(d["value"].isna(), "suppressed", status),
        **fields,
    )
