"""The ward pack: one ward across every indicator, its stand-out themes first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import analysis, text
from wardgaps.briefing import drawing, sources
from wardgaps.briefing.content import (
    VINTAGE,
    authority_name,
    bar_chart,
    cell,
    cover,
    group_notes,
    line_chart,
    rules,
)
from wardgaps.briefing.model import (
    NO_GROUPS,
    Groups,
    Pack,
    PackError,
    Progress,
    Slide,
    Table,
    balanced_parts,
    noop,
    plural,
)
from wardgaps.db import Reader

TABLE_ROWS = 7  # most rows of the every-indicator table per slide: fits a 4:3 slide at 8 pt with wrapped names
MAP_INDICATOR = "child_poverty_ahc_dwp"


def _standing(r: pd.Series) -> float:
    """0 = best end of the authority, 1 = worst end (by rank), for choosing stand-out themes."""
    if pd.isna(r["rank_authority"]) or pd.isna(r["n_authority"]):
        return 0.0
    pos = (r["rank_authority"] - 1) / max(r["n_authority"] - 1, 1)
    return {"higher_is_worse": 1 - pos, "higher_is_better": pos}.get(r["judged_polarity"], 0.0)


def _row(r: pd.Series, sig: object, wider: dict[str, str]) -> dict:
    """One indicator's row; ``wider`` names the region and country columns (Wales once)."""
    hidden = bool(r.get("suppressed", False))
    interval = "–"
    if not hidden and pd.notna(r["lower_95"]) and pd.notna(r["upper_95"]):
        interval = f"{cell(r['lower_95'], r['unit'])} to {cell(r['upper_95'], r['unit'])}"
    return {
        "Indicator": r["short_title"],
        "Period": text.period_label(r["period"]),
        "Ward": cell(r["value"], r["unit"], hidden),
        "95% interval": interval,
        "Authority": cell(r["authority_value"], r["unit"]),
        **{name: cell(r[f"{level}_value"], r["unit"]) for level, name in wider.items()},
        "vs authority": text.sig_label(sig),
        "Rank": r["rank_in_authority"],
        "Change": r["trend"],
    }


