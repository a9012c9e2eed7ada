"""Issue 9's data defects, checked on a fresh build from the real mirror (each failed before its fix)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.national

FP = "E05013703"  # Finsbury Park, May-2022 ward
ISLINGTON = "E09000019"


def row(con, sql: str, **params):
    return con.execute(sql, params).fetchone()


def obs(con, ind: str, geo: str, period: str, vintage: int = 2024):
    return row(
        con,
        """select value, numerator, denominator, method, status from observations
           where indicator_id = $i and geo_code = $g and period = $p and vintage = $v""",
        i=ind,
        g=geo,
        p=period,
        v=vintage,
    )


# --- 1. imd_most_deprived_20pct numerators were 100 times too large --------------------------------


def test_deprived_20pct_numerator_is_people_not_people_times_100(con):
    # Finsbury Park 2019: was 1,020,357.4 "people" of 14,100.9.
    assert obs(con, "imd_most_deprived_20pct", FP, "2019") == (72.3612, 10203.6, 14100.9, "apportioned", "estimate")


def test_deprived_20pct_lsoa_rows_hold_the_iod_population(con):
    # ID 2019 for London.xlsx: E01002732 (Islington 005A) is in IMD decile 1 with 1,908 people
    # (mid-2015); E01002730 (Islington 007A) is in decile 3 with 1,970.
    assert obs(con, "imd_most_deprived_20pct", "E01002732", "2019", 2011)[:3] == (100.0, 1908.0, 1908.0)
    assert obs(con, "imd_most_deprived_20pct", "E01002730", "2019", 2011)[:3] == (0.0, 0.0, 1970.0)


def test_no_share_has_numerator_above_denominator(con):
    n = row(
        con,
        """select count(*) from observations o join indicators i using (indicator_id)
           where i.unit = '%' and o.numerator > o.denominator""",
    )[0]
    assert n == 0


# --- 2. the crosswalks held one weight set, the observations used others ---------------------------


def reapplied(con, ind: str, period: str) -> tuple[int, float]:
    """(wards, largest difference) between stored apportioned values and the stored weights
    re-applied to the stored inputs, computed here independently of the contract's SQL."""
    return row(
        con,
        """with r as (
               select c.to_code, sum(c.weight * i.value) as v
               from apportionments a
               join crosswalks c using (weight_basis, from_vintage, to_vintage)
               join observations i on i.indicator_id = a.indicator_id and i.period = a.period
                    and i.geo_code = c.from_code and i.vintage = c.from_vintage
               where a.indicator_id = $i and a.period = $p
               group by c.to_code)
           select count(*), max(abs(o.value - r.v)) from observations o join r on r.to_code = o.geo_code
           where o.indicator_id = $i and o.period = $p and o.vintage = 2024 and o.method = 'apportioned'
             and o.value is not null""",
        i=ind,
        p=period,
    )


@pytest.mark.parametrize(
    "ind, period, wards, tolerance",
    [
        # London's 704: 691 by the GLA's shares (the City's 12 of them) and the 13 City wards those
        # give no resident through the national chain; the rest of England's 6,113 (the composite
        # file; 13 wards given no 2021 LSOA by the best fit through area-overlap shares)
        ("imd_score", "2019", 6817, 1e-4),
        # London's 693 wards by the GLA's 2015 shares and 11 City wards by the national chain;
        # England's 6,113 others through LSOA 2021
        ("imd_score", "2015", 6817, 1e-4),
        ("idaci_score", "2019", 704, 1e-4),
        ("imd_most_deprived_20pct", "2019", 6817, 1e-4),  # London 691 + 13, the rest of England 6,113
        # London's 679 borough wards (was up to 132 children off) and 6,900 others from MSOAs (the
        # City of London's 25 among them)
        ("child_poverty_bhc_dwp", "FYE 2015", 7579, 0.5),
        ("child_poverty_bhc_dwp", "FYE 2022", 7579, 0.5),
        ("child_poverty_bhc_rate_dwp", "FYE 2020", 7579, 5e-5),
        ("child_poverty_bhc_rate_dwp", "FYE 2022", 7579, 5e-5),
        # the 33 English wards the best fit gives no 2021 LSOA, by area overlap (the rest aggregated)
        ("imd_score", "2025", 33, 1e-4),
        ("wimd_most_deprived_10pct", "2025", 10, 1e-4),  # the 10 Welsh ones
        ("population", "2019", 691, 0.05),
        ("uc_households", "November 2023", 7579, 0.5),
    ],
)
def test_stored_weights_reproduce_apportioned_values(con, ind, period, wards, tolerance):
    n, worst = reapplied(con, ind, period)
    assert n == wards
    assert worst <= tolerance + 1e-6  # the stored rounding, and float sums


