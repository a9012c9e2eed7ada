-- Returns: every ward of the region (one ward vintage) with a figure for one indicator and
--   period, its borough, and the counts behind it (numerator, denominator) that disclosure
--   control needs.
-- One row per: ward with a value.
-- Parameters: $indicator_id, $period, $vintage.
select
    geo_code,
    geo_name,
    borough_code,
    borough_name,
    value,
    numerator,
    denominator,
    method,
    status
from ward_observations
where
    indicator_id = $indicator_id
    and period = $period
    and vintage = $vintage
    and value is not null
order by value, geo_code
