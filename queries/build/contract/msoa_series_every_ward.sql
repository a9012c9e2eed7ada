-- rule: observations: the Stat-Xplore MSOA series reach every current ward outside London that has a 2021 LSOA
-- (children in low income BHC, as counts and as a rate, and households on Universal Credit, each
-- period: a ward whose LSOAs are all in the best-fit lookup gets an apportioned estimate, or a
-- suppressed row)
with msoa_series as (
    select distinct
        indicator_id,
        period
    from observations
    where
        indicator_id in ('child_poverty_bhc_dwp', 'child_poverty_bhc_rate_dwp', 'uc_households')
        and vintage = 2011
),

wards as (
    select distinct c.to_code as geo_code
    from crosswalks as c
    where
        c.from_vintage = 2021 and c.to_vintage = 2024
        and c.weight_basis = 'ONS best fit (whole LSOAs)'
        and c.to_code not in (
            select g.geo_code
            from geographies as g
            where g.geo_type = 'ward' and g.vintage = 2024 and g.authority_code like 'E09%'
        )
)

select
    s.indicator_id,
    s.period,
    w.geo_code
from msoa_series as s
cross join wards as w
anti join observations as o
    on
        s.indicator_id = o.indicator_id
        and s.period = o.period
        and w.geo_code = o.geo_code
        and o.vintage = 2024
        and o.method = 'apportioned';
