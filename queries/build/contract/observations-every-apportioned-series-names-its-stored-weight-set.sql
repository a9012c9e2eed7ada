-- rule: observations: every apportioned series names its stored weight set
-- Returns: the rows that break the rule (none when it holds).
select distinct
    o.indicator_id,
    o.period,
    o.vintage
from observations as o
anti join apportionments as a
    on o.indicator_id = a.indicator_id and o.period = a.period and o.vintage = a.to_vintage
where o.method = 'apportioned';
