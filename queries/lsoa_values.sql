-- Returns: the LSOAs of a borough with one LSOA-level indicator (e.g. IMD or IDACI score) for
--   one period, with their boundaries, for the "pockets inside a ward" view.
-- One row per: LSOA.
-- Parameters: $borough_code, $indicator_id, $period.
select
    g.geo_code,
    g.geo_name,
    g.vintage,
    o.value,
    b.geojson,
    b.label_lon,
    b.label_lat
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
inner join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
where
    g.geo_type = 'lsoa'
    and g.borough_code = $borough_code
    and o.indicator_id = $indicator_id
    and o.period = $period
order by g.geo_code
