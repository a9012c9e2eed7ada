"""One authority, one indicator: its wards, their comparators, gaps and trends, read from the
views the build (and, for the public extract, the publish step) worked out once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wardgaps import disclosure, stats, text
from wardgaps.analysis import groups
from wardgaps.analysis.catalogue import (
    COMPARATOR_LABEL,
    authority_names,
    indicator_meta,
    is_count,
    is_deprivation_index,
)
from wardgaps.db import Reader
from wardgaps.views.gaps import NO_CHANGE, as_sii

__all__ = ["NO_CHANGE"]


RANKS = ("rank", "n_authority", "rank_region", "n_region", "rank_country", "n_country")


def as_float(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Whole-number columns with gaps (ranks where a figure is hidden) as floats with NaN, as
    pandas' own ranks are: comparisons and formatting treat a gap as missing, not as an error."""
    for c in columns:
        if c in df:
            df[c] = df[c].astype("float64")
    return df


def _groups(
    r: Reader, authority_code: str, indicator_id: str, similar: bool, benchmark: str | None
) -> list[pd.DataFrame]:
    """The comparison groups asked for, over every period: the similar authorities' figure and
    the benchmark authority's own (geo_type ``similar`` and ``benchmark``). None for counts."""
    unit = (indicator_meta(r, indicator_id) or {}).get("unit")
    if unit == "count":
        return []
    out = []
    if similar:
        out.append(groups.similar_series(r, authority_code, indicator_id, unit))
    if benchmark and benchmark != authority_code:
        b = r.query("comparator_series", authority_code=benchmark, indicator_id=indicator_id)
        b = b[b["geo_type"].eq("authority") & b["value"].notna()]
        out.append(b.assign(geo_type=groups.BENCHMARK, geo_name=b["geo_name"] + " (benchmark)"))
    return [g for g in out if len(g)]


def comparators(
    r: Reader,
    authority_code: str,
    indicator_id: str,
    period: str,
    *,
    similar: bool = False,
    benchmark: str | None = None,
) -> pd.DataFrame:
    """The authority's figure and its region's and country's for the period; with ``similar``,
    its similar authorities' figure (:data:`groups.SIMILAR_RULE`) and with ``benchmark`` that
    authority's figure after them. ``label`` is the level (authority, region, country, similar
    authorities, benchmark), ``name`` the area's name."""
    df = r.query("comparators", authority_code=authority_code, indicator_id=indicator_id, period=period)
    if benchmark and benchmark != authority_code:
        b = r.query("comparators", authority_code=benchmark, indicator_id=indicator_id, period=period)
        b = b[b["geo_type"].eq("authority")]
        b = b.assign(geo_type=groups.BENCHMARK, geo_name=b["geo_name"] + " (benchmark)")
    else:
        b = df.iloc[0:0]
    extra = [
        g[g["period"].eq(period)].drop(columns=["period", "period_start"])
        for g in _groups(r, authority_code, indicator_id, similar, None)
    ]
    if is_count(indicator_meta(r, indicator_id) or {}):
        b = b.iloc[0:0]
    df = pd.concat([x for x in (df, *extra, b) if len(x)] or [df], ignore_index=True)
    df["label"] = df["geo_type"].map(COMPARATOR_LABEL)
    df["name"] = df["geo_name"]
    return df


