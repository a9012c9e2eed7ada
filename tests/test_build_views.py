"""The views the build creates for the named queries (queries/build/views.sql)."""

from __future__ import annotations


def one(con, sql: str, **params):
    return con.execute(sql, params).fetchone()


def test_observation_areas_has_every_observation_once(con):
    assert one(con, "select count(*) from observation_areas")[0] == one(con, "select count(*) from observations")[0]


def test_ward_observations_names_ward_and_authority(con):
    row = one(
        con,
        """select geo_name, geo_type, authority_code, authority_name, value, numerator from ward_observations
           where indicator_id = 'child_poverty_ahc_dwp' and geo_code = 'E05013703' and period = 'FYE 2025'""",
    )
    assert row == ("Finsbury Park", "ward", "E09000019", "Islington", 46.0, 1070.0)
    assert one(con, "select count(distinct geo_type) from ward_observations")[0] == 1
    wards = one(
        con,
        """select count(*) from observations o join geographies g using (geo_code, vintage)
           where g.geo_type = 'ward'""",
    )[0]
    assert one(con, "select count(*) from ward_observations")[0] == wards


def test_area_boundaries_cover_islington_wards(con):
    n, ha = one(
        con,
        """select count(*), round(sum(area_ha)) from area_boundaries
           where geo_type = 'ward' and vintage = 2014 and authority_code = 'E09000019'""",
    )
    # SOURCES.md 1a: 16 Islington wards, 1,486 ha in total.
    assert n == 16 and ha == 1486
