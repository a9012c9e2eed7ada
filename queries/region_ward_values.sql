-- Returns: every ward of the region (one ward vintage) with a figure for one indicator and
--   period, its borough, and the counts behind it (numerator, denominator) that disclosure
--   control needs.
-- One row per: ward with a value.
-- Parameters: $indicator_id, $period, $vintage.
select
    o.geo_code,
    g.geo_name,
    g.borough_code,
    b.geo_name as borough_name,
    o.value,
    o.numerator,
    o.denominator,
    o.method,
    o.status
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join geographies as b on g.borough_code = b.geo_code and b.geo_type = 'borough'
where
    o.indicator_id = $indicator_id
    and o.period = $period
    and o.vintage = $vintage
    and g.geo_type = 'ward'
    and o.value is not null
order by o.value, o.geo_code
