-- Returns: the authorities with more than one ward set in the extract, with their wards in each
--   set and how many ward codes carried over from one set to the next (ONS gives a ward a new
--   code when its boundary changes, so a ward whose code carried over did not change).
-- One row per: authority with an older ward set (London's boroughs).
-- Parameters: none.
with wards as (
    select
        authority_code,
        geo_code,
        vintage
    from geographies
    where geo_type = 'ward'
),

counts as (
    select
        authority_code,
        count(*) filter (where vintage = 2014) as wards_2014,
        count(*) filter (where vintage = 2018) as wards_2018,
        count(*) filter (where vintage = 2024) as wards_2024
    from wards
    group by authority_code
),

kept as (
    select
        n.authority_code,
        count(*) filter (where n.vintage = 2018 and o.vintage = 2014) as kept_2014_2018,
        count(*) filter (where n.vintage = 2024 and o.vintage = 2018) as kept_2018_2024
    from wards as n
    inner join wards as o
        on n.geo_code = o.geo_code and n.authority_code = o.authority_code and n.vintage > o.vintage
    group by n.authority_code
)

select
    c.authority_code,
    a.geo_name as authority_name,
    c.wards_2014,
    c.wards_2018,
    c.wards_2024,
    coalesce(k.kept_2014_2018, 0) as kept_2014_2018,
    coalesce(k.kept_2018_2024, 0) as kept_2018_2024,
    (c.wards_2014 != c.wards_2018 or coalesce(k.kept_2014_2018, 0) != c.wards_2018) as changed_2014_2018,
    (c.wards_2018 != c.wards_2024 or coalesce(k.kept_2018_2024, 0) != c.wards_2024) as changed_2018_2024
from counts as c
inner join geographies as a on c.authority_code = a.geo_code and a.geo_type = 'authority' and a.vintage = 2024
left join kept as k on c.authority_code = k.authority_code
where c.wards_2014 > 0 or c.wards_2018 > 0
order by c.authority_code
