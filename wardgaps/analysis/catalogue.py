"""The extract's catalogue as plain dicts: indicators, authorities, regions, periods."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from wardgaps import text
from wardgaps.db import Reader
from wardgaps.meta import WARD_VINTAGE, deprivation_index, imd_edition, is_count, is_deprivation_index, polarity

COMPARATOR_LABEL = text.COMPARATOR_LABEL
LONDON = "E12000007"

__all__ = [
    "COMPARATOR_LABEL",
    "LONDON",
    "WARD_VINTAGE",
    "deprivation_index",
    "imd_edition",
    "is_count",
    "is_deprivation_index",
    "polarity",
]


def _catalogue(r: Reader) -> dict[str, dict]:
    def build() -> dict[str, dict]:
        df = r.peek("indicator_catalogue")
        local = {row["indicator_id"]: row for row in local_indicators(r).to_dict("records")}
        return {row["indicator_id"]: {**row, "local": local.get(row["indicator_id"])} for row in df.to_dict("records")}

    return r.shared("catalogue", build)


# The mark on a local item the council has not published (python -m wardgaps set-published): shown
# in the officer view beside it wherever it is shown; the public extract never holds one.
NOT_PUBLISHED = "Not published: kept out of the public view until the council publishes it."


def local_indicators(r: Reader) -> pd.DataFrame:
    """The council's own indicators (the local layer) with their provenance; empty without one."""
    if not r.has_local():
        return pd.DataFrame(columns=["indicator_id", "published"])
    df = r.peek("local_indicators")
    # a public extract holds only what was published (one made before the flag carries none)
    return df.assign(published=True) if r.public else df


def local_table(r: Reader, authority_code: str | None = None) -> pd.DataFrame:
    """The local indicators for the Data and methods page and the overview (those covering one
    authority's wards when ``authority_code`` is given), with a short checksum and the time added."""
    df = local_indicators(r)
    if df.empty:
        return df
    if authority_code is not None:
        df = df[[authority_code in str(c).split(", ") for c in df["authority_codes"]]]
    return df.assign(
        published_label=["Published" if p else "Not published" for p in df["published"]],
        sha256_short=df["sha256"].str[:12],
        added=[f"{pd.Timestamp(t):%Y-%m-%d %H:%M} UTC" for t in df["added_at"]],
    ).reset_index(drop=True)


def local_notes(r: Reader, indicator_ids: list[str]) -> list[str]:
    """The provenance sentences of the local indicators among ``indicator_ids``, once each."""
    notes = (local_note(indicator_meta(r, i) or {}) for i in dict.fromkeys(indicator_ids))
    return [n for n in notes if n]


def local_note(meta: dict) -> str | None:
    """One sentence of provenance for a local indicator (None for an official one)."""
    loc = meta.get("local")
    if not loc:
        return None
    return (
        f"Local data: the council's own figures, not an official statistic. Source {loc['source']}; "
        f"licence {loc['licence']}; dated {loc['date']}; file {loc['file_name']} (sha256 {loc['sha256'][:12]}); "
        f"added {pd.Timestamp(loc['added_at']):%Y-%m-%d %H:%M} UTC."
        + ("" if loc.get("published", True) else f" {NOT_PUBLISHED}")
    )


def catalogue(r: Reader) -> pd.DataFrame:
    """Every indicator with its definition, source and licence (the Data and methods table)."""
    return r.query("indicator_catalogue")


def indicator_meta(r: Reader, indicator_id: str) -> dict | None:
    """The indicator's catalogue row as a dict (a copy), or None if it is not in the extract."""
    m = _catalogue(r).get(indicator_id)
    return None if m is None else dict(m)


def indicators_by_id(r: Reader) -> dict[str, dict]:
    """Every indicator's catalogue row, by id (copies)."""
    return {k: dict(v) for k, v in _catalogue(r).items()}


def authorities(r: Reader) -> pd.DataFrame:
    """Every local authority with its region (Wales for Welsh ones), country and ward count."""
    return r.peek("authorities", vintage=WARD_VINTAGE)


class _Places(NamedTuple):
    authorities: dict[str, str]  # code -> name, in name order
    regions: dict[str, str]  # England's regions by name, then Wales
    region_of: dict[str, tuple[str, str, str, str]]
    in_region: dict[str, dict[str, str]]


def _places(r: Reader) -> _Places:
    """The authorities by region, worked out once per version of the extract (every page's
    sidebar asks)."""

    def build() -> _Places:
        a = authorities(r)
        regs = a.drop_duplicates("region_code")
        regs = regs.assign(wales=regs["region_code"].str.startswith("W")).sort_values(["wales", "region_name"])
        rows = a[["geo_code", "geo_name", "region_code", "region_name", "country_code", "country_name"]].astype(str)
        in_region: dict[str, dict[str, str]] = {}
        of: dict[str, tuple[str, str, str, str]] = {}
        for code, name, reg, reg_name, country, country_name in rows.itertuples(index=False):
            in_region.setdefault(reg, {})[code] = name
            of[code] = (reg, reg_name, country, country_name)
        return _Places(
            dict(zip(a["geo_code"], a["geo_name"], strict=True)),
            dict(zip(regs["region_code"], regs["region_name"], strict=True)),
            of,
            in_region,
        )

    return r.shared("places", build)


def authority_names(r: Reader) -> dict[str, str]:
    """Local authority code → name, in name order (all of England and Wales)."""
    return dict(_places(r).authorities)


def regions(r: Reader) -> dict[str, str]:
    """Region code → name: England's nine regions by name, then Wales."""
    return dict(_places(r).regions)


def region_of(r: Reader, authority_code: str) -> tuple[str, str, str, str]:
    """(region code, region name, country code, country name) of an authority; Welsh
    authorities' region is Wales itself."""
    return _places(r).region_of[authority_code]


def authorities_in(r: Reader, region_code: str) -> dict[str, str]:
    """The region's authorities, code → name, in name order."""
    return dict(_places(r).in_region.get(region_code, {}))


def indicators_by_theme(r: Reader) -> dict[str, dict[str, str]]:
    """Theme → {indicator id: "short title (unit)"}, for the sidebar."""

    def build() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for m in _catalogue(r).values():
            out.setdefault(m["theme"], {})[m["indicator_id"]] = f"{m['short_title']} ({text.unit_label(m['unit'])})"
        return out

    return {theme: dict(inds) for theme, inds in r.shared("by_theme", build).items()}


def periods(r: Reader, authority_code: str, indicator_id: str) -> pd.DataFrame:
    """Ward-level periods of an indicator in an authority, newest first, with their ward set."""
    return r.query("indicator_periods", authority_code=authority_code, indicator_id=indicator_id)


def period_options(r: Reader, authority_code: str, indicator_id: str) -> list[str]:
    """Periods to offer, newest first: ward periods, or the authority's own for authority-only indicators."""
    p = periods(r, authority_code, indicator_id)
    options = list(dict.fromkeys(p["period"]))
    if not options:
        # the periods on offer, not figures shown: not one of the page's queries
        comp = r.peek("comparator_series", authority_code=authority_code, indicator_id=indicator_id)
        options = list(dict.fromkeys(comp.sort_values("period_start", ascending=False)["period"]))
    return options


def default_vintage(p: pd.DataFrame, period: str) -> int | None:
    """The ward set to show for a period: the current wards when the period has them."""
    rows = p[p["period"] == period]
    return None if rows.empty else int(rows["vintage"].max())
