-- Returns: the borough, London and England figures of one indicator over every period.
-- One row per: comparator area and period.
-- Parameters: $borough_code, $indicator_id.
select
    geo_code,
    geo_name,
    geo_type,
    period,
    period_start,
    value,
    method
from observation_areas
where
    indicator_id = $indicator_id
    and geo_type in ('borough', 'region', 'country')
    and (geo_type != 'borough' or geo_code = $borough_code)
    and value is not null
order by period_start, geo_type
