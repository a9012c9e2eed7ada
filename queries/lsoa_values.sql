-- Returns: the LSOAs of an authority with one LSOA-level indicator (e.g. IMD or IDACI score) for
--   one period, with their boundaries, for the "pockets inside a ward" view.
-- One row per: LSOA.
-- Parameters: $authority_code, $indicator_id, $period.
select
    o.geo_code,
    o.geo_name,
    o.vintage,
    o.value,
    b.geojson,
    b.label_lon,
    b.label_lat
from observation_areas as o
inner join boundaries as b on o.geo_code = b.geo_code and o.vintage = b.vintage
where
    o.geo_type = 'lsoa'
    and o.authority_code = $authority_code
    and o.indicator_id = $indicator_id
    and o.period = $period
order by o.geo_code
