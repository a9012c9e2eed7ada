-- Returns: the authority's figures and those of its region and country (Welsh authorities:
--   Wales, once) for one indicator over every period (a hidden figure: status suppressed, no value).
-- One row per: comparator area and period.
-- Parameters: $authority_code, $indicator_id.
select
    o.geo_code,
    o.geo_name,
    o.geo_type,
    o.period,
    o.period_start,
    o.value,
    o.method
from observation_areas as o
inner join authority_comparators as c
    on o.geo_code in (c.authority_code, c.region_code, c.country_code)
where
    c.authority_code = $authority_code
    and o.indicator_id = $indicator_id
    and o.geo_type in ('authority', 'region', 'country')
    and (o.value is not null or o.status = 'suppressed')
order by o.period_start, o.geo_type
