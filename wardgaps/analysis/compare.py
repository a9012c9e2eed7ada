"""Side by side: two to four places (wards from any authorities, and areas of one of the council's
area sets) on every indicator of a theme, each against its own authority and its country. A place is
generic (code, name, kind): a ward's figures come from the per-authority views, an area's from the
area aggregation (:mod:`wardgaps.analysis.areas`: summed numerators and denominators, intervals from
the sums), judged against the same comparators by the same rule.

The link: ``?wards=CODE,CODE`` for wards; ``&authority=CODE&areas=SET&area=NAME&area=NAME`` adds areas
of the set in that authority (one ``area`` per area, as the Profile's ``?area=NAME``, so names may hold
commas). Wards come first, then areas, each in the order given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd

from wardgaps import disclosure, stats, text
from wardgaps.analysis.areas import area_members, area_series, area_table, not_carried_note
from wardgaps.analysis.catalogue import authority_names, indicator_meta, indicators_by_id, is_count, polarity, region_of
from wardgaps.analysis.wards import comparators
from wardgaps.db import Reader
from wardgaps.meta import WARD_VINTAGE

MIN_PLACES, MAX_PLACES = 2, 4
WARD_CODE = re.compile(r"[EW]05\d{6}")
# Marks put before a significance result the reader should notice, beside its words (not colour alone).
MARK = {"worse": "▲", "better": "▼", "higher": "△", "lower": "▽"}
LONG_COLUMNS = [
    "place",
    "place_name",
    "place_label",
    "kind",
    "indicator_id",
    "short_title",
    "unit",
    "polarity",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "suppressed",
    "authority_name",
    "country_name",
    "authority_value",
    "country_value",
    "vs_authority",
    "vs_country",
    "note",
]


@dataclass(frozen=True)
class Place:
    """One place compared: its code, name and kind ("ward" or "area"), the authority and country it
    is set against and, for an area, the set it belongs to (its code is then "area:AUTHORITY:SET:NAME")."""

    code: str
    name: str
    kind: str
    authority_code: str
    authority_name: str
    country_name: str
    set_name: str = ""

    @property
    def label(self) -> str:
        """The column heading: the place and its authority (names repeat across authorities), and
        for an area its set (an area may share a ward's name)."""
        if self.kind == "area":
            return f"{self.name} ({self.set_name} area, {self.authority_name})"
        return f"{self.name} ({self.authority_name})"


def parse_places(
    r: Reader,
    raw: str | None,
    set_name: str | None = None,
    authority_code: str | None = None,
    area_names: list[str] | tuple[str, ...] = (),
) -> tuple[list[Place], str]:
    """The places of ``?wards=CODE,CODE,...`` and (with the set and its authority) of the areas
    named, wards first, in the order given; or none and one sentence saying what is wrong (too
    few, too many, a repeated or unknown code or area name)."""
    codes = [c.strip().upper() for c in (raw or "").split(",") if c.strip()]
    names = [a.strip() for a in area_names if a and a.strip()]
    noun = "wards or areas" if set_name else "wards"
    n = len(codes) + len(names)
    if names and not (set_name and authority_code):
        return [], "Areas can be compared only once an area set of the authority is chosen."
    if n < MIN_PLACES:
        return [], f"Choose at least {MIN_PLACES} {noun} to compare (up to {MAX_PLACES})."
    if n > MAX_PLACES:
        return [], f"At most {MAX_PLACES} {noun} can be compared side by side; {n} were given."
    seen = [c for i, c in enumerate(codes) if c in codes[:i]]
    if seen:
        return [], f"Ward {seen[0]} is given twice: choose {MIN_PLACES} to {MAX_PLACES} different {noun}."
    again = [a for i, a in enumerate(names) if a in names[:i]]
    if again:
        return [], f"The area {again[0][:80]} is given twice: choose {MIN_PLACES} to {MAX_PLACES} different {noun}."
    places = []
    for c in codes:
        if not WARD_CODE.fullmatch(c):
            return [], f"{c[:12]} is not a ward code (a ward code looks like E05013697)."
        p = ward_place(r, c)
        if p is None:
            return [], f"{c} is not a current ward of England or Wales in Ward Gaps."
        places.append(p)
    for a in names:
        p = area_place(r, str(set_name), str(authority_code), a)
        if p is None:
            return [], f"{a[:80]} is not an area of the set {set_name} in {authority_names(r).get(authority_code)}."
        places.append(p)
    return places, ""


def area_options(r: Reader, set_name: str, authority_code: str) -> list[str]:
    """The names of the set's areas in the authority, for the page's picker (by name)."""
    return sorted(area_members(r, set_name, authority_code)["area_name"].unique())


def area_place(r: Reader, set_name: str, authority_code: str, area_name: str) -> Place | None:
    """An area of the set in the authority as a place, or None when the set has no area of that name."""
    if area_name not in area_options(r, set_name, authority_code):
        return None
    country_name = region_of(r, authority_code)[3]
    name = authority_names(r)[authority_code]
    # the code names the set and authority too: it keys the page's cached chart
    code = f"area:{authority_code}:{set_name}:{area_name}"
    return Place(code, area_name, "area", authority_code, name, country_name, set_name)


def ward_options(r: Reader) -> dict[str, str]:
    """Every current ward, code -> "Ward (Authority)", for the page's picker (by authority, then ward)."""
    d = r.query("compare_ward_options")
    return dict(zip(d["geo_code"], d["geo_name"] + " (" + d["authority_name"] + ")", strict=True))


def ward_place(r: Reader, code: str) -> Place | None:
    """A current ward as a place, or None when the code is not one."""
    d = r.query("ward_place", ward_code=code)
    if d.empty:
        return None
    w = d.iloc[0]
    return Place(code, w["geo_name"], "ward", w["authority_code"], w["authority_name"], w["country_name"])


def place_figures(r: Reader, place: Place, theme: str | None = None) -> pd.DataFrame:
    """Every figure of one place (every indicator, or those of ``theme``, and every period). A
    ward's come with its authority's and country's figures and the significance labels against
    them; an area's are its figures only (judged by :func:`judge_area` at the period compared)."""
    if place.kind == "area":
        return _area_figures(r, place, theme)
    if place.kind != "ward":
        raise ValueError(f"places of kind {place.kind!r} cannot be compared")
    f = r.query("compare_ward", ward_code=place.code, vintage=WARD_VINTAGE)
    f["suppressed"] = f["suppressed"].fillna(False).astype(bool)
    if theme is not None:
        f = f[f["theme"].eq(theme)]
    return f.assign(
        place=place.code, place_name=place.name, authority_name=place.authority_name, country_name=place.country_name
    )


def _area_figures(r: Reader, place: Place, theme: str | None) -> pd.DataFrame:
    """An area's figures in every period of each indicator that can be carried to areas (the area
    series: summed numerators and denominators, intervals from the sums)."""
    frames = []
    for ind, meta in indicators_by_id(r).items():
        if (theme is not None and meta.get("theme") != theme) or not_carried_note(meta):
            continue
        s = area_series(r, place.set_name, place.authority_code, ind)
        s = s[s["area_name"].eq(place.name) & (s["value"].notna() | s["suppressed"])]
        if len(s):
            cols = {c: meta.get(c) for c in ("short_title", "theme", "unit", "polarity")}
            frames.append(s.assign(indicator_id=ind, **cols))
    cols = ["indicator_id", "short_title", "theme", "unit", "polarity", "period", "period_start", "value"]
    f = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*cols, "suppressed"])
    judged = {c: np.nan for c in ("lower_95", "upper_95", "authority_value", "country_value")}
    judged |= {c: None for c in ("vs_authority", "vs_country", "authority_code")}
    missing = {c: v for c, v in judged.items() if c not in f.columns}
    return f.assign(
        **missing,
        place=place.code,
        place_name=place.name,
        authority_name=place.authority_name,
        country_name=place.country_name,
    )