def ward_table(r: Reader, authority_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    """All wards with value, rank in the authority (1 = highest) and significance against the
    authority, region and country (Fingertips' rule on the ward's 95% interval); counts are not
    judged. Hidden wards (public view) have no value, rank, label or interval."""
    df = r.query("ward_table", authority_code=authority_code, indicator_id=indicator_id, period=period, vintage=vintage)
    df["suppressed"] = df["suppressed"].fillna(False).astype(bool)
    df = as_float(df, RANKS)
    for level in ("authority", "region", "country"):
        df[f"vs_{level}"] = df[f"vs_{level}"].astype(object).where(df[f"vs_{level}"].notna(), None)
    return df


@dataclass(frozen=True)
class GapResult:
    """Gap measures as shown: ``gaps`` is None when there are too few figures; ``withheld``
    says in one sentence why range and ratio are not given; ``sii_note`` why SII is not."""

    gaps: stats.Gaps | None
    withheld: str = ""
    sii_note: str = ""
    deprivation_edition: str = ""

    @property
    def shown(self) -> bool:
        return self.gaps is not None and not self.withheld


def authority_gaps(r: Reader, authority_code: str, indicator_id: str, period: str, vintage: int) -> GapResult | None:
    """Range, highest/lowest ratio and SII/RII across the authority's wards for one period, on
    the figures shown. SII is withheld for counts (it would measure ward size), for the Indices of
    Deprivation (ranking them by the IMD is circular) and where an extreme ward is hidden."""
    if indicator_meta(r, indicator_id) is None:
        return None
    m = r.query(
        "gap_measures", authority_code=authority_code, indicator_id=indicator_id, period=period, vintage=vintage
    )
    if m.empty:
        return GapResult(None)
    row = m.iloc[0]
    edition = row["deprivation_edition"] or ""
    if bool(row["withheld"]):
        return GapResult(None, disclosure.WITHHELD_EXTREME, disclosure.WITHHELD_EXTREME, edition)
    if not bool(row["measured"]):
        return GapResult(None, "", row["sii_note"] or "", edition)
    g = stats.Gaps(
        n=int(row["n"]),
        highest_code=str(row["highest_code"]),
        highest=float(row["highest"]),
        lowest_code=str(row["lowest_code"]),
        lowest=float(row["lowest"]),
        range=float(row["range"]),
        ratio=None if pd.isna(row["ratio"]) else float(row["ratio"]),
        sii=as_sii(row),
        sii_note=row["sii_note"] or "",
    )
    return GapResult(g, "", g.sii_note, edition)


# The build stores the change as :func:`stats.gap_change` names it; said in a sentence ("the
# slope index gap is …") the untested case needs its reason.
CHANGE_WORDS = {
    "not enough information": "not tested for change: the ward figures carry no confidence interval, so "
    "neither does the slope index",
}


def gap_trend(r: Reader, authority_code: str, indicator_id: str, vintage: int) -> tuple[pd.DataFrame, str]:
    """Gap measures for every period on one ward set, and whether the SII gap is widening, in
    words that follow "the gap is" (or, when the wards never differed, that they never did)."""
    s = r.query("gap_series", authority_code=authority_code, indicator_id=indicator_id, vintage=vintage)
    cols = ["period", "range", "ratio", "sii", "sii_lower_95", "sii_upper_95", "rii"]
    if s.empty:
        return pd.DataFrame(columns=cols), NO_CHANGE
    change = str(s["change"].iloc[0])
    if s["range"].notna().all() and s["range"].abs().max() < 1e-9:
        change = "nil: the wards had the same figure in every period"
    return s[cols].reset_index(drop=True), CHANGE_WORDS.get(change, change)


def one_figure_note(table: pd.DataFrame, unit: str, what: str = "wards") -> str:
    """One sentence when every ward shown has the same figure (the City of London's 25 wards
    carry its one MSOA's child poverty rate; some indicators are 0% on every ward): there is then
    no gap between them and their order means nothing. Empty otherwise."""
    shown = table.dropna(subset=["value"])
    if len(shown) < 2 or shown["value"].round(6).nunique() > 1:
        return ""
    return (
        f"All {len(shown)} {what} shown have the same figure ({text.fmt(shown['value'].iloc[0], unit)}), "
        "so there is no gap between them to measure and their order means nothing."
    )


def ward_series(r: Reader, authority_code: str, indicator_id: str, vintage: int) -> pd.DataFrame:
    """Every ward's figure in every period on one ward set (hidden ones marked ``suppressed``)."""
    s = r.query("authority_ward_series", authority_code=authority_code, indicator_id=indicator_id, vintage=vintage)
    return s.assign(suppressed=s["status"].eq("suppressed"))


METHOD_WORDS = {
    "published": "as published for these wards",
    "aggregated": "summed from whole areas",
    "apportioned": "estimates apportioned onto these wards by population weights",
}


def ward_series_origin(r: Reader, authority_code: str, indicator_id: str, vintage: int) -> list[str]:
    """Which series the ward lines of an indicator come from, one sentence per method and source
    ("FYE 2015 to FYE 2022 (8 periods): estimates apportioned onto these wards … from <source>")."""
    s = r.query("ward_series_origin", authority_code=authority_code, indicator_id=indicator_id, vintage=vintage)
    out = []
    for row in s.to_dict("records"):
        span = text.period_label(row["first_period"])
        if row["periods"] > 1:
            span += f" to {text.period_label(row['last_period'])}"
        words = METHOD_WORDS.get(row["method"], row["method"])
        out.append(f"{span} ({int(row['periods'])} periods): {words}, from {row['source_title'] or row['source_id']}.")
    return out


def comparator_series(
    r: Reader,
    authority_code: str,
    indicator_id: str,
    *,
    similar: bool = False,
    benchmark: str | None = None,
) -> pd.DataFrame:
    """The authority, its region and its country over time (and, when asked, its similar
    authorities and a benchmark authority: not for counts).

    For a count, the authority's own figures alone, and only where it has no ward figures: a
    region's or country's total is no comparator for an authority's count, nor an authority's
    for a ward's (it would squash every ward's line)."""
    meta = indicator_meta(r, indicator_id) or {}
    df = r.query("comparator_series", authority_code=authority_code, indicator_id=indicator_id)
    if is_count(meta):
        if len(r.query("indicator_periods", authority_code=authority_code, indicator_id=indicator_id)):
            return df.iloc[0:0]
        return df[df["geo_type"] == "authority"].reset_index(drop=True)
    extra = [g[[c for c in df.columns if c in g]] for g in _groups(r, authority_code, indicator_id, similar, benchmark)]
    if extra:
        df = pd.concat([df, *extra], ignore_index=True).sort_values("period_start", kind="stable")
    return df.reset_index(drop=True)


def ward_trends(r: Reader, authority_code: str, indicator_id: str, vintage: int) -> pd.DataFrame:
    """Fingertips recent-trend marker per ward over the last five periods on one ward set."""
    return r.query("trend_markers", authority_code=authority_code, indicator_id=indicator_id, vintage=vintage)


def deprivation_quintiles(r: Reader, authority_code: str, indicator_id: str, period: str, vintage: int) -> pd.DataFrame:
    """The indicator by authority-local deprivation quintile of the wards shown. Empty for counts
    (ward size) and Indices of Deprivation measures (ordering them by the IMD is circular)."""
    return r.query(
        "deprivation_quintiles",
        authority_code=authority_code,
        indicator_id=indicator_id,
        period=period,
        vintage=vintage,
    )


def sii_direction(meta: dict) -> str:
    """What the sign of the slope index means for this indicator, in one sentence."""
    from wardgaps.analysis.catalogue import polarity

    if polarity(meta) == "higher_is_worse":
        return "Positive means the more deprived wards have higher figures: they fare worse."
    if polarity(meta) == "higher_is_better":
        return "Positive means the more deprived wards have lower figures: they fare worse."
    return "Positive means the more deprived wards have lower figures; negative, higher (no better or worse here)."


def narrative_for_ward(row: pd.Series, comp: pd.DataFrame, unit: str, public: bool = False) -> list[str]:
    """Sentences comparing one ward with its authority and country, gated on significance.
    Counts are not compared with totals."""
    suppressed = bool(row.get("suppressed", False))
    if suppressed or pd.isna(row.get("value")):  # said once, not once per comparator
        return [text.narrative(row["geo_name"], None, None, None, "", None, unit, public, suppressed=suppressed)]
    if unit == "count":
        return [f"{row['geo_name']}'s count is {text.fmt(row['value'], unit)}."]
    out = []
    for _, c in comp.iterrows():
        if c["geo_type"] == "region":
            continue
        out.append(
            text.narrative(
                row["geo_name"],
                row["value"],
                row["lower_95"],
                row["upper_95"],
                c["geo_name"],
                c["value"],
                unit,
                public,
                suppressed=suppressed,
            )
        )
    return out


SERIES_BREAK = "Series break:"


def series_break_note(meta: dict) -> str:
    """The caveat sentence, stored with the indicator, that marks a break in its series (one that
    begins "Series break:", e.g. a denominator that changes source between years); "" if none."""
    for sentence in str(meta.get("caveats") or "").split(". "):
        if sentence.startswith(SERIES_BREAK):
            return sentence.rstrip(".") + "."
    return ""


def _caveat_about(meta: dict, place: str) -> str:
    """The sentence of an indicator's caveats that speaks of a place (e.g. the City of London)."""
    for sentence in str(meta.get("caveats") or "").split(". "):
        if place in sentence:
            return sentence.rstrip(".") + "."
    return ""


def no_ward_figures_note(r: Reader, authority_code: str, indicator_id: str) -> str:
    """Why an indicator has no ward figures in an authority: published for authorities only, or
    (when other authorities have them) missing here, with the caveat that says why where there is one."""
    meta = indicator_meta(r, indicator_id) or {}
    name = authority_names(r).get(authority_code, authority_code)
    if meta.get("native_geography") == "authority":
        return "This indicator is published for local authorities only, so there are no ward figures."
    welsh_index = "wimd" in str(meta.get("source_id", ""))
    if authority_code.startswith("W") and is_deprivation_index(meta) and not welsh_index:
        return (
            f"This indicator has no ward figures for {name}: the English Indices of Deprivation cover England "
            "only (an English index is never shown on a Welsh ward). Wales' own index has its own indicators: "
            "the WIMD 2019 score and the share of LSOAs in Wales' most deprived 10% and 20% (WIMD 2025)."
        )
    if authority_code.startswith("E") and welsh_index:
        return (
            f"This indicator has no ward figures for {name}: the Welsh Index of Multiple Deprivation covers Wales "
            "only, and is not on the scale of England's IMD (a Welsh index is never shown on an English ward)."
        )
    if not authority_code.startswith("E09") and bool(
        r.query("london_only", indicator_id=indicator_id)["london_only"].iloc[0]
    ):
        return (
            f"This indicator has no ward figures for {name}: they come from London-only sources (the GLA's ward "
            "series, or the GLA's weights that carry smaller areas onto wards), so only London's wards have them."
        )
    why = _caveat_about(meta, name)
    return f"This indicator has no ward figures for {name}." + (f" {why}" if why else "")


def missing_wards_note(r: Reader, authority_code: str, indicator_id: str, table: pd.DataFrame) -> str:
    """One sentence when some wards have no figure (not hidden, just absent), with the reason the
    indicator's caveats give for this authority where there is one."""
    absent = table["value"].isna() & ~table["suppressed"].astype(bool)
    if not absent.any():
        return ""
    meta = indicator_meta(r, indicator_id) or {}
    name = authority_names(r).get(authority_code, authority_code)
    n = int(absent.sum())
    it = "it" if n == 1 else "them"
    why = _caveat_about(meta, name) or (
        f"The publisher gives no figure for {it}, or no neighbourhood (LSOA) the figure is built from lies in {it}."
    )
    return f"{n} of {len(table)} wards {'has' if n == 1 else 'have'} no figure for this period. {why}"
