-- Returns: every ward figure that rests on a count below 10 (a count below 10, or a rate whose
--   numerator is below 10): the cells the public view must suppress. For audits and tests.
-- One row per: ward × indicator × period × vintage.
-- Parameters: none.
select
    o.authority_code,
    o.indicator_id,
    o.period,
    o.vintage,
    o.geo_code,
    o.geo_name,
    i.unit,
    o.value,
    o.numerator
from ward_observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    (
        (i.unit = 'count' and o.value < 10)
        or (i.unit = '%' and o.numerator < 10)
    )
order by o.authority_code, o.indicator_id, o.period, o.vintage, o.geo_code
