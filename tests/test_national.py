"""Ward Gaps for every local authority of England and Wales: the national extract against the raw
files, and every page under AppTest on non-London authorities (a metropolitan district, a Welsh
principal area, a shire district, the smallest and largest authorities) with real values."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import COMMITTED, ROOT
from tests.test_pages import app, frames, texts
from wardgaps import analysis, db
from wardgaps.db import connect
from wardgaps.ingest.common import read_csv, to_number
from wardgaps.text import VINTAGE_LABEL

pytestmark = pytest.mark.national

MANCHESTER, ANCOATS = "E08000003", "E05011350"  # Ancoats & Beswick
CARDIFF = "W06000015"
COTSWOLD = "E07000079"  # a shire district
DWP = "child_poverty_ahc_dwp"
EXTRACT = ROOT / "data" / "wardgaps.duckdb"


@pytest.fixture(scope="module")
def con():
    c = connect(EXTRACT)  # the app's own settings: DuckDB allows one configuration per file and process
    yield c
    c.close()


def test_every_ward_of_england_and_wales_with_a_boundary(con):
    n = con.execute(
        """select count(*), count(distinct g.authority_code), count(b.geojson)
           from geographies as g left join boundaries as b using (geo_code, vintage)
           where g.geo_type = 'ward' and g.vintage = 2024"""
    ).fetchone()
    assert n == (7579, 318, 7579)
    by_country = dict(
        con.execute(
            "select country_code, count(*) from geographies where geo_type = 'ward' and vintage = 2024 group by 1"
        ).fetchall()
    )
    assert by_country == {"E92000001": 6817, "W92000004": 762}
    regions = con.execute("select count(*) from geographies where geo_type = 'region' and vintage = 2024").fetchone()
    assert regions == (9,)


def test_every_dwp_ward_value_is_the_published_one(raw, con):
    """All 7,563 England and Wales wards of DWP's table, both years, value and count as published."""
    path = raw / "dwp_cilif_local_area_stats_2022_2025/4_AHC_Relative_Ward.csv"
    df = read_csv(path, skiprows=9)
    df = df[df.iloc[:, 1].astype(str).str.match(r"(E0[6-9]|W06)\d{6}")]
    assert len(df) == 7563
    got = con.execute(
        "select geo_code, period, value, numerator from observations where indicator_id = $i and vintage = 2024",
        {"i": DWP},
    ).df()
    got = got.set_index(["geo_code", "period"])
    checked = 0
    for y, (ncol, pcol) in {"FYE 2024": (4, 6), "FYE 2025": (5, 7)}.items():
        n, _ = to_number(df.iloc[:, ncol], path, "n")
        p, _ = to_number(df.iloc[:, pcol], path, "p")
        for code, nv, pv in zip(df.iloc[:, 3], n, p, strict=True):
            row = got.loc[(code, y)]
            if pd.isna(pv):
                assert pd.isna(row["value"]), (code, y)
            else:
                assert row["value"] == pytest.approx(pv, abs=1e-9), (code, y)
                assert row["numerator"] == pytest.approx(nv, abs=1e-9), (code, y)
            checked += 1
    assert checked == 2 * 7563
    assert got.loc[(ANCOATS, "FYE 2025"), "value"] == 36.2


def test_ward_census_counts_add_up_to_published_authority_totals(con):
    """Manchester's households (TS054) summed over its 32 wards against the published LTLA total."""
    wards, published = con.execute(
        """select sum(o.denominator) filter (where g.geo_type = 'ward'),
                  max(o.denominator) filter (where g.geo_type = 'authority' and o.method = 'published')
           from observations as o join geographies as g using (geo_code, vintage)
           where o.indicator_id = 'social_rented_households' and (g.authority_code = $b or g.geo_code = $b)""",
        {"b": MANCHESTER},
    ).fetchone()
    assert published == 214730
    assert abs(wards - published) <= 0.001 * published


def test_welsh_wards_have_census_and_dwp_but_no_english_index(con):
    rows = dict(
        con.execute(
            """select o.indicator_id, count(*) from observations as o join geographies as g using (geo_code, vintage)
               where g.geo_type = 'ward' and g.authority_code = $b group by 1""",
            {"b": CARDIFF},
        ).fetchall()
    )
    assert rows[DWP] == 56 and rows["overcrowded_households"] == 28
    assert not [i for i in rows if i.startswith("imd") or i.startswith("idaci") or i.startswith("income_dep")]


