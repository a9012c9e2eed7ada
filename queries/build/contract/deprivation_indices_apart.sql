-- rule: observations: WIMD figures for Welsh areas only, IoD figures for English areas only (never one scale)
select
    o.indicator_id,
    o.geo_code,
    o.vintage,
    o.period,
    g.country_code
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
where
    (i.source_id like 'wimd%' and g.country_code != 'W92000004')
    or ((i.source_id like 'iod%' or o.source_id = 'mysociety_composite_imd') and g.country_code != 'E92000001')
