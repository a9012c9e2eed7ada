-- Returns: the council's area sets (local layer) with, for each authority they cover, how many areas
--   and wards they hold there; every authority, or one when $authority_code is given. Runs only when
--   the local layer (or the public extract) holds area sets.
-- One row per: area set and authority.
-- Parameters: $authority_code (null for all).
select
    s.set_name,
    s.published,
    s.file_name,
    s.file_sha256,
    s.added_at,
    a.authority_code,
    b.geo_name as authority_name,
    count(distinct a.area_name) as areas,
    count(*) as wards
from local_layer.area_sets as s
inner join local_layer.area_wards as a on s.set_name = a.set_name
left join geographies as b on a.authority_code = b.geo_code and b.geo_type = 'authority'
where $authority_code is null or a.authority_code = $authority_code
group by all
order by s.set_name, a.authority_code
