-- Returns: the measures of need "Need around places" offers for an authority: every LSOA-level
--   rate or score on the 2021 LSOAs (weighted by Census 2021 population), and child poverty
--   (DWP, after housing costs) on the current wards (weighted by the children counted), with
--   their periods, latest first.
-- One row per: indicator and period.
-- Parameters: $authority_code, $ward_vintage, $ward_indicator (the ward-level measure offered).
select
    o.indicator_id,
    i.short_title,
    i.unit,
    i.polarity,
    o.period,
    o.geo_type as area_level,
    count(*) as areas
from observation_areas as o
inner join indicators as i on o.indicator_id = i.indicator_id
where
    o.authority_code = $authority_code
    and o.value is not null
    and (
        (o.geo_type = 'lsoa' and o.vintage = 2021 and i.unit in ('%', 'score', 'rate_per_1000'))
        or (o.geo_type = 'ward' and o.vintage = $ward_vintage and o.indicator_id = $ward_indicator)
    )
group by o.indicator_id, i.short_title, i.unit, i.polarity, o.period, o.geo_type
order by o.geo_type = 'lsoa' asc, o.indicator_id asc, o.period desc
