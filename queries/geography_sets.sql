-- Returns: the area sets the extract holds (the geography change log): each type of area and
--   vintage with its number of areas, authorities and countries, and the indicators and
--   observations stored on it.
-- One row per: geography type and vintage.
-- Parameters: none.
with held as (
    select
        geo_type,
        vintage,
        count(*) as areas,
        count(distinct authority_code) as authorities,
        string_agg(distinct country_code, ', ' order by country_code) as countries
    from geographies
    group by geo_type, vintage
),

used as (
    select
        g.geo_type,
        o.vintage,
        count(distinct o.indicator_id) as indicators,
        count(*) as observations
    from observations as o
    inner join geographies as g on o.geo_code = g.geo_code and o.vintage = g.vintage
    group by g.geo_type, o.vintage
)

select
    h.geo_type,
    h.vintage,
    h.areas,
    h.authorities,
    h.countries,
    coalesce(u.indicators, 0) as indicators,
    coalesce(u.observations, 0) as observations
from held as h
left join used as u on h.geo_type = u.geo_type and h.vintage = u.vintage
order by
    case h.geo_type
        when 'ward' then 1 when 'lsoa' then 2 when 'msoa' then 3 when 'authority' then 4
        when 'region' then 5 else 6
    end,
    h.vintage desc
