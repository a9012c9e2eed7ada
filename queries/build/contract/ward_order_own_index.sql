-- rule: views: a ward is ordered by its own country's index (IMD or WIMD), the stored score of the edition named
select
    f.authority_code,
    f.indicator_id,
    f.period,
    f.geo_code,
    f.deprivation,
    f.deprivation_period,
    o.value as stored_score
from ward_figures as f
left join observations as o
    on
        f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.deprivation_period = o.period
        and o.indicator_id = (case when f.geo_code like 'W%' then $wimd_indicator else $imd_indicator end)
where
    f.deprivation is not null
    and (o.value is null or abs(o.value - f.deprivation) > 1e-9)
