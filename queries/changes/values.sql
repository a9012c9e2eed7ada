-- Returns: every figure of the given indicator-periods with the area's name and the authority it
--   lies in (its own code for an authority; none for a region or country), to compare value by
--   value with another release (wardgaps/releases.py).
-- One row per: indicator, area, ward set and period.
-- Parameters: $keys (the 'indicator|period' keys to read).
select
    o.indicator_id,
    o.period,
    o.geo_code,
    o.vintage,
    g.geo_name,
    g.geo_type,
    a.geo_code as authority_code,
    a.geo_name as authority_name,
    o.value
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
left join geographies as a
    on
        a.geo_type = 'authority'
        and a.geo_code = case when g.geo_type = 'authority' then g.geo_code else g.authority_code end
where list_contains($keys, o.indicator_id || '|' || o.period)
order by o.indicator_id, o.period, o.geo_code, o.vintage
