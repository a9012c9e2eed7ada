-- rule: similar wards: distance is the standardised Euclidean distance of the z-scores, ranked (ties by code)
-- Returns: the rows that break the rule (none when it holds).
with d as (
    select
        s.geo_code,
        s.vintage,
        s.rank,
        s.neighbour_code,
        s.distance,
        sqrt(sum((a.z - b.z) * (a.z - b.z))) as distance_again
    from similar_wards as s
    inner join ward_characteristics as a on s.geo_code = a.geo_code and s.vintage = a.vintage
    inner join ward_characteristics as b
        on s.neighbour_code = b.geo_code and s.vintage = b.vintage and a.characteristic = b.characteristic
    group by s.geo_code, s.vintage, s.rank, s.neighbour_code, s.distance
),

o as (
    select
        *,
        lead(distance) over (partition by geo_code, vintage order by rank) as next_distance,
        lead(neighbour_code) over (partition by geo_code, vintage order by rank) as next_code
    from d
)

select
    geo_code,
    rank,
    neighbour_code,
    distance,
    distance_again,
    next_distance
from o
where
    abs(distance - distance_again) > 0.000002
    or next_distance < distance
    or (next_distance = distance and next_code < neighbour_code);
