"""Deprivation for every ward of England and Wales: IMD 2019 scores outside London from the
mySociety Composite UK IMD, Wales' own index (WIMD 2019 scores, WIMD 2025 shares), the slope index
of Welsh authorities ordered by WIMD, the credits, and the geography change log — against the raw
files, recomputed here independently of the build's code."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.test_pages import app, frames, texts
from wardgaps import analysis, db
from wardgaps.briefing.indicator import indicator_pack
from wardgaps.db import connect
from wardgaps.ingest.composite_imd import F_COMPOSITE, read_composite
from wardgaps.ingest.wimd import cut_rank

pytestmark = pytest.mark.national  # reads the committed extract and the raw mirror

EXTRACT = ROOT / "data" / "wardgaps.duckdb"
CARDIFF, MANCHESTER = "W06000015", "E08000003"
WALES, ENGLAND = "W92000004", "E92000001"
DWP = "child_poverty_ahc_dwp"
CREDIT = "mySociety Composite UK IMD, licensed under CC BY 4.0"


@pytest.fixture(scope="module")
def con():
    c = connect(EXTRACT)
    yield c
    c.close()


def _q(con, sql: str, **params) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _csv(raw, rel: str, **kw) -> pd.DataFrame:
    return pd.read_csv(raw / rel, encoding="utf-8-sig", **kw)


# --- the composite file against MHCLG's own figures -------------------------------------------
def test_composite_score_is_the_iod2019_score_of_every_london_lsoa(raw):
    """The CC BY file's overall_local_score equals the GLA workbook's IoD 2019 score, LSOA by LSOA."""
    d = read_composite(raw / F_COMPOSITE)
    assert d["nation"].value_counts().to_dict() == {"E": 32844, "S": 6976, "W": 1909, "N": 890}
    gla = pd.read_excel(raw / "gla_iod2019_london/ID 2019 for London.xlsx", sheet_name="IMD 2019")
    gla = gla.set_index(gla.columns[0])["Index of Multiple Deprivation (IMD) Score"]
    m = d.set_index("lsoa").join(gla.rename("gla"), how="inner")
    assert len(m) == 4835
    assert (m["score"] - m["gla"]).abs().max() < 1e-9


# --- England: three editions for every ward ---------------------------------------------------
def test_every_english_ward_has_imd_2015_2019_and_2025(con):
    """Every one of England's 6,817 current wards has its score in all three editions: by ONS's best
    fit, the stored weights, or an area overlap where the best fit (or, in the City of London, the
    GLA's shares) gives a ward no LSOA."""
    england = _q(
        con,
        """select count(*) as n from geographies
           where geo_type = 'ward' and vintage = 2024 and country_code = 'E92000001'""",
    )["n"].iloc[0]
    n = _q(
        con,
        """select o.period, count(distinct o.geo_code) as wards
           from observations as o join geographies as g using (geo_code, vintage)
           where o.indicator_id = 'imd_score' and g.geo_type = 'ward' and g.vintage = 2024
             and g.country_code = 'E92000001' and o.value is not null
           group by o.period order by o.period""",
    )
    assert england == 6817
    assert dict(zip(n["period"], n["wards"], strict=True)) == {"2015": england, "2019": england, "2025": england}


def test_outside_london_2019_ward_score_recomputed_from_the_composite_file(raw, con):
    """Manchester's wards: the IMD 2019 score re-applied from the stored weights to the raw LSOA
    scores (not to the extract's LSOA rows), and credited to mySociety."""
    d = read_composite(raw / F_COMPOSITE).set_index("lsoa")["score"]
    w = _q(
        con,
        """select c.from_code, c.to_code, c.weight from crosswalks as c
           join apportionments as a on a.weight_basis = c.weight_basis and a.to_vintage = c.to_vintage
           join geographies as g on g.geo_code = c.to_code and g.vintage = c.to_vintage
           where a.indicator_id = 'imd_score' and a.period = '2019' and g.authority_code = $a""",
        a=MANCHESTER,
    )
    assert w["to_code"].nunique() == 32
    want = (w["weight"] * w["from_code"].map(d)).groupby(w["to_code"]).sum()
    got = _q(
        con,
        """select geo_code, value, source_id, method from observations
           where indicator_id = 'imd_score' and period = '2019' and geo_code in (select unnest($c))""",
        c=list(want.index),
    ).set_index("geo_code")
    assert (got.loc[want.index, "value"] - want).abs().max() < 1e-4
    assert set(got["source_id"]) == {"mysociety_composite_imd"} and set(got["method"]) == {"apportioned"}
    eng = _q(
        con,
        "select value from observations where indicator_id = 'imd_score' and period = '2019' and geo_code = $g",
        g=ENGLAND,
    )
    assert len(eng) == 1 and 15 < eng["value"].iloc[0] < 30


# --- Wales: WIMD 2019 scores and WIMD 2025 shares ---------------------------------------------
def _wimd19_wards(raw) -> pd.Series:
    """Every Welsh ward's WIMD 2019 score, recomputed here from the raw files: the published LSOA
    scores, mid-2020 LSOA populations, and each 2011 LSOA's share of Census 2021 population in the
    ward through the ONS 2011 -> 2021 lookup and the best-fit 2021 LSOA -> ward lookup."""
    s = _csv(raw, "wg_wimd2019_lsoa11/wimd-2019-index-and-domain-scores.csv").set_index("lsoa")["WIMD 2019"]
    pop20 = _csv(raw, "humaniverse_demographr_population/converted/population20_lsoa11_ew.csv.gz")
    pop20 = pop20.set_index("lsoa11_code")["total_population"]
    lk = _csv(raw, "geographr_lookups/converted/lookup_lsoa11_lsoa21_ltla22.csv.gz")[["lsoa11_code", "lsoa21_code"]]
    lk = lk[lk["lsoa11_code"].str.startswith("W")]
    ts = _csv(raw, "nomis_census2021_bulk_lsoa/census2021-ts007a-lsoa.csv").set_index("geography code")["Age: Total"]
    wards = _csv(raw, "geographr_lookups/converted/lookup_lsoa21_ward24_ltla24.csv.gz").set_index("lsoa21_code")
    lk = lk.assign(
        piece=lk["lsoa21_code"].map(ts) / lk.groupby("lsoa21_code")["lsoa11_code"].transform("size"),
        ward=lk["lsoa21_code"].map(wards["ward24_code"]),
    )
    lk["share"] = lk["piece"] / lk.groupby("lsoa11_code")["piece"].transform("sum")
    lk["w"] = lk["lsoa11_code"].map(pop20) * lk["share"]
    lk["wv"] = lk["w"] * lk["lsoa11_code"].map(s)
    g = lk.groupby("ward")[["wv", "w"]].sum()
    return g["wv"] / g["w"]


def _split_wards(raw, con) -> set[str]:
    """The Welsh wards an area-overlap split touches: the wards the best-fit lookup gives no LSOA
    (which get the overlap shares) and the best-fit wards of the LSOAs split with them (which keep
    the rest); every other ward is recomputed here by the best fit alone."""
    split = _q(
        con,
        """select distinct from_code, to_code from crosswalks
           where weight_basis ilike '%overlap%' and from_vintage = 2021 and to_code like 'W05%'""",
    )
    wards = _csv(raw, "geographr_lookups/converted/lookup_lsoa21_ward24_ltla24.csv.gz").set_index("lsoa21_code")
    return set(split["to_code"]) | set(split["from_code"].map(wards["ward24_code"]).dropna())


def test_every_welsh_ward_wimd2019_score_recomputed_from_the_raw_files(raw, con):
    want = _wimd19_wards(raw)
    got = _q(con, "select geo_code, value, method, fit_quality from observations where indicator_id = 'wimd_score'")
    wards = got[got["geo_code"].str.startswith("W05")].set_index("geo_code")
    assert len(wards) == 762 and len(want) > 750  # every Welsh ward; the best fit alone reaches 752
    split = _split_wards(raw, con)
    assert 10 <= len(split) <= 30
    same = [w for w in want.index if w not in split]
    assert (wards.loc[same, "value"] - want.loc[same]).abs().max() < 1e-4
    assert set(wards["method"]) == {"apportioned"} and wards["fit_quality"].between(0, 1).all()
    lsoas = got[got["geo_code"].str.startswith("W01")]
    assert len(lsoas) == 1909 and lsoas.set_index("geo_code").loc["W01000240", "value"] == 86.6  # Rhyl West 2
    assert not got["geo_code"].str.startswith("E").any()  # never on an English area


def test_wimd2025_shares_from_the_ranks(raw, con):
    """Cardiff: 37 of its 218 LSOAs (2021) rank in Wales' most deprived 10% (ranks 1-191 of 1,917)."""
    r = _csv(raw, "wg_wimd2025_lsoa21/wimd-2025-index-and-domain-ranks-by-small-area.csv")
    r.columns = r.columns.str.strip()
    r = r.dropna(subset=["LSOA code"])
    assert len(r) == 1917 and (cut_rank(1917, 10), cut_rank(1917, 20)) == (191, 383)
    lu = _csv(raw, "geographr_lookups/converted/lookup_lsoa21_ward24_ltla24.csv.gz").set_index("lsoa21_code")
    r = r.assign(ward=r["LSOA code"].map(lu["ward24_code"]), la=r["LSOA code"].map(lu["ltla24_code"]))
    got = _q(
        con,
        """select indicator_id, geo_code, value, numerator, denominator from observations
           where indicator_id like 'wimd_most_deprived%' and vintage = 2024""",
    ).set_index(["indicator_id", "geo_code"])
    assert got.loc[("wimd_most_deprived_10pct", CARDIFF), "value"] == pytest.approx(100 * 37 / 218, abs=1e-4)
    assert got.loc[("wimd_most_deprived_20pct", WALES), "value"] == pytest.approx(100 * 383 / 1917, abs=1e-4)
    assert got["numerator"].isna().all() and got["denominator"].isna().all()  # LSOAs are not people
    for ind, last in (("wimd_most_deprived_10pct", 191), ("wimd_most_deprived_20pct", 383)):
        want = r.assign(x=r["WIMD 2025"] <= last).groupby("ward")["x"].mean() * 100
        mine = got.loc[ind]
        mine = mine[mine.index.str.startswith("W05")]["value"]
        same = [w for w in want.index if w not in _split_wards(raw, con)]
        assert len(mine) == 762 and (mine.loc[same] - want.loc[same]).abs().max() < 1e-4


def test_indices_stay_apart_and_the_contract_says_so(con):
    """No IoD figure on a Welsh area, no WIMD figure on an English one; the build's contract holds."""
    from wardgaps import check

    names = [n for n, _ in check.rules()]
    assert any("never one scale" in n for n in names) and any("own country's index" in n for n in names)
    assert check.run_checks(con) == []


# --- Welsh slope index, quintiles and the page naming the index --------------------------------
def test_every_welsh_authority_has_a_slope_index_ordered_by_wimd(con):
    g = _q(
        con,
        """select authority_code, sii, deprivation_edition, sii_note from gap_measures
           where indicator_id = $i and period = 'FYE 2025' and vintage = 2024 and authority_code like 'W%'""",
        i=DWP,
    )
    assert len(g) == 22 and g["sii"].notna().all()
    assert set(g["deprivation_edition"]) == {"2019"}
    assert g["sii_note"].str.contains("Wards ordered by WIMD 2019 score").all()
    q = _q(
        con,
        "select count(*) as n from deprivation_quintiles where authority_code = $a and indicator_id = $i",
        a=CARDIFF,
        i=DWP,
    )
    assert q["n"].iloc[0] >= 5


def test_welsh_ward_ordered_by_its_own_wimd_score(con):
    f = _q(
        con,
        """select f.geo_code, f.deprivation, o.value from ward_figures as f join observations as o
           on o.geo_code = f.geo_code and o.vintage = f.vintage and o.indicator_id = 'wimd_score' and o.period = '2019'
           where f.authority_code = $a and f.indicator_id = $i and f.period = 'FYE 2025'""",
        a=CARDIFF,
        i=DWP,
    )
    assert len(f) == 28 and (f["deprivation"] == f["value"]).all()


def test_cardiff_gaps_page_gives_a_slope_index_named_wimd():
    at = app("gaps", authority=CARDIFF, indicator=DWP, period="FYE 2025")
    assert "Slope index (SII)" in [m.label for m in at.metric]
    t = texts(at)
    assert "Wards ordered by WIMD 2019 score" in t and "Welsh Government" in t
    assert "IMD 2019 score" not in t.replace("WIMD 2019 score", "")
    assert any("Quintile (1 = most deprived)" in f.columns for f in frames(at))


def test_manchester_gaps_page_credits_the_composite_imd():
    at = app("gaps", authority=MANCHESTER, indicator=DWP, period="FYE 2024")
    t = texts(at)
    assert "Slope index (SII)" in [m.label for m in at.metric]
    assert "Wards ordered by IMD 2019 score" in t and CREDIT in t


def test_pack_credits_the_composite_imd():
    pack = indicator_pack(db.Reader(EXTRACT), MANCHESTER, DWP, "FYE 2024")
    assert "mysociety_composite_imd" in set(pack.sources["source_id"])
    assert CREDIT in " ".join(pack.sources["attribution"])


# --- the geography change log ----------------------------------------------------------------
def test_change_log_from_the_extract(con):
    r = db.Reader(EXTRACT)
    sets = analysis.area_sets(r).set_index(["geo_type", "vintage"])
    assert sets.loc[("ward", 2024), "areas"] == 7579 and sets.loc[("ward", 2024), "authorities"] == 318
    changes = analysis.ward_set_changes(r).set_index("authority_code")
    assert len(changes) == 32  # London's boroughs (the City has no older set)
    isl = changes.loc["E09000019"]
    assert (isl["wards_2018"], isl["wards_2024"], bool(isl["changed_2018_2024"])) == (16, 17, True)
    kept = _q(
        con,
        """select count(*) as n from geographies as a join geographies as b on a.geo_code = b.geo_code
           where a.vintage = 2018 and b.vintage = 2024 and a.geo_type = 'ward' and b.geo_type = 'ward'
             and b.authority_code = 'E09000012'""",
    )["n"].iloc[0]
    assert changes.loc["E09000012", "kept_2018_2024"] == kept  # Hackney
    carry = analysis.series_carry(r).set_index(["indicator_id", "source_id", "vintage", "method"])
    w = carry.loc[("wimd_score", "wimd2019", 2024, "apportioned")]
    assert "Wales, WIMD 2019" in w["weight_basis"] and 0 < w["fit_min"] <= w["fit_median"] <= 1
    m = carry.loc[("imd_score", "mysociety_composite_imd", 2024, "apportioned")]
    assert "outside London" in m["weight_basis"] and "GLA" not in m["weight_basis"]


def test_methods_page_shows_the_change_log():
    at = app("methods")
    t = texts(at)
    assert "Geography change log" in [s.value for s in at.subheader]
    assert "The extract holds 3 ward sets" in t and "7,579 wards" in t
    cols = [set(f.columns) for f in frames(at)]
    assert any({"Codes kept 2018 to now", "Changed 2018 to now"} <= c for c in cols)
    assert any({"Weights", "Fit (10th percentile)", "Share with fit 1"} <= c for c in cols)
