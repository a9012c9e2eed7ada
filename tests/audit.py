"""An audit of a public extract against the full one it was made from, as a motivated outsider
with the whole artefact would attack it: every cell of every table, not a page at a time.

:func:`audit` returns the findings of each rule (empty frames when the artefact is safe):

* ``small_counts``: a count shown below 10, or not a multiple of 5;
* ``solvable``: a rate or share (with its interval) shown beside its rounded counts from which
  exactly one integer numerator can be worked out, and not the rounded one (integer numerators
  and denominators within the rounding, rate and interval to the decimals shown);
* ``complements``: a share shown whose complement (denominator less numerator) is below 10;
* ``primary``: a figure resting on a count (or complement) below 10 in the full extract that is
  shown in the public one;
* ``hidden_carry``: a hidden figure that still has a value, count, interval, rank or label in any
  table (observations, ward figures, gap measures' extremes, context ranks, similar wards);
* ``differencing``: a set of cells adding up to a shown total (an authority's wards) in which the
  hidden cells are one alone, or hold fewer than 10 (or fewer than 10 of the complement);
* ``twins``: a hidden rate whose count twin (another indicator's count for the same area, ward set
  and period, equal to the rate's numerator) is shown, so the count over the rate's shown
  denominator gives the rate back; or a hidden count whose rate twin shows it as its numerator;
* ``z_scores``: a similar-wards z-score or a distance finer than two decimals.

The council's published area sets (``local_layer.area_observations``, when the public extract holds
them) are scanned by the same rules, their undisclosed counts summed here from the full extract's
ward figures: ``small_counts``, ``solvable``, ``complements``, ``primary`` and ``hidden_carry`` on
every area cell, and ``differencing`` both ways: an area shown while one of its wards is hidden (the
area less its shown wards gives the ward back), and a set's areas in an authority whose hidden ones
are one alone or hold fewer than 10 (the authority's total less the shown areas gives them back).

The oracle is independent of :mod:`wardgaps.disclosure`: Wilson's interval is written out here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import norm

from wardgaps import db

SCALE = {"%": 100.0, "rate_per_1000": 1000.0}


def _read(path: Path, sql: str) -> pd.DataFrame:
    # the app's connection settings: a file the app has open in this process shares its instance
    con = duckdb.connect(str(path), read_only=True, config=dict(db.SETTINGS))
    try:
        return con.execute(sql).df()
    finally:
        con.close()


OBS = """
select o.*, g.geo_type, g.authority_code, g.region_code, g.country_code, i.unit
from observations as o
join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
join indicators as i on o.indicator_id = i.indicator_id
"""


def wilson(n: np.ndarray, d: np.ndarray, level: float, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of n/d × scale (NaN where d <= 0)."""
    z = norm.ppf(1 - (1 - level) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = n / d
        centre = (p + z * z / (2 * d)) / (1 + z * z / d)
        half = z * np.sqrt(p * (1 - p) / d + z * z / (4 * d * d)) / (1 + z * z / d)
    return (centre - half) * scale, (centre + half) * scale


def solvable(rows: pd.DataFrame, scale: float, with_interval: bool = True) -> pd.Series:
    """For rate rows with ``value``, ``numerator`` and ``denominator`` shown (rounded to 5) and,
    where present, ``lower_95``/``upper_95``: the single integer numerator that the rate, or the
    interval, or both leave (an attacker uses whichever pins it down), when exactly one fits and
    it is not the rounded one; NaN otherwise."""
    N = rows["numerator"].to_numpy(float)[:, None]
    D = rows["denominator"].to_numpy(float)[:, None]
    offsets = np.arange(-2, 3, dtype=float)
    n = (N + offsets)[:, :, None] * np.ones(5)[None, None, :]  # rows × n × d
    d = (D + offsets)[:, None, :] * np.ones(5)[None, :, None]
    ok = (n >= 0) & (d > 0) & (n <= d)
    with np.errstate(invalid="ignore", divide="ignore"):
        by_value = ok & (np.abs(scale * n / d - rows["value"].to_numpy(float)[:, None, None]) <= 0.05 + 1e-9)
    tests = [by_value]
    if with_interval and "lower_95" in rows:
        lo = rows["lower_95"].to_numpy(float)[:, None, None]
        hi = rows["upper_95"].to_numpy(float)[:, None, None]
        a, b = wilson(n, d, 0.95, scale)
        by_interval = ok & (np.abs(a - lo) <= 0.05 + 1e-9) & (np.abs(b - hi) <= 0.05 + 1e-9)
        has = ~np.isnan(lo)
        tests += [np.where(has, by_interval, ok), np.where(has, by_interval & by_value, by_value)]
    found = np.full(len(rows), np.nan)
    for fits in tests:
        any_d = fits.any(axis=2)  # rows × n
        only = np.where(any_d.sum(axis=1) == 1, N[:, 0] + offsets[np.argmax(any_d, axis=1)], np.nan)
        leak = ~np.isnan(only) & (only != N[:, 0])
        found = np.where(np.isnan(found) & leak, only, found)
    return pd.Series(found, index=rows.index)


def audit(full: Path, public: Path) -> dict[str, pd.DataFrame]:
    """Every finding of every rule (see the module's docstring), by rule."""
    out: dict[str, pd.DataFrame] = {}
    pub = _read(public, OBS)
    raw = _read(full, OBS)
    keys = ["indicator_id", "geo_code", "vintage", "period"]
    both = pub.merge(raw, on=keys, suffixes=("", "_full"))
    shown = both[both["status"].ne("suppressed")]

    def off(x: pd.Series) -> pd.Series:  # a count below 10 or not a multiple of 5
        return x.notna() & ((x < 10) | (x % 5 != 0))

    counts = (shown["unit"].eq("count") & off(shown["value"])) | off(shown["numerator"]) | off(shown["denominator"])
    out["small_counts"] = shown[counts]

    parts = []
    for unit, scale in SCALE.items():
        r = shown[shown["unit"].eq(unit) & shown[["value", "numerator", "denominator"]].notna().all(axis=1)]
        if len(r):
            found = solvable(r, scale)
            parts.append(r.assign(solved=found)[found.notna()])
    out["solvable"] = pd.concat(parts) if parts else shown.head(0)

    rate = shown["unit"].isin(list(SCALE))
    comp = shown["denominator_full"] - shown["numerator_full"]
    out["complements"] = shown[rate & shown["value"].notna() & (comp < 10)]

    small = (shown["unit"].eq("count") & (shown["value_full"] < 10)) | (rate & (shown["numerator_full"] < 10))
    out["primary"] = shown[small & shown["value"].notna()]

    hidden = both[both["status"].eq("suppressed")]
    carry = hidden[hidden[["value", "numerator", "lower_95", "upper_95", "lower_998", "upper_998"]].notna().any(axis=1)]
    out["hidden_carry"] = carry

    figures = _read(
        public,
        "select f.*, o.status, o.value from ward_figures f left join observations o "
        "using (indicator_id, geo_code, vintage, period)",
    )
    hid = figures[figures["suppressed"].fillna(False) | figures["status"].eq("suppressed")]
    labelled = hid[
        hid[["rank", "rank_region", "rank_country", "vs_authority", "vs_region", "vs_country", "value"]]
        .notna()
        .any(axis=1)
    ]
    gaps = _read(public, "select * from gap_measures where highest_code is not null")
    extremes = pd.concat(
        [
            gaps.rename(columns={"highest_code": "geo_code"})[
                ["authority_code", "indicator_id", "period", "vintage", "geo_code"]
            ],
            gaps.rename(columns={"lowest_code": "geo_code"})[
                ["authority_code", "indicator_id", "period", "vintage", "geo_code"]
            ],
        ]
    ).merge(hid[["authority_code", "indicator_id", "period", "vintage", "geo_code"]])
    out["hidden_carry"] = pd.concat([carry, labelled, extremes])

    # differencing: within each authority's wards (one indicator, period, ward set) whose total is shown
    wards = both[both["geo_type"].eq("ward")]
    totals = both[both["geo_type"].eq("authority") & both["value"].notna()][["indicator_id", "period", "geo_code"]]
    totals = totals.rename(columns={"geo_code": "authority_code"})
    sets = wards.merge(totals, on=["indicator_id", "period", "authority_code"])
    sets = sets.assign(
        hid=sets["status"].eq("suppressed"),
        cnt=np.where(sets["unit"].eq("count"), sets["value_full"], sets["numerator_full"]),
        cmp=sets["denominator_full"] - sets["numerator_full"],
    )
    g = sets.groupby(["authority_code", "indicator_id", "period", "vintage"])
    summary = g.agg(
        hidden=("hid", "sum"),
        cells=("hid", "size"),
        held=("cnt", lambda s: s[sets.loc[s.index, "hid"]].sum(min_count=1)),
        held_comp=("cmp", lambda s: s[sets.loc[s.index, "hid"]].sum(min_count=1)),
        small_comp=("cmp", lambda s: bool((s[sets.loc[s.index, "hid"]] < 10).any())),
    ).reset_index()
    bad = summary[
        (summary["hidden"] > 0)
        & (summary["hidden"] < summary["cells"])
        & ((summary["hidden"] == 1) | (summary["held"] < 10) | (summary["small_comp"] & (summary["held_comp"] < 10)))
    ]
    out["differencing"] = bad

    out["twins"] = twin_leaks(both)
    for rule, found in audit_areas(full, public, pub).items():
        out[rule] = pd.concat([out[rule], found]) if len(found) else out[rule]

    z = _read(public, "select geo_code, characteristic, z from ward_characteristics where z is not null")
    dist = _read(public, "select * from similar_wards where abs(distance - round(distance, 2)) > 1e-12")
    out["z_scores"] = pd.concat([z, dist])
    return out


AREAS_PRESENT = """
select count(*) > 0 as present from duckdb_tables()
where schema_name = 'local_layer' and table_name = 'area_observations'
"""


def audit_areas(full: Path, public: Path, pub_obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The findings on the published area sets (empty when there are none); ``pub_obs``: the public
    extract's observations (to know which wards it hides)."""
    if not bool(_read(public, AREAS_PRESENT)["present"].iloc[0]):
        return {}
    shown_areas = _read(public, "select * from local_layer.area_observations")
    members = _read(public, "select set_name, area_name, ward_code as geo_code from local_layer.area_wards")
    wards = _read(full, OBS + " where g.geo_type = 'ward' and o.vintage = (select max(vintage) from geographies)")
    # the areas' exact counts, summed here from the full extract's wards
    w = members.merge(wards, on="geo_code")
    w = w.assign(cnt=np.where(w["unit"].eq("count"), w["value"], w["numerator"]))
    sums = (
        w.groupby(["set_name", "area_name", "indicator_id", "period"])
        .agg(cnt=("cnt", lambda s: s.sum(min_count=len(s))), den=("denominator", lambda s: s.sum(min_count=len(s))))
        .reset_index()
    )
    a = shown_areas.merge(sums, on=["set_name", "area_name", "indicator_id", "period"], how="left")
    a = a.assign(cmp=a["den"] - a["cnt"], hid=a["status"].eq("suppressed") | a["suppressed"].fillna(False))
    out: dict[str, pd.DataFrame] = {}
    shown = a[~a["hid"] & a["value"].notna()]

    def off(x: pd.Series) -> pd.Series:
        return x.notna() & ((x < 10) | (x % 5 != 0))

    out["small_counts"] = shown[
        (shown["unit"].eq("count") & off(shown["value"])) | off(shown["numerator"]) | off(shown["denominator"])
    ]
    parts = []
    for unit, scale in SCALE.items():
        r = shown[shown["unit"].eq(unit) & shown[["value", "numerator", "denominator"]].notna().all(axis=1)]
        if len(r):
            found = solvable(r, scale)
            parts.append(r.assign(solved=found)[found.notna()])
    out["solvable"] = pd.concat(parts) if parts else shown.head(0)
    rate = shown["unit"].isin(list(SCALE))
    out["complements"] = shown[rate & (shown["cmp"] < 10)]
    out["primary"] = shown[shown["cnt"] < 10]
    hidden = a[a["hid"]]
    out["hidden_carry"] = hidden[hidden[["value", "numerator", "lower_95", "upper_95"]].notna().any(axis=1)]
    # differencing from wards: an area shown while one of its wards is hidden
    hid_wards = pub_obs[pub_obs["geo_type"].eq("ward") & pub_obs["status"].eq("suppressed")]
    hid_wards = hid_wards[["indicator_id", "period", "geo_code"]].merge(members, on="geo_code")
    from_wards = shown.merge(hid_wards[["set_name", "area_name", "indicator_id", "period"]].drop_duplicates())
    # differencing from the authority's total: a set's hidden areas one alone, or holding fewer than 10
    counted = a[a["cnt"].notna()]
    g = counted.groupby(["set_name", "authority_code", "indicator_id", "period"])
    summary = g.agg(
        hidden=("hid", "sum"),
        cells=("hid", "size"),
        held=("cnt", lambda s: s[counted.loc[s.index, "hid"]].sum()),
    ).reset_index()
    from_total = summary[
        (summary["hidden"] > 0)
        & (summary["hidden"] < summary["cells"])
        & ((summary["hidden"] == 1) | (summary["held"] < 10))
    ]
    out["differencing"] = pd.concat([from_wards, from_total])
    return out


def twin_leaks(both: pd.DataFrame) -> pd.DataFrame:
    """Rows of public observations joined to their full ones (``*_full`` columns) where a rate and
    its count twin (same area, ward set and period; the full count equals the rate's full numerator)
    are hidden one without the other, and the shown one gives the hidden one back."""
    key = ["geo_code", "vintage", "period"]
    rate = both[both["unit"].isin(list(SCALE)) & both["numerator_full"].notna()]
    count = both[both["unit"].eq("count") & both["value_full"].notna()]
    m = rate.merge(count, on=key, suffixes=("", "_twin"))
    m = m[np.isclose(m["numerator_full"].astype(float), m["value_full_twin"].astype(float))]
    hid_rate = m["status"].eq("suppressed")
    hid_count = m["status_twin"].eq("suppressed")
    # a hidden rate beside its shown denominator and its shown count; a hidden count beside a shown numerator
    leak = (hid_rate & ~hid_count & m["denominator"].notna()) | (hid_count & ~hid_rate & m["numerator"].notna())
    return m[leak]
