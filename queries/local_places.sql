-- Returns: the council's own places (local layer) with their authority's name and whether each is
--   published (a layer made before the flag: not); every authority, or one when $authority_code is
--   given. Runs only when the local layer has a places table.
-- One row per: place.
-- Parameters: $authority_code (null for all).
select
    p.place_id,
    p.name,
    p.kind,
    p.lon,
    p.lat,
    p.authority_code,
    b.geo_name as authority_name,
    p.file_name,
    p.file_sha256,
    p.added_at,
    coalesce(json_extract(to_json(p), '$.published')::boolean, false) as published  -- noqa: RF02
from local_layer.places as p
left join geographies as b on p.authority_code = b.geo_code and b.geo_type = 'authority'
where $authority_code is null or p.authority_code = $authority_code
order by p.authority_code, p.kind, p.name
