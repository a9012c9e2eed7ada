"""The Compare page with the council's areas (issue 22, part 3) on the fixture extract: a ward of the
second London authority beside an area of the first's set Hubs, the area's figures recomputed here
from the fixture wards' numerators and denominators, its significance against its own authority and
its country, the CSV and chart, the "not carried" sentence, bad area names, and the public view
(published sets only, disclosed)."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from tests.area_sets import HUBS
from tests.audit import wilson
from tests.conftest import write_local
from tests.fixtures import AUTHORITY, AUTHORITY_B, CODE, RATE, RATE_ROWS
from tests.test_pages import app, texts
from wardgaps import db
from wardgaps.analysis import compare

pytest_plugins = ["tests.fixture_plugin", "tests.areas_plugin"]

JUNIPER = CODE["Juniper"]
NORTH_LABEL = "North (Hubs area, Fixture authority)"
JUNIPER_LABEL = "Juniper (Fixture second authority)"


def csv_of(at, downloads, key: str) -> pd.DataFrame:
    """The CSV a reader downloads from the table of that key."""
    for b in at.get("download_button"):
        if b.proto.id.endswith(f"csv-{key}") or f"csv-{key}" in b.proto.id:
            return pd.read_csv(io.BytesIO(downloads.of(b)))
    raise AssertionError(f"no CSV for {key}")


def infos(at) -> list[str]:
    """The notices as read (the app escapes Markdown in data-bearing text)."""
    return [re.sub(r"\\(.)", r"\1", i.value) for i in at.info]


def rate_of(period: str, wards: list[str]) -> tuple[float, float, float]:
    """Summed numerators over summed denominators of the wards, with Wilson's 95% limits, from the
    fixture's own rows (not from the extract)."""
    rows = next(v for (p, _), v in RATE_ROWS.items() if p == period)
    n, d = sum(rows[w][0] for w in wards), sum(rows[w][1] for w in wards)
    lo, hi = wilson(np.array([n]), np.array([d]), 0.95, 100.0)
    return 100 * n / d, float(lo[0]), float(hi[0])


def pct(x: float) -> str:
    return f"{x:.1f}%"


def test_compare_a_ward_and_an_area_of_another_authority(layer, downloads):
    at = app("compare", authority=AUTHORITY, wards=JUNIPER, areas="Hubs", area="North", theme="child_poverty")
    wide = at.dataframe[0].value.set_index("Indicator")
    row = wide.loc["Child poverty AHC (DWP)"]
    assert row["Period"] == "FYE 2025 (2024/25)"
    value, lo, hi = rate_of("FYE 2025", HUBS["North"])  # (250 + 200) / (500 + 500)
    assert value == 45.0
    england = RATE_ROWS[("FYE 2025", "2024-04-01")]["E92000001"][2]
    authority = RATE_ROWS[("FYE 2025", "2024-04-01")][AUTHORITY][2]
    assert lo > authority and lo > england  # so: worse than both
    assert row[NORTH_LABEL] == (
        f"{pct(value)} ({pct(lo)} to {pct(hi)}); ▲ significantly worse than Fixture authority; "
        "▲ significantly worse than England"
    )
    assert row[JUNIPER_LABEL] == (
        "30.0% (25.1% to 35.4%); similar to Fixture second authority; ▲ significantly worse than England"
    )
    shown = texts(at)
    assert "1 ward and 1 area on 1 indicator of child poverty" in shown
    assert [c.value for c in at.code] == [
        f"/compare?wards={JUNIPER}&authority={AUTHORITY}&areas=Hubs&area=North&theme=child_poverty"
    ]
    assert at.query_params["wards"] == JUNIPER and at.query_params["area"] == "North"
    # the CSV of the table: the same cells, headed by the places
    table = csv_of(at, downloads, "compare-child_poverty").set_index("Indicator")
    assert table.loc["Child poverty AHC (DWP)", NORTH_LABEL] == row[NORTH_LABEL]
    assert list(table.columns) == ["Period", JUNIPER_LABEL, NORTH_LABEL]
    # the chart and its table and CSV: the area drawn beside the ward, at full precision in the CSV
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert bars["y"] == [NORTH_LABEL, JUNIPER_LABEL]
    assert bars["text"][0] == "45.0%: ▲ significantly worse than Fixture authority; ▲ significantly worse than England"
    chart = csv_of(at, downloads, f"compare-{RATE}").set_index("Place")
    assert chart.loc["North", "Kind"] == "area" and chart.loc["Juniper", "Kind"] == "ward"
    assert chart.loc["North", "Authority"] == "Fixture authority"
    assert chart.loc["North", "Value (%)"] == pytest.approx(value)
    assert (chart.loc["North", "95% CI lower"], chart.loc["North", "95% CI upper"]) == pytest.approx((lo, hi), abs=1e-9)
    assert "North has the highest figure (45.0%) and Juniper the lowest (30.0%) of the 2 places" in shown


