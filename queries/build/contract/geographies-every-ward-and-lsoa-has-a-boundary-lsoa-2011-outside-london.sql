-- rule: geographies: every ward and LSOA has a boundary (LSOA 2011 outside London: none in the mirror)
-- Returns: the rows that break the rule (none when it holds).
select
    g.geo_code,
    g.vintage
from geographies as g
anti join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
where
    g.geo_type = 'ward'
    or (g.geo_type = 'lsoa' and (g.vintage != 2011 or g.authority_code like 'E09%'));
