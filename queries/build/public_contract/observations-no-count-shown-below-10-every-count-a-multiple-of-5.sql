-- rule: observations: no count shown below 10, every count a multiple of 5
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.value,
    o.numerator,
    o.denominator
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (i.unit = 'count' and (o.value < 10 or o.value % 5 != 0))
    or o.numerator < 10
    or o.numerator % 5 != 0
    or o.denominator < 10
    or o.denominator % 5 != 0;