def ward_pack(reader: Reader, authority: str, ward: str, progress: Progress = noop, groups: Groups = NO_GROUPS) -> Pack:
    """One ward across every indicator (current wards; the reader's figures: public or full), its
    charts with the comparison groups asked for beside the authority, region and country."""
    public = reader.public
    vintage = analysis.WARD_VINTAGE
    names = analysis.ward_names(reader, authority, vintage)
    if ward not in names:
        raise PackError(f"{ward} is not a current ward of authority {authority}")
    bname, wname = authority_name(reader, authority), names[ward]
    progress(0.1, "Reading the ward's figures")
    prof = analysis.ward_profile(reader, ward).reset_index(drop=True)
    if prof.empty:
        raise PackError(f"{wname} has no ward figures to brief on")
    tables = {
        r.indicator_id: analysis.ward_table(reader, authority, r.indicator_id, r.period, vintage)
        for r in prof.itertuples()
    }
    comps = {
        r.indicator_id: analysis.comparators(reader, authority, r.indicator_id, r.period) for r in prof.itertuples()
    }
    prof["sig"] = [tables[i].set_index("geo_code").loc[ward].get("vs_authority") for i in prof["indicator_id"]]
    prof["standing"] = [_standing(r) for _, r in prof.iterrows()]
    region, region_name, country_code, country = analysis.region_of(reader, authority)
    wider = {"country": country} if region == country_code else {"region": region_name, "country": country}
    shown = pd.DataFrame([_row(r, r["sig"], wider) for _, r in prof.iterrows()])
    progress(0.3, "Drawing the ward on the authority map")
    bounds = analysis.ward_boundaries(reader, authority, vintage)
    map_data = tables.get(MAP_INDICATOR, bounds[["geo_code", "geo_name"]].assign(value=np.nan))
    image, renderer = drawing.ward_map(
        bounds, map_data, "Child poverty after housing costs", "%", "higher_is_worse", selected=ward
    )
    progress(0.5, "Choosing where the ward stands out")
    # Stand-out themes: significantly worse first, then by how close the ward sits to the worst end.
    # (an indicator with the same figure on every ward sets this ward apart from none)
    judged = prof[prof["judged_polarity"].ne("neutral") & ~prof["all_tied"]].assign(worse=lambda d: d["sig"] == "worse")
    judged = judged[judged["value"].notna()].sort_values(["worse", "standing"], ascending=[False, False])
    tested = prof["sig"].notna()
    worse, better = int((prof["sig"] == "worse").sum()), int((prof["sig"] == "better").sum())
    word = "clearly" if public else "significantly"  # the public view's plain words, as on the web
    messages = [
        f"{wname} is {word} worse than {bname} on {worse} and {word} better on {better} of the "
        f"{plural(int(tested.sum()), 'indicator')} that can be tested (those with a 95% interval); for the other "
        f"{plural(int((~tested).sum()), 'indicator')} no such claim is made."
    ]
    for _, r in judged.head(4).iterrows():
        t, comp = tables[r["indicator_id"]], comps[r["indicator_id"]]
        me = t[t["geo_code"] == ward].iloc[0]
        said = analysis.narrative_for_ward(me, comp[comp["geo_type"] == "authority"], r["unit"], public)
        messages += [f"{r['short_title']}, {text.period_label(r['period'])}: {s}" for s in said[:1]]
    slides = [
        Slide("Key messages", bullets=messages[:5]),
        Slide(
            f"{wname} on the {bname} map: child poverty",
            lead=f"Wards shaded by child poverty after housing costs (DWP); {wname} outlined in black.",
            image=image,
        ),
    ]
    for suffix, part in balanced_parts(shown, TABLE_ROWS):
        slides.append(
            Slide(
                f"{wname}: every indicator{suffix}",
                lead="Rank 1 = highest value in the authority. 'vs authority' compares the authority's figure with "
                "the ward's 95% interval.",
                table=Table(
                    part,
                    [2.2, 1.4, 0.9, 1.7, 1.0, 1.0, 1.0, 1.3, 1.0, 1.8],
                    alt=f"Table of {wname}'s figure on every indicator with its comparators",
                ),
            )
        )
    progress(0.6, "Drawing the charts")
    drawn: set[str] = set()  # the comparators the charts carry, for the methods slide
    for _, r in judged.head(3).iterrows():
        # the comparison groups only where they are drawn: three charts, not every indicator
        comp = analysis.comparators(reader, authority, r["indicator_id"], r["period"], **groups.kw())
        drawn |= set(comp["geo_type"])
        title = f"{r['short_title']} ({text.period_label(r['period'])})"
        why = "significantly worse than the authority" if r["worse"] else "near the worst end of the authority"
        row = shown.iloc[r.name]
        slides.append(
            Slide(
                f"{r['short_title']}: {wname} among {bname}'s wards",
                lead=f"{wname}: {row['Ward']}; {bname} {row['Authority']}; {country} {row[country]}. Shown "
                f"because the ward is {why}.",
                chart=bar_chart(tables[r["indicator_id"]], comp, r["unit"], title, wname),
            )
        )
    for _, r in judged.iterrows():  # the trend of the first stand-out indicator with more than one period
        series = analysis.ward_series(reader, authority, r["indicator_id"], vintage)
        cs = analysis.comparator_series(reader, authority, r["indicator_id"], **groups.kw())
        cs = cs[cs["period"].isin(set(series["period"]))]
        ch = line_chart(series, [ward], cs, r["unit"], r["short_title"])
        if ch is not None:
            drawn |= set(cs["geo_type"])
            lead = f"Periods on {VINTAGE[vintage]}; whiskers are the ward's 95% intervals."
            slides.append(Slide(f"{r['short_title']}: {wname} over time", lead=lead, chart=ch))
            break
    ids = set(prof["source_id"].dropna()) | {x for t in tables.values() for x in t["source_id"].dropna()}
    srcs = sources.sources(reader, ids)
    notes = group_notes(reader, groups, drawn) + (rules() if public else [])
    slides += sources.closing_slides(srcs, renderer, notes)
    progress(0.8, "Assembling")
    return Pack(
        "ward",
        f"{wname}, {bname}: ward briefing",
        cover(
            reader,
            authority,
            ("Ward", f"{wname} ({ward}), current (May-2024) boundaries"),
            f"the latest published for each of {plural(len(prof), 'indicator')} (listed in the table)",
            srcs,
        ),
        slides,
        sources.footer(srcs),
        renderer,
        srcs,
        public,
    )
