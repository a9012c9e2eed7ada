-- rule: observations: an apportioned figure has a fit quality, and a figure without a value is suppressed
-- (the accepted methods, statuses and the 0-1 range of fit_quality are declared in tables.yaml)
-- Returns: the rows that break the rule (none when it holds).
select
    indicator_id,
    geo_code,
    period,
    method,
    status,
    fit_quality
from observations
where
    (method = 'apportioned' and fit_quality is null)
    or (value is null and status != 'suppressed');
