-- rule: geographies: codes valid for their type
-- Returns: the rows that break the rule (none when it holds).
select
    geo_code,
    geo_type
from geographies
where not (
    (geo_type = 'ward' and regexp_full_match(geo_code, '[EW]05[0-9]{6}'))
    or (geo_type = 'lsoa' and regexp_full_match(geo_code, '[EW]01[0-9]{6}'))
    or (geo_type = 'msoa' and regexp_full_match(geo_code, '[EW]02[0-9]{6}'))
    or (geo_type = 'authority' and regexp_full_match(geo_code, '(E0[6-9]|W06)[0-9]{6}'))
    or (geo_type = 'region' and regexp_full_match(geo_code, 'E12[0-9]{6}'))
    or (geo_type = 'country' and geo_code in ('E92000001', 'W92000004'))
);
