-- Returns: the council's own places (local layer) with their authority's name; every authority,
--   or one when $borough_code is given. Runs only when the local layer has a places table.
-- One row per: place.
-- Parameters: $borough_code (null for all).
select
    p.place_id,
    p.name,
    p.kind,
    p.lon,
    p.lat,
    p.borough_code,
    b.geo_name as borough_name,
    p.file_name,
    p.file_sha256,
    p.added_at
from local_layer.places as p
left join geographies as b on p.borough_code = b.geo_code and b.geo_type = 'borough'
where $borough_code is null or p.borough_code = $borough_code
order by p.borough_code, p.kind, p.name
