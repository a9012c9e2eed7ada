-- Returns: every London ward's value for one indicator, period and ward vintage, with its
--   borough's name, for the London context strip.
-- One row per: ward with a value.
-- Parameters: $indicator_id, $period, $vintage.
select
    geo_code,
    geo_name,
    borough_code,
    borough_name,
    value,
    method
from ward_observations
where
    indicator_id = $indicator_id
    and period = $period
    and vintage = $vintage
    and borough_name is not null
    and value is not null
order by value
