-- Returns: the figures of one area set's areas in one authority for one indicator in every period
--   (as queries/area_figures.sql), oldest first. Runs only when the local layer (or the public
--   extract) holds area sets.
-- One row per: area and period.
-- Parameters: $set_name, $authority_code, $indicator_id.
select
    a.area_name,
    a.period,
    a.period_start,
    a.carry_rule,
    a.value,
    a.numerator,
    a.denominator,
    a.lower_95,
    a.upper_95,
    a.status,
    a.suppressed
from area_observations as a
where
    a.set_name = $set_name
    and a.authority_code = $authority_code
    and a.indicator_id = $indicator_id
order by a.period_start, a.period, a.area_name
