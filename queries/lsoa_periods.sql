-- Returns: the LSOA-level indicators (IMD, IDACI, ...) and periods available inside a borough.
-- One row per: indicator and period.
-- Parameters: $borough_code.
select
    o.indicator_id,
    i.short_title,
    o.period,
    o.vintage,
    count(*) as lsoas
from observation_areas as o
inner join indicators as i on o.indicator_id = i.indicator_id
where o.geo_type = 'lsoa' and o.borough_code = $borough_code and i.unit = 'score'
group by o.indicator_id, i.short_title, o.period, o.vintage
order by o.indicator_id asc, o.period desc
