"""The area pack: one of the council's own areas (a group of wards) across every indicator that can
be carried to areas, against its authority and the set's other areas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardgaps import analysis, text
from wardgaps.briefing import drawing, sources
from wardgaps.briefing.content import authority_name, bar_chart, cell, cover, group_notes, rules
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

TABLE_ROWS = 8
MAP_INDICATOR = "child_poverty_ahc_dwp"


def _named(t: pd.DataFrame) -> pd.DataFrame:
    """An area frame under the ward charts' column names."""
    return t.assign(geo_code=t["area_name"], geo_name=t["area_name"])


def area_pack(
    reader: Reader, authority: str, set_name: str, area: str, progress: Progress = noop, groups: Groups = NO_GROUPS
) -> Pack:
    """One area of a set across every indicator carried to areas (the reader's figures: public or
    full), its charts against the authority and the comparison groups asked for."""
    members = analysis.area_members(reader, set_name, authority)
    if area not in set(members["area_name"]):
        raise PackError(f"{area} is not an area of the set {set_name} in authority {authority}")
    bname = authority_name(reader, authority)
    wards = members[members["area_name"].eq(area)]["geo_name"].tolist()
    progress(0.1, "Reading the area's figures")
    ids = [
        i
        for i in analysis.catalogue(reader)["indicator_id"]
        if not analysis.not_carried_note(analysis.indicator_meta(reader, i) or {})
    ]
    prof = analysis.area_profile(reader, set_name, authority, area, ids)
    if prof.empty:
        raise PackError(f"{area} has no figures to brief on")
    shown = pd.DataFrame(
        {
            "Indicator": prof["indicator"],
            "Period": [text.period_label(p) for p in prof["period"]],
            "Area": [cell(v, u, s) for v, u, s in zip(prof["value"], prof["unit"], prof["suppressed"], strict=True)],
            "95% interval": [
                f"{cell(lo, u)} to {cell(hi, u)}" if not s and pd.notna(lo) else "–"
                for lo, hi, u, s in zip(
                    prof["lower_95"], prof["upper_95"], prof["unit"], prof["suppressed"], strict=True
                )
            ],
            "Authority": [cell(v, u) for v, u in zip(prof["authority_value"], prof["unit"], strict=True)],
            "vs authority": [text.sig_label(s) for s in prof["vs_authority"]],
            "Rank": [
                "–" if pd.isna(r) else f"{int(r)} of {n}" for r, n in zip(prof["rank"], prof["n_areas"], strict=True)
            ],
        }
    )
    progress(0.3, "Drawing the areas on the authority map")
    outlines = analysis.area_outlines(reader, set_name, authority, analysis.WARD_VINTAGE)
    bounds = outlines.rename(columns={"area_name": "geo_code"})
    mine = prof[prof["indicator_id"].eq(MAP_INDICATOR)]
    if len(mine):
        data = _named(analysis.area_table(reader, set_name, authority, MAP_INDICATOR, mine["period"].iloc[0]))
    else:
        data = bounds[["geo_code"]].assign(geo_name=bounds["geo_code"], value=np.nan)
    image, renderer = drawing.ward_map(
        bounds, data, "Child poverty after housing costs", "%", "higher_is_worse", selected=area
    )
    tested = prof["vs_authority"].notna()
    worse, better = int(prof["vs_authority"].eq("worse").sum()), int(prof["vs_authority"].eq("better").sum())
    word = "clearly" if reader.public else "significantly"
    messages = [
        f"{area} ({plural(len(wards), 'ward')}: {', '.join(wards)}) is one of the {set_name} areas of {bname}.",
        f"{area} is {word} worse than {bname} on {worse} and {word} better on {better} of the "
        f"{plural(int(tested.sum()), 'indicator')} that can be tested (those with a 95% interval).",
        analysis.AREA_RULES.split(". ")[0] + ".",
    ]
    slides = [
        Slide("Key messages", bullets=messages),
        Slide(
            f"The {set_name} areas of {bname}: child poverty",
            lead=f"Areas (their wards together) shaded by child poverty after housing costs; {area} outlined in black.",
            image=image,
        ),
    ]
    for suffix, part in balanced_parts(shown, TABLE_ROWS):
        slides.append(
            Slide(
                f"{area}: every indicator{suffix}",
                lead="Figures summed from the area's wards (rates from summed counts, scores weighted by population). "
                "Rank 1 = highest among the set's areas.",
                table=Table(
                    part,
                    [2.4, 1.4, 1.0, 1.8, 1.0, 1.3, 1.0],
                    alt=f"Table of {area}'s figure on every indicator with its authority's",
                ),
            )
        )
    progress(0.6, "Drawing the charts")
    drawn: set[str] = set()  # the comparators the charts carry, for the methods slide
    for r in prof[prof["vs_authority"].eq("worse")].head(3).itertuples():
        t = analysis.area_table(reader, set_name, authority, r.indicator_id, r.period)
        comp = analysis.comparators(reader, authority, r.indicator_id, r.period, **groups.kw())
        # areas are judged against their authority; the comparison groups asked for are drawn beside it
        comp = comp[~comp["geo_type"].isin(["region", "country"])]
        drawn |= set(comp["geo_type"])
        title = f"{r.indicator} ({text.period_label(r.period)})"
        slides.append(
            Slide(
                f"{r.indicator}: {area} among the {set_name} areas",
                lead=f"{area} is {word} worse than {bname} on this indicator.",
                chart=bar_chart(_named(t), comp, r.unit, title, area),
            )
        )
    metas = [analysis.indicator_meta(reader, i) or {} for i in prof["indicator_id"]]
    srcs = sources.sources(reader, {m.get("source_id") for m in metas if m.get("source_id")})
    notes = group_notes(reader, groups, drawn) + (rules() if reader.public else [])
    slides += sources.closing_slides(srcs, renderer, notes)
    progress(0.8, "Assembling")
    return Pack(
        "area",
        f"{area}, {bname}: area briefing",
        cover(
            reader,
            authority,
            ("Area", f"{area} ({set_name}: {plural(len(wards), 'current ward')})"),
            f"the latest with area figures for each of {plural(len(prof), 'indicator')} (listed in the table)",
            srcs,
        ),
        slides,
        sources.footer(srcs),
        renderer,
        srcs,
        reader.public,
    )
