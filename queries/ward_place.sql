-- Returns: a current ward's name with its authority's and country's codes and names (none when
--   the code is not a current ward), for the Compare page.
-- One row per: ward (at most one).
-- Parameters: $ward_code.
select
    w.geo_code,
    w.geo_name,
    w.authority_code,
    a.geo_name as authority_name,
    w.country_code,
    c.geo_name as country_name
from current_wards as w
left join geographies as a on w.authority_code = a.geo_code and w.vintage = a.vintage and a.geo_type = 'authority'
left join geographies as c on w.country_code = c.geo_code and w.vintage = c.vintage and c.geo_type = 'country'
where w.geo_code = $ward_code
