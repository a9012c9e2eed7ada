-- Returns: one LSOA-level indicator for one period on the 2021 LSOAs of an authority (with its
--   status: suppressed where it is hidden), with each LSOA's representative (label) point,
--   outline and Census 2021 population (the weight of the "Need around places" means).
-- One row per: LSOA.
-- Parameters: $authority_code, $indicator_id, $period.
select
    o.geo_code,
    o.geo_name,
    o.value,
    o.numerator,
    o.denominator,
    o.status,
    p.value as weight,
    b.geojson,
    b.label_lon,
    b.label_lat
from observation_areas as o
inner join boundaries as b on o.geo_code = b.geo_code and o.vintage = b.vintage
left join observations as p
    on
        o.geo_code = p.geo_code
        and o.vintage = p.vintage
        and p.indicator_id = 'population'
        and p.period = '2021'
where
    o.geo_type = 'lsoa'
    and o.vintage = 2021
    and o.authority_code = $authority_code
    and o.indicator_id = $indicator_id
    and o.period = $period
order by o.geo_code
