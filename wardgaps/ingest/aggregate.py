"""Building ward and wider-area figures from smaller blocks (LSOAs) and from authority counts."""

from __future__ import annotations

import numpy as np
import pandas as pd


def sum_counts(blocks: pd.DataFrame, lookup: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Sum count columns of blocks (``lsoa`` + cols) into areas (lookup ``lsoa`` -> ``ward``)."""
    m = lookup[["lsoa", "ward"]].merge(blocks, on="lsoa", how="inner")
    return m.groupby("ward", as_index=False)[cols].sum(min_count=1).rename(columns={"ward": "geo_code"})


def weighted_mean(blocks: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Weighted mean of ``value`` over blocks, weighted by ``weight`` × lookup ``share``.

    ``lookup`` has ``lsoa``, ``ward`` and optionally ``share`` (the part of the block in the ward;
    1 for a best-fit lookup). ``weight_sum`` is Σ weight·share (the population behind the mean);
    fit_quality = Σ w·share / Σ w over contributing blocks (1 when every contributing block lies
    wholly in the ward).
    """
    lk = lookup.copy()
    if "share" not in lk.columns:
        lk["share"] = 1.0
    m = lk.merge(blocks, on="lsoa", how="inner")
    m["w"] = m["weight"] * m["share"]
    m["wv"] = m["w"] * m["value"]
    m["ws"] = m["w"] * m["share"]
    g = m.groupby("ward").agg(
        wv=("wv", "sum"), w=("w", "sum"), ws=("ws", "sum"), miss=("value", lambda s: s.isna().any())
    )
    g["value"] = np.where(g["miss"] | (g["w"] <= 0), np.nan, g["wv"] / g["w"])
    g["fit_quality"] = (g["ws"] / g["w"]).round(4)
    g["weight_sum"] = g["w"]
    return g.reset_index().rename(columns={"ward": "geo_code"})[["geo_code", "value", "weight_sum", "fit_quality"]]


def mean_weights(blocks: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """The weights :func:`weighted_mean` applies, as a crosswalk: ``weight`` is each block's part
    of its area's total weight, so area value = Σ weight × block value (weights sum to 1 per area)."""
    lk = lookup.copy()
    if "share" not in lk.columns:
        lk["share"] = 1.0
    m = lk.merge(blocks[["lsoa", "weight"]], on="lsoa", how="inner")
    w = m["weight"] * m["share"]
    return pd.DataFrame(
        {"from_code": m["lsoa"], "to_code": m["ward"], "weight": w / w.groupby(m["ward"]).transform("sum")}
    )


def apportion(
    values: pd.DataFrame,
    xwalk: pd.DataFrame,
    *,
    key: str = "from_code",
    target: str = "to_code",
    weight: str = "weight",
    pop: str = "p",
) -> pd.DataFrame:
    """Carry counts onto target areas by weights.

    ``pop`` is the population of each (source ∩ target) piece and ``weight`` the share of the
    source that lies in the target, so fit_quality = Σ pop·weight / Σ pop: 1 when every
    contributing source lies wholly inside the target.

    ``values`` has columns ``from_code`` and ``value``. A target with any missing contributor
    gets no value (never a partial sum).
    """
    m = xwalk.merge(values, left_on=key, right_on="from_code", how="left", suffixes=("", "_v"))
    m["wv"] = m["value"] * m[weight]
    m["miss"] = m["value"].isna()
    m["pw"] = m[pop] * m[weight]
    g = m.groupby(target).agg(value=("wv", "sum"), miss=("miss", "any"), pw=("pw", "sum"), p=(pop, "sum"))
    g.loc[g["miss"], "value"] = np.nan
    g["fit_quality"] = (g["pw"] / g["p"]).round(4)
    return g.reset_index().rename(columns={target: "geo_code"})[["geo_code", "value", "fit_quality"]]


def rate_from_counts(df: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Region and country rates from authority counts and published rates.

    ``df`` has ``geo_code`` (local authorities), ``period``, ``numerator`` and ``value`` (a
    percentage); ``authorities`` maps ``authority_code`` to ``region_code`` and ``country_code``.
    The denominator is derived as count ÷ rate, then summed. A region gets a figure only when
    every one of its current authorities has one (never a partial sum); a country sums every
    authority row of its prefix, so a source on an older set of authorities still has one.
    """
    a = authorities.set_index("authority_code")
    d = df.copy()
    d["den"] = (d["numerator"] / (d["value"] / 100.0)).where(d["value"] > 0)
    d["country"] = d["geo_code"].str[0].map({"E": "E92000001", "W": "W92000004"})
    d["region"] = d["geo_code"].map(a["region_code"]).where(lambda r: r.str.startswith("E12", na=False))
    out = []
    for col, key in (("region", "region_code"), ("country", "country_code")):
        g = (
            d.dropna(subset=[col])
            .groupby([col, "period"], as_index=False)
            .agg(
                numerator=("numerator", lambda s: s.sum(min_count=len(s))),
                den=("den", lambda s: s.sum(min_count=len(s))),
                n=("geo_code", "size"),
            )
        )
        if col == "region":
            g = g[g["n"] == g[col].map(a[key].value_counts())]
        out.append(g.rename(columns={col: "geo_code"}))
    r = pd.concat(out, ignore_index=True).dropna(subset=["numerator", "den"])
    r["denominator"] = r["den"].round(1)
    r["value"] = (100 * r["numerator"] / r["den"]).round(4)
    return r[["geo_code", "period", "value", "numerator", "denominator"]].reset_index(drop=True)