def test_an_indicator_that_cannot_be_carried_says_so_in_the_areas_cell(layer, tmp_path):
    from wardgaps import local

    # a local percentage published without its counts, for the wards compared (theme child poverty)
    rows = [
        {"ward_code": CODE[w], "period": "2024/25", "value": v}
        for w, v in {"Alder": 12.5, "Birch": 20.0, "Juniper": 31.0}.items()
    ]
    local.add(*write_local(tmp_path, rows, id="share_test", title="A share without counts", short_title="Share"))
    places, problem = compare.parse_places(db.reader(public=False), JUNIPER, "Hubs", AUTHORITY, ["North"])
    assert problem == ""
    long = compare.compare_long(db.reader(public=False), places, "child_poverty")
    share = long[long["indicator_id"].eq("share_test")].set_index("place_name")
    assert share.loc["Juniper", "value"] == 31.0 and compare.cell(share.loc["Juniper"]).startswith("31.0%")
    note = compare.cell(share.loc["North"])
    assert note == (
        "Share (local data, not published) is not shown for areas: it is a percentage published without its "
        "counts (such as a share of LSOAs), and an area's share cannot be worked out from its wards' shares alone."
    )
    assert compare.chart_rows(long, "share_test").set_index("place_name").loc["North", "against"] == note
    assert not any("Share" in s for s in compare.notable(long))  # a note is not a difference


def test_compare_two_areas_judged_against_their_own_authority(layer):
    places, _ = compare.parse_places(db.reader(public=False), "", "Hubs", AUTHORITY, ["South", "East"])
    long = compare.compare_long(db.reader(public=False), places, "child_poverty").set_index("place_name")
    for area in ("South", "East"):
        value, lo, hi = rate_of("FYE 2025", HUBS[area])
        got = long.loc[area]
        assert got["value"] == pytest.approx(value) and (got["lower_95"], got["upper_95"]) == pytest.approx((lo, hi))
        assert got["authority_value"] == pytest.approx(31.9355) and got["country_value"] == 20.0
        want = "worse" if lo > 31.9355 else "better" if hi < 31.9355 else "similar"
        assert got["vs_authority"] == want
    # South: (150 + 100 + 50) / 1500 = 20.0%, below its authority's 31.9% and no different from England's
    assert long.loc["South", "vs_authority"] == "better" and long.loc["South", "vs_country"] == "similar"
    assert long.loc["East", "vs_country"] == "worse"  # Hazel alone, 45.0%


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"area": "Nowhere"}, "Nowhere is not an area of the set Hubs in Fixture authority."),
        ({"area": ["North", "North"]}, "The area North is given twice: choose 2 to 4 different wards or areas."),
        (
            {"area": ["North", "South", "East"], "wards": f"{JUNIPER},{CODE['Ivy']}"},
            "At most 4 wards or areas can be compared side by side; 5 were given.",
        ),
        (
            {"area": "[x](http://example.org)"},
            "[x](http://example.org) is not an area of the set Hubs in Fixture authority.",
        ),
    ],
)
def test_bad_area_names_say_one_sentence(layer, params, sentence):
    at = app("compare", **{"authority": AUTHORITY, "areas": "Hubs", "wards": JUNIPER, **params})
    assert infos(at) == [sentence]
    assert len(at.dataframe) == 0
    assert "area" not in at.query_params


