-- Returns: the authority's own figure and those of its region and country (Welsh authorities:
--   Wales, once) for one indicator and period, each with its intervals, method (published or
--   aggregated) and status.
-- One row per: comparator area that has the figure (up to three).
-- Parameters: $authority_code, $indicator_id, $period.
select
    o.geo_code,
    o.geo_name,
    o.geo_type,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.method,
    o.status
from observation_areas as o
inner join authority_comparators as c
    on o.geo_code in (c.authority_code, c.region_code, c.country_code)
where
    c.authority_code = $authority_code
    and o.indicator_id = $indicator_id
    and o.period = $period
    and o.geo_type in ('authority', 'region', 'country')
order by case o.geo_type when 'authority' then 1 when 'region' then 2 else 3 end
