"""Disclosure control: the rules the publish step (:mod:`wardgaps.publish`) applies, once, to
every row of the full extract to make the public extract. Nothing else applies a rule: the public
view reads the public extract and shows what it holds.

The rules (ONS practice for small-area counts), in :data:`RULES`:

* a count below 10 is hidden: a count's value, a rate's numerator, and a rate's complement (its
  denominator less its numerator: 2 households not in flats is as small as 2 in flats);
* every other count (values of counts, numerators, denominators) is rounded to the nearest 5;
* a rate with its counts is worked out again from the rounded counts (and its intervals from
  them), so no rate is finer than its rounding allows: from a rate shown to one decimal beside
  its rounded counts, the exact count cannot be solved;
* a figure its publisher suppressed stays hidden and counts as hidden in its set;
* secondary suppression: in every set of cells that adds up to a published total (an authority's
  wards, LSOAs or MSOAs; a region's authorities; a country's regions), where cells are hidden
  more are hidden, the smallest first, until at least two are hidden and together they hold at
  least 10 (and, where a complement was small, at least 10 of the complement), so differencing
  recovers no small count;
* a ward hidden on one set of ward boundaries is hidden on every set that carries the same
  indicator and period (codes shared between sets are the same ward);
* twins that share a numerator (a rate whose numerator is another indicator's count, as the child
  poverty rate's is the children-in-low-income count) are hidden together: a hidden rate beside its
  shown count, or a hidden count beside its rate's numerator, would give the figure back;
* a hidden cell has no value, numerator, interval, rank or label; counts carry no interval (a
  Poisson interval from the exact count would undo the rounding);
* gap measures use the figures shown only, and are withheld where the highest or lowest ward's
  figure is hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps.stats import wilson_interval

THRESHOLD = 10
BASE = 5
SCALE = {"%": 100.0, "rate_per_1000": 1000.0}  # rates that can carry their counts

RULES = (
    "Counts below 10 are not shown, and neither are rates worked out from fewer than 10 people or households, "
    "nor shares that leave fewer than 10 outside them (99.6% of 480 households would leave 2).",
    "All other counts are rounded to the nearest 5, and a rate shown beside its counts is worked out again from "
    "the rounded counts (with its interval), so the exact count cannot be worked back from it; such a rate can "
    "differ slightly from the publisher's.",
    "Where hiding one figure would let it be worked out from a total and the other figures (an authority's wards, "
    "a region's authorities), more figures are hidden too, so no small number can be recovered by subtraction.",
    "A ward hidden on one set of ward boundaries is hidden on every other set for the same period.",
    "A rate and the count it is worked out from are hidden together.",
    "A hidden figure has no rank, no comparison label and no interval.",
    "Gap measures (range, ratio and slope index) use the figures shown only, and are not given when the "
    "highest or lowest ward's figure is hidden.",
)
RULES_TEXT = " ".join(RULES)
SHORT_NOTE = "Public view: small counts are suppressed and the rest rounded to 5."
NOT_SHOWN = "not shown (small numbers)"  # what a page or pack says where a figure is hidden
WITHHELD_EXTREME = (
    "The gap between the highest and lowest wards is not shown, because one of those wards' figures "
    "is hidden to protect small numbers."
)

_INTERVALS = ("lower_95", "upper_95", "lower_998", "upper_998")
_LEVELS = {0.95: ("lower_95", "upper_95"), 0.998: ("lower_998", "upper_998")}
# The set a cell belongs to: the cells that add up to one published total.
_SET_OF = {"ward": "authority_code", "lsoa": "authority_code", "msoa": "authority_code", "authority": "region_code"}
_SET_KEY = ["set_type", "set_area", "vintage", "indicator_id", "period"]


def round_count(values: pd.Series) -> pd.Series:
    """Counts rounded to the nearest 5, hidden (NaN) below 10."""
    c = pd.to_numeric(values, errors="coerce").astype(float)
    return (np.floor(c / BASE + 0.5) * BASE).where(c >= THRESHOLD)


def cell_counts(df: pd.DataFrame) -> pd.DataFrame:
    """The counts each row rests on (NaN where it has none): ``count``, a count's value or a rate's
    numerator; ``complement``, a rate's denominator less its numerator. ``df`` has ``unit``."""
    value = pd.to_numeric(df["value"], errors="coerce").astype(float)
    num = pd.to_numeric(df["numerator"], errors="coerce").astype(float)
    den = pd.to_numeric(df["denominator"], errors="coerce").astype(float)
    is_count = df["unit"].eq("count")
    is_rate = df["unit"].isin(list(SCALE))
    count = value.where(is_count, num.where(is_rate))
    return pd.DataFrame({"count": count, "complement": (den - num).where(is_rate)}, index=df.index)


