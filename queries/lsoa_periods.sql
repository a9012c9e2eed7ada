-- Returns: the LSOA-level measures (IoD scores such as IMD and IDACI, and the living environment
--   and health indicators) and periods that can be mapped inside an authority: LSOAs with a
--   boundary only (2011 LSOAs outside London have none), IoD domain scores first.
-- One row per: indicator and period.
-- Parameters: $authority_code.
select
    o.indicator_id,
    i.short_title,
    i.unit,
    i.polarity,
    o.period,
    o.vintage,
    count(*) as lsoas
from observation_areas as o
inner join indicators as i on o.indicator_id = i.indicator_id
inner join boundaries as b on o.geo_code = b.geo_code and o.vintage = b.vintage
where
    o.geo_type = 'lsoa'
    and o.authority_code = $authority_code
    and (i.unit = 'score' or i.theme = 'environment_health')
group by o.indicator_id, i.short_title, i.unit, i.polarity, i.theme, o.period, o.vintage
order by i.theme = 'environment_health' asc, o.indicator_id asc, o.period desc
