-- Views the named queries read instead of repeating the same joins.

-- Every observation with its area's name, type, authority (code and name), region and country.
-- One row per: observation.
create view observation_areas as
select
    o.indicator_id,
    o.geo_code,
    g.geo_name,
    g.geo_type,
    o.vintage,
    g.authority_code,
    b.geo_name as authority_name,
    g.region_code,
    g.country_code,
    o.period,
    o.period_start,
    o.value,
    o.numerator,
    o.denominator,
    o.lower_95,
    o.upper_95,
    o.lower_998,
    o.upper_998,
    o.method,
    o.fit_quality,
    o.status,
    o.source_id
from observations as o
inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
left join geographies as b
    on g.authority_code = b.geo_code and b.geo_type = 'authority' and b.vintage = 2024;

-- The ward rows of observation_areas (any ward vintage).
-- One row per: ward observation.
create view ward_observations as
select
    indicator_id,
    geo_code,
    geo_name,
    geo_type,
    vintage,
    authority_code,
    authority_name,
    region_code,
    country_code,
    period,
    period_start,
    value,
    numerator,
    denominator,
    lower_95,
    upper_95,
    lower_998,
    upper_998,
    method,
    fit_quality,
    status,
    source_id
from observation_areas
where geo_type = 'ward';

-- Every area with its simplified boundary (areas without one are left out).
-- One row per: area and vintage with a boundary.
create view area_boundaries as
select
    g.geo_code,
    g.geo_name,
    g.geo_type,
    g.vintage,
    g.authority_code,
    b.geojson,
    b.label_lon,
    b.label_lat,
    b.area_ha
from geographies as g
inner join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage;
