-- Returns: one ward's rank (1 = highest) among the wards of its region and of its country, and
--   how many wards there have a figure, for every indicator and period it has a figure for.
-- One row per: indicator and period with a figure for the ward.
-- Parameters: $ward_code, $vintage.
with mine as (
    select
        indicator_id,
        period,
        value,
        region_code,
        country_code
    from ward_observations
    where geo_code = $ward_code and vintage = $vintage and value is not null
)

select
    m.indicator_id,
    m.period,
    1 + count(*) filter (where o.region_code = m.region_code and o.value > m.value) as rank_region,
    count(*) filter (where o.region_code = m.region_code) as n_region,
    1 + count(*) filter (where o.country_code = m.country_code and o.value > m.value) as rank_country,
    count(*) filter (where o.country_code = m.country_code) as n_country
from mine as m
inner join ward_observations as o
    on
        m.indicator_id = o.indicator_id
        and m.period = o.period
        and o.vintage = $vintage
        and o.value is not null
group by m.indicator_id, m.period
