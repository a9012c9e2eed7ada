-- Returns: the areas a release covers, to tell which were added or removed between two releases:
--   every authority, and every ward of the given ward set with the authority it lies in.
-- One row per: area.
-- Parameters: $ward_vintage (the current ward set).
select
    geo_type,
    geo_code,
    geo_name,
    case when geo_type = 'authority' then geo_code else authority_code end as authority_code
from geographies
where geo_type = 'authority' or (geo_type = 'ward' and vintage = $ward_vintage)
order by geo_type, geo_code
