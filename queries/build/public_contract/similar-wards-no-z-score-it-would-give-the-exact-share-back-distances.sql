-- rule: similar wards and authorities: no z-score (it gives the exact share back), distances to two decimals
-- Returns: the rows that break the rule (none when it holds).
select
    geo_code,
    characteristic,
    z
from ward_characteristics
where z is not null
union all
select
    geo_code,
    cast(rank as varchar) as neighbour,
    distance
from similar_wards
where abs(distance - round(distance, 2)) > 1e-12
union all
select
    geo_code,
    cast(rank as varchar) as neighbour,
    distance
from similar_authorities
where abs(distance - round(distance, 2)) > 1e-12;
