"""Side by side: two to four places (wards, from any authorities) on every indicator of a theme,
each against its own authority and its country. A place is generic (code, name, kind) so that other
kinds of place (a council's areas) can be added by giving their figures in the same long form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wardgaps import disclosure, text
from wardgaps.db import Reader
from wardgaps.meta import WARD_VINTAGE

MIN_PLACES, MAX_PLACES = 2, 4
WARD_CODE = re.compile(r"[EW]05\d{6}")
# Marks put before a significance result the reader should notice, beside its words (not colour alone).
MARK = {"worse": "▲", "better": "▼", "higher": "△", "lower": "▽"}
LONG_COLUMNS = [
    "place",
    "place_name",
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
]


@dataclass(frozen=True)
class Place:
    """One place compared: its code, name and kind ("ward"), and the authority and country it
    is set against."""

    code: str
    name: str
    kind: str
    authority_code: str
    authority_name: str
    country_name: str

    @property
    def label(self) -> str:
        """The column heading: the place and, for a ward, its authority (names repeat across authorities)."""
        return f"{self.name} ({self.authority_name})"


def parse_places(r: Reader, raw: str | None) -> tuple[list[Place], str]:
    """The places of ``?wards=CODE,CODE,...``, in the order given, or none and one sentence saying
    what is wrong (too few, too many, a repeated or unknown code)."""
    codes = [c.strip().upper() for c in (raw or "").split(",") if c.strip()]
    if len(codes) < MIN_PLACES:
        return [], f"Choose at least {MIN_PLACES} wards to compare (up to {MAX_PLACES})."
    if len(codes) > MAX_PLACES:
        return [], f"At most {MAX_PLACES} wards can be compared side by side; {len(codes)} were given."
    seen = [c for i, c in enumerate(codes) if c in codes[:i]]
    if seen:
        return [], f"Ward {seen[0]} is given twice: choose {MIN_PLACES} to {MAX_PLACES} different wards."
    places = []
    for c in codes:
        if not WARD_CODE.fullmatch(c):
            return [], f"{c[:12]} is not a ward code (a ward code looks like E05013697)."
        p = ward_place(r, c)
        if p is None:
            return [], f"{c} is not a current ward of England or Wales in Ward Gaps."
        places.append(p)
    return places, ""


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


def place_figures(r: Reader, place: Place) -> pd.DataFrame:
    """Every figure of one place (every indicator and period), with its authority's and country's
    figures and the significance labels against them."""
    if place.kind != "ward":
        raise ValueError(f"places of kind {place.kind!r} cannot be compared yet")
    f = r.query("compare_ward", ward_code=place.code, vintage=WARD_VINTAGE)
    f["suppressed"] = f["suppressed"].fillna(False).astype(bool)
    return f.assign(
        place=place.code, place_name=place.name, authority_name=place.authority_name, country_name=place.country_name
    )


def compare_long(r: Reader, places: list[Place], theme: str) -> pd.DataFrame:
    """One row per indicator of ``theme`` and place: each indicator at the latest period any of
    the places has (the same period for all, so the columns compare like with like; a place
    without that period has no value and says so). Counts are not compared with totals."""
    frames = [place_figures(r, p) for p in places]
    allf = pd.concat(frames, ignore_index=True)
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
    out["place_name"] = out["place"].map(lambda c: by[c].name)
    out["authority_name"] = out["place"].map(lambda c: by[c].authority_name)
    out["country_name"] = out["place"].map(lambda c: by[c].country_name)
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool)
    counts = out["unit"].eq("count")
    out.loc[counts, ["authority_value", "country_value"]] = np.nan
    out.loc[counts, ["vs_authority", "vs_country"]] = None
    order = {c: i for i, c in enumerate(p.code for p in places)}
    out = out.sort_values(["short_title", "place"], key=lambda s: s.map(order) if s.name == "place" else s)
    return out[LONG_COLUMNS].reset_index(drop=True)


def versus(label: object, name: str) -> str:
    """A significance result in words, marked when it is one to notice: "▲ significantly worse than England"."""
    if not isinstance(label, str):
        return ""
    if label == "similar":
        return f"similar to {name}"
    return f"{MARK.get(label, '')} significantly {label} than {name}".strip()


def cell(row: pd.Series) -> str:
    """One place's cell: value, interval and significance against its authority and country."""
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
    for _, g in long.groupby("short_title", sort=False):
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
    """The query string that reopens this comparison (the page's shareable link)."""
    q = f"?wards={','.join(p.code for p in places)}&theme={theme}"
    return q + (f"&indicator={indicator}" if indicator else "")


def chart_rows(long: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The places' figures for one indicator, for its chart and table."""
    d = long[long["indicator_id"].eq(indicator_id)].copy()
    d["against"] = [
        "; ".join(w for w in (versus(a, an), versus(c, cn)) if w)
        for a, an, c, cn in zip(d["vs_authority"], d["authority_name"], d["vs_country"], d["country_name"], strict=True)
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
