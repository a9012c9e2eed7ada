-- Returns: every period of one indicator for the wards of a borough on one ward vintage, with
--   values, intervals, numerators and denominators, oldest first (for trends and gap trends).
-- One row per: ward and period.
-- Parameters: $borough_code, $indicator_id, $vintage.
select
    o.geo_code,
    g.geo_name,
    o.period,
    o.period_start,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.method,
    o.status,
    o.fit_quality
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    o.indicator_id = $indicator_id
    and o.vintage = $vintage
    and g.geo_type = 'ward'
    and g.borough_code = $borough_code
order by o.period_start, o.geo_code
