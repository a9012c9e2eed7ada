-- Returns: the outline of every local authority of England and Wales (simplified at build time,
--   EPSG:4326), to find the authority a place lies in.
-- One row per: authority.
-- Parameters: $vintage (the current ward set's, which the authorities share).
select
    geo_code,
    geo_name,
    geojson
from area_boundaries
where geo_type = 'authority' and vintage = $vintage
order by geo_code
