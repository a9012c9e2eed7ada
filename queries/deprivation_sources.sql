-- Returns: the sources of the deprivation scores that order an authority's wards for one
--   indicator and period (England's IMD or Wales' WIMD, of the edition each ward used), with
--   their licence and attribution, so the page and packs credit what ordered the wards.
-- One row per: source of a ward's deprivation score.
-- Parameters: $authority_code, $indicator_id, $period, $vintage; $imd_indicator and $wimd_indicator,
--   the deprivation scores' indicator ids (wardgaps.meta.DEPRIVATION_SCORES).
select distinct
    s.source_id,
    s.publisher,
    s.title,
    s.url,
    s.licence,
    s.attribution
from ward_figures as f
inner join observations as o
    on
        f.geo_code = o.geo_code
        and f.vintage = o.vintage
        and f.deprivation_period = o.period
        and o.indicator_id = (case when f.geo_code like 'W%' then $wimd_indicator else $imd_indicator end)
inner join sources as s on o.source_id = s.source_id
where
    f.authority_code = $authority_code
    and f.indicator_id = $indicator_id
    and f.period = $period
    and f.vintage = $vintage
    and f.deprivation is not null
order by s.source_id
