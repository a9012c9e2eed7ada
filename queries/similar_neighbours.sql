-- Returns: a ward (rank 0, distance 0) and its 10 most similar wards in other authorities
--   (similar_wards, built from Census 2021 characteristics): name, authority, region or
--   country, standardised Euclidean distance and the point inside each ward (for the map).
-- One row per: ward (the chosen one first, then its neighbours by rank). None when the ward
--   has no characteristics (no LSOA lies in it).
-- Parameters: $ward_code, $vintage.
with picked as (
    select
        0 as rank,
        geo_code,
        0.0 as distance
    from similar_wards
    where geo_code = $ward_code and vintage = $vintage and rank = 1
    union all
    select
        rank,
        neighbour_code as geo_code,
        distance
    from similar_wards
    where geo_code = $ward_code and vintage = $vintage
)

select
    p.rank,
    p.geo_code,
    g.geo_name,
    g.authority_code,
    a.geo_name as authority_name,
    r.geo_name as region_name,
    p.distance,
    b.label_lon,
    b.label_lat
from picked as p
inner join geographies as g on p.geo_code = g.geo_code and g.vintage = $vintage and g.geo_type = 'ward'
left join geographies as a on g.authority_code = a.geo_code and a.vintage = $vintage and a.geo_type = 'authority'
left join geographies as r
    on g.region_code = r.geo_code and r.vintage = $vintage and r.geo_type in ('region', 'country')
left join boundaries as b on p.geo_code = b.geo_code and b.vintage = $vintage
order by p.rank
