"""Ward figures: every ward of an authority for each indicator, period and ward set, with its
rank in the authority, region and country, its comparators and Fingertips' significance labels
against them. One frame for every authority at once (the ``ward_figures`` table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import stats
from wardgaps.meta import DEPRIVATION_SCORES, imd_edition, is_count, polarity

GROUP = ["authority_code", "indicator_id", "period", "vintage"]
LEVELS = ("authority", "region", "country")
OBS_COLUMNS = [
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "method",
    "status",
    "fit_quality",
    "source_id",
]


def _latest(obs: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Each ward's latest figure of one indicator (per ward set)."""
    d = obs[obs["indicator_id"].eq(indicator_id) & obs["value"].notna()]
    d = d.sort_values("period_start", kind="stable").drop_duplicates(["geo_code", "vintage"], keep="last")
    return d[["geo_code", "vintage", "value"]]


def _deprivation(grid: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """The ward's deprivation score of the edition of the period's time: England's IMD for English
    wards, Wales' WIMD for Welsh ones (never one for the other); where the ward has none in that
    edition (WIMD 2025, ranks only), the latest edition that has one, named in
    ``deprivation_period``."""
    d = obs[obs["indicator_id"].isin(list(DEPRIVATION_SCORES.values())) & obs["value"].notna()]
    welsh = d["geo_code"].str.startswith("W")
    d = d[welsh.eq(d["indicator_id"].eq(DEPRIVATION_SCORES["WIMD"]))]
    imd = d[["geo_code", "vintage", "period", "value"]]
    starts = grid["period_start"].dropna().unique()
    edition = pd.Series({s: imd_edition(s) for s in starts}, dtype=object)
    want = grid["period_start"].map(edition).fillna("2019")
    keys = grid[["geo_code", "vintage"]].assign(want=want.to_numpy())
    exact = keys.merge(
        imd, left_on=["geo_code", "vintage", "want"], right_on=["geo_code", "vintage", "period"], how="left"
    )
    fallback = imd.sort_values("period").drop_duplicates(["geo_code", "vintage"], keep="last")
    latest = keys.merge(fallback, on=["geo_code", "vintage"], how="left")
    use_exact = exact["value"].notna().to_numpy()
    return pd.DataFrame(
        {
            "deprivation": np.where(use_exact, exact["value"], latest["value"]),
            "deprivation_period": np.where(use_exact, exact["period"], latest["period"]),
        },
        index=grid.index,
    )


def _labels(lower: pd.Series, upper: pd.Series, comparator: pd.Series, pol: pd.Series) -> list[str | None]:
    """Fingertips' rule (the comparator outside the ward's 95% interval) judged by polarity."""
    return [
        stats.judge(stats.compare(lo, hi, c), p)
        for lo, hi, c, p in zip(lower.to_numpy(), upper.to_numpy(), comparator.to_numpy(), pol.to_numpy(), strict=True)
    ]


def _rank(values: pd.Series, by: list[pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Rank (1 = highest, ties share the best) and how many figures there are, within groups."""
    g = values.groupby(by, dropna=False, sort=False)
    return g.rank(ascending=False, method="min"), g.transform("count")


def ward_figures(
    wards: pd.DataFrame,
    obs: pd.DataFrame,
    totals: pd.DataFrame,
    meta: dict[str, dict],
    only: set[str] | None = None,
) -> pd.DataFrame:
    """One row per authority, indicator, period, ward set and ward of that authority (wards with
    no figure kept, value null).

    ``wards``: geo_code, geo_name, vintage, authority_code, region_code, country_code; ``obs``: ward
    observations; ``totals``: authority, region and country figures (geo_code, geo_type,
    indicator_id, period, value); ``meta``: indicator id → catalogue row; ``only``: the indicators
    to make rows for (all; ``obs`` still gives every ward's population and IMD score)."""
    mine = obs if only is None else obs[obs["indicator_id"].isin(only)]
    placed = mine.merge(wards[["geo_code", "vintage", "authority_code"]], on=["geo_code", "vintage"])
    groups = placed.groupby(GROUP, as_index=False, sort=True)["period_start"].min()
    grid = groups.merge(wards, on=["authority_code", "vintage"]).sort_values([*GROUP, "geo_code"], kind="stable")
    grid = grid.merge(obs[["indicator_id", "period", "vintage", "geo_code", *OBS_COLUMNS]], how="left")
    grid = grid.reset_index(drop=True)
    pop = _latest(obs, "population").rename(columns={"value": "population"})
    grid = grid.merge(pop, on=["geo_code", "vintage"], how="left")
    grid = pd.concat([grid, _deprivation(grid, obs)], axis=1)
    grid["suppressed"] = grid["status"].eq("suppressed")

    by = [grid[c] for c in GROUP]
    grid["rank"], grid["n_authority"] = _rank(grid["value"], by)
    for level in ("region", "country"):
        wider = [grid["indicator_id"], grid["period"], grid["vintage"], grid[f"{level}_code"]]
        grid[f"rank_{level}"], grid[f"n_{level}"] = _rank(grid["value"], wider)

    codes = {"authority": "authority_code", "region": "region_code", "country": "country_code"}
    pol = grid["indicator_id"].map(lambda i: polarity(meta.get(i, {})))
    counts = grid["indicator_id"].map(lambda i: is_count(meta.get(i, {})))
    for level in LEVELS:
        t = totals[totals["geo_type"].eq(level)][["geo_code", "indicator_id", "period", "value"]]
        t = t.rename(columns={"geo_code": codes[level], "value": f"{level}_value"})
        grid = grid.merge(t, on=[codes[level], "indicator_id", "period"], how="left")
        labels = pd.Series(_labels(grid["lower_95"], grid["upper_95"], grid[f"{level}_value"], pol), dtype=object)
        # a ward's count against a total means nothing
        grid[f"vs_{level}"] = labels.where(~counts.to_numpy() & ~grid["suppressed"].to_numpy(), None)
    for col in ("rank", "n_authority", "rank_region", "n_region", "rank_country", "n_country"):
        grid[col] = grid[col].astype("Int64")
    return grid
