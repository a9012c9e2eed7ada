-- rule: similar wards: a neighbour is a ward with characteristics in another authority, never itself
-- Returns: the rows that break the rule (none when it holds).
with matched as (
    select distinct geo_code
    from ward_characteristics
)

select
    s.geo_code,
    s.neighbour_code,
    a.authority_code,
    b.authority_code as neighbour_authority
from similar_wards as s
left join geographies as a on s.geo_code = a.geo_code and s.vintage = a.vintage and a.geo_type = 'ward'
left join geographies as b on s.neighbour_code = b.geo_code and s.vintage = b.vintage and b.geo_type = 'ward'
left join matched as c on s.neighbour_code = c.geo_code
where
    s.neighbour_code = s.geo_code or a.authority_code is null or b.authority_code is null
    or a.authority_code = b.authority_code or c.geo_code is null;
