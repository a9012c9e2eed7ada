-- Returns: every period of one indicator for the wards of an authority on one ward vintage, with
--   values, intervals, numerators and denominators and source, oldest first (for trends and gap trends).
-- One row per: ward and period.
-- Parameters: $authority_code, $indicator_id, $vintage.
select
    geo_code,
    geo_name,
    period,
    period_start,
    value,
    numerator,
    denominator,
    lower_95,
    upper_95,
    method,
    status,
    fit_quality,
    source_id
from ward_observations
where
    indicator_id = $indicator_id
    and vintage = $vintage
    and authority_code = $authority_code
order by period_start, geo_code
