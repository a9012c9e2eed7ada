-- Returns: the borough, London and England figures of one indicator over every period.
-- One row per: comparator area and period.
-- Parameters: $borough_code, $indicator_id.
select
    o.geo_code,
    g.geo_name,
    g.geo_type,
    o.period,
    o.period_start,
    o.value,
    o.method
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    o.indicator_id = $indicator_id
    and g.geo_type in ('borough', 'region', 'country')
    and (g.geo_type <> 'borough' or o.geo_code = $borough_code)
    and o.value is not null
order by o.period_start, g.geo_type
