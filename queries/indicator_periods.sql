-- Returns: the periods of one indicator that have ward figures in an authority, and on which ward
--   vintage, with the methods used (published, aggregated, apportioned), newest first.
-- One row per: period and ward vintage.
-- Parameters: $authority_code, $indicator_id.
select
    period,
    vintage,
    min(period_start) as period_start,
    string_agg(distinct method, ', ' order by method) as methods,
    count(value) as wards_with_value
from ward_observations
where
    indicator_id = $indicator_id
    and authority_code = $authority_code
group by period, vintage
order by period_start desc, vintage desc
