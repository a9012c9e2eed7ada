-- rule: observations: a share's numerator is not larger than its denominator
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period,
    o.numerator,
    o.denominator
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where i.unit = '%' and o.numerator > o.denominator;