def judge_area(r: Reader, place: Place, indicator_id: str, period: str) -> dict:
    """An area's figure for one indicator and period as the Compare page shows it: the area
    table's value, interval and result against its authority, and the area's interval set against
    its country's figure (from :func:`comparators`) by the same rule (Fingertips'); hidden areas
    and counts are not judged."""
    t = area_table(r, place.set_name, place.authority_code, indicator_id, period)
    t = t[t["area_name"].eq(place.name)]
    if t.empty:
        return {}
    a = t.iloc[0]
    meta = indicator_meta(r, indicator_id) or {}
    comp = comparators(r, place.authority_code, indicator_id, period)
    country = comp.loc[comp["geo_type"].eq("country"), "value"]
    country_value = float(country.iloc[0]) if len(country) and pd.notna(country.iloc[0]) else np.nan
    judged = not (a["suppressed"] or is_count(meta))
    return {
        "value": a["value"],
        "lower_95": a["lower_95"],
        "upper_95": a["upper_95"],
        "suppressed": bool(a["suppressed"]),
        "authority_value": a["authority_value"],
        "country_value": country_value,
        "vs_authority": a["vs_authority"] if judged else None,
        "vs_country": stats.judge(stats.compare(a["lower_95"], a["upper_95"], country_value), polarity(meta))
        if judged
        else None,
    }