def _set_hidden(count: np.ndarray, comp: np.ndarray, hide: np.ndarray) -> np.ndarray:
    """One set of cells (already in tie-break order): add the smallest cells to ``hide`` until at
    least two are hidden holding at least 10 (of the complement too, where one was small)."""
    hide = hide.copy()
    if not hide.any():
        return hide
    need_comp = bool(np.any(hide & (comp < THRESHOLD)))
    key = np.fmin(count, comp) if need_comp else count  # the count that may be short
    for i in np.argsort(np.where(np.isnan(key), np.inf, key), kind="stable"):
        enough = hide.sum() >= 2 and np.nansum(count[hide]) >= THRESHOLD
        if enough and need_comp:
            enough = np.nansum(comp[hide]) >= THRESHOLD
        if enough:
            break
        if not hide[i] and not np.isnan(key[i]):
            hide[i] = True
    return hide


def hidden_cells(df: pd.DataFrame, counts: pd.DataFrame, forced: pd.Series | None = None) -> pd.Series:
    """Which cells of one set to hide: those below the threshold (count or complement) and those
    ``forced`` (hidden for another reason), then more by :func:`_set_hidden`; ties broken by
    ``geo_code`` whatever order the rows came in."""
    order = df.sort_values("geo_code", kind="stable").index if "geo_code" in df else df.index
    c = counts.loc[order, "count"].to_numpy(float)
    k = counts.loc[order, "complement"].to_numpy(float)
    hide = (c < THRESHOLD) | (k < THRESHOLD)
    if forced is not None:
        hide |= forced.reindex(order).fillna(False).to_numpy(bool)
    return pd.Series(_set_hidden(c, k, hide), index=order).reindex(df.index)


def set_keys(df: pd.DataFrame) -> pd.DataFrame:
    """The set each row belongs to (``set_type``, ``set_area`` plus vintage, indicator, period):
    wards, LSOAs and MSOAs by authority, authorities by region, regions (and countries) by country."""
    area = pd.Series(pd.NA, index=df.index, dtype=object)
    for geo_type, col in _SET_OF.items():
        m = df["geo_type"].eq(geo_type)
        area[m] = df.loc[m, col]
    rest = ~df["geo_type"].isin(list(_SET_OF))
    area[rest] = df.loc[rest, "country_code"].where(df.loc[rest, "geo_type"].eq("region"), "countries")
    return pd.DataFrame({"set_type": df["geo_type"], "set_area": area.fillna("none")}, index=df.index)


