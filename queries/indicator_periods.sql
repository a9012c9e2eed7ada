-- Returns: the periods of one indicator that have ward figures in a borough, and on which ward
--   vintage, with the methods used (published, aggregated, apportioned), newest first.
-- One row per: period and ward vintage.
-- Parameters: $borough_code, $indicator_id.
select
    o.period,
    o.vintage,
    min(o.period_start) as period_start,
    string_agg(distinct o.method, ', ' order by o.method) as methods,
    count(o.value) as wards_with_value
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    o.indicator_id = $indicator_id
    and g.geo_type = 'ward'
    and g.borough_code = $borough_code
group by o.period, o.vintage
order by period_start desc, o.vintage desc
