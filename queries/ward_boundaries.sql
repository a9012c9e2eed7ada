-- Returns: the simplified boundaries (GeoJSON, EPSG:4326) of a borough's wards on one vintage.
-- One row per: ward.
-- Parameters: $borough_code, $vintage.
select
    g.geo_code,
    g.geo_name,
    b.geojson,
    b.label_lon,
    b.label_lat,
    b.area_ha
from geographies as g
inner join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
where g.geo_type = 'ward' and g.vintage = $vintage and g.borough_code = $borough_code
order by g.geo_code
