-- Returns: every ward of a region or country (one ward vintage) with a figure for one indicator
--   and period, its authority, and the counts behind it (numerator, denominator) that
--   disclosure control needs.
-- One row per: ward with a value.
-- Parameters: $area_code (a region, or England or Wales), $indicator_id, $period, $vintage.
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
    and $area_code in (region_code, country_code)
    and value is not null
order by value, geo_code