def compare_long(r: Reader, places: list[Place], theme: str) -> pd.DataFrame:
    """One row per indicator of ``theme`` and place: each indicator at the latest period any of
    the places has (the same period for all, so the columns compare like with like; a place
    without that period has no value and says so). Counts are not compared with totals; an area
    on an indicator that cannot be carried to areas has the sentence saying so (``note``)."""
    frames = [place_figures(r, p, theme) for p in places]
    allf = pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)
    allf = allf[allf["theme"].eq(theme)]
    if allf.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    latest = allf.sort_values("period_start").groupby("indicator_id", sort=False).tail(1)
    pick = dict(zip(latest["indicator_id"], latest["period"], strict=True))
    allf = allf[allf["period"].eq(allf["indicator_id"].map(pick))]
    grid = pd.MultiIndex.from_product([sorted(pick), [p.code for p in places]], names=["indicator_id", "place"])
    out = allf.set_index(["indicator_id", "place"]).reindex(grid).reset_index()
    meta = latest.set_index("indicator_id")
    for col in ("short_title", "unit", "polarity"):
        out[col] = out["indicator_id"].map(meta[col])
    out["period"] = out["indicator_id"].map(pick)
    by = {p.code: p for p in places}
    out = _with_areas(r, out, [p for p in places if p.kind == "area"])
    out["place_name"] = out["place"].map(lambda c: by[c].name)
    out["place_label"] = out["place"].map(lambda c: by[c].label)
    out["kind"] = out["place"].map(lambda c: by[c].kind)
    out["authority_name"] = out["place"].map(lambda c: by[c].authority_name)
    out["country_name"] = out["place"].map(lambda c: by[c].country_name)
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool)
    counts = out["unit"].eq("count")
    out.loc[counts, ["authority_value", "country_value"]] = np.nan
    out.loc[counts, ["vs_authority", "vs_country"]] = None
    order = {c: i for i, c in enumerate(p.code for p in places)}
    out = out.sort_values(["short_title", "place"], key=lambda s: s.map(order) if s.name == "place" else s)
    return out[LONG_COLUMNS].reset_index(drop=True)


def _with_areas(r: Reader, out: pd.DataFrame, areas: list[Place]) -> pd.DataFrame:
    """The long frame with each area's figures judged at the period compared, and the "not
    carried" sentence on the indicators that cannot be carried to areas."""
    out = out.assign(note="").astype({"vs_authority": object, "vs_country": object})
    for p in areas:
        for i in out.index[out["place"].eq(p.code)]:
            ind, period = out.at[i, "indicator_id"], out.at[i, "period"]
            meta = indicator_meta(r, ind) or {}
            note = not_carried_note(meta)
            if note:
                out.at[i, "note"] = note
                continue
            for k, val in judge_area(r, p, ind, period).items():
                out.at[i, k] = val
    return out


def versus(label: object, name: str) -> str:
    """A significance result in words, marked when it is one to notice: "▲ significantly worse than England"."""
    if not isinstance(label, str):
        return ""
    if label == "similar":
        return f"similar to {name}"
    return f"{MARK.get(label, '')} significantly {label} than {name}".strip()


