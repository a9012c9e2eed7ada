-- rule: observations: a ward hidden on one ward set is hidden on every ward set of its period
-- Returns: the rows that break the rule (none when it holds).
select
    h.indicator_id,
    h.period,
    h.geo_code,
    o.vintage
from observations as h
inner join geographies as g on h.geo_code = g.geo_code and h.vintage = g.vintage and g.geo_type = 'ward'
inner join observations as o
    on
        h.indicator_id = o.indicator_id
        and h.period = o.period
        and h.geo_code = o.geo_code
        and h.vintage != o.vintage
where h.status = 'suppressed' and o.status != 'suppressed';
