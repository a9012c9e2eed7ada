"""The council's own areas (issue 22, parts 1 and 2) on the fixture extract: every bad areas file
refused with its sentence and nothing written; the areas' figures recomputed here, independently,
from the fixture's ward numerators and denominators (rates), counts (sums) and scores (population-
weighted means); every page with an area set, for the London fixture authority and the metropolitan
district; the publish step carrying only published sets, disclosed as wards are and audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.area_sets import HUBS, METRO_AREAS, METRO_LOCAL, areas_csv
from tests.audit import audit, wilson
from tests.fixture_areas import METRO, MORE_CODE, MORE_COUNT
from tests.fixtures import AUTHORITY, AUTHORITY_B, CODE, COUNT, IMD_ROWS, POPULATION_ROWS, RATE, RATE_ROWS
from tests.test_pages import app, frames, texts
from wardgaps import db, publish_areas
from wardgaps.__main__ import main
from wardgaps.analysis import areas

pytest_plugins = ["tests.fixture_plugin", "tests.areas_plugin"]


def shown_text(at) -> str:
    """The page's text as read, its subheadings too."""
    return texts(at) + "\n" + "\n".join(h.value for h in at.subheader)


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# --- every bad file ---------------------------------------------------------------------------------
A, B, C = CODE["Alder"], CODE["Birch"], CODE["Cedar"]
BAD = {
    "empty file": ("", "The areas file bad.csv is empty."),
    "missing column": ("area_name\nNorth\n", "The areas file bad.csv has no 'ward_code' column"),
    "column twice": (
        f"area_name,Ward code,ward_code\nNorth,{A},{A}\n",
        "The areas file bad.csv has the column 'ward_code' twice.",
    ),
    "unknown column": (f"area_name,ward_code,note\nNorth,{A},x\n", "has an unknown column 'note'"),
    "no rows": ("area_name,ward_code\n", "The areas file bad.csv has a header but no rows."),
    "empty name": (f"area_name,ward_code\nNorth,{A}\n,{B}\n", "Row 3: the area name is empty."),
    "empty ward code": ("area_name,ward_code\nNorth,\n", "Row 2: the ward code is empty."),
    "unknown ward": (
        "area_name,ward_code\nNorth,E05000000\n",
        "Row 2: ward code E05000000 is not a ward of the current",
    ),
    "old ward": ("area_name,ward_code\nNorth,E05999801\n", "Row 2: ward code E05999801 is a ward of the 2014 ward set"),
    "duplicate row": (
        f"area_name,ward_code\nNorth,{A}\nNorth,{B}\nNorth,{A}\n",
        f"Row 4: area 'North' and ward {A} are already given in row 2.",
    ),
    "ward in two areas": (
        f"area_name,ward_code\nNorth,{A}\nSouth,{A}\n",
        f"Row 3: ward {A} is already in the area 'North' (row 2); a ward can be in only one area of a set.",
    ),
    "two authorities": (
        f"area_name,ward_code\nNorth,{A}\nNorth,{CODE['Ivy']}\n",
        f"Row 3: ward {CODE['Ivy']} is in authority {AUTHORITY_B}, but the area 'North' already has wards of "
        f"authority {AUTHORITY} (row 2); an area's wards must all be in one authority.",
    ),
    "name spelt two ways": (
        f"area_name,ward_code\nNorth,{A}\nnorth,{B}\n",
        "Row 3: the area 'north' is spelt 'North' in row 2; spell it the same way.",
    ),
    "markup in a name": (f"area_name,ward_code\n<b>North</b>,{A}\n", "Row 2: the area name holds a line break"),
}


@pytest.mark.parametrize("rule", list(BAD))
def test_every_bad_areas_file_is_refused_with_its_sentence_and_nothing_written(layer, tmp_path, capsys, rule):
    body, sentence = BAD[rule]
    (tmp_path / "bad.csv").write_text(body, encoding="utf-8")
    before = sha(layer)
    capsys.readouterr()
    assert main(["add-areas", "--csv", str(tmp_path / "bad.csv"), "--set", "New"]) == 1
    err = capsys.readouterr().err
    assert sentence in err
    assert err.strip().endswith("Nothing was written.") and err.count("\n") == 1  # one sentence, one line
    assert sha(layer) == before
    assert not list(layer.parent.glob(".local.duckdb.tmp-*"))
    assert "New" not in set(areas.area_sets(db.reader(public=False))["set_name"])