def cell(row: pd.Series) -> str:
    """One place's cell: value, interval and significance against its authority and country (or,
    for an area, the sentence saying the indicator cannot be carried to areas)."""
    if row.get("note"):
        return row["note"]
    if row["suppressed"]:
        return disclosure.NOT_SHOWN
    if pd.isna(row["value"]):
        return f"no figure for {text.period_label(row['period'])}"
    out = text.fmt(row["value"], row["unit"])
    if pd.notna(row["lower_95"]) and pd.notna(row["upper_95"]):
        out += f" ({text.fmt(row['lower_95'], row['unit'])} to {text.fmt(row['upper_95'], row['unit'])})"
    words = [versus(row["vs_authority"], row["authority_name"]), versus(row["vs_country"], row["country_name"])]
    words = [w for w in words if w]
    return out + ("; " + "; ".join(words) if words else "")


def compare_wide(long: pd.DataFrame, places: list[Place]) -> pd.DataFrame:
    """One row per indicator, one column per place (headed by its label): the cells of :func:`cell`."""
    if long.empty:
        return pd.DataFrame(columns=["Indicator", "Period", *[p.label for p in places]])
    d = long.assign(cell=[cell(r) for _, r in long.iterrows()])
    wide = d.pivot(index=["short_title", "period"], columns="place", values="cell")
    wide = wide[[p.code for p in places]].reset_index()
    wide.columns = ["Indicator", "Period", *[p.label for p in places]]
    wide["Period"] = wide["Period"].map(text.period_label)
    return wide


def notable(long: pd.DataFrame) -> list[str]:
    """One sentence per indicator where the places differ in how they fare against their country
    (one significantly worse or better, another not, or the other way): the differences to notice."""
    out = []
    for _, g in long[long["note"].fillna("").eq("")].groupby("short_title", sort=False):
        shown = g[g["vs_country"].isin(["worse", "better"])]
        if shown.empty or g["vs_country"].nunique(dropna=False) == 1:
            continue
        said = [f"{r['place_name']} is {versus(r['vs_country'], r['country_name'])}" for _, r in shown.iterrows()]
        rest = [r["place_name"] for _, r in g.iterrows() if r["vs_country"] not in ("worse", "better")]
        who = " and ".join([", ".join(rest[:-1]), rest[-1]] if len(rest) > 1 else rest)
        tail = f"; {who} {'is' if len(rest) == 1 else 'are'} not" if rest else ""
        out.append(f"{g['short_title'].iloc[0]}: " + "; ".join(said) + tail + ".")
    return out


def link(places: list[Place], theme: str, indicator: str | None = None) -> str:
    """The query string that reopens this comparison (the page's shareable link): the wards, then
    any areas with their set and authority (one ``area`` each), then the theme."""
    wards = [p.code for p in places if p.kind == "ward"]
    areas = [p for p in places if p.kind == "area"]
    q: list[tuple[str, str]] = [("wards", ",".join(wards))] if wards else []
    if areas:
        q += [("authority", areas[0].authority_code), ("areas", areas[0].set_name)]
        q += [("area", a.name) for a in areas]
    q += [("theme", theme), *([("indicator", indicator)] if indicator else [])]
    return "?" + urlencode(q, safe=",", quote_via=quote)


def chart_rows(long: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The places' figures for one indicator, for its chart and table."""
    d = long[long["indicator_id"].eq(indicator_id)].copy()
    cols = [d[c] for c in ("vs_authority", "authority_name", "vs_country", "country_name")]
    d["against"] = [
        note or "; ".join(w for w in (versus(a, an), versus(c, cn)) if w)
        for a, an, c, cn, note in zip(*cols, d["note"].fillna(""), strict=True)
    ]
    return d.reset_index(drop=True)


def chart_summary(d: pd.DataFrame) -> str:
    """One line on the chosen indicator: which place has the highest figure and which the lowest."""
    shown = d[d["value"].notna() & ~d["suppressed"]]
    if shown.empty:
        return "None of these places has a figure shown for this indicator."
    if len(shown) == 1:
        r = shown.iloc[0]
        return f"Only {r['place_name']} has a figure shown: {text.fmt(r['value'], r['unit'])}."
    hi, lo = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
    if hi["value"] == lo["value"]:
        return f"All {len(shown)} places have the same figure, {text.fmt(hi['value'], hi['unit'])}."
    return (
        f"{hi['place_name']} has the highest figure ({text.fmt(hi['value'], hi['unit'])}) and {lo['place_name']} "
        f"the lowest ({text.fmt(lo['value'], lo['unit'])}) of the {len(shown)} places, "
        f"{text.period_label(hi['period'])}."
    )
