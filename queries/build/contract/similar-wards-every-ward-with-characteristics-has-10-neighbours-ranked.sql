-- rule: similar wards: every ward with characteristics has 10 neighbours ranked 1-10, and no other ward has any
-- Returns: the rows that break the rule (none when it holds).
with n as (
    select
        geo_code,
        vintage,
        count(*) as neighbours,
        min(rank) as first_rank,
        max(rank) as last_rank
    from similar_wards
    group by geo_code, vintage
),

matched as (
    select distinct
        geo_code,
        vintage
    from ward_characteristics
)

select
    n.neighbours,
    n.first_rank,
    n.last_rank,
    coalesce(m.geo_code, n.geo_code) as geo_code
from matched as m
full outer join n on m.geo_code = n.geo_code and m.vintage = n.vintage
where
    m.geo_code is null or n.geo_code is null
    or n.neighbours != 10 or n.first_rank != 1 or n.last_rank != 10;