def test_no_lsoa_wards_have_no_census_figure(con):
    """43 wards receive no 2021 LSOA by ONS's best fit, so no Census 2021 figure; 8 of the City of
    London's have mid-2019/2020 estimates through the GLA's 2011-LSOA weights, so 35 have no
    population figure of any year."""

    def without(indicator: str) -> int:
        return con.execute(
            """select count(*) from geographies as g
               where g.geo_type = 'ward' and g.vintage = 2024
                 and not exists (select 1 from observations as o where o.geo_code = g.geo_code
                                 and o.vintage = 2024 and o.indicator_id = ?)""",
            [indicator],
        ).fetchone()[0]

    assert without("children_0_14") == 43
    assert analysis.wards_without_lsoa(db.Reader(COMMITTED)) == (
        "43 wards in 14 authorities receive no LSOA (for example 20 in City of London, 6 in Gwynedd and "
        "4 in Isles of Scilly)"
    )
    assert without("population") == 35


# --- DWP Stat-Xplore's authority tables ------------------------------------------------------
STATX_BHC = "dwp_statxplore_msoa_ltla/children_relative_low_income_ltla_14-22.csv"
STATX_UC = "dwp_statxplore_msoa_ltla/households_on_UC_ltla_15-22.csv"
WARD_LU = (
    "ukmaps_wards_may2024_bsc/Ward_to_Local_Authority_District_to_CTYUA_to_RGN_to_CTRY_(May_2024)_Lookup_in_UK.csv"
)
# The authorities formed in April 2023, each from whole districts (the BHC table predates them).
MERGED_2023 = {
    "Cumberland": ["Allerdale", "Carlisle", "Copeland"],
    "Westmorland and Furness": ["Barrow-in-Furness", "Eden", "South Lakeland"],
    "North Yorkshire": ["Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough", "Selby"],
    "Somerset": ["Mendip", "Sedgemoor", "Somerset West and Taunton", "South Somerset"],
}


def _statx_expected(raw, rel: str, columns: dict[str, str]) -> pd.DataFrame:
    """The file's figure for every current authority (name as in the ONS lookup; a Welsh one
    "English / Welsh" or English alone), the 2023 authorities summed from their districts."""
    lu = pd.read_csv(raw / WARD_LU, encoding="utf-8-sig")
    lu = lu[lu["CTRY24CD"].isin(["E92000001", "W92000004"])].drop_duplicates("LAD24CD")
    sx = pd.read_csv(raw / rel, dtype=str).set_index(columns["name"])
    sx.index = [n.split(" / ")[0] if isinstance(n, str) else n for n in sx.index]
    rows = []
    for code, name in zip(lu["LAD24CD"], lu["LAD24NM"], strict=True):
        parts, method = ([name], "published") if name in sx.index else (MERGED_2023[name], "aggregated")
        for col, period in columns.items():
            if col == "name":
                continue
            v = pd.to_numeric(sx.loc[parts, col].replace("..", None))
            rows.append((code, period, v.sum() if v.notna().all() else None, method))
    return pd.DataFrame(rows, columns=["geo_code", "period", "expected", "method"])


