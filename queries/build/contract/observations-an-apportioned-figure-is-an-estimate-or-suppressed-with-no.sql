-- rule: observations: an apportioned figure is an estimate (or suppressed, with no value)
-- Returns: the rows that break the rule (none when it holds).
select
    indicator_id,
    geo_code,
    vintage,
    period,
    status,
    value
from observations
where
    method = 'apportioned'
    and not (status = 'estimate' or (status = 'suppressed' and value is null));
