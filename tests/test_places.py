"""The council's own places and need around them (issue 14, part 3): ``python -m wardgaps
add-places|list-places|remove-places`` on the committed extract's real authorities, each place's
population-weighted need recomputed here from the extract's own LSOA values and populations, the
highest-need areas beyond every place, the page through the entry point for Islington and
Manchester, and every bad input refused with one sentence and nothing written. Each test writes
its own places CSV in a tmp dir (none are shipped), loaded published (the flag and its marks are
tested in tests/test_published.py)."""

from __future__ import annotations

import functools
import hashlib
import math

import duckdb
import pandas as pd
import pytest
from pyproj import Transformer

from tests import fixtures
from tests.conftest import COMMITTED
from tests.test_pages import app, frames, texts
from wardgaps import analysis, db, local, local_places, ui
from wardgaps.__main__ import main

pytest_plugins = ["tests.fixture_plugin"]

ISLINGTON = "E09000019"
MANCHESTER = "E08000003"


def sha(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@pytest.fixture()
def layer(tmp_path, monkeypatch):
    """An empty local layer path of this test's own, on the committed extract."""
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    monkeypatch.delenv("WARDGAPS_DB", raising=False)
    monkeypatch.delenv("WARDGAPS_PUBLIC", raising=False)
    return tmp_path / "local.duckdb"


@functools.lru_cache(maxsize=8)
def extract_lsoas(authority: str, indicator: str = "imd_score", period: str = "2025") -> pd.DataFrame:
    """The authority's 2021 LSOAs with the indicator, Census 2021 population and label point,
    read straight from the extract (not through the app's queries)."""
    # the app's own settings: DuckDB shares one instance per open file, refusing different ones
    con = duckdb.connect(str(COMMITTED), read_only=True, config=db.SETTINGS)
    try:
        return con.execute(
            """
            select g.geo_code, o.value, p.value as population, b.label_lon, b.label_lat
            from geographies g
            join observations o on o.geo_code = g.geo_code and o.vintage = g.vintage
            join observations p on p.geo_code = g.geo_code and p.vintage = g.vintage
            join boundaries b on b.geo_code = g.geo_code and b.vintage = g.vintage
            where g.geo_type = 'lsoa' and g.vintage = 2021 and g.authority_code = ?
              and o.indicator_id = ? and o.period = ?
              and p.indicator_id = 'population' and p.period = '2021'
            order by g.geo_code
            """,
            [authority, indicator, period],
        ).df()
    finally:
        con.close()


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance, written out here to check the app's."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def write_places(dirpath, rows: list[dict] | str, name: str = "places"):
    path = dirpath / f"{name}.csv"
    if isinstance(rows, str):
        path.write_text(rows, encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(path, index=False)
    return path


def at_lsoa(ls: pd.DataFrame, i: int, name: str, kind: str = "community hub") -> dict:
    r = ls.iloc[i]
    return {"name": name, "kind": kind, "latitude": r["label_lat"], "longitude": r["label_lon"]}


def expected_mean(ls: pd.DataFrame, lon: float, lat: float, within: float) -> tuple[float, set[str]]:
    d = [metres(lon, lat, x, y) for x, y in zip(ls["label_lon"], ls["label_lat"], strict=True)]
    inside = ls[[x <= within for x in d]]
    return float((inside["value"] * inside["population"]).sum() / inside["population"].sum()), set(inside["geo_code"])


# --- the commands -------------------------------------------------------------------------------
@pytest.mark.national
def test_add_list_remove_places_from_the_command_line(layer, tmp_path, capsys):
    isl, man = extract_lsoas(ISLINGTON), extract_lsoas(MANCHESTER)
    f = write_places(tmp_path, [at_lsoa(isl, 0, "Hub A"), at_lsoa(isl, 40, "Hub B"), at_lsoa(man, 10, "Hub C")])
    assert main(["add-places", "--csv", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Added 3 places (community hub) in {MANCHESTER} (1), {ISLINGTON} (2) (sha256 {sha(f)[:12]})")
    assert main(["list-places"]) == 0
    listed = capsys.readouterr().out
    assert "Hub A (community hub) · Islington E09000019 · latitude" in listed
    assert (
        "Hub C (community hub) · Manchester E08000003" in listed and f"file places.csv sha256 {sha(f)[:12]}" in listed
    )

    # the same places again: refused unless --replace, which replaces the kinds in the file
    assert main(["add-places", "--csv", str(f)]) == 1
    assert "Row 2: the community hub 'Hub A' is already loaded; add --replace" in capsys.readouterr().err
    lib = write_places(tmp_path, [at_lsoa(isl, 5, "Central Library", "library")], "libs")
    assert main(["add-places", "--csv", str(lib)]) == 0
    g = write_places(tmp_path, [at_lsoa(isl, 1, "Hub A")], "again")
    assert main(["add-places", "--csv", str(g), "--replace"]) == 0
    capsys.readouterr()
    assert sorted(local_places.stored()["name"]) == ["Central Library", "Hub A"]

    assert main(["remove-places", "--kind", "library"]) == 0
    assert capsys.readouterr().out == "Removed 1 place of the kind library.\n"
    assert main(["remove-places", "--kind", "library"]) == 1
    assert "There are no places of the kind 'library'" in capsys.readouterr().err
    assert main(["remove-places", "--all"]) == 0
    assert main(["list-places"]) == 0
    assert "No places" in capsys.readouterr().out


def test_places_join_an_older_layer_and_keep_its_indicators(local_layer, tmp_path):
    """A local file from before places (indicators only) takes places; its indicator stays."""
    assert analysis.council_places(db.reader(public=False), ISLINGTON).empty
    isl = extract_lsoas(ISLINGTON)
    local_places.add_places(write_places(tmp_path, [at_lsoa(isl, 0, "Hub A")]), published=True)
    assert list(analysis.council_places(db.reader(public=False), ISLINGTON)["name"]) == ["Hub A"]
    assert "fsm_test" in set(local.listed()["indicator_id"])


@pytest.mark.national
def test_easting_northing_accepted_and_converted(layer, tmp_path):
    man = extract_lsoas(MANCHESTER)
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    e, n = to_bng.transform(man.iloc[3]["label_lon"], man.iloc[3]["label_lat"])
    f = write_places(
        tmp_path,
        [
            {"name": "Hub E", "kind": "community hub", "easting": round(e, 1), "northing": round(n, 1)},
            # Manchester Town Hall, by its grid reference (SJ 838 983): about 53.479 N, 2.245 W
            {"name": "Town Hall", "kind": "office", "easting": 383800, "northing": 398300},
        ],
    )
    local_places.add_places(f, published=True)
    p = analysis.council_places(db.reader(public=False), MANCHESTER).set_index("name")
    assert metres(p.loc["Hub E", "lon"], p.loc["Hub E", "lat"], man.iloc[3]["label_lon"], man.iloc[3]["label_lat"]) < 1
    assert abs(p.loc["Town Hall", "lat"] - 53.479) < 0.003 and abs(p.loc["Town Hall", "lon"] + 2.245) < 0.003
    assert set(p["authority_code"]) == {MANCHESTER}


# --- need around places, recomputed from the extract --------------------------------------------
@pytest.mark.national
@pytest.mark.parametrize(("authority", "rows"), [(ISLINGTON, (0, 60)), (MANCHESTER, (10, 200))])
def test_population_weighted_need_within_the_distance(layer, tmp_path, authority, rows):
    ls = extract_lsoas(authority)
    places = [at_lsoa(ls, i, f"Hub {i}") for i in rows]
    local_places.add_places(write_places(tmp_path, places), published=True)
    for within in (500, 1000):
        summary, areas, far = analysis.need_around_places(
            db.reader(public=False), authority, "imd_score", "2025", "lsoa", within
        )
        s = summary.set_index("name")
        for i, p in zip(rows, places, strict=True):
            want, codes = expected_mean(ls, p["longitude"], p["latitude"], within)
            assert ls.iloc[i]["geo_code"] in codes  # the LSOA the place stands on
            assert s.loc[f"Hub {i}", "value"] == pytest.approx(want, rel=1e-9)
            assert s.loc[f"Hub {i}", "areas"] == len(codes)
        # the highest-need LSOAs beyond every place: none within the distance of any place
        assert len(far) == analysis.FARTHEST
        for r in far.itertuples():
            d = min(metres(p["longitude"], p["latitude"], r.label_lon, r.label_lat) for p in places)
            assert d > within and r.distance_m == pytest.approx(d, rel=1e-6)
        beyond = areas[~areas["within"]]
        assert far["value"].iloc[0] == beyond["value"].max()
        assert list(far["value"]) == sorted(far["value"], reverse=True)
        assert set(far["geo_code"]).isdisjoint(set(areas.loc[areas["within"], "geo_code"]))


@pytest.mark.national
def test_child_poverty_by_ward_weighted_by_children(layer, tmp_path):
    b = analysis.ward_boundaries(db.reader(public=False), ISLINGTON, analysis.WARD_VINTAGE).set_index("geo_code")
    arsenal = b.loc["E05013697"]
    f = write_places(
        tmp_path,
        [{"name": "Arsenal Hub", "kind": "hub", "latitude": arsenal.label_lat, "longitude": arsenal.label_lon}],
    )
    local_places.add_places(f, published=True)
    summary, areas, _ = analysis.need_around_places(
        db.reader(public=False), ISLINGTON, "child_poverty_ahc_dwp", "FYE 2025", "ward", 1000
    )
    t = analysis.ward_table(
        db.reader(public=False), ISLINGTON, "child_poverty_ahc_dwp", "FYE 2025", analysis.WARD_VINTAGE
    ).set_index("geo_code")
    inside = [
        c
        for c in t.index
        if metres(arsenal.label_lon, arsenal.label_lat, b.loc[c, "label_lon"], b.loc[c, "label_lat"]) <= 1000
    ]
    assert "E05013697" in inside
    want = (t.loc[inside, "value"] * t.loc[inside, "denominator"]).sum() / t.loc[inside, "denominator"].sum()
    assert summary.iloc[0]["value"] == pytest.approx(want)


# --- the page -----------------------------------------------------------------------------------
@pytest.mark.national
def test_page_says_how_to_add_places_and_nothing_else(layer):
    at = app("places", authority=MANCHESTER)
    shown = texts(at)
    assert "No places of the council's own are loaded for Manchester" in shown
    assert "python -m wardgaps add-places --csv places.csv" in shown
    assert not frames(at) and not at.get("plotly_chart")


@pytest.mark.national
@pytest.mark.parametrize("authority", [ISLINGTON, MANCHESTER])
def test_page_shows_real_need_around_places(layer, tmp_path, authority):
    ls = extract_lsoas(authority)
    places = [at_lsoa(ls, 0, "North [Hub](http://x)"), at_lsoa(ls, 100, "South *Hub*")]
    local_places.add_places(write_places(tmp_path, places), published=True)
    at = app("places", authority=authority)
    label = (
        analysis.need_options(db.reader(public=False), authority).set_index("indicator_id").loc["imd_score", "label"]
    )
    at.selectbox(key="need_measure").set_value(label).run()
    at.selectbox(key="need_distance").set_value(500).run()
    assert not at.exception and not at.error
    t = frames(at)[0].set_index("Place")
    for p in places:
        want, codes = expected_mean(ls, p["longitude"], p["latitude"], 500)
        assert t.loc[p["name"], "IMD score (score)"] == pytest.approx(round(want, 3), abs=1e-3)
        assert t.loc[p["name"], "LSOAs within 500 m"] == len(codes)
    far = frames(at)[1]
    assert len(far) == analysis.FARTHEST and (far["Distance to it (km)"] > 0.5).all()
    shown = texts(at)
    assert "representative point" in shown and "not a population-weighted centroid" in shown
    assert "Of the LSOAs more than 500 m from every place" in shown
    # names from users are shown literally, never as links or emphasis
    assert not any("](http" in m.value and "\\]" not in m.value for m in at.markdown)


@pytest.mark.national
def test_navigation_reaches_the_page_and_the_ward_map_shows_places(layer, tmp_path):
    ls = extract_lsoas(ISLINGTON)
    local_places.add_places(write_places(tmp_path, [at_lsoa(ls, 0, "Hub A", "community hub")]), published=True)
    at = app("overview")
    assert ("pages/places.py", "Need around places") in [(s, label) for s, label, _ in ui.NAV]
    at.switch_page("pages/places.py").run()
    assert not at.exception and at.title[0].value == "Need around places: Islington"
    at.switch_page("pages/map.py").run()
    at.checkbox(key="map_places").check().run()
    assert not at.exception
    assert "Stars mark the council's 1 place in Islington (community hub)" in texts(at)
    assert "our places (stars)" in at.get("plotly_chart")[0].proto.spec


# --- bad input ----------------------------------------------------------------------------------
GOOD = "name,kind,latitude,longitude\nHub,community hub,51.5464,-0.1037\n"
BAD = [
    ("name,latitude,longitude\nHub,51.5,-0.1\n", "The places file places.csv has no 'kind' column"),
    (
        "name,kind,lat,latitude,longitude\nHub,hub,51.5,51.5,-0.1\n",
        "The places file places.csv has the column 'latitude' twice.",  # 'lat' is read as 'latitude'
    ),
    ("name,kind\nHub,hub\n", "The places file places.csv has no coordinate columns"),
    ("name,kind,latitude\nHub,hub,51.5\n", "The places file places.csv has a 'latitude' column but no 'longitude'"),
    (
        "name,kind,latitude,longitude,colour\nHub,hub,51.5,-0.1,red\n",
        "The places file places.csv has an unknown column 'colour'.",
    ),
    ("", "The places file places.csv is empty."),
    ("name,kind,latitude,longitude\n", "The places file places.csv has a header but no rows."),
    ("name,kind,latitude,longitude\nHub,hub,north,-0.1\n", "Row 2: latitude 'north' is not a number."),
    (
        "name,kind,latitude,longitude\nHub,hub,48.85,2.35\n",
        "Row 2: latitude 48.85 and longitude 2.35 are outside England",
    ),
    (
        "name,kind,latitude,longitude\nHub,hub,-0.1037,51.5464\n",
        "Row 2: latitude -0.1037 and longitude 51.5464 are outside",
    ),
    (
        "name,kind,easting,northing\nHub,hub,900000,100000\n",
        "Row 2: easting 900000 and northing 100000 are outside the British",
    ),
    ("name,kind,easting,northing\nHub,hub,531000,\n", "Row 2: the northing is empty."),
    (
        "name,kind,latitude,longitude,easting,northing\nHub,hub,51.5,-0.1,531000,183000\n",
        "Row 2: it gives both latitude/longitude and easting/northing",
    ),
    ("name,kind,latitude,longitude,easting,northing\nHub,hub,,,,\n", "Row 2: it gives no coordinates"),
    (GOOD + "hub,Community Hub,51.55,-0.11\n", "Row 3: the Community Hub 'hub' is already given in row 2."),
    ("name,kind,latitude,longitude\n,hub,51.5,-0.1\n", "Row 2: the name is empty."),
    ("name,kind,latitude,longitude\nHub,,51.5,-0.1\n", "Row 2: the kind is empty"),
    (f"name,kind,latitude,longitude\n{'x' * 81},hub,51.5,-0.1\n", "Row 2: the name is longer than 80 characters."),
    # the English Channel, inside the box but in no authority
    (
        "name,kind,latitude,longitude\nBoat,hub,50.2,-2.5\n",
        "Row 2: the place at latitude 50.20000, longitude -2.50000 is not",
    ),
    ("name,kind,latitude,longitude\nHub,hub,51.5,-0.1,extra\n", "Row 2: it has 5 fields, but the header has 4."),
]


@pytest.mark.national
@pytest.mark.parametrize(("csv_text", "message"), BAD, ids=[m[1][:40] for m in BAD])
def test_bad_places_refused_with_one_sentence_and_nothing_written(layer, tmp_path, capsys, csv_text, message):
    local_places.add_places(write_places(tmp_path, GOOD, "good"), published=True)  # a layer with one place already
    before = sha(layer)
    f = write_places(tmp_path, csv_text)
    assert main(["add-places", "--csv", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert err.endswith("Nothing was written.\n") and err.count("\n") == 1
    assert sha(layer) == before
    assert list(local_places.stored()["name"]) == ["Hub"]
    assert not list(layer.parent.glob(".local.duckdb.tmp-*"))


def test_missing_and_binary_places_files_refused(layer, tmp_path, capsys):
    assert main(["add-places", "--csv", str(tmp_path / "nope.csv")]) == 1
    assert capsys.readouterr().err.startswith("The places file nope.csv could not be read as a CSV file (no such file)")
    f = tmp_path / "places.csv"
    f.write_bytes(b"\xff\xfe\x00\x81garbage")
    assert main(["add-places", "--csv", str(f)]) == 1
    assert capsys.readouterr().err.startswith("The places file places.csv could not be read")
    assert not layer.exists()


def test_public_page_says_what_the_gate_does(layer, tmp_path, monkeypatch, fixture_extract):
    """The council's places published with its public extract (publish --with-local; here on the
    fixture extract): each place's need is worked out from the figures shown, the children counted
    rounded to 5, the hidden wards counted, and the page says so."""
    from wardgaps.publish import publish

    monkeypatch.setenv("WARDGAPS_DB", str(fixture_extract))
    elm = analysis.ward_boundaries(db.reader(public=False), fixtures.AUTHORITY, 2024).set_index("geo_name").loc["Elm"]
    f = write_places(
        tmp_path, [{"name": "Elm Hub", "kind": "hub", "latitude": elm.label_lat, "longitude": elm.label_lon}]
    )
    local_places.add_places(f, published=True)
    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(out))
    at = app("places", authority=fixtures.AUTHORITY)
    assert analysis.PUBLIC_NOTE in texts(at)
    t = frames(at)[0].set_index("Place")
    assert t.loc["Elm Hub", "Children counted"] % 5 == 0
    # within 1 km of Elm: Damson, Elm and Fir; Elm (suppressed by its publisher) and Fir hidden with it
    assert t.loc["Elm Hub", "Hidden (small numbers)"] == 2
    pub = db.Reader(out, public=True)
    summary, _, _ = analysis.need_around_places(
        pub, fixtures.AUTHORITY, "child_poverty_ahc_dwp", "FYE 2025", "ward", 1000
    )
    shown = analysis.ward_table(pub, fixtures.AUTHORITY, "child_poverty_ahc_dwp", "FYE 2025", 2024)
    shown = shown[~shown["suppressed"] & shown["geo_name"].isin(["Damson", "Elm", "Fir"])]
    want = (shown["value"] * shown["denominator"]).sum() / shown["denominator"].sum()
    assert summary.iloc[0]["value"] == pytest.approx(want) and summary.iloc[0]["weight"] % 5 == 0