def test_a_bad_file_writes_no_layer_where_there_was_none(fixture_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    (tmp_path / "bad.csv").write_text(f"area_name,ward_code\nNorth,{A}\nSouth,{A}\n", encoding="utf-8")
    assert main(["add-areas", "--csv", str(tmp_path / "bad.csv"), "--set", "New"]) == 1
    assert not (tmp_path / "local.duckdb").exists()


def test_set_names_replace_list_and_remove(layer, tmp_path, capsys):
    csv = areas_csv(tmp_path / "x.csv", {"One": ["Alder"]}, CODE)
    assert main(["add-areas", "--csv", str(csv), "--set", "bad/name"]) == 1
    assert "The set name 'bad/name' must start with a letter or digit" in capsys.readouterr().err
    assert main(["add-areas", "--csv", str(csv), "--set", "hubs"]) == 1
    assert "The area set 'Hubs' is already loaded; add --replace to replace it." in capsys.readouterr().err
    assert main(["list-areas"]) == 0
    out = capsys.readouterr().out
    assert "Hubs · Fixture authority E09999901 · 3 areas · 6 wards · published" in out
    assert "Towns · " in out and "· not published ·" in out
    assert main(["add-areas", "--csv", str(csv), "--set", "Hubs", "--replace"]) == 0
    assert "Replaced area set 'Hubs': 1 areas of 1 wards" in capsys.readouterr().out
    assert main(["remove-areas", "--set", "Hubs"]) == 0
    assert main(["remove-areas", "--set", "Hubs"]) == 1
    assert "There is no area set 'Hubs' (see list-areas). Nothing was changed." in capsys.readouterr().err
    assert list(areas.area_sets(db.reader(public=False))["set_name"]) == ["Towns"]


# --- the figures, recomputed here ---------------------------------------------------------------------
def expected_rate(period: str, wards: list[str]) -> tuple[float, float, float, float, float]:
    rows = next(v for (p, _), v in RATE_ROWS.items() if p == period)
    n = sum(rows[w][0] for w in wards)
    d = sum(rows[w][1] for w in wards)
    lo, hi = wilson(np.array([n]), np.array([d]), 0.95, 100.0)
    return 100 * n / d, float(lo[0]), float(hi[0]), n, d


@pytest.mark.parametrize("period", ["FYE 2023", "FYE 2025"])
def test_area_rates_are_summed_numerators_over_summed_denominators(layer, period):
    t = areas.area_table(db.reader(public=False), "Hubs", AUTHORITY, RATE, period).set_index("area_name")
    auth = next(v for (p, _), v in RATE_ROWS.items() if p == period)[AUTHORITY][2]
    for area, wards in HUBS.items():
        value, lo, hi, n, d = expected_rate(period, wards)
        row = t.loc[area]
        assert (row["numerator"], row["denominator"]) == (n, d)
        assert row["value"] == pytest.approx(value, abs=1e-9)
        assert (row["lower_95"], row["upper_95"]) == pytest.approx((lo, hi), abs=1e-9)
        want = "worse" if lo > auth else "better" if hi < auth else "similar"
        assert row["vs_authority"] == want
    # North: (60 + 52) / (200 + 208) in FYE 2023, (250 + 200) / (500 + 500) in FYE 2025
    assert t.loc["North", "value"] == pytest.approx(100 * 112 / 408 if period == "FYE 2023" else 45.0)
    assert list(t.sort_values("rank").index) == list(t.sort_values("value", ascending=False).index)


def test_area_counts_are_sums_and_scores_population_weighted_means(layer):
    r = db.reader(public=False)
    from tests.fixtures import COUNT_ROWS

    t = areas.area_table(r, "Hubs", AUTHORITY, COUNT, "Feb 2025").set_index("area_name")
    for area, wards in HUBS.items():
        assert t.loc[area, "value"] == sum(COUNT_ROWS[w] for w in wards)
        assert t.loc[area, "vs_authority"] is None  # a count is not judged against a total
    s = areas.area_table(r, "Hubs", AUTHORITY, "imd_score", "2019").set_index("area_name")
    for area, wards in HUBS.items():
        w = [POPULATION_ROWS[x] for x in wards]
        want = sum(IMD_ROWS["2019"][x] * p for x, p in zip(wards, w, strict=True)) / sum(w)
        assert s.loc[area, "value"] == pytest.approx(want)
        assert s.loc[area, "population"] == sum(w)
    m = areas.area_table(r, "Towns", METRO, COUNT, "Feb 2025").set_index("area_name")
    for area, wards in METRO_AREAS.items():
        assert m.loc[area, "value"] == sum(MORE_COUNT[w] for w in wards)


def test_local_indicators_are_carried_to_areas_too(layer):
    t = areas.area_table(db.reader(public=False), "Towns", METRO, "metro_local", "2024/25").set_index("area_name")
    for area, wards in METRO_AREAS.items():
        n = sum(METRO_LOCAL[w][0] for w in wards)
        d = sum(METRO_LOCAL[w][1] for w in wards)
        lo, hi = wilson(np.array([n]), np.array([d]), 0.95, 100.0)
        assert t.loc[area, "value"] == pytest.approx(100 * n / d)
        assert (t.loc[area, "lower_95"], t.loc[area, "upper_95"]) == pytest.approx((lo[0], hi[0]))


def test_an_area_with_a_ward_without_a_figure_has_none(layer, tmp_path):
    assert (
        main(["add-areas", "--csv", str(areas_csv(tmp_path / "e.csv", {"West": ["Elm", "Fir"]}, CODE)), "--set", "W"])
        == 0
    )
    t = areas.area_table(db.reader(public=False), "W", AUTHORITY, RATE, "FYE 2025")
    assert t["value"].isna().all()  # Elm has no FYE 2025 figure: a sum of Fir alone would be too low


def test_an_indicator_that_cannot_be_carried_says_so_in_one_sentence():
    for unit in ("km", "ratio", "£"):
        note = areas.not_carried_note({"unit": unit, "short_title": "X"})
        assert note.startswith("X is not shown for areas: ") and note.count(".") == 1
    share = {"unit": "%", "short_title": "LSOAs in Wales' most deprived 10%", "ci_method": "none"}
    assert "share of LSOAs" in areas.not_carried_note(share)
    assert areas.not_carried_note({"unit": "%", "ci_method": "wilson"}) == ""
    assert areas.not_carried_note({"unit": "score"}) == areas.not_carried_note({"unit": "count"}) == ""


def test_slope_index_only_with_five_areas(layer, tmp_path):
    r = db.reader(public=False)
    g = areas.area_gaps(r, "Hubs", AUTHORITY, RATE, "FYE 2023")
    assert g.gaps.sii is None and g.sii_note == areas.FEW_AREAS
    assert g.gaps.highest_code == "North" and g.gaps.lowest_code == "South"
    five = {w: [w] for w in ["Alder", "Birch", "Cedar", "Damson", "Fir"]}
    assert main(["add-areas", "--csv", str(areas_csv(tmp_path / "5.csv", five, CODE)), "--set", "Five"]) == 0
    g5 = areas.area_gaps(db.reader(public=False), "Five", AUTHORITY, RATE, "FYE 2023")
    assert g5.gaps.sii is not None and g5.gaps.n == 5


def test_area_outlines_dissolve_their_wards(layer):
    from shapely.geometry import shape

    o = areas.area_outlines(db.reader(public=False), "Hubs", AUTHORITY, 2024).set_index("area_name")
    import json

    north = shape(json.loads(o.loc["North", "geojson"]))
    assert north.geom_type == "Polygon"  # Alder and Birch are neighbouring squares: one outline
    assert north.area == pytest.approx(2 * 0.01 * 0.01, rel=1e-3)


# --- every page ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["overview", "map", "gaps", "trends", "profile"])
def test_each_page_draws_the_london_authoritys_areas(layer, page):
    at = app(page, authority=AUTHORITY, indicator=RATE, period="FYE 2023", areas="Hubs")
    shown = shown_text(at)
    assert "Hubs" in shown
    value = expected_rate("FYE 2023", HUBS["North"])[0]
    tables = frames(at)
    if page == "gaps":
        t = next(f for f in tables if "Area" in f.columns).set_index("Area")
        assert t.loc["North", "Value (%)"] == pytest.approx(value, abs=1e-3)
        assert t.loc["North", "vs authority"] == "worse"
        assert "No slope index across areas" in shown
    if page == "map":
        t = next(f for f in tables if "Ward code" in f.columns and "Area" in f.columns)
        assert set(t["Area"]) == set(HUBS)
    if page == "trends":
        t = next(f for f in tables if "Area" in f.columns and "95% CI upper" in f.columns)
        row = t[(t["Area"] == "North") & t["Period"].str.startswith("FYE 2023")]
        assert row["Value (%)"].iloc[0] == pytest.approx(value, abs=1e-3)
    if page == "profile":
        t = next(f for f in tables if "Rank among areas" in f.columns).set_index("Indicator")
        east = expected_rate("FYE 2025", ["Hazel"])[0]  # East is the first area by name; its latest period
        assert t.loc["Child poverty AHC (DWP)", "Area"] == pytest.approx(east, abs=1e-3)
        assert t.loc["Child poverty AHC (DWP)", "Authority"] == pytest.approx(31.9355, abs=1e-3)
    if page == "overview":
        t = next(f for f in tables if "Area" in f.columns).set_index("Area")
        assert t.loc["North", "Significantly worse than authority (count)"] == 1


@pytest.mark.parametrize("page", ["overview", "map", "gaps", "trends", "profile"])
def test_each_page_draws_the_metropolitan_districts_areas(layer, page):
    at = app(page, authority=METRO, indicator="metro_local", areas="Towns")
    shown = shown_text(at)
    assert "Towns" in shown
    town = METRO_AREAS["Town"]
    n, d = sum(METRO_LOCAL[w][0] for w in town), sum(METRO_LOCAL[w][1] for w in town)
    tables = frames(at)
    if page == "gaps":
        t = next(f for f in tables if "Area" in f.columns).set_index("Area")
        assert t.loc["Town", "Value (%)"] == pytest.approx(100 * n / d, abs=1e-3)
        assert t.loc["Quarter", "Value (%)"] == pytest.approx(25.0, abs=1e-3)  # 20 / 80
    if page == "map":
        t = next(f for f in tables if "Ward code" in f.columns and "Area" in f.columns)
        assert sorted(t[t["Area"] == "Town"]["Ward code"]) == sorted(MORE_CODE[w] for w in town)
    if page == "trends":
        t = next(f for f in tables if "Area" in f.columns and "95% CI upper" in f.columns).set_index("Area")
        lo, hi = wilson(np.array([n]), np.array([d]), 0.95, 100.0)
        assert t.loc["Town", "95% CI upper"] == pytest.approx(hi[0], abs=1e-3)
    if page == "profile":  # the first area by name, Quarter, on the local percentage (its theme's)
        t = next(f for f in tables if "Rank among areas" in f.columns).set_index("Indicator")
        assert t.iloc[0]["Area"] == pytest.approx(25.0, abs=1e-3)
    if page == "overview":  # no key indicator has figures in the district: said in one sentence
        assert "No key indicator with intervals can be carried to the Towns areas." in shown


def test_an_unknown_area_set_falls_back_with_a_notice(layer):
    at = app("overview", authority=AUTHORITY, areas="Nope")
    assert "That area set is not one of this local authority's" in texts(at)
    assert "areas" not in at.query_params


def test_the_officer_view_marks_an_unpublished_set(layer):
    at = app("overview", authority=METRO, areas="Towns")
    box = next(b for b in at.selectbox if b.label == "Areas")
    assert box.value == "Towns"
    assert "Towns (not published)" in box.options


def test_set_published_publishes_an_area_set_and_off_unpublishes_it(layer, fixture_extract, tmp_path, capsys):
    from wardgaps.publish import publish

    assert main(["set-published", "--areas", "towns"]) == 0
    assert "The area set 'Towns' is now published" in capsys.readouterr().out
    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    assert sorted(areas.area_sets(db.Reader(out, public=True))["set_name"].unique()) == ["Hubs", "Towns"]
    assert main(["set-published", "--areas", "Hubs", "--off"]) == 0
    assert main(["set-published", "--areas", "Nope"]) == 1
    assert "There is no area set called 'Nope' (see list-areas). Nothing was changed." in capsys.readouterr().err
    listed = areas.area_sets(db.reader(public=False)).drop_duplicates("set_name").set_index("set_name")
    assert listed["published"].to_dict() == {"Hubs": False, "Towns": True}


# --- the public extract -----------------------------------------------------------------------------------
def test_publish_carries_only_published_sets_disclosed_like_wards(layer, fixture_extract, tmp_path):
    from wardgaps.publish import publish

    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    pr = db.Reader(out, public=True)
    assert list(areas.area_sets(pr)["set_name"]) == ["Hubs"]  # Towns was not published
    t = areas.area_table(pr, "Hubs", AUTHORITY, RATE, "FYE 2023").set_index("area_name")
    # South holds Fir (6 children: hidden among wards), so South is hidden, and East with it (the
    # smallest other area), else the authority's total less North would give South back
    assert t.loc["South", "suppressed"] and np.isnan(t.loc["South", "value"])
    assert t.loc["East", "suppressed"] and np.isnan(t.loc["East", "lower_95"])
    north = t.loc["North"]
    assert (north["numerator"], north["denominator"]) == (110, 410)  # 112 and 408 rounded to 5
    assert north["value"] == round(100 * 110 / 410, 1)
    c = areas.area_table(pr, "Hubs", AUTHORITY, COUNT, "Feb 2025").set_index("area_name")
    assert c.loc["North", "value"] == 205  # 207 rounded
    found = audit(fixture_extract, out)
    assert all(len(v) == 0 for v in found.values()), {k: len(v) for k, v in found.items()}


def test_the_audit_finds_areas_that_give_a_hidden_ward_back(layer, fixture_extract, tmp_path, monkeypatch):
    """The audit can fail: without the rule that hides an area holding a hidden ward, it finds the leak."""
    from wardgaps.publish import publish

    monkeypatch.setattr(publish_areas, "forced", lambda a, *_: pd.Series(False, index=a.index))
    out = tmp_path / "leaky.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    found = audit(fixture_extract, out)
    assert len(found["differencing"]) > 0


def test_the_public_view_shows_hidden_areas_as_not_shown(layer, fixture_extract, tmp_path, monkeypatch):
    from wardgaps.publish import publish

    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(out))
    at = app("gaps", authority=AUTHORITY, indicator=RATE, period="FYE 2023", areas="Hubs")
    t = next(f for f in frames(at) if "Area" in f.columns).set_index("Area")
    assert t.loc["North", "Value (%)"] == round(100 * 110 / 410, 1)
    assert pd.isna(t.loc["South", "Value (%)"]) and t.loc["South", "Status"] == "suppressed"


def test_the_area_pack_carries_the_areas_figures(layer):
    from wardgaps import briefing

    pack = briefing.make_pack(db.reader(public=False), AUTHORITY, areas="Hubs", area="North")
    assert pack.title == "North, Fixture authority: area briefing"
    assert ("Area", "North (Hubs: 2 current wards)") in pack.cover
    table = next(s.table.frame for s in pack.slides if s.table is not None).set_index("Indicator")
    value, lo, hi, _, _ = expected_rate("FYE 2025", HUBS["North"])
    assert table.loc["Child poverty AHC (DWP)", "Area"] == f"{value:.1f}%"
    assert table.loc["Child poverty AHC (DWP)", "95% interval"] == f"{lo:.1f}% to {hi:.1f}%"
    assert table.loc["Child poverty AHC (DWP)", "vs authority"] == "Worse"
    from tests.fixtures import COUNT_ROWS

    assert table.loc["Households on UC (count)", "Area"] == f"{COUNT_ROWS['Alder'] + COUNT_ROWS['Birch']:,}"
    with pytest.raises(briefing.PackError, match="Nowhere is not an area of the set Hubs"):
        briefing.make_pack(db.reader(public=False), AUTHORITY, areas="Hubs", area="Nowhere")
