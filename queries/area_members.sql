-- Returns: the wards of each area of one area set in one authority, with the ward's name. Runs only
--   when the local layer (or the public extract) holds area sets.
-- One row per: ward of an area.
-- Parameters: $set_name, $authority_code.
select
    a.area_name,
    a.ward_code as geo_code,
    g.geo_name
from local_layer.area_wards as a
inner join current_wards as g on a.ward_code = g.geo_code
where a.set_name = $set_name and a.authority_code = $authority_code
order by a.area_name, a.ward_code
