"""Similar wards: a ward's 10 statistical neighbours in other authorities (built at build time
from Census 2021 characteristics, see :mod:`wardgaps.ingest.similar`) and how the ward compares
with them on every outcome indicator.

In the public view every figure is the public extract's: the publish step hid and rounded each
figure once, so a figure hidden on any other page is hidden here too, and the characteristics
that are not app indicators (age shares, density) were disclosed as cells of their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import stats, text
from wardgaps.analysis.catalogue import WARD_VINTAGE, polarity
from wardgaps.db import Reader
from wardgaps.meta import POPULATION

MIN_NEIGHBOURS = 5  # fewer neighbours with a figure than this: no comparison (too few to stand for "places like it")
NO_NEIGHBOURS = (
    "{ward} has no similar wards: no Census 2021 neighbourhood (LSOA) lies in it under ONS's best-fit "
    "lookup, so it has no Census characteristics to be matched on (its residents are counted in a "
    "neighbouring ward's figures)."
)
METHOD = (
    "Wards are matched on eight Census 2021 characteristics that describe a place rather than how it fares: "
    "age structure (shares aged 0-14, 15-24 and 65+), housing tenure (owning, social renting, private "
    "renting), built form (households in flats) and population density (residents per hectare, on a log "
    "scale). Each is standardised across all wards of England and Wales (a z-score), and the distance "
    "between two wards is the standardised Euclidean distance: the square root of the sum of their squared "
    "z-score differences, every characteristic counting equally (0 = identical; the larger, the less "
    "alike). The 10 nearest wards in other authorities are a ward's similar wards (ties broken by ward "
    "code). The outcomes compared are never characteristics: tenure "
    "and flats, which wards are matched on, are left out of the comparison, and so are counts."
)


def characteristic_list(r: Reader) -> pd.DataFrame:
    """The characteristics wards are matched on (label, unit, transform, Census table, why)."""
    return r.query("similar_characteristic_list")


def similar_wards(r: Reader, ward_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(wards, characteristics): the ward (rank 0) and its 10 similar wards with authority,
    region, distance and label point, one column per characteristic (by its label); and the
    characteristics in long form (value, label, unit, suppressed). Both empty when the ward has none."""
    w = r.query("similar_neighbours", ward_code=ward_code, vintage=WARD_VINTAGE)
    c = r.query("similar_characteristics", ward_code=ward_code, vintage=WARD_VINTAGE)
    if w.empty:
        return w, c
    # a characteristic that is also an indicator shows the indicator's stored figure, as every
    # other page does (the same counts; the matching used the same share to four decimals)
    c["value"] = c["indicator_value"].fillna(c["value"])
    c["suppressed"] = c["value"].isna() & r.public  # hidden by the publish step
    wide = c.pivot(index="geo_code", columns="label", values="value")
    order = c.drop_duplicates("label").sort_values("position")["label"].tolist()
    return w.join(wide[order], on="geo_code"), c


def _compare(mine: pd.Series, others: pd.DataFrame) -> dict:
    """The ward against its neighbours on one indicator: their weighted mean, median and range,
    the ward's rank among them all, and Fingertips' rule on the ward's 95% interval."""
    unit = mine["unit"]
    shown = others.dropna(subset=["value"])
    shown = shown[~shown["suppressed"]]
    # weights: the indicator's own denominator for a share (e.g. children), else population
    w = shown["denominator"].where(shown["denominator"].notna() & (unit == "%"), shown["population"])
    w = w.fillna(1.0).astype(float)
    n = len(shown)
    out = {
        "n_neighbours": n,
        "neighbours_mean": float(np.average(shown["value"], weights=w)) if n and w.sum() > 0 else np.nan,
        "neighbours_median": float(shown["value"].median()) if n else np.nan,
        "neighbours_min": float(shown["value"].min()) if n else np.nan,
        "neighbours_max": float(shown["value"].max()) if n else np.nan,
        "rank_among": np.nan,
        "direction": None,
        "judged": None,
    }
    hidden = bool(mine["suppressed"]) or pd.isna(mine["value"])
    if hidden:
        out["result"] = "not shown (small numbers)" if mine["suppressed"] else "no figure for the ward"
        return out
    out["rank_among"] = int(1 + (shown["value"] > mine["value"]).sum())
    if n < MIN_NEIGHBOURS:
        out["result"] = f"not compared: only {n} similar wards have a figure"
        return out
    d = stats.compare(mine["lower_95"], mine["upper_95"], out["neighbours_mean"])
    if d is None:
        out["result"] = "not tested: no interval for this measure"
        return out
    out["direction"] = d
    out["judged"] = stats.judge(d, polarity(mine.to_dict()))
    word = text.SIG_LABEL.get(out["judged"], "")
    out["result"] = word if d == "similar" or out["judged"] == d else f"{word} ({d})"
    return out


def similar_outcomes(r: Reader, ward_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, figures): one row per outcome indicator with the ward's figure and interval, its
    similar wards' population-weighted mean, median, range and count shown, the ward's rank among
    the eleven (1 = highest) and the significance call (their mean outside the ward's 95% interval:
    higher or lower, judged better or worse by polarity); and every ward's figure (long)."""
    o = r.query("similar_outcomes", ward_code=ward_code, vintage=WARD_VINTAGE, population_indicator=POPULATION)
    if o.empty:
        return pd.DataFrame(), o
    o["suppressed"] = o["status"].eq("suppressed")
    rows = []
    for _, g in o.groupby("indicator_id", sort=False):
        mine = g[g["rank"] == 0].iloc[0]
        r = {
            k: mine[k]
            for k in ("indicator_id", "short_title", "title", "theme", "unit", "polarity", "source_id", "period")
        }
        r.update(
            value=mine["value"],
            lower_95=mine["lower_95"],
            upper_95=mine["upper_95"],
            suppressed=bool(mine["suppressed"]),
            **_compare(mine, g[g["rank"] > 0]),
        )
        rows.append(r)
    return pd.DataFrame(rows), o


def authority_outlines(r: Reader, ward_code: str) -> pd.DataFrame:
    """The outlines of the authorities of the ward and its similar wards (the map's background)."""
    return r.query("similar_authority_outlines", ward_code=ward_code, vintage=WARD_VINTAGE)


def outcomes_summary(ward_name: str, s: pd.DataFrame) -> str:
    """One sentence: on how many outcomes the ward is significantly better, worse or similar."""
    tested = s.dropna(subset=["direction"]) if len(s) else s
    if tested.empty:
        return f"{ward_name} could not be tested against its similar wards on any outcome (no intervals)."
    n = tested["judged"].value_counts()
    parts = [f"significantly {k} on {n[k]}" for k in ("worse", "better", "higher", "lower") if k in n]
    parts.append(f"similar on {n.get('similar', 0)}")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    total = len(tested)
    return (
        f"Against its 10 similar wards, {ward_name} is {listed} of the {total} outcome"
        f"{'s' if total != 1 else ''} with a 95% interval."
    )
