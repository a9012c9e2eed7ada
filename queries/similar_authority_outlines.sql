-- Returns: the simplified outlines of the authorities of a ward and of its 10 most similar
--   wards (the map's background: no tiles).
-- One row per: authority.
-- Parameters: $ward_code, $vintage.
with wards as (
    select $ward_code as geo_code
    union all
    select neighbour_code as geo_code
    from similar_wards
    where geo_code = $ward_code and vintage = $vintage
),

authorities as (
    select distinct g.authority_code
    from wards as w
    inner join geographies as g on w.geo_code = g.geo_code and g.vintage = $vintage and g.geo_type = 'ward'
)

select
    b.geo_code,
    b.geo_name,
    b.geojson
from area_boundaries as b
inner join authorities as a on b.geo_code = a.authority_code
where b.geo_type = 'authority' and b.vintage = $vintage
order by b.geo_code
