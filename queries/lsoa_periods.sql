-- Returns: the LSOA-level indicators (IMD, IDACI, ...) and periods available inside a borough.
-- One row per: indicator and period.
-- Parameters: $borough_code.
select
    o.indicator_id,
    i.short_title,
    o.period,
    g.vintage,
    count(*) as lsoas
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join indicators as i on o.indicator_id = i.indicator_id
where g.geo_type = 'lsoa' and g.borough_code = $borough_code and i.unit = 'score'
group by o.indicator_id, i.short_title, o.period, g.vintage
order by o.indicator_id asc, o.period desc