def test_areas_without_a_set_are_not_compared(layer):
    assert compare.parse_places(db.reader(public=False), JUNIPER, None, None, ["North"]) == (
        [],
        "Areas can be compared only once an area set of the authority is chosen.",
    )
    at = app("compare", authority=AUTHORITY_B, wards=JUNIPER, area="North")  # the second authority has no set
    assert infos(at) == ["Choose at least 2 wards to compare (up to 4)."]


def test_the_picker_offers_the_sets_areas(layer):
    at = app("compare", authority=AUTHORITY)
    assert "Fixture authority has area sets (Hubs): choose one under Areas in the sidebar" in texts(at)
    at = app("compare", authority=AUTHORITY, areas="Hubs")
    pick = at.multiselect(key="compare_areas")
    assert pick.options == ["East", "North", "South"]
    pick.set_value(["North", "East"]).run()
    assert [c.value for c in at.code] == [
        f"/compare?authority={AUTHORITY}&areas=Hubs&area=North&area=East&theme=child_poverty"
    ]
    assert list(at.dataframe[0].value.columns)[2:] == [NORTH_LABEL, "East (Hubs area, Fixture authority)"]


@pytest.fixture()
def public_with_areas(layer, fixture_extract, tmp_path, monkeypatch):
    """The fixture extract published with the layer's sets (Hubs published, Towns not), in the public view."""
    from wardgaps.publish import publish

    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    monkeypatch.setenv("WARDGAPS_PUBLIC", "1")
    monkeypatch.setenv("WARDGAPS_PUBLIC_DB", str(out))
    return out


def test_the_public_view_compares_published_areas_disclosed(public_with_areas):
    from tests.fixture_areas import METRO

    at = app("compare", authority=AUTHORITY, wards=JUNIPER, areas="Hubs", area="North", theme="child_poverty")
    pr = db.Reader(public_with_areas, public=True)
    from wardgaps.analysis import areas

    t = areas.area_table(pr, "Hubs", AUTHORITY, RATE, "FYE 2025").set_index("area_name")
    assert (t.loc["North", "numerator"], t.loc["North", "denominator"]) == (450, 1000)  # multiples of 5 already
    value, lo, hi = rate_of("FYE 2025", HUBS["North"])
    row = at.dataframe[0].value.set_index("Indicator").loc["Child poverty AHC (DWP)"]
    assert row[NORTH_LABEL].startswith(f"{pct(value)} ({pct(lo)} to {pct(hi)}); ▲ significantly worse")
    # the count: the area's published (rounded) sum, as the public extract holds it
    at = app("compare", authority=AUTHORITY, wards=JUNIPER, areas="Hubs", area="North", theme="poverty")
    uc = at.dataframe[0].value.set_index("Indicator").loc["Households on UC (count)"]
    assert uc[NORTH_LABEL] == "205"  # Alder's and Birch's 207 households, rounded to 5
    # South holds Damson (8 households, hidden among wards): hidden as an area too, said so in its cell
    at = app("compare", authority=AUTHORITY, areas="Hubs", area=["North", "South"], theme="poverty")
    uc = at.dataframe[0].value.set_index("Indicator").loc["Households on UC (count)"]
    assert uc["South (Hubs area, Fixture authority)"] == "not shown (small numbers)"
    assert "281" not in at.dataframe[0].value.to_csv()  # South's exact 43 + 8 + 230
    # Towns was not published: the public view does not know it (the sidebar drops it with its notice,
    # said on the page first opened) and compares no area
    assert areas.area_set_names(pr, METRO) == []
    at = app("compare", authority=METRO, wards=JUNIPER, areas="Towns", area="Town")
    assert infos(at) == ["Choose at least 2 wards to compare (up to 4)."]
    assert len(at.dataframe) == 0 and "areas" not in at.query_params and "area" not in at.query_params
    first = app("overview", authority=METRO, areas="Towns")
    assert "That area set is not one of this local authority's, so wards alone are shown." in infos(first)
