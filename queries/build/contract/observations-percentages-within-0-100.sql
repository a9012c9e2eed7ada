-- rule: observations: percentages within 0-100
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where i.unit = '%' and (o.value < 0 or o.value > 100);