def twin_pairs(df: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Rows that share a numerator: ``a`` and ``b`` (index labels of ``df``), a rate row whose
    numerator is the value of another indicator's count row for the same area, ward set and period.
    An indicator pair is twinned where the numerator equals the count in nine of ten rows they share
    or more; elsewhere a row whose numerator equals the other's count exactly is twinned on its own
    (the shown one would give the hidden one back, however the two indicators are related: an
    LSOA wholly in IMD's most deprived 20% has its population as that share's numerator)."""
    key = ["geo_code", "vintage", "period"]
    rate = df.loc[df["unit"].isin(list(SCALE)) & counts["count"].notna(), key + ["indicator_id"]]
    rate = rate.assign(n=counts.loc[rate.index, "count"]).reset_index(names="a")
    cnt = df.loc[df["unit"].eq("count"), key + ["indicator_id", "value"]].reset_index(names="b")
    m = rate.merge(cnt, on=key, suffixes=("", "_c"))
    if m.empty:
        return pd.DataFrame({"a": [], "b": []})
    m["same"] = np.isclose(m["n"].astype(float), pd.to_numeric(m["value"], errors="coerce").astype(float))
    share = m.groupby(["indicator_id", "indicator_id_c"])["same"].transform("mean")
    return m.loc[(share >= 0.9) | m["same"], ["a", "b"]].reset_index(drop=True)


def suppress(df: pd.DataFrame) -> pd.Series:
    """Which rows the public may not see: every set's small cells and the cells hidden with them,
    a ward hidden on one ward set hidden on all sets of its indicator and period (repeated until
    nothing changes, since a cell hidden from another set may call for more in its own).

    ``df``: observations with ``unit``, ``geo_type``, ``authority_code``, ``region_code``,
    ``country_code``. Returns a boolean Series on ``df``'s index."""
    counts = cell_counts(df)
    keyed = pd.concat([df[["geo_code", "vintage", "indicator_id", "period", "geo_type"]], set_keys(df)], axis=1)
    hidden = pd.Series(False, index=df.index)
    # a figure its publisher suppressed is hidden too, and counts as hidden in its set (its count
    # unknown: the cells hidden with it must hold 10 on their own)
    forced = df["status"].eq("suppressed")
    small = (counts["count"] < THRESHOLD) | (counts["complement"] < THRESHOLD) | forced
    todo = keyed.loc[small, _SET_KEY].drop_duplicates()
    groups = keyed.groupby(_SET_KEY, sort=False).indices
    twins = twin_pairs(df, counts)
    while len(todo):
        for key in todo.itertuples(index=False, name=None):
            idx = df.index[groups[key]]
            hidden.loc[idx] = hidden_cells(keyed.loc[idx], counts.loc[idx], forced.loc[idx] | hidden.loc[idx])
        # a ward hidden on one ward set is hidden on every set of the same indicator and period
        wards = keyed[keyed["geo_type"].eq("ward")]
        on = wards.loc[hidden[wards.index], ["indicator_id", "period", "geo_code"]].drop_duplicates()
        spread = wards.reset_index().merge(on, on=["indicator_id", "period", "geo_code"]).set_index("index").index
        # a hidden rate or count hides its twin (twin_pairs)
        pair = pd.concat([twins.assign(h=twins["a"]), twins.assign(h=twins["b"])], ignore_index=True)
        hit = pair[hidden.loc[pair["h"]].to_numpy()]
        spread = spread.union(pd.Index(hit["a"])).union(pd.Index(hit["b"]))
        new = spread[~hidden.loc[spread].to_numpy()]
        forced.loc[new] = True
        hidden.loc[new] = True
        todo = keyed.loc[new, _SET_KEY].drop_duplicates()
    return hidden


def apply(df: pd.DataFrame, hidden: pd.Series) -> pd.DataFrame:
    """The rows as the public sees them: counts rounded, rates worked out from the rounded counts
    (intervals too, where the row had them), counts without intervals, hidden rows (and rows the
    publisher suppressed) emptied.
    ``df`` has ``unit``; adds ``suppressed``."""
    out = df.copy()
    unit = out["unit"]
    had_interval = out["lower_95"].notna()
    is_count = unit.eq("count")
    out.loc[is_count, "value"] = round_count(out.loc[is_count, "value"])
    out.loc[is_count, list(_INTERVALS)] = np.nan  # a Poisson interval from the exact count undoes the rounding
    for col in ("numerator", "denominator"):
        out[col] = round_count(out[col])
    for u, scale in SCALE.items():
        rate = unit.eq(u)
        counted = rate & out["numerator"].notna() & out["denominator"].gt(0)
        out.loc[rate, "value"] = out.loc[rate, "value"].round(1)
        out.loc[counted, "value"] = (scale * out.loc[counted, "numerator"] / out.loc[counted, "denominator"]).round(1)
        again = counted & had_interval
        for level, (lo, hi) in _LEVELS.items():
            a, b = wilson_interval(out.loc[again, "numerator"], out.loc[again, "denominator"], level, scale)
            out.loc[again, lo], out.loc[again, hi] = np.round(a, 1), np.round(b, 1)
    if "fit_quality" in out:
        out["fit_quality"] = out["fit_quality"].round(2)
    # and a figure its publisher suppressed stays hidden, counts and all
    h = hidden.reindex(out.index).fillna(False).astype(bool) | df["status"].eq("suppressed")
    out.loc[h, ["value", "numerator", *_INTERVALS]] = np.nan
    out.loc[h, "status"] = "suppressed"
    out["suppressed"] = h
    return out


def extreme_hidden(raw: pd.DataFrame, hidden: pd.Series) -> bool:
    """True when the highest or lowest of one set's raw values (``raw``: geo_code, value) is hidden."""
    d = raw.dropna(subset=["value"])
    if d.empty:
        return False
    ends = d.index[[d["value"].to_numpy().argmax(), d["value"].to_numpy().argmin()]]
    return bool(hidden.reindex(ends).fillna(False).any())
