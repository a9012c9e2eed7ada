"""The extract's catalogue as plain dicts made once per extract: indicators, boroughs, periods."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wardgaps import text
from wardgaps.analysis.cache import memo
from wardgaps.db import has_local, query

COMPARATOR_LABEL = text.COMPARATOR_LABEL
WARD_VINTAGE = 2024  # the current wards: ONS May 2024, England and Wales (London's since May 2022)
LONDON = "E12000007"


@memo
def _catalogue() -> dict[str, dict]:
    df = query("indicator_catalogue")
    local = {r["indicator_id"]: r for r in local_indicators().to_dict("records")}
    return {r["indicator_id"]: {**r, "local": local.get(r["indicator_id"])} for r in df.to_dict("records")}


@memo
def local_indicators() -> pd.DataFrame:
    """The council's own indicators (the local layer) with their provenance; empty without one."""
    return query("local_indicators") if has_local() else pd.DataFrame(columns=["indicator_id"])


def local_table(borough_code: str | None = None) -> pd.DataFrame:
    """The local indicators for the Data and methods page and the overview (those covering one
    authority's wards when ``borough_code`` is given), with a short checksum and the time added."""
    df = local_indicators()
    if df.empty:
        return df
    if borough_code is not None:
        df = df[[borough_code in str(c).split(", ") for c in df["authority_codes"]]]
    return df.assign(
        sha256_short=df["sha256"].str[:12],
        added=[f"{pd.Timestamp(t):%Y-%m-%d %H:%M} UTC" for t in df["added_at"]],
    ).reset_index(drop=True)


def local_notes(indicator_ids: list[str]) -> list[str]:
    """The provenance sentences of the local indicators among ``indicator_ids``, once each."""
    notes = (local_note(indicator_meta(i) or {}) for i in dict.fromkeys(indicator_ids))
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
    )


def catalogue() -> pd.DataFrame:
    """Every indicator with its definition, source and licence (the Data and methods table)."""
    return query("indicator_catalogue")


def indicator_meta(indicator_id: str) -> dict | None:
    """The indicator's catalogue row as a dict (a copy), or None if it is not in the extract."""
    m = _catalogue().get(indicator_id)
    return None if m is None else dict(m)


def indicators_by_id() -> dict[str, dict]:
    """Every indicator's catalogue row, by id."""
    return {k: dict(v) for k, v in _catalogue().items()}


def is_count(meta: dict) -> bool:
    return meta.get("unit") == "count"


def polarity(meta: dict) -> str:
    """Counts are never judged better or worse: ward size drives them, not need."""
    return "neutral" if is_count(meta) else meta.get("polarity", "neutral")


def is_deprivation_index(meta: dict) -> bool:
    """Indicators from the Indices of Deprivation: ranking wards by IMD to measure their gap
    would be circular (the IMD is built from them)."""
    sid = str(meta.get("source_id", ""))
    return "iod" in sid and not meta.get("local")  # a local id may hold the letters (local_period_…)


@memo
def authorities() -> pd.DataFrame:
    """Every local authority with its region (Wales for Welsh ones), country and ward count."""
    return query("boroughs", vintage=WARD_VINTAGE)


@memo
def boroughs() -> dict[str, str]:
    """Local authority code → name, in name order (all of England and Wales)."""
    b = authorities()
    return dict(zip(b["geo_code"], b["geo_name"], strict=True))


@memo
def regions() -> dict[str, str]:
    """Region code → name: England's nine regions by name, then Wales."""
    a = authorities().drop_duplicates("region_code")
    a = a.assign(wales=a["region_code"].str.startswith("W")).sort_values(["wales", "region_name"])
    return dict(zip(a["region_code"], a["region_name"], strict=True))


@memo
def region_of(borough_code: str) -> tuple[str, str, str, str]:
    """(region code, region name, country code, country name) of an authority; Welsh
    authorities' region is Wales itself."""
    r = authorities().set_index("geo_code").loc[borough_code]
    return str(r["region_code"]), str(r["region_name"]), str(r["country_code"]), str(r["country_name"])


@memo
def authorities_in(region_code: str) -> dict[str, str]:
    """The region's authorities, code → name, in name order."""
    a = authorities()
    a = a[a["region_code"] == region_code]
    return dict(zip(a["geo_code"], a["geo_name"], strict=True))


@memo
def indicators_by_theme() -> dict[str, dict[str, str]]:
    """Theme → {indicator id: "short title (unit)"}, for the sidebar."""
    out: dict[str, dict[str, str]] = {}
    for m in _catalogue().values():
        out.setdefault(m["theme"], {})[m["indicator_id"]] = f"{m['short_title']} ({text.unit_label(m['unit'])})"
    return out


def periods(borough_code: str, indicator_id: str) -> pd.DataFrame:
    """Ward-level periods of an indicator in a borough, newest first, with their ward vintage."""
    return query("indicator_periods", borough_code=borough_code, indicator_id=indicator_id)


@memo
def period_options(borough_code: str, indicator_id: str) -> list[str]:
    """Periods to offer, newest first: ward periods, or the borough's own for borough-only indicators."""
    p = periods(borough_code, indicator_id)
    options = list(dict.fromkeys(p["period"]))
    if not options:
        comp = query("comparator_series", borough_code=borough_code, indicator_id=indicator_id)
        options = list(dict.fromkeys(comp.sort_values("period_start", ascending=False)["period"]))
    return options


def default_vintage(p: pd.DataFrame, period: str) -> int | None:
    """The ward vintage to show for a period: the current wards when the period has them."""
    rows = p[p["period"] == period]
    return None if rows.empty else int(rows["vintage"].max())


def imd_edition(period_start: object) -> str:
    """The IMD edition of a period's time: 2015 for periods up to 2018, 2019 up to FYE 2024
    (periods starting before April 2024), 2025 after."""
    d = pd.Timestamp(period_start).date()
    if d.year <= 2018:
        return "2015"
    if d < dt.date(2024, 4, 1):
        return "2019"
    return "2025"


def _period_start(borough_code: str, indicator_id: str, period: str, vintage: int) -> object | None:
    p = periods(borough_code, indicator_id)
    rows = p[(p["period"] == period) & (p["vintage"] == vintage)]
    return None if rows.empty else rows["period_start"].iloc[0]