def test_each_bhc_year_has_its_own_weight_set(con):
    """London's 2018-ward series (outside London one set of MSOA weights serves every year)."""
    sets = con.execute(
        """select period, weight_basis from apportionments
           where indicator_id = 'child_poverty_bhc_dwp' and from_vintage = 2018 order by period"""
    ).fetchall()
    assert [p for p, _ in sets] == [f"FYE {y}" for y in range(2015, 2023)]
    assert len({b for _, b in sets}) == 8
    assert sets[0][1].endswith("shares 2014") and sets[-1][1].endswith("shares 2021")
    # The GLA shares move between years, so the weight sets really differ.
    differ = row(
        con,
        """select count(*) from crosswalks a join crosswalks b using (from_code, to_code, from_vintage, to_vintage)
           where a.weight_basis = $a and b.weight_basis = $b and abs(a.weight - b.weight) > 1e-3""",
        a=sets[0][1],
        b=sets[-1][1],
    )[0]
    assert differ > 0


def test_uc_inputs_are_the_published_msoa_counts(con):
    # households_on_UC_msoa_15-22.csv: Islington 001 (E02000554), November 2023 (p): 1,420.
    assert obs(con, "uc_households", "E02000554", "November 2023", 2011)[:2] == (1420.0, 1420.0)
    assert obs(con, "uc_households", "E02000554", "November 2023", 2011)[4] == "provisional"


# --- 5. children_0_15 mixed 0-15 estimates with the Census's 0-14 --------------------------------


def test_census_children_are_their_own_0_to_14_indicator(con):
    # TS007A bands 0-4, 5-9, 10-14 summed: Islington 31,153; Finsbury Park 2,145.
    assert obs(con, "children_0_14", ISLINGTON, "2021")[0] == 31153
    assert obs(con, "children_0_14", FP, "2021")[0] == 2145
    periods = {
        r[0]
        for r in con.execute("select distinct period from observations where indicator_id = 'children_0_15'").fetchall()
    }
    assert "2021" not in periods and {"2019", "2020"} <= periods
    title = row(con, "select title from indicators where indicator_id = 'children_0_14'")[0]
    assert "0 to 14" in title


# --- 6. apportioned rows were "final" for IoD, "estimate" elsewhere -------------------------------


def test_every_apportioned_value_is_an_estimate(con):
    statuses = {
        r[0]
        for r in con.execute(
            "select distinct status from observations where method = 'apportioned' and value is not null"
        ).fetchall()
    }
    assert statuses == {"estimate"}
    assert obs(con, "imd_score", FP, "2019")[4] == "estimate"


# --- 7. the whole City of London stood in for Castle Baynard on 2018 wards -----------------------


def test_city_of_london_has_no_pre_2022_ward(con):
    assert row(con, "select count(*) from geographies where geo_code = 'E05009297' and vintage = 2018")[0] == 0
    assert (
        row(con, "select count(*) from geographies where authority_code = 'E09000001' and vintage in (2014, 2018)")[0]
        == 0
    )
    # The May-2022 Castle Baynard is the real ward.
    assert row(con, "select area_ha from boundaries where geo_code = 'E05009297' and vintage = 2024")[0] < 30


# --- 4. counts shown like rates ------------------------------------------------------------------


@pytest.mark.parametrize("ind", ["uc_households", "child_poverty_bhc_dwp"])
def test_count_indicators_say_count_and_are_neutral(con, ind):
    title, short, unit, polarity = row(
        con, "select title, short_title, unit, polarity from indicators where indicator_id = $i", i=ind
    )
    assert "count" in title.lower() and "count" in short.lower()
    assert unit == "count" and polarity == "neutral"
