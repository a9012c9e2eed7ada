-- Returns: the authority's figures and those of its region and country (Welsh authorities:
--   Wales, once) for one indicator over every period (a hidden figure: status suppressed, no value).
-- One row per: comparator area and period.
-- Parameters: $authority_code, $indicator_id.
with chosen as (
    select
        geo_code,
        region_code,
        country_code
    from geographies
    where geo_type = 'authority' and geo_code = $authority_code
    qualify row_number() over (order by vintage desc) = 1
)

select
    o.geo_code,
    o.geo_name,
    o.geo_type,
    o.period,
    o.period_start,
    o.value,
    o.method
from observation_areas as o
inner join chosen as c
    on o.geo_code in (c.geo_code, c.region_code, c.country_code)
where
    o.indicator_id = $indicator_id
    and o.geo_type in ('authority', 'region', 'country')
    and (o.value is not null or o.status = 'suppressed')
order by o.period_start, o.geo_type
