-- Returns: the borough, London and England figures for one indicator and period, each with
--   its intervals, method (published or aggregated) and status.
-- One row per: comparator area that has the figure (up to three).
-- Parameters: $borough_code, $indicator_id, $period.
select
    geo_code,
    geo_name,
    geo_type,
    value,
    numerator,
    denominator,
    lower_95,
    upper_95,
    method,
    status
from observation_areas
where
    indicator_id = $indicator_id
    and period = $period
    and geo_type in ('borough', 'region', 'country')
    and (geo_type != 'borough' or geo_code = $borough_code)
order by case geo_type when 'borough' then 1 when 'region' then 2 else 3 end
