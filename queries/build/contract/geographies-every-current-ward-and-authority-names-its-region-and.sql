-- rule: geographies: every current ward and authority names its region and country, and they exist
-- Returns: the rows that break the rule (none when it holds).
select
    g.geo_code,
    g.geo_type,
    g.region_code,
    g.country_code
from geographies as g
left join geographies as r
    on g.region_code = r.geo_code and r.vintage = 2024 and r.geo_type in ('region', 'country')
left join geographies as c
    on g.country_code = c.geo_code and c.vintage = 2024 and c.geo_type = 'country'
where
    g.vintage = 2024 and g.geo_type in ('ward', 'authority')
    and (r.geo_code is null or c.geo_code is null);
