-- Returns: the local authorities of England and Wales with their region (Wales as a whole for
--   Welsh authorities), country and number of current wards.
-- One row per: authority.
-- Parameters: $vintage (the current ward set).
select
    b.geo_code,
    b.geo_name,
    b.region_code,
    r.geo_name as region_name,
    b.country_code,
    c.geo_name as country_name,
    count(w.geo_code) as wards
from geographies as b
inner join geographies as r
    on b.region_code = r.geo_code and b.vintage = r.vintage and r.geo_type in ('region', 'country')
inner join geographies as c
    on b.country_code = c.geo_code and b.vintage = c.vintage and c.geo_type = 'country'
left join geographies as w
    on b.geo_code = w.authority_code and w.geo_type = 'ward' and w.vintage = $vintage
where b.geo_type = 'authority' and b.vintage = $vintage
group by b.geo_code, b.geo_name, b.region_code, r.geo_name, b.country_code, c.geo_name
order by b.geo_name
