-- Returns: an authority's gap measures for every period of one indicator on one ward set that
--   could be measured, oldest first, and whether the slope index gap widened between the first
--   and last periods that have one (change, the same on every row).
-- One row per: period with gap measures.
-- Parameters: $authority_code, $indicator_id, $vintage.
select
    m.period,
    m.period_start,
    m.range,
    m.ratio,
    m.sii,
    m.sii_lower_95,
    m.sii_upper_95,
    m.rii,
    m.withheld,
    t.change
from gap_measures as m
inner join gap_trends as t
    on m.authority_code = t.authority_code and m.indicator_id = t.indicator_id and m.vintage = t.vintage
where
    m.authority_code = $authority_code
    and m.indicator_id = $indicator_id
    and m.vintage = $vintage
    and m.measured
order by m.period_start
