-- rule: observations: lower_95 <= value <= upper_95 and lower_998 <= value <= upper_998
-- Returns: the rows that break the rule (none when it holds).
select
    indicator_id,
    geo_code,
    period,
    value,
    lower_95,
    upper_95
from observations
where
    value < lower_95 - 1e-9
    or value > upper_95 + 1e-9
    or value < lower_998 - 1e-9
    or value > upper_998 + 1e-9
    or lower_998 > lower_95
    or upper_998 < upper_95;
