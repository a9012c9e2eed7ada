-- Returns: the whole observations table with area names and types, for the full-extract CSV.
-- One row per: indicator, area, vintage and period.
-- Parameters: none.
select
    indicator_id,
    geo_code,
    geo_name,
    geo_type,
    vintage,
    authority_code,
    period,
    value,
    numerator,
    denominator,
    lower_95,
    upper_95,
    lower_998,
    upper_998,
    method,
    fit_quality,
    status,
    source_id
from observation_areas
order by indicator_id, geo_code, vintage, period
