-- rule: observations: a rate shown with its counts is the rate of its rounded counts (to 0.05)
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
    i.unit in ('%', 'rate_per_1000')
    and o.numerator is not null
    and o.denominator > 0
    and abs(o.value - (case i.unit when '%' then 100 else 1000 end) * o.numerator / o.denominator) > 0.05 + 1e-9;
