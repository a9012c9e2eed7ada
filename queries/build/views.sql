-- Views the named queries read instead of repeating the same joins.

-- The current ward set's vintage (May 2024), declared once: the one the authorities, regions and
-- countries are of (every other vintage is an older ward or LSOA set).
-- One row.
create view current_vintage as
select max(vintage) as vintage
from geographies
where geo_type = 'authority';

-- The wards of the current ward set.
-- One row per: current ward.
create view current_wards as
select g.*  -- noqa: AM04
from geographies as g
inner join current_vintage as c on g.vintage = c.vintage
where g.geo_type = 'ward';

-- Each authority's comparators: its region and country (Welsh authorities: Wales as both).
-- One row per: authority (its latest row).
create view authority_comparators as
select
    geo_code as authority_code,
    region_code,
    country_code
from geographies
where geo_type = 'authority'
qualify row_number() over (partition by geo_code order by vintage desc) = 1;

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
    on
        g.authority_code = b.geo_code and b.geo_type = 'authority'
        and b.vintage = (select c.vintage from current_vintage as c);

-- The ward rows of observation_areas (any ward vintage).
-- One row per: ward observation.
create view ward_observations as
select *  -- noqa: AM04
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
