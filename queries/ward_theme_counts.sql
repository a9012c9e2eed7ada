-- Returns: the counts behind every ward series of one theme in an authority on one ward set, one
--   line per indicator (a count's value, or a rate's numerator), with the indicator's title and
--   source, so a page can draw series of one theme side by side, each labelled by its source.
-- One row per: indicator, ward and period with a count.
-- Parameters: $authority_code, $theme, $vintage.
select
    o.indicator_id,
    i.short_title,
    i.numerator_label,
    i.unit,
    o.geo_code,
    o.geo_name,
    o.period,
    o.period_start,
    o.method,
    o.source_id,
    s.title as source_title,
    s.publisher,
    case when i.unit = 'count' then o.value else o.numerator end as children
from ward_observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
left join sources as s on o.source_id = s.source_id
where
    o.authority_code = $authority_code
    and o.vintage = $vintage
    and i.theme = $theme
    and (i.unit = 'count' or o.numerator is not null)
order by o.indicator_id, o.geo_code, o.period_start
