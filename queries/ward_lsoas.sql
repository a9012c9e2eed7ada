-- Returns: the 2021 LSOAs that make up a current (May-2024) ward (by the LSOA-to-ward lookup), each with
--   its outline, a label point and its IMD score in one edition.
-- One row per: LSOA.
-- Parameters: $ward_code, $ward_vintage (the current ward set), $imd_indicator (the IMD score's
--   indicator id), $imd_period (IMD edition, e.g. '2025').
with lsoas as (
    select distinct c.from_code as geo_code
    from crosswalks as c
    where c.to_code = $ward_code and c.from_vintage = 2021 and c.to_vintage = $ward_vintage
)

select
    l.geo_code,
    g.geo_name,
    b.geojson,
    b.label_lon,
    b.label_lat,
    o.value as imd_score
from lsoas as l
inner join geographies as g on l.geo_code = g.geo_code and g.vintage = 2021
inner join boundaries as b on g.geo_code = b.geo_code and g.vintage = b.vintage
left join observations as o
    on
        l.geo_code = o.geo_code
        and o.vintage = 2021
        and o.indicator_id = $imd_indicator
        and o.period = $imd_period
order by l.geo_code
