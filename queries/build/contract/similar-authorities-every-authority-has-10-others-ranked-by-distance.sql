-- rule: similar authorities: every authority has 10 others (fewer if fewer exist), ranked by distance, ties by code
-- Returns: the rows that break the rule (none when it holds).
with authorities as (
    select
        geo_code,
        vintage
    from geographies
    where geo_type = 'authority' and vintage = (select c.vintage from current_vintage as c)
),

expected as (
    select least(10, count(*) - 1) as n
    from authorities
),

n as (
    select
        geo_code,
        vintage,
        count(*) as neighbours,
        min(rank) as first_rank,
        max(rank) as last_rank
    from similar_authorities
    group by geo_code, vintage
),

o as (
    select
        s.geo_code,
        s.rank,
        s.neighbour_code,
        s.distance,
        b.geo_code as neighbour_authority,
        lead(s.distance) over (partition by s.geo_code, s.vintage order by s.rank) as next_distance,
        lead(s.neighbour_code) over (partition by s.geo_code, s.vintage order by s.rank) as next_code
    from similar_authorities as s
    left join authorities as b on s.neighbour_code = b.geo_code and s.vintage = b.vintage
)

select
    coalesce(a.geo_code, n.geo_code) as geo_code,
    'not the expected count of neighbours' as problem
from authorities as a
full outer join n on a.geo_code = n.geo_code and a.vintage = n.vintage
where
    a.geo_code is null or n.geo_code is null
    or n.neighbours != (select e.n from expected as e)
    or n.first_rank != 1 or n.last_rank != n.neighbours
union all
select
    geo_code,
    'a neighbour that is itself, not a current authority, or out of order' as problem
from o
where
    neighbour_code = geo_code or neighbour_authority is null or distance is null or distance < 0
    or next_distance < distance
    or (next_distance = distance and next_code < neighbour_code);
