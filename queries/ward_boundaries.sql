-- Returns: the simplified boundaries (GeoJSON, EPSG:4326) of an authority's wards on one vintage.
-- One row per: ward.
-- Parameters: $authority_code, $vintage.
select
    geo_code,
    geo_name,
    geojson,
    label_lon,
    label_lat,
    area_ha
from area_boundaries
where geo_type = 'ward' and vintage = $vintage and authority_code = $authority_code
order by geo_code
