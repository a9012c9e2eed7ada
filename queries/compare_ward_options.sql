-- Returns: every current ward with its authority's name, for the Compare page's ward picker.
-- One row per: current ward (by authority name, then ward name).
-- Parameters: none.
select
    w.geo_code,
    w.geo_name,
    a.geo_name as authority_name
from current_wards as w
inner join geographies as a on w.authority_code = a.geo_code and w.vintage = a.vintage and a.geo_type = 'authority'
order by a.geo_name, w.geo_name, w.geo_code
