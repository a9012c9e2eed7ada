-- rule: observations: IMD 2015/2019/2025 for every English ward, WIMD 2019/2025 for every Welsh ward (with a block)
-- (a ward that neither the weights the edition was apportioned with nor ONS's best fit of 2021
-- LSOAs reaches has nothing to build on: the 43 wards that receive no 2021 LSOA by the best fit are
-- reached by their area-overlap weights, and the City of London wards the GLA's 2011 weights give
-- no resident LSOA by the national chain's)
with expected (country_code, indicator_id, period, block_vintage) as (
    values
    ('E92000001', 'imd_score', '2015', 2011),
    ('E92000001', 'imd_score', '2019', 2011),
    ('E92000001', 'imd_score', '2025', 2021),
    ('W92000004', 'wimd_score', '2019', 2011),
    ('W92000004', 'wimd_most_deprived_10pct', '2025', 2021),
    ('W92000004', 'wimd_most_deprived_20pct', '2025', 2021)
),

reached as (
    select distinct
        a.indicator_id,
        a.period,
        c.to_code as geo_code
    from apportionments as a
    inner join crosswalks as c
        on
            a.weight_basis = c.weight_basis
            and a.from_vintage = c.from_vintage
            and a.to_vintage = c.to_vintage
    where a.to_vintage = 2024
    union
    select distinct
        e.indicator_id,
        e.period,
        c.to_code as geo_code
    from expected as e
    inner join crosswalks as c
        on
            e.block_vintage = c.from_vintage
            and c.to_vintage = 2024
            and c.weight_basis = 'ONS best fit (whole LSOAs)'
)

select
    w.geo_code,
    e.indicator_id,
    e.period
from geographies as w
inner join expected as e on w.country_code = e.country_code
inner join reached as r on w.geo_code = r.geo_code and e.indicator_id = r.indicator_id and e.period = r.period
anti join observations as o
    on
        w.geo_code = o.geo_code
        and w.vintage = o.vintage
        and e.indicator_id = o.indicator_id
        and e.period = o.period
        and o.value is not null
where w.geo_type = 'ward' and w.vintage = 2024
