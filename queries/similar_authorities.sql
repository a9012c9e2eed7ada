-- Returns: an authority's similar authorities (its 10 statistical neighbours among the
--   authorities of England and Wales, by Census 2021 characteristics), nearest first, with names.
-- One row per: similar authority.
-- Parameters: $authority_code.
select
    s.rank,
    s.neighbour_code as geo_code,
    g.geo_name,
    s.distance
from similar_authorities as s
inner join geographies as g
    on s.neighbour_code = g.geo_code and s.vintage = g.vintage and g.geo_type = 'authority'
where s.geo_code = $authority_code
order by s.rank
