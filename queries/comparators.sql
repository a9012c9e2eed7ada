-- Returns: the borough, London and England figures for one indicator and period, each with
--   its intervals, method (published or aggregated) and status.
-- One row per: comparator area that has the figure (up to three).
-- Parameters: $borough_code, $indicator_id, $period.
select
    o.geo_code,
    g.geo_name,
    g.geo_type,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.method,
    o.status
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    o.indicator_id = $indicator_id
    and o.period = $period
    and g.geo_type in ('borough', 'region', 'country')
    and (g.geo_type <> 'borough' or o.geo_code = $borough_code)
order by case g.geo_type when 'borough' then 1 when 'region' then 2 else 3 end
