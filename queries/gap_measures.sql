-- Returns: an authority's gap measures across its wards for one indicator and period (range,
--   highest/lowest ratio, slope and relative index of inequality with 95% limits), or why not
--   (sii_note; withheld: an extreme ward's figure is hidden in the public view). Worked out at
--   build time (publish time for the public extract) on the figures the ward table holds.
-- One row (none when the authority has no ward figures for the period).
-- Parameters: $authority_code, $indicator_id, $period, $vintage.
select
    authority_code,
    indicator_id,
    period,
    vintage,
    period_start,
    measured,
    n,
    highest_code,
    highest,
    lowest_code,
    lowest,
    range,
    ratio,
    sii,
    rii,
    sii_intercept,
    sii_lower_95,
    sii_upper_95,
    rii_lower_95,
    rii_upper_95,
    sii_note,
    withheld,
    deprivation_edition
from gap_measures
where
    authority_code = $authority_code
    and indicator_id = $indicator_id
    and period = $period
    and vintage = $vintage
