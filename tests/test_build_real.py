"""The real pipeline on the real mirror: contract, published values, determinism."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import COMMITTED
from tests.published import DWP, PUBLISHED, WARDS
from wardgaps import db
from wardgaps.check import run_checks, table_hashes

pytestmark = pytest.mark.national


def one(con, sql: str, **params):
    return con.execute(sql, params).fetchone()


def obs(con, ind: str, geo: str, period: str, vintage: int = 2024):
    return one(
        con,
        """select value, numerator, denominator, lower_95, upper_95, method, status from observations
           where indicator_id = $i and geo_code = $g and period = $p and vintage = $v""",
        i=ind,
        g=geo,
        p=period,
        v=vintage,
    )


def test_contract_passes(con):
    assert run_checks(con) == []


def test_dwp_ahc_published_values(con):
    fp, want = obs(con, "child_poverty_ahc_dwp", "E05013703", "FYE 2025"), DWP["finsbury_park_fye2025"]
    assert fp[0] == want["value"] and fp[1] == want["numerator"] and fp[5] == "published"
    assert fp[3] < want["value"] < fp[4]
    assert obs(con, "child_poverty_ahc_dwp", "E05013704", "FYE 2025")[0] == DWP["highbury_fye2025"]["value"]
    isl = DWP["islington_fye2025"]
    assert obs(con, "child_poverty_ahc_dwp", "E09000019", "FYE 2025")[:2] == (isl["value"], isl["numerator"])
    fp24 = DWP["finsbury_park_fye2024"]
    assert obs(con, "child_poverty_ahc_dwp", "E05013703", "FYE 2024")[:2] == (fp24["value"], fp24["numerator"])
    # London and England are aggregated from local-authority counts, not published by DWP.
    assert obs(con, "child_poverty_ahc_dwp", "E12000007", "FYE 2025")[5] == "aggregated"


def test_census_authority_is_published_and_lsoas_differ_slightly(con):
    isl = obs(con, "social_rented_households", "E09000019", "2021")
    census = PUBLISHED["social_rented_households"]
    assert isl[2] == census["islington_households_published"] and isl[5] == "published"
    summed = one(
        con,
        """select sum(o.denominator) from observations o join geographies g using (geo_code, vintage)
           where o.indicator_id = 'social_rented_households' and g.geo_type = 'lsoa'
             and g.authority_code = 'E09000019'""",
    )[0]
    assert summed == census["islington_households_summed_lsoas"]
    assert abs(summed - isl[2]) / isl[2] < 0.001


def test_ward_counts(con):
    counts = dict(
        con.execute(
            """select vintage, count(*) from geographies where geo_type = 'ward' and authority_code = 'E09000019'
               group by vintage"""
        ).fetchall()
    )
    assert counts == WARDS["islington"]
    names = [
        r[0]
        for r in con.execute(
            """select geo_name from geographies
               where geo_type = 'ward' and vintage = 2024 and authority_code = 'E09000019' order by geo_code"""
        ).fetchall()
    ]
    assert names[0] == WARDS["islington_first"] and names[-1] == WARDS["islington_last"] and "Finsbury Park" in names
    london = one(
        con,
        """select count(*) from geographies where geo_type = 'ward' and vintage = 2024
           and authority_code like 'E09%' and authority_code <> 'E09000001'""",
    )[0]
    assert london == WARDS["london_2024_without_city"]
    assert (
        one(con, "select count(*) from geographies where geo_type = 'authority' and authority_code like 'E09%'")[0]
        == WARDS["london_boroughs_with_city"]
    )


def test_islington_map_is_small(con):
    size = one(
        con,
        """select sum(length(b.geojson)) from boundaries b join geographies g using (geo_code, vintage)
           where g.authority_code = 'E09000019' and g.geo_type = 'ward' and g.vintage = 2024""",
    )[0]
    assert 1_000 < size < 100_000


def test_every_indicator_has_metadata_and_source(con):
    rows = con.execute(
        """select i.indicator_id, s.publisher, s.url, s.licence from indicators i join sources s using (source_id)"""
    ).fetchall()
    assert len(rows) == one(con, "select count(*) from indicators")[0] >= 20
    assert all(r[1] and r[2].startswith("https://") and r[3] for r in rows)
    ecp = one(con, "select licence from sources where source_id = 'ecp_ahc'")[0]
    assert "Not the Open Government Licence" in ecp


def test_apportioned_rows_carry_fit_quality(con):
    bad = one(
        con,
        "select count(*) from observations where method = 'apportioned' and (fit_quality is null or fit_quality > 1)",
    )[0]
    n = one(con, "select count(*) from observations where method = 'apportioned'")[0]
    assert n > 0 and bad == 0
    # The 2018 -> 2022 BHC estimates add up to the published 2018-ward totals for Islington.
    old = one(
        con,
        """select sum(value) from observations o join geographies g using (geo_code, vintage)
                      where indicator_id = 'child_poverty_bhc_dwp' and period = 'FYE 2022' and vintage = 2018
                        and g.authority_code = 'E09000019'""",
    )[0]
    assert old == PUBLISHED["child_poverty_bhc_dwp"]["islington_fye2022_2018_wards_total"]


def test_committed_extract_matches_fresh_build(built):
    """The committed extract is exactly what the code produces from the mirror. It was built by
    another process at another time, so equal contents also show the build is deterministic (a
    second build in the same run would only repeat this, at a minute's cost)."""
    fresh = duckdb.connect(str(built), read_only=True)
    # Same locked-down configuration as the app's connection: DuckDB shares one instance per file.
    committed = db.connect(COMMITTED)
    try:
        assert table_hashes(committed) == table_hashes(fresh)
    finally:
        fresh.close()
        committed.close()


def test_mid_year_estimates_apportioned_without_loss(con):
    """Apportioning LSOA 2011 estimates onto 2022 wards keeps the authority total (242,467 mid-2019)."""
    wards = one(
        con,
        """select sum(o.value) from observations o join geographies g using (geo_code, vintage)
           where o.indicator_id = 'population' and o.period = '2019' and g.geo_type = 'ward'
             and g.authority_code = 'E09000019'""",
    )[0]
    want = PUBLISHED["population"]["islington_2019"]
    assert round(wards) == want
    assert obs(con, "population", "E09000019", "2019")[0] == want


def test_universal_credit_wards_track_published_authority(con):
    isl = obs(con, "uc_households", "E09000019", "November 2023")
    want = PUBLISHED["uc_households"]["islington_november_2023"]
    assert isl[0] == want and isl[5] == "published"
    wards = one(
        con,
        """select sum(o.value), count(*) from observations o join geographies g using (geo_code, vintage)
           where o.indicator_id = 'uc_households' and o.period = 'November 2023' and g.geo_type = 'ward'
             and g.authority_code = 'E09000019'""",
    )
    assert wards[1] == WARDS["islington"][2024] and abs(wards[0] - want) / want < 0.01


def test_published_authority_rows_from_ward_profiles(con):
    """The Ward Atlas has no authority rows; the GLA Ward Profiles' published ones fill 2014."""
    profiles = PUBLISHED["ward_profiles_2014"]
    assert obs(con, "median_house_price", "E09000019", "2014")[0] == profiles["islington_median_house_price"]
    assert obs(con, "median_house_price", "E09000019", "2014")[5] == "published"
    assert (
        obs(con, "out_of_work_benefit_rate", "E09000019", "2014")[0] == profiles["islington_out_of_work_benefit_rate"]
    )
    # the atlas's own ward figure for the same measure, to show the two sources agree
    atlas = profiles["ward_atlas_out_of_work_benefit_rate_E05000366"]
    assert obs(con, "out_of_work_benefit_rate", "E05000366", "2014", vintage=2014)[0] == atlas


def test_england_bhc_total_sums_every_english_authority(con, raw):
    import pandas as pd

    lads = pd.read_csv(raw / "nomis_census2021_bulk_lsoa/census2021-ts011-ltla.csv")
    english = set(lads.loc[lads["geography code"].str.match(r"E0[6-9]"), "geography"])
    sx = pd.read_csv(raw / "dwp_statxplore_msoa_ltla/children_relative_low_income_ltla_14-22.csv")
    total = pd.to_numeric(sx[sx["Year"].isin(english)]["2014/15"]).sum()
    assert len(english) == PUBLISHED["child_poverty_bhc_dwp"]["english_authorities"]
    assert obs(con, "child_poverty_bhc_dwp", "E92000001", "FYE 2015")[0] == total
