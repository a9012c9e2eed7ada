-- Returns: how many wards an authority has in one ward set (a release fact's measure).
-- One row.
-- Parameters: $authority_code, $vintage.
select count(*) as n
from geographies
where geo_type = 'ward' and authority_code = $authority_code and vintage = $vintage;
