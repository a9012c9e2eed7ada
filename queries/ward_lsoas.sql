-- Returns: the 2021 LSOAs that make up one May-2022 ward (ONS best fit), with boundaries and
--   their IMD 2025 score, for the ward profile's small map.
-- One row per: LSOA.
-- Parameters: $ward_code.
select
    c.from_code as geo_code,
    g.geo_name,
    b.geojson,
    b.label_lon,
    b.label_lat,
    o.value as imd_score
from crosswalks as c
inner join geographies as g on c.from_code = g.geo_code and c.from_vintage = g.vintage
inner join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
left join observations as o
    on
        c.from_code = o.geo_code
        and o.vintage = 2021
        and o.indicator_id = 'imd_score'
        and o.period = '2025'
where c.to_code = $ward_code and c.from_vintage = 2021 and c.to_vintage = 2022
order by c.from_code
