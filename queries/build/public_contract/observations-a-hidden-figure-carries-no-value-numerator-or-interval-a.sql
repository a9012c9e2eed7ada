-- rule: observations: a hidden figure carries no value, numerator or interval; a count no interval
-- Returns: the rows that break the rule (none when it holds).
select
    o.indicator_id,
    o.geo_code,
    o.period,
    o.status
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (
        o.status = 'suppressed'
        and (
            o.value is not null or o.numerator is not null or o.lower_95 is not null or o.upper_95 is not null
            or o.lower_998 is not null or o.upper_998 is not null
        )
    )
    or (i.unit = 'count' and (o.lower_95 is not null or o.lower_998 is not null));
