-- Returns: every ward figure that rests on a count below 10 (a count below 10, or a rate whose
--   numerator is below 10): the cells the public view must suppress. For audits and tests.
-- One row per: ward × indicator × period × vintage.
-- Parameters: none.
select
    g.borough_code,
    o.indicator_id,
    o.period,
    o.vintage,
    o.geo_code,
    g.geo_name,
    i.unit,
    o.value,
    o.numerator
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join indicators as i on o.indicator_id = i.indicator_id
where
    g.geo_type = 'ward'
    and (
        (i.unit = 'count' and o.value < 10)
        or (i.unit = '%' and o.numerator < 10)
    )
order by g.borough_code, o.indicator_id, o.period, o.vintage, o.geo_code
