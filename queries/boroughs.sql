-- Returns: the London boroughs (and the City of London) with their number of May-2022 wards.
-- One row per: borough.
-- Parameters: none.
select
    b.geo_code,
    b.geo_name,
    count(w.geo_code) as wards_2022
from geographies as b
left join geographies as w
    on b.geo_code = w.borough_code and w.geo_type = 'ward' and w.vintage = 2022
where b.geo_type = 'borough'
group by b.geo_code, b.geo_name
order by b.geo_name