@pytest.mark.parametrize(
    "indicator,rel,columns",
    [
        (
            "child_poverty_bhc_dwp",
            STATX_BHC,
            {"name": "Year", **{f"{y}/{str(y + 1)[2:]}": f"FYE {y + 1}" for y in range(2014, 2021)}}
            | {"2021/22 (p)": "FYE 2022"},
        ),
        (
            "uc_households",
            STATX_UC,
            {"name": "Month", **{f"November {y}": f"November {y}" for y in range(2015, 2022)}}
            | {"November 2022 (r)": "November 2022", "November 2023 (p)": "November 2023"},
        ),
    ],
    ids=["bhc", "uc"],
)
def test_statxplore_every_authority_as_published(raw, con, indicator, rel, columns):
    """Both Stat-Xplore tables reach all 318 authorities, every figure the file's own (or the sum
    of the districts the authority was formed from); regions, England and Wales are the sums."""
    want = _statx_expected(raw, rel, columns)
    got = con.execute(
        """select o.geo_code, o.period, o.value, o.method
           from observations as o join geographies as g using (geo_code, vintage)
           where o.indicator_id = ? and g.geo_type = 'authority' and o.vintage = 2024""",
        [indicator],
    ).df()
    m = want.merge(got, on=["geo_code", "period"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(m) == 318 * (len(columns) - 1)
    assert (m["method_x"] == m["method_y"]).all()
    assert ((m["expected"] == m["value"]) | (m["expected"].isna() & m["value"].isna())).all()
    assert m["method_x"].eq("aggregated").sum() == (4 * (len(columns) - 1) if indicator.startswith("child") else 0)
    # regions and countries: the sums of their authorities, given only when none is suppressed
    lu = pd.read_csv(raw / WARD_LU, encoding="utf-8-sig").drop_duplicates("LAD24CD")
    area = dict(zip(lu["LAD24CD"], lu["RGN24CD"].fillna(lu["CTRY24CD"]), strict=True))
    country = dict(zip(lu["LAD24CD"], lu["CTRY24CD"], strict=True))
    totals = con.execute(
        """select o.geo_code, o.period, o.value from observations as o join geographies as g using (geo_code, vintage)
           where o.indicator_id = ? and g.geo_type in ('region', 'country') and o.vintage = 2024""",
        [indicator],
    ).df()
    expected = {}
    for key in (area, country):
        sums = want.assign(area=want["geo_code"].map(key)).groupby(["area", "period"])["expected"]
        expected |= sums.agg(lambda s: s.sum() if s.notna().all() else None).dropna().to_dict()
    # every total there is the sum, and no area with a suppressed authority has one
    keys = list(zip(totals["geo_code"], totals["period"], strict=True))
    assert dict(zip(keys, totals["value"], strict=True)) == expected


def test_statxplore_known_authority_figures(con):
    """Figures read off the files: Manchester and Cardiff as published, North Yorkshire's BHC count
    the sum of its seven former districts (1,327 + 1,875 + 2,754 + 1,217 + 1,409 + 3,976 + 2,421)."""

    def val(ind: str, code: str, period: str) -> tuple:
        return con.execute(
            "select value, method, status from observations where indicator_id = ? and geo_code = ? and period = ?",
            [ind, code, period],
        ).fetchone()

    assert val("child_poverty_bhc_dwp", MANCHESTER, "FYE 2015") == (35245, "published", "final")
    assert val("child_poverty_bhc_dwp", MANCHESTER, "FYE 2022") == (48555, "published", "provisional")  # (p)
    assert val("child_poverty_bhc_dwp", "E06000065", "FYE 2022") == (14979, "aggregated", "provisional")
    assert val("child_poverty_bhc_dwp", CARDIFF, "FYE 2015") == (14740, "published", "final")
    assert val("uc_households", CARDIFF, "November 2023") == (33043, "published", "provisional")
    assert val("uc_households", "E06000065", "November 2023") == (35372, "published", "provisional")
    assert val("uc_households", "E12000002", "November 2023")[1] == "aggregated"
    assert val("uc_households", "E06000002", "November 2015") == (None, "published", "suppressed")  # ".."
    assert val("uc_households", "E06000002", "November 2022")[2] == "final"  # "(r)": revised, final
    # November 2015: most authorities' counts were suppressed, so only two regions have a total
    n = con.execute(
        """select count(*) from observations as o join geographies as g using (geo_code, vintage)
           where o.indicator_id = 'uc_households' and o.period = 'November 2015'
             and g.geo_type in ('region', 'country')"""
    ).fetchone()[0]
    assert n == 2


def test_trends_show_manchesters_wards_from_the_msoa_series():
    """Outside London the children's count now has wards (estimates from Stat-Xplore's MSOAs):
    Manchester's Trends page draws ward lines, says which series they come from and cites DWP
    Stat-Xplore, not the GLA's ward series; no authority total is drawn beside a ward count."""
    at = app("trends", authority=MANCHESTER, indicator="child_poverty_bhc_dwp")
    t = frames(at)[-1]
    assert "Manchester" not in set(t["Area"]) and t["Area"].str.endswith("(May-2024 wards)").all()
    assert set(t["Period"]) == {f"FYE {y} ({y - 1}/{str(y)[2:]})" for y in range(2015, 2023)}
    words = texts(at)
    assert "Where the ward lines come from: FYE 2015 (2014/15) to FYE 2022 (2021/22) (8 periods)" in words
    assert "Data as at: Department for Work and Pensions (DWP), Stat-Xplore" in words
    assert "Greater London Authority" not in words
    assert at.query_params["indicator"] in ("child_poverty_bhc_dwp", ["child_poverty_bhc_dwp"])
    # the same page for a London borough keeps citing the GLA's ward series
    assert "Greater London Authority" in texts(app("trends", authority="E09000019", indicator="child_poverty_bhc_dwp"))


def test_trends_public_view_hides_small_ward_counts(public_view):
    """Darlington's wards had few households on Universal Credit in November 2015: in public the
    counts below 10 are hidden and the rest rounded to 5."""
    at = app("trends", authority="E06000005", indicator="uc_households")
    t = frames(at)[-1]
    nov15 = t[t["Period"] == "November 2015"]["Value (count)"]
    assert nov15.isna().any()
    shown = t["Value (count)"].dropna()
    assert len(shown) and (shown % 5 == 0).all() and (shown >= 10).all()
    assert "hidden in the public view" in texts(at) or nov15.isna().all()


def test_public_view_hides_every_small_authority_count(con, public_reader):
    """Every authority count below 10 in the extract (Universal Credit in its first months: 53
    cells) is hidden by the public comparators and series, and every other count is a multiple of 5."""
    small = con.execute(
        """select o.geo_code, o.indicator_id, o.period
           from observations as o join geographies as g using (geo_code, vintage)
           join indicators as i using (indicator_id)
           where g.geo_type = 'authority' and i.unit = 'count' and o.value < 10"""
    ).fetchall()
    assert len(small) == 53
    for authority, ind in sorted({(b, i) for b, i, _ in small}):
        series = analysis.comparator_series(public_reader, authority, ind)
        shown = series["value"].dropna()
        # an authority with ward figures (London's) draws its wards' counts, not its own
        assert len(shown) or len(analysis.periods(public_reader, authority, ind)), (authority, ind)
        assert (shown >= 10).all() and (shown % 5 == 0).all(), (authority, ind)
        for _, _, period in [c for c in small if c[:2] == (authority, ind)]:
            assert series.loc[series["period"] == period, "value"].isna().all(), (authority, ind, period)
            comp = analysis.comparators(public_reader, authority, ind, period).set_index("geo_code")
            assert authority in comp.index and pd.isna(comp.loc[authority, "value"]), (authority, ind, period)


# --- pages --------------------------------------------------------------------------------


def test_map_manchester_ancoats_and_beswick():
    at = app("map", authority=MANCHESTER, indicator=DWP, period="FYE 2025")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Ancoats & Beswick", "Value (%)"] == 36.2
    assert len(t) == 32
    assert at.selectbox(key="w_region").value == "E12000002"  # North West
    assert at.selectbox(key="w_authority").value == MANCHESTER


def test_overview_compares_with_region_and_country():
    at = app("overview", authority=MANCHESTER)
    assert at.title[0].value == "Manchester at a glance"
    cap = texts(at)
    assert "North West" in cap and "England" in cap and "London" not in cap


def test_gaps_table_names_the_region_and_country():
    at = app("gaps", authority=MANCHESTER, indicator=DWP, period="FYE 2025")
    cols = list(frames(at)[-1].columns)
    assert "vs North West" in cols and "vs England" in cols
    assert "vs London" not in cols


def test_wales_once_as_region_and_country_and_a_slope_index_by_wimd():
    at = app("gaps", authority=CARDIFF, indicator=DWP, period="FYE 2025")
    cols = list(frames(at)[-1].columns)
    assert "vs Wales" in cols and "vs England" not in cols and cols.count("vs Wales") == 1
    assert "Wards ordered by WIMD 2019 score" in texts(at)


def test_wales_deprivation_index_says_why_missing():
    at = app("map", authority=CARDIFF, indicator="imd_score")
    assert "English Indices of Deprivation cover England only" in texts(at)


def test_london_only_series_says_so_outside_london():
    at = app("map", authority=MANCHESTER, indicator="median_house_price")
    assert "no ward figures for Manchester" in texts(at)


def test_profile_shire_district_ranks_in_authority_region_country():
    at = app("profile", authority=COTSWOLD, ward="E05010696")
    t = frames(at)[0].set_index("Indicator")
    row = t.loc["Child poverty AHC (DWP)"]
    assert row["Ward"].endswith("%")
    # ranked among the wards with a figure: Cotswold's 32, the South West's and England's
    region = analysis.context_table(db.Reader(COMMITTED), DWP, "FYE 2025", 2024, "E12000009").set_index("geo_code")
    england = analysis.context_table(db.Reader(COMMITTED), DWP, "FYE 2025", 2024, "E92000001").set_index("geo_code")
    # with a figure shown (a ward whose figure DWP suppressed is listed as hidden: 4 in the Isles of Scilly)
    assert region["value"].notna().sum() == 817 and england["value"].notna().sum() == 6787
    own = analysis.ward_table(db.Reader(COMMITTED), COTSWOLD, DWP, "FYE 2025", 2024).set_index("geo_code")
    assert row["Rank in Cotswold"] == f"{int(own.loc['E05010696', 'rank'])} of 32"
    assert row["Rank in South West"] == f"{int(region.loc['E05010696', 'rank'])} of 817"
    assert row["Rank in England"] == f"{int(england.loc['E05010696', 'rank'])} of 6787"


def test_context_page_for_manchester():
    at = app("context", authority=MANCHESTER, indicator=DWP, period="FYE 2025")
    subs = [s.value for s in at.subheader]
    assert subs[0].startswith("North West:") and subs[1].startswith("England:")
    t = frames(at)[0].set_index("Ward")
    assert t.loc["Ancoats & Beswick", "Value (%)"] == 36.2
    assert "Manchester's range from" in texts(at)


def test_old_london_context_permalink_opens_the_context_page():
    at = app("london", authority="E09000019", indicator=DWP)
    assert at.title[0].value.startswith("Context:")
    assert [s.value for s in at.subheader][0].startswith("London:")


@pytest.mark.parametrize(
    "authority,wards",
    [("E09000001", 25), ("E06000053", 5), ("E06000052", 87), ("E08000025", 69), ("E08000035", 33)],
    ids=["city-of-london", "isles-of-scilly", "cornwall", "birmingham", "leeds"],
)
def test_map_smallest_and_largest_authorities(authority, wards):
    at = app("map", authority=authority, indicator="population")
    assert len(analysis.ward_names(db.Reader(COMMITTED), authority, analysis.WARD_VINTAGE)) == wards
    t = frames(at)[0]
    assert len(t) == wards
    assert at.get("plotly_chart"), "a map is drawn"


@pytest.mark.parametrize(
    "page,params",
    [
        ("map", {"authority": MANCHESTER, "indicator": DWP, "period": "FYE 2024", "ward": ANCOATS}),
        ("profile", {"authority": CARDIFF, "indicator": "overcrowded_households", "ward": "W05001271"}),
        ("gaps", {"authority": COTSWOLD, "indicator": "overcrowded_households", "period": "2021"}),
    ],
)
def test_permalink_round_trip(page, params):
    at = app(page, **params)
    for k, want in params.items():
        assert at.query_params[k] in (want, [want]), k


def test_unknown_authority_falls_back_with_a_notice():
    at = app("overview", authority="E08999999")
    assert at.selectbox(key="w_authority").value == "E09000019"
    assert "not a local authority of England or Wales" in texts(at)


def test_unknown_ward_falls_back_with_a_notice():
    at = app("profile", authority=MANCHESTER, ward="E05013697")  # an Islington ward
    assert "not one of this local authority's wards" in texts(at)


def test_picking_a_region_picks_one_of_its_authorities():
    at = app("map")
    at.selectbox(key="w_region").set_value("W92000004").run()
    assert at.selectbox(key="w_authority").value.startswith("W06")
    assert (
        at.query_params["authority"][0].startswith("W06")
        if isinstance(at.query_params["authority"], list)
        else at.query_params["authority"].startswith("W06")
    )


def test_ward_and_indicator_packs_for_manchester():
    """Both packs for a metropolitan district: the ward's row names North West and England; the
    indicator pack's ward table compares with England, never London."""
    from wardgaps.briefing import indicator_pack, ward_pack

    pack = ward_pack(db.Reader(COMMITTED), MANCHESTER, ANCOATS)
    text = " ".join(pack_text(pack))
    assert "Ancoats & Beswick" in text and "36.2%" in text and "North West" in text and "London" not in text
    pack = indicator_pack(db.Reader(COMMITTED), MANCHESTER, DWP, "FYE 2025")
    text = " ".join(pack_text(pack))
    assert "vs England" in text and "Ancoats & Beswick" in text and "London" not in text


def test_ward_pack_for_a_welsh_ward():
    from wardgaps.briefing import ward_pack

    text = " ".join(pack_text(ward_pack(db.Reader(COMMITTED), CARDIFF, "W05001271")))
    assert "Butetown" in text and "Wales" in text
    # no English figure or comparator: England is named only where the methods say which index is whose
    assert "England" not in text.replace("England's IMD for English wards", "")


def pack_text(pack) -> list[str]:
    """Every string a pack's slides carry: titles, leads, bullets and table cells (less the name of
    the current ward set, which says London's wards date from May 2022)."""
    out = []
    for s in pack.slides:
        out += [s.title, s.lead or "", s.note or "", *s.bullets]
        if s.table is not None:
            out += [str(c) for c in s.table.frame.columns]
            out += [str(v) for v in s.table.frame.to_numpy().ravel()]
    return [x.replace(VINTAGE_LABEL[2024], "current wards") for x in out]
