-- Returns: every London ward's value for one indicator, period and ward vintage, with its
--   borough's name, for the London context strip.
-- One row per: ward with a value.
-- Parameters: $indicator_id, $period, $vintage.
select
    o.geo_code,
    g.geo_name,
    g.borough_code,
    b.geo_name as borough_name,
    o.value,
    o.method
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join geographies as b on g.borough_code = b.geo_code and b.geo_type = 'borough'
where
    o.indicator_id = $indicator_id
    and o.period = $period
    and o.vintage = $vintage
    and g.geo_type = 'ward'
    and o.value is not null
order by o.value
